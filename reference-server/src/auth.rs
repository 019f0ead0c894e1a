//! Who is calling: the `Authorization: Bearer sk_live_...` key and its organization.
//!
//! The key is read twice: by the limit layer's subject callback ([`subject`]), which counts
//! the request against the key's tier, and by the [`Caller`] extractor, which answers
//! `invalid_api_key` for a missing or unknown key. An unknown key is not limited (it has no
//! tier); it gets `invalid_api_key` from the first handler argument.

use axum::extract::FromRequestParts;
use error_spec::limit::Subject;
use error_spec::{ApiError, ErrorCode};
use http::request::Parts;

use crate::caller::Caller;
use crate::state::AppState;
use crate::store::Store;

/// The bearer key of a request, if it sent one.
fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The limit layer's callback: a known key and its tier.
pub(crate) fn subject(store: &Store, parts: &Parts) -> Option<Subject> {
    let key = bearer(parts)?;
    let caller = store.caller(key)?;
    Some(Subject::new(key, caller.tier))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = bearer(parts)
            .and_then(|key| state.store.caller(key))
            .ok_or_else(|| ApiError::new(ErrorCode::InvalidApiKey))?;
        if caller.corrupt {
            let cause = std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("organization record {}: checksum mismatch", caller.org),
            );
            // `contract_middleware` logs the cause with the request id.
            return Err(ApiError::internal(cause));
        }
        Ok(caller)
    }
}
