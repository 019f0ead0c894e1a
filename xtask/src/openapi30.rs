//! `docs/openapi-3.0.json`: the error components as an OpenAPI 3.0.3 document, for
//! generators that read only 3.0.
//!
//! The export is `error-spec-openapi`'s, rewritten from its 3.1 document; this generator
//! only serializes it with sorted keys.

use crate::model::Contract;

/// Where `cargo xtask codegen` writes the OpenAPI 3.0.3 export.
pub(crate) const PATH: &str = "docs/openapi-3.0.json";

/// The export as pretty JSON with sorted keys; `codegen` adds the generated-file member in
/// front.
pub(crate) fn render(model: &Contract) -> String {
    let value = error_spec_openapi::openapi_3_0();
    debug_assert_eq!(
        value["info"]["version"].as_str(),
        Some(model.version.as_str()),
        "the export and the model come from the same table"
    );
    // serde_json's default map is a BTreeMap, so keys come out sorted.
    serde_json::to_string_pretty(&value).expect("a JSON value serializes")
}
