//! Request logging with tracing: one line per request, with the status and the request id
//! the contract's middleware gave the response.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use error_spec::headers::X_REQUEST_ID;

/// Middleware: logs the method, path, status, request id and latency of every request;
/// server errors at `warn`, everything else at `info`.
pub(crate) async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let start = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get(X_REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    let micros = start.elapsed().as_micros();
    if response.status().is_server_error() {
        tracing::warn!(%method, path, status, request_id, micros, "request");
    } else {
        tracing::info!(%method, path, status, request_id, micros, "request");
    }
    response
}
