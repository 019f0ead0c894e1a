//! `GET /openapi.json`: the server's paths with the error contract's components merged in.

use axum::response::IntoResponse;
use error_spec_openapi::ErrorComponents;
use utoipa::OpenApi;
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
    modifiers(&ApiKeys, &ErrorComponents)
)]
struct ApiDoc;

/// The server's OpenAPI 3.1 document.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Serves [`document`].
pub(crate) async fn serve() -> impl IntoResponse {
    axum::Json(document())
}
