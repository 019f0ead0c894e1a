//! The `redis` feature: the shared suite against a real `redis-server`, two server
//! instances holding one limit between them, leases that expire when a replica dies, and a
//! Redis outage answered by the chosen policy, never by an unlimited pass.
//!
//! The tests that need Redis read its URL from `ERROR_SPEC_REDIS_URL` (`.ci/redis` starts
//! one and CI sets it) and skip with a notice when it is unset.
#![cfg(feature = "redis")]

mod limit_suite;

use std::time::Duration;

use error_spec::limit::{Limiter, ManualClock, OutagePolicy, RedisBackend, Subject};
use error_spec::tier;
use limit_suite::*;

/// The Redis the tests use, or `None` with a notice.
fn redis_url() -> Option<String> {
    let url = std::env::var("ERROR_SPEC_REDIS_URL").ok();
    if url.is_none() {
        eprintln!("skipped: ERROR_SPEC_REDIS_URL is unset (`.ci/redis` starts a redis-server)");
    }
    url
}

/// A backend on the test Redis with its own key prefix and `clock`.
fn backend(url: &str, prefix: &str, clock: &ManualClock) -> RedisBackend {
    RedisBackend::open(url)
        .expect("a valid URL")
        .with_prefix(prefix)
        .with_clock(clock.clone())
}

fn limiter(url: &str, clock: &ManualClock) -> Limiter<RedisBackend> {
    Limiter::with_backend(backend(url, &unique("test"), clock))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tier_limits_hold_under_concurrency_on_redis() {
    let Some(url) = redis_url() else { return };
    let clock = ManualClock::default();
    let server = serve(limiter(&url, &clock)).await;
    tier_limits_hold_under_concurrency(&[server], &clock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_is_the_real_wait_on_redis() {
    let Some(url) = redis_url() else { return };
    let clock = ManualClock::default();
    retry_after_is_the_real_wait(&serve(limiter(&url, &clock)).await, &clock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_isolated_on_redis() {
    let Some(url) = redis_url() else { return };
    keys_are_isolated(&serve(limiter(&url, &ManualClock::default())).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_the_headers_on_redis() {
    let Some(url) = redis_url() else { return };
    every_answer_carries_the_headers(&serve(limiter(&url, &ManualClock::default())).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_runs_hold_exactly_on_redis() {
    let Some(url) = redis_url() else { return };
    concurrent_runs_hold_exactly(&[serve(limiter(&url, &ManualClock::default())).await]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saturation_answers_service_unavailable_on_redis() {
    let Some(url) = redis_url() else { return };
    let server = serve(limiter(&url, &ManualClock::default()).with_max_in_flight(3)).await;
    saturation_answers_service_unavailable(&server, 3).await;
}

/// Two server instances, each with its own backend and connection, on one Redis: clients
/// spread over both see one tier limit, not two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_sharing_redis_hold_one_limit() {
    let Some(url) = redis_url() else { return };
    let clock = ManualClock::default();
    let prefix = unique("shared");
    let first = serve(Limiter::with_backend(backend(&url, &prefix, &clock))).await;
    let second = serve(Limiter::with_backend(backend(&url, &prefix, &clock))).await;
    tier_limits_hold_under_concurrency(&[first.clone(), second.clone()], &clock).await;
    concurrent_runs_hold_exactly(&[first, second]).await;
}

/// A replica that dies holding runs frees their slots when the leases expire.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_replicas_runs_expire() {
    let Some(url) = redis_url() else { return };
    let clock = ManualClock::default();
    let prefix = unique("leases");
    let free = tier("free").expect("the free tier");
    let lease = Duration::from_secs(10);
    let replica = {
        let (url, prefix, clock) = (url.clone(), prefix.clone(), clock.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                let limiter =
                    Limiter::with_backend(backend(&url, &prefix, &clock).with_lease(lease));
                let subject = Subject::new("runner", free);
                for _ in 0..free.concurrent_runs {
                    // The replica dies mid-run: its guards are never dropped.
                    std::mem::forget(limiter.acquire_run(&subject).await.expect("a slot"));
                }
            });
            // Dropping the runtime ends its lease renewals, as the replica's death would.
        })
    };
    replica.join().expect("the replica ran");
    let survivor = Limiter::with_backend(backend(&url, &prefix, &clock).with_lease(lease));
    let subject = Subject::new("runner", free);
    let refused = survivor
        .acquire_run(&subject)
        .await
        .expect_err("the dead runs hold");
    assert_eq!(refused.code(), error_spec::ErrorCode::RateLimitExceeded);
    clock.advance(lease + Duration::from_millis(1));
    let _slot = survivor
        .acquire_run(&subject)
        .await
        .expect("the leases expired");
}

/// A live guard renews its lease: runs longer than the lease keep their slots.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_run_keeps_its_lease() {
    let Some(url) = redis_url() else { return };
    let free = tier("free").expect("the free tier");
    let prefix = unique("renew");
    // Redis's own clock here: renewal runs on real time.
    let open = || {
        RedisBackend::open(&url)
            .expect("a valid URL")
            .with_prefix(prefix.clone())
            .with_lease(Duration::from_millis(600))
    };
    let (a, b) = (Limiter::with_backend(open()), Limiter::with_backend(open()));
    let subject = Subject::new("runner", free);
    let held = [
        a.acquire_run(&subject).await.expect("a slot"),
        a.acquire_run(&subject).await.expect("a slot"),
    ];
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        b.acquire_run(&subject).await.is_err(),
        "two leases later, still held"
    );
    drop(held);
    let mut freed = false;
    for _ in 0..50 {
        if b.acquire_run(&subject).await.is_ok() {
            freed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(freed, "dropped guards free their slots");
}

/// Redis unreachable, default policy: `service_unavailable` with `Retry-After` in the
/// contract's 30-60 s, for requests and runs alike. Needs no Redis.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_outage_answers_service_unavailable() {
    let unreachable = RedisBackend::open("redis://127.0.0.1:1/").expect("a valid URL");
    let server = serve(Limiter::with_backend(unreachable)).await;
    for path in ["/ping", "/runs"] {
        let method = if path == "/runs" { "POST" } else { "GET" };
        let reply = send(server.addr, method, path, "key", "free").await;
        reply.assert_error(503, "service_unavailable");
        let wait = reply.number("retry-after");
        assert!((30..=60).contains(&wait), "{reply:?}");
    }
    assert_eq!(server.running(), 0, "no run started without a slot");
}

/// Redis unreachable, `LocalFallback`: the tiers still hold, per process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_outage_falls_back_to_per_process_limits() {
    let clock = ManualClock::default();
    let unreachable = RedisBackend::open("redis://127.0.0.1:1/")
        .expect("a valid URL")
        .with_clock(clock.clone())
        .with_outage_policy(OutagePolicy::LocalFallback);
    let server = serve(Limiter::with_backend(unreachable)).await;
    let free = tier("free").expect("the free tier");
    for _ in 0..free.requests_per_minute {
        let reply = send(server.addr, "GET", "/ping", "key", "free").await;
        assert_eq!(reply.status, 200, "{reply:?}");
        reply.assert_headers(free);
    }
    let refused = send(server.addr, "GET", "/ping", "key", "free").await;
    refused.assert_error(429, "rate_limit_exceeded");
    assert_eq!(refused.number("retry-after"), refill_secs(free));
}

/// 100,000 distinct keys through the Redis limiter: each leaves one key in Redis, and every
/// one of them expires by itself within a window (Redis evicts it; no replica has to). A
/// backend that wrote a key without an expiry, or one that outlives the window, fails here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_100_000_keys_leaves_only_keys_that_expire_within_the_window() {
    let Some(url) = redis_url() else { return };
    const KEYS: usize = 100_000;
    const WORKERS: usize = 32;
    let prefix = unique("flood");
    let limiter = Limiter::with_backend(
        RedisBackend::open(&url)
            .expect("a valid URL")
            .with_prefix(prefix.clone()),
    );
    let free = tier("free").expect("the free tier");
    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                for n in (worker..KEYS).step_by(WORKERS) {
                    let subject = Subject::new(format!("sk_live_flood_{n:012}"), free);
                    limiter.check(&subject).await.expect("admitted");
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("the worker ran");
    }
    let client = redis::Client::open(url.as_str()).expect("a valid URL");
    let mut redis = client
        .get_multiplexed_async_connection()
        .await
        .expect("Redis answers");
    let mut keys: Vec<String> = Vec::new();
    let mut cursor = 0u64;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}*"))
            .arg("COUNT")
            .arg(10_000)
            .query_async(&mut redis)
            .await
            .expect("SCAN");
        keys.extend(batch);
        if next == 0 {
            break;
        }
        cursor = next;
    }
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), KEYS, "one Redis key per API key");
    let window_ms = 60_000;
    for chunk in keys.chunks(5_000) {
        let mut pipe = redis::pipe();
        for key in chunk {
            pipe.cmd("PTTL").arg(key);
        }
        let ttls: Vec<i64> = pipe.query_async(&mut redis).await.expect("PTTL");
        for (key, ttl) in chunk.iter().zip(ttls) {
            assert!(
                (1..=window_ms).contains(&ttl),
                "{key} expires within the window, not {ttl} ms (-1: never)"
            );
        }
    }
}
