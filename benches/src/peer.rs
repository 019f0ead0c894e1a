//! The peer stack: what a competent team builds from the ecosystem instead of error-spec, giving
//! the same status, headers and body bytes.
//!
//! - request ids: tower-http's `SetRequestIdLayer` (keeps the client's `X-Request-Id`, else
//!   mints one) and `PropagateRequestIdLayer` (copies it onto every response);
//! - request logging: tower-http's `TraceLayer::new_for_http()` as its docs set it up;
//! - rate limits: governor's keyed limiter per tier, keyed by API key, with the same headers.
//!   tower_governor wraps the same `RateLimiter::keyed` + `check_key` calls, but its headers
//!   are `x-ratelimit-after` and friends, not the contract's five, and its clock is fixed to
//!   quanta's; so the middleware here calls governor as tower_governor does and writes the
//!   contract's headers itself;
//! - errors: a hand-written [`PeerError`] implementing `IntoResponse`: a serde-derived body,
//!   logged once with its cause.

use std::error::Error as StdError;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use baseline::ErrorCode;
use governor::clock::{Clock as _, FakeRelativeClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};
use http::header::{CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

/// One tier as the peer team writes it down: name, requests per minute.
#[derive(Debug, Clone, Copy)]
pub struct PeerTier {
    /// The tier's name, as in the `RateLimit-Policy` header.
    pub name: &'static str,
    /// Requests per minute, also the burst.
    pub limit: u32,
}

/// The tiers, typed again by hand: the same figures as error-spec's table.
pub const PEER_TIERS: [PeerTier; 3] = [
    PeerTier {
        name: "free",
        limit: 10,
    },
    PeerTier {
        name: "pro",
        limit: 60,
    },
    PeerTier {
        name: "enterprise",
        limit: 600,
    },
];

/// The rate-limit window, seconds.
const WINDOW_SECS: u32 = 60;

type KeyedLimiter =
    RateLimiter<String, DashMapStateStore<String>, FakeRelativeClock, StateInformationMiddleware>;

/// Per-tier keyed governor limiters on a clock the benches move by hand.
#[derive(Clone)]
pub struct PeerLimiter {
    tiers: Arc<[(PeerTier, KeyedLimiter); 3]>,
    clock: FakeRelativeClock,
}

impl std::fmt::Debug for PeerLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeerLimiter").finish_non_exhaustive()
    }
}

impl PeerLimiter {
    /// One keyed limiter per tier, each with its requests per minute as the burst.
    pub fn new(clock: FakeRelativeClock) -> Self {
        let limiter = |tier: PeerTier| {
            let limit = NonZeroU32::new(tier.limit).expect("a tier allows requests");
            let quota = Quota::with_period(Duration::from_secs(WINDOW_SECS.into()) / tier.limit)
                .expect("a non-zero period")
                .allow_burst(limit);
            let limiter = RateLimiter::dashmap_with_clock(quota, clock.clone())
                .with_middleware::<StateInformationMiddleware>();
            (tier, limiter)
        };
        PeerLimiter {
            tiers: Arc::new(PEER_TIERS.map(limiter)),
            clock,
        }
    }
}

/// Seconds from a duration, rounded up, at least 1.
fn ceil_secs(wait: Duration) -> u32 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    u32::try_from(secs.max(1)).unwrap_or(u32::MAX)
}

/// The API key and its tier: keys starting `key_free_` are on the free tier, others on
/// enterprise (the same lookup as the error-spec side's callback).
pub fn tier_of(key: &str) -> &'static str {
    if key.starts_with("key_free_") {
        "free"
    } else {
        "enterprise"
    }
}

/// The five rate-limit headers, written the usual way.
fn write_rate_limit(headers: &mut HeaderMap, tier: PeerTier, remaining: u32, reset: u32) {
    let name = tier.name;
    headers.insert("x-ratelimit-limit", HeaderValue::from(tier.limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    headers.insert("x-ratelimit-reset", HeaderValue::from(reset));
    let policy = format!("\"{name}\";q={};w={WINDOW_SECS}", tier.limit);
    let state = format!("\"{name}\";r={remaining};t={reset}");
    headers.insert(
        "ratelimit-policy",
        HeaderValue::try_from(policy).expect("ASCII"),
    );
    headers.insert("ratelimit", HeaderValue::try_from(state).expect("ASCII"));
}

/// The limiter as an axum middleware: count the key, answer 429 over the limit, put the
/// key's state on every response.
pub async fn limit(State(limiter): State<PeerLimiter>, request: Request, next: Next) -> Response {
    let Some(key) = request
        .headers()
        .get("x-api-key")
        .and_then(|key| key.to_str().ok())
    else {
        return next.run(request).await;
    };
    let tier_name = tier_of(key);
    let Some((tier, keyed)) = limiter
        .tiers
        .iter()
        .find(|(tier, _)| tier.name == tier_name)
    else {
        return next.run(request).await;
    };
    let period = Duration::from_secs(WINDOW_SECS.into()) / tier.limit;
    match keyed.check_key(&key.to_owned()) {
        Ok(snapshot) => {
            let remaining = snapshot.remaining_burst_capacity().min(tier.limit);
            let reset = ceil_secs(period * (tier.limit - remaining)).min(WINDOW_SECS);
            let mut response = next.run(request).await;
            write_rate_limit(response.headers_mut(), *tier, remaining, reset);
            response
        }
        Err(not_until) => {
            let wait = not_until.wait_time_from(limiter.clock.now());
            let reset = ceil_secs(wait + period * (tier.limit - 1)).min(WINDOW_SECS);
            let mut response = PeerError::new(ErrorCode::RateLimitExceeded)
                .with_retry_after(ceil_secs(wait))
                .for_request(request.extensions().get::<RequestId>())
                .into_response();
            write_rate_limit(response.headers_mut(), *tier, 0, reset);
            response
        }
    }
}

/// `req_` and 32 hex digits when the client sent no id: a counter mixed with std's random
/// hash keys.
#[derive(Debug, Clone, Default)]
pub struct MintRequestId {
    counter: Arc<AtomicU64>,
}

impl MakeRequestId for MintRequestId {
    fn make_request_id<B>(&mut self, _request: &http::Request<B>) -> Option<RequestId> {
        use std::hash::BuildHasher;
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let keys = std::collections::hash_map::RandomState::new();
        let id = format!("req_{:016x}{:016x}", keys.hash_one(n), keys.hash_one(!n));
        HeaderValue::try_from(id).ok().map(RequestId::new)
    }
}

/// The error a peer handler returns: a code, the request's id, an internal cause for logs.
#[derive(Debug)]
pub struct PeerError {
    code: ErrorCode,
    request_id: Option<HeaderValue>,
    run_id: Option<String>,
    retry_after: Option<u32>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

/// The body, borrowed from the error: serde's derive writes it.
#[derive(Serialize)]
struct PeerBody<'a> {
    #[serde(rename = "type")]
    type_url: &'a str,
    title: &'a str,
    status: u16,
    error: ErrorCode,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    run_id: Option<&'a str>,
    doc_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after: Option<u32>,
}

/// The docs base every `doc_url` starts with.
pub const DOC_BASE: &str = "https://docs.example.com/errors";

impl PeerError {
    /// An error with the code's default message.
    pub fn new(code: ErrorCode) -> Self {
        PeerError {
            code,
            request_id: None,
            run_id: None,
            retry_after: None,
            source: None,
        }
    }

    /// An `internal_error` with its cause, for the logs only.
    pub fn internal(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        PeerError {
            source: Some(source.into()),
            ..PeerError::new(ErrorCode::InternalError)
        }
    }

    /// Names the run.
    #[must_use]
    pub fn with_run_id(mut self, run_id: impl Into<String>) -> Self {
        self.run_id = Some(run_id.into());
        self
    }

    /// Seconds for `Retry-After` and `retry_after`.
    #[must_use]
    pub fn with_retry_after(mut self, secs: u32) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// The request's id, from tower-http's `RequestId` extension.
    #[must_use]
    pub fn for_request(mut self, id: Option<&RequestId>) -> Self {
        self.request_id = id.map(|id| id.header_value().clone());
        self
    }
}

impl IntoResponse for PeerError {
    fn into_response(self) -> Response {
        let status = self.code.status();
        let wire: &'static str = self.code.into();
        let request_id = self.request_id.as_ref().and_then(|id| id.to_str().ok());
        let cause = self.source.as_ref().map(ToString::to_string);
        if status.is_server_error() {
            tracing::error!(
                request_id,
                error.type = wire,
                http.response.status_code = status.as_u16(),
                run_id = self.run_id.as_deref(),
                exception.message = cause.as_deref(),
                "error response: {wire}"
            );
        } else {
            tracing::info!(
                request_id,
                error.type = wire,
                http.response.status_code = status.as_u16(),
                run_id = self.run_id.as_deref(),
                exception.message = cause.as_deref(),
                "error response: {wire}"
            );
        }
        let doc_url = format!("{DOC_BASE}#{wire}");
        let body = PeerBody {
            type_url: &doc_url,
            title: self.code.title(),
            status: status.as_u16(),
            error: self.code,
            message: self.code.message(),
            request_id,
            run_id: self.run_id.as_deref(),
            doc_url: &doc_url,
            retry_after: self.retry_after,
        };
        let bytes = serde_json::to_vec(&body).expect("a body of strings and numbers");
        let mut response = Response::new(Body::from(bytes));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// The peer stack around `routes`, outermost first: request id, trace, propagate, limiter.
pub fn stack(routes: Router, clock: FakeRelativeClock) -> Router {
    let x_request_id = HeaderName::from_static("x-request-id");
    routes
        .layer(axum::middleware::from_fn_with_state(
            PeerLimiter::new(clock),
            limit,
        ))
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(
            x_request_id,
            MintRequestId::default(),
        ))
}
