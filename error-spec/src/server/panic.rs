//! A panicking handler still answers the contract, behind the `panic` feature.
//!
//! [`catch_panic_layer`] is tower-http's `CatchPanicLayer` with a handler that answers
//! `internal_error`. Put it inside
//! [`contract_middleware`](crate::axum::contract_middleware): the middleware then renders
//! the answer with the request's id and logs the panic's message as the cause, like any
//! other `internal_error`.
//!
//! ```
//! use axum::{Router, routing::get};
//! use error_spec::axum::{ServerConfig, contract_middleware};
//! use error_spec::panic::catch_panic_layer;
//!
//! let app: Router = Router::new()
//!     .route("/", get(|| async { "ok" }))
//!     .layer(catch_panic_layer())
//!     .layer(axum::middleware::from_fn_with_state(
//!         ServerConfig::new("https://docs.example.com/errors"),
//!         contract_middleware,
//!     ));
//! # let _ = app;
//! ```

use std::any::Any;
use std::fmt;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

use crate::ApiError;

/// The handler [`catch_panic_layer`] gives tower-http.
pub type PanicHandler = fn(Box<dyn Any + Send + 'static>) -> Response<Body>;

/// The codes [`catch_panic_layer`] adds to every operation it wraps, declared once here for
/// an [`Api`](crate::operation::Api): `internal_error`.
pub const ERRORS: crate::operation::LayerErrors = crate::operation::LayerErrors::new(
    "panic catcher",
    &[crate::ErrorCode::InternalError],
    crate::operation::Wraps::Every,
);

/// tower-http's `CatchPanicLayer` answering `internal_error` with the contract's body.
pub fn catch_panic_layer() -> CatchPanicLayer<PanicHandler> {
    CatchPanicLayer::custom(panic_response as PanicHandler)
}

/// The answer to a panic: `internal_error`, the panic's message kept as the cause for logs.
pub fn panic_response(payload: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let message = if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a payload that is not text".to_owned()
    };
    ApiError::internal(Panicked(message)).into_response()
}

/// The cause of an `internal_error` that was a panic.
#[derive(Debug)]
struct Panicked(String);

impl fmt::Display for Panicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "handler panicked: {}", self.0)
    }
}

impl std::error::Error for Panicked {}
