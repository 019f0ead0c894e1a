//! `POST /files`, `GET /files/{file_id}` and `DELETE /files/{file_id}`: uploads under the
//! tier's size limit, and deletes that leave a tombstone (`gone`).

use std::time::SystemTime;

use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use error_spec::UserMessage;
use error_spec::axum::Path;
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
            // An empty body is `invalid_request`: the file has at least one byte.
            .min_length(Some(1))
            .into()
    }
}

impl ToSchema for FileBytes {}

fn too_large(limit: usize) -> UploadFileError {
    UploadFileError::payload_too_large().with_message(UserMessage::user_safe(format!(
        "The file exceeds your tier's limit of {limit} bytes."
    )))
}

crate::caller::from_suspended!(UploadFileError, DeleteFileError);

/// Uploads a file: the request body, as is.
#[error_spec::operation(errors(Forbidden, InvalidRequest, PayloadTooLarge))]
#[utoipa::path(
    post,
    path = "/files",
    request_body(content = inline(FileBytes), content_type = "application/octet-stream", description = "The file's bytes, at least one; free: 64 KiB, pro: 1 MiB, enterprise: 4 MiB"),
    responses(
        (status = 201, description = "The file", body = FileView),
    ),
    security(("api_key" = [])),
    tag = "files"
)]
pub(crate) async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, UploadFileError> {
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
            UploadFileError::invalid_request().with_message(UserMessage::user_safe(
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
///
/// Depends on the store's state: a file deleted since is `gone`.
#[error_spec::operation(errors(NotFound, Gone))]
#[utoipa::path(
    get,
    path = "/files/{file_id}",
    params(("file_id" = String, Path, description = "The file's id")),
    responses(
        (status = 200, description = "The file", body = FileView),
    ),
    security(("api_key" = [])),
    tag = "files"
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(file_id): Path<String>,
) -> Result<axum::Json<FileView>, GetFileError> {
    let data = state.store.lock();
    match data.files.get(&(caller.org.clone(), file_id.clone())) {
        None => Err(GetFileError::not_found()),
        Some(file) if file.deleted => Err(GetFileError::gone()),
        Some(file) => Ok(axum::Json(FileView::new(&file_id, file))),
    }
}

/// Deletes a file.
///
/// Depends on the store's state: a file deleted already is `gone`.
#[error_spec::operation(errors(Forbidden, NotFound, Gone))]
#[utoipa::path(
    delete,
    path = "/files/{file_id}",
    params(("file_id" = String, Path, description = "The file's id")),
    responses(
        (status = 204, description = "Deleted"),
    ),
    security(("api_key" = [])),
    tag = "files"
)]
pub(crate) async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(file_id): Path<String>,
) -> Result<StatusCode, DeleteFileError> {
    caller.ensure_active()?;
    let mut data = state.store.lock();
    match data.files.get_mut(&(caller.org.clone(), file_id)) {
        None => Err(DeleteFileError::not_found()),
        Some(file) if file.deleted => Err(DeleteFileError::gone()),
        Some(file) => {
            file.deleted = true;
            Ok(StatusCode::NO_CONTENT)
        }
    }
}
