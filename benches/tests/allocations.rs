//! Heap allocations per request on each path, error-spec's stack against the peer stack, with
//! a counting global allocator: counts are deterministic, unlike times, so this test may
//! assert them. error-spec's stack allocates no more than the peer on any path, untraced
//! and traced.
//!
//! `cargo test -p error-benches --test allocations -- --nocapture` prints the table the
//! README quotes.

use std::alloc::System;

use axum::Router;
use axum::body::Body;
use error_benches::stacks::{Fixture, Path, bare_request, formatting_subscriber, send};
use http::Request;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Requests measured per count, after as many to warm up (the limiter's maps, tracing's
/// thread-local buffers, the runtime).
const N: usize = 200;

/// Allocations per request of `router`, the requests built beforehand so that only the
/// stack's work is counted; `tick` runs before each request, as in the benches.
fn per_request(
    runtime: &tokio::runtime::Runtime,
    router: &Router,
    request: &dyn Fn() -> Request<Body>,
    tick: &dyn Fn(),
) -> f64 {
    let run = |n: usize| {
        let requests: Vec<_> = (0..n).map(|_| request()).collect();
        let region = Region::new(GLOBAL);
        for request in requests {
            tick();
            drop(runtime.block_on(send(router, request)));
        }
        region.change().allocations
    };
    run(N);
    run(N) as f64 / N as f64
}

#[test]
fn error_spec_allocates_no_more_than_the_peer_on_any_path() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let mut table =
        String::from("| path | error-spec | peer | bare axum |\n| --- | --- | --- | --- |\n");
    let mut failures = Vec::new();
    for traced in [false, true] {
        for path in Path::ALL {
            let fixture = Fixture::new(path);
            runtime.block_on(fixture.prepare());
            let tick = || fixture.tick();
            let measure = |router: &Router, request: &dyn Fn() -> Request<Body>| {
                if traced {
                    tracing::subscriber::with_default(formatting_subscriber(), || {
                        per_request(&runtime, router, request, &tick)
                    })
                } else {
                    per_request(&runtime, router, request, &tick)
                }
            };
            let ours = measure(&fixture.error_spec, &|| path.request());
            let theirs = measure(&fixture.peer, &|| path.request());
            let bare = measure(&fixture.bare, &|| bare_request(path));
            let name = format!("{}{}", path.name(), if traced { ", traced" } else { "" });
            table.push_str(&format!("| {name} | {ours} | {theirs} | {bare} |\n"));
            if ours > theirs {
                failures.push(format!("{name}: error-spec {ours} > peer {theirs}"));
            }
        }
    }
    println!("allocations per request\n{table}");
    assert!(failures.is_empty(), "{failures:#?}\n{table}");
}
