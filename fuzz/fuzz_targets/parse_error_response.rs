//! Fuzzes `parse_error_response_at` and the retry decision with any status, any values for the
//! headers it reads, any body and any clock: none of it may panic, and what it keeps must stay
//! within the documented bounds.

#![no_main]

use std::time::{Duration, SystemTime};

use error_spec::{EXCERPT_LEN, Jitter, ResponseError, headers, parse_error_response_at};
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
});
