//! [`LimitLayer`]: the limiter as a tower layer in front of axum handlers.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::Request;
use tower::{Layer, Service};

use super::backend::Backend;
use super::limiter::{Limiter, Subject};
use super::run::AcquireRun;
use super::run::RunSlots;
use crate::server::scope;

/// The tower layer from [`Limiter::layer`].
pub struct LimitLayer<B, F> {
    limiter: Limiter<B>,
    runs: Arc<dyn AcquireRun>,
    subject: Arc<F>,
}

impl<B: Backend, F> LimitLayer<B, F> {
    pub(crate) fn new(limiter: Limiter<B>, subject: F) -> Self {
        LimitLayer {
            runs: Arc::new(limiter.clone()),
            limiter,
            subject: Arc::new(subject),
        }
    }
}

impl<B, F> Clone for LimitLayer<B, F> {
    fn clone(&self) -> Self {
        LimitLayer {
            limiter: self.limiter.clone(),
            runs: Arc::clone(&self.runs),
            subject: Arc::clone(&self.subject),
        }
    }
}

impl<B: fmt::Debug, F> fmt::Debug for LimitLayer<B, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LimitLayer")
            .field("limiter", &self.limiter)
            .finish_non_exhaustive()
    }
}

impl<S, B, F> Layer<S> for LimitLayer<B, F> {
    type Service = LimitService<S, B, F>;

    fn layer(&self, inner: S) -> Self::Service {
        LimitService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`LimitLayer`] wraps around a route.
pub struct LimitService<S, B, F> {
    inner: S,
    layer: LimitLayer<B, F>,
}

impl<S: Clone, B, F> Clone for LimitService<S, B, F> {
    fn clone(&self) -> Self {
        LimitService {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<S, B: fmt::Debug, F> fmt::Debug for LimitService<S, B, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LimitService")
            .field("limiter", &self.layer.limiter)
            .finish_non_exhaustive()
    }
}

impl<S, B, F> Service<Request<Body>> for LimitService<S, B, F>
where
    S: Service<Request<Body>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Backend,
    F: Fn(&http::request::Parts) -> Option<Subject> + Send + Sync + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        // The clone that was polled ready is the one that serves this request.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let Some(subject) = (layer.subject)(&parts) else {
                return inner.call(Request::from_parts(parts, body)).await;
            };
            // Every request counts against its key, also one the saturation guard refuses,
            // so that every answer carries the key's state. Inside `contract_middleware` the
            // state goes to the request's scope, so that an error rendered on this request
            // has the rate-limit headers from the start; outside, it rides on the response.
            let (state, mut response) = match layer.limiter.check(&subject).await {
                Ok(state) => {
                    let in_scope = scope::set_rate_limit(state);
                    let response = match layer.limiter.enter() {
                        Some(_in_flight) => {
                            if !in_scope {
                                // For a `contract_middleware` inside this layer; one outside
                                // has the state from its scope already.
                                parts.extensions.insert(state);
                            }
                            parts
                                .extensions
                                .insert(RunSlots::new(subject, Arc::clone(&layer.runs)));
                            inner.call(Request::from_parts(parts, body)).await?
                        }
                        None => layer.limiter.unavailable().into_response(),
                    };
                    ((!in_scope).then_some(state), response)
                }
                Err(limited) => {
                    let state = limited.state.filter(|state| !scope::set_rate_limit(*state));
                    (state, limited.error.into_response())
                }
            };
            if let Some(state) = state {
                response.extensions_mut().insert(state);
            }
            Ok(response)
        })
    }
}

impl<B: Backend> Limiter<B> {
    /// The tower layer: `subject` maps each request to its key and tier.
    pub fn layer<F>(&self, subject: F) -> LimitLayer<B, F>
    where
        F: Fn(&http::request::Parts) -> Option<Subject> + Send + Sync + 'static,
    {
        LimitLayer::new(self.clone(), subject)
    }
}
