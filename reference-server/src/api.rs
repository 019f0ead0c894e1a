//! The server's operations and the codes its layers add: the one list the OpenAPI document,
//! `contract_middleware`'s check and the tests read.
//!
//! Each operation's own codes are declared beside its handler (`#[error_spec::operation]`);
//! what the stack around every handler can answer is declared here, once per layer, and
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

/// The key check: the `Caller` extractor of every handler answers a missing or unknown key.
const KEY_CHECK: LayerErrors =
    LayerErrors::new("key check", &[ErrorCode::InvalidApiKey], Wraps::Every);

/// The panic catcher: a panicking handler answers `internal_error`.
const PANIC_CATCHER: LayerErrors =
    LayerErrors::new("panic catcher", &[ErrorCode::InternalError], Wraps::Every);

/// The body limit (`DefaultBodyLimit`): a JSON body over 64 KiB.
const BODY_LIMIT: LayerErrors = LayerErrors::new(
    "body limit",
    &[ErrorCode::PayloadTooLarge],
    Wraps::ReadingBody,
);

/// The tier limiter, counting in this process: over the key's requests per minute.
const LIMITER: LayerErrors =
    LayerErrors::new("limiter", &[ErrorCode::RateLimitExceeded], Wraps::Every);

/// The tier limiter on Redis: also `service_unavailable` while Redis is unreachable
/// (the default outage policy).
const LIMITER_ON_REDIS: LayerErrors = LayerErrors::new(
    "limiter (Redis)",
    &[ErrorCode::RateLimitExceeded, ErrorCode::ServiceUnavailable],
    Wraps::Every,
);

/// The API of a server whose limiter counts in its own process, the default.
pub const API: Api =
    Api::new(OPERATIONS).with_layers(&[KEY_CHECK, LIMITER, PANIC_CATCHER, BODY_LIMIT]);

/// The API of a server whose limiter counts in Redis (`--redis-url`).
pub const API_ON_REDIS: Api =
    Api::new(OPERATIONS).with_layers(&[KEY_CHECK, LIMITER_ON_REDIS, PANIC_CATCHER, BODY_LIMIT]);

/// The API a server with `config` serves.
pub(crate) fn for_config(config: &crate::config::Config) -> Api {
    if config.redis_url.is_some() {
        API_ON_REDIS
    } else {
        API
    }
}
