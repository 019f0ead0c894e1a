//! An axum server whose every error is the contract's: handlers return `ApiError`, axum's
//! rejections and the router's own errors are mapped, and the middleware adds the request
//! id and rate-limit headers. `docs/errors.md` quotes the part between the `docs:` markers.
//!
//! Run it with `cargo run -p error-spec --features axum --example server`: it sends four
//! requests through the router and prints the answers.

use axum::body::Body;
use http::Request;
use tower::ServiceExt;

// docs:start
use axum::Router;
use axum::routing::{get, post};
use error_spec::axum::{Json, Path, ServerConfig, contract_middleware};
use error_spec::{ApiError, ErrorCode, JsonPointer, UserMessage};

#[derive(serde::Deserialize)]
struct CreateRun {
    prompt: String,
}

/// A malformed body or a wrong field never reaches the handler: `Json` rejects it with
/// `invalid_request` or `validation_error` and the field's JSON pointer.
async fn create_run(Json(run): Json<CreateRun>) -> Result<String, ApiError> {
    if run.prompt.trim().is_empty() {
        return Err(ApiError::new(ErrorCode::ValidationError).with_field_error(
            JsonPointer::root().push("prompt"),
            UserMessage::user_safe("must not be blank"),
        ));
    }
    Ok("run_01HZX3Q8W6".to_owned())
}

/// The run store: `run_ok` exists, `run_disk_error` sits on a failing disk, the rest
/// do not exist.
fn load_run(id: &str) -> Result<Option<String>, std::io::Error> {
    match id {
        "run_ok" => Ok(Some("run_ok: succeeded".to_owned())),
        "run_disk_error" => Err(std::io::Error::other("read /srv/runs/run_disk_error: EIO")),
        _ => Ok(None),
    }
}

async fn get_run(Path(id): Path<String>) -> Result<String, ApiError> {
    match load_run(&id) {
        Ok(Some(run)) => Ok(run),
        Ok(None) => Err(ApiError::new(ErrorCode::NotFound).with_run_id(id)),
        // The cause is kept for logs (`Error::source`) and never reaches the body.
        Err(io) => Err(ApiError::internal(io)),
    }
}

fn app() -> Router {
    Router::new()
        .route("/runs", post(create_run))
        .route("/runs/{id}", get(get_run))
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new("https://docs.example.com/errors"),
            contract_middleware,
        ))
}
// docs:end

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let requests = [
        Request::post("/runs")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"prompt": 5}"#)),
        Request::get("/runs/run_404").body(Body::empty()),
        Request::get("/nowhere").body(Body::empty()),
        Request::get("/runs/run_disk_error").body(Body::empty()),
    ];
    for request in requests {
        let request = request.expect("a valid request");
        let line = format!("{} {}", request.method(), request.uri());
        let response = app()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("in memory");
        let body: serde_json::Value = serde_json::from_slice(&bytes).expect("always JSON");
        println!("{line} -> {status} {body}");
        assert!(status.is_client_error() || body["error"] == "internal_error");
        assert!(body["error"].is_string() && body["request_id"].is_string());
        // The io error's text is the cause, for logs only.
        assert!(!String::from_utf8_lossy(&bytes).contains("/srv/runs"));
    }
}

/// `cargo test --all-features` runs the example, so the docs' snippet is exercised.
#[test]
fn example_runs() {
    main();
}
