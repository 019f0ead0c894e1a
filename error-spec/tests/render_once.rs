//! Each error is rendered once: inside `contract_middleware` an `ApiError` leaves the handler
//! as its final response, with the request's own id, the server's docs base URL and the key's
//! rate-limit headers, and the middleware leaves it as it is. A layer between the two sees
//! the same bytes the client gets.
#![cfg(all(feature = "axum", feature = "limit"))]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::response::Response;
use axum::routing::get;
use error_spec::axum::{ServerConfig, contract_middleware};
use error_spec::limit::{Limiter, ManualClock, MemoryBackend, Subject};
use error_spec::{ApiError, ErrorCode, tier};
use http::{HeaderMap, Request, StatusCode};
use tower::ServiceExt;

/// What a layer just inside the middleware saw leave the service.
type Seen = Arc<Mutex<Vec<(StatusCode, HeaderMap, Bytes)>>>;

/// `routes` (behind `limiter` when given) with a recording layer just inside
/// `contract_middleware`, so that the test compares what the service inside the middleware
/// produced with what the client receives.
fn app(routes: Router, seen: &Seen, limiter: Option<Limiter>) -> Router {
    let recorder = {
        let seen = Arc::clone(seen);
        axum::middleware::map_response(move |response: Response| {
            let seen = Arc::clone(&seen);
            async move {
                let (parts, body) = response.into_parts();
                let bytes = axum::body::to_bytes(body, usize::MAX)
                    .await
                    .expect("a body in memory");
                seen.lock().expect("not poisoned").push((
                    parts.status,
                    parts.headers.clone(),
                    bytes.clone(),
                ));
                Response::from_parts(parts, Body::from(bytes))
            }
        })
    };
    let mut app = routes;
    if let Some(limiter) = limiter {
        app = app.layer(limiter.layer(|request: &http::request::Parts| {
            let key = request.headers.get("x-api-key")?.to_str().ok()?;
            Some(Subject::new(key, tier("free")?))
        }));
    }
    app.layer(recorder)
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new("https://docs.example.com/errors"),
            contract_middleware,
        ))
}

fn request(path: &str) -> Request<Body> {
    Request::get(path)
        .header("x-request-id", "req_from_client")
        .header("x-api-key", "key_1")
        .body(Body::empty())
        .expect("a valid request")
}

async fn send(app: Router, path: &str) -> (StatusCode, HeaderMap, Bytes) {
    let response = app.oneshot(request(path)).await.expect("infallible");
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .expect("a body in memory");
    // axum adds the length of a body it knows on the way out; it is not the stack's.
    parts.headers.remove(http::header::CONTENT_LENGTH);
    (parts.status, parts.headers, bytes)
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("a JSON body")
}

#[tokio::test]
async fn an_error_leaves_the_handler_rendered_with_the_requests_id() {
    let seen = Seen::default();
    let routes = Router::new().route(
        "/missing",
        get(|| async { Err::<(), _>(ApiError::new(ErrorCode::NotFound)) }),
    );
    let (status, headers, body) = send(app(routes, &seen, None), "/missing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers["x-request-id"], "req_from_client");
    let body_json = json(&body);
    assert_eq!(body_json["request_id"], "req_from_client");
    assert_eq!(
        body_json["doc_url"],
        "https://docs.example.com/errors#not_found"
    );
    let seen = seen.lock().expect("not poisoned");
    let [(inner_status, inner_headers, inner_body)] = seen.as_slice() else {
        panic!(
            "one response passed the recording layer, saw {}",
            seen.len()
        );
    };
    // Rendered once: what left the handler is byte for byte what the client got.
    assert_eq!(*inner_status, status);
    assert_eq!(*inner_body, body);
    assert_eq!(*inner_headers, headers);
}

#[tokio::test]
async fn a_refused_request_leaves_the_limiter_complete() {
    let seen = Seen::default();
    let clock = ManualClock::default();
    let limiter = Limiter::with_backend(MemoryBackend::with_clock(clock.clone()));
    let free = tier("free").expect("the free tier");
    // Spend the key's minute, then look at the first refusal.
    for _ in 0..free.requests_per_minute {
        let state = limiter
            .check(&Subject::new("key_1", free))
            .await
            .expect("admitted within the limit");
        assert!(state.remaining() < free.requests_per_minute);
    }
    let routes = Router::new().route("/ok", get(|| async { "ok" }));
    let (status, headers, body) = send(app(routes, &seen, Some(limiter)), "/ok").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    {
        let seen = seen.lock().expect("not poisoned");
        let [(inner_status, inner_headers, inner_body)] = seen.as_slice() else {
            panic!(
                "one response passed the recording layer, saw {}",
                seen.len()
            );
        };
        assert_eq!(*inner_status, status);
        assert_eq!(*inner_body, body);
        assert_eq!(*inner_headers, headers);
    }
    assert_eq!(headers["x-request-id"], "req_from_client");
    assert_eq!(headers["x-ratelimit-remaining"], "0");
    assert_eq!(headers["ratelimit-policy"], "\"free\";q=10;w=60");
    let retry_after = headers["retry-after"].to_str().expect("ASCII");
    assert_eq!(json(&body)["retry_after"].to_string(), retry_after);
    assert_eq!(json(&body)["request_id"], "req_from_client");
}

#[tokio::test]
async fn an_error_rendered_in_a_spawned_task_still_gets_the_requests_id() {
    let seen = Seen::default();
    let routes = Router::new().route(
        "/spawned",
        get(|| async {
            // Another task sees no scope: it renders with a minted id, and the middleware
            // renders it again with the request's.
            tokio::spawn(async {
                axum::response::IntoResponse::into_response(ApiError::new(ErrorCode::NotFound))
            })
            .await
            .expect("the task ends")
        }),
    );
    let (status, headers, body) = send(app(routes, &seen, None), "/spawned").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers["x-request-id"], "req_from_client");
    assert_eq!(json(&body)["request_id"], "req_from_client");
    let seen = seen.lock().expect("not poisoned");
    let inner_body = json(&seen[0].2);
    let minted = inner_body["request_id"].as_str().expect("an id");
    assert!(minted.starts_with("req_") && minted != "req_from_client");
}
