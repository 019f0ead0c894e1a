//! Who is calling: the `Authorization: Bearer sk_live_...` key, its organization, and the
//! key's rate limit.
//!
//! [`identify`] runs outside `contract_middleware`, because that middleware reads the
//! key's `RateLimitState` from the request before the handler runs. It only records what it
//! found; the refusal itself (`invalid_api_key`, `rate_limit_exceeded`) comes from the
//! [`Caller`] extractor inside, so that `contract_middleware` renders it like any other
//! error, with the request's own id.

use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use error_spec::{ApiError, ErrorCode, Tier, UserMessage};
use http::request::Parts;

use crate::AppState;

/// The organization behind a valid key, for handlers.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// The organization's id; every resource belongs to one.
    pub(crate) org: String,
    /// The organization's tier.
    pub(crate) tier: &'static Tier,
    /// Whether the organization is suspended.
    pub(crate) suspended: bool,
}

impl Caller {
    /// `forbidden` when the organization is suspended; reads stay allowed so that a
    /// suspended organization can still see its status on `GET /verify`.
    pub(crate) fn ensure_active(&self) -> Result<(), ApiError> {
        if self.suspended {
            return Err(
                ApiError::new(ErrorCode::Forbidden).with_message(UserMessage::user_safe(
                    "Your organization is suspended; see its status on GET /verify.",
                )),
            );
        }
        Ok(())
    }
}

/// What [`identify`] found, kept in the request's extensions.
#[derive(Debug, Clone)]
enum Identity {
    Known(Caller),
    InvalidKey,
    RateLimited(u32),
}

/// Middleware: looks the key up, counts the request against the key's limit, and records
/// the key's `RateLimitState` for `contract_middleware`.
pub(crate) async fn identify(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let key = request
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    let identity = match key.and_then(|key| Some((key, state.store.caller(key)?))) {
        None => Identity::InvalidKey,
        Some((key, caller)) => {
            let verdict = state.limiter.check(key, caller.tier);
            request.extensions_mut().insert(verdict.state);
            match verdict.refused {
                Some(secs) => Identity::RateLimited(secs),
                None => Identity::Known(caller),
            }
        }
    };
    request.extensions_mut().insert(identity);
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        match parts.extensions.get::<Identity>() {
            Some(Identity::Known(caller)) => Ok(caller.clone()),
            Some(Identity::RateLimited(secs)) => Err(ApiError::rate_limited(*secs)),
            Some(Identity::InvalidKey) | None => Err(ApiError::new(ErrorCode::InvalidApiKey)),
        }
    }
}
