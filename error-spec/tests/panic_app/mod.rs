//! The app both panic test binaries serve: a handler that panics with a secret in its
//! message, and one that answers, under the catcher and the contract middleware.

use axum::Router;
use axum::routing::get;
use error_spec::axum::{ServerConfig, contract_middleware};
use error_spec::panic::catch_panic_layer;

/// The app under test: `/boom` panics, `/ok` answers `ok`.
pub(crate) fn app() -> Router {
    Router::new()
        .route(
            "/boom",
            get(|| async {
                let secret = "postgres://admin:hunter2@db";
                panic!("cannot connect to {secret}");
                #[allow(unreachable_code, reason = "the handler's type needs a body")]
                "unreachable"
            }),
        )
        .route("/ok", get(|| async { "ok" }))
        .layer(catch_panic_layer())
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new("https://docs.test/errors"),
            contract_middleware,
        ))
}
