// A received message cannot be put into a server's error or field problem either.
use error_spec::{ApiError, ErrorCode, FieldError, JsonPointer, ResponseError, parse_error_response};
use error_spec::http::{HeaderMap, StatusCode};

fn main() {
    let body = br#"{"error":"not_found","message":"relayed text"}"#;
    if let ResponseError::Api(api) = parse_error_response(StatusCode::NOT_FOUND, &HeaderMap::new(), body) {
        let received = api.message().cloned().unwrap();
        let _err = ApiError::new(ErrorCode::UpstreamError).with_message(received.clone());
        let _field = FieldError { pointer: JsonPointer::root(), message: received };
    }
}
