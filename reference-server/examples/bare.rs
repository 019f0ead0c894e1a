//! The reference server's handlers on bare axum, without error-spec's layers
//! ([`error_spec_reference_server::bare_app`]): the floor of the load run in `.ci/load`.
//!
//! `cargo run --release -p error-spec-reference-server --example bare -- --listen 127.0.0.1:8081`

use std::process::ExitCode;

use error_spec_reference_server::{Config, bare_app};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let listen = match (args.next().as_deref(), args.next()) {
        (Some("--listen"), Some(addr)) => addr,
        (None, _) => "127.0.0.1:8081".to_owned(),
        _ => {
            eprintln!("usage: bare [--listen ADDR]");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&listen).await {
            Ok(listener) => listener,
            Err(err) => {
                eprintln!("error: cannot listen on {listen}: {err}");
                return ExitCode::FAILURE;
            }
        };
        eprintln!("bare: listening on http://{listen}");
        match axum::serve(listener, bare_app(Config::default())).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::FAILURE
            }
        }
    })
}
