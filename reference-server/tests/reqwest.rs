//! The SDK's reqwest transport against the reference server, over real TCP on 127.0.0.1:
//! every code of the table triggered and read back with its status, request id and retry
//! decision; a rate limit waited out; a timed-out synchronous run resubmitted async and
//! polled to its result; the retrier's caps.

mod common;

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use common::{ENTERPRISE, FREE, PRO, SUSPENDED, client, start};
use error_spec::headers::{self, Scope};
use error_spec::sdk::ReceivedTask;
use error_spec::sdk::reqwest::{Error, Mode, Retrier, error_for_status, read_bytes};
use error_spec::{
    Code, ErrorCode, Jitter, MAX_BODY_LEN, ResponseError, RetryClass, RetryDecision, RetryPolicy,
    UnexpectedReason,
};
use error_spec_reference_server::Config;
use serde_json::{Value, json};

/// A test config: a short synchronous ceiling, so that a timed-out run takes 200 ms.
fn config() -> Config {
    Config::default().with_sync_ceiling(Duration::from_millis(200))
}

/// One request of the README's table: how to get `code` from a fresh server.
async fn trigger(base: &str, http: &reqwest::Client, code: ErrorCode) -> reqwest::Response {
    let post_run = |key: &str, body: Value| {
        http.post(format!("{base}/runs"))
            .bearer_auth(key)
            .json_body(body)
    };
    let request = match code {
        ErrorCode::InvalidApiKey => http.get(format!("{base}/verify")),
        ErrorCode::Forbidden => post_run(SUSPENDED, json!({"prompt": "hi"})),
        ErrorCode::InsufficientCredits => {
            post_run(FREE, json!({"prompt": "hi", "format": "image"}))
        }
        ErrorCode::InvalidRequest => http
            .post(format!("{base}/runs"))
            .bearer_auth(PRO)
            .header("content-type", "application/json")
            .body(r#"{"prompt": "#),
        ErrorCode::ValidationError => post_run(PRO, json!({"prompt": "   "})),
        ErrorCode::PreflightFailed => {
            // An asset uploaded, then deleted: missing.
            let uploaded: Value = serde_json::from_slice(
                &http
                    .post(format!("{base}/files"))
                    .bearer_auth(PRO)
                    .header("content-type", "application/octet-stream")
                    .body(vec![1u8; 3])
                    .send()
                    .await
                    .expect("uploaded")
                    .bytes()
                    .await
                    .expect("a body"),
            )
            .expect("JSON");
            let file_id = uploaded["file_id"].as_str().expect("a file id").to_owned();
            http.delete(format!("{base}/files/{file_id}"))
                .bearer_auth(PRO)
                .send()
                .await
                .expect("deleted");
            post_run(PRO, json!({"prompt": "hi", "assets": [file_id]}))
        }
        ErrorCode::PayloadTooLarge => http
            .post(format!("{base}/files"))
            .bearer_auth(FREE)
            .header("content-type", "application/octet-stream")
            // The server refuses the upload from its Content-Length, before reading it, and
            // then closes the connection; this request's connection is not to be reused.
            .header("connection", "close")
            .body(vec![0u8; 64 * 1024 + 1]),
        ErrorCode::NotFound => http.get(format!("{base}/runs/run_nope")).bearer_auth(PRO),
        ErrorCode::Gone => http
            .get(format!("{base}/runs/run_expired"))
            .bearer_auth(PRO),
        ErrorCode::Conflict => http
            .get(format!("{base}/runs/run_running/download"))
            .bearer_auth(PRO),
        ErrorCode::SyncTimeoutUpgradeAsync => {
            post_run(PRO, json!({"prompt": "hi", "work_ms": 2000}))
        }
        ErrorCode::RateLimitExceeded => {
            // The free tier allows 10 requests a minute; the 11th is refused.
            // Earlier triggers may have spent some already; ten more fill the window anyway.
            for _ in 0..10 {
                http.get(format!("{base}/verify"))
                    .bearer_auth(FREE)
                    .send()
                    .await
                    .expect("sent");
            }
            http.get(format!("{base}/verify")).bearer_auth(FREE)
        }
        ErrorCode::InternalError => http
            .get(format!("{base}/runs/run_corrupt"))
            .bearer_auth(PRO),
        ErrorCode::UpstreamError => post_run(PRO, json!({"prompt": "hi", "model": "legacy-0"})),
        ErrorCode::ServiceUnavailable => {
            post_run(PRO, json!({"prompt": "hi", "model": "batch-xl"}))
        }
        ErrorCode::NotImplemented => http
            .post(format!("{base}/webhooks"))
            .bearer_auth(PRO)
            .json_body(json!({"url": "https://example.com/hook"})),
    };
    request
        .header("x-request-id", format!("test-{code}"))
        .send()
        .await
        .expect("the server answers")
}

/// A JSON body without reqwest's `json` feature, which the SDK does not need.
trait JsonBody {
    fn json_body(self, body: Value) -> Self;
}

impl JsonBody for reqwest::RequestBuilder {
    fn json_body(self, body: Value) -> Self {
        self.header("content-type", "application/json")
            .body(body.to_string())
    }
}

/// The decision the table's retry class gives on a first failure with no jitter.
fn expected_decision(code: ErrorCode, retry_after: Option<Duration>) -> RetryDecision {
    match code.retry() {
        RetryClass::Never => RetryDecision::DoNotRetry,
        RetryClass::ResubmitAsync => RetryDecision::ResubmitAsync,
        RetryClass::RetryAfter | RetryClass::Pause { .. } => {
            RetryDecision::RetryAfter(retry_after.expect("a Retry-After"))
        }
        // Full jitter of the first ceiling, with jitter 0.
        RetryClass::Backoff => RetryDecision::RetryAfter(Duration::ZERO),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_code_is_reachable_and_reads_back() {
    let base = start(config()).await;
    let http = client();
    let mut seen = BTreeSet::new();
    for &code in ErrorCode::ALL {
        let response = trigger(&base, &http, code).await;
        let header_id = response.headers()[headers::X_REQUEST_ID]
            .to_str()
            .expect("ascii")
            .to_owned();
        let content_type = response.headers()[http::header::CONTENT_TYPE].clone();
        let retry_after_header = response.headers().get(headers::RETRY_AFTER).cloned();
        let err = match error_for_status(response).await {
            Err(Error::Response(err)) => err,
            other => panic!("{code}: expected an error response, got {other:?}"),
        };
        let ResponseError::Api(api) = &err else {
            panic!("{code}: not a contract body: {err}");
        };
        assert_eq!(api.status(), code.status(), "{code}");
        assert_eq!(api.code(), &Code::from(code), "{code}");
        assert_eq!(content_type, "application/problem+json", "{code}");
        // The client's id is echoed in the header and the body.
        assert_eq!(header_id, format!("test-{code}"), "{code}");
        assert_eq!(err.request_id(), Some(header_id.as_str()), "{code}");
        assert_eq!(api.body().request_id(), Some(header_id.as_str()), "{code}");
        // Retry-After is sent exactly for the codes the contract says, and agrees with the body.
        assert_eq!(
            retry_after_header.is_some(),
            Scope::RetryAfter.carried_with(code),
            "{code}: Retry-After"
        );
        if let Some(value) = &retry_after_header {
            let secs: u32 = value.to_str().expect("ascii").parse().expect("seconds");
            assert_eq!(api.body().retry_after(), Some(secs), "{code}");
        }
        assert_eq!(
            err.retry_decision(1, Jitter::ZERO),
            expected_decision(code, err.retry_after()),
            "{code}"
        );
        seen.insert(code);
    }
    assert_eq!(seen.len(), 16, "every code of the table: {seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limited_then_success_after_the_wait() {
    // The free tier: a burst of 10, then one request back every 6 s (10 a minute), so the
    // wait is seconds rather than a minute.
    let base = start(config()).await;
    let http = client();
    // Spend the free tier's requests until the limiter refuses one.
    let mut refusal = None;
    for _ in 0..30 {
        let response = http
            .get(format!("{base}/verify"))
            .bearer_auth(FREE)
            .send()
            .await
            .expect("sent");
        if let Err(Error::Response(err)) = error_for_status(response).await {
            refusal = Some(err);
            break;
        }
    }
    let refusal = refusal.expect("the free tier's limit is 10 per window");
    assert_eq!(
        refusal.code(),
        Some(&Code::from(ErrorCode::RateLimitExceeded))
    );
    let wait = refusal.retry_after().expect("a Retry-After");
    assert!(
        wait >= Duration::from_secs(1) && wait <= Duration::from_secs(6),
        "{wait:?}"
    );

    // The retrier is refused too, waits the Retry-After, and succeeds on its second attempt:
    // had it not waited long enough, the second attempt would have been refused as well.
    let modes = Mutex::new(Vec::new());
    let response = Retrier::default()
        .with_jitter(|| Jitter::ZERO)
        .with_max_elapsed(Duration::from_secs(10))
        .send(|mode| {
            modes.lock().expect("not poisoned").push(mode);
            http.get(format!("{base}/verify")).bearer_auth(FREE).send()
        })
        .await
        .expect("success after the wait");
    assert_eq!(response.status(), 200);
    assert_eq!(
        *modes.lock().expect("not poisoned"),
        [Mode::Sync, Mode::Sync]
    );
}

/// Polls `GET /tasks/{task_id}` until the task is no longer queued or running.
async fn poll(base: &str, http: &reqwest::Client, key: &str, task_id: &str) -> Value {
    for _ in 0..200 {
        let response = http
            .get(format!("{base}/tasks/{task_id}"))
            .bearer_auth(key)
            .send()
            .await
            .expect("sent");
        let bytes = read_bytes(response, 64 * 1024).await.expect("a task");
        let task: Value = serde_json::from_slice(&bytes).expect("json");
        if task["status"] != "queued" && task["status"] != "running" {
            return task;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("task {task_id} never ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_sync_run_is_resubmitted_async_and_polled() {
    let base = start(config()).await;
    let http = client();
    let modes = Mutex::new(Vec::new());
    let response = Retrier::default()
        .with_jitter(|| Jitter::ZERO)
        .send(|mode| {
            modes.lock().expect("not poisoned").push(mode);
            let body =
                json!({"prompt": "a long one", "work_ms": 400, "async": mode == Mode::Async});
            http.post(format!("{base}/runs"))
                .bearer_auth(PRO)
                .json_body(body)
                .send()
        })
        .await
        .expect("the async resubmission is accepted");
    assert_eq!(
        *modes.lock().expect("not poisoned"),
        [Mode::Sync, Mode::Async]
    );
    assert_eq!(response.status(), 202);
    let accepted: Value =
        serde_json::from_slice(&read_bytes(response, 4096).await.expect("body")).expect("json");
    let task_id = accepted["task_id"].as_str().expect("a task id");
    let task = poll(&base, &http, PRO, task_id).await;
    assert_eq!(task["status"], "succeeded", "{task}");
    assert_eq!(task["output"], "Text output for: a long one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_task_carries_the_structured_error() {
    let base = start(config()).await;
    let http = client();
    let response = http
        .post(format!("{base}/runs"))
        .bearer_auth(PRO)
        .json_body(json!({"prompt": "hi", "model": "legacy-0", "async": true}))
        .send()
        .await
        .expect("sent");
    let accepted: Value =
        serde_json::from_slice(&read_bytes(response, 4096).await.expect("202")).expect("json");
    let task_id = accepted["task_id"].as_str().expect("a task id");
    let task = poll(&base, &http, PRO, task_id).await;
    let failed = ReceivedTask::from_slice(&serde_json::to_vec(&task).expect("a JSON value"))
        .expect("a failed task");
    assert_eq!(failed.task_id(), Some(task_id));
    assert_eq!(
        failed.error().error(),
        &Code::from(ErrorCode::UpstreamError)
    );
    assert_eq!(failed.run_id(), accepted["run_id"].as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retrier_stops_at_its_caps() {
    let base = start(config()).await;
    let http = client();

    // Never retried: one attempt.
    let attempts = Mutex::new(0);
    let err = Retrier::default()
        .send(|_| {
            *attempts.lock().expect("not poisoned") += 1;
            http.get(format!("{base}/runs/run_nope"))
                .bearer_auth(PRO)
                .send()
        })
        .await
        .expect_err("not found");
    assert_eq!(*attempts.lock().expect("not poisoned"), 1);
    assert_eq!(
        err.response().and_then(ResponseError::code),
        Some(&Code::from(ErrorCode::NotFound))
    );

    // Backoff, capped at three attempts (jitter 0 makes each wait zero).
    let mut policy = RetryPolicy::default();
    policy.max_attempts = 3;
    let attempts = Mutex::new(0);
    let err = Retrier::default()
        .with_policy(policy)
        .with_jitter(|| Jitter::ZERO)
        .send(|_| {
            *attempts.lock().expect("not poisoned") += 1;
            http.post(format!("{base}/runs"))
                .bearer_auth(ENTERPRISE)
                .json_body(json!({"prompt": "hi", "model": "legacy-0"}))
                .send()
        })
        .await
        .expect_err("upstream down");
    assert_eq!(*attempts.lock().expect("not poisoned"), 3);
    assert_eq!(
        err.response().map(ResponseError::status),
        Some(http::StatusCode::BAD_GATEWAY)
    );

    // A 30 s Retry-After over a 5 s budget: no wait, the error at once.
    let attempts = Mutex::new(0);
    let err = Retrier::default()
        .with_max_elapsed(Duration::from_secs(5))
        .send(|_| {
            *attempts.lock().expect("not poisoned") += 1;
            http.post(format!("{base}/runs"))
                .bearer_auth(ENTERPRISE)
                .json_body(json!({"prompt": "hi", "model": "batch-xl"}))
                .send()
        })
        .await
        .expect_err("maintenance");
    assert_eq!(*attempts.lock().expect("not poisoned"), 1);
    assert_eq!(
        err.response().and_then(ResponseError::retry_after),
        Some(Duration::from_secs(30))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn success_paths_answer_as_documented() {
    let base = start(config()).await;
    let http = client();

    // Upload, read, delete, and a second delete is `gone`.
    let response = http
        .post(format!("{base}/files"))
        .bearer_auth(PRO)
        .header("content-type", "application/octet-stream")
        .body(vec![7u8; 1000])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 201);
    let file: Value =
        serde_json::from_slice(&read_bytes(response, 4096).await.expect("201")).expect("json");
    assert_eq!(file["size"], 1000);
    let file_id = file["file_id"].as_str().expect("an id").to_owned();
    let url = format!("{base}/files/{file_id}");
    let response = http.get(&url).bearer_auth(PRO).send().await.expect("sent");
    assert_eq!(response.status(), 200);
    // The file passes a run's preflight.
    let response = http
        .post(format!("{base}/runs"))
        .bearer_auth(PRO)
        .json_body(json!({"prompt": "hi", "assets": [file_id]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let response = http
        .delete(&url)
        .bearer_auth(PRO)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 204);
    let response = http
        .delete(&url)
        .bearer_auth(PRO)
        .send()
        .await
        .expect("sent");
    let err = error_for_status(response).await.expect_err("deleted");
    assert_eq!(
        err.response().and_then(ResponseError::code),
        Some(&Code::from(ErrorCode::Gone))
    );

    // An idempotency key replays the first answer for the same body, and refuses another body.
    let run = |body: Value| {
        http.post(format!("{base}/runs"))
            .bearer_auth(PRO)
            .header("idempotency-key", "order-42")
            .json_body(body)
            .send()
    };
    let first: Value = serde_json::from_slice(
        &read_bytes(run(json!({"prompt": "once"})).await.expect("sent"), 4096)
            .await
            .expect("200"),
    )
    .expect("json");
    let again: Value = serde_json::from_slice(
        &read_bytes(run(json!({"prompt": "once"})).await.expect("sent"), 4096)
            .await
            .expect("200"),
    )
    .expect("json");
    assert_eq!(first["run_id"], again["run_id"]);
    let err = error_for_status(run(json!({"prompt": "twice"})).await.expect("sent"))
        .await
        .expect_err("another body");
    assert_eq!(
        err.response().and_then(ResponseError::code),
        Some(&Code::from(ErrorCode::Conflict))
    );

    // A succeeded run's download is a redirect.
    let run_id = first["run_id"].as_str().expect("a run id");
    let response = http
        .get(format!("{base}/runs/{run_id}/download"))
        .bearer_auth(PRO)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 302);
    let location = response.headers()[http::header::LOCATION]
        .to_str()
        .expect("ascii");
    assert_eq!(
        location,
        format!("https://files.example.com/org_pro/{run_id}.txt")
    );
    // Every response carries the key's rate-limit headers.
    assert_eq!(response.headers()[headers::X_RATELIMIT_LIMIT], "60");
}

/// A one-shot server that answers any request with `response`'s bytes.
async fn raw_server(response: Vec<u8>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("bound");
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await;
        let _ = socket.write_all(&response).await;
        let _ = socket.shutdown().await;
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_error_body_is_read_no_further_than_the_limit() {
    let mut response = format!(
        "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\nx-request-id: proxy-1\r\ncontent-length: {}\r\n\r\n",
        3 * MAX_BODY_LEN
    )
    .into_bytes();
    response.extend(std::iter::repeat_n(b'x', 3 * MAX_BODY_LEN));
    let base = raw_server(response).await;
    let sent = client().get(&base).send().await.expect("a response head");
    let err = error_for_status(sent).await.expect_err("502");
    let Some(ResponseError::UnexpectedBody(body)) = err.response() else {
        panic!("{err:?}");
    };
    assert_eq!(body.reason(), UnexpectedReason::TooLarge);
    assert_eq!(
        body.len(),
        MAX_BODY_LEN + 1,
        "read one byte past the limit, no more"
    );
    assert_eq!(body.request_id(), Some("proxy-1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_success_body_over_the_callers_limit_is_an_error() {
    let base =
        raw_server(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n0123456789".to_vec()).await;
    let sent = client().get(&base).send().await.expect("a response head");
    match read_bytes(sent, 4).await {
        Err(Error::BodyTooLarge { limit }) => assert_eq!(limit, 4),
        other => panic!("{other:?}"),
    }
}
