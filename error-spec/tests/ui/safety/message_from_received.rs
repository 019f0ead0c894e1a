// A message an SDK received cannot become a server's message.
use error_spec::{ResponseError, UserMessage, parse_error_response};
use error_spec::http::{HeaderMap, StatusCode};

fn main() {
    let body = br#"{"error":"not_found","message":"<script>alert(1)</script>"}"#;
    if let ResponseError::Api(api) = parse_error_response(StatusCode::NOT_FOUND, &HeaderMap::new(), body) {
        let received = api.message().cloned().unwrap();
        let _relayed = UserMessage::from(received);
    }
}
