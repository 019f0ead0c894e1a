//! Concurrent run slots: [`RunSlots`] takes one, a [`RunGuard`] holds it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use http::request::Parts;

use super::backend::Backend;
use super::guard::RunGuard;
use super::limiter::{Limiter, Subject};
use crate::ApiError;

type AcquireFuture<'a> = Pin<Box<dyn Future<Output = Result<RunGuard, ApiError>> + Send + 'a>>;

/// The limiter, without its backend's type, for [`RunSlots`].
pub(crate) trait AcquireRun: Send + Sync {
    fn acquire<'a>(&'a self, subject: &'a Subject) -> AcquireFuture<'a>;
}

impl<B: Backend> AcquireRun for Limiter<B> {
    fn acquire<'a>(&'a self, subject: &'a Subject) -> AcquireFuture<'a> {
        Box::pin(self.acquire_run(subject))
    }
}

/// The request's key, for taking run slots: an axum extractor, present on every request
/// the limit layer counted against a key.
#[derive(Clone)]
pub struct RunSlots {
    subject: Subject,
    limiter: Arc<dyn AcquireRun>,
}

impl RunSlots {
    pub(crate) fn new(subject: Subject, limiter: Arc<dyn AcquireRun>) -> Self {
        RunSlots { subject, limiter }
    }

    /// The key and tier the slots are counted against.
    pub fn subject(&self) -> &Subject {
        &self.subject
    }

    /// Takes one of the key's concurrent run slots: `rate_limit_exceeded` when the tier's
    /// concurrent runs are all executing.
    pub async fn acquire(&self) -> Result<RunGuard, ApiError> {
        self.limiter.acquire(&self.subject).await
    }
}

impl fmt::Debug for RunSlots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunSlots")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// A route without the limit layer in front of it is the server's bug.
#[derive(Debug)]
struct NoLimitLayer;

impl fmt::Display for NoLimitLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`RunSlots` extracted on a request the limit layer did not count")
    }
}

impl std::error::Error for NoLimitLayer {}

impl<S: Send + Sync> FromRequestParts<S> for RunSlots {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RunSlots>()
            .cloned()
            .ok_or_else(|| ApiError::internal(NoLimitLayer))
    }
}
