//! Whether one response conforms to its operation: the run-time check
//! `contract_middleware` makes on every error response, and the helper tests call.

use std::fmt;

use http::{HeaderMap, StatusCode};

use crate::api::{Api, Operation};
use crate::{ErrorCode, ResponseError, headers, parse_error_response};

/// What is wrong with one response, for its operation: every problem found, one sentence
/// each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// `METHOD path` as the request was routed.
    pub route: String,
    /// The operation's id, when the route is a declared operation.
    pub operation: Option<&'static str>,
    /// The problems.
    pub problems: Vec<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.operation {
            Some(id) => write!(f, "{} (operation `{id}`)", self.route)?,
            None => write!(f, "{}", self.route)?,
        }
        write!(f, " does not conform: {}", self.problems.join("; "))
    }
}

impl std::error::Error for Violation {}

/// The result of checking one response: [`Conformance::result`] for code,
/// [`Conformance::assert`] for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conformance(Result<(), Violation>);

impl Conformance {
    /// `Ok` when the response conforms.
    pub fn result(self) -> Result<(), Violation> {
        self.0
    }

    /// Panics, with every problem, when the response does not conform.
    #[track_caller]
    pub fn assert(self) {
        if let Err(violation) = self.0 {
            panic!("{violation}");
        }
    }
}

impl Api {
    /// Checks one response of the route `path` (the template the router matched, e.g.
    /// `/runs/{run_id}`) for `method` against its operation: the route is a declared
    /// operation, every response carries `X-Request-Id`, and an error response (4xx, 5xx)
    /// has the contract's media type and body (every member readable, `error`, `message`,
    /// `status` and `request_id` present, `status` equal to the response's), a code of the
    /// table whose status is the response's, that code among those the operation can answer
    /// with ([`Api::codes`]), and `Retry-After` exactly when the code's retry class uses it.
    ///
    /// ```
    /// use error_spec::http::{HeaderMap, HeaderValue, StatusCode};
    /// use error_spec::operation::{Api, Operation};
    /// use error_spec::ErrorCode;
    ///
    /// const GET_RUN: Operation =
    ///     Operation::new("getRun", "get", "GET", "/runs/{run_id}", &[ErrorCode::NotFound], false);
    /// const API: Api = Api::new(&[&GET_RUN]);
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-request-id", HeaderValue::from_static("req_1"));
    /// headers.insert("content-type", HeaderValue::from_static("application/problem+json"));
    /// let body = br#"{"error":"gone","message":"Gone.","status":410,"request_id":"req_1"}"#;
    /// let violation = API
    ///     .check_response("GET", "/runs/{run_id}", StatusCode::GONE, &headers, body)
    ///     .result()
    ///     .unwrap_err();
    /// assert_eq!(
    ///     violation.problems,
    ///     ["the code `gone` is not declared by `getRun`, which answers `not_found`"]
    /// );
    /// ```
    pub fn check_response(
        &self,
        method: &str,
        path: &str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Conformance {
        let operation = self.find(method, path);
        let mut problems = Vec::new();
        if operation.is_none() {
            problems.push(format!(
                "no declared operation serves {} {path}",
                method.to_ascii_uppercase()
            ));
        }
        if !headers.contains_key(headers::X_REQUEST_ID) {
            problems.push("the response has no `X-Request-Id`".to_owned());
        }
        if status.is_client_error() || status.is_server_error() {
            self.check_error(operation, status, headers, body, &mut problems);
        }
        let route = format!("{} {path}", method.to_ascii_uppercase());
        Conformance(if problems.is_empty() {
            Ok(())
        } else {
            Err(Violation {
                route,
                operation: operation.map(|op| op.id),
                problems,
            })
        })
    }

    /// The checks of an error response.
    fn check_error(
        &self,
        operation: Option<&Operation>,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        problems: &mut Vec<String>,
    ) {
        let media_type = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        if media_type != crate::CONTENT_TYPE_PROBLEM_JSON {
            problems.push(format!(
                "the Content-Type is `{}`, not `{}`",
                media_type.escape_debug(),
                crate::CONTENT_TYPE_PROBLEM_JSON
            ));
        }
        let parsed = match parse_error_response(status, headers, body) {
            ResponseError::Api(parsed) => parsed,
            ResponseError::UnexpectedBody(unexpected) => {
                problems.push(format!(
                    "the body is not the contract's error body ({:?})",
                    unexpected.reason()
                ));
                return;
            }
        };
        let received = parsed.body();
        if !parsed.dropped().is_empty() {
            let members: Vec<String> = parsed
                .dropped()
                .iter()
                .map(|member| format!("{member:?}"))
                .collect();
            problems.push(format!(
                "the body has unreadable members: {}",
                members.join(", ")
            ));
        }
        if received.message().is_none() {
            problems.push("the body has no `message`".to_owned());
        }
        if received.request_id().is_none() {
            problems.push("the body has no `request_id`".to_owned());
        }
        if received.status() != Some(status.as_u16()) {
            problems.push(format!(
                "the body's `status` is {:?}, the response's {}",
                received.status(),
                status.as_u16()
            ));
        }
        let Some(code) = parsed.code().known() else {
            problems.push(format!(
                "the code `{}` is not in the table",
                parsed.code().as_str().escape_debug()
            ));
            return;
        };
        if code.status() != status {
            problems.push(format!(
                "the code `{code}` is sent with {}, not {}",
                code.status().as_u16(),
                status.as_u16()
            ));
        }
        if let Some(operation) = operation
            && !self.can_answer(operation, code)
        {
            let declared: Vec<String> = self
                .codes(operation)
                .iter()
                .map(|code| format!("`{code}`"))
                .collect();
            problems.push(format!(
                "the code `{code}` is not declared by `{}`, which answers {}",
                operation.id,
                if declared.is_empty() {
                    "no error".to_owned()
                } else {
                    declared.join(", ")
                }
            ));
        }
        let wants_retry_after = headers::ALL
            .iter()
            .find(|header| header.name == headers::RETRY_AFTER)
            .is_some_and(|header| header.scope.carried_with(code));
        let has_retry_after = headers.contains_key(headers::RETRY_AFTER);
        if wants_retry_after != has_retry_after {
            problems.push(if wants_retry_after {
                format!("`{code}` needs `Retry-After`, and the response has none")
            } else {
                format!("`{code}` takes no `Retry-After`, and the response has one")
            });
        }
    }

    /// The operation, the code and the codes it may answer with, when `code` on the route is
    /// undeclared: what `contract_middleware` logs.
    pub fn undeclared(
        &self,
        method: &str,
        path: &str,
        code: ErrorCode,
    ) -> Option<(&'static Operation, Vec<ErrorCode>)> {
        let operation = self.find(method, path)?;
        if self.can_answer(operation, code) {
            None
        } else {
            Some((operation, self.codes(operation)))
        }
    }
}
