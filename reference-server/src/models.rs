//! The run's formats and models: what a run costs, which tier may ask for it, and the state
//! of the upstream provider behind each model.

use error_spec::{Tier, UserMessage};

use crate::runs::CreateRunError;
use serde::{Deserialize, Serialize};

/// What a run produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Format {
    /// Text; 1 credit.
    Text,
    /// An image; 10 credits.
    Image,
    /// A video; 100 credits, `pro` and `enterprise` only.
    Video,
}

impl Format {
    /// The credits a run of this format needs.
    pub(crate) fn cost(self) -> u64 {
        match self {
            Format::Text => 1,
            Format::Image => 10,
            Format::Video => 100,
        }
    }

    /// `forbidden` when `tier` may not ask for this format.
    pub(crate) fn check_tier(self, tier: &Tier) -> Result<(), CreateRunError> {
        if self == Format::Video && tier.name == "free" {
            return Err(
                CreateRunError::forbidden().with_message(UserMessage::user_safe(
                    "Video runs need the pro or enterprise tier.",
                )),
            );
        }
        Ok(())
    }

    /// The file extension of a download.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Image => "png",
            Format::Video => "mp4",
        }
    }
}

/// The model that runs the request; each has an upstream provider in a fixed state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub(crate) enum Model {
    /// Healthy.
    #[default]
    #[serde(rename = "fast-1")]
    Fast1,
    /// Its provider is in an outage: every run fails with `upstream_error`.
    #[serde(rename = "legacy-0")]
    Legacy0,
    /// Its pool is down for scheduled maintenance: `service_unavailable`.
    #[serde(rename = "batch-xl")]
    BatchXl,
}

impl Model {
    /// `service_unavailable` when the model's pool is under maintenance.
    pub(crate) fn check_available(self) -> Result<(), CreateRunError> {
        if self == Model::BatchXl {
            return Err(CreateRunError::service_unavailable().with_message(
                UserMessage::user_safe(
                    "The batch-xl pool is down for scheduled maintenance; retry in a minute.",
                ),
            ));
        }
        Ok(())
    }

    /// Whether the upstream provider answers.
    pub(crate) fn upstream_up(self) -> bool {
        self != Model::Legacy0
    }
}
