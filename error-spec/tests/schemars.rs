//! The schemars schema of the body (feature `schemars`, for aide users) has the same open
//! code list as the OpenAPI components: the known codes or any other string.

#![cfg(feature = "schemars")]

use error_spec::{ErrorBody, ErrorCode};
use serde_json::{Value, json};

#[test]
fn the_code_is_known_codes_or_any_string() {
    let schema = serde_json::to_value(schemars::schema_for!(ErrorBody)).expect("serializes");
    let defs = &schema["$defs"];
    let code = &defs["ErrorCode"];
    assert_eq!(
        code["anyOf"],
        json!([{ "$ref": "#/$defs/KnownErrorCode" }, { "type": "string" }]),
        "{code}"
    );
    assert!(code.get("oneOf").is_none() && code.get("enum").is_none());
    let known = &defs["KnownErrorCode"];
    assert_eq!(known["type"], "string");
    let values: Vec<&str> = known["enum"]
        .as_array()
        .expect("an enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(values, ErrorCode::WIRE_STRINGS);
    let description = known["description"].as_str().expect("a description");
    for &code in ErrorCode::ALL {
        // A description is CommonMark to doc tools: the table's text is escaped there.
        let remedy = error_spec::error_rules::markdown::escape_inline(code.remedy());
        assert!(description.contains(&remedy), "{code}: {description}");
    }
}
