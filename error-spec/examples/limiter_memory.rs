//! What the tier limiter holds for a flood of distinct keys, and what it gives back once
//! they are idle: the figures `docs/operations.md` quotes.
//!
//! ```sh
//! cargo run --release -p error-spec --features redis --example limiter_memory -- [REDIS_URL]
//! ```
//!
//! 100,000 distinct keys, one request each, through [`Limiter::check`] on the in-process
//! backend (a manual clock moved past the window, then one request, which sweeps) and, given
//! a Redis URL (or `ERROR_SPEC_REDIS_URL`), on the Redis backend (Redis's own expiry, so it
//! waits the real minute). The process's memory is its resident set; Redis's comes from
//! `INFO memory` and `DBSIZE`. A measurement, not a test: `tests/limit.rs` and
//! `tests/limit_redis.rs` check the eviction itself.

use std::time::{Duration, Instant};

use error_spec::limit::{Limiter, ManualClock, MemoryBackend, RedisBackend, Subject};
use error_spec::tier;

const KEYS: usize = 100_000;

/// The process's resident memory in bytes, from `/proc/self/statm` (Linux); 0 elsewhere.
/// A counting allocator would need `unsafe`, which the workspace forbids.
fn live() -> isize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<isize>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn mib(bytes: isize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let free = tier("free").ok_or("the free tier")?;
    let key = |n: usize| format!("sk_live_flood_{n:012}");

    // In process: two floods of new keys, each followed by a sweep. The second shows that
    // what the first left in the allocator is reused, not added to.
    let clock = ManualClock::default();
    let limiter = Limiter::with_backend(MemoryBackend::with_clock(clock.clone()));
    let before = live();
    for round in 0..2 {
        let start = Instant::now();
        for n in 0..KEYS {
            let _ = limiter
                .check(&Subject::new(key(round * KEYS + n), free))
                .await;
        }
        let flooded = live();
        let held = limiter.backend().tracked_keys();
        let took = start.elapsed();
        clock.advance(Duration::from_secs(61));
        let _ = limiter.check(&Subject::new("after", free)).await;
        let swept = live();
        println!(
            "in process, flood {}: {KEYS} new keys in {took:.2?}: RSS +{} over the start \
             ({held} keys held); after the sweep +{} ({} keys held)",
            round + 1,
            mib(flooded - before),
            mib(swept - before),
            limiter.backend().tracked_keys(),
        );
    }

    // Redis.
    let Some(url) = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("ERROR_SPEC_REDIS_URL").ok())
    else {
        println!("redis: skipped, no URL (an argument or ERROR_SPEC_REDIS_URL)");
        return Ok(());
    };
    let client = redis::Client::open(url.as_str())?;
    let mut info = client.get_multiplexed_async_connection().await?;
    let redis_memory = |info: String| {
        info.lines()
            .find_map(|line| line.strip_prefix("used_memory:"))
            .and_then(|value| value.trim().parse::<isize>().ok())
            .unwrap_or(0)
    };
    let prefix = format!("memory-{}:", std::process::id());
    let backend = RedisBackend::open(&url)?.with_prefix(prefix.clone());
    let limiter = Limiter::with_backend(backend);
    let _ = limiter.check(&Subject::new("warm-up", free)).await;
    let keys_before: i64 = redis::cmd("DBSIZE").query_async(&mut info).await?;
    let memory_before = redis_memory(
        redis::cmd("INFO")
            .arg("memory")
            .query_async(&mut info)
            .await?,
    );
    let heap_before = live();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..32 {
        let limiter = limiter.clone();
        tasks.push(tokio::spawn(async move {
            for n in (worker..KEYS).step_by(32) {
                let _ = limiter.check(&Subject::new(key(n), free)).await;
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let took = start.elapsed();
    let keys_flooded: i64 = redis::cmd("DBSIZE").query_async(&mut info).await?;
    let memory_flooded = redis_memory(
        redis::cmd("INFO")
            .arg("memory")
            .query_async(&mut info)
            .await?,
    );
    let heap_flooded = live();
    println!(
        "redis: {KEYS} keys in {took:.2?}: used_memory {} -> {} ({} bytes a key), DBSIZE \
         {keys_before} -> {keys_flooded}; this process's RSS +{}",
        mib(memory_before),
        mib(memory_flooded),
        (memory_flooded - memory_before) / KEYS as isize,
        mib(heap_flooded - heap_before),
    );
    // Each key expires one window after its last request; Redis removes expired keys on its
    // own, a few seconds after.
    tokio::time::sleep(Duration::from_secs(65)).await;
    let keys_after: i64 = redis::cmd("DBSIZE").query_async(&mut info).await?;
    let memory_after = redis_memory(
        redis::cmd("INFO")
            .arg("memory")
            .query_async(&mut info)
            .await?,
    );
    println!(
        "redis: 65 s later: used_memory {}, DBSIZE {keys_after}",
        mib(memory_after)
    );
    Ok(())
}
