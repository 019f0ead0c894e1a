//! The stacks the benches compare give the same answers: for each path, error-spec's stack
//! and the peer stack answer with the same status, the same headers and the same body bytes,
//! so the benches time the same work. Checked once here, never in a timed loop.

use axum::body::Bytes;
use error_benches::stacks::{Fixture, Path, send};
use http::{HeaderMap, StatusCode};

async fn answer(router: &axum::Router, path: Path) -> (StatusCode, HeaderMap, Bytes) {
    let (parts, body) = send(router, path.request()).await.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .expect("a body in memory");
    (parts.status, parts.headers, bytes)
}

#[tokio::test]
async fn both_stacks_answer_byte_for_byte_alike() {
    for path in Path::ALL {
        let fixture = Fixture::new(path);
        fixture.prepare().await;
        // Several requests, so that the limiter's remaining count moves on both sides.
        for _ in 0..3 {
            fixture.tick();
            let ours = answer(&fixture.error_spec, path).await;
            let theirs = answer(&fixture.peer, path).await;
            assert_eq!(ours.0, theirs.0, "{path:?}: status");
            assert_eq!(
                ours.2,
                theirs.2,
                "{path:?}: body\n ours:   {}\n theirs: {}",
                String::from_utf8_lossy(&ours.2),
                String::from_utf8_lossy(&theirs.2)
            );
            assert_eq!(ours.1, theirs.1, "{path:?}: headers");
        }
        let (status, headers, _) = answer(&fixture.error_spec, path).await;
        let expected = match path {
            Path::Success => StatusCode::OK,
            Path::Error => StatusCode::INTERNAL_SERVER_ERROR,
            Path::Refused => StatusCode::TOO_MANY_REQUESTS,
        };
        assert_eq!(status, expected, "{path:?}");
        assert_eq!(headers["x-request-id"], "req_1");
        assert!(headers.contains_key("ratelimit"), "{path:?}: {headers:?}");
    }
}
