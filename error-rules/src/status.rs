//! Which statuses carry an error code, and how a status is written in a table.

use std::ops::RangeInclusive;

/// The statuses an error code may be sent with: 4xx and 5xx. A 2xx or 3xx response is not
/// an error and carries no error body.
pub const ERROR_STATUSES: RangeInclusive<u16> = 400..=599;

/// Whether `status` may carry an error code.
pub const fn is_error_status(status: u16) -> bool {
    *ERROR_STATUSES.start() <= status && status <= *ERROR_STATUSES.end()
}

/// Whether `status` is a server error (5xx), which the server owns.
pub const fn is_server_error(status: u16) -> bool {
    500 <= status && status <= 599
}

/// Why a status literal in a table is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusProblem {
    /// Not three plain decimal digits: `4_01`, `401u8`, `0x191`, `0401`.
    NotThreeDigits,
    /// Three digits, but not an error status (see [`ERROR_STATUSES`]).
    NotAnError(u16),
}

/// Reads a status as a table writes it: three plain decimal digits, 400 to 599.
///
/// A table is read by people, and `0x191` or `4_01` hides the status from them; so the
/// literal's text is checked, not only its value.
pub fn parse_literal(text: &str) -> Result<u16, StatusProblem> {
    let bytes = text.as_bytes();
    if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_digit) || bytes[0] == b'0' {
        return Err(StatusProblem::NotThreeDigits);
    }
    let value = bytes
        .iter()
        .fold(0u16, |acc, digit| acc * 10 + u16::from(digit - b'0'));
    if is_error_status(value) {
        Ok(value)
    } else {
        Err(StatusProblem::NotAnError(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(parse_literal("401"), Ok(401));
        assert_eq!(parse_literal("599"), Ok(599));
        assert_eq!(parse_literal("302"), Err(StatusProblem::NotAnError(302)));
        assert_eq!(parse_literal("600"), Err(StatusProblem::NotAnError(600)));
        for bad in ["4_01", "401u8", "0x191", "0401", "40", "", "4O1"] {
            assert_eq!(
                parse_literal(bad),
                Err(StatusProblem::NotThreeDigits),
                "{bad}"
            );
        }
    }

    #[test]
    fn ranges() {
        assert!(!is_error_status(399) && is_error_status(400));
        assert!(is_error_status(599) && !is_error_status(600));
        assert!(!is_server_error(499) && is_server_error(500) && !is_server_error(600));
    }
}
