//! `GET /tasks/{task_id}`: an async run's task, and in its terminal failed state the
//! structured error, as the contract's `FailedTask`.

use axum::extract::State;
use error_spec::FailedTask;
use error_spec::axum::Path;
use serde::Serialize;
use utoipa::ToSchema;

use crate::caller::Caller;
use crate::state::AppState;
use crate::store::{RunState, load};

/// A task that has not failed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct TaskInfo {
    /// The task's id.
    task_id: String,
    /// The run the task executes.
    run_id: String,
    /// Where the task is.
    status: TaskStatus,
    /// The run's output, once succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
}

impl TaskInfo {
    /// A task just queued.
    pub(crate) fn queued(task_id: String, run_id: String) -> Self {
        TaskInfo {
            task_id,
            run_id,
            status: TaskStatus::Queued,
            output: None,
        }
    }
}

/// Where a task that has not failed is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum TaskStatus {
    /// Waiting for a worker.
    Queued,
    /// Executing.
    Running,
    /// Done; `output` holds the result.
    Succeeded,
}

/// A task: queued, running or succeeded, or failed with the structured error.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum TaskView {
    /// Not failed.
    Info(TaskInfo),
    /// Failed; `error` is the body a synchronous request would have received.
    Failed(FailedTask),
}

crate::store::from_load_error!(GetTaskError);

/// A task by id.
#[error_spec::operation(errors(NotFound, Gone, InternalError))]
#[utoipa::path(
    get,
    path = "/tasks/{task_id}",
    params(("task_id" = String, Path, description = "The task's id")),
    responses(
        (status = 200, description = "The task; a failed one carries the structured error", body = TaskView),
    ),
    security(("api_key" = [])),
    tag = "runs"
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(task_id): Path<String>,
) -> Result<axum::Json<TaskView>, GetTaskError> {
    let run_id = state
        .store
        .lock()
        .tasks
        .get(&(caller.org.clone(), task_id.clone()))
        .cloned()
        .ok_or_else(|| GetTaskError::not_found().with_task_id(task_id.clone()))?;
    let run = load(&state.store, &caller, &run_id)
        .map_err(|err| GetTaskError::from(err).with_task_id(task_id.clone()))?;
    let info = |status, output| {
        TaskView::Info(TaskInfo {
            task_id: task_id.clone(),
            run_id: run_id.clone(),
            status,
            output,
        })
    };
    Ok(axum::Json(match run.state {
        RunState::Queued => info(TaskStatus::Queued, None),
        RunState::Running => info(TaskStatus::Running, None),
        RunState::Succeeded(output) => info(TaskStatus::Succeeded, Some(output)),
        RunState::Failed(body) => TaskView::Failed(FailedTask::new(*body)),
    }))
}
