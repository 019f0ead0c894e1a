//! The run's formats and models: what a run costs, and the state of the upstream provider
//! behind each model. A leaf: which tier may ask for what is judged in `runs`.

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
    /// Whether the upstream provider answers.
    pub(crate) fn upstream_up(self) -> bool {
        self != Model::Legacy0
    }
}
