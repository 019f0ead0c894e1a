//! `POST /files`, `GET /files/{file_id}` and `DELETE /files/{file_id}`: uploads under the
//! tier's size limit, and deletes that leave a tombstone (`gone`).

use std::time::SystemTime;

use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use error_spec::axum::Path;
use error_spec::{ApiError, ErrorCode, UserMessage};
use http::{HeaderMap, StatusCode};
use serde::Serialize;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::caller::Caller;
use crate::config::max_upload;
use crate::state::AppState;
use crate::store::{File, unix_secs};

/// An uploaded file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct FileView {
    /// The file's id, for a run's `assets`.
    file_id: String,
    /// Its size in bytes.
    size: u64,
    /// When it was uploaded, in seconds since the Unix epoch.
    created_at: u64,
}

impl FileView {
    fn new(file_id: &str, file: &File) -> Self {
        FileView {
            file_id: file_id.to_owned(),
            size: file.size as u64,
            created_at: unix_secs(file.created),
        }
    }
}

/// The request body of `POST /files`: the file's bytes, as they are. Documented as
/// `{type: string, format: binary}`, the one schema 3.0 generators (progenitor) take for an
/// `application/octet-stream` body; utoipa writes `Vec<u8>` as an array of integers.
struct FileBytes;

impl PartialSchema for FileBytes {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for FileBytes {}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(ErrorCode::PayloadTooLarge).with_message(UserMessage::user_safe(format!(
        "The file exceeds your tier's limit of {limit} bytes."
    )))
}

/// Uploads a file: the request body, as is.
#[utoipa::path(
    post,
    path = "/files",
    operation_id = "uploadFile",
    request_body(content = inline(FileBytes), content_type = "application/octet-stream", description = "The file's bytes, at least one; free: 64 KiB, pro: 1 MiB, enterprise: 4 MiB"),
    responses(
        (status = 201, description = "The file", body = FileView),
        (status = 400, response = error_spec_openapi::StatusResponse<400>),
        (status = 401, response = error_spec_openapi::StatusResponse<401>),
        (status = 403, response = error_spec_openapi::StatusResponse<403>),
        (status = 413, response = error_spec_openapi::StatusResponse<413>),
        (status = 429, response = error_spec_openapi::StatusResponse<429>),
        (status = 500, response = error_spec_openapi::StatusResponse<500>),
    ),
    security(("api_key" = [])),
    tag = "files"
)]
pub(crate) async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    caller.ensure_active()?;
    let limit = max_upload(caller.tier);
    // A declared length over the limit is refused before a byte is read.
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(too_large(limit));
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|err| too_large(limit).with_source(err))?;
    if bytes.is_empty() {
        return Err(
            ApiError::new(ErrorCode::InvalidRequest).with_message(UserMessage::user_safe(
                "The request body is the file, and it is empty.",
            )),
        );
    }
    let file_id = state.store.new_id("file");
    let file = File {
        size: bytes.len(),
        created: SystemTime::now(),
        deleted: false,
    };
    let view = FileView::new(&file_id, &file);
    state
        .store
        .lock()
        .files
        .insert((caller.org.clone(), file_id), file);
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

/// A file by id.
#[utoipa::path(
    get,
    path = "/files/{file_id}",
    operation_id = "getFile",
    params(("file_id" = String, Path, description = "The file's id")),
    responses(
        (status = 200, description = "The file", body = FileView),
        (status = 401, response = error_spec_openapi::StatusResponse<401>),
        (status = 404, response = error_spec_openapi::StatusResponse<404>),
        (status = 410, response = error_spec_openapi::StatusResponse<410>),
        (status = 429, response = error_spec_openapi::StatusResponse<429>),
        (status = 500, response = error_spec_openapi::StatusResponse<500>),
    ),
    security(("api_key" = [])),
    tag = "files"
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(file_id): Path<String>,
) -> Result<axum::Json<FileView>, ApiError> {
    let data = state.store.lock();
    match data.files.get(&(caller.org.clone(), file_id.clone())) {
        None => Err(ApiError::new(ErrorCode::NotFound)),
        Some(file) if file.deleted => Err(ApiError::new(ErrorCode::Gone)),
        Some(file) => Ok(axum::Json(FileView::new(&file_id, file))),
    }
}

/// Deletes a file; a deleted file is `gone`.
#[utoipa::path(
    delete,
    path = "/files/{file_id}",
    operation_id = "deleteFile",
    params(("file_id" = String, Path, description = "The file's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = error_spec_openapi::StatusResponse<401>),
        (status = 403, response = error_spec_openapi::StatusResponse<403>),
        (status = 404, response = error_spec_openapi::StatusResponse<404>),
        (status = 410, response = error_spec_openapi::StatusResponse<410>),
        (status = 429, response = error_spec_openapi::StatusResponse<429>),
        (status = 500, response = error_spec_openapi::StatusResponse<500>),
    ),
    security(("api_key" = [])),
    tag = "files"
)]
pub(crate) async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(file_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.ensure_active()?;
    let mut data = state.store.lock();
    match data.files.get_mut(&(caller.org.clone(), file_id)) {
        None => Err(ApiError::new(ErrorCode::NotFound)),
        Some(file) if file.deleted => Err(ApiError::new(ErrorCode::Gone)),
        Some(file) => {
            file.deleted = true;
            Ok(StatusCode::NO_CONTENT)
        }
    }
}
