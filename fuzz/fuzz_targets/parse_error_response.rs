//! Fuzzes `parse_error_response_at` and the retry decision with any status, any values for the
//! headers it reads, any body and any clock: none of it may panic, what it keeps must stay
//! within the documented bounds, every JSON object whose `error` is a well-formed code must
//! keep that code, no code it returns may be outside the code grammar, and no id it returns
//! may be unsafe to log.

#![no_main]

use std::time::{Duration, SystemTime};

use error_spec::{
    Code, EXCERPT_LEN, Jitter, MAX_BODY_LEN, RequestId, ResponseError, headers, parse_error_response_at,
};
use http::{HeaderMap, HeaderValue, StatusCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, u32, u32, f64, Vec<u8>, Vec<u8>, Vec<u8>, &[u8])| {
    let (status, now, attempt, jitter, request_id, retry_after, content_type, body) = input;
    // Statuses outside 100-999 cannot be built, so fold the input into that range.
    let Ok(status) = StatusCode::from_u16(100 + status % 900) else {
        return;
    };
    let mut head = HeaderMap::new();
    for (name, value) in [
        (headers::X_REQUEST_ID, request_id),
        (headers::RETRY_AFTER, retry_after),
        (http::header::CONTENT_TYPE, content_type),
    ] {
        // Values `http` refuses (control bytes) cannot reach a client, so they are skipped.
        if let Ok(value) = HeaderValue::from_bytes(&value) {
            head.insert(name, value);
        }
    }
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(now.into());

    let err = parse_error_response_at(status, &head, body, now);
    let _ = err.to_string();
    let _ = err.retry_decision(attempt, Jitter::new(jitter));
    assert_eq!(err.status(), status);
    if let ResponseError::UnexpectedBody(other) = &err {
        assert!(other.excerpt().len() <= EXCERPT_LEN);
        assert_eq!(other.len(), body.len());
    }
    if let Some(id) = err.request_id() {
        assert!(RequestId::is_safe(id.as_bytes()), "{id:?}");
    }
    if let ResponseError::Api(api) = &err {
        for id in [api.body().run_id(), api.body().task_id()].into_iter().flatten() {
            assert!(RequestId::is_safe(id.as_bytes()), "{id:?}");
        }
    }
    // A code is always one of the grammar's (`Code::from_wire` checks it), so it carries
    // no control character; a malformed one is only an escaped excerpt.
    if let Some(code) = err.code() {
        assert_eq!(Code::from_wire(code.as_str()).as_ref(), Some(code));
    }
    if let ResponseError::UnexpectedBody(other) = &err
        && let Some(raw) = other.raw_code()
    {
        assert!(!raw.chars().any(char::is_control), "{raw:?}");
    }
    // Whatever serde_json reads as an object whose `error` is a code, the SDK reads too.
    if body.len() <= MAX_BODY_LEN
        && let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(body)
        && let Some(serde_json::Value::String(code)) = object.get("error")
        && Code::from_wire(code).is_some()
    {
        let ResponseError::Api(api) = &err else {
            panic!("a JSON object whose `error` is a code is a body: {err}");
        };
        // serde_json keeps the last of repeated members, as the SDK does.
        assert_eq!(api.code().as_str(), code);
    }
});
