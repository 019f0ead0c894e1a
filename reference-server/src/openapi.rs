//! `GET /openapi.json`: the server's paths with the error contract's components merged in;
//! `GET /openapi-3.0.json`: the same document as OpenAPI 3.0.3.

use axum::extract::State;
use axum::response::IntoResponse;
use error_spec::ApiError;
use error_spec_openapi::ErrorComponents;
use utoipa::OpenApi;

use crate::api::API;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// The API keys, `Authorization: Bearer sk_live_...`.
struct ApiKeys;

impl utoipa::Modify for ApiKeys {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Reference server",
        version = "1.0.0",
        description = "The API in miniature, with an in-memory store: every error code of the contract is reachable."
    ),
    paths(
        crate::account::verify,
        crate::account::create_webhook,
        crate::runs::create,
        crate::runs::get,
        crate::runs::download,
        crate::tasks::get,
        crate::files::upload,
        crate::files::get,
        crate::files::delete,
    ),
    modifiers(&ApiKeys, &ErrorComponents, &API)
)]
struct ApiDoc;

/// The server's OpenAPI 3.1 document: each operation lists exactly the codes
/// [`API`](crate::API) says it can answer with, in its responses and as `x-error-codes`.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document of a server with `config`: with `--redis-url` the limiter's
/// `service_unavailable` is on every operation too.
pub(crate) fn document_for(config: &crate::config::Config) -> utoipa::openapi::OpenApi {
    let mut doc = document();
    utoipa::Modify::modify(&crate::api::for_config(config), &mut doc);
    doc
}

/// The server's document as OpenAPI 3.0.3 ([`error_spec_openapi::openapi_3_0_of`]), for
/// generators that read only 3.0, such as progenitor.
pub fn document_3_0() -> Result<serde_json::Value, error_spec_openapi::Openapi30Error> {
    error_spec_openapi::openapi_3_0_of(&document())
}

/// Serves [`document_for`] the server's configuration.
pub(crate) async fn serve(State(state): State<crate::state::AppState>) -> impl IntoResponse {
    axum::Json(document_for(&state.config))
}

/// Serves [`document_3_0`].
pub(crate) async fn serve_3_0() -> Result<axum::Json<serde_json::Value>, ApiError> {
    document_3_0().map(axum::Json).map_err(ApiError::internal)
}
