//! The three servers the stack benches compare, with the same handlers: error-spec's stack,
//! the peer stack ([`crate::peer`]) and bare axum; and the requests of each path.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Extension;
use axum::routing::get;
use error_spec::axum::{ServerConfig, contract_middleware};
use error_spec::limit::{Limiter, ManualClock, MemoryBackend, Subject};
use error_spec::{ApiError, tier};
use governor::clock::FakeRelativeClock;
use http::{Request, StatusCode};

use crate::peer::{self, DOC_BASE, PeerError};

/// The enterprise tier's refill: advancing the clocks by this per request keeps one key
/// admitted forever, so every request of the success and error paths is admitted.
pub const REFILL: Duration = Duration::from_millis(100);

/// The path a request takes through a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// `GET /ok`, answered 200 `ok`.
    Success,
    /// `GET /boom`, a handler failing with a storage error: 500 `internal_error`, logged
    /// with its cause.
    Error,
    /// `GET /ok` with a free-tier key whose minute is spent: 429 `rate_limit_exceeded`.
    Refused,
}

impl Path {
    /// Every path.
    pub const ALL: [Path; 3] = [Path::Success, Path::Error, Path::Refused];

    /// The path's name in benchmark ids and tables.
    pub fn name(self) -> &'static str {
        match self {
            Path::Success => "success",
            Path::Error => "error",
            Path::Refused => "refused",
        }
    }

    /// The request this path sends: a safe client id, and an API key.
    pub fn request(self) -> Request<Body> {
        let (uri, key) = match self {
            Path::Success => ("/ok", "key_live_1"),
            Path::Error => ("/boom", "key_live_1"),
            Path::Refused => ("/ok", "key_free_spent"),
        };
        Request::get(uri)
            .header("x-api-key", key)
            .header("x-request-id", "req_1")
            .body(Body::empty())
            .expect("a valid request")
    }
}

/// A storage error, as a handler would meet one.
pub fn cause() -> std::io::Error {
    std::io::Error::other("open /var/lib/runs/7.json: permission denied")
}

/// error-spec's stack: the limiter inside `contract_middleware`, the handler returning
/// `ApiError`.
pub fn error_spec(clock: &ManualClock) -> Router {
    let limiter = Limiter::with_backend(MemoryBackend::with_clock(clock.clone()));
    Router::new()
        .route("/ok", get(|| async { "ok" }))
        .route(
            "/boom",
            get(|| async { Err::<(), _>(ApiError::internal(cause()).with_run_id("run_7")) }),
        )
        .layer(limiter.layer(|request: &http::request::Parts| {
            let key = request.headers.get("x-api-key")?.to_str().ok()?;
            Some(Subject::new(key, tier(peer::tier_of(key))?))
        }))
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new(DOC_BASE),
            contract_middleware,
        ))
}

/// The peer stack with the same handlers; the error handler reads tower-http's request id.
pub fn peer(clock: &FakeRelativeClock) -> Router {
    let routes = Router::new().route("/ok", get(|| async { "ok" })).route(
        "/boom",
        get(
            |Extension(id): Extension<tower_http::request_id::RequestId>| async move {
                Err::<(), _>(
                    PeerError::internal(cause())
                        .with_run_id("run_7")
                        .for_request(Some(&id)),
                )
            },
        ),
    );
    peer::stack(routes, clock.clone())
}

/// Bare axum: the handlers alone. The error path answers a static 500 and the refused path
/// a static 429, with no body to speak of: the floor under both stacks.
pub fn bare() -> Router {
    Router::new()
        .route("/ok", get(|| async { "ok" }))
        .route(
            "/boom",
            get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "internal_error") }),
        )
        .route(
            "/limited",
            get(|| async { (StatusCode::TOO_MANY_REQUESTS, "rate_limit_exceeded") }),
        )
}

/// The bare request for `path`.
pub fn bare_request(path: Path) -> Request<Body> {
    let uri = match path {
        Path::Success => "/ok",
        Path::Error => "/boom",
        Path::Refused => "/limited",
    };
    Request::get(uri)
        .header("x-api-key", "key_live_1")
        .header("x-request-id", "req_1")
        .body(Body::empty())
        .expect("a valid request")
}

/// Both stacks on their own clocks, ready for one path: for [`Path::Refused`] the free key's
/// minute is spent on both sides first, and the clocks stay still.
pub struct Fixture {
    /// The path.
    pub path: Path,
    /// error-spec's clock.
    pub clock: ManualClock,
    /// The peer's clock.
    pub peer_clock: FakeRelativeClock,
    /// error-spec's stack.
    pub error_spec: Router,
    /// The peer stack.
    pub peer: Router,
    /// Bare axum.
    pub bare: Router,
}

impl std::fmt::Debug for Fixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fixture")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Fixture {
    /// Fresh stacks for `path`.
    pub fn new(path: Path) -> Self {
        let clock = ManualClock::default();
        let peer_clock = FakeRelativeClock::default();
        Fixture {
            path,
            error_spec: error_spec(&clock),
            peer: peer(&peer_clock),
            bare: bare(),
            clock,
            peer_clock,
        }
    }

    /// Moves both clocks so that the next request of an admitted path is admitted too.
    pub fn tick(&self) {
        if self.path != Path::Refused {
            self.clock.advance(REFILL);
            self.peer_clock.advance(REFILL);
        }
    }

    /// Spends the free key's minute on both stacks, for [`Path::Refused`]; a no-op for the
    /// other paths.
    pub async fn prepare(&self) {
        if self.path != Path::Refused {
            return;
        }
        let limit = tier("free").map_or(10, |tier| tier.requests_per_minute);
        for _ in 0..limit {
            let ours = send(&self.error_spec, Path::Refused.request()).await;
            let theirs = send(&self.peer, Path::Refused.request()).await;
            assert_eq!(ours.status(), StatusCode::OK, "admitted within the minute");
            assert_eq!(
                theirs.status(),
                StatusCode::OK,
                "admitted within the minute"
            );
        }
    }
}

/// One request through `router`.
pub async fn send(router: &Router, request: Request<Body>) -> axum::response::Response {
    use tower::ServiceExt;
    match router.clone().oneshot(request).await {
        Ok(response) => response,
        Err(infallible) => match infallible {},
    }
}

/// A subscriber that formats every event at INFO and above and throws the text away: the
/// cost of logging without the cost of a disk.
pub fn formatting_subscriber() -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_writer(std::io::sink)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish()
}
