//! Whether and when an SDK retries a failed request, from the table's retry classes.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use http::StatusCode;

use error_rules::retry::{self, ClassName};
use error_rules::timing::{RATE_LIMIT_WINDOW_SECS, UNAVAILABLE_DEFAULT_WAIT_SECS};

use crate::{Code, RetryClass};

/// What to do about a failed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryDecision {
    /// Do not send it again: it needs fixing, or the attempts are used up.
    DoNotRetry,
    /// Send the same request again after this wait.
    RetryAfter(Duration),
    /// Do not retry synchronously: resubmit with `async: true` and poll the task.
    ResubmitAsync,
}

/// A number in `[0, 1)` that spreads retries out; taken as an input so that tests can fix it.
///
/// ```
/// use error_spec::Jitter;
///
/// assert_eq!(Jitter::new(0.25).get(), 0.25);
/// assert_eq!(Jitter::new(7.0).get(), Jitter::MAX.get()); // clamped below 1
/// assert_eq!(Jitter::new(f64::NAN).get(), 0.0);
/// let random = Jitter::random().get();
/// assert!((0.0..1.0).contains(&random));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Jitter(f64);

impl Jitter {
    /// No jitter: the shortest wait a rule allows.
    pub const ZERO: Jitter = Jitter(0.0);
    /// The largest jitter, just below 1: the longest wait a rule allows.
    pub const MAX: Jitter = Jitter(1.0 - f64::EPSILON / 2.0);

    /// `value` clamped into `[0, 1)`; NaN is 0.
    pub fn new(value: f64) -> Self {
        if value.is_nan() || value <= 0.0 {
            Jitter::ZERO
        } else if value >= Jitter::MAX.0 {
            Jitter::MAX
        } else {
            Jitter(value)
        }
    }

    /// Uniform in `[0, 1)` from the top 53 bits of `seed`.
    pub fn from_seed(seed: u64) -> Self {
        // 53 bits fit an f64's mantissa exactly, so every result is below 1.
        Jitter((seed >> 11) as f64 / (1u64 << 53) as f64)
    }

    /// Seeded from std's per-process random hash keys, fresh each call; no `rand` needed.
    pub fn random() -> Self {
        Jitter::from_seed(RandomState::new().hash_one(0u8))
    }

    /// The value, in `[0, 1)`.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// The rules an SDK retries by. [`RetryPolicy::default`] is the contract's policy; the
/// figures can be changed, the rules cannot.
///
/// `attempt` counts the requests sent so far, the failed one included: 1 after the first
/// failure. The rules, in order:
///
/// 1. **Resubmit as async.** A known code whose class is `resubmit_async`
///    (`sync_timeout_upgrade_async`) gives [`RetryDecision::ResubmitAsync`] whatever the
///    attempt: the async request is a new request, not a retry of this one.
/// 2. **Attempts used up.** Once `attempt >= max_attempts`, [`RetryDecision::DoNotRetry`].
/// 3. **Never.** A known code whose class is `never` (the request, key or account must change
///    first) is never retried, even with a `Retry-After`.
/// 4. **`Retry-After` wins.** For every retryable case below, a `Retry-After` (header, else
///    body) is the wait, as the server sent it.
/// 5. **Known codes without `Retry-After`:** `retry_after` (`rate_limit_exceeded`) waits
///    [`Self::rate_limit_wait`] (one window, 60 s); `backoff` (`upstream_error`) waits
///    [`Self::backoff`]; `pause(MIN, MAX)` (`service_unavailable`, 30-60 s) waits
///    `MIN + jitter * (MAX - MIN)` seconds.
/// 6. **Codes this build does not know, and bodies that are not the contract's:** the status
///    decides. 429 waits [`Self::rate_limit_wait`] (60 s); 503 waits
///    [`Self::unavailable_wait`] (30 s); 501 and 505 are never retried (the server lacks the
///    feature, a retry cannot help); any other 5xx backs off; anything else is never retried.
///
/// Backoff is exponential with full jitter: `jitter * min(max_backoff, base * 2^(attempt-1))`,
/// so 1, 2, 4, 8, 16, 32, 32, ... seconds at most with the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// The backoff ceiling after the first failure; it doubles with each attempt. 1 s.
    pub base: Duration,
    /// The highest backoff ceiling. 32 s.
    pub max_backoff: Duration,
    /// Requests sent in all, the first included, after which no retry is advised. 5.
    pub max_attempts: u32,
    /// The wait on a 429 without `Retry-After`: one rate-limit window. 60 s.
    pub rate_limit_wait: Duration,
    /// The wait on a 503 whose code is unknown, without `Retry-After`. 30 s.
    pub unavailable_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::DEFAULT
    }
}

impl RetryPolicy {
    /// The contract's policy; see the type's docs for the figures.
    pub const DEFAULT: RetryPolicy = RetryPolicy {
        base: Duration::from_secs(1),
        max_backoff: Duration::from_secs(32),
        max_attempts: 5,
        rate_limit_wait: Duration::from_secs(RATE_LIMIT_WINDOW_SECS as u64),
        unavailable_wait: Duration::from_secs(UNAVAILABLE_DEFAULT_WAIT_SECS as u64),
    };

    /// The decision for a response with `code` (`None` when the body had none), `status`
    /// and `retry_after` (see [`crate::ResponseError::retry_after`]), after `attempt`
    /// requests. The rules are on [`RetryPolicy`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use error_spec::{Code, ErrorCode, Jitter, RetryDecision, RetryPolicy};
    /// use http::StatusCode;
    ///
    /// let policy = RetryPolicy::default();
    /// let code = Code::from(ErrorCode::RateLimitExceeded);
    /// let wait = Some(Duration::from_secs(7));
    /// assert_eq!(
    ///     policy.decide(Some(&code), StatusCode::TOO_MANY_REQUESTS, wait, 1, Jitter::ZERO),
    ///     RetryDecision::RetryAfter(Duration::from_secs(7)),
    /// );
    /// ```
    pub fn decide(
        &self,
        code: Option<&Code>,
        status: StatusCode,
        retry_after: Option<Duration>,
        attempt: u32,
        jitter: Jitter,
    ) -> RetryDecision {
        let class = code.and_then(Code::known).map(|code| code.retry());
        if class == Some(RetryClass::ResubmitAsync) {
            return RetryDecision::ResubmitAsync;
        }
        if attempt >= self.max_attempts {
            return RetryDecision::DoNotRetry;
        }
        let fallback = match class {
            Some(RetryClass::Never) => return RetryDecision::DoNotRetry,
            // Handled above; listed so a new class is a compile error here.
            Some(RetryClass::ResubmitAsync) => return RetryDecision::ResubmitAsync,
            Some(RetryClass::RetryAfter) => self.rate_limit_wait,
            Some(RetryClass::Backoff) => self.backoff(attempt, jitter),
            Some(RetryClass::Pause { min_secs, max_secs }) => {
                let spread = Duration::from_secs(u64::from(max_secs.saturating_sub(min_secs)));
                Duration::from_secs(u64::from(min_secs)) + spread.mul_f64(jitter.get())
            }
            // The class the contract assumes for the status; `error_rules` holds the one
            // list of which statuses are worth retrying, the same the macro checks rows by.
            None => match retry::for_status(status.as_u16()) {
                ClassName::RetryAfter => self.rate_limit_wait,
                ClassName::Pause => self.unavailable_wait,
                ClassName::Backoff => self.backoff(attempt, jitter),
                ClassName::Never | ClassName::ResubmitAsync => return RetryDecision::DoNotRetry,
            },
        };
        RetryDecision::RetryAfter(retry_after.unwrap_or(fallback))
    }

    /// The backoff wait after `attempt` requests: full jitter under a ceiling that starts at
    /// [`Self::base`] and doubles per attempt up to [`Self::max_backoff`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use error_spec::{Jitter, RetryPolicy};
    ///
    /// let policy = RetryPolicy::default();
    /// assert_eq!(policy.backoff(3, Jitter::new(0.5)), Duration::from_secs(2)); // half of 4 s
    /// assert_eq!(policy.backoff(1, Jitter::ZERO), Duration::ZERO);
    /// ```
    pub fn backoff(&self, attempt: u32, jitter: Jitter) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        let ceiling = self
            .base
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        ceiling.mul_f64(jitter.get())
    }
}
