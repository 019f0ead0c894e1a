//! The SDK side of the contract: an error response's status, headers and body, read into a
//! typed error without ever failing or panicking.

use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

use super::escape::write_escaped;
use super::read;
use super::reason::UnexpectedReason;
use super::received::{DroppedMembers, ReceivedBody, ReceivedMessage};
use super::retry::{Jitter, RetryDecision, RetryPolicy};
use super::retry_after::retry_after_with_clock;
use crate::{Code, RequestId, headers};

/// The most bytes of a body that [`UnexpectedBody::excerpt`] keeps.
pub const EXCERPT_LEN: usize = 256;

/// Reads an error response into a typed error, with `now` taken from the system clock for an
/// HTTP-date `Retry-After`. See [`parse_error_response_at`].
pub fn parse_error_response(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ResponseError {
    // The clock is read only for an HTTP-date `Retry-After`, not on every response.
    parse_with_clock(status, headers, body, SystemTime::now)
}

/// Reads an error response into a typed error; `now` is the instant an HTTP-date
/// `Retry-After` is measured from.
///
/// Never fails and never panics, whatever the bytes:
///
/// - a JSON object whose `error` is a code (a string in the table's code grammar, see
///   [`Code::from_wire`]) is a [`ResponseError::Api`], whose code is kept raw when this build
///   does not know it; every other member is read on its own and left out if unreadable
///   (see [`ReceivedBody`] and [`ParsedError::dropped`]);
/// - a JSON object whose `error` is a string outside that grammar (`Not_Found`,
///   `not_found\nX-Injected: 1`, 64 bytes) has no code: it is an unexpected body
///   ([`UnexpectedReason::NotContract`]) keeping only an escaped excerpt of the string
///   ([`UnexpectedBody::raw_code`]);
/// - a raw control character inside a JSON string is not JSON, whichever path reads it
///   ([`UnexpectedReason::NotJson`], with the code if it was read before);
/// - anything else (empty, HTML from a proxy, truncated JSON, JSON of another shape, over
///   [`MAX_BODY_LEN`](super::MAX_BODY_LEN)) is a [`ResponseError::UnexpectedBody`] that keeps the status, the
///   `Content-Type` and a bounded excerpt, and the code when it was readable all the same
///   (a body cut short after its `error`).
///
/// Both keep the request id (the one `X-Request-Id` header, else the body's `request_id`;
/// only ids [`RequestId::is_safe`] accepts, so none can forge a log line) and the
/// `Retry-After` header (delta-seconds, or an HTTP-date in any of RFC 9110's three formats),
/// and both can say whether to retry ([`ResponseError::retry_decision`]).
///
/// ```
/// use error_spec::{ErrorCode, ResponseError, parse_error_response};
/// use http::{HeaderMap, StatusCode};
///
/// let body = br#"{"error":"not_found","message":"No such run."}"#;
/// let err = parse_error_response(StatusCode::NOT_FOUND, &HeaderMap::new(), body);
/// match &err {
///     ResponseError::Api(api) => assert_eq!(*api.code(), ErrorCode::NotFound),
///     ResponseError::UnexpectedBody(other) => panic!("{other}"),
/// }
/// assert_eq!(err.to_string(), "not_found (404): No such run.");
/// ```
pub fn parse_error_response_at(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    now: SystemTime,
) -> ResponseError {
    parse_with_clock(status, headers, body, || now)
}

/// [`parse_error_response_at`] with the clock read only when a `Retry-After` date needs it.
fn parse_with_clock(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    now: impl FnOnce() -> SystemTime,
) -> ResponseError {
    let header_request_id = safe_header_id(headers);
    let retry_after = headers
        .get(headers::RETRY_AFTER)
        .and_then(|value| retry_after_with_clock(value, now));

    match read::read(body) {
        Ok(body) => {
            let request_id = header_request_id.or_else(|| body.request_id().map(str::to_owned));
            ResponseError::Api(ParsedError {
                status,
                body: Box::new(body),
                request_id,
                retry_after,
            })
        }
        Err(not) => ResponseError::UnexpectedBody(UnexpectedBody {
            status,
            content_type: headers
                .get(http::header::CONTENT_TYPE)
                .map(|value| excerpt(value.as_bytes())),
            excerpt: excerpt(body),
            len: body.len(),
            reason: not.reason,
            code: match (not.code, not.raw_code) {
                (Some(code), _) => Some(Box::new(ReadCode::Code(code))),
                (None, Some(raw)) => Some(Box::new(ReadCode::Malformed(raw))),
                (None, None) => None,
            },
            request_id: header_request_id,
            retry_after,
        }),
    }
}

/// The response's `X-Request-Id`, if there is exactly one and it is safe to log.
fn safe_header_id(headers: &HeaderMap) -> Option<String> {
    let mut values = headers.get_all(headers::X_REQUEST_ID).iter();
    match (values.next(), values.next()) {
        (Some(only), None) => {
            // `to_str` fails on anything but visible ASCII, which `is_safe` would refuse too.
            let id = only.to_str().ok()?.trim();
            RequestId::is_safe(id.as_bytes()).then(|| id.to_owned())
        }
        _ => None,
    }
}

/// At most [`EXCERPT_LEN`] bytes of `bytes` as text: invalid UTF-8 becomes U+FFFD, and the
/// cut falls on a character boundary, so the result is never longer than the limit even
/// when replacement characters (3 bytes each) stand for single bad bytes.
fn excerpt(bytes: &[u8]) -> String {
    // The common case, a short UTF-8 request id or body, is copied whole.
    if bytes.len() <= EXCERPT_LEN
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        return text.to_owned();
    }
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if out.len() + c.len_utf8() > EXCERPT_LEN {
                return out;
            }
            out.push(c);
        }
        if !chunk.invalid().is_empty() {
            if out.len() + char::REPLACEMENT_CHARACTER.len_utf8() > EXCERPT_LEN {
                return out;
            }
            out.push(char::REPLACEMENT_CHARACTER);
        }
    }
    out
}

/// An error response, read: either the contract's body, or something else.
///
/// Built by [`parse_error_response`]. `Display` is one line with the status and, for an API
/// error, the code and message; the full body is in the variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseError {
    /// The body is the contract's JSON.
    Api(ParsedError),
    /// The body is not the contract's JSON: a proxy's page, nothing, or garbage.
    UnexpectedBody(UnexpectedBody),
}

impl ResponseError {
    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        match self {
            ResponseError::Api(api) => api.status,
            ResponseError::UnexpectedBody(other) => other.status,
        }
    }

    /// The code, when the body had a readable one (even in a body that is otherwise not
    /// the contract's, see [`UnexpectedBody::code`]).
    pub fn code(&self) -> Option<&Code> {
        match self {
            ResponseError::Api(api) => Some(api.code()),
            ResponseError::UnexpectedBody(other) => other.code(),
        }
    }

    /// The request's id, for support tickets: the `X-Request-Id` header, else the body's.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ResponseError::Api(api) => api.request_id(),
            ResponseError::UnexpectedBody(other) => other.request_id(),
        }
    }

    /// How long the server asked to wait: the `Retry-After` header, else (for an API error)
    /// the body's `retry_after`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ResponseError::Api(api) => api.retry_after(),
            ResponseError::UnexpectedBody(other) => other.retry_after(),
        }
    }

    /// Whether and when to retry, by [`RetryPolicy::default`]'s rules; `attempt` counts the
    /// requests sent so far, this one included (1 after the first failure).
    pub fn retry_decision(&self, attempt: u32, jitter: Jitter) -> RetryDecision {
        RetryPolicy::default().decide(
            self.code(),
            self.status(),
            self.retry_after(),
            attempt,
            jitter,
        )
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Api(api) => fmt::Display::fmt(api, f),
            ResponseError::UnexpectedBody(other) => fmt::Display::fmt(other, f),
        }
    }
}

impl StdError for ResponseError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            ResponseError::Api(api) => Some(api),
            ResponseError::UnexpectedBody(other) => Some(other),
        }
    }
}

impl From<ParsedError> for ResponseError {
    fn from(api: ParsedError) -> Self {
        ResponseError::Api(api)
    }
}

impl From<UnexpectedBody> for ResponseError {
    fn from(other: UnexpectedBody) -> Self {
        ResponseError::UnexpectedBody(other)
    }
}

/// An error response whose body is the contract's JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedError {
    status: StatusCode,
    // Boxed so that `ResponseError` stays small enough to return by value in a `Result`
    // (clippy's `result_large_err` would flag every SDK function otherwise).
    body: Box<ReceivedBody>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
}

impl ParsedError {
    /// The HTTP status of the response (not the body's `status` member, which may be absent).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The code; compare it with an [`crate::ErrorCode`], or its [`Code::as_str`] when this
    /// build may not know it.
    pub fn code(&self) -> &Code {
        self.body.error()
    }

    /// The message, if the body had a string one: the server's text for end users.
    pub fn message(&self) -> Option<&ReceivedMessage> {
        self.body.message()
    }

    /// The whole body, for its other members (`run_id`, `task_id`, `errors`, ...).
    pub fn body(&self) -> &ReceivedBody {
        &self.body
    }

    /// The optional members the body had but that were left out as unreadable, for logs.
    pub fn dropped(&self) -> DroppedMembers {
        self.body.dropped()
    }

    /// The request's id: the `X-Request-Id` header, else the body's `request_id`.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How long the server asked to wait: the `Retry-After` header, else the body's
    /// `retry_after` seconds.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after.or_else(|| {
            self.body
                .retry_after()
                .map(|secs| Duration::from_secs(u64::from(secs)))
        })
    }
}

impl fmt::Display for ParsedError {
    /// `code (status): message` on one line (`code (status)` without a message); the
    /// message is the server's text, shortened if long.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.code().as_str(), SHOWN_CODE, false)?;
        write!(f, " ({})", self.status.as_u16())?;
        match self.message() {
            Some(message) => {
                f.write_str(": ")?;
                write_escaped(f, message.as_str(), SHOWN_MESSAGE, false)
            }
            None => Ok(()),
        }
    }
}

/// How many characters of a code `Display` prints; real codes are a few dozen.
const SHOWN_CODE: usize = 64;
/// How many characters of a message `Display` prints.
const SHOWN_MESSAGE: usize = 256;

impl StdError for ParsedError {}

/// An error response whose body is not the contract's JSON.
///
/// Keeps what helps a human find out what answered: the status, the `Content-Type`, the
/// first [`EXCERPT_LEN`] bytes of the body as text, and its full length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnexpectedBody {
    status: StatusCode,
    content_type: Option<String>,
    excerpt: String,
    len: usize,
    reason: UnexpectedReason,
    // Boxed, and rare: `ResponseError` stays small enough to return in a `Result`.
    code: Option<Box<ReadCode>>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
}

impl UnexpectedBody {
    /// How many characters of the excerpt `Display` prints, so a log line stays short.
    const SHOWN: usize = 80;

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `Content-Type` header, lossy UTF-8 and at most [`EXCERPT_LEN`] bytes.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The start of the body: at most [`EXCERPT_LEN`] bytes, cut on a character boundary,
    /// invalid UTF-8 replaced by U+FFFD.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }

    /// The body's full length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the body was empty (zero bytes; see [`UnexpectedReason::Empty`] for
    /// whitespace-only bodies).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Why the body is not an error body.
    pub fn reason(&self) -> UnexpectedReason {
        self.reason
    }

    /// The code, if the body's `error` was read before the body stopped being JSON: a body
    /// cut short or followed by other bytes, or too large, whose start is a contract body.
    pub fn code(&self) -> Option<&Code> {
        match self.code.as_deref() {
            Some(ReadCode::Code(code)) => Some(code),
            _ => None,
        }
    }

    /// The body's `error` when it was a string but not a code (see [`Code::from_wire`]),
    /// and no code was read: not the string itself but an excerpt of it, control
    /// characters, line separators and bidirectional overrides written as escapes (`\n`,
    /// `\u{0}`), at most 128 bytes, safe to log. Never typed, never matched on.
    ///
    /// ```
    /// use error_spec::{ResponseError, UnexpectedReason, parse_error_response};
    /// use http::{HeaderMap, StatusCode};
    ///
    /// let body = br#"{"error":"not_found\nX-Injected: 1","message":"x"}"#;
    /// let err = parse_error_response(StatusCode::NOT_FOUND, &HeaderMap::new(), body);
    /// let ResponseError::UnexpectedBody(other) = &err else { panic!("{err}") };
    /// assert_eq!(other.reason(), UnexpectedReason::NotContract);
    /// assert_eq!(err.code(), None);
    /// assert_eq!(other.raw_code(), Some(r"not_found\nX-Injected: 1"));
    /// ```
    pub fn raw_code(&self) -> Option<&str> {
        match self.code.as_deref() {
            Some(ReadCode::Malformed(raw)) => Some(raw),
            _ => None,
        }
    }

    /// The `X-Request-Id` header, if the response had exactly one, safe to log.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The `Retry-After` header, if the response had a valid one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl fmt::Display for UnexpectedBody {
    /// `unexpected 502 response (not json, 1234 bytes): <html>...`, the excerpt escaped and
    /// shortened so the line stays readable.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unexpected {} response ({}, {} bytes)",
            self.status.as_u16(),
            self.reason,
            self.len
        )?;
        if self.excerpt.is_empty() {
            return Ok(());
        }
        f.write_str(": ")?;
        write_escaped(f, &self.excerpt, Self::SHOWN, self.excerpt.len() < self.len)
    }
}

impl StdError for UnexpectedBody {}

/// What an unexpected body's `error` gave: a code, or an escaped excerpt of a string that is
/// not one. One box for both keeps `ResponseError` small.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ReadCode {
    Code(Code),
    Malformed(String),
}
