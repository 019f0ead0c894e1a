//! [`RedisBackend`]: the limiter's state in Redis, so that replicas behind one load
//! balancer hold one limit between them. Behind the `redis` feature.
//!
//! Requests per minute are GCRA, the algorithm governor runs in process, as one Lua script
//! (atomic in Redis): one key per API key and tier holding the theoretical arrival time.
//! Run slots are leases in a sorted set per API key, scored by expiry: a live guard renews
//! its lease, a dropped guard removes it, and the lease of a replica that died expires.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Script};

use super::backend::{Backend, BackendError, Decision, ceil_secs};
use super::clock::Clock;
use super::guard::RunGuard;
use super::memory::MemoryBackend;
use super::memory::emission_interval;
use crate::{RateLimitState, RequestId, Tier};

/// GCRA. KEYS[1] the key's arrival time; ARGV: now in µs (empty: Redis's own clock),
/// emission interval in µs, limit. Returns admitted (0/1), remaining, wait in µs, reset in µs.
const GCRA: &str = r"
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[1])
end
local interval = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local window = interval * limit
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
if new_tat - now > window then
  return {0, 0, new_tat - window - now, tat - now}
end
-- A whole window: after it the state is fresh whatever it held, and the expiry never
-- depends on whose clock `now` came from.
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil(window / 1000))
return {1, math.floor((now + window - new_tat) / interval), 0, new_tat - now}
";

/// Takes a lease. KEYS[1] the key's leases; ARGV: now in ms (empty: Redis's clock), lease
/// time in ms, concurrent runs, lease id. Returns 1 when taken.
const ACQUIRE: &str = r"
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[1])
end
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[4])
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
";

/// Renews a lease that is still held. Same keys and arguments as the acquire script.
const RENEW: &str = r"
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[1])
end
local ttl = tonumber(ARGV[2])
local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + ttl, ARGV[4])
redis.call('PEXPIRE', KEYS[1], ttl)
return renewed
";

/// What the limiter does when Redis cannot answer. Never an unlimited pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutagePolicy {
    /// Answer `service_unavailable` with `Retry-After` in the contract's 30-60 s.
    #[default]
    Unavailable,
    /// Enforce the tiers per process until Redis is back: each replica admits up to the
    /// whole tier, so the cluster admits up to replicas × tier meanwhile.
    LocalFallback,
}

/// The limiter's state in Redis.
pub struct RedisBackend {
    connection: ConnectionManager,
    prefix: String,
    clock: Option<Arc<dyn Clock>>,
    lease: Duration,
    outage: OutagePolicy,
    fallback: MemoryBackend,
    gcra: Script,
    acquire: Script,
    renew: Script,
}

impl RedisBackend {
    /// How long a run's lease lives without renewal, unless set: a replica that dies frees
    /// its runs' slots after this long.
    pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

    /// How long one Redis call may take before the backend reports an outage.
    pub const TIMEOUT: Duration = Duration::from_millis(500);

    /// A backend on the Redis at `url` (`redis://host:port/db`). Connects lazily, so a
    /// server starts while Redis is down; must be called inside a tokio runtime.
    pub fn open(url: &str) -> Result<Self, BackendError> {
        let client = Client::open(url).map_err(BackendError::new)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Self::TIMEOUT))
            .set_response_timeout(Some(Self::TIMEOUT))
            .set_number_of_retries(1);
        let connection =
            ConnectionManager::new_lazy_with_config(client, config).map_err(BackendError::new)?;
        Ok(RedisBackend {
            connection,
            prefix: "error-spec:".to_owned(),
            clock: None,
            lease: Self::DEFAULT_LEASE,
            outage: OutagePolicy::default(),
            fallback: MemoryBackend::new(),
            gcra: Script::new(GCRA),
            acquire: Script::new(ACQUIRE),
            renew: Script::new(RENEW),
        })
    }

    /// Prefixes every Redis key (default `error-spec:`), to share a Redis with other data.
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Reads the time from `clock` instead of Redis's own clock. Replicas must then share
    /// the clock; tests use a [`super::ManualClock`].
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + Clone) -> Self {
        self.fallback = MemoryBackend::with_clock(clock.clone());
        self.clock = Some(Arc::new(clock));
        self
    }

    /// How long a run's lease lives without renewal; a live guard renews it every third.
    #[must_use]
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease.max(Duration::from_millis(30));
        self
    }

    /// What to do while Redis cannot answer.
    #[must_use]
    pub fn with_outage_policy(mut self, policy: OutagePolicy) -> Self {
        self.outage = policy;
        self
    }

    fn now_micros(&self) -> String {
        self.clock
            .as_ref()
            .map_or_else(String::new, |clock| clock.now().as_micros().to_string())
    }

    fn now_millis(&self) -> String {
        self.clock
            .as_ref()
            .map_or_else(String::new, |clock| clock.now().as_millis().to_string())
    }

    async fn check_redis(&self, key: &str, tier: &'static Tier) -> redis::RedisResult<Decision> {
        let interval = emission_interval(tier).as_micros();
        let rate_key = format!("{}rate:{}:{key}", self.prefix, tier.name);
        let mut connection = self.connection.clone();
        let (admitted, remaining, wait, reset): (u8, u32, u64, u64) = self
            .gcra
            .key(rate_key)
            .arg(self.now_micros())
            .arg(interval.to_string())
            .arg(tier.requests_per_minute)
            .invoke_async(&mut connection)
            .await?;
        let reset = ceil_secs(Duration::from_micros(reset));
        Ok(if admitted == 1 {
            Decision::Allow(RateLimitState::new(tier, remaining, reset))
        } else {
            Decision::Deny {
                state: RateLimitState::new(tier, 0, reset),
                retry_after_secs: ceil_secs(Duration::from_micros(wait)),
            }
        })
    }

    async fn acquire_redis(
        &self,
        key: &str,
        tier: &'static Tier,
    ) -> redis::RedisResult<Option<RunGuard>> {
        let runs_key = format!("{}runs:{key}", self.prefix);
        let id = RequestId::mint().as_str().to_owned();
        let lease_ms = self.lease.as_millis().to_string();
        let mut connection = self.connection.clone();
        let taken: u8 = self
            .acquire
            .key(&runs_key)
            .arg(self.now_millis())
            .arg(&lease_ms)
            .arg(tier.concurrent_runs)
            .arg(&id)
            .invoke_async(&mut connection)
            .await?;
        if taken == 0 {
            return Ok(None);
        }
        let lease = Lease {
            connection,
            runs_key,
            id,
            lease_ms,
            clock: self.clock.clone(),
            renew: self.renew.clone(),
        };
        let renewal = tokio::spawn(lease.clone().renew_every(self.lease / 3));
        Ok(Some(RunGuard::new(move || {
            renewal.abort();
            lease.release();
        })))
    }
}

/// One held run lease.
#[derive(Clone)]
struct Lease {
    connection: ConnectionManager,
    runs_key: String,
    id: String,
    lease_ms: String,
    clock: Option<Arc<dyn Clock>>,
    renew: Script,
}

impl Lease {
    /// Keeps the lease alive while its guard lives; a failed renewal is retried next time,
    /// and the lease expires if the outage lasts longer than the lease.
    async fn renew_every(mut self, every: Duration) {
        loop {
            tokio::time::sleep(every).await;
            let now = self
                .clock
                .as_ref()
                .map_or_else(String::new, |clock| clock.now().as_millis().to_string());
            let renewed: redis::RedisResult<u8> = self
                .renew
                .key(&self.runs_key)
                .arg(now)
                .arg(&self.lease_ms)
                .arg(0)
                .arg(&self.id)
                .invoke_async(&mut self.connection)
                .await;
            let _ = renewed;
        }
    }

    /// Removes the lease; outside a tokio runtime it is left to expire.
    fn release(self) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let mut connection = self.connection;
            runtime.spawn(async move {
                let removed: redis::RedisResult<u8> = redis::cmd("ZREM")
                    .arg(&self.runs_key)
                    .arg(&self.id)
                    .query_async(&mut connection)
                    .await;
                let _ = removed;
            });
        }
    }
}

impl fmt::Debug for RedisBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBackend")
            .field("prefix", &self.prefix)
            .field("lease", &self.lease)
            .field("outage", &self.outage)
            .finish_non_exhaustive()
    }
}

impl Backend for RedisBackend {
    async fn check(&self, key: &str, tier: &'static Tier) -> Result<Decision, BackendError> {
        match self.check_redis(key, tier).await {
            Ok(decision) => Ok(decision),
            Err(err) => match self.outage {
                OutagePolicy::Unavailable => Err(BackendError::new(err)),
                OutagePolicy::LocalFallback => {
                    outage(&err);
                    Ok(self.fallback.check_now(key, tier))
                }
            },
        }
    }

    async fn acquire_run(
        &self,
        key: &str,
        tier: &'static Tier,
    ) -> Result<Option<RunGuard>, BackendError> {
        match self.acquire_redis(key, tier).await {
            Ok(guard) => Ok(guard),
            Err(err) => match self.outage {
                OutagePolicy::Unavailable => Err(BackendError::new(err)),
                OutagePolicy::LocalFallback => {
                    outage(&err);
                    Ok(self.fallback.acquire_run_now(key, tier))
                }
            },
        }
    }
}

/// A fallback decision is logged, so an outage that the policy hides is still seen.
fn outage(err: &redis::RedisError) {
    #[cfg(feature = "tracing")]
    tracing::warn!(error = %err, "redis unreachable: limits enforced per process");
    #[cfg(not(feature = "tracing"))]
    let _ = err;
}
