//! [`Limiter`]: the decision, per [`Subject`], over a [`Backend`]'s state. The tower
//! layer (`layer`) and the run-slot extractor (`run`) sit above it; it knows neither.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use error_rules::timing::{UNAVAILABLE_DEFAULT_WAIT_SECS, clamp_unavailable_wait};

use super::backend::{Backend, Decision};
use super::guard::RunGuard;
use super::memory::MemoryBackend;
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

    /// Counts one request against `subject`: its rate-limit state, or what to answer
    /// instead (`rate_limit_exceeded` with the real wait, or `service_unavailable` when the
    /// backend cannot decide). The layer calls this; servers without tower can too.
    pub async fn check(&self, subject: &Subject) -> Result<RateLimitState, Limited> {
        match self.backend.check_shared(&subject.key, subject.tier).await {
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
    pub(super) fn unavailable(&self) -> ApiError {
        ApiError::new(ErrorCode::ServiceUnavailable).with_retry_after(self.unavailable_wait_secs)
    }

    /// Takes an in-flight place, or `None` past the global cap.
    pub(super) fn enter(&self) -> Option<InFlight> {
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
pub(super) struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
