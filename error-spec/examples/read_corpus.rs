//! `cargo run -p error-spec --example read_corpus -- FILE`: what the Rust SDK reads from each
//! response of a corpus file in `sdk/conformance`'s format, one JSON object per line.
//!
//! An SDK in another language prints the same lines from the same file, and the two outputs
//! must be equal (`sdk/conformance/read_corpus.mjs` and `read_corpus.py` print them for the
//! TypeScript and Python packages): `.ci/sdk/run` compares the three on the corpus and on a
//! corpus of hostile responses it generates, beyond the hand-written expectations of
//! `sdk/conformance/corpus.json`.

use std::time::{Duration, SystemTime};

use error_spec::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use error_spec::{Jitter, ResponseError, RetryDecision, UnexpectedReason, parse_error_response_at};
use serde_json::{Value, json};

fn main() -> Result<(), String> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: read_corpus FILE (a corpus in sdk/conformance's format)")?;
    let text =
        std::fs::read_to_string(&path).map_err(|err| format!("cannot read {path}: {err}"))?;
    let corpus: Value = serde_json::from_str(&text).map_err(|err| format!("{path}: {err}"))?;
    let now =
        SystemTime::UNIX_EPOCH + Duration::from_secs(corpus["now_unix"].as_u64().unwrap_or(0));
    let jitter = corpus["jitter"].as_f64().unwrap_or(0.0);
    let attempts = numbers(&corpus["attempts"]);
    for case in corpus["cases"].as_array().into_iter().flatten() {
        let status = case["status"]
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .and_then(|n| StatusCode::from_u16(n).ok())
            .ok_or_else(|| format!("a case without a valid status: {}", case["name"]))?;
        let mut headers = HeaderMap::new();
        for pair in case["headers"].as_array().into_iter().flatten() {
            let (Some(name), Some(value)) = (pair[0].as_str(), pair[1].as_str()) else {
                return Err(format!("a header is a [name, value] pair: {pair}"));
            };
            let name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|err| format!("{name}: {err}"))?;
            let bytes: Vec<u8> = value
                .chars()
                .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                .collect();
            let value =
                HeaderValue::from_bytes(&bytes).map_err(|err| format!("{value:?}: {err}"))?;
            headers.append(name, value);
        }
        let attempts = case
            .get("attempts")
            .map_or_else(|| attempts.clone(), numbers);
        let err = parse_error_response_at(status, &headers, &body_bytes(&case["body"])?, now);
        println!("{}", reading(&err, &attempts, jitter));
    }
    Ok(())
}

fn numbers(value: &Value) -> Vec<u32> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_u64().and_then(|n| u32::try_from(n).ok()))
        .collect()
}

/// A case's body: a string (its UTF-8), or segments of `text` or `hex`, each `repeat`ed.
fn body_bytes(body: &Value) -> Result<Vec<u8>, String> {
    let Some(segments) = body.as_array() else {
        return Ok(body.as_str().unwrap_or_default().as_bytes().to_vec());
    };
    let mut out = Vec::new();
    for segment in segments {
        let part = match (segment["text"].as_str(), segment["hex"].as_str()) {
            (Some(text), _) => text.as_bytes().to_vec(),
            (None, Some(hex)) => (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2).unwrap_or("zz"), 16))
                .collect::<Result<_, _>>()
                .map_err(|err| format!("bad hex {hex}: {err}"))?,
            (None, None) => return Err(format!("a segment has `text` or `hex`: {segment}")),
        };
        for _ in 0..segment["repeat"].as_u64().unwrap_or(1) {
            out.extend_from_slice(&part);
        }
    }
    Ok(out)
}

/// Everything a reader makes of a response, in the corpus's terms.
fn reading(err: &ResponseError, attempts: &[u32], jitter: f64) -> Value {
    let decisions: Vec<String> = attempts
        .iter()
        .map(
            |&attempt| match err.retry_decision(attempt, Jitter::new(jitter)) {
                RetryDecision::DoNotRetry => "do_not_retry".to_owned(),
                RetryDecision::ResubmitAsync => "resubmit_async".to_owned(),
                RetryDecision::RetryAfter(wait) => format!("retry_after_ms {}", wait.as_millis()),
            },
        )
        .collect();
    let code = err.code();
    let mut out = json!({
        "code": code.map(|c| c.as_str()),
        "known": code.is_some_and(|c| c.known().is_some()),
        "request_id": err.request_id(),
        "retry_after_secs": err.retry_after().map(|wait| wait.as_secs()),
        "decisions": decisions,
    });
    match err {
        ResponseError::Api(api) => {
            let body = api.body();
            let errors: Vec<Value> = body
                .errors()
                .iter()
                .map(|item| json!([item.pointer().as_str(), item.message().as_str()]))
                .collect();
            out["kind"] = "api".into();
            out["dropped"] = api
                .dropped()
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .into();
            out["body"] = json!({
                "type": body.type_url(),
                "title": body.title(),
                "status": body.status(),
                "message": body.message().map(|m| m.as_str()),
                "request_id": body.request_id(),
                "run_id": body.run_id(),
                "task_id": body.task_id(),
                "doc_url": body.doc_url(),
                "retry_after": body.retry_after(),
                "errors": errors,
            });
        }
        ResponseError::UnexpectedBody(other) => {
            out["kind"] = "unexpected".into();
            out["reason"] = match other.reason() {
                UnexpectedReason::Empty => "empty",
                UnexpectedReason::NotJson => "not_json",
                UnexpectedReason::NotContract => "not_contract",
                UnexpectedReason::TooLarge => "too_large",
                UnexpectedReason::Truncated => "truncated",
                _ => "other",
            }
            .into();
            out["excerpt"] = other.excerpt().into();
            out["len"] = other.len().into();
            out["content_type"] = other.content_type().into();
            out["raw_code"] = other.raw_code().into();
        }
    }
    out
}
