//! `X-Request-Id`: echoed when the client's is harmless, minted otherwise; and the rule for
//! every id read from the wire.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

use http::{HeaderMap, HeaderValue};

use crate::headers::X_REQUEST_ID;

/// The bytes an id may hold, as a table: an SDK checks every id of every response, so the
/// check is one lookup per byte.
const SAFE_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b':');
        b += 1;
    }
    table
};

/// The id of one request, sent back as `X-Request-Id` and as the body's `request_id`.
///
/// Always 1 to [`RequestId::MAX_LEN`] ASCII letters, digits, `-`, `_`, `.` or `:`, so it is
/// a valid header value and cannot inject a header, a line into a log, markup, a list
/// separator or a path:
///
/// ```
/// use error_spec::RequestId;
/// use http::HeaderValue;
///
/// let echoed = RequestId::from_incoming(Some(&HeaderValue::from_static("abc-123")));
/// assert_eq!(echoed.as_str(), "abc-123");
/// for hostile in [&b"abc\tdef"[..], b"first, second", b"a,b", b"<script>", b"../x"] {
///     let hostile = HeaderValue::from_bytes(hostile).unwrap();
///     let minted = RequestId::from_incoming(Some(&hostile));
///     assert!(minted.as_str().starts_with("req_"));
/// }
/// ```
//
// Held as the header value itself: an echoed id is the client's header, shared rather than
// copied, and writing `X-Request-Id` on the response is a clone of it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RequestId(HeaderValue);

impl RequestId {
    /// The longest incoming id that is echoed; longer ones are replaced.
    pub const MAX_LEN: usize = 128;

    /// Echoes `incoming` if [`RequestId::is_safe`] accepts it, else mints a fresh id.
    pub fn from_incoming(incoming: Option<&HeaderValue>) -> Self {
        match incoming {
            Some(value) if Self::is_safe(value.as_bytes()) => RequestId(value.clone()),
            _ => Self::mint(),
        }
    }

    /// The id for a request with these headers: its one `X-Request-Id` when that is safe,
    /// else a fresh one. Two or more `X-Request-Id` headers are one comma-joined value
    /// (RFC 9110, section 5.3), which is not an id, so they get a fresh one too.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let mut values = headers.get_all(X_REQUEST_ID).iter();
        match (values.next(), values.next()) {
            (Some(only), None) => Self::from_incoming(Some(only)),
            _ => Self::mint(),
        }
    }

    /// Wraps `id` if it could have been echoed; `None` otherwise.
    pub fn parse(id: &str) -> Option<Self> {
        Self::accept(id.as_bytes())
    }

    /// Whether `id` is safe to echo, log or show: 1 to [`Self::MAX_LEN`] bytes, each an
    /// ASCII letter or digit, `-`, `_`, `.` or `:`. The same rule applies to every id an SDK
    /// reads from a response (`request_id`, `run_id`, `task_id`, `X-Request-Id`).
    pub fn is_safe(id: &[u8]) -> bool {
        !id.is_empty()
            && id.len() <= Self::MAX_LEN
            && id.iter().all(|&b| SAFE_BYTES[usize::from(b)])
    }

    fn accept(bytes: &[u8]) -> Option<Self> {
        if !Self::is_safe(bytes) {
            return None;
        }
        HeaderValue::from_bytes(bytes).ok().map(RequestId)
    }

    /// A fresh id, `req_` and 32 hex digits, unique within the process and unpredictable
    /// across processes (std's per-process random hash keys seed it).
    pub fn mint() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let keys = RandomState::new();
        let mut id = *b"req_00000000000000000000000000000000";
        for (half, word) in [keys.hash_one(n), keys.hash_one(!n)]
            .into_iter()
            .enumerate()
        {
            for (i, slot) in id[4 + 16 * half..4 + 16 * (half + 1)]
                .iter_mut()
                .enumerate()
            {
                let nibble = (word >> (60 - 4 * i)) & 0xf;
                *slot = b"0123456789abcdef"[nibble as usize];
            }
        }
        // Hex digits and `req_` are safe bytes, always a valid header value.
        RequestId(HeaderValue::from_bytes(&id).unwrap_or_else(|_| HeaderValue::from_static("req_")))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        // Every id is checked to be visible ASCII when made, so this never falls back.
        self.0.to_str().unwrap_or_default()
    }

    /// The id as a header value; infallible because the id is visible ASCII.
    pub fn to_header_value(&self) -> HeaderValue {
        self.0.clone()
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RequestId").field(&self.as_str()).finish()
    }
}
