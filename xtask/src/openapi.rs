//! `docs/openapi.json`: the OpenAPI 3.1 document of the error components.
//!
//! The document is `error-spec-openapi`'s, built by utoipa from the same types and table the
//! [`Contract`] model reads; this generator only serializes it with sorted keys.

use crate::model::Contract;

/// Where `cargo xtask codegen` writes the OpenAPI document.
pub(crate) const PATH: &str = "docs/openapi.json";

/// The document as pretty JSON with sorted keys (utoipa keeps extensions in a `HashMap`, so
/// only sorting makes the bytes the same on every run); `codegen` adds the generated-file
/// member in front.
pub(crate) fn render(model: &Contract) -> String {
    let value = serde_json::to_value(error_spec_openapi::document())
        .expect("an OpenAPI document serializes");
    debug_assert_eq!(
        value["info"]["version"].as_str(),
        Some(model.version.as_str()),
        "the document and the model come from the same table"
    );
    // serde_json's default map is a BTreeMap, so keys come out sorted.
    serde_json::to_string_pretty(&value).expect("a JSON value serializes")
}
