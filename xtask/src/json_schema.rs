//! `docs/error-body.schema.json`: a JSON Schema (draft 2020-12) of the error body, for SDKs
//! and validators that do not read OpenAPI.
//!
//! The schema is `error-spec-openapi`'s, the `ErrorBody` component with what it references;
//! this generator only serializes it with sorted keys. Its generated-file member is
//! `$comment`, the keyword JSON Schema keeps for notes to readers.

use crate::model::Contract;

/// Where `cargo xtask codegen` writes the JSON Schema of the error body.
pub(crate) const PATH: &str = "docs/error-body.schema.json";

/// The schema as pretty JSON with sorted keys; `codegen` adds the generated-file member in
/// front.
pub(crate) fn render(model: &Contract) -> String {
    let value = error_spec_openapi::json_schema();
    let known = value["$defs"]["KnownErrorCode"]["enum"]
        .as_array()
        .map_or(0, Vec::len);
    debug_assert_eq!(
        known,
        model.codes.len(),
        "the schema and the model come from the same table"
    );
    // serde_json's default map is a BTreeMap, so keys come out sorted.
    serde_json::to_string_pretty(&value).expect("a JSON value serializes")
}
