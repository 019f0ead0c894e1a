//! `Retry-After` as RFC 9110 writes it: delta-seconds, or an HTTP-date (RFC 9110 §5.6.7)
//! read by the `httpdate` crate, hyper's own.
//!
//! `httpdate` is stricter than a tolerant reader would be, and the SDK follows it: the
//! weekday must be the date's (`Mon, 06 Nov 1994 ..` is ignored), the seconds at most 59
//! (no leap second), the year 1970-9999, and the fields exactly as the grammar spaces them.
//! An ignored header is as if absent: the body's `retry_after`, if any, is used instead.

use std::time::{Duration, SystemTime};

use http::HeaderValue;

/// The longest `Retry-After` delta honoured, in seconds. RFC 9111 §1.2.2 (delta-seconds)
/// tells a cache to read any larger value as 2^31; the same cap here means an absurd
/// figure cannot overflow anything.
const MAX_DELTA_SECS: u64 = 1 << 31;

/// Reads a `Retry-After` value: delta-seconds (`120`), or an HTTP-date in IMF-fixdate,
/// RFC 850 or asctime format, measured from `now`. A date in the past is a zero wait; a
/// value that is neither is `None`, as if the header were absent.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use error_spec::parse_retry_after;
/// use http::HeaderValue;
///
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777 - 30);
/// let date = HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT");
/// assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(30)));
/// assert_eq!(parse_retry_after(&HeaderValue::from_static("120"), now), Some(Duration::from_secs(120)));
/// assert_eq!(parse_retry_after(&HeaderValue::from_static("soon"), now), None);
/// ```
pub fn parse_retry_after(value: &HeaderValue, now: SystemTime) -> Option<Duration> {
    retry_after_with_clock(value, || now)
}

/// [`parse_retry_after`] with the clock read only for an HTTP-date.
pub(crate) fn retry_after_with_clock(
    value: &HeaderValue,
    now: impl FnOnce() -> SystemTime,
) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // Only overflow can make an all-digit string fail to parse.
        let secs = text.parse::<u64>().unwrap_or(MAX_DELTA_SECS);
        return Some(Duration::from_secs(secs.min(MAX_DELTA_SECS)));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    let wait = at.duration_since(now()).unwrap_or(Duration::ZERO);
    Some(wait.min(Duration::from_secs(MAX_DELTA_SECS)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seconds since the epoch of the RFC 9110 example date, Sun, 06 Nov 1994 08:49:37 GMT,
    /// computed independently: 9075 days from 1970-01-01 to 1994-11-06.
    const EXAMPLE: u64 = 9_075 * 86_400 + 8 * 3_600 + 49 * 60 + 37;

    fn wait(text: &str, now_secs: u64) -> Option<u64> {
        let value = HeaderValue::from_str(text).expect("a header value");
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(now_secs);
        parse_retry_after(&value, now).map(|wait| wait.as_secs())
    }

    #[test]
    fn the_three_http_date_formats_agree() {
        assert_eq!(EXAMPLE, 784_111_777);
        for text in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(wait(text, EXAMPLE - 7), Some(7), "{text}");
            assert_eq!(wait(text, EXAMPLE + 7), Some(0), "{text}: past is no wait");
        }
        // A leap year's 29 February, and the RFC 850 year pivot: 69 is 2069.
        assert_eq!(
            wait("Tue, 29 Feb 2000 00:00:00 GMT", 951_782_400 - 1),
            Some(1)
        );
        assert_eq!(
            wait("Tuesday, 01-Jan-69 00:00:00 GMT", 3_124_224_000 - 1),
            Some(1)
        );
    }

    /// What the date reader refuses; the strict cases are where `httpdate` differs from the
    /// tolerant reader this file held before (see the module docs).
    #[test]
    fn bad_http_dates_are_ignored() {
        for text in [
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            // Strict: a weekday that is not the date's, a leap second, a year before 1970,
            // doubled spaces.
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:60 GMT",
            "Thu, 01 Jan 1969 00:00:00 GMT",
            "Sun,  06 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(wait(text, 0), None, "{text}");
        }
    }

    #[test]
    fn a_far_date_is_capped() {
        assert_eq!(
            wait("Fri, 31 Dec 9999 23:59:59 GMT", 0),
            Some(MAX_DELTA_SECS)
        );
    }
}
