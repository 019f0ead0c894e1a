//! A small utoipa server: its own paths and schemas, the error components merged in one
//! call, responses referenced by type. Every `$ref` must resolve, the contract's schemas must
//! survive a same-named schema of the server's, and the merged document is written for
//! `.ci/validate-openapi`.

use std::collections::BTreeSet;

use error_spec_openapi::ErrorComponents;
use serde_json::Value;
use utoipa::OpenApi;

/// The server's own type that happens to share a name with a contract schema.
#[derive(utoipa::ToSchema)]
#[allow(dead_code, reason = "only its schema is used")]
struct ErrorCode {
    legacy: String,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code, reason = "only its schema is used")]
struct Run {
    id: String,
}

/// A run by id.
#[utoipa::path(
    get,
    path = "/runs/{id}",
    params(("id" = String, Path, description = "The run's id")),
    responses(
        (status = 200, description = "The run", body = Run),
        (status = 404, response = error_spec_openapi::StatusResponse<404>),
        (status = 429, response = error_spec_openapi::StatusResponse<429>),
        (status = 503, response = error_spec_openapi::StatusResponse<503>),
    )
)]
#[allow(dead_code, reason = "only its OpenAPI description is used")]
async fn get_run() {}

/// The API's keys, `Authorization: Bearer sk_live_...`, as the server declares them.
struct ApiKeys;

impl utoipa::Modify for ApiKeys {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Example server", version = "1.0.0"),
    paths(get_run),
    components(schemas(ErrorCode, Run)),
    security(("api_key" = [])),
    modifiers(&ApiKeys, &ErrorComponents)
)]
struct ApiDoc;

fn merged() -> Value {
    serde_json::to_value(ApiDoc::openapi()).expect("the document serializes")
}

/// Every `$ref` in `value`.
fn refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                out.insert(target.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_ref_resolves() {
    let doc = merged();
    let mut targets = BTreeSet::new();
    refs(&doc, &mut targets);
    assert!(
        targets.contains("#/components/responses/NotFound"),
        "{targets:?}"
    );
    assert!(
        targets.contains("#/components/responses/RateLimited"),
        "{targets:?}"
    );
    for target in targets {
        let pointer = target.strip_prefix('#').expect("a local ref");
        assert!(doc.pointer(pointer).is_some(), "{target} does not resolve");
    }
}

#[test]
fn the_contracts_schemas_survive_a_same_named_server_schema() {
    let doc = merged();
    let code = &doc["components"]["schemas"]["ErrorCode"];
    assert!(
        code["anyOf"].is_array(),
        "the server's ErrorCode replaced the contract's: {code}"
    );
    for name in [
        "ErrorBody",
        "KnownErrorCode",
        "FieldError",
        "FailedTask",
        "UserMessage",
        "JsonPointer",
    ] {
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{name} is missing"
        );
    }
    assert!(
        doc["components"]["schemas"].get("Run").is_some(),
        "the server's own schema stays"
    );
    assert!(
        doc["paths"]["/runs/{id}"]["get"].is_object(),
        "the server's paths stay"
    );
}

#[test]
fn merge_into_keeps_the_servers_other_components() {
    let mut doc = ApiDoc::openapi();
    error_spec_openapi::merge_into(&mut doc);
    let components = doc.components.expect("components");
    assert!(components.schemas.contains_key("Run"));
    assert!(
        components.headers.contains_key("X-Request-Id"),
        "utoipa's merge drops headers; ours must not"
    );
}

/// Writes the merged document where `.ci/validate-openapi` looks for it.
#[test]
fn write_the_merged_document_for_the_validators() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let json = serde_json::to_string_pretty(&merged()).expect("serializes");
    std::fs::write(dir.join("merged-openapi.json"), json).expect("target is writable");
}
