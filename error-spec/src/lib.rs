//! The API's error contract, declared once as a table, and the runtime types built from it.
//!
//! [`ErrorCode`] is the table: one variant per error code, each with an `#[error(...)]` row
//! in `error-spec/src/table.rs`. The `#[error_table]` macro from `error-derive` checks every
//! row at compile time and generates the enum's docs and API from it:
//!
//! ```
//! use error_spec::{Category, ErrorCode, RetryClass};
//!
//! let code: ErrorCode = "rate_limit_exceeded".parse()?;
//! assert_eq!(code, ErrorCode::RateLimitExceeded);
//! assert_eq!(code.status(), http::StatusCode::TOO_MANY_REQUESTS);
//! assert_eq!(code.category(), Category::Runtime);
//! assert_eq!(code.retry(), RetryClass::RetryAfter);
//! assert_eq!(code.remedy(), "Retry after the Retry-After header seconds");
//! assert_eq!(serde_json::to_string(&code)?, r#""rate_limit_exceeded""#);
//!
//! let err = "rate_limit".parse::<ErrorCode>().unwrap_err();
//! assert_eq!(err.to_string(), "unknown error code `rate_limit`");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The table's syntax
//!
//! The header, `#[error_table(version = "1.0.0", categories(Authentication, ...))]`, names
//! the contract version (strict SemVer: three numbers without leading zeros) and the
//! categories in the order the docs list them (each category's wire string, `RateLimits`
//! to `rate_limits`, must be unique). Each row is:
//!
//! ```text
//! #[error(
//!     code = "invalid_api_key",        // the wire string: lowercase snake_case ASCII, at most 63 characters, unique
//!     status = 401,                    // three plain digits, 400 to 599
//!     category = Authentication,       // one the header declares, without quotes
//!     title = "Invalid API key",       // RFC 9457 title
//!     message = "...",                 // default message, safe to show end users
//!     when = "...",                    // word for word from the reference
//!     remedy = "...",                  // word for word from the reference
//!     retry = never,                   // never | retry_after | backoff | pause(MIN, MAX) | resubmit_async
//!     deprecated = "...",              // optional: the code is deprecated, and why
//! )]
//! ```
//!
//! Every text (`title`, `message`, `when`, `remedy`, `deprecated`) is one line of plain
//! text: not empty, no outer whitespace, no line break, no control character (such as an
//! ANSI escape) and no bidirectional override.
//!
//! A mistake is a compile error at the mistake, and every mistake is reported in the same
//! build, one error each: a value that does not parse (the rest of the row is still read),
//! a missing `,`, a key in quotes, a duplicate code (both rows are pointed at), a code that
//! is not snake_case or is too long, a status that is not three plain digits from 400 to
//! 599 (`4_01`, `0x191` and `401u16` are refused), an undeclared category, a text that
//! breaks the rule above, an unknown or repeated key, a missing key, and a retry class
//! that contradicts the status (`retry_after` needs 429 or 503, `pause` needs 503,
//! `backoff` a 5xx other than 501 and 505, `resubmit_async` 408, and `never` any status but
//! 429 and 503). The enum takes no generics, cannot be named `Category` (the macro
//! generates that enum beside it), and derives none of the traits the macro implements
//! (`Clone`, `Copy`, `Debug`, the comparisons, `Hash`, serde's and strum's). The rules
//! live in the `error_rules` crate, which the runtime reads too.
//!
//! # Beside the table
//!
//! The status table ([`STATUS_TABLE`]), the rate-limit tiers ([`TIERS`]) and the header
//! names ([`headers`]) are declared once here too, because the docs and headers come from
//! them.
//!
//! # Answering errors on a server
//!
//! [`ApiError`] is what a handler returns; its [`UserMessage`] is the only text that reaches
//! the body, and an internal cause ([`ApiError::with_source`]) never does.
//! [`ApiError::to_response`] renders it for any framework with a [`RenderContext`] (the
//! request id, the docs base URL, the key's [`RateLimitState`]).
//!
//! # Features
//!
//! None is on by default, so a server's build pulls neither utoipa nor schemars nor axum.
//!
//! - `axum`: `IntoResponse` for [`ApiError`], the `contract_middleware` middleware, and
//!   extractors whose rejection is the contract's body (module `axum`).
//! - `utoipa`: `utoipa::ToSchema` for the wire types; the workspace's `error-spec-openapi` crate builds
//!   OpenAPI components from them.
//! - `schemars`: `schemars::JsonSchema` for the same types, for aide and other schemars users.
//! - `tracing`: every error response logged once, with its cause chain (module `log`).
//! - `panic`: a panicking handler answers `internal_error` (module `panic`).
//! - `limit`: the tiers enforced by a tower layer on governor (module `limit`); `redis`
//!   adds its Redis backend so replicas share one limit.
//! - `reqwest`: a reqwest response read into its body or a [`ResponseError`], and a
//!   `Retrier` that follows the retry decisions (module `sdk::reqwest`); no TLS stack.
//!
//! # Reading errors in an SDK
//!
//! [`parse_error_response`] turns a response's status, headers and body bytes into a
//! [`ResponseError`] and never fails: any JSON object whose `error` is a code is a
//! [`ParsedError`] (an unknown code kept raw, see [`Code`]; every other member read on its
//! own into a [`ReceivedBody`]), anything else an [`UnexpectedBody`] with a bounded
//! excerpt. A code is a string in the table's code grammar (lowercase snake_case ASCII, at
//! most 63 bytes); any other `error` string is no code, kept only as an escaped excerpt
//! ([`UnexpectedBody::raw_code`]), and a raw control character inside a JSON string is not
//! JSON. Received text is a [`ReceivedMessage`], which never converts into a server's
//! [`UserMessage`]. [`ResponseError::retry_decision`] and [`RetryPolicy`] say whether and when to
//! retry, from the code's [`RetryClass`].
//!
//! # A table of your own
//!
//! Another crate can declare its own table with the re-exported [`error_table`] macro. It
//! gets exactly what the macro generates: the enum with its row methods (`as_str`,
//! `status`, `category`, `title`, `message`, `when`, `remedy`, `retry`, `deprecated`,
//! `spec`, `ALL`, `COUNT`, `CONTRACT_VERSION`), `Display`, `FromStr`, serde as the wire
//! string, strum's traits, and a `Category` enum beside it, all checked by the same rules.
//! It does not get the runtime: [`ApiError`], the body, the axum integration, the SDK
//! parser and the OpenAPI components are built on this crate's [`ErrorCode`] and work
//! with this table only.
//!
//! ```
//! mod billing {
//!     #[error_spec::error_table(version = "1.0.0", categories(Billing))]
//!     pub enum BillingCode {
//!         #[error(
//!             code = "card_declined",
//!             status = 402,
//!             category = Billing,
//!             title = "Card declined",
//!             message = "The card was declined.",
//!             when = "The issuer refused the charge",
//!             remedy = "Use another card",
//!             retry = never,
//!         )]
//!         CardDeclined,
//!     }
//! }
//! use billing::{BillingCode, Category};
//!
//! assert_eq!("card_declined".parse::<BillingCode>()?, BillingCode::CardDeclined);
//! assert_eq!(BillingCode::CardDeclined.status().as_u16(), 402);
//! assert_eq!(BillingCode::CardDeclined.category(), Category::Billing);
//! # Ok::<(), error_spec::ParseError>(())
//! ```

#![deny(missing_docs)]
// docs.rs builds with `--cfg docsrs` on nightly: each item gated by a feature shows which.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The generated code names this crate by absolute path, `::error_spec::...`, so that it
// reads the same inside and outside the crate.
extern crate self as error_spec;

mod api;
mod body;
mod code;
pub mod headers;
mod message;
pub mod operation;
mod pointer;
mod rate_limit;
mod request_id;
#[cfg(any(feature = "utoipa", feature = "schemars"))]
pub mod schema;
pub mod sdk;
pub mod server;
mod spec;
mod status;
mod table;
mod task;

/// The attribute macro that turns an enum of `#[error(...)]` rows into an error table.
///
/// Re-exported so a crate declares its own table as `#[error_spec::error_table(...)]`
/// without depending on `error-derive`; the generated code names `::error_spec::__private`,
/// so it compiles outside this crate. The syntax and the rules are described on [`crate`].
pub use error_derive::error_table;

/// Declares the error codes one operation can return; see [`operation`](mod@operation) for what it derives.
pub use error_derive::operation;

// The contract's data: the table, the statuses, the tiers, the wire types.
pub use body::{ErrorBody, FieldError};
pub use code::Code;
pub use pointer::{JsonPointer, PointerError};
pub use rate_limit::{TIERS, Tier, tier};
pub use request_id::RequestId;
pub use spec::{CodeSpec, ParseError, RetryClass};
pub use status::{STATUS_TABLE, StatusRow, codes_for_status, error_statuses, status_row};
pub use table::{Category, ErrorCode};
pub use task::FailedTask;

// The server and SDK sides, also at the root, where users have always imported them.
pub use sdk::{
    EXCERPT_LEN, Jitter, MAX_BODY_LEN, ParsedError, ReceivedBody, ReceivedMessage, ResponseError,
    RetryDecision, RetryPolicy, UnexpectedBody, UnexpectedReason, parse_error_response,
    parse_error_response_at, parse_retry_after,
};
#[cfg(feature = "axum")]
pub use server::axum;
#[cfg(feature = "limit")]
pub use server::limit;
#[cfg(feature = "tracing")]
pub use server::log;
#[cfg(feature = "panic")]
pub use server::panic;
pub use server::{
    ApiError, CONTENT_TYPE_PROBLEM_JSON, DEFAULT_DOC_BASE, RateLimitState, RenderContext,
    UserMessage,
};

// `http` is in the public API (statuses, headers, responses): re-exported so that users
// name the same version this crate was built with.
pub use http;

/// The contract's rules (retry classes per status, the error statuses, the timing figures,
/// how codes and texts are written), shared with the `#[error_table]` macro.
pub use error_rules;

// The workspace README's and the operations guide's examples are doctests of the
// unpublished `doc-tests/` crate: a published package reads nothing outside its folder.
// This crate's own README ships with it and is checked here.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// What the code generated by `#[error_table]` names; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::operation::__private as operation;
    pub use crate::operation::{Operation, OperationError};
    pub use crate::spec::{CodeSpec, ParseError, RetryClass};
    pub use crate::status::status_from_number as status;
    pub use crate::{ApiError, ErrorCode, JsonPointer, UserMessage};
    pub use ::http::StatusCode;
    pub use ::serde;
    pub use ::strum;

    /// The error `FromStr` returns for an unknown string.
    ///
    /// Cold and out of line: the inlined `FromStr` then holds only the success path.
    #[cold]
    #[inline(never)]
    pub fn parse_error(kind: &'static str, input: &str) -> ParseError {
        ParseError::new(kind, input)
    }
}
