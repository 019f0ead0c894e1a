//! The scale test's checks over a generated table, with every feature of error-spec on.
//!
//! Usage: `scale-check N DOCS_DIR`, after `cargo xtask codegen` wrote `DOCS_DIR`. Every code
//! goes through render and parse, the wire string in and out, serde, and axum's response;
//! the schemars and utoipa schemas list every code, and so do the generated artifacts.

use std::collections::BTreeSet;
use std::error::Error;
use std::path::Path;

use axum::response::IntoResponse as _;
use error_spec::{
    ApiError, Category, Code, ErrorCode, RenderContext, RequestId, ResponseError, RetryClass,
    STATUS_TABLE, error_statuses, parse_error_response,
};
use serde_json::Value;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [expected, docs] = args.as_slice() else {
        return Err("usage: scale-check N DOCS_DIR".into());
    };
    let expected: usize = expected.parse()?;
    let docs = Path::new(docs);
    check(ErrorCode::COUNT == expected, || {
        format!("the table has {} codes, not {expected}", ErrorCode::COUNT)
    })?;
    check(ErrorCode::ALL.len() == expected, || "ALL misses codes".to_owned())?;
    round_trip_every_code()?;
    if expected > 16 {
        covers_every_kind_of_row()?;
    }
    schemas_list_every_code(expected)?;
    artifacts_list_every_code(docs)?;
    println!("scale check: {expected} codes rendered, parsed back and listed in every artifact");
    Ok(())
}

fn check(ok: bool, message: impl FnOnce() -> String) -> Result<()> {
    if ok { Ok(()) } else { Err(message().into()) }
}

/// Render, then parse as an SDK would; the wire string through every conversion.
fn round_trip_every_code() -> Result<()> {
    let context = RenderContext::new(RequestId::mint()).with_doc_base("https://docs.example.com/errors");
    for &code in ErrorCode::ALL {
        let wire = code.as_str();
        check(wire.parse::<ErrorCode>() == Ok(code), || format!("FromStr of `{wire}`"))?;
        check(ErrorCode::from_wire(wire) == Some(code), || format!("from_wire of `{wire}`"))?;
        check(code.to_string() == wire, || format!("Display of `{wire}`"))?;
        let json = serde_json::to_string(&code)?;
        check(serde_json::from_str::<ErrorCode>(&json)? == code, || format!("serde of `{wire}`"))?;

        let response = ApiError::new(code).to_response(&context);
        check(response.status() == code.status(), || format!("status of `{wire}`"))?;
        let (parts, body) = response.into_parts();
        match parse_error_response(parts.status, &parts.headers, &body) {
            ResponseError::Api(parsed) => {
                check(*parsed.code() == Code::from(code), || format!("`{wire}` parsed back as `{}`", parsed.code()))?;
                check(parsed.message().map(|m| m.as_str()) == Some(code.message()), || {
                    format!("the message of `{wire}` parsed back differently")
                })?;
                check(parsed.dropped().iter().next().is_none(), || {
                    format!("parsing `{wire}`'s body dropped members: {:?}", parsed.dropped())
                })?;
            }
            ResponseError::UnexpectedBody(other) => {
                return Err(format!("`{wire}`'s body did not parse: {}", other.excerpt()).into());
            }
        }
        let via_axum = ApiError::new(code).into_response();
        check(via_axum.status() == code.status(), || format!("axum status of `{wire}`"))?;
    }
    Ok(())
}

/// The generated table holds every category, error status, retry class and deprecated rows.
fn covers_every_kind_of_row() -> Result<()> {
    let categories: BTreeSet<Category> = ErrorCode::ALL.iter().map(|c| c.category()).collect();
    check(categories.len() == Category::ALL.len(), || "a category has no code".to_owned())?;
    let error_rows = STATUS_TABLE.iter().filter(|row| row.status.as_u16() >= 400).count();
    check(error_statuses().count() == error_rows, || "an error status has no code".to_owned())?;
    let classes: BTreeSet<&str> = ErrorCode::ALL
        .iter()
        .map(|c| match c.retry() {
            RetryClass::Never => "never",
            RetryClass::RetryAfter => "retry_after",
            RetryClass::Backoff => "backoff",
            RetryClass::Pause { .. } => "pause",
            RetryClass::ResubmitAsync => "resubmit_async",
        })
        .collect();
    check(classes.len() == 5, || format!("retry classes covered: {classes:?}"))?;
    check(ErrorCode::ALL.iter().any(|c| c.deprecated().is_some()), || "no deprecated row".to_owned())?;
    Ok(())
}

/// schemars and utoipa both list every code in `KnownErrorCode`.
fn schemas_list_every_code(expected: usize) -> Result<()> {
    let schema = serde_json::to_value(schemars::schema_for!(ErrorCode))?;
    let listed = schema["$defs"]["KnownErrorCode"]["enum"].as_array().map_or(0, Vec::len);
    check(listed == expected, || format!("schemars lists {listed} codes"))?;
    let doc = serde_json::to_value(error_spec_openapi::document())?;
    known_codes(&doc, expected, "error_spec_openapi::document()")
}

fn known_codes(doc: &Value, expected: usize, what: &str) -> Result<()> {
    let listed = doc["components"]["schemas"]["KnownErrorCode"]["enum"]
        .as_array()
        .map_or(0, Vec::len);
    check(listed == expected, || format!("{what} lists {listed} codes, not {expected}"))
}

/// `cargo xtask codegen`'s artifacts: the OpenAPI documents, the contract and the reference.
fn artifacts_list_every_code(docs: &Path) -> Result<()> {
    let read = |name: &str| -> Result<String> {
        std::fs::read_to_string(docs.join(name)).map_err(|e| format!("{name}: {e}").into())
    };
    // The generated files start with a comment-like line only where the format allows it.
    let json = |name: &str| -> Result<Value> { Ok(serde_json::from_str(&read(name)?)?) };
    let expected = ErrorCode::COUNT;
    known_codes(&json("openapi.json")?, expected, "docs/openapi.json")?;
    known_codes(&json("openapi-3.0.json")?, expected, "docs/openapi-3.0.json")?;
    let contract = json("contract.json")?;
    let codes = contract["codes"].as_array().map_or(0, Vec::len);
    check(codes == expected, || format!("docs/contract.json lists {codes} codes"))?;
    let examples: usize = json("openapi.json")?["components"]["responses"]
        .as_object()
        .map_or(0, |responses| {
            responses
                .values()
                .filter_map(|r| r["content"]["application/problem+json"]["examples"].as_object())
                .map(serde_json::Map::len)
                .sum()
        });
    check(examples == expected, || format!("docs/openapi.json has {examples} example bodies, not {expected}"))?;
    let reference = read("errors.md")?;
    for &code in ErrorCode::ALL {
        let heading = format!("#### `{}`", code.as_str());
        check(reference.lines().any(|line| line == heading), || {
            format!("docs/errors.md has no heading for `{}`", code.as_str())
        })?;
    }
    Ok(())
}
