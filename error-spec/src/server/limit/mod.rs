//! The tiers, enforced: a tower layer that limits each API key to its tier's requests per
//! minute and concurrent runs, behind the `limit` feature.
//!
//! - [`Limiter`] decides; its state sits behind the [`Backend`] trait: [`MemoryBackend`]
//!   (in-process, the default, nothing to start) or, with the `redis` feature,
//!   `RedisBackend` so that several replicas share one limit.
//! - [`Limiter::layer`] is the tower layer. The server's callback maps a request to a
//!   [`Subject`] (API key and tier). Every limited response, success included, carries the
//!   key's [`RateLimitState`] (handed to
//!   [`contract_middleware`](crate::axum::contract_middleware)'s scope, or in the response's
//!   extensions without one, and written as headers); over the limit it answers
//!   `rate_limit_exceeded` with `Retry-After` equal to the real wait; past the global
//!   in-flight cap it answers `service_unavailable`.
//! - [`RunSlots`] is an extractor: [`RunSlots::acquire`] holds one of the key's concurrent
//!   run slots in a [`RunGuard`] until the guard is dropped, which may be long after the
//!   request, inside a spawned task.
//!
//! Layer order: the limiter sits inside `contract_middleware`, so its answers get the
//! request id, the docs URL and a log line like every other error.
//!
//! ```
//! use axum::{Router, routing::post};
//! use error_spec::axum::{ServerConfig, contract_middleware};
//! use error_spec::limit::{Limiter, RunSlots, Subject};
//! use error_spec::{ApiError, tier};
//!
//! async fn create_run(slots: RunSlots) -> Result<&'static str, ApiError> {
//!     // Over the key's concurrent runs this is `rate_limit_exceeded`.
//!     let guard = slots.acquire().await?;
//!     tokio::spawn(async move {
//!         // ... the run executes here; its slot is held until `guard` drops.
//!         drop(guard);
//!     });
//!     Ok("accepted")
//! }
//!
//! let limiter = Limiter::new().with_max_in_flight(10_000);
//! let app: Router = Router::new()
//!     .route("/runs", post(create_run))
//!     .layer(limiter.layer(|request: &http::request::Parts| {
//!         // The server's own lookup: API key → tier. `None` leaves a request unlimited
//!         // (a health check); answer unauthenticated requests in the handler.
//!         let key = request.headers.get("x-api-key")?.to_str().ok()?;
//!         Some(Subject::new(key, tier("pro")?))
//!     }))
//!     .layer(axum::middleware::from_fn_with_state(
//!         ServerConfig::new("https://docs.example.com/errors"),
//!         contract_middleware,
//!     ));
//! # let _ = app;
//! ```

mod backend;
mod clock;
mod layer;
mod memory;
#[cfg(feature = "redis")]
mod redis;
mod run;

pub use backend::{Backend, BackendError, Decision};
pub use clock::{Clock, ManualClock, MonotonicClock};
pub use layer::{LimitLayer, LimitService};
pub use memory::MemoryBackend;
#[cfg(feature = "redis")]
pub use redis::{OutagePolicy, RedisBackend};
pub use run::{RunGuard, RunSlots};

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use error_rules::timing::{UNAVAILABLE_DEFAULT_WAIT_SECS, clamp_unavailable_wait};

use crate::{ApiError, ErrorCode, RateLimitState, Tier, UserMessage};

/// Who a request counts against: an API key and its tier, from the server's callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    key: Arc<str>,
    tier: &'static Tier,
}

impl Subject {
    /// The API key `key` (or any stable id the server limits by) on `tier`.
    pub fn new(key: impl Into<Arc<str>>, tier: &'static Tier) -> Self {
        Subject {
            key: key.into(),
            tier,
        }
    }

    /// The key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The tier.
    pub fn tier(&self) -> &'static Tier {
        self.tier
    }
}

/// The tier limiter: per-key requests per minute and concurrent runs on a [`Backend`], and
/// a global cap on requests in flight. Clones share the state.
pub struct Limiter<B = MemoryBackend> {
    backend: Arc<B>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: usize,
    unavailable_wait_secs: u32,
    run_retry_after_secs: u32,
}

impl<B> Clone for Limiter<B> {
    fn clone(&self) -> Self {
        Limiter {
            backend: Arc::clone(&self.backend),
            in_flight: Arc::clone(&self.in_flight),
            max_in_flight: self.max_in_flight,
            unavailable_wait_secs: self.unavailable_wait_secs,
            run_retry_after_secs: self.run_retry_after_secs,
        }
    }
}

impl<B: fmt::Debug> fmt::Debug for Limiter<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter")
            .field("backend", &self.backend)
            .field("max_in_flight", &self.max_in_flight)
            .field("in_flight", &self.in_flight.load(Ordering::Relaxed))
            .finish()
    }
}

impl Limiter<MemoryBackend> {
    /// A limiter with the in-process backend and no in-flight cap.
    pub fn new() -> Self {
        Limiter::with_backend(MemoryBackend::new())
    }
}

impl Default for Limiter<MemoryBackend> {
    fn default() -> Self {
        Limiter::new()
    }
}

/// The seconds a full run pool asks clients to wait before retrying when the server set no
/// other figure: when a run ends cannot be known in advance, so this is an estimate.
pub const DEFAULT_RUN_RETRY_AFTER_SECS: u32 = 5;

impl<B: Backend> Limiter<B> {
    /// A limiter whose per-key state is `backend`'s.
    pub fn with_backend(backend: B) -> Self {
        Limiter {
            backend: Arc::new(backend),
            in_flight: Arc::new(AtomicUsize::new(0)),
            max_in_flight: usize::MAX,
            unavailable_wait_secs: UNAVAILABLE_DEFAULT_WAIT_SECS,
            run_retry_after_secs: DEFAULT_RUN_RETRY_AFTER_SECS,
        }
    }

    /// The global saturation guard: past `max` requests in flight in this process, a
    /// request answers `service_unavailable`.
    #[must_use]
    pub fn with_max_in_flight(mut self, max: usize) -> Self {
        self.max_in_flight = max;
        self
    }

    /// The `Retry-After` of `service_unavailable` answers, clamped into the contract's
    /// range ([`error_rules::timing::UNAVAILABLE_WAIT_SECS`]).
    #[must_use]
    pub fn with_unavailable_wait_secs(mut self, secs: u32) -> Self {
        self.unavailable_wait_secs = clamp_unavailable_wait(secs);
        self
    }

    /// The `Retry-After` when a key's concurrent runs are all taken
    /// ([`DEFAULT_RUN_RETRY_AFTER_SECS`] unless set).
    #[must_use]
    pub fn with_run_retry_after_secs(mut self, secs: u32) -> Self {
        self.run_retry_after_secs = secs.max(1);
        self
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Requests in flight in this process right now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// The tower layer: `subject` maps each request to its key and tier.
    pub fn layer<F>(&self, subject: F) -> LimitLayer<B, F>
    where
        F: Fn(&http::request::Parts) -> Option<Subject> + Send + Sync + 'static,
    {
        LimitLayer::new(self.clone(), subject)
    }

    /// Counts one request against `subject`: its rate-limit state, or what to answer
    /// instead (`rate_limit_exceeded` with the real wait, or `service_unavailable` when the
    /// backend cannot decide). The layer calls this; servers without tower can too.
    pub async fn check(&self, subject: &Subject) -> Result<RateLimitState, Limited> {
        match self.backend.check(&subject.key, subject.tier).await {
            Ok(Decision::Allow(state)) => Ok(state),
            Ok(Decision::Deny {
                state,
                retry_after_secs,
            }) => Err(Limited {
                state: Some(state),
                error: ApiError::rate_limited(retry_after_secs),
            }),
            Err(err) => Err(Limited {
                state: None,
                error: self.unavailable().with_source(err),
            }),
        }
    }

    /// Holds one of `subject`'s concurrent run slots until the guard drops; over the
    /// tier's concurrent runs, `rate_limit_exceeded`.
    pub async fn acquire_run(&self, subject: &Subject) -> Result<RunGuard, ApiError> {
        match self.backend.acquire_run(&subject.key, subject.tier).await {
            Ok(Some(guard)) => Ok(guard),
            Ok(None) => Err(
                ApiError::rate_limited(self.run_retry_after_secs).with_message(
                    UserMessage::user_safe(
                        "This API key already has as many runs executing as its tier allows.",
                    ),
                ),
            ),
            Err(err) => Err(self.unavailable().with_source(err)),
        }
    }

    /// A `service_unavailable` with this limiter's wait.
    fn unavailable(&self) -> ApiError {
        ApiError::new(ErrorCode::ServiceUnavailable).with_retry_after(self.unavailable_wait_secs)
    }

    /// Takes an in-flight place, or `None` past the global cap.
    fn enter(&self) -> Option<InFlight> {
        let before = self.in_flight.fetch_add(1, Ordering::AcqRel);
        let guard = InFlight(Arc::clone(&self.in_flight));
        (before < self.max_in_flight).then_some(guard)
    }
}

/// A request the limiter refused: the error to answer and, when the backend could decide,
/// the key's state for the rate-limit headers.
#[derive(Debug)]
pub struct Limited {
    /// The key's state, for the rate-limit headers.
    pub state: Option<RateLimitState>,
    /// `rate_limit_exceeded` or `service_unavailable`.
    pub error: ApiError,
}

/// One request in flight; dropping it frees its place under the global cap.
struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Seconds from a duration, rounded up, at least 1: a client that waits this long is
/// admitted.
pub(crate) fn ceil_secs(wait: std::time::Duration) -> u32 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    u32::try_from(secs.max(1)).unwrap_or(u32::MAX)
}
