//! [`Backend`]: the one interface the limiter's per-key state sits behind.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::{RateLimitState, Tier};

use super::guard::RunGuard;

/// Where the limiter keeps per-key state: [`super::MemoryBackend`] in the process, or a
/// shared store (the `redis` feature's `RedisBackend`) so replicas hold one limit.
pub trait Backend: Send + Sync + 'static {
    /// Counts one request of `key` against `tier`'s requests per minute.
    fn check(
        &self,
        key: &str,
        tier: &'static Tier,
    ) -> impl Future<Output = Result<Decision, BackendError>> + Send;

    /// [`Backend::check`] with the key as the limiter holds it. A backend keyed by
    /// `Arc<str>` overrides it to share the key rather than copy it; the default calls
    /// `check`.
    fn check_shared(
        &self,
        key: &Arc<str>,
        tier: &'static Tier,
    ) -> impl Future<Output = Result<Decision, BackendError>> + Send {
        self.check(key, tier)
    }

    /// Takes one of `key`'s concurrent run slots, `None` when all of `tier`'s are taken.
    /// The slot is freed when the guard drops.
    fn acquire_run(
        &self,
        key: &str,
        tier: &'static Tier,
    ) -> impl Future<Output = Result<Option<RunGuard>, BackendError>> + Send;
}

/// The outcome of one request's check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Admitted, with the key's state after counting it.
    Allow(RateLimitState),
    /// Over the limit: no request of this key is admitted for `retry_after_secs` seconds.
    Deny {
        /// The key's state.
        state: RateLimitState,
        /// The real wait, rounded up to whole seconds.
        retry_after_secs: u32,
    },
}

/// A backend that could not decide (the shared store is unreachable): the limiter answers
/// `service_unavailable` rather than letting the request through unlimited.
#[derive(Debug)]
pub struct BackendError(Box<dyn StdError + Send + Sync + 'static>);

impl BackendError {
    /// Wraps the store's error.
    pub fn new(source: impl Into<Box<dyn StdError + Send + Sync + 'static>>) -> Self {
        BackendError(source.into())
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the rate-limit backend could not decide")
    }
}

impl StdError for BackendError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.0)
    }
}

/// Seconds from a duration, rounded up, at least 1: a client that waits this long is
/// admitted.
pub(crate) fn ceil_secs(wait: std::time::Duration) -> u32 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    u32::try_from(secs.max(1)).unwrap_or(u32::MAX)
}
