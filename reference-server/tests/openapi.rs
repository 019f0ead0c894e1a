//! `GET /openapi.json` and `GET /openapi-3.0.json` over TCP: the 3.0 export is the 3.1
//! document rewritten, `openapiv3` (progenitor's parser) reads it, and both documents have
//! the shapes 3.0 generators need: one success schema per operation, binary upload bodies,
//! optional headers that are not nullable, and every error typed as `application/json` too.

mod common;

use common::{client, start};
use error_spec_reference_server::Config;
use serde_json::Value;

async fn fetch(base: &str, path: &str) -> Value {
    let response = client()
        .get(format!("{base}{path}"))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200, "{path}");
    let bytes = response.bytes().await.expect("a body");
    serde_json::from_slice(&bytes).expect("a JSON document")
}

/// Every operation of `doc`: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            out.push((method.clone(), path.clone(), operation));
        }
    }
    out
}

/// The shapes progenitor needs, which both documents must have.
fn check_shapes(doc: &Value, which: &str) {
    let ops = operations(doc);
    assert!(ops.len() >= 9, "{which}: {} operations", ops.len());
    for (method, path, operation) in &ops {
        let at = format!("{which} {method} {path}");
        let mut success = Vec::new();
        for (status, response) in operation["responses"].as_object().expect("responses") {
            let response = match response.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let name = reference.rsplit('/').next().expect("a name");
                    &doc["components"]["responses"][name]
                }
                None => response,
            };
            let schema = &response["content"]["application/json"]["schema"];
            if status.starts_with('2') {
                if !schema.is_null() {
                    success.push(schema.clone());
                }
            } else if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    schema["$ref"], "#/components/schemas/ErrorBody",
                    "{at} {status}: an error must be typed as application/json"
                );
                assert!(
                    response["content"]["application/problem+json"].is_object(),
                    "{at} {status}"
                );
            }
        }
        success.dedup();
        assert!(success.len() <= 1, "{at}: success schemas {success:?}");
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            assert!(
                parameter["schema"].get("nullable").is_none()
                    && parameter["schema"]["type"].is_string(),
                "{at}: parameter {parameter}"
            );
        }
    }
    let upload = &doc["paths"]["/files"]["post"]["requestBody"]["content"];
    // At least one byte: an empty upload is `invalid_request`, and the schema says so. The
    // 3.0 export says it in the body's description, since progenitor takes a binary body
    // only as exactly `{type: string, format: binary}`.
    let expected = if doc["openapi"] == "3.0.3" {
        assert!(
            doc["paths"]["/files"]["post"]["requestBody"]["description"]
                .as_str()
                .is_some_and(|text| text.ends_with("Length: at least 1 byte.")),
            "{which}"
        );
        serde_json::json!({ "type": "string", "format": "binary" })
    } else {
        serde_json::json!({ "type": "string", "format": "binary", "minLength": 1 })
    };
    assert_eq!(
        upload["application/octet-stream"]["schema"], expected,
        "{which}"
    );
}

#[tokio::test]
async fn the_3_0_export_is_served_and_both_documents_suit_3_0_generators() {
    let base = start(Config::default()).await;
    let doc31 = fetch(&base, "/openapi.json").await;
    let doc30 = fetch(&base, "/openapi-3.0.json").await;
    assert_eq!(doc31["openapi"], "3.1.0");
    assert_eq!(doc30["openapi"], "3.0.3");
    assert_eq!(
        doc30,
        error_spec_reference_server::document_3_0().expect("the document exports")
    );
    let parsed: openapiv3::OpenAPI =
        serde_json::from_value(doc30.clone()).expect("openapiv3 reads /openapi-3.0.json");
    assert_eq!(
        parsed.paths.paths.len(),
        doc31["paths"].as_object().map_or(0, |p| p.len())
    );
    check_shapes(&doc31, "3.1");
    check_shapes(&doc30, "3.0");
    // 3.0 readers get the code as a string, and the known codes as an enum beside it.
    let schemas = &doc30["components"]["schemas"];
    assert_eq!(schemas["ErrorCode"]["type"], "string");
    assert!(schemas["KnownErrorCode"]["enum"].is_array());
}

/// The prompt's schema pattern is exactly "some character that is not white space" as
/// the server's blank check counts it: its class lists every `char::is_whitespace`
/// character and nothing else.
#[test]
fn the_prompt_pattern_lists_exactly_rusts_white_space() {
    let doc = serde_json::to_value(error_spec_reference_server::document()).expect("serializes");
    let pattern = doc["components"]["schemas"]["CreateRun"]["properties"]["prompt"]["pattern"]
        .as_str()
        .expect("a pattern")
        .to_owned();
    let mut expected = String::from("[^");
    let spaces: Vec<char> = (0..=0x10_FFFF)
        .filter_map(char::from_u32)
        .filter(|c| c.is_whitespace())
        .collect();
    let mut i = 0;
    while i < spaces.len() {
        let start = spaces[i];
        let mut end = start;
        while i + 1 < spaces.len() && spaces[i + 1] as u32 == end as u32 + 1 {
            i += 1;
            end = spaces[i];
        }
        let escape = |c: char| match c {
            '\t' => "\\t".to_owned(),
            '\n' => "\\n".to_owned(),
            '\u{c}' => "\\f".to_owned(),
            '\r' => "\\r".to_owned(),
            ' ' => " ".to_owned(),
            c if (c as u32) < 0x100 => format!("\\x{:02X}", c as u32),
            c => format!("\\u{:04X}", c as u32),
        };
        // Two neighbours are written one by one, longer runs as a range.
        if end as u32 == start as u32 + 1 || start == end {
            expected.push_str(&escape(start));
            if end != start {
                expected.push_str(&escape(end));
            }
        } else {
            expected.push_str(&format!("{}-{}", escape(start), escape(end)));
        }
        i += 1;
    }
    expected.push(']');
    assert_eq!(pattern, expected);
}
