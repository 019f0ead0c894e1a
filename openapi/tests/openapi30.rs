//! The OpenAPI 3.0.3 export parses with `openapiv3`, the parser progenitor reads documents
//! with, and says nothing 3.0 generators cannot read.

use error_spec::ErrorCode;
use error_spec_openapi::ErrorComponents;
use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, StringType, Type};
use serde_json::Value;
use utoipa::OpenApi;

fn json() -> Value {
    serde_json::from_str(&error_spec_openapi::openapi_3_0_json()).expect("the export is JSON")
}

fn parsed() -> OpenAPI {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/openapi-3.0.json"
    ))
    .expect("docs/openapi-3.0.json is committed");
    serde_json::from_str(&text).expect("openapiv3 reads docs/openapi-3.0.json")
}

/// The string schema `name` of the parsed export.
fn string_schema(doc: &OpenAPI, name: &str) -> StringType {
    let components = doc.components.as_ref().expect("components");
    let Some(ReferenceOr::Item(schema)) = components.schemas.get(name) else {
        panic!("{name} is not an inline schema");
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string.clone(),
        other => panic!("{name} is not a string schema: {other:?}"),
    }
}

#[test]
fn openapiv3_reads_the_export_with_every_component() {
    let doc = parsed();
    assert_eq!(doc.openapi, "3.0.3");
    let components = doc.components.as_ref().expect("components");
    for name in [
        "ErrorBody",
        "ErrorCode",
        "KnownErrorCode",
        "FieldError",
        "FailedTask",
    ] {
        assert!(components.schemas.contains_key(name), "{name} is missing");
    }
    assert_eq!(
        components.responses.len(),
        serde_json::to_value(error_spec_openapi::components())
            .expect("the components serialize")["responses"]
            .as_object()
            .expect("responses")
            .len()
    );
    assert!(components.headers.contains_key("Retry-After"));
}

#[test]
fn the_code_is_a_string_and_the_known_codes_an_enum_beside_it() {
    let doc = parsed();
    let code = string_schema(&doc, "ErrorCode");
    assert!(
        code.enumeration.is_empty(),
        "an enum closes the list: {code:?}"
    );
    let known = string_schema(&doc, "KnownErrorCode");
    let values: Vec<&str> = known
        .enumeration
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    assert_eq!(values, ErrorCode::WIRE_STRINGS);

    let json = json();
    let code = &json["components"]["schemas"]["ErrorCode"];
    let listed: Vec<&str> = code["x-extensible-enum"]
        .as_array()
        .expect("x-extensible-enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(listed, ErrorCode::WIRE_STRINGS);
    let description = code["description"].as_str().expect("a description");
    for wire in ErrorCode::WIRE_STRINGS {
        assert!(
            description.contains(&format!("`{wire}`")),
            "{wire}: {description}"
        );
    }
}

#[test]
fn optional_members_are_nullable_not_type_arrays() {
    let doc = parsed();
    let components = doc.components.as_ref().expect("components");
    let Some(ReferenceOr::Item(body)) = components.schemas.get("ErrorBody") else {
        panic!("ErrorBody is not inline");
    };
    let SchemaKind::Type(Type::Object(object)) = &body.schema_kind else {
        panic!("ErrorBody is not an object");
    };
    let Some(ReferenceOr::Item(doc_url)) = object.properties.get("doc_url") else {
        panic!("doc_url is not inline");
    };
    assert!(doc_url.schema_data.nullable);
    assert!(matches!(
        doc_url.schema_kind,
        SchemaKind::Type(Type::String(_))
    ));
    assert_eq!(object.required, ["error", "message"]);
}

/// Every schema object under `value`, with the path it sits at.
fn schemas<'a>(value: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
    let Value::Object(map) = value else { return };
    out.push((at.clone(), value));
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = map.get(key) {
            schemas(inner, format!("{at}/{key}"), out);
        }
    }
    if let Some(Value::Object(properties)) = map.get("properties") {
        for (name, property) in properties {
            schemas(property, format!("{at}/properties/{name}"), out);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = map.get(key) {
            for (i, item) in items.iter().enumerate() {
                schemas(item, format!("{at}/{key}/{i}"), out);
            }
        }
    }
}

#[test]
fn no_schema_uses_what_3_0_generators_cannot_read() {
    let json = json();
    let mut all = Vec::new();
    for (name, schema) in json["components"]["schemas"].as_object().expect("schemas") {
        schemas(schema, format!("schemas/{name}"), &mut all);
    }
    for (name, header) in json["components"]["headers"].as_object().expect("headers") {
        schemas(&header["schema"], format!("headers/{name}"), &mut all);
    }
    assert!(all.len() > 20, "the walk found the schemas: {}", all.len());
    for (at, schema) in all {
        for keyword in ["not", "const", "examples", "$defs", "prefixItems"] {
            assert!(schema.get(keyword).is_none(), "{at}: `{keyword}`");
        }
        if let Some(kind) = schema.get("type") {
            assert!(kind.is_string(), "{at}: type {kind}");
        }
        if schema.get("$ref").is_some() {
            assert_eq!(
                schema.as_object().map(|m| m.len()),
                Some(1),
                "{at}: 3.0 ignores siblings of `$ref`"
            );
        }
    }
}

// A server's whole document: `openapi_3_0_of`.

/// A member of a schema, optional and of a referenced type.
#[derive(utoipa::ToSchema)]
#[allow(dead_code, reason = "only its schema is used")]
struct Outcome {
    /// Why it failed, if it did.
    error: Option<error_spec::ErrorBody>,
}

#[utoipa::path(
    post,
    path = "/jobs/{job_id}",
    operation_id = "runJob",
    params(
        ("job_id" = String, Path, description = "The job"),
        ("Idempotency-Key" = Option<String>, Header, description = "Optional, nullable in 3.1"),
    ),
    responses(
        (status = 200, description = "Done", body = Outcome),
        (status = 404, response = error_spec_openapi::StatusResponse<404>),
    )
)]
#[allow(dead_code, reason = "only its documentation is used")]
async fn run_job() {}

#[derive(OpenApi)]
#[openapi(paths(run_job), modifiers(&ErrorComponents))]
struct ServerDoc;

fn server_export() -> Value {
    error_spec_openapi::openapi_3_0_of(&ServerDoc::openapi()).expect("the server document exports")
}

#[test]
fn a_server_document_exports_whole_and_openapiv3_reads_it() {
    let json = server_export();
    let doc: OpenAPI = serde_json::from_value(json.clone()).expect("openapiv3 reads the export");
    assert_eq!(doc.openapi, "3.0.3");
    let operation = &json["paths"]["/jobs/{job_id}"]["post"];
    assert_eq!(operation["operationId"], "runJob");
    // The 3.1 document says `type: [string, null]`; a header cannot carry null.
    let header = &operation["parameters"][1];
    assert_eq!(header["name"], "Idempotency-Key");
    assert_eq!(header["schema"], serde_json::json!({ "type": "string" }));
    // `oneOf: [$ref, null]` is `allOf: [$ref]` with `nullable`.
    let error = &json["components"]["schemas"]["Outcome"]["properties"]["error"];
    assert_eq!(
        error["allOf"],
        serde_json::json!([{ "$ref": "#/components/schemas/ErrorBody" }])
    );
    assert_eq!(error["nullable"], true);
    assert_eq!(error["description"], "Why it failed, if it did.");
    // The 3.1 license identifier has no 3.0 spelling.
    assert!(json["info"]["license"].get("identifier").is_none());
}

#[test]
fn error_responses_are_typed_for_json_only_generators() {
    let json = server_export();
    let not_found = &json["components"]["responses"]["NotFound"]["content"];
    for media_type in ["application/problem+json", "application/json"] {
        assert_eq!(
            not_found[media_type]["schema"]["$ref"], "#/components/schemas/ErrorBody",
            "{media_type}"
        );
    }
}

#[test]
fn what_3_0_cannot_say_is_an_error_naming_its_place() {
    let mut doc = ServerDoc::openapi();
    let schema = utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .content_media_type("image/png")
        .build();
    let components = doc.components.as_mut().expect("components");
    components.schemas.insert("Done".to_owned(), schema.into());
    let err = error_spec_openapi::openapi_3_0_of(&doc).expect_err("`contentMediaType` is 3.1");
    assert_eq!(err.at(), "/components/schemas/Done");
    assert_eq!(
        err.to_string(),
        "cannot export `/components/schemas/Done` to OpenAPI 3.0: `contentMediaType` is not an OpenAPI 3.0 schema keyword"
    );
}
