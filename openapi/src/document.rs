//! `docs/openapi.json`: a complete OpenAPI 3.1 document holding only the components.

use error_spec::ErrorCode;
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};

/// The OpenAPI 3.1 document of the error contract: no paths, every component.
pub fn document() -> OpenApi {
    let info = InfoBuilder::new()
        .title("Error contract")
        .version(ErrorCode::CONTRACT_VERSION)
        .description(Some(
            "The API's error codes, error body and error responses, generated from the \
             error table. Servers merge these components into their own document.",
        ))
        .build();
    OpenApiBuilder::new()
        .info(info)
        .components(Some(crate::components()))
        .build()
}

/// The document as `docs/openapi.json` holds it: pretty-printed, keys sorted, and a first
/// member `x-generated` saying it is generated.
pub fn document_json() -> String {
    let value = serde_json::to_value(document()).expect("an OpenAPI document serializes");
    crate::generated::to_json("x-generated", &value)
}
