//! Error responses as tracing events, behind the `tracing` feature: each one logged once,
//! with the cause the body never shows.
//!
//! [`contract_middleware`](crate::axum::contract_middleware) calls [`log_error_response`]
//! for every error it renders; other frameworks call it where they render. The event's
//! fields use OpenTelemetry's semantic-convention names where one exists:
//!
//! | Field | Value |
//! | --- | --- |
//! | `request_id` | the `X-Request-Id` and the body's `request_id` |
//! | `error.type` | the error code, `internal_error` |
//! | `http.response.status_code` | `500` |
//! | `http.request.method` | `POST` |
//! | `http.route` | the matched route, `/runs/{id}` |
//! | `run_id`, `task_id` | when the error names them |
//! | `exception.message` | the whole cause chain, outermost first, joined with `: ` |
//!
//! 5xx are logged at ERROR and 4xx at INFO unless [`LogLevels`] says otherwise.
//!
//! ```
//! use error_spec::log::{LogLevels, ErrorEvent, log_error_response};
//! use error_spec::{ApiError, RequestId};
//!
//! let err = ApiError::internal(std::io::Error::other("disk full"));
//! let request_id = RequestId::mint();
//! let event = ErrorEvent::new(&err, &request_id).with_method("POST").with_route("/runs");
//! log_error_response(&LogLevels::default(), &event);
//! ```

use std::error::Error as StdError;
use std::fmt::Write as _;

use tracing::Level;

use crate::{ApiError, RequestId};

/// The level each kind of error response is logged at; `None` leaves it unlogged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLevels {
    server: Option<Level>,
    client: Option<Level>,
}

impl LogLevels {
    /// 5xx (the server's fault, someone is paged) at ERROR, 4xx (the client's) at INFO.
    pub const DEFAULT: LogLevels = LogLevels {
        server: Some(Level::ERROR),
        client: Some(Level::INFO),
    };

    /// Sets the level of 5xx responses.
    #[must_use]
    pub fn with_server_errors(mut self, level: Option<Level>) -> Self {
        self.server = level;
        self
    }

    /// Sets the level of 4xx responses.
    #[must_use]
    pub fn with_client_errors(mut self, level: Option<Level>) -> Self {
        self.client = level;
        self
    }

    /// The level for a response with this error, if it is logged.
    pub fn level_for(&self, error: &ApiError) -> Option<Level> {
        if error.code().status().is_server_error() {
            self.server
        } else {
            self.client
        }
    }
}

impl Default for LogLevels {
    fn default() -> Self {
        LogLevels::DEFAULT
    }
}

/// One error response, as logged: the error and what the request adds.
#[derive(Debug, Clone, Copy)]
pub struct ErrorEvent<'a> {
    error: &'a ApiError,
    request_id: &'a RequestId,
    method: Option<&'a str>,
    route: Option<&'a str>,
}

impl<'a> ErrorEvent<'a> {
    /// The response for `error` to the request `request_id`.
    pub fn new(error: &'a ApiError, request_id: &'a RequestId) -> Self {
        ErrorEvent {
            error,
            request_id,
            method: None,
            route: None,
        }
    }

    /// The request's method.
    #[must_use]
    pub fn with_method(mut self, method: &'a str) -> Self {
        self.method = Some(method);
        self
    }

    /// The route template the request matched, not the raw path (ids stay out of the
    /// field's cardinality).
    #[must_use]
    pub fn with_route(mut self, route: &'a str) -> Self {
        self.route = Some(route);
        self
    }
}

/// The error's cause chain, outermost first, joined with `: `; `None` without a cause.
pub fn cause_chain(error: &ApiError) -> Option<String> {
    let mut source = StdError::source(error)?;
    let mut chain = String::new();
    loop {
        let _ = write!(chain, "{source}");
        match source.source() {
            Some(next) => {
                chain.push_str(": ");
                source = next;
            }
            None => return Some(chain),
        }
    }
}

/// Logs one error response at the level `levels` gives it.
pub fn log_error_response(levels: &LogLevels, event: &ErrorEvent<'_>) {
    let Some(level) = levels.level_for(event.error) else {
        return;
    };
    let error = event.error;
    let chain = cause_chain(error);
    // tracing needs the level as a constant at each call site.
    macro_rules! emit {
        ($level:expr) => {
            tracing::event!(
                $level,
                request_id = event.request_id.as_str(),
                error.type = error.code().as_str(),
                http.response.status_code = error.code().status().as_u16(),
                http.request.method = event.method,
                http.route = event.route,
                run_id = error.run_id(),
                task_id = error.task_id(),
                exception.message = chain.as_deref(),
                "error response: {}",
                error.code()
            )
        };
    }
    match level {
        Level::ERROR => emit!(Level::ERROR),
        Level::WARN => emit!(Level::WARN),
        Level::INFO => emit!(Level::INFO),
        Level::DEBUG => emit!(Level::DEBUG),
        _ => emit!(Level::TRACE),
    }
}
