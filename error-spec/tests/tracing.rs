//! The `tracing` feature: every error response is one event, with the request id, the
//! code, OpenTelemetry's field names and the whole cause chain; the body holds none of the
//! cause. Events are captured with a tracing-subscriber layer.
#![cfg(all(feature = "tracing", feature = "axum"))]

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::routing::get;
use error_spec::axum::{Path, ServerConfig, contract_middleware};
use error_spec::log::LogLevels;
use error_spec::{ApiError, ErrorCode};
use http::{Request, StatusCode};
use tower::ServiceExt;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// One captured event: its level and every field as text.
#[derive(Debug, Clone)]
struct Captured {
    level: Level,
    fields: BTreeMap<String, String>,
}

impl Captured {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Captured>>>);

impl Capture {
    fn events(&self) -> Vec<Captured> {
        self.0.lock().expect("not poisoned").clone()
    }
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.0.lock().expect("not poisoned").push(Captured {
            level: *event.metadata().level(),
            fields,
        });
    }
}

/// An error with a cause of its own, as a server's storage layer would return.
#[derive(Debug)]
struct LoadRun {
    id: u64,
    source: std::io::Error,
}

impl fmt::Display for LoadRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "loading run {}", self.id)
    }
}

impl std::error::Error for LoadRun {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn app(config: ServerConfig) -> Router {
    Router::new()
        .route("/", get(|| async { "ok" }))
        .route(
            "/runs/{id}",
            get(|Path(id): Path<u64>| async move {
                let io = std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "open /var/lib/runs/7.json: permission denied",
                );
                Err::<(), _>(
                    ApiError::internal(LoadRun { id, source: io })
                        .with_run_id("run_7")
                        .with_task_id("task_9"),
                )
            }),
        )
        .route(
            "/bad",
            get(|| async { Err::<(), _>(ApiError::new(ErrorCode::InvalidRequest)) }),
        )
        .layer(axum::middleware::from_fn_with_state(
            config,
            contract_middleware,
        ))
}

/// Sends one request with `X-Request-Id: ticket-123` and captures the events it causes.
async fn capture(config: ServerConfig, uri: &str) -> (StatusCode, String, Vec<Captured>) {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _default = tracing::subscriber::set_default(subscriber);
    let request = Request::get(uri)
        .header("x-request-id", "ticket-123")
        .body(Body::empty())
        .expect("a request");
    let response = app(config).oneshot(request).await.expect("infallible");
    let status = response.status();
    assert_eq!(response.headers()["x-request-id"], "ticket-123");
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("a body");
    let body = String::from_utf8(body.to_vec()).expect("UTF-8");
    (status, body, capture.events())
}

fn config() -> ServerConfig {
    ServerConfig::new("https://docs.test/errors")
}

#[tokio::test]
async fn an_internal_error_is_one_error_event_with_its_cause_chain() {
    let (status, body, events) = capture(config(), "/runs/7").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(events.len(), 1, "logged exactly once: {events:?}");
    let event = &events[0];
    assert_eq!(event.level, Level::ERROR);
    assert_eq!(event.field("request_id"), Some("ticket-123"));
    assert_eq!(event.field("error.type"), Some("internal_error"));
    assert_eq!(event.field("http.response.status_code"), Some("500"));
    assert_eq!(event.field("http.request.method"), Some("GET"));
    assert_eq!(event.field("http.route"), Some("/runs/{id}"));
    assert_eq!(event.field("run_id"), Some("run_7"));
    assert_eq!(event.field("task_id"), Some("task_9"));
    assert_eq!(
        event.field("exception.message"),
        Some("loading run 7: open /var/lib/runs/7.json: permission denied"),
        "the whole chain, outermost first"
    );
    // The body has the ids and the code, and none of the cause.
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(json["error"], "internal_error");
    assert_eq!(json["request_id"], "ticket-123");
    assert_eq!(json["run_id"], "run_7");
    for secret in ["permission denied", "7.json", "loading run", "/var/lib"] {
        assert!(
            !body.contains(secret),
            "{secret:?} leaked into the body: {body}"
        );
    }
}

#[tokio::test]
async fn a_client_error_is_quieter_and_a_success_is_not_logged() {
    let (status, _, events) = capture(config(), "/bad").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].level, Level::INFO);
    assert_eq!(events[0].field("error.type"), Some("invalid_request"));
    assert_eq!(
        events[0].field("exception.message"),
        None,
        "no cause, no field"
    );

    let (status, _, events) = capture(config(), "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(events.is_empty(), "{events:?}");
}

#[tokio::test]
async fn the_routers_own_errors_are_logged_too() {
    let (status, _, events) = capture(config(), "/nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].field("error.type"), Some("not_found"));
    assert_eq!(events[0].field("http.route"), None, "no route matched");
}

#[tokio::test]
async fn levels_are_configurable() {
    let levels = LogLevels::DEFAULT
        .with_client_errors(Some(Level::WARN))
        .with_server_errors(Some(Level::WARN));
    let (_, _, events) = capture(config().with_log_levels(levels), "/bad").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].level, Level::WARN);
    let (_, _, events) = capture(config().with_log_levels(levels), "/runs/7").await;
    assert_eq!(events[0].level, Level::WARN);

    let silent = LogLevels::DEFAULT.with_client_errors(None);
    let (_, _, events) = capture(config().with_log_levels(silent), "/bad").await;
    assert!(events.is_empty(), "{events:?}");
    let (_, _, events) = capture(config().with_log_levels(silent), "/runs/7").await;
    assert_eq!(events.len(), 1, "5xx still logged");
}
