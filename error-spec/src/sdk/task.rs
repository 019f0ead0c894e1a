//! [`ReceivedTask`]: a failed async task as an SDK reads it.

use super::reason::UnexpectedReason;
use super::received::ReceivedBody;
use crate::RequestId;

/// What `GET /tasks/{task_id}` answered for a task that failed, as an SDK reads it: the
/// task's ids and, in `error`, the same lenient [`ReceivedBody`] a synchronous error gives.
///
/// The server's [`crate::FailedTask`] is only ever serialized; this is its reading side.
///
/// ```
/// use error_spec::{ApiError, ErrorCode, FailedTask, RequestId};
/// use error_spec::sdk::ReceivedTask;
///
/// let err = ApiError::new(ErrorCode::UpstreamError).with_task_id("task_1");
/// let task = FailedTask::new(err.to_body(&RequestId::mint(), "https://docs.example.com/errors"));
/// let read = ReceivedTask::from_slice(&serde_json::to_vec(&task)?).expect("a failed task");
/// assert_eq!(read.task_id(), Some("task_1"));
/// assert_eq!(*read.error().error(), ErrorCode::UpstreamError);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedTask {
    task_id: Option<String>,
    run_id: Option<String>,
    error: ReceivedBody,
}

impl ReceivedTask {
    /// Reads a failed task: a JSON object whose `status` is `failed` and whose `error` is a
    /// body [`ReceivedBody::from_slice`] reads. Ids that are not safe to log are left out.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, UnexpectedReason> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        // Tasks are read rarely, so the simple path: a JSON value, then its `error` again.
        let value = serde_json::from_slice::<serde_json::Value>(bytes)
            .or_else(|_| serde_json::from_str(&String::from_utf8_lossy(bytes)))
            .map_err(|err| match err.classify() {
                serde_json::error::Category::Eof => UnexpectedReason::Truncated,
                _ => UnexpectedReason::NotJson,
            })?;
        let serde_json::Value::Object(mut task) = value else {
            return Err(UnexpectedReason::NotContract);
        };
        if task.get("status").and_then(serde_json::Value::as_str) != Some("failed") {
            return Err(UnexpectedReason::NotContract);
        }
        let error = task.remove("error").ok_or(UnexpectedReason::NotContract)?;
        let error = serde_json::to_vec(&error).map_err(|_| UnexpectedReason::NotContract)?;
        let id = |name: &str| {
            task.get(name)
                .and_then(serde_json::Value::as_str)
                .filter(|id| RequestId::is_safe(id.as_bytes()))
                .map(str::to_owned)
        };
        Ok(ReceivedTask {
            task_id: id("task_id"),
            run_id: id("run_id"),
            error: ReceivedBody::from_slice(&error)?,
        })
    }

    /// The task's id, if the task had a safe one.
    pub fn task_id(&self) -> Option<&str> {
        self.task_id.as_deref()
    }

    /// The run the task belongs to, if the task had a safe id for it.
    pub fn run_id(&self) -> Option<&str> {
        self.run_id.as_deref()
    }

    /// The failure: the same body a synchronous error response carries.
    pub fn error(&self) -> &ReceivedBody {
        &self.error
    }
}
