//! `docs/error-body.schema.json`: a JSON Schema (draft 2020-12) of the error body, for SDKs
//! and validators that do not read OpenAPI.
//!
//! It is the `ErrorBody` component itself, at the root, with the schemas it reaches under
//! `$defs`: the same text and the same open code list as the OpenAPI document, since an
//! OpenAPI 3.1 schema is a 2020-12 schema.

use std::collections::BTreeMap;

use error_spec::ErrorBody;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// The dialect the schema declares.
pub const JSON_SCHEMA_DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Where OpenAPI keeps the schemas, and where a standalone schema keeps them.
const COMPONENT_PREFIX: &str = "#/components/schemas/";
const DEFS_PREFIX: &str = "#/$defs/";

/// The JSON Schema of the error body: `ErrorBody` at the root, what it references in `$defs`.
pub fn json_schema() -> Value {
    let components = serde_json::to_value(crate::components()).expect("the components serialize");
    let schemas: BTreeMap<String, Value> =
        serde_json::from_value(components["schemas"].clone()).expect("schemas are a map");
    let root_name = ErrorBody::name();
    let mut root = match schemas.get(root_name.as_ref()) {
        Some(Value::Object(root)) => root.clone(),
        _ => panic!("the components hold the `{root_name}` schema"),
    };

    // The schemas the body reaches, found by following references from the root.
    let mut defs = Map::new();
    let mut pending = Vec::new();
    collect_refs(&Value::Object(root.clone()), &mut pending);
    while let Some(name) = pending.pop() {
        if name == root_name || defs.contains_key(&name) {
            continue;
        }
        let schema = schemas
            .get(&name)
            .unwrap_or_else(|| panic!("`{name}` is referenced but not a component"));
        collect_refs(schema, &mut pending);
        defs.insert(name, schema.clone());
    }

    root.insert("$schema".to_owned(), JSON_SCHEMA_DIALECT.into());
    root.insert("title".to_owned(), root_name.as_ref().into());
    root.insert("$defs".to_owned(), Value::Object(defs));
    let mut root = Value::Object(root);
    rewrite_refs(&mut root);
    root
}

/// The schema as `docs/error-body.schema.json` holds it: pretty-printed, keys sorted, and a
/// first member `$comment` saying it is generated (`$comment` is the keyword 2020-12 keeps
/// for notes to readers).
pub fn json_schema_json() -> String {
    crate::generated::to_json("$comment", &json_schema())
}

/// Pushes the component names `value` references onto `names`.
fn collect_refs(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                match (key.as_str(), member) {
                    ("$ref", Value::String(target)) => {
                        let name = target
                            .strip_prefix(COMPONENT_PREFIX)
                            .unwrap_or_else(|| panic!("`{target}` is not a schema component"));
                        names.push(name.to_owned());
                    }
                    _ => collect_refs(member, names),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, names)),
        _ => {}
    }
}

/// Points every `#/components/schemas/X` reference at `#/$defs/X`.
fn rewrite_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                match member {
                    Value::String(target) if key == "$ref" => {
                        if let Some(name) = target.strip_prefix(COMPONENT_PREFIX) {
                            *target = format!("{DEFS_PREFIX}{name}");
                        }
                    }
                    _ => rewrite_refs(member),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}
