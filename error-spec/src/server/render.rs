//! Rendering an [`ApiError`] as an HTTP response with `http`'s types, framework-free.
//!
//! [`RenderContext`] holds what comes from the request rather than the error: the
//! request id, the docs base URL, and the key's rate-limit state. The `axum` feature
//! builds on this module; other frameworks call [`ApiError::to_response`] directly.

use std::borrow::Cow;
use std::sync::OnceLock;

use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderValue, Response};

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
    ///
    /// Every response carries them, so they are built without formatting: the numbers and
    /// each tier's policy are header values made once per process and shared, and only
    /// `RateLimit`, which changes with every request, is written afresh (one allocation).
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        headers.insert(X_RATELIMIT_LIMIT, number(self.tier.requests_per_minute));
        headers.insert(X_RATELIMIT_REMAINING, number(self.remaining));
        headers.insert(X_RATELIMIT_RESET, number(self.reset_secs));
        headers.insert(RATELIMIT_POLICY, policy(self.tier));
        // Tier names are lowercase ASCII words, valid inside a structured-field string.
        let mut value = Buffer::default();
        value.push(b"\"");
        value.push(self.tier.name.as_bytes());
        value.push(b"\";r=");
        value.push_decimal(self.remaining);
        value.push(b";t=");
        value.push_decimal(self.reset_secs);
        let value = match value.as_bytes() {
            Some(bytes) => HeaderValue::from_bytes(bytes),
            // A tier name too long for the buffer: rare, so formatted.
            None => HeaderValue::try_from(format!(
                "\"{}\";r={};t={}",
                self.tier.name, self.remaining, self.reset_secs
            )),
        };
        if let Ok(value) = value {
            headers.insert(RATELIMIT, value);
        }
    }
}

/// A header value written on the stack, so that only the header value itself allocates.
struct Buffer {
    bytes: [u8; 64],
    len: usize,
    overflowed: bool,
}

impl Default for Buffer {
    fn default() -> Self {
        Buffer {
            bytes: [0; 64],
            len: 0,
            overflowed: false,
        }
    }
}

impl Buffer {
    fn push(&mut self, bytes: &[u8]) {
        match self.bytes.get_mut(self.len..self.len + bytes.len()) {
            Some(slot) => {
                slot.copy_from_slice(bytes);
                self.len += bytes.len();
            }
            None => self.overflowed = true,
        }
    }

    fn push_decimal(&mut self, n: u32) {
        let mut digits = [0u8; 10];
        let mut start = digits.len();
        let mut rest = n;
        loop {
            start -= 1;
            // A remainder of ten is below 10: the cast cannot truncate.
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        self.push(&digits[start..]);
    }

    fn as_bytes(&self) -> Option<&[u8]> {
        (!self.overflowed).then(|| &self.bytes[..self.len])
    }
}

/// The numbers every rate-limit header may carry without formatting: up to the largest
/// tier's limit and the window.
fn small_numbers() -> &'static [HeaderValue] {
    static NUMBERS: OnceLock<Vec<HeaderValue>> = OnceLock::new();
    NUMBERS.get_or_init(|| {
        let largest = crate::TIERS
            .iter()
            .map(|tier| tier.requests_per_minute)
            .chain([RateLimitState::WINDOW_SECS])
            .max()
            .unwrap_or(0);
        // Static values clone without touching a reference count; the strings live as long as
        // the process, a few kilobytes made once.
        (0..=largest)
            .map(|n| HeaderValue::from_static(Box::leak(n.to_string().into_boxed_str())))
            .collect()
    })
}

/// `n` as a header value; a clone of a shared one when it is small.
fn number(n: u32) -> HeaderValue {
    usize::try_from(n)
        .ok()
        .and_then(|n| small_numbers().get(n))
        .cloned()
        .unwrap_or_else(|| HeaderValue::from(n))
}

/// `RateLimit-Policy` for `tier`: `"pro";q=60;w=60`, made once for each of the table's tiers.
fn policy(tier: &'static Tier) -> HeaderValue {
    static POLICIES: OnceLock<Vec<HeaderValue>> = OnceLock::new();
    let write = |tier: &Tier| {
        let text = format!(
            "\"{}\";q={};w={}",
            tier.name,
            tier.requests_per_minute,
            RateLimitState::WINDOW_SECS
        );
        HeaderValue::try_from(text).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
    };
    // Made once per tier of the table; a tier from elsewhere is formatted each time.
    let policies = POLICIES.get_or_init(|| crate::TIERS.iter().map(write).collect());
    crate::TIERS
        .iter()
        .position(|known| std::ptr::eq(known, tier))
        .and_then(|index| policies.get(index))
        .cloned()
        .unwrap_or_else(|| write(tier))
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
        // One growth of the map for all six, rather than one per header that overflows it.
        headers.reserve(if self.rate_limit.is_some() { 6 } else { 1 });
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
