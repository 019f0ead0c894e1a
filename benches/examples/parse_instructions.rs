//! The parse benchmarks' work, N times, for an instruction counter: wall-clock ratios on a
//! shared 2-core machine move by tens of percent between runs, instruction counts do not.
//!
//! ```sh
//! cargo build --release -p error-benches --example parse_instructions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/parse_instructions body_ours 20000
//! ```
//!
//! Run each of `body_ours`, `body_base`, `sdk_ours`, `sdk_base`, `render_ours`, `render_base`
//! with N and with 0; the difference over N is the cost of one parse or render. It is the same
//! work as `benches/wire.rs`'s `body_parse`, `sdk_parse` and `render_response` groups.

use std::hint::black_box;

use error_spec::sdk::ReceivedBody;
use error_spec::{ApiError, ErrorCode, JsonPointer, RequestId, UserMessage};

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let request_id = RequestId::parse("req_3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60").expect("a valid id");
    let bytes = ApiError::new(ErrorCode::ValidationError)
        .with_field_error(
            JsonPointer::root().push("inputs").push_index(0).push("url"),
            UserMessage::user_safe("must be an https URL"),
        )
        .with_run_id("run_01HZX3Q8W6")
        .with_task_id("task_01HZX3Q9K2")
        .to_body(&request_id, "https://docs.example.com/errors")
        .to_json();
    let status = http::StatusCode::UNPROCESSABLE_ENTITY;
    let mut headers = http::HeaderMap::new();
    headers.insert(
        error_spec::headers::X_REQUEST_ID,
        http::HeaderValue::from_static("req_3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60"),
    );
    headers.insert(
        error_spec::headers::RETRY_AFTER,
        http::HeaderValue::from_static("30"),
    );
    for _ in 0..n {
        match which.as_str() {
            "body_ours" => {
                black_box(ReceivedBody::from_slice(black_box(&bytes)).ok());
            }
            "body_base" => {
                black_box(serde_json::from_slice::<baseline::ErrorBody>(black_box(&bytes)).ok());
            }
            "sdk_ours" => {
                black_box(error_spec::parse_error_response(
                    black_box(status),
                    black_box(&headers),
                    black_box(&bytes),
                ));
            }
            "sdk_base" => {
                let headers = black_box(&headers);
                let body = serde_json::from_slice::<baseline::ErrorBody>(black_box(&bytes)).ok();
                let request_id = headers
                    .get(error_spec::headers::X_REQUEST_ID)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned);
                let retry_after = headers
                    .get(error_spec::headers::RETRY_AFTER)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.parse::<u64>().ok())
                    .map(std::time::Duration::from_secs);
                black_box((black_box(status), body, request_id, retry_after));
            }
            "render_ours" => {
                use axum::response::IntoResponse;
                black_box(ApiError::rate_limited(black_box(17)).into_response());
            }
            "render_base" => {
                use axum::response::IntoResponse;
                // The same work as `benches/wire.rs`'s `render_response` baseline.
                let code = black_box(baseline::ErrorCode::RateLimitExceeded);
                let request_id = RequestId::mint();
                let doc_url = format!("https://docs.example.com/errors#{code}");
                let retry_after: u32 = black_box(17);
                let body = baseline::ErrorBody {
                    type_url: Some(doc_url.clone()),
                    title: Some(code.title().to_owned()),
                    status: Some(code.status().as_u16()),
                    error: code,
                    message: code.message().to_owned(),
                    request_id: Some(request_id.as_str().to_owned()),
                    run_id: None,
                    task_id: None,
                    doc_url: Some(doc_url),
                    retry_after: Some(retry_after),
                    errors: Vec::new(),
                };
                let headers = [
                    (
                        error_spec::headers::X_REQUEST_ID,
                        request_id.to_header_value(),
                    ),
                    (
                        error_spec::headers::RETRY_AFTER,
                        http::HeaderValue::from(retry_after),
                    ),
                ];
                black_box((code.status(), headers, axum::Json(body)).into_response());
            }
            other => {
                eprintln!(
                    "unknown case `{other}`: body_ours, body_base, sdk_ours, sdk_base, render_ours or render_base"
                );
                std::process::exit(2);
            }
        }
    }
}
