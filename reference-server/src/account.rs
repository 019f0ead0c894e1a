//! `GET /verify` (the key's organization, tier and status) and `POST /webhooks`, an
//! enterprise-only feature that other tiers see as `not_implemented`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use error_spec::axum::Json;
use error_spec::{JsonPointer, UserMessage};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::caller::Caller;
use crate::config::max_upload;
use crate::state::AppState;

/// The key's organization.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Verification {
    /// The organization's id.
    org_id: String,
    /// The tier's name: `free`, `pro` or `enterprise`.
    tier: String,
    /// Whether the organization is suspended; a suspended organization may only read.
    suspended: bool,
    /// The credits left.
    credits: u64,
    /// Requests per minute the tier allows.
    requests_per_minute: u32,
    /// Runs the tier may execute at once.
    concurrent_runs: u32,
    /// The largest upload, in bytes.
    max_upload_bytes: u64,
}

/// The key's organization, tier and status; answers also for suspended organizations.
#[error_spec::operation(errors())]
#[utoipa::path(
    get,
    path = "/verify",
    responses(
        (status = 200, description = "The key is valid", body = Verification),
    ),
    security(("api_key" = [])),
    tag = "account"
)]
pub(crate) async fn verify(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<axum::Json<Verification>, VerifyError> {
    let credits = state
        .store
        .lock()
        .orgs
        .get(&caller.org)
        .map_or(0, |org| org.credits);
    Ok(axum::Json(Verification {
        org_id: caller.org.clone(),
        tier: caller.tier.name.to_owned(),
        suspended: caller.suspended,
        credits,
        requests_per_minute: caller.tier.requests_per_minute,
        concurrent_runs: caller.tier.concurrent_runs,
        max_upload_bytes: max_upload(caller.tier) as u64,
    }))
}

crate::caller::from_suspended!(CreateWebhookError);

/// A webhook to subscribe.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateWebhook {
    /// Where events are posted; must start with `https://`.
    #[schema(pattern = "^https://", max_length = 2048)]
    url: String,
}

/// A subscribed webhook.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Webhook {
    /// The webhook's id.
    webhook_id: String,
    /// Where events are posted.
    url: String,
}

/// Subscribes a webhook; enterprise only, other tiers get `not_implemented`.
#[error_spec::operation(errors(Forbidden, InvalidRequest, ValidationError, NotImplemented))]
#[utoipa::path(
    post,
    path = "/webhooks",
    request_body = CreateWebhook,
    responses(
        (status = 201, description = "Subscribed", body = Webhook),
    ),
    security(("api_key" = [])),
    tag = "account"
)]
pub(crate) async fn create_webhook(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<CreateWebhook>,
) -> Result<Response, CreateWebhookError> {
    caller.ensure_active()?;
    if !request.url.starts_with("https://") || request.url.len() > 2048 {
        return Err(CreateWebhookError::validation_error().with_field_error(
            JsonPointer::root().push("url"),
            UserMessage::user_safe("must be an https:// URL of at most 2048 characters"),
        ));
    }
    if caller.tier.name != "enterprise" {
        return Err(
            CreateWebhookError::not_implemented().with_message(UserMessage::user_safe(
                "Webhooks are available on the enterprise tier only.",
            )),
        );
    }
    let webhook = Webhook {
        webhook_id: state.store.new_id("wh"),
        url: request.url,
    };
    Ok((StatusCode::CREATED, axum::Json(webhook)).into_response())
}
