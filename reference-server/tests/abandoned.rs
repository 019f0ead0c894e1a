//! A client that hangs up on a synchronous run, over real TCP against the server's binary:
//! the run still ends (at the ceiling at the latest), its slot is freed, its credit is kept
//! only if it succeeded, and the server logs the abandoned request once with its id.

mod common;

use std::time::{Duration, Instant};

use common::process::{Server, field};
use common::{FREE, PRO, client, hang_up};
use serde_json::{Value, json};

/// A read; the free tier's 10 requests a minute are waited out when spent.
async fn get(base: &str, key: &str, path: &str) -> (u16, Value) {
    loop {
        let response = client()
            .get(format!("{base}{path}"))
            .bearer_auth(key)
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        let wait = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok()?.parse().ok());
        let body =
            serde_json::from_slice(&response.bytes().await.expect("a body")).unwrap_or(Value::Null);
        match (status, wait) {
            (429, Some(secs)) => tokio::time::sleep(Duration::from_secs(secs)).await,
            _ => return (status, body),
        }
    }
}

async fn credits(base: &str, key: &str) -> u64 {
    let (status, body) = get(base, key, "/verify").await;
    assert_eq!(status, 200, "{body}");
    body["credits"].as_u64().expect("credits")
}

/// Polls the run until it has ended, at most `within`.
async fn ended(base: &str, key: &str, run_id: &str, within: Duration) -> Value {
    let start = Instant::now();
    loop {
        let (status, run) = get(base, key, &format!("/runs/{run_id}")).await;
        assert_eq!(status, 200, "{run}");
        if run["status"] != "running" {
            return run;
        }
        assert!(
            start.elapsed() < within,
            "{run_id} still running after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
}

/// Hangs up on `body` after `after` and returns the run id the abandonment line names.
async fn abandon(server: &mut Server, key: &str, body: Value, after: Duration) -> String {
    let request_id = format!("abandon-{}", error_spec::RequestId::mint().as_str());
    let headers = [("x-request-id", request_id.as_str())];
    hang_up(&server.base, key, &body.to_string(), &headers, after).await;
    let line = server.wait_for_line(|line| {
        line.contains("request abandoned") && line.contains(request_id.as_str())
    });
    let abandoned = server
        .lines()
        .iter()
        .filter(|line| line.contains("request abandoned") && line.contains(request_id.as_str()))
        .count();
    assert_eq!(abandoned, 1, "one line per abandoned request: {line}");
    assert_eq!(field(&line, "path"), Some("/runs"), "{line}");
    field(&line, "run_id")
        .filter(|id| id.starts_with("run_"))
        .unwrap_or_else(|| panic!("the line names the run: {line}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_run_past_the_ceiling_fails_and_gives_back_its_slot_and_credit() {
    // The default ceiling, 2 s.
    let mut server = Server::start(&[], &[]);
    let base = server.base.clone();
    let body = json!({"prompt": "abandoned", "work_ms": 6000});
    let run_id = abandon(&mut server, FREE, body, Duration::from_millis(600)).await;

    let run = ended(&base, FREE, &run_id, Duration::from_secs(4)).await;
    assert_eq!(run["status"], "failed", "{run}");
    assert_eq!(run["error"]["error"], "sync_timeout_upgrade_async", "{run}");
    assert_eq!(run["error"]["run_id"], run_id.as_str(), "{run}");
    let (status, _) = get(&base, FREE, &format!("/runs/{run_id}/download")).await;
    assert_eq!(status, 409, "a failed run has no download");
    assert_eq!(credits(&base, FREE).await, 5, "the credit is given back");

    // Both of the free tier's slots are free again.
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let request = client()
                .post(format!("{base}/runs"))
                .bearer_auth(FREE)
                .header("content-type", "application/json")
                .body(json!({"prompt": "hi", "work_ms": 500}).to_string());
            tokio::spawn(async move { request.send().await.expect("answers").status() })
        })
        .collect();
    for run in runs {
        assert_eq!(run.await.expect("the run's task"), 200);
    }
    assert_eq!(credits(&base, FREE).await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_run_within_the_ceiling_completes_and_is_retrievable() {
    let mut server = Server::start(&[], &[]);
    let base = server.base.clone();
    let before = credits(&base, PRO).await;
    let body = json!({"prompt": "abandoned", "work_ms": 1000});
    let run_id = abandon(&mut server, PRO, body, Duration::from_millis(300)).await;

    let run = ended(&base, PRO, &run_id, Duration::from_secs(5)).await;
    assert_eq!(run["status"], "succeeded", "{run}");
    let (status, _) = get(&base, PRO, &format!("/runs/{run_id}/download")).await;
    assert_eq!(status, 302, "its output is there");
    assert_eq!(
        before - credits(&base, PRO).await,
        1,
        "a run that ran is charged"
    );
}
