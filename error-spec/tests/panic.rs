//! The `panic` feature: a panicking handler answers `internal_error` with the contract's
//! body and headers, over real TCP, and (with `tracing`) the panic is logged with the
//! request id.
#![cfg(feature = "panic")]

use std::net::SocketAddr;

use axum::Router;
use axum::routing::get;
use error_spec::axum::{ServerConfig, contract_middleware};
use error_spec::panic::catch_panic_layer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn app() -> Router {
    Router::new()
        .route(
            "/boom",
            get(|| async {
                let secret = "postgres://admin:hunter2@db";
                panic!("cannot connect to {secret}");
                #[allow(unreachable_code, reason = "the handler's type needs a body")]
                "unreachable"
            }),
        )
        .route("/ok", get(|| async { "ok" }))
        .layer(catch_panic_layer())
        .layer(axum::middleware::from_fn_with_state(
            ServerConfig::new("https://docs.test/errors"),
            contract_middleware,
        ))
}

async fn serve() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("bound");
    tokio::spawn(async move { axum::serve(listener, app()).await });
    addr
}

/// One request on its own connection: the raw head and the body.
async fn get_raw(addr: SocketAddr, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).await.expect("listening");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nX-Request-Id: ticket-42\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.expect("an answer");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a whole answer");
    (head.to_ascii_lowercase(), body.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_answers_the_contract() {
    let addr = serve().await;
    let (head, body) = get_raw(addr, "/boom").await;
    assert!(head.starts_with("http/1.1 500"), "{head}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    assert!(head.contains("x-request-id: ticket-42"), "{head}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("the contract's JSON");
    assert_eq!(json["error"], "internal_error");
    assert_eq!(json["request_id"], "ticket-42");
    assert_eq!(json["doc_url"], "https://docs.test/errors#internal_error");
    assert!(
        !body.contains("hunter2"),
        "the panic message stays out: {body}"
    );
    // The server lives on.
    let (head, body) = get_raw(addr, "/ok").await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(body, "ok");
}

#[cfg(feature = "tracing")]
#[tokio::test]
async fn a_panic_is_logged_with_the_request_id() {
    use std::sync::{Arc, Mutex};

    use tower::ServiceExt;
    use tracing_subscriber::fmt::MakeWriter;

    /// Formatted log lines, kept for the test.
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Lines {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .expect("not poisoned")
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Lines {
        type Writer = Lines;

        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }

    let lines = Lines::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(lines.clone())
        .with_ansi(false)
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);
    let request = http::Request::get("/boom")
        .header("x-request-id", "ticket-42")
        .body(axum::body::Body::empty())
        .expect("a request");
    let response = app().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), http::StatusCode::INTERNAL_SERVER_ERROR);
    let log = String::from_utf8(lines.0.lock().expect("not poisoned").clone()).expect("UTF-8");
    let errors: Vec<&str> = log.lines().filter(|line| line.contains("ERROR")).collect();
    assert_eq!(errors.len(), 1, "logged once: {log}");
    assert!(errors[0].contains("request_id=\"ticket-42\""), "{log}");
    assert!(
        errors[0].contains("handler panicked: cannot connect to postgres://admin:hunter2@db"),
        "the log has the panic's message: {log}"
    );
}
