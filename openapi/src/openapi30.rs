//! The OpenAPI 3.0.3 export: [`openapi_3_0_of`] turns a server's whole utoipa document
//! into 3.0.3, for generators that read only 3.0 (progenitor, older openapi-generator
//! templates); [`openapi_3_0`] is the contract's own components, `docs/openapi-3.0.json`.
//!
//! It is written from the 3.1 document by rewriting what 3.0 cannot say: a nullable type
//! array becomes `nullable: true`, and so does a `oneOf` of a reference and `null` (as an
//! `allOf` of the reference); `examples` in a schema becomes `example`; a `$ref` loses its
//! siblings, which 3.0 ignores; an optional parameter is not nullable, since a header or a
//! query cannot carry JSON `null` and leaving it out says "absent"; and the open code list,
//! `anyOf` the known codes or any string, becomes the string it is, with the known codes
//! listed in its description and in `x-extensible-enum`. `KnownErrorCode` stays as a
//! component, so a 3.0 client still gets the enum to compare a code with. (typify, under
//! progenitor, turns the 3.1 `anyOf` into a struct of flattened options that cannot read a
//! string: typify#895.) Any other keyword 3.0 lacks stops the export with an
//! [`Openapi30Error`] naming where it is, so 3.1 syntax cannot slip into a 3.0 document.

use serde_json::{Map, Value};
use utoipa::openapi::OpenApi;

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

/// Why a document cannot be exported to OpenAPI 3.0: the place in the document, as a JSON
/// pointer, and what 3.0 cannot say there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Openapi30Error {
    at: String,
    reason: String,
}

impl Openapi30Error {
    fn new(at: &str, reason: impl Into<String>) -> Self {
        Openapi30Error {
            at: at.to_owned(),
            reason: reason.into(),
        }
    }

    /// Where in the document: a JSON pointer such as `/components/schemas/Run`.
    pub fn at(&self) -> &str {
        &self.at
    }
}

impl std::fmt::Display for Openapi30Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at.is_empty() {
            write!(
                f,
                "cannot export the document to OpenAPI 3.0: {}",
                self.reason
            )
        } else {
            write!(
                f,
                "cannot export `{}` to OpenAPI 3.0: {}",
                self.at, self.reason
            )
        }
    }
}

impl std::error::Error for Openapi30Error {}

/// A server's whole document as OpenAPI 3.0.3: paths, parameters, request bodies,
/// responses and components, rewritten as the module header says.
///
/// ```
/// use error_spec_openapi::ErrorComponents;
/// use utoipa::OpenApi;
///
/// #[utoipa::path(get, path = "/runs/{id}", operation_id = "getRun", responses(
///     (status = 200, description = "The run"),
///     (status = 404, response = error_spec_openapi::StatusResponse<404>),
/// ))]
/// async fn get_run() {}
///
/// #[derive(OpenApi)]
/// #[openapi(paths(get_run), modifiers(&ErrorComponents))]
/// struct ApiDoc;
///
/// let doc = error_spec_openapi::openapi_3_0_of(&ApiDoc::openapi()).expect("3.0 says it all");
/// assert_eq!(doc["openapi"], "3.0.3");
/// assert_eq!(doc["components"]["schemas"]["ErrorCode"]["type"], "string");
/// ```
pub fn openapi_3_0_of(doc: &OpenApi) -> Result<Value, Openapi30Error> {
    let mut doc = serde_json::to_value(doc).map_err(|err| {
        Openapi30Error::new("", format!("the document does not serialize: {err}"))
    })?;
    convert_document(&mut doc)?;
    Ok(doc)
}

/// The error contract's components as an OpenAPI 3.0.3 document.
pub fn openapi_3_0() -> Value {
    let mut doc = openapi_3_0_of(&crate::document()).expect("the contract's document is 3.0-safe");
    if let Some(Value::String(description)) = doc.pointer_mut("/info/description") {
        description.push_str(
            " This is the OpenAPI 3.0.3 export for 3.0-only tools: the `error` member is a \
             string there, with the known codes in `KnownErrorCode`.",
        );
    }
    doc
}

/// The document as `docs/openapi-3.0.json` holds it: pretty-printed, keys sorted, and a
/// first member `x-generated` saying it is generated.
pub fn openapi_3_0_json() -> String {
    crate::generated::to_json("x-generated", &openapi_3_0())
}

/// `~` and `/` escaped for a JSON pointer token.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Rewrites a whole document in place.
fn convert_document(doc: &mut Value) -> Result<(), Openapi30Error> {
    let Value::Object(root) = doc else {
        return Err(Openapi30Error::new("", "a document is a JSON object"));
    };
    root.insert("openapi".to_owned(), OPENAPI_3_0_VERSION.into());
    if root
        .get("webhooks")
        .is_some_and(|hooks| hooks.as_object().is_none_or(|m| !m.is_empty()))
    {
        return Err(Openapi30Error::new("/webhooks", "webhooks are OpenAPI 3.1"));
    }
    root.remove("webhooks");
    // The dialect is 3.1's; 3.0 schemas have one fixed dialect.
    root.remove("jsonSchemaDialect");
    if let Some(Value::Object(info)) = root.get_mut("info") {
        // 3.1 additions to the Info and License objects, with no 3.0 spelling.
        info.remove("summary");
        if let Some(Value::Object(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            convert_path_item(item, &format!("/paths/{}", token(path)))?;
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        if components.get("pathItems").is_some() {
            return Err(Openapi30Error::new(
                "/components/pathItems",
                "path item components are OpenAPI 3.1",
            ));
        }
        let at = "/components";
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for (name, schema) in schemas.iter_mut() {
                convert_schema(schema, &format!("{at}/schemas/{}", token(name)))?;
            }
        }
        if let Some(Value::Object(headers)) = components.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                convert_parameter(header, &format!("{at}/headers/{}", token(name)))?;
            }
        }
        if let Some(Value::Object(parameters)) = components.get_mut("parameters") {
            for (name, parameter) in parameters.iter_mut() {
                convert_parameter(parameter, &format!("{at}/parameters/{}", token(name)))?;
            }
        }
        if let Some(Value::Object(responses)) = components.get_mut("responses") {
            for (name, response) in responses.iter_mut() {
                convert_response(response, &format!("{at}/responses/{}", token(name)))?;
            }
        }
        if let Some(Value::Object(bodies)) = components.get_mut("requestBodies") {
            for (name, body) in bodies.iter_mut() {
                convert_content(body, &format!("{at}/requestBodies/{}", token(name)))?;
            }
        }
    }
    Ok(())
}

/// The HTTP methods of a Path Item Object.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn convert_path_item(item: &mut Value, at: &str) -> Result<(), Openapi30Error> {
    let Value::Object(item) = item else {
        return Err(Openapi30Error::new(at, "a path item is an object"));
    };
    for (key, value) in item.iter_mut() {
        let here = format!("{at}/{}", token(key));
        if key == "parameters" {
            convert_parameters(value, &here)?;
        } else if METHODS.contains(&key.as_str()) {
            convert_operation(value, &here)?;
        }
    }
    Ok(())
}

fn convert_operation(operation: &mut Value, at: &str) -> Result<(), Openapi30Error> {
    let Value::Object(operation) = operation else {
        return Err(Openapi30Error::new(at, "an operation is an object"));
    };
    if let Some(parameters) = operation.get_mut("parameters") {
        convert_parameters(parameters, &format!("{at}/parameters"))?;
    }
    if let Some(body) = operation.get_mut("requestBody") {
        convert_content(body, &format!("{at}/requestBody"))?;
    }
    if let Some(Value::Object(responses)) = operation.get_mut("responses") {
        for (status, response) in responses.iter_mut() {
            convert_response(response, &format!("{at}/responses/{}", token(status)))?;
        }
    }
    if operation
        .get("callbacks")
        .is_some_and(|c| c.as_object().is_none_or(|m| !m.is_empty()))
    {
        return Err(Openapi30Error::new(
            &format!("{at}/callbacks"),
            "callbacks are not exported",
        ));
    }
    Ok(())
}

fn convert_parameters(parameters: &mut Value, at: &str) -> Result<(), Openapi30Error> {
    let Value::Array(parameters) = parameters else {
        return Err(Openapi30Error::new(at, "parameters are an array"));
    };
    for (i, parameter) in parameters.iter_mut().enumerate() {
        convert_parameter(parameter, &format!("{at}/{i}"))?;
    }
    Ok(())
}

/// A Parameter or Header Object (or a reference to one).
fn convert_parameter(parameter: &mut Value, at: &str) -> Result<(), Openapi30Error> {
    let Value::Object(parameter) = parameter else {
        return Err(Openapi30Error::new(at, "a parameter is an object"));
    };
    if parameter.contains_key("$ref") {
        parameter.retain(|key, _| key == "$ref");
        return Ok(());
    }
    let optional = parameter.get("required") != Some(&Value::Bool(true));
    if let Some(schema) = parameter.get_mut("schema") {
        convert_schema(schema, &format!("{at}/schema"))?;
        // A parameter's absence is its "none"; a header or query value cannot be JSON null,
        // and 3.0 generators (progenitor) make a nullable optional one an `Option<Option<_>>`.
        if optional && let Value::Object(schema) = schema {
            schema.remove("nullable");
        }
    }
    convert_media_types(parameter, at)
}

/// A Request Body Object (or a reference to one): its media types' schemas.
fn convert_content(body: &mut Value, at: &str) -> Result<(), Openapi30Error> {
    let Value::Object(body) = body else {
        return Err(Openapi30Error::new(at, "a request body is an object"));
    };
    if body.contains_key("$ref") {
        body.retain(|key, _| key == "$ref");
        return Ok(());
    }
    convert_media_types(body, at)?;
    bare_binary_bodies(body);
    Ok(())
}

/// Leaves a binary request body as exactly `{type: string, format: binary}`, moving its
/// length bounds into the body's description: progenitor takes an
/// `application/octet-stream` body in no other shape and refuses the whole document
/// otherwise ("invalid schema for application/octet-stream"). The 3.1 document keeps the
/// bounds as `minLength` / `maxLength`.
fn bare_binary_bodies(body: &mut Map<String, Value>) {
    let mut bounds = Vec::new();
    if let Some(Value::Object(content)) = body.get_mut("content") {
        for media in content.values_mut() {
            let Some(Value::Object(schema)) = media.get_mut("schema") else {
                continue;
            };
            if schema.get("type") != Some(&Value::from("string"))
                || schema.get("format") != Some(&Value::from("binary"))
            {
                continue;
            }
            for (keyword, words) in [("minLength", "at least"), ("maxLength", "at most")] {
                if let Some(bound) = schema.remove(keyword) {
                    let unit = if bound == 1 { "byte" } else { "bytes" };
                    bounds.push(format!("{words} {bound} {unit}"));
                }
            }
        }
    }
    if bounds.is_empty() {
        return;
    }
    bounds.dedup();
    let sentence = format!("Length: {}.", bounds.join(", "));
    let description = match body.get("description").and_then(Value::as_str) {
        Some(text) if !text.is_empty() => format!("{text} {sentence}"),
        _ => sentence,
    };
    body.insert("description".to_owned(), Value::from(description));
}

/// The schemas under `content` of a request body, response or parameter.
fn convert_media_types(object: &mut Map<String, Value>, at: &str) -> Result<(), Openapi30Error> {
    if let Some(Value::Object(content)) = object.get_mut("content") {
        for (media_type, media) in content.iter_mut() {
            if let Some(schema) = media.get_mut("schema") {
                convert_schema(
                    schema,
                    &format!("{at}/content/{}/schema", token(media_type)),
                )?;
            }
        }
    }
    Ok(())
}

/// A Response Object (or a reference to one): its content and its headers.
fn convert_response(response: &mut Value, at: &str) -> Result<(), Openapi30Error> {
    let Value::Object(response) = response else {
        return Err(Openapi30Error::new(at, "a response is an object"));
    };
    if response.contains_key("$ref") {
        response.retain(|key, _| key == "$ref");
        return Ok(());
    }
    convert_media_types(response, at)?;
    if let Some(Value::Object(headers)) = response.get_mut("headers") {
        for (name, header) in headers.iter_mut() {
            convert_parameter(header, &format!("{at}/headers/{}", token(name)))?;
        }
    }
    Ok(())
}

/// Rewrites one schema, and the schemas inside it, into 3.0 form; `at` is its place.
fn convert_schema(schema: &mut Value, at: &str) -> Result<(), Openapi30Error> {
    let Value::Object(map) = schema else {
        return Err(Openapi30Error::new(
            at,
            format!("a schema is an object in OpenAPI 3.0, not `{schema}`"),
        ));
    };
    if map.contains_key("$ref") {
        map.retain(|key, _| key == "$ref");
        return Ok(());
    }
    widen_open_list(map);
    nullable_reference(map);
    if let Some(Value::Array(types)) = map.get("type") {
        let named: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        let [single] = named.as_slice() else {
            return Err(Openapi30Error::new(
                at,
                format!(
                    "OpenAPI 3.0 has one type per schema, not {}",
                    Value::Array(types.clone())
                ),
            ));
        };
        let nullable = named.len() < types.len();
        map.insert("type".to_owned(), single.clone());
        if nullable {
            map.insert("nullable".to_owned(), true.into());
        }
    }
    if let Some(kind) = map.get("type")
        && !matches!(
            kind.as_str(),
            Some("string" | "number" | "integer" | "boolean" | "array" | "object")
        )
    {
        return Err(Openapi30Error::new(
            at,
            format!("OpenAPI 3.0 has no type {kind} (only `nullable` beside another type)"),
        ));
    }
    if let Some(Value::Array(examples)) = map.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        map.insert("example".to_owned(), first);
    }
    if let Some(key) = map
        .keys()
        .find(|key| !key.starts_with("x-") && !SCHEMA_KEYWORDS.contains(&key.as_str()))
    {
        return Err(Openapi30Error::new(
            at,
            format!("`{key}` is not an OpenAPI 3.0 schema keyword"),
        ));
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner @ Value::Object(_)) = map.get_mut(key) {
            convert_schema(inner, &format!("{at}/{key}"))?;
        }
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            convert_schema(property, &format!("{at}/properties/{}", token(name)))?;
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = map.get_mut(key) {
            for (i, item) in items.iter_mut().enumerate() {
                convert_schema(item, &format!("{at}/{key}/{i}"))?;
            }
        }
    }
    Ok(())
}

/// `oneOf` (or `anyOf`) a reference and `null`, utoipa's spelling of an optional
/// referenced type, becomes `allOf` the reference with `nullable: true`: 3.0 has no `null`
/// type, and a `$ref` cannot carry `nullable` beside it.
fn nullable_reference(map: &mut Map<String, Value>) {
    let null = serde_json::json!({ "type": "null" });
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = map.get(key) else {
            continue;
        };
        let reference = match branches.as_slice() {
            [a, b] if *a == null => b,
            [a, b] if *b == null => a,
            _ => continue,
        };
        let Some(target) = reference.get("$ref").cloned() else {
            continue;
        };
        // A description beside the reference is the member's own; keep it on the member.
        let description = reference.get("description").cloned();
        map.remove(key);
        if let Some(description) = description {
            map.entry("description").or_insert(description);
        }
        map.insert("allOf".to_owned(), serde_json::json!([{ "$ref": target }]));
        map.insert("nullable".to_owned(), true.into());
        return;
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

    use super::{convert_content, convert_schema};

    fn converted(mut schema: serde_json::Value) -> serde_json::Value {
        match convert_schema(&mut schema, "/test") {
            Ok(()) => schema,
            Err(err) => panic!("{err}"),
        }
    }

    #[test]
    fn a_binary_body_loses_its_length_bounds_to_its_description() {
        let mut body = json!({
            "description": "The file's bytes.",
            "content": { "application/octet-stream": { "schema": {
                "type": "string", "format": "binary", "minLength": 1, "maxLength": 10
            } } }
        });
        if let Err(err) = convert_content(&mut body, "/test") {
            panic!("{err}");
        }
        assert_eq!(
            body,
            json!({
                "description": "The file's bytes. Length: at least 1 byte, at most 10 bytes.",
                "content": { "application/octet-stream": { "schema": {
                    "type": "string", "format": "binary"
                } } }
            })
        );
        // A text body keeps its bounds: only progenitor's binary shape is exact.
        let mut text = json!({ "content": { "text/plain": { "schema": {
            "type": "string", "minLength": 1
        } } } });
        let before = text.clone();
        if let Err(err) = convert_content(&mut text, "/test") {
            panic!("{err}");
        }
        assert_eq!(text, before);
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
    fn a_reference_or_null_is_a_nullable_all_of_in_either_order() {
        let expected = json!({
            "allOf": [{ "$ref": "#/components/schemas/A" }],
            "nullable": true,
            "description": "An A, if any.",
        });
        for branches in [
            json!([{ "$ref": "#/components/schemas/A", "description": "An A, if any." }, { "type": "null" }]),
            json!([{ "type": "null" }, { "$ref": "#/components/schemas/A", "description": "An A, if any." }]),
        ] {
            assert_eq!(converted(json!({ "oneOf": branches })), expected);
        }
        // Two references and null are not an optional reference: 3.0 cannot say the null.
        let err = convert_schema(
            &mut json!({ "oneOf": [{ "$ref": "#/a" }, { "$ref": "#/b" }, { "type": "null" }] }),
            "/x",
        )
        .expect_err("a null type");
        assert_eq!(err.at(), "/x/oneOf/2");
    }

    #[test]
    fn webhooks_and_path_items_are_3_1_only() {
        let mut doc = json!({ "openapi": "3.1.0", "webhooks": { "ping": {} } });
        let err = super::convert_document(&mut doc).expect_err("webhooks");
        assert_eq!(err.at(), "/webhooks");
        let err = super::convert_document(&mut json!([])).expect_err("not an object");
        assert_eq!(
            err.to_string(),
            "cannot export the document to OpenAPI 3.0: a document is a JSON object"
        );
        let mut doc = json!({ "openapi": "3.1.0", "webhooks": {}, "jsonSchemaDialect": "x" });
        super::convert_document(&mut doc).expect("empty webhooks say nothing");
        assert_eq!(doc, json!({ "openapi": "3.0.3" }));
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
