//! Request logging with tracing: one line per request, with the status and the request id
//! the contract's middleware gave the response, and one line per request whose client hung
//! up before it was answered.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use error_spec::RequestId;
use error_spec::headers::X_REQUEST_ID;
use http::Method;

/// The run a request admitted, noted by `POST /runs` so that the abandonment line names it.
#[derive(Debug, Clone, Default)]
pub(crate) struct RunNote(Arc<OnceLock<String>>);

impl RunNote {
    /// Notes `run_id`; only the first note counts.
    pub(crate) fn set(&self, run_id: &str) {
        let _ = self.0.set(run_id.to_owned());
    }
}

/// Middleware: logs the method, path, status, request id and latency of every request;
/// server errors at `warn`, everything else at `info`.
///
/// It fixes the request's id before anything else runs (the client's `X-Request-Id` if it
/// is safe, else a minted one, written into the request for `contract_middleware` to echo),
/// so that a request whose client closes the connection before the answer, and whose
/// future hyper then drops, is still logged once with the id the client would have seen.
pub(crate) async fn log(mut request: Request, next: Next) -> Response {
    let request_id = RequestId::from_headers(request.headers());
    request
        .headers_mut()
        .insert(X_REQUEST_ID, request_id.to_header_value());
    let note = RunNote::default();
    request.extensions_mut().insert(note.clone());
    let mut pending = Pending {
        method: request.method().clone(),
        path: request.uri().path().to_owned(),
        request_id,
        note,
        start: Instant::now(),
        answered: false,
    };
    let response = next.run(request).await;
    pending.answered = true;
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get(X_REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    let (method, path) = (&pending.method, pending.path.as_str());
    let micros = pending.start.elapsed().as_micros();
    if response.status().is_server_error() {
        tracing::warn!(%method, path, status, request_id, micros, "request");
    } else {
        tracing::info!(%method, path, status, request_id, micros, "request");
    }
    response
}

/// A request not answered yet; dropped unanswered, it logs the abandonment.
struct Pending {
    method: Method,
    path: String,
    request_id: RequestId,
    note: RunNote,
    start: Instant,
    answered: bool,
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.answered {
            return;
        }
        let (method, path) = (&self.method, self.path.as_str());
        let request_id = self.request_id.as_str();
        let run_id = self.note.0.get().map_or("-", String::as_str);
        let micros = self.start.elapsed().as_micros();
        tracing::warn!(
            %method,
            path,
            request_id,
            run_id,
            micros,
            "request abandoned: the client closed the connection before the answer"
        );
    }
}
