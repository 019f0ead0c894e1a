//! The server stack's per-request cost: `contract_middleware` and the tier limiter in front
//! of an axum handler, with tracing off and on, against bare axum; and the limiter's check
//! against governor's keyed limiter alone. Each group has an `error_spec` and a `baseline`
//! function, measured in the same run.

use std::future::Future;
use std::hint::black_box;
use std::num::NonZeroU32;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::response::IntoResponse;
use axum::routing::get;
use criterion::{Criterion, criterion_group, criterion_main};
use error_spec::axum::{ServerConfig, contract_middleware};
use error_spec::limit::{Limiter, ManualClock, MemoryBackend, Subject};
use error_spec::{ApiError, tier};
use governor::{Quota, RateLimiter};
use http::{Request, StatusCode};
use tower::ServiceExt;

/// The enterprise tier's refill: advancing the clock by this per request keeps one key
/// admitted forever, so every request measures the admitted path.
const REFILL: Duration = Duration::from_millis(100);

/// A storage error, as a handler would meet one.
fn cause() -> std::io::Error {
    std::io::Error::other("open /var/lib/runs/7.json: permission denied")
}

/// The handlers, the same on both sides.
fn routes() -> Router {
    Router::new().route("/ok", get(|| async { "ok" }))
}

/// error-spec's stack: the limiter inside `contract_middleware`.
fn stack(routes: Router, clock: &ManualClock) -> Router {
    let limiter = Limiter::with_backend(MemoryBackend::with_clock(clock.clone()));
    routes
        .layer(limiter.layer(|request: &http::request::Parts| {
            let key = request.headers.get("x-api-key")?.to_str().ok()?;
            Some(Subject::new(key, tier("enterprise")?))
        }))
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new("https://docs.example.com/errors"),
            contract_middleware,
        ))
}

fn request(path: &str) -> Request<Body> {
    Request::get(path)
        .header("x-api-key", "key_live_1")
        .header("x-request-id", "req_1")
        .body(Body::empty())
        .expect("a valid request")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
}

/// A subscriber that formats every event and throws the text away: the cost of logging
/// without the cost of a disk.
fn formatting_subscriber() -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_writer(std::io::sink)
        .with_ansi(false)
        .finish()
}

/// One request answered 200, through the whole stack or bare axum.
fn success(c: &mut Criterion, group: &str, traced: bool) {
    let rt = runtime();
    let clock = ManualClock::default();
    let ours = stack(routes(), &clock);
    let bare = routes();
    let mut group = c.benchmark_group(group);
    let run = |f: &mut dyn FnMut()| {
        if traced {
            tracing::subscriber::with_default(formatting_subscriber(), f);
        } else {
            f();
        }
    };
    group.bench_function("error_spec", |b| {
        run(&mut || {
            b.iter(|| {
                clock.advance(REFILL);
                let response = rt.block_on(ours.clone().oneshot(request("/ok")));
                black_box(response.expect("infallible"));
            })
        })
    });
    group.bench_function("baseline", |b| {
        run(&mut || {
            b.iter(|| {
                let response = rt.block_on(bare.clone().oneshot(request("/ok")));
                black_box(response.expect("infallible"));
            })
        })
    });
    group.finish();
}

fn stack_success(c: &mut Criterion) {
    success(c, "stack_success", false);
}

fn stack_success_traced(c: &mut Criterion) {
    success(c, "stack_success_traced", true);
}

/// One request answered 500 with a cause, logged: error-spec's stack logs it in
/// `contract_middleware`; the baseline handler logs the cause itself and builds its JSON
/// body by hand, as a server without the crate would.
fn stack_error_traced(c: &mut Criterion) {
    let rt = runtime();
    let clock = ManualClock::default();
    let ours = stack(
        Router::new().route(
            "/boom",
            get(|| async { Err::<(), _>(ApiError::internal(cause()).with_run_id("run_7")) }),
        ),
        &clock,
    );
    let bare = Router::new().route(
        "/boom",
        get(|request: axum::extract::Request| async move {
            let request_id = request
                .headers()
                .get("x-request-id")
                .and_then(|id| id.to_str().ok())
                .unwrap_or("req_minted")
                .to_owned();
            let err = cause();
            tracing::error!(request_id, error.type = "internal_error", exception.message = %err, "error response");
            let body = serde_json::json!({
                "error": "internal_error",
                "message": "Something went wrong on our side.",
                "request_id": request_id,
                "run_id": "run_7",
                "doc_url": "https://docs.example.com/errors#internal_error",
            });
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [("x-request-id", request_id)],
                axum::Json(body),
            )
                .into_response()
        }),
    );
    let mut group = c.benchmark_group("stack_error_traced");
    group.bench_function("error_spec", |b| {
        tracing::subscriber::with_default(formatting_subscriber(), || {
            b.iter(|| {
                clock.advance(REFILL);
                let response = rt.block_on(ours.clone().oneshot(request("/boom")));
                black_box(response.expect("infallible"));
            })
        })
    });
    group.bench_function("baseline", |b| {
        tracing::subscriber::with_default(formatting_subscriber(), || {
            b.iter(|| {
                let response = rt.block_on(bare.clone().oneshot(request("/boom")));
                black_box(response.expect("infallible"));
            })
        })
    });
    group.finish();
}

/// The limiter's check for one admitted request against governor's keyed limiter alone.
fn limiter_check(c: &mut Criterion) {
    let enterprise = tier("enterprise").expect("the enterprise tier");
    let clock = ManualClock::default();
    let limiter = Limiter::with_backend(MemoryBackend::with_clock(clock.clone()));
    let subject = Subject::new("key_live_1", enterprise);
    let fake = governor::clock::FakeRelativeClock::default();
    let quota = Quota::per_minute(NonZeroU32::new(enterprise.requests_per_minute).expect("> 0"));
    // With the snapshot a server needs for `X-RateLimit-Remaining`.
    let governor = RateLimiter::dashmap_with_clock(quota, fake.clone())
        .with_middleware::<governor::middleware::StateInformationMiddleware>();
    let mut group = c.benchmark_group("limiter_check");
    // The in-process check never waits: one poll completes it, with no runtime around it.
    let mut cx = Context::from_waker(Waker::noop());
    group.bench_function("error_spec", |b| {
        b.iter(|| {
            clock.advance(REFILL);
            let check = pin!(limiter.check(black_box(&subject)));
            let Poll::Ready(state) = check.poll(&mut cx) else {
                panic!("the in-process check completes in one poll");
            };
            black_box(state.expect("admitted"));
        })
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            fake.advance(REFILL);
            // What a server writes by hand around governor: the key as an owned string.
            let key = black_box("key_live_1").to_owned();
            let snapshot = governor.check_key(&key).expect("admitted");
            black_box(snapshot.remaining_burst_capacity());
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    stack_success,
    stack_success_traced,
    stack_error_traced,
    limiter_check
);
criterion_main!(benches);
