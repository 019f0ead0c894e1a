//! Why bytes are not a body, and how many of them are read at all: shared by every layer
//! of the reader (`parse` reports it, `read`, `lenient` and `scan` decide it, `task` reuses
//! it), so it is a leaf that imports none of them.

use std::fmt;

/// The largest body [`parse_error_response`](super::parse_error_response) parses; a longer one is
/// [`UnexpectedReason::TooLarge`] without being read past its excerpt. Contract bodies are a
/// few hundred bytes, so anything this size is a proxy's page or a broken server.
pub const MAX_BODY_LEN: usize = 1024 * 1024;

/// Why a body is not the contract's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnexpectedReason {
    /// No body, or only whitespace (e.g. a bare 503 from a load balancer).
    Empty,
    /// Not JSON at all (e.g. an HTML error page from a proxy).
    NotJson,
    /// JSON, but not an error body: not an object, or without an `error` that is a code (a
    /// string in the table's code grammar; see [`crate::Code::from_wire`]).
    NotContract,
    /// Longer than [`MAX_BODY_LEN`]; not parsed.
    TooLarge,
    /// JSON that ends too early, e.g. a connection cut mid-body.
    Truncated,
}

impl UnexpectedReason {
    /// The reason in a few lowercase words, as `Display` prints it.
    pub const fn as_str(self) -> &'static str {
        match self {
            UnexpectedReason::Empty => "empty body",
            UnexpectedReason::NotJson => "not json",
            UnexpectedReason::NotContract => "json but not an error body",
            UnexpectedReason::TooLarge => "body too large",
            UnexpectedReason::Truncated => "truncated json",
        }
    }
}

impl fmt::Display for UnexpectedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
