//! Rendering an [`ApiError`] as an HTTP response with `http`'s types, framework-free.
//!
//! [`RenderContext`] holds what comes from the request rather than the error: the
//! request id, the docs base URL, and the key's rate-limit state. The `axum` feature
//! builds on this module; other frameworks call [`ApiError::to_response`] directly.

use std::borrow::Cow;

use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, Response};

use crate::headers::{
    RATELIMIT, RATELIMIT_POLICY, RETRY_AFTER, X_RATELIMIT_LIMIT, X_RATELIMIT_REMAINING,
    X_RATELIMIT_RESET, X_REQUEST_ID,
};
use crate::{ApiError, RequestId, Tier};

/// The body's media type. The body is an RFC 9457 problem object, and `+json` tells every
/// JSON client it is JSON, so both kinds of tooling read it.
pub const CONTENT_TYPE_PROBLEM_JSON: &str = "application/problem+json";

/// The docs base URL used when a server configures none; servers should set their own with
/// [`RenderContext::with_doc_base`].
pub const DEFAULT_DOC_BASE: &str = "https://docs.example.com/errors";

/// A key's rate-limit state for one response, from the server's limiter.
///
/// Written as the `X-RateLimit-*` headers and as `RateLimit-Policy` / `RateLimit` from
/// draft-ietf-httpapi-ratelimit-headers-09 (structured fields: `"pro";q=60;w=60` and
/// `"pro";r=42;t=17`), on every response, success or error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitState {
    tier: &'static Tier,
    remaining: u32,
    reset_secs: u32,
}

impl RateLimitState {
    /// The window of every tier: limits are per minute.
    pub const WINDOW_SECS: u32 = error_rules::timing::RATE_LIMIT_WINDOW_SECS;

    /// `remaining` requests left in the current window of `tier`, which resets in
    /// `reset_secs` seconds. `remaining` is capped at the tier's limit.
    pub fn new(tier: &'static Tier, remaining: u32, reset_secs: u32) -> Self {
        RateLimitState {
            tier,
            remaining: remaining.min(tier.requests_per_minute),
            reset_secs: reset_secs.min(Self::WINDOW_SECS),
        }
    }

    /// The tier whose limits apply.
    pub fn tier(&self) -> &'static Tier {
        self.tier
    }

    /// Requests left in the current window.
    pub fn remaining(&self) -> u32 {
        self.remaining
    }

    /// Seconds until the window resets.
    pub fn reset_secs(&self) -> u32 {
        self.reset_secs
    }

    /// Writes the five rate-limit headers into `headers`, replacing any already there.
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        let name = self.tier.name;
        headers.insert(X_RATELIMIT_LIMIT, self.tier.requests_per_minute.into());
        headers.insert(X_RATELIMIT_REMAINING, self.remaining.into());
        headers.insert(X_RATELIMIT_RESET, self.reset_secs.into());
        // Tier names are lowercase ASCII words, valid inside a structured-field string.
        insert_formatted(
            headers,
            RATELIMIT_POLICY,
            format!(
                "\"{name}\";q={};w={}",
                self.tier.requests_per_minute,
                Self::WINDOW_SECS
            ),
        );
        insert_formatted(
            headers,
            RATELIMIT,
            format!("\"{name}\";r={};t={}", self.remaining, self.reset_secs),
        );
    }
}

/// Inserts a header built from ASCII the crate wrote itself; a value that could not be a
/// header is left out rather than panicking.
fn insert_formatted(headers: &mut HeaderMap, name: HeaderName, value: String) {
    if let Ok(value) = HeaderValue::try_from(value) {
        headers.insert(name, value);
    }
}

/// What a response needs from its request: the request id, the docs base URL and,
/// when the server has a limiter, the key's rate-limit state.
#[derive(Debug, Clone)]
pub struct RenderContext {
    request_id: RequestId,
    doc_base: Cow<'static, str>,
    rate_limit: Option<RateLimitState>,
}

impl RenderContext {
    /// A context for the request with id `request_id`, with [`DEFAULT_DOC_BASE`].
    pub fn new(request_id: RequestId) -> Self {
        RenderContext {
            request_id,
            doc_base: Cow::Borrowed(DEFAULT_DOC_BASE),
            rate_limit: None,
        }
    }

    /// A context for a request with these headers: its one `X-Request-Id` is echoed when it
    /// is safe, else a fresh id is minted ([`RequestId::from_headers`]).
    pub fn from_request_headers(headers: &HeaderMap) -> Self {
        RenderContext::new(RequestId::from_headers(headers))
    }

    /// Sets the docs base URL each code's `doc_url` starts with.
    pub fn with_doc_base(mut self, doc_base: impl Into<Cow<'static, str>>) -> Self {
        self.doc_base = doc_base.into();
        self
    }

    /// Sets the key's rate-limit state, written on every response.
    pub fn with_rate_limit(mut self, state: RateLimitState) -> Self {
        self.rate_limit = Some(state);
        self
    }

    /// Sets the key's rate-limit state in place; only the axum integration's request scope
    /// does.
    #[cfg(feature = "axum")]
    pub(crate) fn set_rate_limit(&mut self, state: RateLimitState) {
        self.rate_limit = Some(state);
    }

    /// The request's id.
    pub fn request_id(&self) -> &RequestId {
        &self.request_id
    }

    /// The docs base URL.
    pub fn doc_base(&self) -> &str {
        &self.doc_base
    }

    /// The rate-limit state, if the server set one.
    pub fn rate_limit(&self) -> Option<&RateLimitState> {
        self.rate_limit.as_ref()
    }

    /// Writes the headers every response carries, success or error: `X-Request-Id` and,
    /// with a rate-limit state, the rate-limit headers.
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        headers.insert(X_REQUEST_ID, self.request_id.to_header_value());
        if let Some(rate_limit) = &self.rate_limit {
            rate_limit.write_headers(headers);
        }
    }
}

impl ApiError {
    /// The error's headers: `Content-Type`, `X-Request-Id`, the rate-limit headers, and
    /// `Retry-After` when the code's retry class uses it.
    pub fn response_headers(&self, context: &RenderContext) -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static(CONTENT_TYPE_PROBLEM_JSON),
        );
        context.write_headers(&mut headers);
        if let Some(secs) = self.retry_after() {
            headers.insert(RETRY_AFTER, secs.into());
        }
        headers
    }

    /// The whole response: the code's status, [`Self::response_headers`] and the JSON
    /// body from [`Self::to_body`]. The internal cause is in none of them.
    ///
    /// ```
    /// use error_spec::{ApiError, ErrorCode, RequestId, RenderContext};
    ///
    /// let context = RenderContext::new(RequestId::mint());
    /// let response = ApiError::new(ErrorCode::ServiceUnavailable).to_response(&context);
    /// assert_eq!(response.status(), http::StatusCode::SERVICE_UNAVAILABLE);
    /// assert_eq!(response.headers()["retry-after"], "30");
    /// assert_eq!(response.headers()["x-request-id"], context.request_id().as_str());
    /// ```
    pub fn to_response(&self, context: &RenderContext) -> Response<Vec<u8>> {
        let body = self
            .to_body(context.request_id(), context.doc_base())
            .to_json();
        let mut response = Response::new(body);
        *response.status_mut() = self.code().status();
        *response.headers_mut() = self.response_headers(context);
        response
    }
}
