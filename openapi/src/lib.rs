//! OpenAPI 3.1 components generated from the error table, for servers that document their
//! API with utoipa.
//!
//! - **Schemas**: `ErrorCode`, an open list: `anyOf` the `KnownErrorCode` enum (the wire
//!   strings of this version, each with its *when* and *remedy*) or any other string,
//!   because new codes come in minor versions and generated clients must read them;
//!   `ErrorBody`, `FieldError`, `FailedTask`, and the string types they use.
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

//! The same components are also exported as a JSON Schema (draft 2020-12) of the error body,
//! [`json_schema_json`], for SDKs that do not read OpenAPI, and as an OpenAPI 3.0.3
//! document, [`openapi_3_0_json`], for 3.0-only generators. `cargo xtask codegen` writes
//! all three to `docs/`. [`openapi_3_0_of`] exports a server's whole document the same way
//! (the reference server serves it as `/openapi-3.0.json`).

#![deny(missing_docs)]

mod components;
mod document;
mod generated;
mod json_schema;
mod openapi30;
mod operation;
mod response;

pub use components::{ErrorComponents, components, merge_into};
pub use document::{document, document_json};
pub use json_schema::{JSON_SCHEMA_DIALECT, json_schema, json_schema_json};
pub use openapi30::{
    OPENAPI_3_0_VERSION, Openapi30Error, openapi_3_0, openapi_3_0_json, openapi_3_0_of,
};
pub use operation::operation_id_problems;
pub use response::{EXAMPLE_REQUEST_ID, StatusResponse, response_name};

// The workspace README's examples are doctests of the unpublished `doc-tests/` crate, with
// the dependencies its quick start lists: a published package reads nothing outside its
// folder. This crate's own README ships with it and is checked here.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
