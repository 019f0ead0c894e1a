//! The wire hot paths, each as a criterion group with two functions: `error_spec` and the
//! hand-written strum + serde `baseline`, measured in the same run.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use error_spec::{
    ApiError, ErrorBody, ErrorCode, JsonPointer, ReceivedBody, RequestId, UserMessage,
};
use strum::IntoEnumIterator;

/// Every wire string, in table order, as a client receives them.
fn wire_strings() -> Vec<String> {
    ErrorCode::ALL
        .iter()
        .map(|code| code.as_str().to_owned())
        .collect()
}

/// Wire string → code, for every code.
fn code_parse(c: &mut Criterion) {
    let strings = wire_strings();
    let mut group = c.benchmark_group("code_parse");
    group.bench_function("error_spec", |b| {
        b.iter(|| {
            for s in &strings {
                black_box(black_box(s.as_str()).parse::<ErrorCode>().ok());
            }
        })
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            for s in &strings {
                black_box(black_box(s.as_str()).parse::<baseline::ErrorCode>().ok());
            }
        })
    });
    group.finish();
}

/// Code → wire string, for every code.
fn code_as_str(c: &mut Criterion) {
    let mut group = c.benchmark_group("code_as_str");
    group.bench_function("error_spec", |b| {
        b.iter(|| {
            for code in ErrorCode::ALL {
                black_box(black_box(*code).as_str());
            }
        })
    });
    let codes: Vec<baseline::ErrorCode> = baseline::ErrorCode::iter().collect();
    group.bench_function("baseline", |b| {
        b.iter(|| {
            for code in &codes {
                black_box(<&'static str>::from(black_box(*code)));
            }
        })
    });
    group.finish();
}

/// Code → HTTP status, for every code.
fn code_status(c: &mut Criterion) {
    let mut group = c.benchmark_group("code_status");
    group.bench_function("error_spec", |b| {
        b.iter(|| {
            for code in ErrorCode::ALL {
                black_box(black_box(*code).status());
            }
        })
    });
    let codes: Vec<baseline::ErrorCode> = baseline::ErrorCode::iter().collect();
    group.bench_function("baseline", |b| {
        b.iter(|| {
            for code in &codes {
                black_box(black_box(*code).status());
            }
        })
    });
    group.finish();
}

/// The body both sides serialize and parse: a `validation_error` with every member set.
fn bodies() -> (ErrorBody, baseline::ErrorBody) {
    let request_id = RequestId::parse("req_3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60").expect("valid id");
    let ours = ApiError::new(ErrorCode::ValidationError)
        .with_field_error(
            JsonPointer::root().push("inputs").push_index(0).push("url"),
            UserMessage::user_safe("must be an https URL"),
        )
        .with_run_id("run_01HZX3Q8W6")
        .with_task_id("task_01HZX3Q9K2")
        .to_body(&request_id, "https://docs.example.com/errors");
    // The same members, so both sides write and read the same bytes.
    let theirs: baseline::ErrorBody =
        serde_json::from_slice(&ours.to_json()).expect("the baseline reads the same body");
    (ours, theirs)
}

/// Body → JSON bytes.
fn body_serialize(c: &mut Criterion) {
    let (ours, theirs) = bodies();
    let mut group = c.benchmark_group("body_serialize");
    group.bench_function("error_spec", |b| {
        b.iter(|| black_box(black_box(&ours).to_json()))
    });
    group.bench_function("baseline", |b| {
        b.iter(|| black_box(serde_json::to_vec(black_box(&theirs)).expect("serializes")))
    });
    group.finish();
}

/// JSON bytes → body, as an SDK reads them: `ReceivedBody`, lenient member by member,
/// against the baseline's strict derived `Deserialize`.
fn body_parse(c: &mut Criterion) {
    let (ours, _) = bodies();
    let bytes = ours.to_json();
    let mut group = c.benchmark_group("body_parse");
    group.bench_function("error_spec", |b| {
        b.iter(|| black_box(ReceivedBody::from_slice(black_box(&bytes)).ok()))
    });
    group.bench_function("baseline", |b| {
        b.iter(|| black_box(serde_json::from_slice::<baseline::ErrorBody>(black_box(&bytes)).ok()))
    });
    group.finish();
}

/// Status, headers and bytes → typed error, as an SDK receives a response. The baseline does
/// the same work by hand: the body with serde, the request id and `Retry-After` headers.
fn sdk_parse(c: &mut Criterion) {
    let (ours, _) = bodies();
    let bytes = ours.to_json();
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
    let mut group = c.benchmark_group("sdk_parse");
    group.bench_function("error_spec", |b| {
        b.iter(|| {
            black_box(error_spec::parse_error_response(
                black_box(status),
                black_box(&headers),
                black_box(&bytes),
            ))
        })
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
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
            black_box((black_box(status), body, request_id, retry_after))
        })
    });
    group.finish();
}

/// An error → the full axum response a handler returns. Ours is `IntoResponse` for
/// `ApiError` (status, body, `Content-Type`, a minted `X-Request-Id`, `Retry-After`); the
/// baseline builds the same by hand with axum's `Json` and a header array.
fn render_response(c: &mut Criterion) {
    use axum::response::IntoResponse;

    let mut group = c.benchmark_group("render_response");
    group.bench_function("error_spec", |b| {
        b.iter(|| black_box(ApiError::rate_limited(black_box(17)).into_response()))
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            let code = black_box(baseline::ErrorCode::RateLimitExceeded);
            let request_id = error_spec::RequestId::mint();
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
            black_box((code.status(), headers, axum::Json(body)).into_response())
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    code_parse,
    code_as_str,
    code_status,
    body_serialize,
    body_parse,
    sdk_parse,
    render_response
);
criterion_main!(benches);
