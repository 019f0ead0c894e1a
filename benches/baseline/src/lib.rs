//! The baseline: the same 16 error codes written the usual way, by hand, with strum's and
//! serde's derives and `http`, as a server crate would without `error-spec`.
//!
//! The benchmarks and the build-cost comparison measure `error-spec` against this crate in
//! the same run. Its facts are typed here a second time on purpose: that is the usual way
//! this crate exists to replace, and the point of comparison.

use http::StatusCode;
use serde::{Deserialize, Serialize};

/// The error codes, hand-written.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::AsRefStr,
    strum::Display,
    strum::EnumIter,
    strum::EnumCount,
    strum::VariantArray,
    Serialize,
    Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Missing, malformed, or revoked sk_live_*
    InvalidApiKey,
    /// Key OK but lacks permission (suspended org, wrong tier)
    Forbidden,
    /// Org balance below the format’s minimum
    InsufficientCredits,
    /// Missing required field, bad enum value
    InvalidRequest,
    /// Pydantic field-level error
    ValidationError,
    /// LLM validator rejected (missing assets)
    PreflightFailed,
    /// File exceeds tier limit
    PayloadTooLarge,
    /// Run / file / image / webhook ID doesn’t exist OR belongs to another org
    NotFound,
    /// Resource expired (30-day retention)
    Gone,
    /// Idempotency key reused with different body, or resource in wrong state
    Conflict,
    /// Sync request hit 300s ceiling
    SyncTimeoutUpgradeAsync,
    /// Over per-key tier limit
    RateLimitExceeded,
    /// Unhandled server exception
    InternalError,
    /// LLM provider / storage outage
    UpstreamError,
    /// Pool saturated, scheduled maintenance
    ServiceUnavailable,
    /// Endpoint exists (for shape compatibility) but the feature isn’t available on your tier / deployment
    NotImplemented,
}

/// The category of a code, hand-written.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::Display,
    strum::EnumString,
    Serialize,
    Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Category {
    /// Authentication.
    Authentication,
    /// Billing.
    Billing,
    /// Validation.
    Validation,
    /// Resources.
    Resources,
    /// Runtime.
    Runtime,
}

impl ErrorCode {
    /// The code's status.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::InvalidApiKey => {
                StatusCode::from_u16(401).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::Forbidden => {
                StatusCode::from_u16(403).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::InsufficientCredits => {
                StatusCode::from_u16(402).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::InvalidRequest => {
                StatusCode::from_u16(400).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::ValidationError => {
                StatusCode::from_u16(422).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::PreflightFailed => {
                StatusCode::from_u16(400).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::PayloadTooLarge => {
                StatusCode::from_u16(413).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::NotFound => {
                StatusCode::from_u16(404).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::Gone => {
                StatusCode::from_u16(410).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::Conflict => {
                StatusCode::from_u16(409).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::SyncTimeoutUpgradeAsync => {
                StatusCode::from_u16(408).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::RateLimitExceeded => {
                StatusCode::from_u16(429).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::InternalError => {
                StatusCode::from_u16(500).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::UpstreamError => {
                StatusCode::from_u16(502).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::ServiceUnavailable => {
                StatusCode::from_u16(503).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::NotImplemented => {
                StatusCode::from_u16(501).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }

    /// The code's category.
    pub fn category(self) -> Category {
        match self {
            ErrorCode::InvalidApiKey => Category::Authentication,
            ErrorCode::Forbidden => Category::Authentication,
            ErrorCode::InsufficientCredits => Category::Billing,
            ErrorCode::InvalidRequest => Category::Validation,
            ErrorCode::ValidationError => Category::Validation,
            ErrorCode::PreflightFailed => Category::Validation,
            ErrorCode::PayloadTooLarge => Category::Validation,
            ErrorCode::NotFound => Category::Resources,
            ErrorCode::Gone => Category::Resources,
            ErrorCode::Conflict => Category::Resources,
            ErrorCode::SyncTimeoutUpgradeAsync => Category::Runtime,
            ErrorCode::RateLimitExceeded => Category::Runtime,
            ErrorCode::InternalError => Category::Runtime,
            ErrorCode::UpstreamError => Category::Runtime,
            ErrorCode::ServiceUnavailable => Category::Runtime,
            ErrorCode::NotImplemented => Category::Runtime,
        }
    }

    /// The code's title.
    pub fn title(self) -> &'static str {
        match self {
            ErrorCode::InvalidApiKey => "Invalid API key",
            ErrorCode::Forbidden => "Forbidden",
            ErrorCode::InsufficientCredits => "Insufficient credits",
            ErrorCode::InvalidRequest => "Invalid request",
            ErrorCode::ValidationError => "Validation error",
            ErrorCode::PreflightFailed => "Preflight check failed",
            ErrorCode::PayloadTooLarge => "Payload too large",
            ErrorCode::NotFound => "Not found",
            ErrorCode::Gone => "Gone",
            ErrorCode::Conflict => "Conflict",
            ErrorCode::SyncTimeoutUpgradeAsync => "Synchronous request timed out",
            ErrorCode::RateLimitExceeded => "Rate limit exceeded",
            ErrorCode::InternalError => "Internal error",
            ErrorCode::UpstreamError => "Upstream error",
            ErrorCode::ServiceUnavailable => "Service unavailable",
            ErrorCode::NotImplemented => "Not implemented",
        }
    }

    /// The code's message.
    pub fn message(self) -> &'static str {
        match self {
            ErrorCode::InvalidApiKey => "The API key is missing, malformed, or revoked.",
            ErrorCode::Forbidden => "This API key is not permitted to perform this request.",
            ErrorCode::InsufficientCredits => {
                "Your organization does not have enough credits for this request."
            }
            ErrorCode::InvalidRequest => {
                "The request is missing a required field or has an invalid value."
            }
            ErrorCode::ValidationError => "A field of the request body was rejected.",
            ErrorCode::PreflightFailed => {
                "The request was rejected before it ran because required assets are missing."
            }
            ErrorCode::PayloadTooLarge => "The uploaded file exceeds the limit of your tier.",
            ErrorCode::NotFound => "The requested resource does not exist.",
            ErrorCode::Gone => "The requested resource has expired and is no longer available.",
            ErrorCode::Conflict => {
                "The request conflicts with an earlier request or with the resource's current state."
            }
            ErrorCode::SyncTimeoutUpgradeAsync => {
                "The request took too long to run synchronously; resubmit it as an async task."
            }
            ErrorCode::RateLimitExceeded => {
                "Too many requests; retry after the time given in the Retry-After header."
            }
            ErrorCode::InternalError => {
                "Something went wrong on our side. Include the request ID if you contact support."
            }
            ErrorCode::UpstreamError => {
                "A service we depend on failed; retry with exponential backoff."
            }
            ErrorCode::ServiceUnavailable => {
                "The service is temporarily unavailable; retry in a minute."
            }
            ErrorCode::NotImplemented => {
                "This feature is not available on your tier or deployment."
            }
        }
    }

    /// The code's when.
    pub fn when(self) -> &'static str {
        match self {
            ErrorCode::InvalidApiKey => "Missing, malformed, or revoked sk_live_*",
            ErrorCode::Forbidden => "Key OK but lacks permission (suspended org, wrong tier)",
            ErrorCode::InsufficientCredits => "Org balance below the format’s minimum",
            ErrorCode::InvalidRequest => "Missing required field, bad enum value",
            ErrorCode::ValidationError => "Pydantic field-level error",
            ErrorCode::PreflightFailed => "LLM validator rejected (missing assets)",
            ErrorCode::PayloadTooLarge => "File exceeds tier limit",
            ErrorCode::NotFound => {
                "Run / file / image / webhook ID doesn’t exist OR belongs to another org"
            }
            ErrorCode::Gone => "Resource expired (30-day retention)",
            ErrorCode::Conflict => {
                "Idempotency key reused with different body, or resource in wrong state"
            }
            ErrorCode::SyncTimeoutUpgradeAsync => "Sync request hit 300s ceiling",
            ErrorCode::RateLimitExceeded => "Over per-key tier limit",
            ErrorCode::InternalError => "Unhandled server exception",
            ErrorCode::UpstreamError => "LLM provider / storage outage",
            ErrorCode::ServiceUnavailable => "Pool saturated, scheduled maintenance",
            ErrorCode::NotImplemented => {
                "Endpoint exists (for shape compatibility) but the feature isn’t available on your tier / deployment"
            }
        }
    }

    /// The code's remedy.
    pub fn remedy(self) -> &'static str {
        match self {
            ErrorCode::InvalidApiKey => "Check Authorization header; rotate if compromised",
            ErrorCode::Forbidden => "Check org status on GET /verify",
            ErrorCode::InsufficientCredits => "Top up via dashboard or contact sales",
            ErrorCode::InvalidRequest => "Fix payload per error message",
            ErrorCode::ValidationError => "Error message has JSON pointer to the bad field",
            ErrorCode::PreflightFailed => "Attach the missing assets or rephrase the prompt",
            ErrorCode::PayloadTooLarge => "Compress or upgrade tier",
            ErrorCode::NotFound => "Check ID spelling; confirm you created it under the same org",
            ErrorCode::Gone => "Start a new run",
            ErrorCode::Conflict => "Different key, or wait for terminal state",
            ErrorCode::SyncTimeoutUpgradeAsync => "Resubmit with async: true; poll /tasks/{id}",
            ErrorCode::RateLimitExceeded => "Retry after the Retry-After header seconds",
            ErrorCode::InternalError => "Include X-Request-Id in support ticket",
            ErrorCode::UpstreamError => "Retry with exponential backoff",
            ErrorCode::ServiceUnavailable => "Retry after 30-60s",
            ErrorCode::NotImplemented => "Contact support",
        }
    }
}

/// One field problem, hand-written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The JSON pointer of the field.
    pub pointer: String,
    /// What is wrong with it.
    pub message: String,
}

/// The error body with the same members as `error_spec::ErrorBody`, as a plain serde struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The code's doc URL (RFC 9457 `type`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_url: Option<String>,
    /// The code's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The code.
    pub error: ErrorCode,
    /// The user-safe message.
    pub message: String,
    /// The request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The run id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// The task id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// The doc URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
    /// Seconds to wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
    /// Field problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}
