//! The rate-limit tiers: per-key requests per minute and concurrent runs.

/// One tier's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct Tier {
    /// The tier's name as the API and dashboard write it: `free`, `pro`, `enterprise`.
    pub name: &'static str,
    /// Requests per minute, per API key.
    pub requests_per_minute: u32,
    /// Runs that may execute at the same time.
    pub concurrent_runs: u32,
}

/// Every tier, smallest first.
pub const TIERS: &[Tier; 3] = &[
    Tier {
        name: "free",
        requests_per_minute: 10,
        concurrent_runs: 2,
    },
    Tier {
        name: "pro",
        requests_per_minute: 60,
        concurrent_runs: 10,
    },
    Tier {
        name: "enterprise",
        requests_per_minute: 600,
        concurrent_runs: 50,
    },
];

/// The tier called `name`, if there is one.
pub fn tier(name: &str) -> Option<&'static Tier> {
    TIERS.iter().find(|tier| tier.name == name)
}
