//! The server side: what a handler returns, and how it becomes a response.
//!
//! [`ApiError`] is the error a handler returns; its [`UserMessage`] is the only text that
//! reaches the body. [`ApiError::to_response`] renders it for any framework with a
//! [`RenderContext`] (the request id, the docs base URL, the key's [`RateLimitState`]);
//! the `axum` module (feature `axum`) does that inside an axum server.

#[cfg(feature = "axum")]
pub mod axum;
mod error;
#[cfg(feature = "limit")]
pub mod limit;
#[cfg(feature = "tracing")]
pub mod log;
#[cfg(feature = "panic")]
pub mod panic;
mod render;
#[cfg(feature = "axum")]
pub(crate) mod scope;

pub use crate::message::UserMessage;
pub use error::ApiError;
pub use render::{CONTENT_TYPE_PROBLEM_JSON, DEFAULT_DOC_BASE, RateLimitState, RenderContext};
