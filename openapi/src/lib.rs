//! OpenAPI 3.1 components generated from the error table, for servers that document their
//! API with utoipa.
//!
//! - **Schemas**: `ErrorCode` (a `oneOf` of one-value string schemas, each with its code's
//!   *when* and *remedy*, marked `x-extensible-enum` because new codes come in minor
//!   versions), `ErrorBody`, `FieldError`, `FailedTask`, and the string types they use.
//! - **Responses**: one per error status, named after the status table's category
//!   (`BadRequest`, `RateLimited`, ...), listing the codes it carries, with one named example
//!   body per code rendered by the same code a server runs.
//! - **Headers**: `X-Request-Id`, `Retry-After` and the rate-limit headers, declared once
//!   under `components/headers` and referenced from each response that carries them.
//!
//! A server merges them in one call and references a response by type:
//!
//! ```
//! use error_spec_openapi::ErrorComponents;
//! use utoipa::OpenApi;
//!
//! #[utoipa::path(get, path = "/runs/{id}", responses(
//!     (status = 200, description = "The run"),
//!     (status = 404, response = error_spec_openapi::StatusResponse<404>),
//!     (status = 429, response = error_spec_openapi::StatusResponse<429>),
//! ))]
//! async fn get_run() {}
//!
//! #[derive(OpenApi)]
//! #[openapi(paths(get_run), modifiers(&ErrorComponents))]
//! struct ApiDoc;
//!
//! let doc = ApiDoc::openapi();
//! let components = doc.components.expect("merged");
//! assert!(components.responses.contains_key("NotFound"));
//! assert!(components.schemas.contains_key("ErrorBody"));
//! ```

#![deny(missing_docs)]

mod components;
mod document;
mod response;

pub use components::{ErrorComponents, components, merge_into};
pub use document::{document, document_json};
pub use response::{EXAMPLE_REQUEST_ID, StatusResponse, response_name};

// The README's examples compile and run as doctests of this crate: its dependencies and
// dev-dependencies are the README's `[dependencies]` block (error-spec with `axum`, utoipa,
// axum, tokio, tower, serde), so every snippet a user copies is checked as they use it.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
