//! [`ApiError`]: the error a server returns, with its internal cause kept out of the body.

use std::error::Error as StdError;
use std::fmt;

use error_rules::timing::RATE_LIMIT_WINDOW_SECS;

use crate::body::BodyParts;
use crate::{ErrorBody, ErrorCode, FieldError, JsonPointer, RequestId, RetryClass, UserMessage};

type Source = Box<dyn StdError + Send + Sync + 'static>;

/// An error a server answers with: a code from the table, a user-safe message, the
/// request's ids, and, for logs only, the internal cause.
///
/// The cause ([`ApiError::with_source`], [`ApiError::internal`]) is reachable through
/// [`std::error::Error::source`] for logging, and through nothing that builds a body:
/// [`ApiError::to_body`] reads the code, the [`UserMessage`] and the ids, never the
/// source, and `Display` prints only the code and the message.
///
/// ```
/// use error_spec::{ApiError, ErrorCode, RequestId};
///
/// let io = std::io::Error::other("open /etc/app/secret.key: permission denied");
/// let err = ApiError::internal(io);
/// let body = err.to_body(&RequestId::mint(), "https://docs.example.com/errors");
/// let json = String::from_utf8(body.to_json()).unwrap();
/// assert!(json.contains(r#""error":"internal_error""#));
/// assert!(!json.contains("secret.key"));
/// assert!(std::error::Error::source(&err).is_some()); // still there for the logs
/// ```
pub struct ApiError {
    // Boxed so that `Result<T, ApiError>` stays one pointer wide on the error side: handlers
    // return it on every path, and clippy's `result_large_err` would flag it in users' code.
    inner: Box<Inner>,
}

/// What an [`ApiError`] holds.
struct Inner {
    code: ErrorCode,
    message: UserMessage,
    errors: Vec<FieldError>,
    retry_after: Option<u32>,
    run_id: Option<String>,
    task_id: Option<String>,
    source: Option<Source>,
}

impl ApiError {
    /// An error with the table's default message for `code`.
    pub fn new(code: ErrorCode) -> Self {
        ApiError {
            inner: Box::new(Inner {
                code,
                message: UserMessage::default_for(code),
                errors: Vec::new(),
                retry_after: None,
                run_id: None,
                task_id: None,
                source: None,
            }),
        }
    }

    /// An `internal_error` caused by `source`, which is kept for logs only.
    pub fn internal(source: impl Into<Source>) -> Self {
        ApiError::new(ErrorCode::InternalError).with_source(source)
    }

    /// A `rate_limit_exceeded` with the limiter's figure for `Retry-After`.
    pub fn rate_limited(retry_after_secs: u32) -> Self {
        ApiError::new(ErrorCode::RateLimitExceeded).with_retry_after(retry_after_secs)
    }

    /// Replaces the default message with text written for end users.
    #[must_use]
    pub fn with_message(mut self, message: UserMessage) -> Self {
        self.inner.message = message;
        self
    }

    /// Attaches the internal cause, for logs. It never reaches the body.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<Source>) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    /// Adds a problem with one field of the request (`invalid_request`, `validation_error`).
    #[must_use]
    pub fn with_field_error(mut self, pointer: JsonPointer, message: UserMessage) -> Self {
        self.inner.errors.push(FieldError { pointer, message });
        self
    }

    /// Sets the seconds for `Retry-After`; used only where the code's retry class uses it.
    #[must_use]
    pub fn with_retry_after(mut self, secs: u32) -> Self {
        self.inner.retry_after = Some(secs);
        self
    }

    /// Names the run the request belongs to.
    #[must_use]
    pub fn with_run_id(mut self, run_id: impl Into<String>) -> Self {
        self.inner.run_id = Some(run_id.into());
        self
    }

    /// Names the async task the request belongs to.
    #[must_use]
    pub fn with_task_id(mut self, task_id: impl Into<String>) -> Self {
        self.inner.task_id = Some(task_id.into());
        self
    }

    /// The code.
    pub fn code(&self) -> ErrorCode {
        self.inner.code
    }

    /// The message, exactly as the body carries it.
    pub fn message(&self) -> &UserMessage {
        &self.inner.message
    }

    /// The field problems.
    pub fn field_errors(&self) -> &[FieldError] {
        &self.inner.errors
    }

    /// The run id, if set.
    pub fn run_id(&self) -> Option<&str> {
        self.inner.run_id.as_deref()
    }

    /// The task id, if set.
    pub fn task_id(&self) -> Option<&str> {
        self.inner.task_id.as_deref()
    }

    /// The seconds sent as `Retry-After` and `retry_after`: the figure set with
    /// [`Self::with_retry_after`], else the table's default (the pause's lower bound for
    /// `pause(..)`, one rate-limit window of 60 s for `retry_after`); `None` for codes whose
    /// retry class does not use it.
    pub fn retry_after(&self) -> Option<u32> {
        match self.inner.code.retry() {
            RetryClass::RetryAfter => {
                Some(self.inner.retry_after.unwrap_or(RATE_LIMIT_WINDOW_SECS))
            }
            RetryClass::Pause { min_secs, max_secs } => Some(
                self.inner
                    .retry_after
                    .map_or(min_secs, |secs| secs.clamp(min_secs, max_secs)),
            ),
            RetryClass::Never | RetryClass::Backoff | RetryClass::ResubmitAsync => None,
        }
    }

    /// The body for this error. `doc_base` is the server's docs URL for the error reference;
    /// each code's `doc_url` is it plus the code's anchor.
    ///
    /// The body's `message` is the error's [`UserMessage`] as set, nothing added: the field
    /// problems, whose pointers name fields the client chose, are in `errors` only.
    pub fn to_body(&self, request_id: &RequestId, doc_base: &str) -> ErrorBody {
        ErrorBody::from_parts(self.body_parts(request_id, doc_base))
    }

    /// The body's JSON bytes, the same as `self.to_body(..).to_json()` without building the
    /// owned body first.
    pub(crate) fn body_json(&self, request_id: &RequestId, doc_base: &str) -> Vec<u8> {
        self.body_parts(request_id, doc_base).to_json()
    }

    fn body_parts<'a>(&'a self, request_id: &'a RequestId, doc_base: &'a str) -> BodyParts<'a> {
        BodyParts {
            code: self.inner.code,
            message: &self.inner.message,
            request_id: request_id.as_str(),
            run_id: self.inner.run_id.as_deref(),
            task_id: self.inner.task_id.as_deref(),
            doc_base,
            retry_after: self.retry_after(),
            errors: &self.inner.errors,
        }
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError::new(code)
    }
}

impl fmt::Display for ApiError {
    /// The code and the user-safe message; the internal cause is never printed here.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.inner.code, self.inner.message)
    }
}

impl fmt::Debug for ApiError {
    /// For logs: includes the internal cause.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("code", &self.inner.code)
            .field("message", &self.inner.message)
            .field("errors", &self.inner.errors)
            .field("retry_after", &self.inner.retry_after)
            .field("run_id", &self.inner.run_id)
            .field("task_id", &self.inner.task_id)
            .field("source", &self.inner.source)
            .finish()
    }
}

impl StdError for ApiError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::ApiError;
    use crate::ErrorCode;

    /// `headers` says which codes carry `Retry-After` from the retry class alone, without
    /// building an error; it must name exactly the codes whose errors give a value.
    #[test]
    fn retry_after_scope_matches_the_errors_that_send_it() {
        let mut sent = 0;
        for code in ErrorCode::ALL.iter().copied() {
            let gives = ApiError::new(code).retry_after().is_some();
            assert_eq!(code.retry().sends_retry_after(), gives, "{code}");
            sent += usize::from(gives);
        }
        assert!(
            sent >= 2,
            "rate_limit_exceeded and service_unavailable send it"
        );
    }
}
