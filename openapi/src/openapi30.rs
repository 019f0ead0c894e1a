//! `docs/openapi-3.0.json`: the same components as an OpenAPI 3.0.3 document, for generators
//! that read only 3.0 (progenitor, older openapi-generator templates).
//!
//! It is written from the 3.1 document by rewriting what 3.0 cannot say: a nullable type
//! array becomes `nullable: true`; `examples` in a schema becomes `example`; a `$ref` loses
//! its siblings, which 3.0 ignores; and the open code list, `anyOf` the known codes or any
//! string, becomes the string it is, with the known codes listed in its description and in
//! `x-extensible-enum`. `KnownErrorCode` stays as a component, so a 3.0 client still gets
//! the enum to compare a code with. Any other keyword 3.0 lacks stops the export with a
//! panic naming it, so a schema change cannot slip 3.1 syntax into this file.

use serde_json::{Map, Value};

/// The OpenAPI version of the export.
pub const OPENAPI_3_0_VERSION: &str = "3.0.3";

/// The keywords of an OpenAPI 3.0 Schema Object, less `not`, which some 3.0 generators
/// (typify, under progenitor) cannot turn into a type.
const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "additionalProperties",
    "allOf",
    "anyOf",
    "default",
    "deprecated",
    "description",
    "discriminator",
    "enum",
    "example",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "externalDocs",
    "format",
    "items",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maximum",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "nullable",
    "oneOf",
    "pattern",
    "properties",
    "readOnly",
    "required",
    "title",
    "type",
    "uniqueItems",
    "writeOnly",
    "xml",
];

/// The error contract's components as an OpenAPI 3.0.3 document.
pub fn openapi_3_0() -> Value {
    let mut doc = serde_json::to_value(crate::document()).expect("an OpenAPI document serializes");
    doc["openapi"] = OPENAPI_3_0_VERSION.into();
    if let Some(Value::String(description)) = doc.pointer_mut("/info/description") {
        description.push_str(
            " This is the OpenAPI 3.0.3 export for 3.0-only tools: the `error` member is a \
             string there, with the known codes in `KnownErrorCode`.",
        );
    }
    let components = &mut doc["components"];
    if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
        for (name, schema) in schemas.iter_mut() {
            convert_schema(schema, name);
        }
    }
    if let Some(Value::Object(headers)) = components.get_mut("headers") {
        for (name, header) in headers.iter_mut() {
            if let Some(schema) = header.get_mut("schema") {
                convert_schema(schema, name);
            }
        }
    }
    if let Some(Value::Object(responses)) = components.get_mut("responses") {
        for (name, response) in responses.iter_mut() {
            if let Some(Value::Object(content)) = response.get_mut("content") {
                for media in content.values_mut() {
                    if let Some(schema) = media.get_mut("schema") {
                        convert_schema(schema, name);
                    }
                }
            }
        }
    }
    doc
}

/// The document as `docs/openapi-3.0.json` holds it: pretty-printed, keys sorted, and a
/// first member `x-generated` saying it is generated.
pub fn openapi_3_0_json() -> String {
    crate::generated::to_json("x-generated", &openapi_3_0())
}

/// Rewrites one schema, and the schemas inside it, into 3.0 form; `at` names it in panics.
fn convert_schema(schema: &mut Value, at: &str) {
    let Value::Object(map) = schema else {
        panic!("`{at}`: a schema is an object in OpenAPI 3.0, not `{schema}`");
    };
    if map.contains_key("$ref") {
        map.retain(|key, _| key == "$ref");
        return;
    }
    widen_open_list(map);
    if let Some(Value::Array(types)) = map.get("type") {
        let named: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        let [single] = named.as_slice() else {
            panic!("`{at}`: OpenAPI 3.0 has one type per schema, not {types:?}");
        };
        let nullable = named.len() < types.len();
        map.insert("type".to_owned(), single.clone());
        if nullable {
            map.insert("nullable".to_owned(), true.into());
        }
    }
    if let Some(Value::Array(examples)) = map.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        map.insert("example".to_owned(), first);
    }
    for key in map.keys() {
        assert!(
            key.starts_with("x-") || SCHEMA_KEYWORDS.contains(&key.as_str()),
            "`{at}`: `{key}` is not an OpenAPI 3.0 schema keyword"
        );
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner @ Value::Object(_)) = map.get_mut(key) {
            convert_schema(inner, at);
        }
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            convert_schema(property, &format!("{at}.{name}"));
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = map.get_mut(key) {
            for item in items {
                convert_schema(item, at);
            }
        }
    }
}

/// An open list, `anyOf` some references or any string, becomes a plain string: 3.0
/// generators that read the `anyOf` either reject a string outside the references or lose
/// the field's type, and the references stay components of their own.
fn widen_open_list(map: &mut Map<String, Value>) {
    let Some(Value::Array(branches)) = map.get("anyOf") else {
        return;
    };
    let plain_string = serde_json::json!({ "type": "string" });
    let open = branches.contains(&plain_string)
        && branches
            .iter()
            .all(|branch| *branch == plain_string || branch.get("$ref").is_some());
    if open {
        map.remove("anyOf");
        map.insert("type".to_owned(), "string".into());
        // The list is in `x-extensible-enum`; readers of the description see it too.
        let listed: Vec<String> = match map.get("x-extensible-enum") {
            Some(Value::Array(values)) => values
                .iter()
                .filter_map(Value::as_str)
                .map(|value| format!("`{value}`"))
                .collect(),
            _ => Vec::new(),
        };
        if let (false, Some(Value::String(description))) =
            (listed.is_empty(), map.get_mut("description"))
        {
            description.push_str(&format!(" Known codes: {}.", listed.join(", ")));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::convert_schema;

    fn converted(mut schema: serde_json::Value) -> serde_json::Value {
        convert_schema(&mut schema, "test");
        schema
    }

    #[test]
    fn nullable_types_examples_and_ref_siblings_become_3_0() {
        assert_eq!(
            converted(json!({ "type": ["integer", "null"], "examples": [3, 4] })),
            json!({ "type": "integer", "nullable": true, "example": 3 })
        );
        assert_eq!(
            converted(json!({ "$ref": "#/components/schemas/A", "description": "ignored" })),
            json!({ "$ref": "#/components/schemas/A" })
        );
        assert_eq!(
            converted(json!({
                "anyOf": [{ "$ref": "#/components/schemas/Known" }, { "type": "string" }],
                "description": "A code.",
                "x-extensible-enum": ["a", "b"],
            })),
            json!({
                "type": "string",
                "description": "A code. Known codes: `a`, `b`.",
                "x-extensible-enum": ["a", "b"],
            })
        );
    }

    #[test]
    fn a_closed_any_of_is_kept() {
        let schema = json!({ "anyOf": [{ "type": "string" }, { "type": "integer" }] });
        assert_eq!(converted(schema.clone()), schema);
    }

    #[test]
    #[should_panic(expected = "`not` is not an OpenAPI 3.0 schema keyword")]
    fn not_stops_the_export() {
        converted(json!({ "type": "string", "not": { "enum": ["a"] } }));
    }

    #[test]
    #[should_panic(expected = "`const` is not an OpenAPI 3.0 schema keyword")]
    fn const_stops_the_export() {
        converted(json!({ "properties": { "status": { "const": "failed" } } }));
    }

    #[test]
    #[should_panic(expected = "one type per schema")]
    fn a_union_of_types_stops_the_export() {
        converted(json!({ "type": ["string", "integer"] }));
    }
}
