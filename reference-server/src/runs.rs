//! `POST /runs`, `GET /runs/{run_id}` and `GET /runs/{run_id}/download`: runs, synchronous
//! under a ceiling or async as a task, with credits, tiers, preflight and idempotency keys.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use error_spec::axum::{Json, Path};
use error_spec::limit::{RunGuard, RunSlots};
use error_spec::{ApiError, ErrorBody, ErrorCode, JsonPointer, RequestId, UserMessage};
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::caller::Caller;
use crate::models::{Format, Model};
use crate::state::AppState;
use crate::store::{Replay, Run, RunState, Store, load, unix_secs};
use crate::tasks::TaskInfo;

/// The longest simulated work a run may ask for.
const MAX_WORK_MS: u32 = 10_000;
/// The longest prompt.
const MAX_PROMPT: usize = 4000;

/// A run to start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateRun {
    /// What to produce; must not be blank.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    prompt: String,
    /// The output's format; `text` if absent.
    #[serde(default = "text")]
    format: Format,
    /// The model; `fast-1` if absent.
    #[serde(default)]
    model: Model,
    /// Queue the run as a task (202) rather than wait for it.
    #[serde(default, rename = "async")]
    asynchronous: bool,
    /// Ids of uploaded files the run reads (`POST /files`); each must exist.
    #[serde(default)]
    #[schema(max_items = 16)]
    assets: Vec<String>,
    /// How long the run works, in milliseconds: the miniature's stand-in for real work.
    #[serde(default, deserialize_with = "whole_number")]
    #[schema(maximum = 10000)]
    work_ms: u32,
}

/// A `u32` written as any JSON number with no fraction: JSON Schema's `integer` counts
/// `195.0` as an integer, and clients in languages whose numbers are floats send it so.
fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let value = f64::deserialize(deserializer)?;
    if value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
        // In range and whole, so the conversion is exact.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked whole and in range just above"
        )]
        Ok(value as u32)
    } else {
        Err(serde::de::Error::invalid_value(
            serde::de::Unexpected::Float(value),
            &"a whole number from 0",
        ))
    }
}

fn text() -> Format {
    Format::Text
}

/// A run.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct RunView {
    /// The run's id.
    run_id: String,
    /// Where the run is.
    status: RunStatus,
    /// The output's format.
    format: Format,
    /// The model.
    model: Model,
    /// When the run was created, in seconds since the Unix epoch.
    created_at: u64,
    /// The task of an async run.
    #[serde(skip_serializing_if = "Option::is_none")]
    task_id: Option<String>,
    /// The output of a succeeded run.
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    /// Why a failed run failed: the body a synchronous request would have received.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorBody>,
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RunStatus {
    /// Waiting for a worker.
    Queued,
    /// Executing.
    Running,
    /// Done; the output is ready.
    Succeeded,
    /// Ended in failure; `error` says why.
    Failed,
}

impl RunView {
    fn new(run_id: &str, run: &Run) -> Self {
        let (status, output, error) = match &run.state {
            RunState::Queued => (RunStatus::Queued, None, None),
            RunState::Running => (RunStatus::Running, None, None),
            RunState::Succeeded(output) => (RunStatus::Succeeded, Some(output.clone()), None),
            RunState::Failed(body) => (RunStatus::Failed, None, Some((**body).clone())),
        };
        RunView {
            run_id: run_id.to_owned(),
            status,
            format: run.format,
            model: run.model,
            created_at: unix_secs(run.created),
            task_id: run.task_id.clone(),
            output,
            error,
        }
    }
}

/// Starts a run.
///
/// Synchronous by default: answered 200 with the output, or `sync_timeout_upgrade_async`
/// when the run takes longer than the ceiling. With `"async": true` it is queued as a task
/// and answered 202; poll `GET /tasks/{task_id}`.
#[utoipa::path(
    post,
    path = "/runs",
    request_body = CreateRun,
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for the same body; a different body is `conflict`"),
    ),
    responses(
        (status = 200, description = "The run, done", body = RunView),
        (status = 202, description = "The run, queued as a task", body = TaskInfo),
        (status = 400, response = error_spec_openapi::StatusResponse<400>),
        (status = 401, response = error_spec_openapi::StatusResponse<401>),
        (status = 402, response = error_spec_openapi::StatusResponse<402>),
        (status = 403, response = error_spec_openapi::StatusResponse<403>),
        (status = 408, response = error_spec_openapi::StatusResponse<408>),
        (status = 409, response = error_spec_openapi::StatusResponse<409>),
        (status = 413, response = error_spec_openapi::StatusResponse<413>),
        (status = 422, response = error_spec_openapi::StatusResponse<422>),
        (status = 429, response = error_spec_openapi::StatusResponse<429>),
        (status = 500, response = error_spec_openapi::StatusResponse<500>),
        (status = 502, response = error_spec_openapi::StatusResponse<502>),
        (status = 503, response = error_spec_openapi::StatusResponse<503>),
    ),
    security(("api_key" = [])),
    tag = "runs"
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    slots: RunSlots,
    headers: HeaderMap,
    Json(request): Json<CreateRun>,
) -> Result<Response, ApiError> {
    caller.ensure_active()?;
    validate(&request)?;
    request.format.check_tier(caller.tier)?;
    request.model.check_available()?;
    let idempotency_key = idempotency_key(&headers)?;
    let request_json = serde_json::to_value(&request).map_err(ApiError::internal)?;
    if let Some(key) = &idempotency_key {
        let data = state.store.lock();
        if let Some(replay) = data.idempotency.get(&(caller.org.clone(), key.clone())) {
            if replay.request != request_json {
                return Err(ApiError::new(ErrorCode::Conflict).with_message(
                    UserMessage::user_safe(
                        "This Idempotency-Key was used with a different request body.",
                    ),
                ));
            }
            return Ok((replay.status, axum::Json(replay.body.clone())).into_response());
        }
    }
    preflight(&state.store, &caller, &request)?;
    charge(&state.store, &caller, request.format)?;
    let permit = Permit::acquire(&state, &slots).await?;

    let run_id = state.store.new_id("run");
    let task_id = request.asynchronous.then(|| state.store.new_id("task"));
    {
        let mut data = state.store.lock();
        data.runs.insert(
            (caller.org.clone(), run_id.clone()),
            Run {
                format: request.format,
                model: request.model,
                created: SystemTime::now(),
                task_id: task_id.clone(),
                state: if task_id.is_some() {
                    RunState::Queued
                } else {
                    RunState::Running
                },
                corrupt: false,
            },
        );
        if let Some(task_id) = &task_id {
            data.tasks
                .insert((caller.org.clone(), task_id.clone()), run_id.clone());
        }
    }

    let (status, body) = if let Some(task_id) = task_id {
        let work = Work::new(&state, &caller, &run_id, &request);
        tokio::spawn(async move {
            let _permit = permit;
            work.set_state(RunState::Running);
            let outcome = work.execute().await;
            work.finish(outcome);
        });
        let info = TaskInfo::queued(task_id, run_id);
        (StatusCode::ACCEPTED, serde_json::to_value(info))
    } else {
        let work = Work::new(&state, &caller, &run_id, &request);
        let outcome = tokio::time::timeout(state.config.sync_ceiling, work.execute()).await;
        drop(permit);
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(_elapsed) => Err(ApiError::new(ErrorCode::SyncTimeoutUpgradeAsync)),
        };
        if let Some(err) = work.finish(outcome) {
            return Err(err);
        }
        let data = state.store.lock();
        let run = data
            .runs
            .get(&(caller.org.clone(), run_id.clone()))
            .ok_or_else(|| ApiError::internal("a run vanished while it ran"))?;
        (
            StatusCode::OK,
            serde_json::to_value(RunView::new(&run_id, run)),
        )
    };
    let body = body.map_err(ApiError::internal)?;
    if let Some(key) = idempotency_key {
        state.store.lock().idempotency.insert(
            (caller.org.clone(), key),
            Replay {
                request: request_json,
                status,
                body: body.clone(),
            },
        );
    }
    Ok((status, axum::Json(body)).into_response())
}

/// What the schema cannot say: a blank prompt, lengths and limits in characters.
fn validate(request: &CreateRun) -> Result<(), ApiError> {
    let mut err = ApiError::new(ErrorCode::ValidationError);
    let mut failed = false;
    if request.prompt.trim().is_empty() {
        err = err.with_field_error(
            JsonPointer::root().push("prompt"),
            UserMessage::user_safe("must not be blank"),
        );
        failed = true;
    } else if request.prompt.chars().count() > MAX_PROMPT {
        err = err.with_field_error(
            JsonPointer::root().push("prompt"),
            UserMessage::user_safe("must be at most 4000 characters"),
        );
        failed = true;
    }
    if request.work_ms > MAX_WORK_MS {
        err = err.with_field_error(
            JsonPointer::root().push("work_ms"),
            UserMessage::user_safe("must be at most 10000"),
        );
        failed = true;
    }
    if request.assets.len() > 16 {
        err = err.with_field_error(
            JsonPointer::root().push("assets"),
            UserMessage::user_safe("must list at most 16 files"),
        );
        failed = true;
    }
    if failed { Err(err) } else { Ok(()) }
}

/// The `Idempotency-Key` header: 1 to 255 visible ASCII characters, else `invalid_request`.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key)
            if !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            Ok(Some(key.to_owned()))
        }
        _ => Err(
            ApiError::new(ErrorCode::InvalidRequest).with_message(UserMessage::user_safe(
                "The Idempotency-Key header must be 1 to 255 visible ASCII characters.",
            )),
        ),
    }
}

/// `preflight_failed` when an asset is not one of the organization's uploaded files.
fn preflight(store: &Store, caller: &Caller, request: &CreateRun) -> Result<(), ApiError> {
    let data = store.lock();
    let missing = request.assets.iter().find(|id| {
        data.files
            .get(&(caller.org.clone(), (*id).clone()))
            .is_none_or(|file| file.deleted)
    });
    match missing {
        Some(_) => Err(ApiError::new(ErrorCode::PreflightFailed)),
        None => Ok(()),
    }
}

/// Takes the format's credits, or `insufficient_credits`.
fn charge(store: &Store, caller: &Caller, format: Format) -> Result<(), ApiError> {
    let mut data = store.lock();
    let org = data
        .orgs
        .get_mut(&caller.org)
        .ok_or_else(|| ApiError::internal("a caller without an organization"))?;
    if org.credits < format.cost() {
        return Err(ApiError::new(ErrorCode::InsufficientCredits));
    }
    org.credits -= format.cost();
    Ok(())
}

/// A place among the executing runs: one of the key's run slots (its tier's concurrent runs,
/// from `error_spec::limit`) and one of the server's pool. Both are released on drop, also
/// when a timed-out run is dropped.
#[derive(Debug)]
struct Permit {
    store: Arc<Store>,
    _slot: RunGuard,
}

impl Permit {
    async fn acquire(state: &AppState, slots: &RunSlots) -> Result<Self, ApiError> {
        // The key's slot first: over its tier's concurrent runs is `rate_limit_exceeded`.
        let slot = slots.acquire().await?;
        let mut data = state.store.lock();
        if data.running >= state.config.pool_size {
            return Err(ApiError::new(ErrorCode::ServiceUnavailable).with_message(
                UserMessage::user_safe("Every worker is busy; retry in a minute."),
            ));
        }
        data.running += 1;
        Ok(Permit {
            store: state.store.clone(),
            _slot: slot,
        })
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut data = self.store.lock();
        data.running = data.running.saturating_sub(1);
    }
}

/// One run's work, and where its outcome is recorded.
struct Work {
    store: Arc<Store>,
    org: String,
    run_id: String,
    task_id: Option<String>,
    doc_base: String,
    model: Model,
    format: Format,
    prompt: String,
    work: Duration,
}

impl Work {
    fn new(state: &AppState, caller: &Caller, run_id: &str, request: &CreateRun) -> Self {
        let task_id = state
            .store
            .lock()
            .runs
            .get(&(caller.org.clone(), run_id.to_owned()))
            .and_then(|run| run.task_id.clone());
        Work {
            store: state.store.clone(),
            org: caller.org.clone(),
            run_id: run_id.to_owned(),
            task_id,
            doc_base: state.config.doc_base.to_string(),
            model: request.model,
            format: request.format,
            prompt: request.prompt.clone(),
            work: Duration::from_millis(u64::from(request.work_ms)),
        }
    }

    /// Runs the model: waits the work's time, then asks the upstream provider.
    async fn execute(&self) -> Result<String, ApiError> {
        tokio::time::sleep(self.work).await;
        if !self.model.upstream_up() {
            let cause = std::io::Error::new(
                std::io::ErrorKind::ConnectionRefused,
                "provider of legacy-0: connection refused",
            );
            return Err(ApiError::new(ErrorCode::UpstreamError).with_source(cause));
        }
        let words: String = self.prompt.chars().take(64).collect();
        Ok(format!("{:?} output for: {words}", self.format))
    }

    fn set_state(&self, state: RunState) {
        if let Some(run) = self
            .store
            .lock()
            .runs
            .get_mut(&(self.org.clone(), self.run_id.clone()))
        {
            run.state = state;
        }
    }

    /// Records the outcome; a failure comes back with the run's and task's ids, for the
    /// synchronous answer.
    fn finish(&self, outcome: Result<String, ApiError>) -> Option<ApiError> {
        match outcome {
            Ok(output) => {
                self.set_state(RunState::Succeeded(output));
                None
            }
            Err(err) => {
                let mut err = err.with_run_id(self.run_id.clone());
                if let Some(task_id) = &self.task_id {
                    err = err.with_task_id(task_id.clone());
                }
                tracing::warn!(run_id = %self.run_id, error = ?err, "run failed");
                let body = err.to_body(&RequestId::mint(), &self.doc_base);
                self.set_state(RunState::Failed(Box::new(body)));
                Some(err)
            }
        }
    }
}

/// A run by id.
#[utoipa::path(
    get,
    path = "/runs/{run_id}",
    params(("run_id" = String, Path, description = "The run's id")),
    responses(
        (status = 200, description = "The run", body = RunView),
        (status = 401, response = error_spec_openapi::StatusResponse<401>),
        (status = 404, response = error_spec_openapi::StatusResponse<404>),
        (status = 410, response = error_spec_openapi::StatusResponse<410>),
        (status = 429, response = error_spec_openapi::StatusResponse<429>),
        (status = 500, response = error_spec_openapi::StatusResponse<500>),
    ),
    security(("api_key" = [])),
    tag = "runs"
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(run_id): Path<String>,
) -> Result<axum::Json<RunView>, ApiError> {
    let run = load(&state.store, &caller, &run_id)?;
    Ok(axum::Json(RunView::new(&run_id, &run)))
}

/// The output of a succeeded run: a redirect to its file.
#[utoipa::path(
    get,
    path = "/runs/{run_id}/download",
    params(("run_id" = String, Path, description = "The run's id")),
    responses(
        (status = 302, description = "The output's URL, in `Location`", headers(("Location" = String, description = "Where the output is"))),
        (status = 401, response = error_spec_openapi::StatusResponse<401>),
        (status = 404, response = error_spec_openapi::StatusResponse<404>),
        (status = 409, response = error_spec_openapi::StatusResponse<409>),
        (status = 410, response = error_spec_openapi::StatusResponse<410>),
        (status = 429, response = error_spec_openapi::StatusResponse<429>),
        (status = 500, response = error_spec_openapi::StatusResponse<500>),
    ),
    security(("api_key" = [])),
    tag = "runs"
)]
pub(crate) async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(run_id): Path<String>,
) -> Result<Response, ApiError> {
    let run = load(&state.store, &caller, &run_id)?;
    match run.state {
        RunState::Succeeded(_) => {
            let location = format!(
                "https://files.example.com/{}/{run_id}.{}",
                caller.org,
                run.format.extension()
            );
            Ok((StatusCode::FOUND, [(http::header::LOCATION, location)]).into_response())
        }
        RunState::Queued | RunState::Running | RunState::Failed(_) => {
            Err(ApiError::new(ErrorCode::Conflict)
                .with_run_id(run_id)
                .with_message(UserMessage::user_safe(
                    "Only a succeeded run has a download; wait until the run has succeeded.",
                )))
        }
    }
}
