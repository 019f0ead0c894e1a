//! The contract's version: strict SemVer `MAJOR.MINOR.PATCH`, compared by contract review.

/// A parsed contract version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Bumped by every breaking change.
    pub major: u64,
    /// Bumped by additive changes.
    pub minor: u64,
    /// Bumped by wording changes.
    pub patch: u64,
}

/// Reads `MAJOR.MINOR.PATCH` as SemVer 2.0.0 writes it: three decimal numbers, no leading
/// zeros, no sign, no pre-release or build suffix. `None` for anything else.
pub fn parse(text: &str) -> Option<Version> {
    let mut parts = text.split('.');
    let mut next = || {
        let part = parts.next()?;
        let digits_only = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        let leading_zero = part.len() > 1 && part.starts_with('0');
        if !digits_only || leading_zero {
            return None;
        }
        part.parse::<u64>().ok()
    };
    let version = Version {
        major: next()?,
        minor: next()?,
        patch: next()?,
    };
    match parts.next() {
        Some(_) => None,
        None => Some(version),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict() {
        let v = |major, minor, patch| {
            Some(Version {
                major,
                minor,
                patch,
            })
        };
        assert_eq!(parse("1.0.0"), v(1, 0, 0));
        assert_eq!(parse("0.10.200"), v(0, 10, 200));
        for bad in [
            "01.0.0",
            "1.00.0",
            "1.0",
            "1.0.0.0",
            "1.0.0-rc1",
            "v1.0.0",
            "+1.0.0",
            "1..0",
            "",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert!(parse("2.0.0") > parse("1.9.9"));
    }
}
