//! Framework-free rendering: every code's response has the contract's status, headers and
//! body, and nothing internal reaches it.

use error_spec::{
    ApiError, ErrorCode, RateLimitState, RenderContext, RequestId, parse_error_response, tier,
};
use http::StatusCode;

/// The codes the contract names as carrying `Retry-After`; every other code must not.
const RETRY_AFTER_CODES: [&str; 2] = ["rate_limit_exceeded", "service_unavailable"];

fn context() -> RenderContext {
    let pro = tier("pro").expect("the pro tier exists");
    RenderContext::new(RequestId::parse("req_test_1").expect("valid id"))
        .with_doc_base("https://docs.test/errors")
        .with_rate_limit(RateLimitState::new(pro, 42, 17))
}

fn header<'a>(response: &'a http::Response<Vec<u8>>, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().expect("visible ASCII"))
}

#[test]
fn every_code_renders_its_status_headers_and_body() {
    for &code in ErrorCode::ALL {
        let response = ApiError::new(code).to_response(&context());
        assert_eq!(response.status(), code.status(), "{code}");
        assert_eq!(
            header(&response, "x-request-id"),
            Some("req_test_1"),
            "{code}"
        );
        assert_eq!(
            header(&response, "content-type"),
            Some("application/problem+json"),
            "{code}"
        );
        let retry_after = header(&response, "retry-after");
        if RETRY_AFTER_CODES.contains(&code.as_str()) {
            let secs: u32 = retry_after
                .unwrap_or_else(|| panic!("{code} lacks Retry-After"))
                .parse()
                .expect("delta-seconds");
            assert!(secs > 0, "{code}");
        } else {
            assert_eq!(retry_after, None, "{code} must not carry Retry-After");
        }

        let json: serde_json::Value =
            serde_json::from_slice(response.body()).expect("the body is JSON");
        assert_eq!(json["error"], code.as_str());
        assert_eq!(json["status"], code.status().as_u16());
        assert_eq!(json["request_id"], "req_test_1");
        assert_eq!(
            json["doc_url"],
            format!("https://docs.test/errors#{}", code.as_str())
        );
        assert_eq!(
            json["type"], json["doc_url"],
            "RFC 9457 type is the doc URL"
        );
        assert!(json["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[test]
fn retry_after_values_follow_the_issue() {
    let unavailable = ApiError::new(ErrorCode::ServiceUnavailable).to_response(&context());
    let secs: u32 = header(&unavailable, "retry-after")
        .and_then(|v| v.parse().ok())
        .expect("seconds");
    assert!((30..=60).contains(&secs), "30-60 s by default, got {secs}");

    let limited = ApiError::rate_limited(23).to_response(&context());
    assert_eq!(
        header(&limited, "retry-after"),
        Some("23"),
        "the limiter's figure"
    );
    let json: serde_json::Value = serde_json::from_slice(limited.body()).expect("JSON");
    assert_eq!(json["retry_after"], 23);
}

#[test]
fn rate_limit_headers_are_well_formed() {
    let response = ApiError::new(ErrorCode::NotFound).to_response(&context());
    assert_eq!(
        header(&response, "x-ratelimit-limit"),
        Some("60"),
        "pro is 60/min"
    );
    assert_eq!(header(&response, "x-ratelimit-remaining"), Some("42"));
    assert_eq!(header(&response, "x-ratelimit-reset"), Some("17"));
    assert_eq!(
        header(&response, "ratelimit-policy"),
        Some("\"pro\";q=60;w=60")
    );
    assert_eq!(header(&response, "ratelimit"), Some("\"pro\";r=42;t=17"));
}

#[test]
fn rate_limit_state_is_clamped_to_the_tier() {
    let free = tier("free").expect("the free tier exists");
    let state = RateLimitState::new(free, 1_000, 1_000);
    assert_eq!(state.remaining(), 10, "free is 10/min");
    assert_eq!(state.reset_secs(), 60, "the window is a minute");
}

#[test]
fn success_responses_get_the_same_common_headers() {
    let mut headers = http::HeaderMap::new();
    context().write_headers(&mut headers);
    for name in [
        "x-request-id",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "ratelimit-policy",
        "ratelimit",
    ] {
        assert!(headers.contains_key(name), "{name}");
    }
    assert!(!headers.contains_key("retry-after"));
}

#[test]
fn incoming_request_ids_are_echoed_only_when_harmless() {
    let mut incoming = http::HeaderMap::new();
    incoming.insert("x-request-id", http::HeaderValue::from_static("client-42"));
    let echoed = RenderContext::from_request_headers(&incoming);
    assert_eq!(echoed.request_id().as_str(), "client-42");

    for hostile in [
        "a".repeat(300).into_bytes(),
        b"caf\xc3\xa9".to_vec(),
        b"two words".to_vec(),
        b"tab\there".to_vec(),
    ] {
        let mut incoming = http::HeaderMap::new();
        incoming.insert(
            "x-request-id",
            http::HeaderValue::from_bytes(&hostile).expect("a valid header value"),
        );
        let minted = RenderContext::from_request_headers(&incoming);
        let id = minted.request_id().as_str();
        assert!(id.starts_with("req_") && id.len() < 64, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_graphic()), "{id}");
    }
}

#[test]
fn the_internal_cause_never_reaches_the_response() {
    let secret = "open /etc/secrets/db.key: permission denied\n   at src/main.rs:42";
    let err = ApiError::internal(std::io::Error::other(secret));
    let response = err.to_response(&context());
    let text = String::from_utf8(response.body().clone()).expect("UTF-8");
    assert!(!text.contains("/etc/secrets/db.key"), "{text}");
    assert!(!text.contains("src/main.rs:42"), "{text}");
    for (_, value) in response.headers() {
        let value = value.to_str().unwrap_or_default();
        assert!(!value.contains("secrets") && !value.contains("main.rs"));
    }
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

/// What the server side renders, the SDK side reads back: same code, status, ids and
/// retry advice, for every code.
#[test]
fn every_code_round_trips_through_the_sdk_parser() {
    for &code in ErrorCode::ALL {
        let err = ApiError::new(code)
            .with_run_id("run_7")
            .with_task_id("task_9");
        let response = err.to_response(&context());
        let parsed = parse_error_response(response.status(), response.headers(), response.body());
        let error_spec::ResponseError::Api(api) = &parsed else {
            panic!("{code} did not parse: {parsed}");
        };
        assert_eq!(*api.code(), code);
        assert_eq!(api.status(), code.status());
        assert_eq!(api.request_id(), Some("req_test_1"));
        assert_eq!(api.body().run_id(), Some("run_7"));
        assert_eq!(api.body().task_id(), Some("task_9"));
        assert_eq!(
            api.retry_after().map(|wait| wait.as_secs()),
            err.retry_after().map(u64::from),
            "{code}"
        );
        // The advice the SDK reads off the response is the one the table's class gives:
        // the server's `Retry-After` when it sends one, resubmit as async, a backoff wait,
        // or no retry.
        let advice = parsed.retry_decision(1, error_spec::Jitter::ZERO);
        use error_spec::{RetryClass, RetryDecision};
        match code.retry() {
            RetryClass::RetryAfter | RetryClass::Pause { .. } => {
                let secs = err.retry_after().expect("these classes send Retry-After");
                assert_eq!(
                    advice,
                    RetryDecision::RetryAfter(std::time::Duration::from_secs(secs.into())),
                    "{code}"
                );
            }
            RetryClass::Backoff => {
                assert!(
                    matches!(advice, RetryDecision::RetryAfter(_)),
                    "{code}: {advice:?}"
                )
            }
            RetryClass::ResubmitAsync => assert_eq!(advice, RetryDecision::ResubmitAsync, "{code}"),
            RetryClass::Never => assert_eq!(advice, RetryDecision::DoNotRetry, "{code}"),
        }
    }
}

/// A handler's `Result<T, ApiError>` stays small: the error is one pointer, so returning it
/// costs nothing on the success path and clippy's `result_large_err` stays quiet in users'
/// code.
#[test]
fn an_api_error_is_one_pointer_wide() {
    assert_eq!(
        std::mem::size_of::<ApiError>(),
        std::mem::size_of::<usize>()
    );
}

#[test]
fn the_response_body_is_the_bodys_own_json() {
    // `to_response` writes its body from borrowed parts; it must be byte for byte what the
    // owned `ErrorBody` serializes to, for every kind of member.
    let request_id = error_spec::RequestId::parse("req_7").expect("a safe id");
    let context = error_spec::RenderContext::new(request_id.clone())
        .with_doc_base("https://docs.example.com/a \"quoted\" base");
    let errors = [
        error_spec::ApiError::new(error_spec::ErrorCode::NotFound),
        error_spec::ApiError::rate_limited(17).with_run_id("run_1"),
        error_spec::ApiError::new(error_spec::ErrorCode::ValidationError)
            .with_field_error(
                error_spec::JsonPointer::root()
                    .push("in\"puts")
                    .push_index(0),
                error_spec::UserMessage::user_safe("must be \u{2028} https"),
            )
            .with_task_id("task_1")
            .with_run_id("<script>"),
        error_spec::ApiError::internal(std::io::Error::other("secret"))
            .with_message(error_spec::UserMessage::user_safe("Line\nbreak")),
    ];
    for error in &errors {
        let response = error.to_response(&context);
        let owned = error.to_body(&request_id, context.doc_base()).to_json();
        assert_eq!(
            String::from_utf8_lossy(response.body()),
            String::from_utf8_lossy(&owned),
            "{error:?}"
        );
    }
}
