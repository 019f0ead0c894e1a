//! The SDK side: reading an error response, and deciding whether to retry.
//!
//! [`parse_error_response`] turns a response's status, headers and body bytes into a
//! [`ResponseError`] and never fails; the body is read into a [`ReceivedBody`], the SDK's
//! own type, leniently so that the code survives any other member being unreadable.
//! [`ResponseError::retry_decision`] and [`RetryPolicy`] say whether and when to retry,
//! from the code's retry class; [`parse_retry_after`] reads a `Retry-After` header on its
//! own.

mod escape;
mod lenient;
mod parse;
mod read;
mod reason;
mod received;
#[cfg(feature = "reqwest")]
pub mod reqwest;
mod retry;
mod retry_after;
mod scan;
mod task;

pub use parse::{
    EXCERPT_LEN, ParsedError, ResponseError, UnexpectedBody, parse_error_response,
    parse_error_response_at,
};
pub use reason::{MAX_BODY_LEN, UnexpectedReason};
pub use received::{DroppedMembers, Member, ReceivedBody, ReceivedFieldError, ReceivedMessage};
pub use retry::{Jitter, RetryDecision, RetryPolicy};
pub use retry_after::parse_retry_after;
pub use task::ReceivedTask;
