//! The figures the contract's timing rules are stated in.

/// Every tier's rate limits are per this many seconds: "requests per minute".
pub const RATE_LIMIT_WINDOW_SECS: u32 = 60;

/// How long a 503 asks clients to wait: `service_unavailable` is "Retry after 30-60s".
/// A server's `Retry-After` on a 503 lies in this range; the table's `pause(30, 60)` row
/// says the same, and a test in `error-spec` holds them equal.
pub const UNAVAILABLE_WAIT_SECS: (u32, u32) = (30, 60);

/// The wait on a 503 when nobody said otherwise: the shortest the contract allows.
pub const UNAVAILABLE_DEFAULT_WAIT_SECS: u32 = UNAVAILABLE_WAIT_SECS.0;

/// Clamps a 503's wait into [`UNAVAILABLE_WAIT_SECS`].
pub const fn clamp_unavailable_wait(secs: u32) -> u32 {
    let (min, max) = UNAVAILABLE_WAIT_SECS;
    if secs < min {
        min
    } else if secs > max {
        max
    } else {
        secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp() {
        assert_eq!(clamp_unavailable_wait(0), 30);
        assert_eq!(clamp_unavailable_wait(45), 45);
        assert_eq!(clamp_unavailable_wait(3600), 60);
    }
}
