//! Reading a body's bytes into a [`ReceivedBody`]: the entry of the lenient reader, above
//! its two paths.
//!
//! Two paths share one `Builder`. The fast one (`lenient`) is serde_json over the bytes.
//! When serde_json refuses the bytes (invalid UTF-8 or a lone surrogate in a string,
//! nesting deeper than its recursion limit, a body cut short, trailing bytes), the slow path
//! in `scan` reads the text decoded lossily, without recursion, and still finds the code
//! when it is readable. This module chooses; neither path knows it.

use super::lenient::{self, NotABody};
use super::reason::{MAX_BODY_LEN, UnexpectedReason};
use super::received::ReceivedBody;
use super::scan;

/// A UTF-8 byte-order mark, which some servers and proxies put before JSON.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads `bytes` as a body, leniently; see [`ReceivedBody`] for the rules.
pub(crate) fn read(bytes: &[u8]) -> Result<ReceivedBody, NotABody> {
    if bytes.len() > MAX_BODY_LEN {
        // Only the start is read, and only for its code.
        let start = &bytes[..MAX_BODY_LEN];
        let start = start.strip_prefix(BOM).unwrap_or(start);
        return Err(scan::salvage(start, UnexpectedReason::TooLarge));
    }
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(NotABody::new(UnexpectedReason::Empty, None));
    }
    match lenient::read_fast(bytes) {
        Some(read) => read,
        None => scan::read(bytes),
    }
}

impl ReceivedBody {
    /// Reads a body from its bytes, or says why they are not one.
    /// [`crate::parse_error_response`] is the variant that never fails and also reads the
    /// headers.
    ///
    /// ```
    /// use error_spec::sdk::{Member, ReceivedBody};
    /// use error_spec::{ErrorCode, UnexpectedReason};
    ///
    /// let body = ReceivedBody::from_slice(b"\xEF\xBB\xBF{\"error\":\"not_found\",\"status\":\"404\"}")?;
    /// assert_eq!(*body.error(), ErrorCode::NotFound);
    /// assert_eq!(body.status(), None);
    /// assert!(body.dropped().contains(Member::Status));
    ///
    /// assert_eq!(ReceivedBody::from_slice(b"<html>"), Err(UnexpectedReason::NotJson));
    /// # Ok::<(), UnexpectedReason>(())
    /// ```
    pub fn from_slice(bytes: &[u8]) -> Result<Self, UnexpectedReason> {
        read(bytes).map_err(|not| not.reason)
    }
}
