//! The per-key rate limiter: a fixed window of the tier's requests per key.
//!
//! Fixed windows are what `RateLimitState` describes (requests left, seconds until the
//! reset), and they are exact and cheap in memory; the window's length comes from
//! [`crate::Config::rate_window`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use error_spec::{RateLimitState, Tier};

/// The windows of every key seen so far.
#[derive(Debug)]
pub(crate) struct Limiter {
    window: Duration,
    keys: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    used: u32,
}

/// A request counted or refused.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Verdict {
    /// The state after this request, for the response headers.
    pub(crate) state: RateLimitState,
    /// `Some(seconds to wait)` when the request is over the limit.
    pub(crate) refused: Option<u32>,
}

impl Limiter {
    pub(crate) fn new(window: Duration) -> Self {
        Limiter {
            window: window.max(Duration::from_millis(1)),
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request of `key` on `tier`'s limit.
    pub(crate) fn check(&self, key: &str, tier: &'static Tier) -> Verdict {
        let now = Instant::now();
        let mut keys = self
            .keys
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let window = keys.entry(key.to_owned()).or_insert(Window {
            start: now,
            used: 0,
        });
        if now.duration_since(window.start) >= self.window {
            *window = Window {
                start: now,
                used: 0,
            };
        }
        let left = self.window.saturating_sub(now.duration_since(window.start));
        // Whole seconds, rounded up: a client that waits this long finds a new window.
        let reset_secs = u32::try_from(left.as_millis().div_ceil(1000))
            .unwrap_or(u32::MAX)
            .max(1);
        let refused = if window.used >= tier.requests_per_minute {
            Some(reset_secs)
        } else {
            window.used += 1;
            None
        };
        let remaining = tier.requests_per_minute - window.used;
        Verdict {
            state: RateLimitState::new(tier, remaining, reset_secs),
            refused,
        }
    }
}
