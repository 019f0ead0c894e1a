//! The committed `docs/openapi.json` is the document this build generates.

#[test]
fn docs_openapi_json_is_the_generated_document() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json");
    let committed = std::fs::read_to_string(path).expect("docs/openapi.json is committed");
    assert!(
        committed == error_spec_openapi::document_json(),
        "docs/openapi.json is stale: run `cargo xtask codegen` and commit"
    );
}
