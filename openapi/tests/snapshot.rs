//! The committed `docs/openapi.json`, `docs/openapi-3.0.json` and
//! `docs/error-body.schema.json` are what this build generates.

/// Fails with the command that fixes it when `file` under `docs/` differs from `generated`.
fn assert_fresh(file: &str, generated: &str) {
    let path = format!("{}/../docs/{file}", env!("CARGO_MANIFEST_DIR"));
    let committed =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("docs/{file}: {err}"));
    assert!(
        committed == generated,
        "docs/{file} is stale: run `cargo xtask codegen` and commit"
    );
}

#[test]
fn docs_openapi_json_is_the_generated_document() {
    assert_fresh("openapi.json", &error_spec_openapi::document_json());
}

#[test]
fn docs_openapi_3_0_json_is_the_generated_export() {
    assert_fresh("openapi-3.0.json", &error_spec_openapi::openapi_3_0_json());
}

#[test]
fn docs_error_body_schema_json_is_the_generated_schema() {
    assert_fresh(
        "error-body.schema.json",
        &error_spec_openapi::json_schema_json(),
    );
}
