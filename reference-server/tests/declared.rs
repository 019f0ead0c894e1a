//! Every operation of the served `/openapi.json`, over TCP: each code its `x-error-codes`
//! declares is reached by a request of the README's table, every response conforms to its
//! operation (`Api::check_response`: the code among the declared ones, its status, media
//! type, body and headers), and no operation answers a code it does not declare. The server
//! runs in strict mode, so an undeclared code would also close the connection.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{CORRUPT, FREE, PRO, SUSPENDED, client, start};
use error_spec_reference_server::{API, Config};
use serde_json::Value;

/// A request and the code it must get.
struct Probe {
    operation: &'static str,
    method: &'static str,
    /// The route template, as the document and the `Api` name it.
    route: &'static str,
    /// The path sent.
    path: String,
    key: Option<&'static str>,
    /// The `Content-Type` and the body.
    body: Option<(&'static str, Vec<u8>)>,
    headers: Vec<(&'static str, String)>,
    code: &'static str,
}

fn probe(
    operation: &'static str,
    code: &'static str,
    method: &'static str,
    route: &'static str,
    path: impl Into<String>,
    key: Option<&'static str>,
) -> Probe {
    Probe {
        operation,
        method,
        route,
        path: path.into(),
        key,
        body: None,
        headers: Vec::new(),
        code,
    }
}

impl Probe {
    fn json(mut self, body: &str) -> Self {
        self.body = Some(("application/json", body.as_bytes().to_vec()));
        self
    }

    fn bytes(mut self, body: Vec<u8>) -> Self {
        self.body = Some(("application/octet-stream", body));
        // A refused upload closes its connection; this one is not reused.
        self.headers.push(("connection", "close".to_owned()));
        self
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }
}

/// Sends `probe`, checks it got its code and conforms; returns the body.
async fn send(base: &str, probe: &Probe) -> Value {
    let http = client();
    let method: reqwest::Method = probe.method.parse().expect("a method");
    let mut request = http.request(method, format!("{base}{}", probe.path));
    if let Some(key) = probe.key {
        request = request.bearer_auth(key);
    }
    if let Some((content_type, body)) = &probe.body {
        request = request
            .header("content-type", *content_type)
            .body(body.clone());
    }
    for (name, value) in &probe.headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap_or_else(|err| {
        panic!(
            "{} {} (for `{}`): no answer, a strict contract violation? {err}",
            probe.method, probe.path, probe.code
        )
    });
    let status = http::StatusCode::from_u16(response.status().as_u16()).expect("a status");
    let mut headers = http::HeaderMap::new();
    for (name, value) in response.headers() {
        headers.append(
            http::HeaderName::from_bytes(name.as_str().as_bytes()).expect("a name"),
            http::HeaderValue::from_bytes(value.as_bytes()).expect("a value"),
        );
    }
    let bytes = response.bytes().await.expect("a body");
    API.check_response(probe.method, probe.route, status, &headers, &bytes)
        .assert();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if status.is_client_error() || status.is_server_error() {
        assert_eq!(
            body["error"], probe.code,
            "{} {} answered {status} {body}",
            probe.method, probe.path
        );
    }
    body
}

/// The `x-error-codes` of every operation of the served document.
async fn declared(base: &str) -> BTreeSet<(String, String)> {
    let doc: Value = client()
        .get(format!("{base}/openapi.json"))
        .send()
        .await
        .expect("the document")
        .json_value()
        .await;
    let mut pairs = BTreeSet::new();
    for item in doc["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("a path item").values() {
            let id = operation["operationId"].as_str().expect("an operationId");
            let codes = operation["x-error-codes"]
                .as_array()
                .expect("x-error-codes");
            for code in codes {
                pairs.insert((id.to_owned(), code.as_str().expect("a code").to_owned()));
            }
        }
    }
    pairs
}

trait JsonValue {
    async fn json_value(self) -> Value;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> Value {
        serde_json::from_slice(&self.bytes().await.expect("a body")).expect("JSON")
    }
}

/// The requests of the README's table, for every operation and every code it declares but
/// `rate_limit_exceeded`, which [`rate_limited`] gets on every operation.
fn table() -> Vec<Probe> {
    const RUNS: &str = "/runs";
    const RUN: &str = "/runs/{run_id}";
    const DOWNLOAD: &str = "/runs/{run_id}/download";
    const TASK: &str = "/tasks/{task_id}";
    const FILES: &str = "/files";
    const FILE: &str = "/files/{file_id}";
    const HOOKS: &str = "/webhooks";
    let hook = r#"{"url":"https://example.com/hook"}"#;
    let huge = format!(r#"{{"prompt":"{}"}}"#, "a".repeat(70_000));
    let huge_hook = format!(r#"{{"url":"https://{}"}}"#, "a".repeat(70_000));
    vec![
        probe(
            "verify",
            "invalid_api_key",
            "GET",
            "/verify",
            "/verify",
            None,
        ),
        probe(
            "verify",
            "internal_error",
            "GET",
            "/verify",
            "/verify",
            Some(CORRUPT),
        ),
        probe(
            "createWebhook",
            "invalid_api_key",
            "POST",
            HOOKS,
            HOOKS,
            None,
        )
        .json(hook),
        probe(
            "createWebhook",
            "forbidden",
            "POST",
            HOOKS,
            HOOKS,
            Some(SUSPENDED),
        )
        .json(hook),
        probe(
            "createWebhook",
            "invalid_request",
            "POST",
            HOOKS,
            HOOKS,
            Some(PRO),
        )
        .json(r#"{"url":"#),
        probe(
            "createWebhook",
            "payload_too_large",
            "POST",
            HOOKS,
            HOOKS,
            Some(PRO),
        )
        .json(&huge_hook),
        probe(
            "createWebhook",
            "validation_error",
            "POST",
            HOOKS,
            HOOKS,
            Some(PRO),
        )
        .json(r#"{"url":"http://x"}"#),
        probe(
            "createWebhook",
            "internal_error",
            "POST",
            HOOKS,
            HOOKS,
            Some(CORRUPT),
        )
        .json(hook),
        probe(
            "createWebhook",
            "not_implemented",
            "POST",
            HOOKS,
            HOOKS,
            Some(PRO),
        )
        .json(hook),
        probe("createRun", "invalid_api_key", "POST", RUNS, RUNS, None).json(r#"{"prompt":"hi"}"#),
        probe(
            "createRun",
            "forbidden",
            "POST",
            RUNS,
            RUNS,
            Some(SUSPENDED),
        )
        .json(r#"{"prompt":"hi"}"#),
        probe(
            "createRun",
            "insufficient_credits",
            "POST",
            RUNS,
            RUNS,
            Some(FREE),
        )
        .json(r#"{"prompt":"hi","format":"image"}"#),
        probe(
            "createRun",
            "invalid_request",
            "POST",
            RUNS,
            RUNS,
            Some(PRO),
        )
        .json(r#"{"prompt":"#),
        probe(
            "createRun",
            "validation_error",
            "POST",
            RUNS,
            RUNS,
            Some(PRO),
        )
        .json(r#"{"prompt":"   "}"#),
        probe("createRun", "not_found", "POST", RUNS, RUNS, Some(PRO))
            .json(r#"{"prompt":"hi","assets":["file_missing"]}"#),
        probe(
            "createRun",
            "payload_too_large",
            "POST",
            RUNS,
            RUNS,
            Some(PRO),
        )
        .json(&huge),
        probe(
            "createRun",
            "sync_timeout_upgrade_async",
            "POST",
            RUNS,
            RUNS,
            Some(PRO),
        )
        .json(r#"{"prompt":"hi","work_ms":5000}"#),
        probe(
            "createRun",
            "internal_error",
            "POST",
            RUNS,
            RUNS,
            Some(CORRUPT),
        )
        .json(r#"{"prompt":"hi"}"#),
        probe("createRun", "upstream_error", "POST", RUNS, RUNS, Some(PRO))
            .json(r#"{"prompt":"hi","model":"legacy-0"}"#),
        probe(
            "createRun",
            "service_unavailable",
            "POST",
            RUNS,
            RUNS,
            Some(PRO),
        )
        .json(r#"{"prompt":"hi","model":"batch-xl"}"#),
        // The same key first with one body, then with another.
        probe("createRun", "conflict", "POST", RUNS, RUNS, Some(PRO))
            .json(r#"{"prompt":"ho"}"#)
            .header("idempotency-key", "declared-1"),
        probe(
            "getRun",
            "invalid_api_key",
            "GET",
            RUN,
            "/runs/run_nope",
            None,
        ),
        probe(
            "getRun",
            "not_found",
            "GET",
            RUN,
            "/runs/run_nope",
            Some(PRO),
        ),
        probe("getRun", "gone", "GET", RUN, "/runs/run_expired", Some(PRO)),
        probe(
            "getRun",
            "internal_error",
            "GET",
            RUN,
            "/runs/run_corrupt",
            Some(PRO),
        ),
        probe(
            "downloadRun",
            "invalid_api_key",
            "GET",
            DOWNLOAD,
            "/runs/run_nope/download",
            None,
        ),
        probe(
            "downloadRun",
            "not_found",
            "GET",
            DOWNLOAD,
            "/runs/run_nope/download",
            Some(PRO),
        ),
        probe(
            "downloadRun",
            "conflict",
            "GET",
            DOWNLOAD,
            "/runs/run_running/download",
            Some(PRO),
        ),
        probe(
            "downloadRun",
            "gone",
            "GET",
            DOWNLOAD,
            "/runs/run_expired/download",
            Some(PRO),
        ),
        probe(
            "downloadRun",
            "internal_error",
            "GET",
            DOWNLOAD,
            "/runs/run_corrupt/download",
            Some(PRO),
        ),
        probe(
            "getTask",
            "invalid_api_key",
            "GET",
            TASK,
            "/tasks/task_nope",
            None,
        ),
        probe(
            "getTask",
            "not_found",
            "GET",
            TASK,
            "/tasks/task_nope",
            Some(PRO),
        ),
        probe(
            "getTask",
            "gone",
            "GET",
            TASK,
            "/tasks/task_expired",
            Some(PRO),
        ),
        probe(
            "getTask",
            "internal_error",
            "GET",
            TASK,
            "/tasks/task_corrupt",
            Some(PRO),
        ),
        probe("uploadFile", "invalid_api_key", "POST", FILES, FILES, None).bytes(vec![1]),
        probe(
            "uploadFile",
            "forbidden",
            "POST",
            FILES,
            FILES,
            Some(SUSPENDED),
        )
        .bytes(vec![1]),
        probe(
            "uploadFile",
            "invalid_request",
            "POST",
            FILES,
            FILES,
            Some(PRO),
        )
        .bytes(Vec::new()),
        probe(
            "uploadFile",
            "payload_too_large",
            "POST",
            FILES,
            FILES,
            Some(FREE),
        )
        .bytes(vec![0; 64 * 1024 + 1]),
        probe(
            "uploadFile",
            "internal_error",
            "POST",
            FILES,
            FILES,
            Some(CORRUPT),
        )
        .bytes(vec![1]),
        probe(
            "getFile",
            "invalid_api_key",
            "GET",
            FILE,
            "/files/file_nope",
            None,
        ),
        probe(
            "getFile",
            "not_found",
            "GET",
            FILE,
            "/files/file_nope",
            Some(PRO),
        ),
        probe(
            "getFile",
            "internal_error",
            "GET",
            FILE,
            "/files/file_nope",
            Some(CORRUPT),
        ),
        probe(
            "deleteFile",
            "invalid_api_key",
            "DELETE",
            FILE,
            "/files/file_nope",
            None,
        ),
        probe(
            "deleteFile",
            "forbidden",
            "DELETE",
            FILE,
            "/files/file_nope",
            Some(SUSPENDED),
        ),
        probe(
            "deleteFile",
            "not_found",
            "DELETE",
            FILE,
            "/files/file_nope",
            Some(PRO),
        ),
        probe(
            "deleteFile",
            "internal_error",
            "DELETE",
            FILE,
            "/files/file_nope",
            Some(CORRUPT),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_declared_code_is_reached_and_nothing_undeclared_is_answered() {
    let base = start(Config::default().with_sync_ceiling(Duration::from_millis(200))).await;
    let declared = declared(&base).await;
    let mut reached = BTreeSet::new();

    // The first use of the idempotency key the `conflict` probe reuses with another body.
    let first = probe("createRun", "", "POST", "/runs", "/runs", Some(PRO))
        .json(r#"{"prompt":"hi"}"#)
        .header("idempotency-key", "declared-1");
    send(&base, &first).await;
    for probe in table() {
        send(&base, &probe).await;
        reached.insert((probe.operation.to_owned(), probe.code.to_owned()));
    }

    // `gone` for a file: uploaded, deleted, then read and deleted again.
    let upload = probe("uploadFile", "", "POST", "/files", "/files", Some(PRO)).bytes(vec![7; 3]);
    let file_id = send(&base, &upload).await["file_id"]
        .as_str()
        .expect("a file id")
        .to_owned();
    let path = format!("/files/{file_id}");
    send(
        &base,
        &probe(
            "deleteFile",
            "",
            "DELETE",
            "/files/{file_id}",
            &path,
            Some(PRO),
        ),
    )
    .await;
    for (operation, method) in [("getFile", "GET"), ("deleteFile", "DELETE")] {
        send(
            &base,
            &probe(
                operation,
                "gone",
                method,
                "/files/{file_id}",
                &path,
                Some(PRO),
            ),
        )
        .await;
        reached.insert((operation.to_owned(), "gone".to_owned()));
    }

    // `preflight_failed`: a run reading the deleted file.
    let body = format!(r#"{{"prompt":"hi","assets":["{file_id}"]}}"#);
    let run = probe(
        "createRun",
        "preflight_failed",
        "POST",
        "/runs",
        "/runs",
        Some(PRO),
    );
    send(&base, &run.json(&body)).await;
    reached.insert(("createRun".to_owned(), "preflight_failed".to_owned()));

    for (operation, code) in rate_limited().await {
        reached.insert((operation, code));
    }

    let unreached: Vec<_> = declared.difference(&reached).collect();
    assert!(
        unreached.is_empty(),
        "declared but not reached: {unreached:?}"
    );
    let undeclared: Vec<_> = reached.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "reached but not declared: {undeclared:?}"
    );
}

/// `rate_limit_exceeded` on every operation: the free key's burst of 10 spent on
/// `GET /verify`, then one request to each operation within the 6 seconds before the next
/// request is allowed.
async fn rate_limited() -> Vec<(String, String)> {
    let base = start(Config::default()).await;
    let verify = probe("verify", "", "GET", "/verify", "/verify", Some(FREE));
    for _ in 0..10 {
        send(&base, &verify).await;
    }
    let limited = |operation, method, route, path: &str| {
        probe(
            operation,
            "rate_limit_exceeded",
            method,
            route,
            path,
            Some(FREE),
        )
    };
    let probes = [
        limited("verify", "GET", "/verify", "/verify"),
        limited("createWebhook", "POST", "/webhooks", "/webhooks")
            .json(r#"{"url":"https://example.com/hook"}"#),
        limited("createRun", "POST", "/runs", "/runs").json(r#"{"prompt":"hi"}"#),
        limited("getRun", "GET", "/runs/{run_id}", "/runs/run_nope"),
        limited(
            "downloadRun",
            "GET",
            "/runs/{run_id}/download",
            "/runs/run_nope/download",
        ),
        limited("getTask", "GET", "/tasks/{task_id}", "/tasks/task_nope"),
        limited("uploadFile", "POST", "/files", "/files").bytes(vec![1]),
        limited("getFile", "GET", "/files/{file_id}", "/files/file_nope"),
        limited(
            "deleteFile",
            "DELETE",
            "/files/{file_id}",
            "/files/file_nope",
        ),
    ];
    let mut reached = Vec::new();
    for probe in probes {
        send(&base, &probe).await;
        reached.push((probe.operation.to_owned(), probe.code.to_owned()));
    }
    reached
}

/// The `x-error-codes` and the error statuses of every operation of a served document.
async fn per_operation(base: &str, path: &str) -> Vec<(String, Value, Vec<String>)> {
    let doc: Value = client()
        .get(format!("{base}{path}"))
        .send()
        .await
        .expect("the document")
        .json_value()
        .await;
    let mut out = Vec::new();
    for item in doc["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("a path item").values() {
            let statuses = operation["responses"]
                .as_object()
                .expect("responses")
                .keys()
                .filter(|status| status.starts_with('4') || status.starts_with('5'))
                .cloned()
                .collect();
            out.push((
                operation["operationId"].as_str().expect("an id").to_owned(),
                operation["x-error-codes"].clone(),
                statuses,
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[tokio::test]
async fn the_3_0_export_declares_the_same_codes_per_operation() {
    let base = start(Config::default()).await;
    let v31 = per_operation(&base, "/openapi.json").await;
    let v30 = per_operation(&base, "/openapi-3.0.json").await;
    assert_eq!(v31.len(), 9);
    assert_eq!(v31, v30);
    // And the statuses are exactly those of the declared codes.
    for (id, codes, statuses) in &v31 {
        let op = API.by_id(id).expect("declared");
        let mut expected: Vec<String> = API
            .codes(op)
            .iter()
            .map(|code| code.status().as_u16().to_string())
            .collect();
        expected.sort();
        expected.dedup();
        assert_eq!(*statuses, expected, "{id}");
        let wire: Vec<&str> = API.codes(op).iter().map(|code| code.as_str()).collect();
        assert_eq!(*codes, serde_json::json!(wire), "{id}");
    }
}
