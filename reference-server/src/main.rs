//! `error-spec-reference-server [--listen ADDR] [--sync-ceiling-ms N] [--pool-size N]
//! [--redis-url URL] [--on-redis-outage unavailable|local-fallback]`: serves the reference
//! server, 127.0.0.1:8080 by default, and prints the demo keys. `REFERENCE_SERVER_REDIS_URL`
//! sets the Redis URL when the flag is absent.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use error_spec::limit::OutagePolicy;
use error_spec_reference_server::{Config, DEMO_KEYS};

/// Serves the reference server and prints the demo keys.
///
/// A usage error names the flag and exits 2.
#[derive(Debug, Parser)]
#[command(name = "error-spec-reference-server")]
struct Args {
    /// The address to listen on; port 0 picks a free one.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// How long a synchronous run may take before it is answered
    /// `sync_timeout_upgrade_async`, in milliseconds.
    #[arg(long, value_name = "N")]
    sync_ceiling_ms: Option<u64>,
    /// How many runs may execute at once across all keys.
    #[arg(long, value_name = "N")]
    pool_size: Option<usize>,
    /// The Redis the tier limits are shared in, so that replicas hold one limit
    /// (`REFERENCE_SERVER_REDIS_URL` when absent).
    #[arg(long, value_name = "URL")]
    redis_url: Option<String>,
    /// What the limiter does while Redis cannot answer.
    #[arg(long, value_enum, value_name = "POLICY")]
    on_redis_outage: Option<Outage>,
}

/// `--on-redis-outage`'s values.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Outage {
    /// Answer `service_unavailable`.
    Unavailable,
    /// Each replica enforces the tiers on its own.
    LocalFallback,
}

/// The Redis URL when `--redis-url` is absent. Not `ERROR_SPEC_REDIS_URL`, which CI sets for
/// the crate's own Redis tests: a server started by a test must not pick it up unasked.
const REDIS_URL_ENV: &str = "REFERENCE_SERVER_REDIS_URL";

fn main() -> ExitCode {
    tracing_subscriber::fmt().with_target(false).init();
    // `parse` prints `--help` and exits 0, or prints a usage error naming the flag and
    // exits 2.
    let (listen, config) = config(Args::parse());
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
                eprintln!("error: {err}");
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

/// The address and configuration from the command line; the configuration's defaults for
/// what it does not set.
fn config(args: Args) -> (SocketAddr, Config) {
    let mut config = Config::default();
    let redis_url = args.redis_url.or_else(|| {
        std::env::var(REDIS_URL_ENV)
            .ok()
            .filter(|url| !url.is_empty())
    });
    if let Some(url) = redis_url {
        config = config.with_redis_url(url);
    }
    if let Some(ms) = args.sync_ceiling_ms {
        config = config.with_sync_ceiling(Duration::from_millis(ms));
    }
    if let Some(size) = args.pool_size {
        config = config.with_pool_size(size);
    }
    if let Some(outage) = args.on_redis_outage {
        config = config.with_outage_policy(match outage {
            Outage::Unavailable => OutagePolicy::Unavailable,
            Outage::LocalFallback => OutagePolicy::LocalFallback,
        });
    }
    (args.listen, config)
}
