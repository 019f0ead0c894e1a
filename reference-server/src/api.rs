//! The server's operations and the codes its layers add: the one list the OpenAPI document,
//! `contract_middleware`'s check and the tests read.
//!
//! Each operation's own codes are declared beside its handler (`#[error_spec::operation]`);
//! what the stack around every handler can answer is declared once per layer, by the layer
//! (`error_spec::limit::ERRORS`, `error_spec::panic::ERRORS`,
//! `error_spec::axum::BODY_LIMIT_ERRORS`) or, for this server's own key check, here, and
//! added to each operation the layer wraps.

use error_spec::ErrorCode;
use error_spec::operation::{Api, LayerErrors, Wraps};

use crate::{account, files, runs, tasks};

/// Every operation, in the document's order.
const OPERATIONS: &[&error_spec::operation::Operation] = &[
    &account::VerifyError::OPERATION,
    &account::CreateWebhookError::OPERATION,
    &runs::CreateRunError::OPERATION,
    &runs::GetRunError::OPERATION,
    &runs::DownloadRunError::OPERATION,
    &tasks::GetTaskError::OPERATION,
    &files::UploadFileError::OPERATION,
    &files::GetFileError::OPERATION,
    &files::DeleteFileError::OPERATION,
];

/// The key check: the `Caller` extractor of every handler answers a missing or unknown key,
/// and `internal_error` for an organization whose record cannot be read.
const KEY_CHECK: LayerErrors = LayerErrors::new(
    "key check",
    &[ErrorCode::InvalidApiKey, ErrorCode::InternalError],
    Wraps::Every,
);

/// The API of a server whose limiter counts in its own process, the default.
pub const API: Api = Api::new(OPERATIONS).with_layers(&[
    KEY_CHECK,
    error_spec::limit::ERRORS,
    error_spec::panic::ERRORS,
    error_spec::axum::BODY_LIMIT_ERRORS,
]);

/// The API of a server whose limiter counts in Redis (`--redis-url`) and answers
/// `service_unavailable` while Redis is down (the default outage policy).
pub const API_ON_REDIS: Api = Api::new(OPERATIONS).with_layers(&[
    KEY_CHECK,
    error_spec::limit::ERRORS_WITH_UNAVAILABLE,
    error_spec::panic::ERRORS,
    error_spec::axum::BODY_LIMIT_ERRORS,
]);

/// The API a server with `config` serves.
pub(crate) fn for_config(config: &crate::config::Config) -> Api {
    match (&config.redis_url, config.on_redis_outage) {
        (Some(_), error_spec::limit::OutagePolicy::Unavailable) => API_ON_REDIS,
        // In process, or enforcing per process while Redis is down: never unavailable.
        _ => API,
    }
}
