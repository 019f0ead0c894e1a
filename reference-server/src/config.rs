//! The server's configuration and its demo keys.

use std::borrow::Cow;
use std::time::Duration;

use error_spec::limit::OutagePolicy;
use error_spec::{TIERS, Tier};

/// The largest JSON body a route reads; uploads go through `POST /files` and its tier limits.
pub(crate) const MAX_JSON_BODY: usize = 64 * 1024;

/// What can be changed from the command line, mostly so that tests need not wait: the
/// synchronous ceiling and the pool size; and where the limits are kept, for replicas. The tiers' rate limits are the contract's
/// (`error_spec::TIERS`), enforced by `error_spec::limit`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// How long a synchronous run may take before it is answered
    /// `sync_timeout_upgrade_async`; the platform's is 300 s, the miniature's 2 s.
    pub sync_ceiling: Duration,
    /// Runs that may execute at once across all keys; one more is `service_unavailable`.
    pub pool_size: usize,
    /// How long runs are kept; an older one is `gone`.
    pub retention: Duration,
    /// The docs base URL each error's `doc_url` starts with.
    pub doc_base: Cow<'static, str>,
    /// The Redis (`redis://host:port/db`) the tier limiter keeps its counts and run leases
    /// in, so that replicas share one limit; `None` keeps them in this process. Only the
    /// limits are shared: each replica keeps its own store (credits, runs, files).
    pub redis_url: Option<String>,
    /// What the limiter answers while that Redis cannot: `service_unavailable` with
    /// `Retry-After` (the default), or each replica enforcing the tiers on its own.
    pub on_redis_outage: OutagePolicy,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            sync_ceiling: Duration::from_secs(2),
            pool_size: 64,
            retention: Duration::from_secs(30 * 24 * 3600),
            doc_base: Cow::Borrowed(error_spec::DEFAULT_DOC_BASE),
            redis_url: None,
            on_redis_outage: OutagePolicy::Unavailable,
        }
    }
}

impl Config {
    /// Sets [`Config::sync_ceiling`].
    #[must_use]
    pub fn with_sync_ceiling(mut self, ceiling: Duration) -> Self {
        self.sync_ceiling = ceiling;
        self
    }

    /// Sets [`Config::redis_url`].
    #[must_use]
    pub fn with_redis_url(mut self, url: impl Into<String>) -> Self {
        self.redis_url = Some(url.into());
        self
    }

    /// Sets [`Config::on_redis_outage`].
    #[must_use]
    pub fn with_outage_policy(mut self, policy: OutagePolicy) -> Self {
        self.on_redis_outage = policy;
        self
    }

    /// Sets [`Config::pool_size`].
    #[must_use]
    pub fn with_pool_size(mut self, pool_size: usize) -> Self {
        self.pool_size = pool_size;
        self
    }
}

/// One demo API key, its organization and what the organization is like.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct DemoKey {
    /// The key, sent as `Authorization: Bearer <key>`.
    pub key: &'static str,
    /// The organization's name.
    pub org: &'static str,
    /// The organization's tier.
    pub tier: &'static Tier,
    /// The organization's credits at start.
    pub credits: u64,
    /// Whether the organization is suspended: every request but reads is `forbidden`.
    pub suspended: bool,
    /// Whether the organization's record cannot be read: every request with the key is
    /// `internal_error`, the stand-in for a broken store behind the key check.
    pub corrupt: bool,
}

/// The keys the server starts with, printed at start: one per tier, a suspended one, and one
/// whose organization's record is corrupt.
pub const DEMO_KEYS: [DemoKey; 5] = [
    DemoKey {
        key: "sk_live_demo_free_4f1c2a",
        org: "org_free",
        tier: &TIERS[0],
        credits: 5,
        suspended: false,
        corrupt: false,
    },
    DemoKey {
        key: "sk_live_demo_pro_8b3e9d",
        org: "org_pro",
        tier: &TIERS[1],
        credits: 10_000,
        suspended: false,
        corrupt: false,
    },
    DemoKey {
        key: "sk_live_demo_enterprise_c7d05e",
        org: "org_enterprise",
        tier: &TIERS[2],
        credits: 1_000_000_000,
        suspended: false,
        corrupt: false,
    },
    DemoKey {
        key: "sk_live_demo_suspended_2a6f71",
        org: "org_suspended",
        tier: &TIERS[1],
        credits: 10_000,
        suspended: true,
        corrupt: false,
    },
    DemoKey {
        key: "sk_live_demo_corrupt_5e0b93",
        org: "org_corrupt",
        tier: &TIERS[1],
        credits: 10_000,
        suspended: false,
        corrupt: true,
    },
];

/// The largest upload of a tier, in bytes.
pub(crate) fn max_upload(tier: &Tier) -> usize {
    match tier.name {
        "free" => 64 * 1024,
        "pro" => 1024 * 1024,
        _ => 4 * 1024 * 1024,
    }
}
