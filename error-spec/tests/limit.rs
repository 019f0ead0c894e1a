//! The `limit` feature with the in-process backend: the shared suite over real TCP, and
//! memory that stays flat under a flood of one-off keys.
#![cfg(feature = "limit")]

mod limit_suite;

use std::time::Duration;

use error_spec::limit::{Backend, Decision, Limiter, ManualClock, MemoryBackend, Subject};
use error_spec::tier;
use limit_suite::*;

fn limiter(clock: &ManualClock) -> Limiter<MemoryBackend> {
    Limiter::with_backend(MemoryBackend::with_clock(clock.clone()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tier_limits_hold_under_concurrency_in_process() {
    let clock = ManualClock::default();
    let server = serve(limiter(&clock)).await;
    tier_limits_hold_under_concurrency(&[server], &clock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_is_the_real_wait_in_process() {
    let clock = ManualClock::default();
    let server = serve(limiter(&clock)).await;
    retry_after_is_the_real_wait(&server, &clock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_isolated_in_process() {
    let clock = ManualClock::default();
    keys_are_isolated(&serve(limiter(&clock)).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_the_headers_in_process() {
    let clock = ManualClock::default();
    every_answer_carries_the_headers(&serve(limiter(&clock)).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_runs_hold_exactly_in_process() {
    let clock = ManualClock::default();
    concurrent_runs_hold_exactly(&[serve(limiter(&clock)).await]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saturation_answers_service_unavailable_in_process() {
    let clock = ManualClock::default();
    let server = serve(limiter(&clock).with_max_in_flight(3)).await;
    saturation_answers_service_unavailable(&server, 3).await;
}

/// A flood of random keys, round after round: the keys of a round are held while they are
/// recent and dropped once idle, so what the backend holds does not grow with the rounds.
#[tokio::test]
async fn memory_stays_flat_under_a_flood_of_random_keys() {
    let clock = ManualClock::default();
    let backend = MemoryBackend::with_clock(clock.clone());
    let free = tier("free").expect("the free tier");
    const PER_ROUND: usize = 20_000;
    let mut held_after_rounds = Vec::new();
    for round in 0..5 {
        for n in 0..PER_ROUND {
            let key = format!("flood-{round}-{n}");
            let decision = backend.check(&key, free).await.expect("in process");
            assert!(
                matches!(decision, Decision::Allow(_)),
                "a fresh key is admitted"
            );
        }
        assert!(
            backend.tracked_keys() >= PER_ROUND,
            "a recent key's state is held: {}",
            backend.tracked_keys()
        );
        // A minute later every key of the round is idle; the next check sweeps them.
        clock.advance(Duration::from_secs(61));
        backend.check("sweeper", free).await.expect("in process");
        held_after_rounds.push(backend.tracked_keys());
    }
    assert!(
        held_after_rounds.iter().all(|&held| held <= 1),
        "idle keys expire: {held_after_rounds:?}"
    );
}

/// 100,000 distinct keys through the limiter, swept while still recent, then a trickle of
/// one request a second: the flood's state is dropped within a minute, not after the 1024th
/// next request. A limiter that never evicts idle keys fails here.
#[tokio::test]
async fn a_flood_of_100_000_keys_is_evicted_once_idle_even_under_a_trickle() {
    let clock = ManualClock::default();
    let limiter = limiter(&clock);
    let free = tier("free").expect("the free tier");
    for n in 0..100_000 {
        let subject = Subject::new(format!("sk_live_flood_{n:012}"), free);
        limiter
            .check(&subject)
            .await
            .expect("a fresh key is admitted");
    }
    assert_eq!(
        limiter.backend().tracked_keys(),
        100_000,
        "recent keys are held"
    );
    // Two seconds later a check sweeps (the flood was over 1024 checks), but every key is
    // still recent: its one request comes back 6 s after it on the free tier.
    // The trickling key is on the pro tier, whose 60 a minute allow one a second.
    let trickle = Subject::new("trickle", tier("pro").expect("the pro tier"));
    clock.advance(Duration::from_secs(2));
    limiter.check(&trickle).await.expect("admitted");
    assert_eq!(
        limiter.backend().tracked_keys(),
        100_001,
        "recent keys survive a sweep"
    );
    // Then one request a second, far fewer than 1024: within a minute the flood is gone.
    let mut held = Vec::new();
    for _ in 0..61 {
        clock.advance(Duration::from_secs(1));
        limiter.check(&trickle).await.expect("admitted");
        held.push(limiter.backend().tracked_keys());
    }
    assert_eq!(
        held.last(),
        Some(&1),
        "only the trickling key is held a minute after the flood went idle: {held:?}"
    );
}

/// A key that keeps sending is not swept while its state matters.
#[tokio::test]
async fn a_busy_key_keeps_its_count_through_sweeps() {
    let clock = ManualClock::default();
    let backend = MemoryBackend::with_clock(clock.clone());
    let free = tier("free").expect("the free tier");
    for _ in 0..10 {
        backend.check("busy", free).await.expect("in process");
    }
    clock.advance(Duration::from_secs(2));
    backend.check("other", free).await.expect("in process");
    let decision = backend.check("busy", free).await.expect("in process");
    assert!(
        matches!(
            decision,
            Decision::Deny {
                retry_after_secs: 4,
                ..
            }
        ),
        "{decision:?}"
    );
}

/// A run guard moved into a task holds the slot after the request is long gone, and frees
/// it when the task ends.
#[tokio::test]
async fn a_run_guard_outlives_its_request() {
    let limiter = Limiter::new();
    let free = tier("free").expect("the free tier");
    let subject = Subject::new("runner", free);
    let first = limiter.acquire_run(&subject).await.expect("a slot");
    let second = limiter.acquire_run(&subject).await.expect("a slot");
    let refused = limiter
        .acquire_run(&subject)
        .await
        .expect_err("two runs at most");
    assert_eq!(refused.code(), error_spec::ErrorCode::RateLimitExceeded);
    let run = tokio::spawn(async move {
        tokio::task::yield_now().await;
        drop(first);
    });
    run.await.expect("the run ends");
    let third = limiter
        .acquire_run(&subject)
        .await
        .expect("the ended run's slot");
    drop((second, third));
    assert_eq!(limiter.backend().tracked_keys(), 0, "no runs, no state");
}
