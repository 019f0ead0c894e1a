//! `Retry-After` as RFC 9110 writes it: delta-seconds or an HTTP-date (RFC 9110 §5.6.7),
//! read without a date-time dependency.

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
    let at = parse_http_date(text)?;
    let now = match now().duration_since(SystemTime::UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(_) => 0,
    };
    let wait = u64::try_from(at.saturating_sub(now)).unwrap_or(0);
    Some(Duration::from_secs(wait.min(MAX_DELTA_SECS)))
}

/// An HTTP-date (RFC 9110 §5.6.7) as seconds since the Unix epoch. The weekday is not
/// checked against the date: a wrong weekday is a sender's slip, not a reason to ignore
/// the wait it asks for.
fn parse_http_date(text: &str) -> Option<i64> {
    let tokens: Vec<&str> = text.split_ascii_whitespace().collect();
    let (year, month, day, time) = match tokens.as_slice() {
        // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
        [weekday, day, month, year, time, "GMT"] if weekday.ends_with(',') => {
            (year.parse::<i64>().ok()?, *month, *day, *time)
        }
        // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`.
        [weekday, date, time, "GMT"] if weekday.ends_with(',') => {
            let mut parts = date.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || year.len() != 2 {
                return None;
            }
            // RFC 9110 asks for the year within 50 years of now; a fixed pivot at 1970
            // agrees for any date a server sends today.
            let year = year.parse::<i64>().ok()?;
            let year = if year < 70 { 2000 + year } else { 1900 + year };
            (year, month, day, *time)
        }
        // asctime: `Sun Nov  6 08:49:37 1994`.
        [_weekday, month, day, time, year] => (year.parse::<i64>().ok()?, *month, *day, *time),
        _ => return None,
    };
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let month = MONTHS.iter().position(|name| *name == month)? + 1;
    let month = u32::try_from(month).ok()?;
    if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day: u32 = day.parse().ok()?;
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut hms = time.split(':');
    let mut field = |max: i64| -> Option<i64> {
        let part = hms.next()?;
        if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse::<i64>().ok().filter(|n| *n <= max)
    };
    // 60 seconds allows a leap second.
    let (h, m, s) = (field(23)?, field(59)?, field(60)?);
    if hms.next().is_some() {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3_600 + m * 60 + s)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seconds since the epoch of the RFC 9110 example date, Sun, 06 Nov 1994 08:49:37 GMT,
    /// computed independently: 9075 days from 1970-01-01 to 1994-11-06.
    const EXAMPLE: i64 = 9_075 * 86_400 + 8 * 3_600 + 49 * 60 + 37;

    #[test]
    fn the_three_http_date_formats_agree() {
        assert_eq!(EXAMPLE, 784_111_777);
        for text in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse_http_date(text), Some(EXAMPLE), "{text}");
        }
    }

    #[test]
    fn bad_http_dates_are_rejected() {
        for text in [
            "",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
        ] {
            assert_eq!(parse_http_date(text), None, "{text}");
        }
    }

    #[test]
    fn leap_days_count() {
        // 2000-03-01 is 11017 days after the epoch: 30 years of 365 days, 8 leap days
        // (1972..=2000 by fours), and 59 days of 2000 before March.
        assert_eq!(days_from_civil(2000, 3, 1), 30 * 365 + 8 + 59);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
    }
}
