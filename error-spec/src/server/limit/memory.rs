//! [`MemoryBackend`]: the limiter's state in this process, on governor's keyed GCRA.

use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};

use super::backend::{Backend, BackendError, Decision, ceil_secs};
use super::clock::GovernorClock;
use super::clock::{Clock, MonotonicClock};
use super::guard::RunGuard;
use crate::{RateLimitState, TIERS, Tier};

type KeyedLimiter =
    RateLimiter<Arc<str>, DashMapStateStore<Arc<str>>, GovernorClock, StateInformationMiddleware>;

/// Idle keys are swept at most this often; a sweep walks every key of a tier.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// ... and only after this many checks since the last sweep, so that a busy server pays
/// for a sweep once a second, not once per few requests ...
const SWEEP_AFTER_CHECKS: u64 = 1024;

/// ... or once this long has passed since the last sweep, whatever the count: after a
/// flood of one-off keys, a server that then sees a trickle of requests still gives the
/// flood's memory back within a window, not after its 1024th next request.
const SWEEP_AT_LEAST_EVERY: Duration = Duration::from_secs(60);

/// Per-key state in this process: one governor keyed limiter per tier (requests per
/// minute, GCRA with the whole minute as burst) and a count of running runs per key.
///
/// Memory is bounded by the keys active in the last minute: keys whose state is back to
/// fresh are swept at most once a second (and once per 1024 checks, or at least once a
/// minute under lighter traffic), and a key's run count is removed when its last run ends.
pub struct MemoryBackend {
    clock: Arc<dyn Clock>,
    tiers: Vec<(&'static Tier, KeyedLimiter)>,
    runs: Arc<Mutex<HashMap<Arc<str>, u32>>>,
    last_sweep_nanos: AtomicU64,
    checks_since_sweep: AtomicU64,
}

impl MemoryBackend {
    /// A backend on the process's monotonic clock.
    pub fn new() -> Self {
        MemoryBackend::with_clock(MonotonicClock::new())
    }

    /// A backend on `clock`, which tests move by hand.
    pub fn with_clock(clock: impl Clock) -> Self {
        let clock: Arc<dyn Clock> = Arc::new(clock);
        let tiers = TIERS
            .iter()
            .map(|tier| {
                let limiter =
                    RateLimiter::dashmap_with_clock(quota(tier), GovernorClock(Arc::clone(&clock)))
                        .with_middleware::<StateInformationMiddleware>();
                (tier, limiter)
            })
            .collect();
        MemoryBackend {
            clock,
            tiers,
            runs: Arc::default(),
            last_sweep_nanos: AtomicU64::new(0),
            checks_since_sweep: AtomicU64::new(0),
        }
    }

    /// The keys whose state is held: requests-per-minute state over all tiers plus keys
    /// with runs executing. Flat under a flood of one-off keys once they go idle.
    pub fn tracked_keys(&self) -> usize {
        let rate: usize = self.tiers.iter().map(|(_, limiter)| limiter.len()).sum();
        rate + self.runs().len()
    }

    fn runs(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, u32>> {
        // The map stays consistent across a panic (each update is one insert or remove).
        self.runs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn limiter(&self, tier: &Tier) -> &KeyedLimiter {
        let index = self
            .tiers
            .iter()
            .position(|(known, _)| std::ptr::eq(*known, tier) || known.name == tier.name)
            .unwrap_or(0);
        &self.tiers[index].1
    }

    /// Drops the state of keys that went idle, at most once per [`SWEEP_EVERY`], after
    /// [`SWEEP_AFTER_CHECKS`] checks or [`SWEEP_AT_LEAST_EVERY`]; the map's memory is given
    /// back when a sweep emptied at least half of it. Sweeps run on checks: a server that
    /// gets no request at all holds what it held until its next one.
    fn sweep_if_due(&self) {
        let checks = self.checks_since_sweep.fetch_add(1, Ordering::Relaxed);
        let now = u64::try_from(self.clock.now().as_nanos()).unwrap_or(u64::MAX);
        let last = self.last_sweep_nanos.load(Ordering::Relaxed);
        let since = now.saturating_sub(last);
        let due = if checks >= SWEEP_AFTER_CHECKS {
            since >= SWEEP_EVERY.as_nanos() as u64
        } else {
            since >= SWEEP_AT_LEAST_EVERY.as_nanos() as u64
        };
        if due
            && self
                .last_sweep_nanos
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        {
            self.checks_since_sweep.store(0, Ordering::Relaxed);
            for (_, limiter) in &self.tiers {
                let before = limiter.len();
                limiter.retain_recent();
                if limiter.len() <= before / 2 {
                    limiter.shrink_to_fit();
                }
            }
        }
    }

    /// The check itself, synchronous: nothing in this backend waits.
    pub fn check_now(&self, key: &str, tier: &'static Tier) -> Decision {
        self.check_key(&Arc::from(key), tier)
    }

    /// The check with the key as the map holds it: a subject's key is shared, not copied.
    fn check_key(&self, key: &Arc<str>, tier: &'static Tier) -> Decision {
        self.sweep_if_due();
        let limiter = self.limiter(tier);
        let limit = tier.requests_per_minute;
        let period = emission_interval(tier);
        match limiter.check_key(key) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                let reset = period * limit.saturating_sub(remaining);
                Decision::Allow(RateLimitState::new(tier, remaining, ceil_secs(reset)))
            }
            Err(not_until) => {
                let now: governor::nanos::Nanos = self.clock.now().into();
                let wait = not_until.wait_time_from(now);
                let reset = wait + period * limit.saturating_sub(1);
                Decision::Deny {
                    state: RateLimitState::new(tier, 0, ceil_secs(reset)),
                    retry_after_secs: ceil_secs(wait),
                }
            }
        }
    }

    /// Takes a run slot, synchronously.
    pub fn acquire_run_now(&self, key: &str, tier: &'static Tier) -> Option<RunGuard> {
        let key: Arc<str> = Arc::from(key);
        {
            let mut runs = self.runs();
            let running = runs.entry(Arc::clone(&key)).or_insert(0);
            if *running >= tier.concurrent_runs {
                if *running == 0 {
                    runs.remove(&key);
                }
                return None;
            }
            *running += 1;
        }
        let runs = Arc::clone(&self.runs);
        Some(RunGuard::new(move || {
            let mut runs = runs.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(running) = runs.get_mut(&key) {
                *running = running.saturating_sub(1);
                if *running == 0 {
                    runs.remove(&key);
                }
            }
        }))
    }
}

impl Default for MemoryBackend {
    fn default() -> Self {
        MemoryBackend::new()
    }
}

impl fmt::Debug for MemoryBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryBackend")
            .field("clock", &self.clock)
            .field("tracked_keys", &self.tracked_keys())
            .finish()
    }
}

impl Backend for MemoryBackend {
    async fn check(&self, key: &str, tier: &'static Tier) -> Result<Decision, BackendError> {
        Ok(self.check_now(key, tier))
    }

    async fn check_shared(
        &self,
        key: &Arc<str>,
        tier: &'static Tier,
    ) -> Result<Decision, BackendError> {
        Ok(self.check_key(key, tier))
    }

    async fn acquire_run(
        &self,
        key: &str,
        tier: &'static Tier,
    ) -> Result<Option<RunGuard>, BackendError> {
        Ok(self.acquire_run_now(key, tier))
    }
}

/// A tier's quota: its requests per minute as the burst, one request back every
/// `window / limit`, so a full burst refills in exactly one window.
pub(crate) fn quota(tier: &Tier) -> Quota {
    let limit = NonZeroU32::new(tier.requests_per_minute).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(emission_interval(tier))
        .unwrap_or_else(|| Quota::per_minute(limit))
        .allow_burst(limit)
}

/// The time one request takes to come back: the window over the limit.
pub(crate) fn emission_interval(tier: &Tier) -> Duration {
    Duration::from_secs(u64::from(RateLimitState::WINDOW_SECS)) / tier.requests_per_minute.max(1)
}
