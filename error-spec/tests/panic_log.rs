//! The `panic` feature with `tracing`: a panic is logged once, at ERROR, with the request id
//! and the panic's message. This test is alone in its binary because it installs a
//! thread-scoped subscriber: beside tests that hit the same callsites from other threads with
//! no subscriber, tracing's cached callsite interest can race and drop the event
//! (tokio-rs/tracing#2874), which made the test fail now and then in parallel runs.
#![cfg(all(feature = "panic", feature = "tracing"))]

mod panic_app;

use panic_app::app;

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
