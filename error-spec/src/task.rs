//! The failed async task a server sends: `GET /tasks/{task_id}` in its terminal failed state.

use serde::Serialize;

use crate::ErrorBody;

/// What `GET /tasks/{task_id}` answers for a task that ended in failure: its ids, the
/// status `failed`, and in `error` the same body a synchronous request would have received,
/// so clients handle both with one code path.
//
// Built by the server from an `ErrorBody` and only serialized, never deserialized: the
// doc comment above is the schema's description, so this note is a plain comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FailedTask {
    /// The task's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    task_id: Option<String>,
    /// The run the task belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    run_id: Option<String>,
    /// Always `failed`: the task's terminal failed state.
    status: Failed,
    /// The structured failure: the same body as a synchronous error response.
    error: ErrorBody,
}

/// The status of a failed task: always the string `failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "utoipa", schema(as = TaskFailedStatus))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(rename = "TaskFailedStatus"))]
#[serde(rename_all = "snake_case")]
enum Failed {
    Failed,
}

impl FailedTask {
    /// The failed task whose failure is `error`; its ids are the body's.
    ///
    /// ```
    /// use error_spec::{ApiError, ErrorCode, FailedTask, RequestId};
    ///
    /// let err = ApiError::new(ErrorCode::UpstreamError).with_run_id("run_1").with_task_id("task_1");
    /// let task = FailedTask::new(err.to_body(&RequestId::mint(), "https://docs.example.com/errors"));
    /// let json: serde_json::Value = serde_json::to_value(&task)?;
    /// assert_eq!(json["task_id"], "task_1");
    /// assert_eq!(json["status"], "failed");
    /// assert_eq!(json["error"]["error"], "upstream_error");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn new(error: ErrorBody) -> Self {
        FailedTask {
            task_id: error.task_id().map(str::to_owned),
            run_id: error.run_id().map(str::to_owned),
            status: Failed::Failed,
            error,
        }
    }

    /// The task's id.
    pub fn task_id(&self) -> Option<&str> {
        self.task_id.as_deref()
    }

    /// The run the task belongs to.
    pub fn run_id(&self) -> Option<&str> {
        self.run_id.as_deref()
    }

    /// The structured failure, the same body as a synchronous error response.
    pub fn error(&self) -> &ErrorBody {
        &self.error
    }
}
