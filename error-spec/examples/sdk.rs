//! An SDK's request loop: read every failed response into a typed error and retry as the
//! table says. `docs/errors.md` quotes the part between the `docs:` markers.
//!
//! Run it with `cargo run -p error-spec --example sdk`: the fake transport answers a proxy's
//! HTML 502, then a 503 with `Retry-After: 1`, then success.

// docs:start
use std::time::Duration;

use error_spec::http::{HeaderMap, StatusCode};
use error_spec::{ErrorCode, Jitter, ResponseError, RetryDecision, parse_error_response};

/// Sends a request until it succeeds, or until the error says not to retry.
fn call_with_retries(
    mut send: impl FnMut() -> (StatusCode, HeaderMap, Vec<u8>),
    mut sleep: impl FnMut(Duration),
) -> Result<Vec<u8>, ResponseError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (status, headers, body) = send();
        if status.is_success() {
            return Ok(body);
        }
        // Never fails: a proxy's HTML page becomes `ResponseError::UnexpectedBody`.
        let err = parse_error_response(status, &headers, &body);
        if let Some(code) = err.code() {
            // Branch on known codes; an unknown one keeps its raw string in `as_str()`.
            if *code == ErrorCode::InsufficientCredits {
                eprintln!("top up via the dashboard (request {:?})", err.request_id());
            }
        }
        match err.retry_decision(attempt, Jitter::random()) {
            RetryDecision::RetryAfter(wait) => sleep(wait),
            RetryDecision::ResubmitAsync => {
                // Resubmit with `async: true` and poll `GET /tasks/{task_id}` instead.
                return Err(err);
            }
            // Fix the request first; quote `err.request_id()` on a support ticket.
            RetryDecision::DoNotRetry => return Err(err),
        }
    }
}
// docs:end

fn main() {
    let mut responses = vec![
        (
            StatusCode::OK,
            HeaderMap::new(),
            b"{\"run_id\":\"run_1\"}".to_vec(),
        ),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            HeaderMap::from_iter([(
                error_spec::http::header::RETRY_AFTER,
                error_spec::http::HeaderValue::from_static("1"),
            )]),
            br#"{"error":"service_unavailable","message":"The service is busy."}"#.to_vec(),
        ),
        (
            StatusCode::BAD_GATEWAY,
            HeaderMap::new(),
            b"<html><body>502 Bad Gateway</body></html>".to_vec(),
        ),
    ];
    let mut waits = Vec::new();
    let result = call_with_retries(
        || responses.pop().expect("the fake transport has an answer"),
        |wait| waits.push(wait),
    );
    println!("result: {result:?}");
    println!("waited: {waits:?}");
    assert!(result.is_ok());
    assert_eq!(waits.len(), 2);
    assert_eq!(waits[1], Duration::from_secs(1), "Retry-After wins");
}

/// `cargo test` runs the example (`test = true` in `error-spec/Cargo.toml`), so the docs'
/// snippet is not only compiled but exercised.
#[test]
fn example_runs() {
    main();
}
