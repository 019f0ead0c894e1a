//! The names of the headers the contract defines, declared once for servers, SDKs and docs.

use http::HeaderName;

/// Identifies one request; on every response, and quoted on support tickets.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Seconds to wait before retrying; on `rate_limit_exceeded` and `service_unavailable`.
pub const RETRY_AFTER: HeaderName = http::header::RETRY_AFTER;
/// The key's request quota per window.
pub const X_RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
/// Requests left in the current window.
pub const X_RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
/// Seconds until the current window resets.
pub const X_RATELIMIT_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
