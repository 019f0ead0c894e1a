// A declaration compiles without utoipa: the type, its constructors and its `Operation`.
use error_spec::{ApiError, ErrorCode, UserMessage};

#[error_spec::operation(get, path = "/runs/{run_id}", errors(NotFound, Gone, InternalError))]
pub async fn get(run_id: String) -> Result<String, GetRunError> {
    match run_id.as_str() {
        "run_expired" => Err(GetRunError::gone().with_run_id(run_id)),
        "run_corrupt" => Err(GetRunError::internal_error().with_source("checksum mismatch")),
        _ => Err(GetRunError::not_found()
            .with_message(UserMessage::user_safe("No such run."))
            .with_run_id(run_id)),
    }
}

fn main() {
    assert_eq!(GetRunError::OPERATION.id, "getRun");
    assert_eq!(GetRunError::OPERATION.method, "GET");
    assert_eq!(GetRunError::WIRE_CODES, ["not_found", "gone", "internal_error"]);
    let err: ApiError = GetRunError::gone().into();
    assert_eq!(err.code(), ErrorCode::Gone);
}
