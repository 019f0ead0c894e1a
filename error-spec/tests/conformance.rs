//! `contract_middleware` knows each route's declared codes: an error response whose code
//! the route's operation does not declare is logged at ERROR with the route and the code,
//! and in strict mode panics; `Api::check_response` asserts one response conforms.
#![cfg(all(feature = "tracing", feature = "axum"))]

use std::fmt;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::routing::get;
use error_spec::axum::{ServerConfig, contract_middleware};
use error_spec::operation::{Api, LayerErrors, Wraps};
use error_spec::{ApiError, ErrorCode};
use http::{Request, StatusCode};
use tower::ServiceExt;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

#[error_spec::operation(get, path = "/runs/{run_id}", errors(NotFound))]
async fn get_run(
    axum::extract::Path(run_id): axum::extract::Path<String>,
) -> Result<&'static str, ApiError> {
    // A plain `ApiError` is what a handler that skips its narrowed type returns: nothing
    // stops it at compile time, so the middleware must catch it.
    match run_id.as_str() {
        "run_running" => Err(ApiError::new(ErrorCode::Conflict)),
        "run_limited" => Err(ApiError::rate_limited(3)),
        _ => Err(GetRunError::not_found().with_run_id(run_id).into()),
    }
}

const API: Api = Api::new(&[&GetRunError::OPERATION]).with_layers(&[LayerErrors::new(
    "limiter",
    &[ErrorCode::RateLimitExceeded],
    Wraps::Every,
)]);

fn app(strict: bool) -> Router {
    Router::new()
        .route("/runs/{run_id}", get(get_run))
        .route(
            "/health",
            get(|| async { Err::<(), _>(ApiError::new(ErrorCode::Gone)) }),
        )
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new("https://docs.example.com/errors")
                .with_api(API)
                .with_strict(strict),
            contract_middleware,
        ))
}

async fn call(app: Router, path: &str) -> (StatusCode, http::HeaderMap, Vec<u8>) {
    let response = app
        .oneshot(Request::get(path).body(Body::empty()).expect("a request"))
        .await
        .expect("infallible");
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, 1 << 20).await.expect("a body");
    (parts.status, parts.headers, bytes.to_vec())
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<(Level, String)>>>);

struct Text<'a>(&'a mut String);

impl Visit for Text<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push_str(&format!("{}={value} ", field.name()));
    }
}

impl<S: Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut text = String::new();
        event.record(&mut Text(&mut text));
        self.0
            .lock()
            .expect("not poisoned")
            .push((*event.metadata().level(), text));
    }
}

#[tokio::test]
async fn an_undeclared_code_is_logged_at_error_with_the_route_and_the_code() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let (status, _, _) = call(app(false), "/runs/run_running").await;
    // Not strict: the answer still goes out as the handler made it.
    assert_eq!(status, StatusCode::CONFLICT);
    let events = capture.0.lock().expect("not poisoned").clone();
    let violation: Vec<_> = events
        .iter()
        .filter(|(_, text)| text.contains("undeclared error code"))
        .collect();
    assert_eq!(violation.len(), 1, "{events:?}");
    let (level, text) = violation[0];
    assert_eq!(*level, Level::ERROR);
    assert!(text.contains("http.route=/runs/{run_id}"), "{text}");
    assert!(text.contains("operation=getRun"), "{text}");
    assert!(text.contains("error.type=conflict"), "{text}");
}

#[tokio::test]
async fn declared_codes_and_layer_codes_pass_silently() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    assert_eq!(
        call(app(true), "/runs/run_nope").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(app(true), "/runs/run_limited").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A route that is no operation of the `Api` is not checked.
    assert_eq!(call(app(true), "/health").await.0, StatusCode::GONE);
    let events = capture.0.lock().expect("not poisoned").clone();
    assert!(
        !events.iter().any(|(_, text)| text.contains("undeclared")),
        "{events:?}"
    );
}

#[tokio::test]
#[should_panic(
    expected = "contract violation: GET /runs/{run_id} (operation `getRun`) answered `conflict`"
)]
async fn in_strict_mode_an_undeclared_code_panics() {
    let _ = call(app(true), "/runs/run_running").await;
}

// Where debug assertions are on (the dev and test profiles) strict is the default.
#[cfg(debug_assertions)]
#[test]
fn strict_is_the_default_in_debug_builds() {
    let config = format!("{:?}", ServerConfig::new("https://docs.example.com/errors"));
    assert!(config.contains("strict: true"), "{config}");
}

#[tokio::test]
async fn check_response_accepts_a_conforming_answer_and_names_each_problem() {
    let (status, headers, body) = call(app(false), "/runs/run_nope").await;
    API.check_response("GET", "/runs/{run_id}", status, &headers, &body)
        .assert();

    let (status, headers, body) = call(app(false), "/runs/run_running").await;
    let violation = API
        .check_response("GET", "/runs/{run_id}", status, &headers, &body)
        .result()
        .expect_err("conflict is not declared");
    assert_eq!(violation.operation, Some("getRun"));
    assert_eq!(
        violation.problems,
        [
            "the code `conflict` is not declared by `getRun`, which answers `not_found`, `rate_limit_exceeded`"
        ]
    );

    // A 429 without its Retry-After breaks the header rule.
    let (status, mut headers, body) = call(app(false), "/runs/run_limited").await;
    headers.remove("retry-after");
    let violation = API
        .check_response("GET", "/runs/{run_id}", status, &headers, &body)
        .result()
        .expect_err("Retry-After is missing");
    assert_eq!(
        violation.problems,
        ["`rate_limit_exceeded` needs `Retry-After`, and the response has none"]
    );
}
