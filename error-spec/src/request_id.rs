//! `X-Request-Id`: echoed when the client's is harmless, minted otherwise.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

use http::HeaderValue;

/// The id of one request, sent back as `X-Request-Id` and as the body's `request_id`.
///
/// Always short visible ASCII, so it is a valid header value and cannot inject a header
/// or a line into a log:
///
/// ```
/// use error_spec::RequestId;
/// use http::HeaderValue;
///
/// let echoed = RequestId::from_incoming(Some(&HeaderValue::from_static("abc-123")));
/// assert_eq!(echoed.as_str(), "abc-123");
/// let hostile = HeaderValue::from_bytes(b"abc\tdef").unwrap();
/// let minted = RequestId::from_incoming(Some(&hostile));
/// assert!(minted.as_str().starts_with("req_"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(String);

impl RequestId {
    /// The longest incoming id that is echoed; longer ones are replaced.
    pub const MAX_LEN: usize = 128;

    /// Echoes `incoming` if it is 1 to [`Self::MAX_LEN`] bytes of visible ASCII
    /// (`!` to `~`), else mints a fresh id.
    pub fn from_incoming(incoming: Option<&HeaderValue>) -> Self {
        incoming
            .map(HeaderValue::as_bytes)
            .and_then(Self::accept)
            .unwrap_or_else(Self::mint)
    }

    /// Wraps `id` if it could have been echoed; `None` otherwise.
    pub fn parse(id: &str) -> Option<Self> {
        Self::accept(id.as_bytes())
    }

    fn accept(bytes: &[u8]) -> Option<Self> {
        let visible = |b: &u8| (b'!'..=b'~').contains(b);
        if bytes.is_empty() || bytes.len() > Self::MAX_LEN || !bytes.iter().all(visible) {
            return None;
        }
        // Visible ASCII is valid UTF-8, so this never takes the lossy path.
        Some(RequestId(String::from_utf8_lossy(bytes).into_owned()))
    }

    /// A fresh id, `req_` and 32 hex digits, unique within the process and unpredictable
    /// across processes (std's per-process random hash keys seed it).
    pub fn mint() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let keys = RandomState::new();
        RequestId(format!(
            "req_{:016x}{:016x}",
            keys.hash_one(n),
            keys.hash_one(!n)
        ))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as a header value; infallible because the id is visible ASCII.
    pub fn to_header_value(&self) -> HeaderValue {
        HeaderValue::from_str(&self.0).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
