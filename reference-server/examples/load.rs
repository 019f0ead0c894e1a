//! The load run: many concurrent clients against the reference server for a fixed time, over
//! TCP on 127.0.0.1. Every response must be a success, or an error whose status, headers and
//! body agree with the contract; every request must get its own response (the request ids
//! are echoed), and every run created must be found again. Prints throughput and latency
//! percentiles; exits non-zero on any violation.
//!
//! `cargo xtask load [--clients N] [--seconds S]`, or directly
//! `cargo run --release -p error-spec-reference-server --example load -- --clients 64 --seconds 10`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use error_spec::headers::{self, Scope};
use error_spec::{ResponseError, parse_error_response};
use error_spec_reference_server::{Config, DEMO_KEYS};
use http::StatusCode;

/// What one client saw.
#[derive(Debug, Default)]
struct Tally {
    latencies: Vec<Duration>,
    by_outcome: BTreeMap<String, u64>,
    violations: Vec<String>,
    transport_errors: u64,
    /// Runs this client created, to look up at the end.
    created: Vec<(&'static str, String)>,
}

/// The requests a client cycles through: reads, runs, and errors of several kinds.
#[derive(Debug, Clone, Copy)]
enum Step {
    Verify,
    CreateRun,
    GetMissing,
    Upstream,
    NoKey,
}

const STEPS: [Step; 8] = [
    Step::Verify,
    Step::CreateRun,
    Step::Verify,
    Step::CreateRun,
    Step::GetMissing,
    Step::Upstream,
    Step::CreateRun,
    Step::NoKey,
];

fn main() -> std::process::ExitCode {
    let mut clients = 64usize;
    let mut seconds = 10u64;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok());
        match (flag.as_str(), value) {
            ("--clients", Some(n)) if n > 0 => clients = usize::try_from(n).unwrap_or(64),
            ("--seconds", Some(n)) if (1..=600).contains(&n) => seconds = n,
            _ => {
                eprintln!("usage: load [--clients N] [--seconds 1..=600]");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let ok = runtime.block_on(run(clients, Duration::from_secs(seconds)));
    if ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

async fn run(clients: usize, duration: Duration) -> bool {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    // The tiers' real limits: past each key's burst, most answers are `rate_limit_exceeded`,
    // which the run checks like any other answer.
    let config = Config::default().with_pool_size(256);
    tokio::spawn(async move { error_spec_reference_server::serve(listener, config).await });

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .expect("a client");
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|id| {
            let http = http.clone();
            let base = base.clone();
            let stop = stop.clone();
            tokio::spawn(async move { client(id, &http, &base, &stop).await })
        })
        .collect();
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let mut total = Tally::default();
    for task in tasks {
        let tally = task.await.expect("a client task ends");
        total.latencies.extend(tally.latencies);
        for (outcome, n) in tally.by_outcome {
            *total.by_outcome.entry(outcome).or_default() += n;
        }
        total.violations.extend(tally.violations);
        total.transport_errors += tally.transport_errors;
        total.created.extend(tally.created);
    }
    let elapsed = started.elapsed();

    // Nothing lost: every run answered 200 is there to read.
    let mut missing = 0u64;
    for (key, run_id) in &total.created {
        let response = http
            .get(format!("{base}/runs/{run_id}"))
            .bearer_auth(key)
            .send()
            .await;
        // A later read can be rate limited; only a definite "not there" counts as lost.
        if let Ok(response) = response
            && matches!(response.status(), StatusCode::NOT_FOUND | StatusCode::GONE)
        {
            missing += 1;
        }
    }

    let answered = total.latencies.len();
    total.latencies.sort_unstable();
    let pct = |p: f64| {
        let index = ((answered as f64 * p).ceil() as usize).clamp(1, answered.max(1)) - 1;
        total.latencies.get(index).copied().unwrap_or_default()
    };
    println!(
        "{clients} clients, {:.1} s: {answered} responses, {:.0} per second",
        elapsed.as_secs_f64(),
        answered as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        pct(1.0).as_secs_f64() * 1e3
    );
    for (outcome, n) in &total.by_outcome {
        println!("  {outcome}: {n}");
    }
    println!(
        "runs created: {}, found again: {}",
        total.created.len(),
        total.created.len() as u64 - missing
    );
    println!(
        "transport errors: {}, contract violations: {}",
        total.transport_errors,
        total.violations.len()
    );
    for violation in total.violations.iter().take(20) {
        println!("  {violation}");
    }
    total.violations.is_empty() && total.transport_errors == 0 && missing == 0
}

async fn client(id: usize, http: &reqwest::Client, base: &str, stop: &AtomicBool) -> Tally {
    let mut tally = Tally::default();
    // Clients spread over the tiers' keys; most on enterprise, whose limit is the highest.
    let key = match id % 8 {
        0 => DEMO_KEYS[1].key,
        1 => DEMO_KEYS[0].key,
        _ => DEMO_KEYS[2].key,
    };
    let mut n = 0usize;
    while !stop.load(Ordering::Relaxed) {
        let step = STEPS[(n + id) % STEPS.len()];
        let request_id = format!("load-{id}-{n}");
        n += 1;
        let request = match step {
            Step::Verify => http.get(format!("{base}/verify")).bearer_auth(key),
            Step::CreateRun => http
                .post(format!("{base}/runs"))
                .bearer_auth(key)
                .header("content-type", "application/json")
                .body(format!(r#"{{"prompt":"load {request_id}"}}"#)),
            Step::GetMissing => http
                .get(format!("{base}/runs/run_missing"))
                .bearer_auth(key),
            Step::Upstream => http
                .post(format!("{base}/runs"))
                .bearer_auth(key)
                .header("content-type", "application/json")
                .body(r#"{"prompt":"x","model":"legacy-0"}"#),
            Step::NoKey => http.get(format!("{base}/verify")),
        };
        let sent = Instant::now();
        let response = match request.header("x-request-id", &request_id).send().await {
            Ok(response) => response,
            Err(err) => {
                tally.transport_errors += 1;
                tally.violations.push(format!("{request_id}: {err}"));
                continue;
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(err) => {
                tally.transport_errors += 1;
                tally.violations.push(format!("{request_id}: body: {err}"));
                continue;
            }
        };
        tally.latencies.push(sent.elapsed());
        let outcome = check(
            &request_id,
            status,
            &headers,
            &body,
            !matches!(step, Step::NoKey),
        );
        match outcome {
            Ok(outcome) => {
                if matches!(step, Step::CreateRun) && status == StatusCode::OK {
                    let run: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                    if let Some(run_id) = run["run_id"].as_str() {
                        tally.created.push((key, run_id.to_owned()));
                    }
                }
                *tally.by_outcome.entry(outcome).or_default() += 1;
            }
            Err(violation) => tally.violations.push(format!("{request_id}: {violation}")),
        }
    }
    tally
}

/// The response's outcome (`200`, `429 rate_limit_exceeded`, ...), or what is wrong with it.
fn check(
    request_id: &str,
    status: StatusCode,
    headers: &http::HeaderMap,
    body: &[u8],
    keyed: bool,
) -> Result<String, String> {
    let echoed = headers
        .get(headers::X_REQUEST_ID)
        .and_then(|value| value.to_str().ok());
    if echoed != Some(request_id) {
        return Err(format!(
            "X-Request-Id is {echoed:?}: another request's response"
        ));
    }
    if keyed && !headers.contains_key(headers::X_RATELIMIT_LIMIT) {
        return Err("no rate-limit headers on a keyed request".to_owned());
    }
    if status.is_success() {
        return Ok(status.as_u16().to_string());
    }
    let content_type = headers.get(http::header::CONTENT_TYPE);
    if content_type.is_none_or(|value| value != error_spec::CONTENT_TYPE_PROBLEM_JSON) {
        return Err(format!("{status} with content type {content_type:?}"));
    }
    let parsed = match parse_error_response(status, headers, body) {
        ResponseError::Api(parsed) => parsed,
        ResponseError::UnexpectedBody(other) => {
            return Err(format!("not a contract body: {other}"));
        }
    };
    let Some(code) = parsed.code().known() else {
        return Err(format!("unknown code {}", parsed.code()));
    };
    if code.status() != status {
        return Err(format!("{code} sent with {status}"));
    }
    if parsed.body().request_id() != Some(request_id) {
        return Err("the body's request_id is not the header's".to_owned());
    }
    if headers.contains_key(headers::RETRY_AFTER) != Scope::RetryAfter.carried_with(code) {
        return Err(format!(
            "{code}: Retry-After present or missing against the contract"
        ));
    }
    Ok(format!("{} {code}", status.as_u16()))
}
