//! The `panic` feature: a panicking handler answers `internal_error` with the contract's
//! body and headers, over real TCP. That the panic is logged with the request id is
//! `tests/panic_log.rs`, in a test binary of its own.
#![cfg(feature = "panic")]

mod panic_app;

use std::net::SocketAddr;

use panic_app::app;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

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
