//! The hand-written types the generated table is made of: a row, a retry class, a parse error.

use std::fmt;

use http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::{Category, ErrorCode};

/// One row of the table: everything it says about one error code.
///
/// Obtained from [`ErrorCode::spec`]; the fields are also available one by one as methods
/// of [`ErrorCode`]. The code and category types are parameters so that a table declared
/// with `#[error_table]` in another crate gets rows of its own enums; they default to this
/// crate's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CodeSpec<C = ErrorCode, K = Category> {
    /// The code this row declares.
    pub code: C,
    /// The wire string, the `error` field of the body.
    pub wire: &'static str,
    /// The HTTP status the code is sent with.
    pub status: StatusCode,
    /// The category the reference files it under.
    pub category: K,
    /// A short title; the RFC 9457 `title`.
    pub title: &'static str,
    /// The default end-user-safe `message`.
    pub message: &'static str,
    /// When the API sends this code.
    pub when: &'static str,
    /// What a client should do about it.
    pub remedy: &'static str,
    /// How a client should retry.
    pub retry: RetryClass,
    /// Why the code is deprecated, if it is.
    pub deprecated: Option<&'static str>,
}

impl<C, K> CodeSpec<C, K> {
    /// A row from its fields, for the code `#[error_table]` generates: the struct is
    /// `#[non_exhaustive]`, so other crates cannot write it as a struct expression.
    #[doc(hidden)]
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per column of the table, called only by generated code"
    )]
    pub const fn __new(
        code: C,
        wire: &'static str,
        status: StatusCode,
        category: K,
        title: &'static str,
        message: &'static str,
        when: &'static str,
        remedy: &'static str,
        retry: RetryClass,
        deprecated: Option<&'static str>,
    ) -> Self {
        CodeSpec {
            code,
            wire,
            status,
            category,
            title,
            message,
            when,
            remedy,
            retry,
            deprecated,
        }
    }
}

/// How a client should retry a request that failed with a given code.
///
/// In the table a row writes it as `retry = never`, `retry_after`, `backoff`,
/// `pause(MIN_SECS, MAX_SECS)` or `resubmit_async`; the macro rejects a class that
/// contradicts the row's status. Serialized as `{"class": "pause", "min_secs": 30, ...}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "class", rename_all = "snake_case")]
pub enum RetryClass {
    /// Do not retry as is: the request, the key or the account must change first.
    Never,
    /// Retry after the number of seconds in the `Retry-After` header.
    RetryAfter,
    /// Retry with exponential backoff and jitter.
    Backoff,
    /// Retry after a pause of `min_secs` to `max_secs` seconds; the server also sends
    /// `Retry-After` within that range.
    Pause {
        /// The shortest pause, in seconds.
        min_secs: u32,
        /// The longest pause, in seconds.
        max_secs: u32,
    },
    /// Do not retry synchronously: resubmit with `async: true` and poll the task.
    ResubmitAsync,
}

impl RetryClass {
    /// The class's name as the table writes it: `never`, `retry_after`, `backoff`, `pause`,
    /// `resubmit_async`.
    pub const fn as_str(self) -> &'static str {
        self.name().as_str()
    }

    /// The class without its arguments, as `error_rules` states the rules for it.
    pub const fn name(self) -> error_rules::retry::ClassName {
        use error_rules::retry::ClassName;
        match self {
            RetryClass::Never => ClassName::Never,
            RetryClass::RetryAfter => ClassName::RetryAfter,
            RetryClass::Backoff => ClassName::Backoff,
            RetryClass::Pause { .. } => ClassName::Pause,
            RetryClass::ResubmitAsync => ClassName::ResubmitAsync,
        }
    }

    /// Whether an error response of this class carries `Retry-After`: the classes that tell
    /// the client to wait a given time. `ApiError::retry_after` gives the value; a test there
    /// keeps the two in step.
    pub(crate) const fn sends_retry_after(self) -> bool {
        matches!(self, RetryClass::RetryAfter | RetryClass::Pause { .. })
    }
}

impl fmt::Display for RetryClass {
    /// Retry advice in one sentence, as the docs print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryClass::Never => f.write_str("Do not retry the same request"),
            RetryClass::RetryAfter => f.write_str("Retry after the `Retry-After` header's seconds"),
            RetryClass::Backoff => f.write_str("Retry with exponential backoff and jitter"),
            RetryClass::Pause { min_secs, max_secs } => {
                write!(
                    f,
                    "Retry after a pause of {min_secs}-{max_secs} s (`Retry-After` gives it)"
                )
            }
            RetryClass::ResubmitAsync => {
                f.write_str("Resubmit with `async: true`, then poll the task")
            }
        }
    }
}

/// A string that names no known [`ErrorCode`] or [`Category`].
///
/// Returned by their `FromStr` impls; it keeps the rejected input so the caller can log it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    // Boxed so that `Result<ErrorCode, ParseError>` stays two words: the success path of
    // `FromStr` then costs no more than strum's, whose error carries no input.
    inner: Box<ParseErrorInner>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ParseErrorInner {
    kind: &'static str,
    input: String,
}

impl ParseError {
    /// Longest input that [`fmt::Display`] prints in full; longer input is cut there, so a
    /// hostile string cannot flood a log line.
    const SHOWN: usize = 64;

    pub(crate) fn new(kind: &'static str, input: &str) -> Self {
        ParseError {
            inner: Box::new(ParseErrorInner {
                kind,
                input: input.to_owned(),
            }),
        }
    }

    /// The rejected input, whole.
    pub fn input(&self) -> &str {
        &self.inner.input
    }

    /// What was being parsed: `"error code"` or `"category"`.
    pub fn kind(&self) -> &'static str {
        self.inner.kind
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ParseErrorInner { kind, input } = &*self.inner;
        let shown: String = input.chars().take(Self::SHOWN).collect();
        let more = if shown.len() < input.len() { "…" } else { "" };
        write!(f, "unknown {kind} `{}{more}`", shown.escape_debug())
    }
}

impl std::error::Error for ParseError {}
