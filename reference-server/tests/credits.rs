//! The credit ledger over real TCP: a credit is taken only when a run is admitted and kept
//! only when the run succeeds, under concurrent mixes of admitted, refused (run slots, rate
//! limit, credits, pool), failing, timed-out, async and abandoned runs, in every tier.

mod common;

use std::time::Duration;

use common::{ENTERPRISE, FREE, PRO, client, hang_up, start};
use serde_json::{Value, json};

/// A short ceiling, so that a timed-out run takes 1 s.
fn config() -> error_spec_reference_server::Config {
    error_spec_reference_server::Config::default().with_sync_ceiling(Duration::from_secs(1))
}

/// One answer: status, `Retry-After`, body.
struct Answer {
    status: u16,
    retry_after: Option<u64>,
    body: Value,
}

impl Answer {
    /// Whether this is the limiter's requests-per-minute refusal (not a full run pool).
    fn rate_limited(&self) -> bool {
        self.status == 429
            && !self.body["message"]
                .as_str()
                .is_some_and(|message| message.contains("runs executing"))
    }
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok()?.parse().ok());
    let bytes = response.bytes().await.expect("a body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        retry_after,
        body,
    }
}

/// A request the test needs answered (a read, a poll): a rate-limit refusal is waited out.
async fn patiently(make: impl Fn() -> reqwest::RequestBuilder) -> Answer {
    loop {
        let answer = send(make()).await;
        if !answer.rate_limited() {
            return answer;
        }
        let wait = answer.retry_after.expect("a 429 carries Retry-After");
        tokio::time::sleep(Duration::from_secs(wait)).await;
    }
}

async fn credits(base: &str, key: &str) -> u64 {
    let http = client();
    let answer = patiently(|| http.get(format!("{base}/verify")).bearer_auth(key)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["credits"].as_u64().expect("credits")
}

fn post_run(base: &str, key: &str, body: &Value) -> reqwest::RequestBuilder {
    client()
        .post(format!("{base}/runs"))
        .bearer_auth(key)
        .header("content-type", "application/json")
        .body(body.to_string())
}

/// What a run costs when it succeeds.
fn cost(body: &Value) -> u64 {
    match body["format"].as_str() {
        Some("image") => 10,
        Some("video") => 100,
        _ => 1,
    }
}

/// Polls a run until it is no longer queued or running; its final status.
async fn terminal(base: &str, key: &str, run_id: &str) -> String {
    let http = client();
    for _ in 0..60 {
        let answer = patiently(|| http.get(format!("{base}/runs/{run_id}")).bearer_auth(key)).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        let status = answer.body["status"].as_str().expect("a status").to_owned();
        if status != "running" && status != "queued" {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("run {run_id} still not ended after 30 s");
}

/// Sends `body` as a run and waits for its end: the credits it should have cost.
async fn run_once(base: String, key: &'static str, body: Value) -> u64 {
    let answer = send(post_run(&base, key, &body)).await;
    match answer.status {
        200 => {
            assert_eq!(answer.body["status"], "succeeded", "{}", answer.body);
            cost(&body)
        }
        202 => {
            let run_id = answer.body["run_id"].as_str().expect("a run id");
            if terminal(&base, key, run_id).await == "succeeded" {
                cost(&body)
            } else {
                0
            }
        }
        _ => 0,
    }
}

/// Sends `body` with an `Idempotency-Key` over a raw connection and closes it after
/// `after`; then finds out, through the key, how the run it may have started ended.
async fn run_abandoned(base: String, key: &'static str, body: Value, after: Duration) -> u64 {
    let idempotency_key = format!("abandon-{}", rand_suffix());
    let headers = [("idempotency-key", idempotency_key.as_str())];
    hang_up(&base, key, &body.to_string(), &headers, after).await;
    let request = || post_run(&base, key, &body).header("idempotency-key", &idempotency_key);
    let answer = patiently(request).await;
    match answer.status {
        // The abandoned run succeeded: this is its answer, replayed.
        200 => cost(&body),
        // The abandoned run still executes: its id is in the conflict.
        409 => {
            let run_id = answer.body["run_id"].as_str().expect("the run's id");
            if terminal(&base, key, run_id).await == "succeeded" {
                cost(&body)
            } else {
                0
            }
        }
        // The key's run failed or was never admitted: this retry was a run of its own,
        // refused or failed, and charged nothing.
        _ => 0,
    }
}

fn rand_suffix() -> String {
    error_spec::RequestId::mint().as_str().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_refused_for_its_slots_is_not_charged() {
    let base = start(config().with_sync_ceiling(Duration::from_secs(5))).await;
    assert_eq!(credits(&base, FREE).await, 5);
    let body = json!({"prompt": "hi", "work_ms": 3000});
    let runs: Vec<_> = (0..3)
        .map(|_| {
            let request = post_run(&base, FREE, &body);
            tokio::spawn(async move { send(request).await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for run in runs {
        statuses.push(run.await.expect("the run's task"));
    }
    statuses.sort_unstable();
    // The free tier runs two at once; the third is refused before it is charged.
    assert_eq!(statuses, [200, 200, 429]);
    assert_eq!(
        send(post_run(&base, FREE, &json!({"prompt": "hi"})))
            .await
            .status,
        200
    );
    assert_eq!(
        credits(&base, FREE).await,
        2,
        "three runs ran, three credits spent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_fails_on_the_server_gives_its_credit_back() {
    let base = start(config()).await;
    let before = credits(&base, PRO).await;
    let upstream = send(post_run(
        &base,
        PRO,
        &json!({"prompt": "hi", "model": "legacy-0"}),
    ))
    .await;
    assert_eq!(upstream.status, 502);
    let timeout = send(post_run(
        &base,
        PRO,
        &json!({"prompt": "hi", "work_ms": 1500}),
    ))
    .await;
    assert_eq!(timeout.status, 408);
    let image = send(post_run(
        &base,
        PRO,
        &json!({"prompt": "hi", "format": "image"}),
    ))
    .await;
    assert_eq!(image.status, 200);
    assert_eq!(before - credits(&base, PRO).await, 10, "only the image ran");
}

/// The mix for a key whose tier runs `slots` at once: more fast runs than slots, runs that
/// fail upstream, hit the ceiling, hit maintenance, cost more than the key has, run async,
/// and runs whose client hangs up before or after the run ends.
fn mix(slots: usize) -> Vec<(Value, Option<Duration>)> {
    let mut runs = Vec::new();
    for _ in 0..slots + 2 {
        runs.push((json!({"prompt": "fast", "work_ms": 300}), None));
    }
    runs.extend([
        (json!({"prompt": "upstream", "model": "legacy-0"}), None),
        (
            json!({"prompt": "upstream later", "model": "legacy-0", "work_ms": 200}),
            None,
        ),
        (json!({"prompt": "maintenance", "model": "batch-xl"}), None),
        (json!({"prompt": "costly", "format": "image"}), None),
        (json!({"prompt": "too long", "work_ms": 1500}), None),
        (
            json!({"prompt": "async", "async": true, "work_ms": 200}),
            None,
        ),
        (
            json!({"prompt": "async upstream", "async": true, "model": "legacy-0"}),
            None,
        ),
        (
            json!({"prompt": "abandoned, ends", "work_ms": 600}),
            Some(Duration::from_millis(150)),
        ),
        (
            json!({"prompt": "abandoned, times out", "work_ms": 3000}),
            Some(Duration::from_millis(150)),
        ),
    ]);
    runs
}

async fn ledger_holds(base: String, key: &'static str, slots: usize) {
    let before = credits(&base, key).await;
    let runs: Vec<_> = mix(slots)
        .into_iter()
        .map(|(body, hang_up_after)| {
            let base = base.clone();
            tokio::spawn(async move {
                match hang_up_after {
                    None => run_once(base, key, body).await,
                    Some(after) => run_abandoned(base, key, body, after).await,
                }
            })
        })
        .collect();
    let mut ran = 0;
    for run in runs {
        ran += run.await.expect("the run's task");
    }
    assert!(ran > 0, "some runs of {key} succeeded");
    let after = credits(&base, key).await;
    assert_eq!(
        before - after,
        ran,
        "{key}: credits spent must be the credits of the runs that succeeded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credits_spent_are_the_runs_that_succeeded_in_every_tier() {
    let base = start(config()).await;
    // Each key's limits are its own, so the tiers run side by side. The free key's 5
    // credits and 10 requests a minute also refuse runs for credits and for the rate.
    let tiers = [(FREE, 2), (PRO, 10), (ENTERPRISE, 50)]
        .map(|(key, slots)| tokio::spawn(ledger_holds(base.clone(), key, slots)));
    for tier in tiers {
        tier.await.expect("the ledger holds");
    }
}
