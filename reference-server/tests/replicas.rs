//! Replicas: two reference-server processes on one `redis-server` (`--redis-url`) hold one
//! tier limit and one set of run slots between them; with Redis killed they answer by the
//! outage policy (`service_unavailable` with `Retry-After`, nothing admitted; or, with
//! `--on-redis-outage local-fallback`, at most the tier per replica); after Redis restarts
//! they admit again.
//!
//! The test starts its own `redis-server` on a free port (it must kill and restart it), so
//! it needs the binary on `PATH`. Without it the test skips with a notice, except in CI:
//! when `ERROR_SPEC_REDIS_URL` is set (`.ci/redis` ran and installed `redis-server`), a
//! missing binary fails the test.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::process::Server;
use common::{ENTERPRISE, FREE, PRO, client};
use serde_json::json;

/// A `redis-server` child on `port`, keeping nothing on disk.
struct Redis {
    child: Child,
    port: u16,
}

impl Redis {
    fn start(port: u16) -> Redis {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        let redis = Redis { child, port };
        let start = Instant::now();
        while !redis.pong() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "redis-server answers PING"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        redis
    }

    fn pong(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let mut reply = [0u8; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut reply).is_ok()
            && &reply == b"+PONG\r\n"
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn kill(mut self) -> u16 {
        self.child.kill().expect("redis-server killed");
        self.child.wait().expect("reaped");
        self.port
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `redis-server` can run here; `false` with a notice, or a failure in CI.
fn redis_server_available() -> bool {
    let found = Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        assert!(
            std::env::var_os("ERROR_SPEC_REDIS_URL").is_none(),
            "redis-server is not on PATH, but ERROR_SPEC_REDIS_URL is set: `.ci/redis` installs it"
        );
        eprintln!("skipped: redis-server is not on PATH (`.ci/redis` installs it)");
    }
    found
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// Status and `Retry-After` of `GET /verify` with `key` on `base`.
async fn verify(base: &str, key: &str) -> (u16, Option<u64>) {
    let response = client()
        .get(format!("{base}/verify"))
        .bearer_auth(key)
        .send()
        .await
        .expect("the replica answers");
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok()?.parse().ok());
    (response.status().as_u16(), retry_after)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_redis_share_the_limit_through_an_outage() {
    if !redis_server_available() {
        return;
    }
    let redis = Redis::start(free_port());
    let url = redis.url();
    let a = Server::start(&["--redis-url", &url], &[]);
    // The other replica takes the URL from the environment, as a deployment would.
    let b = Server::start(&[], &[("REFERENCE_SERVER_REDIS_URL", &url)]);
    let fallback = Server::start(
        &["--redis-url", &url, "--on-redis-outage", "local-fallback"],
        &[],
    );
    let replicas = [a.base.as_str(), b.base.as_str()];

    // One limit: 15 requests of the free key (10 a minute) spread over both replicas.
    let mut admitted = 0;
    for i in 0..15 {
        let (status, _) = verify(replicas[i % 2], FREE).await;
        assert!(status == 200 || status == 429, "{status}");
        admitted += usize::from(status == 200);
    }
    assert_eq!(
        admitted, 10,
        "the replicas admit the free tier once between them"
    );

    // One set of run slots: 12 concurrent runs of the pro key (10 at once).
    let runs: Vec<_> = (0..12)
        .map(|i| {
            let request = client()
                .post(format!("{}/runs", replicas[i % 2]))
                .bearer_auth(PRO)
                .header("content-type", "application/json")
                .body(json!({"prompt": "hi", "work_ms": 1500}).to_string());
            tokio::spawn(async move { request.send().await.expect("answers").status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for run in runs {
        statuses.push(run.await.expect("the run's task").as_u16());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [[200; 10].as_slice(), &[429; 2]].concat());

    // Redis dies: every answer is the outage answer, none admitted.
    let port = redis.kill();
    for i in 0..30 {
        let (status, retry_after) = verify(replicas[i % 2], ENTERPRISE).await;
        assert_eq!(status, 503, "nothing is admitted while Redis is down");
        let wait = retry_after.expect("a 503 carries Retry-After");
        assert!((30..=60).contains(&wait), "Retry-After {wait} in 30-60 s");
    }
    // The fallback replica enforces the tier on its own: 10 of 15 for the free key.
    let mut admitted = 0;
    for _ in 0..15 {
        let (status, _) = verify(&fallback.base, FREE).await;
        assert!(status == 200 || status == 429, "{status}");
        admitted += usize::from(status == 200);
    }
    assert_eq!(
        admitted, 10,
        "the fallback admits at most the tier, never unlimited"
    );

    // Redis is back (empty, on the same port): both replicas admit again.
    let _redis = Redis::start(port);
    for base in replicas {
        let start = Instant::now();
        loop {
            let (status, _) = verify(base, ENTERPRISE).await;
            if status == 200 {
                break;
            }
            assert_eq!(status, 503);
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{base} admits again within 10 s of Redis's restart"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
