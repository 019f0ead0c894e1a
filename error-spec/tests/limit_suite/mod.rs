//! The limiter's behaviour over real TCP, written once and run against every backend:
//! `tests/limit.rs` runs it in process, `tests/limit_redis.rs` against a real Redis.
//!
//! Time is a [`ManualClock`] that stands still unless a test moves it, so a window's count
//! is exact however slow the machine is.

#![allow(
    dead_code,
    reason = "each test file uses the part of the suite it needs"
)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use error_spec::axum::{ServerConfig, contract_middleware};
use error_spec::limit::{Backend, Limiter, ManualClock, RunSlots, Subject};
use error_spec::{ApiError, TIERS, Tier, tier};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// Clients connected at once; every request still gets its own connection.
const CLIENTS_AT_ONCE: usize = 96;

/// A fresh key prefix, so tests sharing a backend store never see each other's keys.
pub(crate) fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", error_spec::RequestId::mint().as_str())
}

/// What a test can see and steer of a running server.
#[derive(Clone)]
pub(crate) struct Server {
    pub(crate) addr: SocketAddr,
    /// Runs started under an epoch end when it is bumped.
    release: watch::Sender<u64>,
    /// Slow requests wait until this is true.
    slow_open: watch::Sender<bool>,
    /// Runs executing now, and the most seen at once.
    running: Arc<AtomicUsize>,
    most_running: Arc<AtomicUsize>,
}

impl Server {
    /// Ends every run started so far.
    pub(crate) fn release_all(&self) {
        self.release.send_modify(|epoch| *epoch += 1);
    }

    /// Lets every slow request, waiting or future, finish.
    pub(crate) fn open_slow(&self) {
        self.slow_open.send_replace(true);
    }

    pub(crate) fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    pub(crate) fn most_running(&self) -> usize {
        self.most_running.load(Ordering::SeqCst)
    }
}

/// Waits until the epoch moves past `started`.
async fn wait_for_release(mut release: watch::Receiver<u64>, started: u64) {
    let _ = release.wait_for(|epoch| *epoch > started).await;
}

/// Serves the test app with `limiter` on 127.0.0.1 and a free port.
pub(crate) async fn serve<B: Backend>(limiter: Limiter<B>) -> Server {
    let (release, _) = watch::channel(0_u64);
    let (slow_open, _) = watch::channel(false);
    let server = Server {
        addr: "127.0.0.1:0".parse().expect("an address"),
        release,
        slow_open,
        running: Arc::default(),
        most_running: Arc::default(),
    };
    let runs = server.clone();
    let slow = server.clone();
    let app = Router::new()
        .route("/ping", get(|| async { "pong" }))
        .route(
            "/boom",
            get(|| async { Err::<(), _>(ApiError::internal(std::io::Error::other("disk full"))) }),
        )
        .route(
            "/slow",
            get(move || {
                let mut open = slow.slow_open.subscribe();
                async move {
                    let _ = open.wait_for(|open| *open).await;
                    "done"
                }
            }),
        )
        .route(
            "/runs",
            post(move |slots: RunSlots| {
                let server = runs.clone();
                async move {
                    let guard = slots.acquire().await?;
                    let now = server.running.fetch_add(1, Ordering::SeqCst) + 1;
                    server.most_running.fetch_max(now, Ordering::SeqCst);
                    let release = server.release.subscribe();
                    let started = *release.borrow();
                    // The run outlives its request: the answer goes out now, the slot is
                    // held by the spawned task until the test ends the run.
                    tokio::spawn(async move {
                        wait_for_release(release, started).await;
                        server.running.fetch_sub(1, Ordering::SeqCst);
                        drop(guard);
                    });
                    Ok::<_, ApiError>((http::StatusCode::ACCEPTED, "accepted"))
                }
            }),
        )
        .layer(limiter.layer(|request: &http::request::Parts| {
            let key = request.headers.get("x-api-key")?.to_str().ok()?;
            let tier = tier(request.headers.get("x-tier")?.to_str().ok()?)?;
            Some(Subject::new(key, tier))
        }))
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new("https://docs.test/errors"),
            contract_middleware,
        ));
    let listener = TcpListener::bind(server.addr).await.expect("a free port");
    let addr = listener.local_addr().expect("bound");
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server { addr, ..server }
}

/// One answer, as a client reads it off the socket.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: HashMap<String, String>,
    pub(crate) body: serde_json::Value,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    pub(crate) fn number(&self, name: &str) -> u32 {
        self.header(name)
            .unwrap_or_else(|| panic!("no {name} in {self:?}"))
            .parse()
            .unwrap_or_else(|_| panic!("{name} is not a number in {self:?}"))
    }

    /// The checks every answer of a limited request passes, success or error: a request id
    /// and the five rate-limit headers of the key's tier.
    pub(crate) fn assert_headers(&self, tier: &Tier) {
        assert!(self.header("x-request-id").is_some(), "{self:?}");
        assert_eq!(
            self.number("x-ratelimit-limit"),
            tier.requests_per_minute,
            "{self:?}"
        );
        let remaining = self.number("x-ratelimit-remaining");
        assert!(remaining < tier.requests_per_minute, "{self:?}");
        let reset = self.number("x-ratelimit-reset");
        assert!((1..=60).contains(&reset), "{self:?}");
        assert_eq!(
            self.header("ratelimit-policy"),
            Some(format!("\"{}\";q={};w=60", tier.name, tier.requests_per_minute).as_str()),
        );
        assert_eq!(
            self.header("ratelimit"),
            Some(format!("\"{}\";r={remaining};t={reset}", tier.name).as_str()),
        );
    }

    /// An error answer of the contract: its code in the body and the request id in both.
    pub(crate) fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(self.body["error"], code, "{self:?}");
        assert_eq!(
            self.body["request_id"].as_str(),
            self.header("x-request-id"),
            "{self:?}"
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{self:?}"
        );
    }
}

/// Sends one request on its own connection: HTTP/1.1, `Connection: close`, read to the end.
pub(crate) async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    key: &str,
    tier: &str,
) -> Reply {
    let mut stream = TcpStream::connect(addr).await.expect("the server listens");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nX-Api-Key: {key}\r\nX-Tier: {tier}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("an answer");
    parse(&raw)
}

fn parse(raw: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete answer");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers: HashMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    assert!(
        !headers.contains_key("transfer-encoding"),
        "this client reads only sized bodies: {head}"
    );
    let body =
        serde_json::from_str(body).unwrap_or_else(|_| serde_json::Value::String(body.into()));
    Reply {
        status,
        headers,
        body,
    }
}

/// Sends every request at once (at most [`CLIENTS_AT_ONCE`] connected), each on its own
/// connection, and returns every answer.
pub(crate) async fn flood(
    addrs: &[SocketAddr],
    requests: Vec<(&'static str, &'static str, String, &'static str)>,
) -> Vec<Reply> {
    let gate = Arc::new(Semaphore::new(CLIENTS_AT_ONCE));
    let mut clients = JoinSet::new();
    for (i, (method, path, key, tier)) in requests.into_iter().enumerate() {
        let gate = Arc::clone(&gate);
        let addr = addrs[i % addrs.len()];
        clients.spawn(async move {
            let _permit = gate.acquire_owned().await.expect("open");
            send(addr, method, path, &key, tier).await
        });
    }
    let mut replies = Vec::new();
    while let Some(reply) = clients.join_next().await {
        replies.push(reply.expect("the client finished"));
    }
    replies
}

/// The seconds one request takes to come back on `tier`, rounded up: the wait a client
/// over the limit is told.
pub(crate) fn refill_secs(tier: &Tier) -> u32 {
    60_u32.div_ceil(tier.requests_per_minute)
}

/// Many concurrent clients per tier and key, over TCP, some servers sharing one backend:
/// exactly the tier's requests per minute are admitted per key, each with a distinct
/// `remaining`, the rest answered `rate_limit_exceeded` with the real wait; none lost.
pub(crate) async fn tier_limits_hold_under_concurrency(servers: &[Server], clock: &ManualClock) {
    let addrs: Vec<SocketAddr> = servers.iter().map(|server| server.addr).collect();
    const KEYS: usize = 2;
    let over = |tier: &Tier| tier.requests_per_minute as usize / 5 + 3;
    let mut requests = Vec::new();
    let mut keys = Vec::new();
    for tier in TIERS {
        for _ in 0..KEYS {
            let key = unique(tier.name);
            for _ in 0..tier.requests_per_minute as usize + over(tier) {
                requests.push(("GET", "/ping", key.clone(), tier.name));
            }
            keys.push((key, tier));
        }
    }
    let sent = requests.len();
    let replies = flood(&addrs, requests).await;
    assert_eq!(replies.len(), sent, "every request answered");
    // Answers are grouped by tier (the limit header says which); within a tier, each
    // key's `remaining` values are checked below to be each value exactly once per key.
    let mut by_tier: HashMap<u32, Vec<Reply>> = HashMap::new();
    for reply in replies {
        by_tier
            .entry(reply.number("x-ratelimit-limit"))
            .or_default()
            .push(reply);
    }
    for tier in TIERS {
        let replies = &by_tier[&tier.requests_per_minute];
        assert_eq!(
            replies.len(),
            KEYS * (tier.requests_per_minute as usize + over(tier))
        );
        let mut remaining = Vec::new();
        let mut refused = 0;
        for reply in replies {
            reply.assert_headers(tier);
            match reply.status {
                200 => remaining.push(reply.number("x-ratelimit-remaining")),
                429 => {
                    reply.assert_error(429, "rate_limit_exceeded");
                    assert_eq!(reply.number("retry-after"), refill_secs(tier), "{reply:?}");
                    assert_eq!(reply.body["retry_after"], refill_secs(tier), "{reply:?}");
                    assert_eq!(reply.number("x-ratelimit-remaining"), 0, "{reply:?}");
                    refused += 1;
                }
                other => panic!("answer outside the contract: {other} {reply:?}"),
            }
        }
        assert_eq!(
            remaining.len(),
            KEYS * tier.requests_per_minute as usize,
            "exactly the {} tier's limit per key is admitted",
            tier.name
        );
        assert_eq!(refused, KEYS * over(tier));
        // Each admitted request saw its own count: every `remaining` from limit-1 down to
        // 0 appears exactly once per key.
        remaining.sort_unstable();
        let expected: Vec<u32> = (0..tier.requests_per_minute)
            .flat_map(|r| std::iter::repeat_n(r, KEYS))
            .collect();
        assert_eq!(remaining, expected, "{} tier", tier.name);
    }
    // One refill later, each key gets exactly one more request.
    clock.advance(Duration::from_secs(60));
    for (key, tier) in &keys {
        let reply = send(addrs[0], "GET", "/ping", key, tier.name).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_eq!(
            reply.number("x-ratelimit-remaining"),
            tier.requests_per_minute - 1
        );
    }
}

/// `Retry-After` is the real wait: the time until the next request is admitted, counting
/// down as the clock moves.
pub(crate) async fn retry_after_is_the_real_wait(server: &Server, clock: &ManualClock) {
    let free = tier("free").expect("the free tier");
    let key = unique("wait");
    for n in 0..free.requests_per_minute {
        let reply = send(server.addr, "GET", "/ping", &key, "free").await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_eq!(
            reply.number("x-ratelimit-remaining"),
            free.requests_per_minute - 1 - n
        );
    }
    let refused = send(server.addr, "GET", "/ping", &key, "free").await;
    refused.assert_error(429, "rate_limit_exceeded");
    let wait = refused.number("retry-after");
    assert_eq!(wait, refill_secs(free));
    clock.advance(Duration::from_secs(u64::from(wait - 1)));
    let still = send(server.addr, "GET", "/ping", &key, "free").await;
    still.assert_error(429, "rate_limit_exceeded");
    assert_eq!(
        still.number("retry-after"),
        1,
        "one second of the wait is left"
    );
    clock.advance(Duration::from_secs(1));
    let admitted = send(server.addr, "GET", "/ping", &key, "free").await;
    assert_eq!(
        admitted.status, 200,
        "admitted once the wait is over: {admitted:?}"
    );
    assert_eq!(admitted.number("x-ratelimit-remaining"), 0);
}

/// Keys are isolated: one key over its limit leaves another key's untouched.
pub(crate) async fn keys_are_isolated(server: &Server) {
    let (a, b) = (unique("a"), unique("b"));
    for _ in 0..=10 {
        send(server.addr, "GET", "/ping", &a, "free").await;
    }
    let refused = send(server.addr, "GET", "/ping", &a, "free").await;
    assert_eq!(refused.status, 429);
    let other = send(server.addr, "GET", "/ping", &b, "free").await;
    assert_eq!(other.status, 200);
    assert_eq!(other.number("x-ratelimit-remaining"), 9);
}

/// Every answer carries the rate-limit headers: success, the router's 404, a handler's
/// 500, and the limiter's own 429.
pub(crate) async fn every_answer_carries_the_headers(server: &Server) {
    let pro = tier("pro").expect("the pro tier");
    let key = unique("headers");
    let ok = send(server.addr, "GET", "/ping", &key, "pro").await;
    assert_eq!(ok.status, 200);
    ok.assert_headers(pro);
    let missing = send(server.addr, "GET", "/nowhere", &key, "pro").await;
    missing.assert_error(404, "not_found");
    missing.assert_headers(pro);
    let boom = send(server.addr, "GET", "/boom", &key, "pro").await;
    boom.assert_error(500, "internal_error");
    boom.assert_headers(pro);
    assert!(
        !boom.body.to_string().contains("disk full"),
        "the cause stays out of the body"
    );
    assert_eq!(ok.number("x-ratelimit-remaining"), 59);
    assert_eq!(
        boom.number("x-ratelimit-remaining"),
        57,
        "every request counts"
    );
}

/// Concurrent runs per key: exactly the tier's slots are held at once, by runs that
/// outlive their requests; the rest are refused; ending the runs frees the slots.
pub(crate) async fn concurrent_runs_hold_exactly(servers: &[Server]) {
    let addrs: Vec<SocketAddr> = servers.iter().map(|server| server.addr).collect();
    for tier in TIERS {
        let key = unique("runs");
        let extra = 3;
        let requests = (0..tier.concurrent_runs as usize + extra)
            .map(|_| ("POST", "/runs", key.clone(), tier.name))
            .collect();
        let replies = flood(&addrs, requests).await;
        let accepted = replies.iter().filter(|reply| reply.status == 202).count();
        assert_eq!(
            accepted, tier.concurrent_runs as usize,
            "{} tier",
            tier.name
        );
        for reply in &replies {
            reply.assert_headers(tier);
            if reply.status != 202 {
                reply.assert_error(429, "rate_limit_exceeded");
                assert!(reply.number("retry-after") >= 1);
            }
        }
        let running: usize = servers.iter().map(Server::running).sum();
        assert_eq!(
            running, tier.concurrent_runs as usize,
            "the runs still hold their slots"
        );
        for server in servers {
            server.release_all();
        }
        // A released slot is free again once the run's task dropped its guard; the Redis
        // backend removes the lease in a task of its own, so poll, boundedly.
        let mut freed = false;
        for _ in 0..100 {
            let reply = send(addrs[0], "POST", "/runs", &key, tier.name).await;
            if reply.status == 202 {
                freed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(
            freed,
            "ending the runs frees their slots ({} tier)",
            tier.name
        );
        for server in servers {
            server.release_all();
        }
    }
    let most: usize = servers.iter().map(Server::most_running).max().unwrap_or(0);
    assert!(most <= TIERS[2].concurrent_runs as usize);
}

/// Past the global in-flight cap, `service_unavailable` with `Retry-After` in 30-60 s;
/// below it again, requests pass.
pub(crate) async fn saturation_answers_service_unavailable(server: &Server, max_in_flight: usize) {
    let key = unique("saturation");
    let mut slow = JoinSet::new();
    for _ in 0..max_in_flight {
        let (addr, key) = (server.addr, key.clone());
        slow.spawn(async move { send(addr, "GET", "/slow", &key, "enterprise").await });
    }
    // Bounded wait until the slow requests are inside the server.
    let mut refused = None;
    for _ in 0..200 {
        let reply = send(server.addr, "GET", "/ping", &key, "enterprise").await;
        if reply.status == 503 {
            refused = Some(reply);
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let refused = refused.expect("the server saturates");
    refused.assert_error(503, "service_unavailable");
    let wait = refused.number("retry-after");
    assert!((30..=60).contains(&wait), "{refused:?}");
    refused.assert_headers(tier("enterprise").expect("the enterprise tier"));
    server.open_slow();
    while let Some(reply) = slow.join_next().await {
        assert_eq!(reply.expect("finished").status, 200);
    }
    let after = send(server.addr, "GET", "/ping", &key, "enterprise").await;
    assert_eq!(after.status, 200, "{after:?}");
}
