//! Starts a reference server on a free loopback port, for tests that talk to it over TCP.

// Each test binary includes this module and uses a part of it.
#![allow(dead_code)]

pub(crate) mod process;

use error_spec_reference_server::{Config, DEMO_KEYS};

/// The demo keys, by what the tests need of them.
pub(crate) const FREE: &str = DEMO_KEYS[0].key;
pub(crate) const PRO: &str = DEMO_KEYS[1].key;
pub(crate) const ENTERPRISE: &str = DEMO_KEYS[2].key;
pub(crate) const SUSPENDED: &str = DEMO_KEYS[3].key;
pub(crate) const CORRUPT: &str = DEMO_KEYS[4].key;

/// Serves a fresh server with `config` on 127.0.0.1 and returns its base URL.
pub(crate) async fn start(config: Config) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free loopback port");
    let addr = listener.local_addr().expect("bound");
    tokio::spawn(async move {
        error_spec_reference_server::serve(listener, config)
            .await
            .expect("the server runs");
    });
    format!("http://{addr}")
}

/// A client that does not follow redirects, so a 302 is seen as such.
pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// Writes `POST /runs` with `body` and the extra `headers` on a fresh connection to `base`,
/// then closes the connection after `after`, before the answer: a client that hangs up.
pub(crate) async fn hang_up(
    base: &str,
    key: &str,
    body: &str,
    headers: &[(&str, &str)],
    after: std::time::Duration,
) {
    use tokio::io::AsyncWriteExt;
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    let mut request = format!(
        "POST /runs HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {key}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("written");
    tokio::time::sleep(after).await;
    drop(stream);
}
