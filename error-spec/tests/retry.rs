//! The retry rules, one test per rule, with expectations taken from the contract's wording:
//! `Retry-After` wins; backoff 1 s doubling to 32 s with full jitter for `upstream_error`;
//! 30-60 s for `service_unavailable`; resubmit async for `sync_timeout_upgrade_async`; never
//! for codes that need the request fixed; unknown codes fall back on the status; 5 attempts.

use std::time::Duration;

use error_spec::{Code, ErrorCode, Jitter, RetryClass, RetryDecision, RetryPolicy};
use http::StatusCode;

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn status(n: u16) -> StatusCode {
    StatusCode::from_u16(n).expect("a valid status")
}

/// The decision of the default policy for a known code sent with its own status.
fn known(
    code: ErrorCode,
    retry_after: Option<Duration>,
    attempt: u32,
    jitter: f64,
) -> RetryDecision {
    RetryPolicy::default().decide(
        Some(&Code::from(code)),
        code.status(),
        retry_after,
        attempt,
        Jitter::new(jitter),
    )
}

/// The decision of the default policy for a code this build does not know, or no code.
fn unknown(
    code: Option<&str>,
    status_code: u16,
    retry_after: Option<Duration>,
    attempt: u32,
) -> RetryDecision {
    let code = code.map(|code| Code::from_wire(code).expect("a well-formed code"));
    RetryPolicy::default().decide(
        code.as_ref(),
        status(status_code),
        retry_after,
        attempt,
        Jitter::new(0.5),
    )
}

/// Asserts a wait within a nanosecond-scale tolerance, for jitter just below 1.
fn assert_wait_near(decision: RetryDecision, want: Duration) {
    let RetryDecision::RetryAfter(got) = decision else {
        panic!("expected a retry after about {want:?}, got {decision:?}");
    };
    let diff = got.abs_diff(want);
    assert!(
        diff < Duration::from_micros(1),
        "got {got:?}, want about {want:?}"
    );
}

#[test]
fn codes_that_need_the_request_fixed_are_never_retried() {
    let fix_first = [
        "invalid_api_key",
        "forbidden",
        "insufficient_credits",
        "invalid_request",
        "validation_error",
        "preflight_failed",
        "payload_too_large",
        "not_found",
        "gone",
        "conflict",
        "internal_error",
        "not_implemented",
    ];
    for wire in fix_first {
        let code = ErrorCode::from_wire(wire).expect("a code of the reference");
        for retry_after in [None, Some(secs(1))] {
            assert_eq!(
                known(code, retry_after, 1, 0.5),
                RetryDecision::DoNotRetry,
                "{wire}"
            );
        }
    }
    // Every other code is one of the four retryable ones below.
    let retryable = ErrorCode::ALL
        .iter()
        .filter(|code| !fix_first.contains(&code.as_str()))
        .count();
    assert_eq!(retryable, 4);
}

#[test]
fn a_sync_timeout_is_resubmitted_as_async_at_any_attempt() {
    for attempt in [0, 1, 5, 1_000] {
        for retry_after in [None, Some(secs(9))] {
            assert_eq!(
                known(
                    ErrorCode::SyncTimeoutUpgradeAsync,
                    retry_after,
                    attempt,
                    0.9
                ),
                RetryDecision::ResubmitAsync
            );
        }
    }
}

#[test]
fn retry_after_wins_for_every_retryable_code() {
    for code in [
        ErrorCode::RateLimitExceeded,
        ErrorCode::UpstreamError,
        ErrorCode::ServiceUnavailable,
    ] {
        for jitter in [0.0, 0.99] {
            assert_eq!(
                known(code, Some(secs(7)), 2, jitter),
                RetryDecision::RetryAfter(secs(7)),
                "{code}"
            );
        }
        // Even a zero or a wait outside the code's usual range.
        assert_eq!(
            known(code, Some(secs(0)), 1, 0.5),
            RetryDecision::RetryAfter(secs(0))
        );
        assert_eq!(
            known(code, Some(secs(600)), 1, 0.5),
            RetryDecision::RetryAfter(secs(600))
        );
    }
}

#[test]
fn a_rate_limit_without_retry_after_waits_one_window() {
    for jitter in [0.0, 0.5, 0.99] {
        assert_eq!(
            known(ErrorCode::RateLimitExceeded, None, 1, jitter),
            RetryDecision::RetryAfter(secs(60))
        );
    }
}

#[test]
fn upstream_errors_back_off_exponentially_with_full_jitter() {
    // With jitter just below 1 the wait is the ceiling: 1, 2, 4, 8 s for attempts 1-4.
    for (attempt, ceiling) in [(1, 1), (2, 2), (3, 4), (4, 8)] {
        assert_wait_near(
            known(ErrorCode::UpstreamError, None, attempt, 0.999_999_999),
            secs(ceiling),
        );
        // Full jitter: anywhere from zero to the ceiling.
        assert_eq!(
            known(ErrorCode::UpstreamError, None, attempt, 0.0),
            RetryDecision::RetryAfter(Duration::ZERO)
        );
        assert_eq!(
            known(ErrorCode::UpstreamError, None, attempt, 0.25),
            RetryDecision::RetryAfter(secs(ceiling) / 4)
        );
    }
}

#[test]
fn the_backoff_ceiling_stops_at_32_seconds() {
    let policy = RetryPolicy::default();
    let max = Jitter::new(0.999_999_999);
    for (attempt, ceiling) in [(1, 1), (5, 16), (6, 32), (7, 32), (40, 32), (u32::MAX, 32)] {
        let wait = policy.backoff(attempt, max);
        assert!(
            wait <= secs(ceiling) && wait > secs(ceiling) - Duration::from_micros(1),
            "attempt {attempt}: {wait:?}"
        );
    }
    // Attempt 0 (nothing sent yet) is read as the first.
    assert_eq!(
        policy.backoff(0, Jitter::new(0.5)),
        Duration::from_millis(500)
    );
}

#[test]
fn service_unavailable_pauses_30_to_60_seconds() {
    assert_eq!(
        known(ErrorCode::ServiceUnavailable, None, 1, 0.0),
        RetryDecision::RetryAfter(secs(30))
    );
    assert_eq!(
        known(ErrorCode::ServiceUnavailable, None, 1, 0.5),
        RetryDecision::RetryAfter(secs(45))
    );
    assert_wait_near(
        known(ErrorCode::ServiceUnavailable, None, 1, 0.999_999_999),
        secs(60),
    );
}

#[test]
fn no_retry_after_five_attempts() {
    for code in [
        ErrorCode::RateLimitExceeded,
        ErrorCode::UpstreamError,
        ErrorCode::ServiceUnavailable,
    ] {
        assert!(
            matches!(
                known(code, Some(secs(1)), 4, 0.5),
                RetryDecision::RetryAfter(_)
            ),
            "{code}"
        );
        for attempt in [5, 6, u32::MAX] {
            assert_eq!(
                known(code, Some(secs(1)), attempt, 0.5),
                RetryDecision::DoNotRetry,
                "{code}"
            );
        }
    }
    assert_eq!(unknown(None, 502, None, 5), RetryDecision::DoNotRetry);

    let mut policy = RetryPolicy::default();
    policy.max_attempts = 2;
    let code = Code::from(ErrorCode::UpstreamError);
    let decide = |attempt| policy.decide(Some(&code), status(502), None, attempt, Jitter::ZERO);
    assert_eq!(decide(1), RetryDecision::RetryAfter(Duration::ZERO));
    assert_eq!(decide(2), RetryDecision::DoNotRetry);
}

#[test]
fn unknown_codes_fall_back_on_the_status() {
    for code in [Some("quota_frozen"), None] {
        // 429 and 503: Retry-After, else 60 s and 30 s.
        assert_eq!(
            unknown(code, 429, None, 1),
            RetryDecision::RetryAfter(secs(60))
        );
        assert_eq!(
            unknown(code, 429, Some(secs(3)), 1),
            RetryDecision::RetryAfter(secs(3))
        );
        assert_eq!(
            unknown(code, 503, None, 1),
            RetryDecision::RetryAfter(secs(30))
        );
        assert_eq!(
            unknown(code, 503, Some(secs(90)), 1),
            RetryDecision::RetryAfter(secs(90))
        );
        // Other 5xx back off (jitter 0.5: half the ceiling), unless a retry cannot help.
        for s in [500, 502, 504, 599] {
            assert_eq!(
                unknown(code, s, None, 1),
                RetryDecision::RetryAfter(Duration::from_millis(500)),
                "{s}"
            );
            assert_eq!(
                unknown(code, s, None, 3),
                RetryDecision::RetryAfter(secs(2)),
                "{s}"
            );
            assert_eq!(
                unknown(code, s, Some(secs(4)), 3),
                RetryDecision::RetryAfter(secs(4)),
                "{s}"
            );
        }
        for s in [501, 505] {
            assert_eq!(unknown(code, s, None, 1), RetryDecision::DoNotRetry, "{s}");
        }
        // Anything else is never retried, Retry-After or not.
        for s in [400, 401, 404, 408, 409, 418, 422, 200, 302] {
            assert_eq!(unknown(code, s, None, 1), RetryDecision::DoNotRetry, "{s}");
            assert_eq!(
                unknown(code, s, Some(secs(1)), 1),
                RetryDecision::DoNotRetry,
                "{s}"
            );
        }
    }
}

#[test]
fn a_known_code_decides_even_under_another_status() {
    // A proxy may rewrite the status; the body's code is the server's word.
    let policy = RetryPolicy::default();
    let gone = Code::from(ErrorCode::Gone);
    assert_eq!(
        policy.decide(Some(&gone), status(503), None, 1, Jitter::ZERO),
        RetryDecision::DoNotRetry
    );
    let limited = Code::from(ErrorCode::RateLimitExceeded);
    assert_eq!(
        policy.decide(Some(&limited), status(400), None, 1, Jitter::ZERO),
        RetryDecision::RetryAfter(secs(60))
    );
}

#[test]
fn jitter_stays_in_the_unit_interval() {
    assert_eq!(Jitter::from_seed(0).get(), 0.0);
    assert!(Jitter::from_seed(u64::MAX).get() < 1.0);
    assert_eq!(Jitter::from_seed(1 << 63).get(), 0.5);
    assert_eq!(Jitter::new(-3.0).get(), 0.0);
    assert_eq!(Jitter::new(f64::NAN).get(), 0.0);
    assert!(Jitter::new(1.0).get() < 1.0);
    assert!(Jitter::new(f64::INFINITY).get() < 1.0);
    assert!(Jitter::new(1.0).get() > 0.999_999);
    let draws: Vec<f64> = (0..16).map(|_| Jitter::random().get()).collect();
    assert!(draws.iter().all(|j| (0.0..1.0).contains(j)), "{draws:?}");
    assert!(draws.windows(2).any(|pair| pair[0] != pair[1]), "{draws:?}");
}

/// The table and the SDK follow one rule: every row's retry class is one `error_rules` allows
/// on its status, and the class the SDK assumes for a status it meets without a known code
/// advises the same as the table for every code of that status whose class is that one.
#[test]
fn the_table_and_the_sdk_agree_on_which_statuses_are_retried() {
    use error_spec::error_rules::retry;
    for code in ErrorCode::ALL {
        let status = code.status().as_u16();
        assert!(
            retry::allows(code.retry().name(), status),
            "{code}: `{}` on {status}",
            code.retry().as_str()
        );
    }
    // 501: the feature is not live, and no retry makes it so. The table's row says `never`,
    // and an SDK meeting a 501 with a code it does not know does not retry either.
    assert_eq!(ErrorCode::NotImplemented.retry(), RetryClass::Never);
    let unknown: Code =
        serde_json::from_str(r#""feature_not_live_yet""#).expect("any string is a code");
    for attempt in [1, 2] {
        assert_eq!(
            RetryPolicy::default().decide(
                Some(&unknown),
                StatusCode::NOT_IMPLEMENTED,
                None,
                attempt,
                Jitter::MAX
            ),
            RetryDecision::DoNotRetry
        );
    }
}
