//! The API in miniature: an axum server with an in-memory store that answers every error code
//! of the contract, built only on the public API of `error-spec` and `error-spec-openapi`.
//!
//! [`app`] is the router, [`serve`] runs it on a listener; the binary (`src/main.rs`) parses
//! `--listen` and the other flags into a [`Config`]. With [`Config::redis_url`] the tier
//! limiter keeps its counts in Redis, so that several replicas hold one limit. The README lists, for each of the 16
//! codes, a request that gets it.

#![deny(missing_docs)]

mod account;
mod api;
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
use error_spec::limit::{Backend, BackendError, Limiter, RedisBackend};
use error_spec::panic::catch_panic_layer;

pub use api::{API, API_ON_REDIS};
pub use config::{Config, DEMO_KEYS, DemoKey};
pub use openapi::{document, document_3_0};

use state::AppState;

/// The router with every route and layer, on a fresh store seeded with the demo keys; the
/// tier limiter keeps its counts in this process, or in the Redis of
/// [`Config::redis_url`] so that replicas share one limit.
///
/// The layers, outermost first, in the order `docs/operations.md` documents: request
/// logging; `contract_middleware`, which gives every response its request id and rate-limit
/// headers, renders every error and logs it with its cause; the tier limiter
/// (`error_spec::limit`), which counts each request against its key; the panic catcher, so
/// that a panic is an `internal_error` answered back through the limiter and carries the
/// key's rate-limit headers like any other answer.
///
/// # Errors
///
/// A [`StartError`] when [`Config::redis_url`] is not a Redis URL. Redis itself is reached
/// lazily: a server starts while its Redis is down and answers by the outage policy.
pub fn app(config: Config) -> Result<Router, StartError> {
    let store = Arc::new(store::Store::seeded(config.retention));
    let state = AppState {
        store,
        config: Arc::new(config),
    };
    match state.config.redis_url.as_deref() {
        None => Ok(stack(routes(), &Limiter::new(), state)),
        Some(url) => {
            let backend = RedisBackend::open(url)
                .map_err(StartError::redis)?
                .with_prefix(REDIS_PREFIX)
                .with_outage_policy(state.config.on_redis_outage);
            Ok(stack(routes(), &Limiter::with_backend(backend), state))
        }
    }
}

/// The prefix of every Redis key the replicas share.
const REDIS_PREFIX: &str = "error-spec-reference:";

/// Every route.
fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::serve))
        .route("/openapi-3.0.json", get(openapi::serve_3_0))
        .route("/verify", get(account::verify))
        .route("/webhooks", post(account::create_webhook))
        .route("/runs", post(runs::create))
        .route("/runs/{run_id}", get(runs::get))
        .route("/runs/{run_id}/download", get(runs::download))
        .route("/tasks/{task_id}", get(tasks::get))
        .route("/files", post(files::upload))
        .route("/files/{file_id}", get(files::get).delete(files::delete))
}

/// `routes` inside the layers, in the documented order (see [`app`]).
fn stack<B: Backend>(routes: Router<AppState>, limiter: &Limiter<B>, state: AppState) -> Router {
    let subject_store = Arc::clone(&state.store);
    routes
        .layer(DefaultBodyLimit::max(config::MAX_JSON_BODY))
        .layer(catch_panic_layer())
        .layer(limiter.layer(move |parts| auth::subject(&subject_store, parts)))
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new(state.config.doc_base.clone())
                .with_api(api::for_config(&state.config)),
            contract_middleware,
        ))
        .layer(axum::middleware::from_fn(trace::log))
        .with_state(state)
}

/// Why the server cannot start.
#[derive(Debug)]
pub struct StartError(String);

impl StartError {
    fn redis(err: BackendError) -> Self {
        // The URL itself is not repeated: it may hold a password.
        let cause = std::error::Error::source(&err).map_or_else(String::new, |s| format!(": {s}"));
        StartError(format!("`--redis-url` is not a usable Redis URL{cause}"))
    }
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

// The README's code blocks are checked like the crate's docs.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Serves [`app`] on `listener` until the process ends.
///
/// # Errors
///
/// The [`StartError`] of [`app`], or the listener's I/O error.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    axum::serve(listener, app(config)?).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serves `router` on a free loopback port and answers a `GET` of `path` with the free
    /// demo key: the status and the response's headers.
    async fn get_with_free_key(router: Router, path: &str) -> (u16, http::HeaderMap) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let addr = listener.local_addr().expect("bound");
        tokio::spawn(async move { axum::serve(listener, router).await });
        let response = reqwest::Client::new()
            .get(format!("http://{addr}{path}"))
            .bearer_auth(DEMO_KEYS[0].key)
            .send()
            .await
            .expect("the server answers");
        (response.status().as_u16(), response.headers().clone())
    }

    fn panicking() -> Router<AppState> {
        routes().route(
            "/panic",
            get(|| async {
                if true {
                    panic!("a handler's bug");
                }
                "unreachable"
            }),
        )
    }

    fn state() -> AppState {
        AppState {
            store: Arc::new(store::Store::seeded(Config::default().retention)),
            config: Arc::new(Config::default()),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panic_is_answered_with_the_rate_limit_headers() {
        let (status, headers) =
            get_with_free_key(stack(panicking(), &Limiter::new(), state()), "/panic").await;
        assert_eq!(status, 500);
        assert_eq!(headers["x-ratelimit-limit"], "10");
        assert_eq!(headers["x-ratelimit-remaining"], "9");
        assert!(headers.contains_key("x-request-id"));
    }
}
