//! The API in miniature: an axum server with an in-memory store that answers every error code
//! of the contract, built only on the public API of `error-spec` and `error-spec-openapi`.
//!
//! [`app`] is the router, [`serve`] runs it on a listener; the binary (`src/main.rs`) parses
//! `--listen` and the other flags into a [`Config`]. The README lists, for each of the 16
//! codes, a request that gets it.

#![deny(missing_docs)]

mod account;
mod auth;
mod caller;
mod config;
mod files;
mod models;
mod openapi;
mod runs;
mod state;
mod store;
mod tasks;
mod trace;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use error_spec::axum::{ServerConfig, contract_middleware};
use error_spec::limit::Limiter;
use error_spec::panic::catch_panic_layer;

pub use config::{Config, DEMO_KEYS, DemoKey};
pub use openapi::document;

use state::AppState;

/// The router with every route and layer, on a fresh store seeded with the demo keys.
///
/// The layers, outermost first: request logging; `contract_middleware`, which gives every
/// response its request id and rate-limit headers, renders every error and logs it with its
/// cause; the panic catcher, so a panic is an `internal_error` like any other; the tier
/// limiter (`error_spec::limit`), which counts each request against its key.
pub fn app(config: Config) -> Router {
    let store = Arc::new(store::Store::seeded(config.retention));
    let limiter = Limiter::new();
    let subject_store = Arc::clone(&store);
    let state = AppState {
        store,
        config: Arc::new(config),
    };
    Router::new()
        .route("/openapi.json", get(openapi::serve))
        .route("/verify", get(account::verify))
        .route("/webhooks", post(account::create_webhook))
        .route("/runs", post(runs::create))
        .route("/runs/{run_id}", get(runs::get))
        .route("/runs/{run_id}/download", get(runs::download))
        .route("/tasks/{task_id}", get(tasks::get))
        .route("/files", post(files::upload))
        .route("/files/{file_id}", get(files::get).delete(files::delete))
        .layer(DefaultBodyLimit::max(config::MAX_JSON_BODY))
        .layer(limiter.layer(move |parts| auth::subject(&subject_store, parts)))
        .layer(catch_panic_layer())
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new(state.config.doc_base.clone()),
            contract_middleware,
        ))
        .layer(axum::middleware::from_fn(trace::log))
        .with_state(state)
}

// The README's code blocks are checked like the crate's docs.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Serves [`app`] on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, config: Config) -> std::io::Result<()> {
    axum::serve(listener, app(config)).await
}
