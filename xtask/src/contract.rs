//! The contract as plain data: what `docs/contract.json` holds and what `contract-diff` compares.
//!
//! SDKs in other languages and review tools read this file instead of Rust, so it carries
//! every fact of the table in the simplest JSON: one object per code, status, tier and header.

use error_spec::headers::{HeaderSpec, Scope};
use error_spec::{ErrorCode, RetryClass, STATUS_TABLE, TIERS};
use serde::{Deserialize, Serialize};

/// Where `cargo xtask codegen` writes the contract.
pub(crate) const PATH: &str = "docs/contract.json";

/// The whole contract, in the order the docs present it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Contract {
    /// The "generated, do not edit" line; JSON has no comments, so it is the first member.
    pub(crate) generated: String,
    /// The table's contract version, `MAJOR.MINOR.PATCH`.
    pub(crate) version: String,
    /// The categories, in the table header's order.
    pub(crate) categories: Vec<String>,
    /// Every error code, in table order.
    pub(crate) codes: Vec<CodeEntry>,
    /// Every HTTP status the API answers with.
    pub(crate) statuses: Vec<StatusEntry>,
    /// The rate-limit tiers.
    pub(crate) tiers: Vec<TierEntry>,
    /// The headers the contract defines, and which responses carry them.
    pub(crate) headers: Vec<HeaderEntry>,
    /// The members of the error body.
    pub(crate) body: Vec<FieldEntry>,
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

/// One header and the responses that carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct HeaderEntry {
    pub(crate) name: String,
    pub(crate) description: String,
    /// `"*"` for every response, else the codes whose responses carry it.
    pub(crate) on: Vec<String>,
}

/// One member of the error body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct FieldEntry {
    pub(crate) name: String,
    /// The JSON type: `string`, `integer`, `array`.
    #[serde(rename = "type")]
    pub(crate) type_: String,
    pub(crate) required: bool,
}

impl Contract {
    /// The contract the table in this build declares.
    pub(crate) fn current() -> Contract {
        Contract {
            generated: crate::codegen::generated_line(),
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
            headers: headers(),
            body: body_fields(),
        }
    }

    /// Reads a contract written by any earlier `cargo xtask codegen`.
    pub(crate) fn from_json(json: &str) -> Result<Contract, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The contract as `docs/contract.json` holds it: pretty JSON and a final newline.
    pub(crate) fn to_json(&self) -> String {
        let mut json =
            serde_json::to_string_pretty(self).expect("the contract is plain data and serializes");
        json.push('\n');
        json
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

/// The headers, each with the codes that carry it, as the server side sends them.
fn headers() -> Vec<HeaderEntry> {
    error_spec::headers::ALL
        .iter()
        .map(|header| HeaderEntry {
            name: header.name.as_str().to_owned(),
            description: header.description.to_owned(),
            on: match header_codes(header) {
                None => vec!["*".to_owned()],
                Some(codes) => codes.map(|code| code.as_str().to_owned()).collect(),
            },
        })
        .collect()
}

/// The codes whose responses carry `header`, or `None` when every response does.
pub(crate) fn header_codes(header: &HeaderSpec) -> Option<impl Iterator<Item = ErrorCode>> {
    match header.scope {
        Scope::EveryResponse => None,
        Scope::RetryAfter => Some(
            ErrorCode::ALL
                .iter()
                .copied()
                .filter(|&code| header.scope.carried_with(code)),
        ),
    }
}

/// The body's members, read off the real type: a body with every member set is serialized,
/// and a member is required when the SDK's parser rejects the body without it.
fn body_fields() -> Vec<FieldEntry> {
    let example = crate::docs::full_body();
    let serde_json::Value::Object(full) =
        serde_json::to_value(&example).expect("an error body serializes")
    else {
        unreachable!("an error body serializes as a JSON object")
    };
    full.iter()
        .map(|(name, value)| {
            let mut without = full.clone();
            without.remove(name);
            let bytes = serde_json::to_vec(&without).expect("a JSON object serializes");
            let required = error_spec::ReceivedBody::from_slice(&bytes).is_err();
            FieldEntry {
                name: name.clone(),
                type_: json_type(value).to_owned(),
                required,
            }
        })
        .collect()
}

/// The JSON type name of a value, as JSON Schema spells it.
fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}
