//! Retry classes: their names as a table writes them, and which status allows which.
//!
//! The one rule both sides follow: a class is allowed on a status exactly when
//! [`allows`] says so, and [`for_status`] (what an SDK assumes for a code it does not know)
//! always picks an allowed class. A test checks that second sentence for every status.

use crate::status::is_server_error;

/// A retry class without its arguments, as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClassName {
    /// `never`: do not retry as is; the request, the key or the account must change first.
    Never,
    /// `retry_after`: retry after the seconds of the `Retry-After` header.
    RetryAfter,
    /// `backoff`: retry with exponential backoff and jitter.
    Backoff,
    /// `pause(MIN_SECS, MAX_SECS)`: retry after a pause in that range.
    Pause,
    /// `resubmit_async`: resubmit the same request with `async: true`.
    ResubmitAsync,
}

impl ClassName {
    /// Every class, in the order diagnostics list them.
    pub const ALL: [ClassName; 5] = [
        ClassName::Never,
        ClassName::RetryAfter,
        ClassName::Backoff,
        ClassName::Pause,
        ClassName::ResubmitAsync,
    ];

    /// The name as the table writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            ClassName::Never => "never",
            ClassName::RetryAfter => "retry_after",
            ClassName::Backoff => "backoff",
            ClassName::Pause => "pause",
            ClassName::ResubmitAsync => "resubmit_async",
        }
    }

    /// The class a table's name stands for.
    pub fn from_name(name: &str) -> Option<ClassName> {
        ClassName::ALL
            .into_iter()
            .find(|class| class.as_str() == name)
    }

    /// Whether the class is written with arguments, `pause(MIN_SECS, MAX_SECS)`.
    pub const fn takes_range(self) -> bool {
        matches!(self, ClassName::Pause)
    }

    /// The statuses the class is allowed on, in words for a diagnostic.
    pub const fn wanted(self) -> &'static str {
        match self {
            ClassName::Never => "a status other than 429 and 503",
            ClassName::RetryAfter => "429 or 503",
            ClassName::Backoff => "a 5xx status other than 501 and 505",
            ClassName::Pause => "503",
            ClassName::ResubmitAsync => "408",
        }
    }
}

/// The names of every class, for "expected one of" diagnostics.
pub const NAMES: [&str; 5] = [
    ClassName::Never.as_str(),
    ClassName::RetryAfter.as_str(),
    ClassName::Backoff.as_str(),
    ClassName::Pause.as_str(),
    ClassName::ResubmitAsync.as_str(),
];

/// Statuses that no retry can fix although they are 5xx: the server lacks the feature
/// (501) or the protocol version (505). Retrying them only adds load.
pub const fn is_permanent_server_error(status: u16) -> bool {
    status == 501 || status == 505
}

/// Whether a row may pair `class` with the error status `status`.
///
/// - `retry_after` on 429 and 503, the statuses that send `Retry-After`;
/// - `pause` on 503 only, whose wait the contract bounds;
/// - `backoff` on a 5xx a retry can fix: not 501 or 505, which an SDK never retries;
/// - `resubmit_async` on 408, the sync ceiling;
/// - `never` on anything but 429 and 503, which always ask the client to come back.
pub const fn allows(class: ClassName, status: u16) -> bool {
    match class {
        ClassName::RetryAfter => status == 429 || status == 503,
        ClassName::Pause => status == 503,
        ClassName::Backoff => is_server_error(status) && !is_permanent_server_error(status),
        ClassName::ResubmitAsync => status == 408,
        ClassName::Never => status != 429 && status != 503,
    }
}

/// The class an SDK assumes for an error status whose code it does not know (a code newer
/// than its build, or a body that is not the contract's): 429 waits for its window, 503
/// pauses, a fixable 5xx backs off, and anything else is not retried.
pub const fn for_status(status: u16) -> ClassName {
    match status {
        429 => ClassName::RetryAfter,
        503 => ClassName::Pause,
        _ if is_server_error(status) && !is_permanent_server_error(status) => ClassName::Backoff,
        _ => ClassName::Never,
    }
}

/// Whether a `pause(min, max)` range is usable: it starts above zero and is not empty.
pub const fn pause_range_ok(min_secs: u32, max_secs: u32) -> bool {
    min_secs > 0 && min_secs <= max_secs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::ERROR_STATUSES;

    #[test]
    fn names_round_trip() {
        for class in ClassName::ALL {
            assert_eq!(ClassName::from_name(class.as_str()), Some(class));
        }
        assert_eq!(ClassName::from_name("Never"), None);
        assert_eq!(ClassName::from_name("retry-after"), None);
    }

    #[test]
    fn the_assumed_class_is_always_allowed() {
        for status in ERROR_STATUSES {
            assert!(allows(for_status(status), status), "{status}");
        }
    }

    #[test]
    fn every_error_status_allows_exactly_the_listed_classes() {
        let allowed = |status| {
            ClassName::ALL
                .into_iter()
                .filter(|class| allows(*class, status))
                .map(ClassName::as_str)
                .collect::<Vec<_>>()
        };
        assert_eq!(allowed(400), ["never"]);
        assert_eq!(allowed(408), ["never", "resubmit_async"]);
        assert_eq!(allowed(429), ["retry_after"]);
        assert_eq!(allowed(500), ["never", "backoff"]);
        assert_eq!(allowed(501), ["never"]);
        assert_eq!(allowed(502), ["never", "backoff"]);
        assert_eq!(allowed(503), ["retry_after", "backoff", "pause"]);
        assert_eq!(allowed(505), ["never"]);
    }

    #[test]
    fn pause_ranges() {
        assert!(pause_range_ok(30, 60) && pause_range_ok(5, 5));
        assert!(!pause_range_ok(0, 60) && !pause_range_ok(61, 60));
    }
}
