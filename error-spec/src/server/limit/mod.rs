//! The tiers, enforced: a tower layer that limits each API key to its tier's requests per
//! minute and concurrent runs, behind the `limit` feature.
//!
//! - [`Limiter`] decides; its state sits behind the [`Backend`] trait: [`MemoryBackend`]
//!   (in-process, the default, nothing to start) or, with the `redis` feature,
//!   `RedisBackend` so that several replicas share one limit.
//! - [`Limiter::layer`] is the tower layer. The server's callback maps a request to a
//!   [`Subject`] (API key and tier). Every limited response, success included, carries the
//!   key's [`RateLimitState`](crate::RateLimitState) (handed to
//!   [`contract_middleware`](crate::axum::contract_middleware)'s scope, or in the response's
//!   extensions without one, and written as headers); over the limit it answers
//!   `rate_limit_exceeded` with `Retry-After` equal to the real wait; past the global
//!   in-flight cap it answers `service_unavailable`.
//! - [`RunSlots`] is an extractor: [`RunSlots::acquire`] holds one of the key's concurrent
//!   run slots in a [`RunGuard`] until the guard is dropped, which may be long after the
//!   request, inside a spawned task.
//!
//! Layer order: the limiter sits inside `contract_middleware`, so its answers get the
//! request id, the docs URL and a log line like every other error.
//!
//! ```
//! use axum::{Router, routing::post};
//! use error_spec::axum::{ServerConfig, contract_middleware};
//! use error_spec::limit::{Limiter, RunSlots, Subject};
//! use error_spec::{ApiError, tier};
//!
//! async fn create_run(slots: RunSlots) -> Result<&'static str, ApiError> {
//!     // Over the key's concurrent runs this is `rate_limit_exceeded`.
//!     let guard = slots.acquire().await?;
//!     tokio::spawn(async move {
//!         // ... the run executes here; its slot is held until `guard` drops.
//!         drop(guard);
//!     });
//!     Ok("accepted")
//! }
//!
//! let limiter = Limiter::new().with_max_in_flight(10_000);
//! let app: Router = Router::new()
//!     .route("/runs", post(create_run))
//!     .layer(limiter.layer(|request: &http::request::Parts| {
//!         // The server's own lookup: API key → tier. `None` leaves a request unlimited
//!         // (a health check); answer unauthenticated requests in the handler.
//!         let key = request.headers.get("x-api-key")?.to_str().ok()?;
//!         Some(Subject::new(key, tier("pro")?))
//!     }))
//!     .layer(axum::middleware::from_fn_with_state(
//!         ServerConfig::new("https://docs.example.com/errors"),
//!         contract_middleware,
//!     ));
//! # let _ = app;
//! ```

mod backend;
mod clock;
mod guard;
mod layer;
mod limiter;
mod memory;
#[cfg(feature = "redis")]
mod redis;
mod run;

pub use backend::{Backend, BackendError, Decision};
pub use clock::{Clock, ManualClock, MonotonicClock};
pub use guard::RunGuard;
pub use layer::{LimitLayer, LimitService};
pub use limiter::{DEFAULT_RUN_RETRY_AFTER_SECS, Limited, Limiter, Subject};
pub use memory::MemoryBackend;
#[cfg(feature = "redis")]
pub use redis::{OutagePolicy, RedisBackend};
pub use run::RunSlots;

use crate::ErrorCode;
use crate::operation::{LayerErrors, Wraps};

/// The codes [`Limiter::layer`] adds to every operation it wraps, declared once here for an
/// [`Api`](crate::operation::Api): `rate_limit_exceeded`, over a key's requests per minute.
pub const ERRORS: LayerErrors =
    LayerErrors::new("limiter", &[ErrorCode::RateLimitExceeded], Wraps::Every);

/// [`ERRORS`] and `service_unavailable`, for a limiter that can also refuse for the server's
/// state: past its global in-flight cap ([`Limiter::with_max_in_flight`]) or, on Redis,
/// while Redis is unreachable under the default outage policy.
pub const ERRORS_WITH_UNAVAILABLE: LayerErrors = LayerErrors::new(
    "limiter",
    &[ErrorCode::RateLimitExceeded, ErrorCode::ServiceUnavailable],
    Wraps::Every,
);
