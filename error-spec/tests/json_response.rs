//! `error_spec::axum::Json` as a handler's response, as axum's own `Json` is: one import
//! serves the request body and the answer.
#![cfg(feature = "axum")]

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Body;
use axum::routing::{get, post};
use error_spec::ApiError;
use error_spec::axum::{Json, ServerConfig, contract_middleware};
use http::{Request, StatusCode, header};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

#[derive(Deserialize)]
struct NewRun {
    prompt: String,
}

#[derive(Serialize)]
struct Run {
    id: &'static str,
    prompt: String,
}

async fn create_run(Json(run): Json<NewRun>) -> Result<Json<Run>, ApiError> {
    Ok(Json(Run {
        id: "run_1",
        prompt: run.prompt,
    }))
}

/// A map with non-string keys: serde_json refuses it, so the answer cannot be written.
async fn unserializable() -> Json<BTreeMap<(u8, u8), u8>> {
    Json(BTreeMap::from([((1, 2), 3)]))
}

fn app() -> Router {
    Router::new()
        .route("/runs", post(create_run))
        .route("/broken", get(unserializable))
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new("https://docs.example.com/errors"),
            contract_middleware,
        ))
}

async fn send(request: Request<Body>) -> (StatusCode, http::HeaderMap, Vec<u8>) {
    let response = app().oneshot(request).await.expect("the router answers");
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .expect("the body is read");
    (parts.status, parts.headers, bytes.to_vec())
}

#[tokio::test]
async fn a_json_response_is_200_application_json_with_the_value() {
    let request = Request::post("/runs")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"prompt":"a cat"}"#))
        .expect("a valid request");
    let (status, headers, body) = send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert!(headers.contains_key("x-request-id"));
    let value: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(value, serde_json::json!({"id": "run_1", "prompt": "a cat"}));
}

#[tokio::test]
async fn a_value_that_does_not_serialize_is_internal_error() {
    let request = Request::get("/broken")
        .body(Body::empty())
        .expect("a valid request");
    let (status, headers, body) = send(request).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        error_spec::CONTENT_TYPE_PROBLEM_JSON
    );
    let value: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(value["error"], "internal_error");
    // serde's text names the server's types; it is a cause for logs, not for the body.
    assert!(!String::from_utf8_lossy(&body).contains("key must be a string"));
}
