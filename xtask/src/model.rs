//! The contract as plain data: what every generator renders from, what `docs/contract.json`
//! holds and what `contract-diff` compares.
//!
//! SDKs in other languages and review tools read `docs/contract.json` instead of Rust, so the
//! model carries the whole wire shape in plain JSON: one object per code, status, tier and
//! header, and the error body as a self-contained JSON Schema derived from the body type.
//! Files written by older versions of `cargo xtask codegen` still read: see
//! [`Contract::from_json`].

use error_spec::headers::{HeaderSpec, ValueType};
use error_spec::{ErrorBody, ErrorCode, RetryClass, STATUS_TABLE, TIERS};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Where the contract is committed, from the workspace root.
pub(crate) const PATH: &str = "docs/contract.json";

/// The file format this build writes. Format 1 (contract 1.0.0 and before) had no
/// `format` member, listed body members flat with one JSON type each and gave headers no
/// value type.
pub(crate) const FORMAT: u32 = 2;

/// The whole contract, in the order the docs present it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Contract {
    /// The file format, [`FORMAT`] when written by this build.
    #[serde(default = "format_1")]
    pub(crate) format: u32,
    /// The table's contract version, `MAJOR.MINOR.PATCH`.
    pub(crate) version: String,
    /// The categories, in the table header's order.
    pub(crate) categories: Vec<String>,
    /// Every error code, in table order.
    pub(crate) codes: Vec<CodeEntry>,
    /// Every HTTP status the API answers with, and the codes each carries.
    pub(crate) statuses: Vec<StatusEntry>,
    /// The rate-limit tiers.
    pub(crate) tiers: Vec<TierEntry>,
    /// The headers the contract defines, their value types, and which responses carry them.
    pub(crate) headers: Vec<HeaderEntry>,
    /// The error body as a JSON Schema (draft 2020-12) with every `$ref` inlined.
    #[serde(deserialize_with = "body_schema")]
    pub(crate) body: Value,
    /// The reference server's operations and the codes each can answer with (its own and
    /// its layers'); absent in files written before operations were declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) operations: Vec<OperationEntry>,
}

/// One operation and the codes it can answer with, as its `x-error-codes` lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct OperationEntry {
    /// The `operationId`, e.g. `getRun`.
    pub(crate) id: String,
    /// The HTTP method, uppercase.
    pub(crate) method: String,
    /// The path template.
    pub(crate) path: String,
    /// The codes, in table order.
    pub(crate) codes: Vec<String>,
}

impl OperationEntry {
    /// Every operation of the reference server's [`API`](error_spec_reference_server::API).
    fn all() -> Vec<OperationEntry> {
        let api = error_spec_reference_server::API;
        api.operations()
            .iter()
            .map(|op| OperationEntry {
                id: op.id.to_owned(),
                method: op.method.to_owned(),
                path: op.path.to_owned(),
                codes: api
                    .codes(op)
                    .iter()
                    .map(|code| code.as_str().to_owned())
                    .collect(),
            })
            .collect()
    }
}

/// Why a file is not read as a contract.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Not JSON, or not a contract of a format this build reads.
    NotAContract(serde_json::Error),
    /// A format newer than [`FORMAT`], written by a later `cargo xtask codegen`.
    NewerFormat(u64),
    /// A `format` member that is not a format number (0, negative, a fraction, a string).
    UnknownFormat(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotAContract(err) => write!(f, "is not a contract: {err}"),
            ReadError::NewerFormat(format) => write!(
                f,
                "is contract file format {format}, newer than format {FORMAT}, the newest this \
                 xtask reads; review it with the xtask of the commit that wrote it"
            ),
            ReadError::UnknownFormat(format) => write!(
                f,
                "has `\"format\": {format}`, which is not a contract file format; this xtask \
                 reads formats 1 to {FORMAT}"
            ),
        }
    }
}

/// Files without a `format` member are format 1.
fn format_1() -> u32 {
    1
}

/// One error code's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct CodeEntry {
    pub(crate) code: String,
    pub(crate) status: u16,
    pub(crate) category: String,
    pub(crate) title: String,
    pub(crate) message: String,
    pub(crate) when: String,
    pub(crate) remedy: String,
    pub(crate) retry: RetryClass,
    /// Why the code is deprecated; absent while it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) deprecated: Option<String>,
    /// The fragment of the code's `doc_url`.
    pub(crate) anchor: String,
}

/// One row of the status table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StatusEntry {
    pub(crate) status: u16,
    pub(crate) category: String,
    pub(crate) typical: String,
    /// The codes sent with this status.
    pub(crate) codes: Vec<String>,
}

/// One rate-limit tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct TierEntry {
    pub(crate) name: String,
    pub(crate) requests_per_minute: u32,
    pub(crate) concurrent_runs: u32,
}

/// One header, its value type, and the responses that carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct HeaderEntry {
    /// The lowercase wire name, the header's key.
    pub(crate) name: String,
    /// The name as the docs write it, e.g. `X-RateLimit-Limit`; absent in format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) spelling: Option<String>,
    pub(crate) description: String,
    /// The value's JSON Schema type, `integer` or `string`; absent in format 1.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub(crate) type_: Option<String>,
    /// `"*"` for every response, else the codes whose responses carry it.
    pub(crate) on: Vec<String>,
}

/// One top-level member of the body, as the docs list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BodyMember {
    pub(crate) name: String,
    /// Its JSON types without `null`, e.g. `["string"]`.
    pub(crate) types: Vec<String>,
    /// Whether a reader rejects a body without it.
    pub(crate) required: bool,
    /// Whether the member may be `null`.
    pub(crate) nullable: bool,
    /// What it means: the body type's own field docs.
    pub(crate) description: String,
}

impl Contract {
    /// The contract the table in this build declares.
    pub(crate) fn current() -> Contract {
        Contract {
            format: FORMAT,
            version: ErrorCode::CONTRACT_VERSION.to_owned(),
            categories: error_spec::Category::ALL
                .iter()
                .map(|category| category.name().to_owned())
                .collect(),
            codes: ErrorCode::ALL
                .iter()
                .map(|&code| CodeEntry::of(code))
                .collect(),
            statuses: STATUS_TABLE
                .iter()
                .map(|row| StatusEntry {
                    status: row.status.as_u16(),
                    category: row.category.to_owned(),
                    typical: row.typical.to_owned(),
                    codes: row.codes().map(|code| code.as_str().to_owned()).collect(),
                })
                .collect(),
            tiers: TIERS
                .iter()
                .map(|tier| TierEntry {
                    name: tier.name.to_owned(),
                    requests_per_minute: tier.requests_per_minute,
                    concurrent_runs: tier.concurrent_runs,
                })
                .collect(),
            headers: error_spec::headers::ALL
                .iter()
                .map(HeaderEntry::of)
                .collect(),
            body: body_schema_of_type(),
            operations: OperationEntry::all(),
        }
    }

    /// Reads a contract written by any `cargo xtask codegen`, this one or an earlier one.
    ///
    /// The `format` member is read first, on its own: a file of a newer format may keep its
    /// facts where this build does not look, so reading it as today's would compare the
    /// wrong things and report "no changes". Such a file is refused, naming both formats.
    pub(crate) fn from_json(json: &str) -> Result<Contract, ReadError> {
        let value: Value = serde_json::from_str(json).map_err(ReadError::NotAContract)?;
        match value.get("format") {
            None => {}
            Some(format) => match format.as_u64() {
                Some(known) if (1..=u64::from(FORMAT)).contains(&known) => {}
                Some(newer) if newer > u64::from(FORMAT) => {
                    return Err(ReadError::NewerFormat(newer));
                }
                _ => return Err(ReadError::UnknownFormat(format.to_string())),
            },
        }
        serde_json::from_value(value).map_err(ReadError::NotAContract)
    }

    /// The contract as pretty JSON, without a final newline.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the contract is plain data and serializes")
    }

    /// The body's top-level members, in the schema's (alphabetical) order.
    pub(crate) fn body_members(&self) -> Vec<BodyMember> {
        let required = required_names(&self.body);
        self.body["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, schema)| {
                let all = schema_types(schema);
                BodyMember {
                    name: name.clone(),
                    types: all.iter().filter(|t| *t != "null").cloned().collect(),
                    required: required.contains(name),
                    nullable: all.iter().any(|t| t == "null"),
                    description: schema["description"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                }
            })
            .collect()
    }
}

impl CodeEntry {
    fn of(code: ErrorCode) -> CodeEntry {
        CodeEntry {
            code: code.as_str().to_owned(),
            status: code.status().as_u16(),
            category: code.category().name().to_owned(),
            title: code.title().to_owned(),
            message: code.message().to_owned(),
            when: code.when().to_owned(),
            remedy: code.remedy().to_owned(),
            retry: code.retry(),
            deprecated: code.deprecated().map(str::to_owned),
            anchor: code.anchor().to_owned(),
        }
    }
}

impl HeaderEntry {
    fn of(header: &HeaderSpec) -> HeaderEntry {
        HeaderEntry {
            name: header.name.as_str().to_owned(),
            spelling: Some(header.spelling.to_owned()),
            description: header.description.to_owned(),
            type_: Some(
                match header.value {
                    ValueType::Integer => "integer",
                    ValueType::String => "string",
                }
                .to_owned(),
            ),
            on: match header.codes() {
                None => vec!["*".to_owned()],
                Some(codes) => codes.map(|code| code.as_str().to_owned()).collect(),
            },
        }
    }
}

/// The JSON types a schema allows: its `type`, as a list.
pub(crate) fn schema_types(schema: &Value) -> Vec<String> {
    match &schema["type"] {
        Value::String(one) => vec![one.clone()],
        Value::Array(many) => many
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// The names a schema's `required` lists.
pub(crate) fn required_names(schema: &Value) -> Vec<String> {
    schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The body's JSON Schema as schemars derives it from [`ErrorBody`] (serde's own view of the
/// type, so requiredness is what a reader enforces and `Option` members are nullable), made
/// self-contained: every `$ref` is replaced by its definition. The code schema, the known
/// codes or any string, becomes a string schema listing the codes: each code's facts are
/// already in `codes`.
fn body_schema_of_type() -> Value {
    let schema =
        serde_json::to_value(schemars::schema_for!(ErrorBody)).expect("a JSON Schema serializes");
    let Value::Object(mut root) = schema else {
        unreachable!("schemars writes a schema object for a struct")
    };
    let defs = match root.remove("$defs") {
        Some(Value::Object(defs)) => defs,
        _ => Map::new(),
    };
    inline(Value::Object(root), &defs)
}

/// `schema` with each `$ref` into `defs` replaced by the definition, the referring
/// schema's own members (its description) winning.
fn inline(schema: Value, defs: &Map<String, Value>) -> Value {
    match schema {
        Value::Object(mut object) => {
            if let Some(Value::String(reference)) = object.remove("$ref") {
                let name = reference.trim_start_matches("#/$defs/");
                let mut target = match defs.get(name) {
                    Some(Value::Object(target)) => target.clone(),
                    _ => {
                        panic!("the body schema refers to `{reference}`, which it does not define")
                    }
                };
                target.extend(object);
                object = target;
            }
            // Branches are inlined first, so the code schema's `$ref` to the known codes
            // is a string schema by the time it is collapsed.
            let mut object: Map<String, Value> = object
                .into_iter()
                .map(|(key, value)| (key, inline(value, defs)))
                .collect();
            collapse_open_code_list(&mut object);
            Value::Object(object)
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|item| inline(item, defs)).collect())
        }
        other => other,
    }
}

/// The code schema, `anyOf` the known codes' string enum or any string, becomes
/// `type: string`; the values stay listed in `x-extensible-enum`.
fn collapse_open_code_list(object: &mut Map<String, Value>) {
    let Some(Value::Array(branches)) = object.get("anyOf") else {
        return;
    };
    let all_strings = branches.iter().all(|branch| branch["type"] == "string");
    if all_strings && object.contains_key("x-extensible-enum") {
        object.remove("anyOf");
        object.insert("type".to_owned(), "string".into());
    }
}

/// Reads `body` in either format: a JSON Schema (format 2), or format 1's flat list of
/// `{name, type, required}`, turned into the schema it described.
fn body_schema<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
    /// A body member as format 1 listed it.
    #[derive(Deserialize)]
    struct Format1Member {
        name: String,
        #[serde(rename = "type")]
        type_: String,
        required: bool,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Schema(Map<String, Value>),
        Format1(Vec<Format1Member>),
    }

    Ok(match Either::deserialize(deserializer)? {
        Either::Schema(schema) => Value::Object(schema),
        Either::Format1(members) => {
            let required: Vec<Value> = members
                .iter()
                .filter(|member| member.required)
                .map(|member| member.name.clone().into())
                .collect();
            let properties: Map<String, Value> = members
                .into_iter()
                .map(|member| (member.name, serde_json::json!({ "type": member.type_ })))
                .collect();
            serde_json::json!({
                "type": "object",
                "properties": properties,
                "required": required,
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Today's file reads back to the same model.
    #[test]
    fn round_trip() {
        let model = Contract::current();
        assert_eq!(Contract::from_json(&model.to_json()).expect("reads"), model);
    }

    /// The contract 1.0.0 file as `cargo xtask codegen` wrote it before format 2, committed
    /// unchanged: it must keep reading, with its facts where format 2 keeps them.
    #[test]
    fn format_1_file_still_reads() {
        let old = include_str!("../tests/fixtures/contract-1.0.0.json");
        let old = Contract::from_json(old).expect("the 1.0.0 file reads");
        assert_eq!(old.format, 1);
        assert_eq!(old.version, "1.0.0");
        assert_eq!(old.codes.len(), 16);
        let gone = old.codes.iter().find(|c| c.code == "gone").expect("listed");
        assert_eq!((gone.status, gone.retry), (410, RetryClass::Never));
        let retry_after = old
            .headers
            .iter()
            .find(|h| h.name == "retry-after")
            .expect("listed");
        assert_eq!(retry_after.type_, None, "format 1 gave headers no type");
        assert_eq!(
            retry_after.on,
            ["rate_limit_exceeded", "service_unavailable"]
        );
        let members = old.body_members();
        let error = members.iter().find(|m| m.name == "error").expect("listed");
        assert!(error.required && error.types == ["string"]);
        let errors = members.iter().find(|m| m.name == "errors").expect("listed");
        assert!(!errors.required && errors.types == ["array"]);
        assert_eq!(members.len(), 11);
    }

    /// The body schema has the nested members, requiredness and nullability of the type.
    #[test]
    fn body_schema_is_nested_and_self_contained() {
        let body = Contract::current().body;
        let text = body.to_string();
        assert!(!text.contains("$ref"), "every reference is inlined: {text}");
        let item = &body["properties"]["errors"]["items"];
        assert_eq!(item["type"], "object");
        assert_eq!(item["properties"]["pointer"]["type"], "string");
        assert_eq!(item["properties"]["pointer"]["format"], "json-pointer");
        assert_eq!(required_names(item), ["pointer", "message"]);
        assert_eq!(
            schema_types(&body["properties"]["run_id"]),
            ["string", "null"]
        );
        assert_eq!(body["properties"]["error"]["type"], "string");
        assert_eq!(required_names(&body), ["error", "message"]);
    }
}
