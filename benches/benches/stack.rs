//! The server stack's per-request cost on three paths (a success, an error with a cause, a
//! refused 429), with tracing off and on: error-spec's stack (`contract_middleware` and the
//! tier limiter) against the peer stack a team builds from tower-http and governor instead
//! (`error_benches::peer`, the same status, headers and body bytes:
//! `tests/same_answers.rs`) and against bare axum with the same handlers, all in one run.
//! And the limiter's check against governor's keyed limiter alone.
//!
//! Each group `stack_<path>[_traced]` has `error_spec`, `peer` and `bare`; `cargo xtask
//! bench-ratios` prints error-spec over peer and over bare.

use std::future::Future;
use std::hint::black_box;
use std::num::NonZeroU32;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use error_benches::stacks::{Fixture, Path, REFILL, bare_request, formatting_subscriber, send};
use error_spec::limit::{Limiter, ManualClock, MemoryBackend, Subject};
use error_spec::tier;
use governor::{Quota, RateLimiter};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
}

/// One path through the three servers, in one group.
fn path(c: &mut Criterion, path: Path, traced: bool) {
    let rt = runtime();
    let fixture = Fixture::new(path);
    rt.block_on(fixture.prepare());
    let name = format!(
        "stack_{}{}",
        path.name(),
        if traced { "_traced" } else { "" }
    );
    let mut group = c.benchmark_group(name);
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let run = |f: &mut dyn FnMut()| {
        if traced {
            tracing::subscriber::with_default(formatting_subscriber(), f);
        } else {
            f();
        }
    };
    group.bench_function("error_spec", |b| {
        run(&mut || {
            b.iter(|| {
                fixture.tick();
                black_box(rt.block_on(send(&fixture.error_spec, path.request())));
            })
        })
    });
    group.bench_function("peer", |b| {
        run(&mut || {
            b.iter(|| {
                fixture.tick();
                black_box(rt.block_on(send(&fixture.peer, path.request())));
            })
        })
    });
    group.bench_function("bare", |b| {
        run(&mut || {
            b.iter(|| {
                fixture.tick();
                black_box(rt.block_on(send(&fixture.bare, bare_request(path))));
            })
        })
    });
    group.finish();
}

fn stack(c: &mut Criterion) {
    for traced in [false, true] {
        for p in Path::ALL {
            path(c, p, traced);
        }
    }
}

/// The limiter's check for one admitted request against governor's keyed limiter alone.
fn limiter_check(c: &mut Criterion) {
    let enterprise = tier("enterprise").expect("the enterprise tier");
    let clock = ManualClock::default();
    let limiter = Limiter::with_backend(MemoryBackend::with_clock(clock.clone()));
    let subject = Subject::new("key_live_1", enterprise);
    let fake = governor::clock::FakeRelativeClock::default();
    let quota = Quota::per_minute(NonZeroU32::new(enterprise.requests_per_minute).expect("> 0"));
    // With the snapshot a server needs for `X-RateLimit-Remaining`.
    let governor = RateLimiter::dashmap_with_clock(quota, fake.clone())
        .with_middleware::<governor::middleware::StateInformationMiddleware>();
    let mut group = c.benchmark_group("limiter_check");
    // The in-process check never waits: one poll completes it, with no runtime around it.
    let mut cx = Context::from_waker(Waker::noop());
    group.bench_function("error_spec", |b| {
        b.iter(|| {
            clock.advance(REFILL);
            let check = pin!(limiter.check(black_box(&subject)));
            let Poll::Ready(state) = check.poll(&mut cx) else {
                panic!("the in-process check completes in one poll");
            };
            black_box(state.expect("admitted"));
        })
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            fake.advance(REFILL);
            // What a server writes by hand around governor: the key as an owned string.
            let key = black_box("key_live_1").to_owned();
            let snapshot = governor.check_key(&key).expect("admitted");
            black_box(snapshot.remaining_burst_capacity());
        })
    });
    group.finish();
}

criterion_group!(benches, stack, limiter_check);
criterion_main!(benches);
