//! `error-spec-reference-server [--listen ADDR] [--sync-ceiling-ms N] [--pool-size N]
//! [--redis-url URL] [--on-redis-outage unavailable|local-fallback]`: serves the reference
//! server, 127.0.0.1:8080 by default, and prints the demo keys. `REFERENCE_SERVER_REDIS_URL`
//! sets the Redis URL when the flag is absent.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use error_spec::limit::OutagePolicy;
use error_spec_reference_server::{Config, DEMO_KEYS};

const USAGE: &str = "usage: error-spec-reference-server [--listen ADDR] [--sync-ceiling-ms N] \
     [--pool-size N] [--redis-url URL] [--on-redis-outage unavailable|local-fallback]\n\
     environment: REFERENCE_SERVER_REDIS_URL, the Redis URL when --redis-url is absent";

/// The Redis URL when `--redis-url` is absent. Not `ERROR_SPEC_REDIS_URL`, which CI sets for
/// the crate's own Redis tests: a server started by a test must not pick it up unasked.
const REDIS_URL_ENV: &str = "REFERENCE_SERVER_REDIS_URL";

fn main() -> ExitCode {
    tracing_subscriber::fmt().with_target(false).init();
    let (listen, config) = match parse(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
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
    let limits = match &config.redis_url {
        None => "limits: kept in this process".to_owned(),
        Some(_) => format!(
            "limits: shared in Redis; while it is unreachable: {}",
            match config.on_redis_outage {
                OutagePolicy::LocalFallback => "each replica enforces the tiers on its own",
                _ => "service_unavailable",
            }
        ),
    };
    runtime.block_on(async move {
        // Built first, so that a bad `--redis-url` is reported before anything listens.
        let router = match error_spec_reference_server::app(config) {
            Ok(router) => router,
            Err(err) => {
                eprintln!("error: {err}\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        let listener = match tokio::net::TcpListener::bind(listen).await {
            Ok(listener) => listener,
            Err(err) => {
                eprintln!("error: cannot listen on {listen}: {err}");
                return ExitCode::FAILURE;
            }
        };
        let local = listener.local_addr().unwrap_or(listen);
        println!("listening on http://{local}");
        println!("demo keys (Authorization: Bearer <key>):");
        for demo in &DEMO_KEYS {
            let status = if demo.suspended { ", suspended" } else { "" };
            println!("  {:<12} {}{status}", demo.tier.name, demo.key);
        }
        println!("{limits}");
        match axum::serve(listener, router).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::FAILURE
            }
        }
    })
}

/// The address and configuration from the command line.
fn parse(mut args: impl Iterator<Item = String>) -> Result<(SocketAddr, Config), String> {
    let mut listen = SocketAddr::from(([127, 0, 0, 1], 8080));
    let mut config = Config::default();
    if let Some(url) = std::env::var(REDIS_URL_ENV)
        .ok()
        .filter(|url| !url.is_empty())
    {
        config = config.with_redis_url(url);
    }
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("`{flag}` needs a value"));
        let number = |text: String| {
            text.parse::<u64>()
                .map_err(|_| format!("`{flag}` needs a whole number, not `{text}`"))
        };
        match flag.as_str() {
            "--listen" => {
                let text = value()?;
                listen = text.parse().map_err(|_| {
                    format!("`--listen` needs an address like 127.0.0.1:8080, not `{text}`")
                })?;
            }
            "--sync-ceiling-ms" => {
                config = config.with_sync_ceiling(Duration::from_millis(number(value()?)?));
            }
            "--pool-size" => {
                let size = number(value()?)?;
                config = config.with_pool_size(usize::try_from(size).unwrap_or(usize::MAX));
            }
            "--redis-url" => config = config.with_redis_url(value()?),
            "--on-redis-outage" => {
                let policy = match value()?.as_str() {
                    "unavailable" => OutagePolicy::Unavailable,
                    "local-fallback" => OutagePolicy::LocalFallback,
                    other => {
                        return Err(format!(
                            "`--on-redis-outage` is `unavailable` or `local-fallback`, not `{other}`"
                        ));
                    }
                };
                config = config.with_outage_policy(policy);
            }
            "-h" | "--help" => return Err("help requested".to_owned()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok((listen, config))
}
