//! `POST /runs`, `GET /runs/{run_id}` and `GET /runs/{run_id}/download`: runs, synchronous
//! under a ceiling or async as a task, with credits, tiers, preflight and idempotency keys.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use error_spec::axum::{Json, Path};
use error_spec::limit::{RunGuard, RunSlots};
use error_spec::{ApiError, ErrorBody, ErrorCode, JsonPointer, RequestId, Tier, UserMessage};
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::caller::Caller;
use crate::models::{Format, Model};
use crate::state::AppState;
use crate::store::{Data, Replay, Run, RunState, Store, load, unix_secs};
use crate::tasks::TaskInfo;
use crate::trace::RunNote;

/// The longest simulated work a run may ask for.
const MAX_WORK_MS: u32 = 10_000;
/// The longest prompt.
const MAX_PROMPT: usize = 4000;

/// A run to start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateRun {
    /// What to produce: 1 to 4000 characters, at least one of them not white space (the
    /// pattern lists exactly the characters Rust's `char::is_whitespace` counts, which the
    /// server's blank check uses, so that a prompt valid by the schema is accepted).
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = r"[^\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
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
    /// Ids of uploaded files the run reads (`POST /files`): one that names no upload is
    /// `not_found`, a deleted one `preflight_failed`.
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

// One schema for both statuses because 3.0 generators take one success type per operation
// (progenitor stops on two); the two shapes are disjoint, a task having `task_id` and no
// `created_at`, so exactly one branch of the `oneOf` matches a body.
// The operation's links say which member of each feeds `getRun` and `getTask`, which tools
// could read off a `RunView` or a `TaskInfo` but not off the `oneOf`.
/// What `POST /runs` answers: the run, done (200), or the task it was queued as (202).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum CreatedRun {
    /// The run, done: 200.
    Run(Box<RunView>),
    /// The run, queued as a task: 202.
    Task(TaskInfo),
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

crate::caller::from_suspended!(CreateRunError);

/// Starts a run.
///
/// Synchronous by default: answered 200 with the output, or `sync_timeout_upgrade_async`
/// when the run takes longer than the ceiling. With `"async": true` it is queued as a task
/// and answered 202; poll `GET /tasks/{task_id}`.
///
/// Depends on the server's state: a run longer than the server's synchronous ceiling is
/// `sync_timeout_upgrade_async`; the model `legacy-0` is in an upstream outage
/// (`upstream_error`) and `batch-xl` under maintenance (`service_unavailable`), as is a
/// full worker pool; an asset deleted since is `preflight_failed`; the account's credits,
/// tier and suspension decide `insufficient_credits` and `forbidden`.
#[error_spec::operation(errors(
    Forbidden,
    InsufficientCredits,
    InvalidRequest,
    ValidationError,
    PreflightFailed,
    NotFound,
    Conflict,
    SyncTimeoutUpgradeAsync,
    RateLimitExceeded,
    InternalError,
    UpstreamError,
    ServiceUnavailable,
))]
#[utoipa::path(
    post,
    path = "/runs",
    request_body = CreateRun,
    params(
        ("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 255, pattern = "^[!-~]+$", description = "1 to 255 visible ASCII characters; replays the first answer for the same body; a different body is `conflict`"),
    ),
    responses(
        (status = 200, description = "The run, done: a `RunView`", body = CreatedRun, links(
            ("getRun" = (operation_id = "getRun", parameters(("run_id" = "$response.body#/run_id")))),
        )),
        (status = 202, description = "The run, queued as a task: a `TaskInfo`", body = CreatedRun, links(
            ("getTask" = (operation_id = "getTask", parameters(("task_id" = "$response.body#/task_id")))),
            ("getRun" = (operation_id = "getRun", parameters(("run_id" = "$response.body#/run_id")))),
        )),
    ),
    security(("api_key" = [])),
    tag = "runs"
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    slots: RunSlots,
    note: Option<axum::Extension<RunNote>>,
    headers: HeaderMap,
    Json(request): Json<CreateRun>,
) -> Result<Response, CreateRunError> {
    caller.ensure_active()?;
    validate(&request)?;
    request.format.check_tier(caller.tier)?;
    request.model.check_available()?;
    let idempotency = idempotency_key(&headers)?.map(|key| (caller.org.clone(), key));
    let request_json = serde_json::to_value(&request).map_err(internal)?;
    if let Some(key) = &idempotency
        && let Some(answer) = replay(&state.store.lock(), key, &request_json)?
    {
        return Ok(answer);
    }
    preflight(&state.store, &caller, &request)?;
    // Read only: out of credits is answered before the request waits for a slot. The
    // credit itself is taken in `admit`, with the slot held.
    ensure_credits(&state.store, &caller, request.format)?;
    let slot = slots.acquire().await.map_err(slot_refused)?;
    let admission = match admit(
        &state,
        &caller,
        &request,
        slot,
        idempotency.as_ref(),
        &request_json,
    )? {
        Admit::Run(admission) => admission,
        Admit::Replay(answer) => return Ok(answer),
    };
    if let Some(axum::Extension(note)) = &note {
        note.set(&admission.run_id);
    }
    let work = Work::new(&state, &caller, &admission, &request);

    if let Some(task_id) = admission.task_id.clone() {
        let run_id = admission.run_id.clone();
        tokio::spawn(async move {
            let mut admission = admission;
            work.set_state(RunState::Running);
            let outcome = work.execute().await;
            if work.finish(outcome).is_ok() {
                admission.settle();
            }
        });
        let info = TaskInfo::queued(task_id, run_id);
        let body = serde_json::to_value(CreatedRun::Task(info)).map_err(internal)?;
        return Ok((StatusCode::ACCEPTED, axum::Json(body)).into_response());
    }

    // A synchronous run executes in a task of its own, so that it ends the same way whether
    // or not its client still waits: if the client hangs up, the run still ends at the
    // ceiling at the latest, its slot is freed, its credit kept only if it succeeded, and
    // its answer is kept for a retry with the same `Idempotency-Key`.
    let (answer_tx, answer_rx) = tokio::sync::oneshot::channel();
    let ceiling = state.config.sync_ceiling;
    let store = Arc::clone(&state.store);
    tokio::spawn(async move {
        let mut admission = admission;
        let outcome = match tokio::time::timeout(ceiling, work.execute()).await {
            Ok(outcome) => outcome,
            Err(_elapsed) => Err(CreateRunError::sync_timeout_upgrade_async()),
        };
        let answer = work.finish(outcome).and_then(|()| {
            let data = store.lock();
            let run = data
                .runs
                .get(&(work.org.clone(), work.run_id.clone()))
                .ok_or_else(|| internal("a run vanished while it ran"))?;
            serde_json::to_value(CreatedRun::Run(Box::new(RunView::new(&work.run_id, run))))
                .map_err(internal)
        });
        if answer.is_ok() {
            admission.settle();
        }
        admission.record(answer.as_ref().ok());
        // The slot and, for a failed run, the credit are given back before the answer goes
        // out, so that the client's next request finds them.
        drop(admission);
        let _ = answer_tx.send(answer);
    });
    let body = answer_rx
        .await
        .map_err(|_| internal("a run's task ended without an answer"))??;
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

/// `internal_error` of `createRun`, caused by `cause`.
fn internal(
    cause: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
) -> CreateRunError {
    CreateRunError::internal_error().with_source(cause)
}

/// The limiter's refusal of a run slot, as the code `createRun` declares for it: over the
/// tier's concurrent runs `rate_limit_exceeded` with its wait, its backend unreachable
/// `service_unavailable`.
fn slot_refused(err: ApiError) -> CreateRunError {
    let narrowed = match err.code() {
        ErrorCode::RateLimitExceeded => CreateRunError::rate_limit_exceeded(),
        ErrorCode::ServiceUnavailable => CreateRunError::service_unavailable(),
        _ => CreateRunError::internal_error(),
    };
    let narrowed = match err.retry_after() {
        Some(secs) => narrowed.with_retry_after(secs),
        None => narrowed,
    };
    narrowed
        .with_message(err.message().clone())
        .with_source(err)
}

/// The answer kept for an `Idempotency-Key`: the first answer for the same body, `conflict`
/// for another body or while the first request's run still executes, `None` when the key
/// is new.
fn replay(
    data: &Data,
    key: &(String, String),
    request: &serde_json::Value,
) -> Result<Option<Response>, CreateRunError> {
    let Some(replay) = data.idempotency.get(key) else {
        return Ok(None);
    };
    if replay.request != *request {
        return Err(
            CreateRunError::conflict().with_message(UserMessage::user_safe(
                "This Idempotency-Key was used with a different request body.",
            )),
        );
    }
    match &replay.answer {
        Some((status, body)) => Ok(Some((*status, axum::Json(body.clone())).into_response())),
        None => Err(CreateRunError::conflict()
            .with_run_id(replay.run_id.clone())
            .with_message(UserMessage::user_safe(
                "The run of this Idempotency-Key is still executing; retry once it has ended.",
            ))),
    }
}

/// What [`admit`] decided.
enum Admit {
    /// The run is admitted and charged.
    Run(Admission),
    /// A request with the same `Idempotency-Key` got there first.
    Replay(Response),
}

/// Admits a run in one step under the store's lock, with the key's run slot already held:
/// a place in the pool, the credit, the run's record and the idempotency reservation
/// together, or none of them.
fn admit(
    state: &AppState,
    caller: &Caller,
    request: &CreateRun,
    slot: RunGuard,
    idempotency: Option<&(String, String)>,
    request_json: &serde_json::Value,
) -> Result<Admit, CreateRunError> {
    let store = &state.store;
    let mut data = store.lock();
    if let Some(key) = idempotency
        && let Some(answer) = replay(&data, key, request_json)?
    {
        return Ok(Admit::Replay(answer));
    }
    if data.running >= state.config.pool_size {
        return Err(
            CreateRunError::service_unavailable().with_message(UserMessage::user_safe(
                "Every worker is busy; retry in a minute.",
            )),
        );
    }
    let cost = request.format.cost();
    let org = data
        .orgs
        .get_mut(&caller.org)
        .ok_or_else(|| internal("a caller without an organization"))?;
    if org.credits < cost {
        return Err(CreateRunError::insufficient_credits());
    }
    org.credits -= cost;
    data.running += 1;
    let run_id = store.new_id("run");
    let task_id = request.asynchronous.then(|| store.new_id("task"));
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
    if let Some(key) = idempotency {
        // An async run's answer is known now; a synchronous one's when it ends.
        let answer = match &task_id {
            Some(task_id) => Some((
                StatusCode::ACCEPTED,
                serde_json::to_value(TaskInfo::queued(task_id.clone(), run_id.clone()))
                    .map_err(internal)?,
            )),
            None => None,
        };
        data.idempotency.insert(
            key.clone(),
            Replay {
                request: request_json.clone(),
                run_id: run_id.clone(),
                answer,
            },
        );
    }
    Ok(Admit::Run(Admission {
        store: Arc::clone(store),
        org: caller.org.clone(),
        run_id,
        task_id,
        idempotency: idempotency.cloned(),
        refund: cost,
        doc_base: state.config.doc_base.to_string(),
        _slot: slot,
    }))
}

/// What the schema cannot say: a blank prompt, lengths and limits in characters.
fn validate(request: &CreateRun) -> Result<(), CreateRunError> {
    let mut err = CreateRunError::validation_error();
    let mut failed = false;
    if request.prompt.chars().all(char::is_whitespace) {
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
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, CreateRunError> {
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
            CreateRunError::invalid_request().with_message(UserMessage::user_safe(
                "The Idempotency-Key header must be 1 to 255 visible ASCII characters.",
            )),
        ),
    }
}

/// The assets the run reads: an id that names no upload of the organization is
/// `not_found` (404), like any other id the request names; an upload deleted since is
/// `preflight_failed` (400), the asset missing. The split keeps a request that is valid by
/// its schema out of 400: a client can only name a deleted file by having uploaded it.
fn preflight(store: &Store, caller: &Caller, request: &CreateRun) -> Result<(), CreateRunError> {
    let data = store.lock();
    for id in &request.assets {
        match data.files.get(&(caller.org.clone(), id.clone())) {
            None => {
                return Err(
                    CreateRunError::not_found().with_message(UserMessage::user_safe(
                        "An asset names no uploaded file; upload it with POST /files first.",
                    )),
                );
            }
            Some(file) if file.deleted => return Err(CreateRunError::preflight_failed()),
            Some(_) => {}
        }
    }
    Ok(())
}

/// `insufficient_credits` when the organization cannot pay for the format; takes nothing.
fn ensure_credits(store: &Store, caller: &Caller, format: Format) -> Result<(), CreateRunError> {
    let data = store.lock();
    let org = data
        .orgs
        .get(&caller.org)
        .ok_or_else(|| internal("a caller without an organization"))?;
    if org.credits < format.cost() {
        return Err(CreateRunError::insufficient_credits());
    }
    Ok(())
}

/// An admitted run's hold on the server: one of the key's run slots (its tier's concurrent
/// runs, from `error_spec::limit`), a place in the server's pool, and the run's credit.
/// Dropping it frees the slot and the place and gives the credit back unless the run
/// succeeded ([`Admission::settle`]); that happens however the run ends, a panic included.
#[derive(Debug)]
struct Admission {
    store: Arc<Store>,
    org: String,
    run_id: String,
    task_id: Option<String>,
    idempotency: Option<(String, String)>,
    /// The credits to give back on drop: the run's cost until it succeeded, then 0.
    refund: u64,
    doc_base: String,
    _slot: RunGuard,
}

impl Admission {
    /// The run succeeded: its credit is spent.
    fn settle(&mut self) {
        self.refund = 0;
    }

    /// Keeps a synchronous run's answer for its `Idempotency-Key`, or frees the key after a
    /// failure so that a retry runs again.
    fn record(&self, answer: Option<&serde_json::Value>) {
        let Some(key) = &self.idempotency else {
            return;
        };
        let mut data = self.store.lock();
        match answer {
            Some(body) => {
                if let Some(replay) = data.idempotency.get_mut(key) {
                    replay.answer = Some((StatusCode::OK, body.clone()));
                }
            }
            None => {
                data.idempotency.remove(key);
            }
        }
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        let mut data = self.store.lock();
        data.running = data.running.saturating_sub(1);
        if let Some(org) = data.orgs.get_mut(&self.org) {
            org.credits += self.refund;
        }
        // A run whose task ended without recording an outcome (it panicked) must not stay
        // `running`: it failed on the server's side.
        if let Some(run) = data.runs.get_mut(&(self.org.clone(), self.run_id.clone()))
            && matches!(run.state, RunState::Queued | RunState::Running)
        {
            let mut err = ApiError::internal("a run's task ended without an outcome")
                .with_run_id(self.run_id.clone());
            if let Some(task_id) = &self.task_id {
                err = err.with_task_id(task_id.clone());
            }
            tracing::error!(run_id = %self.run_id, error = ?err, "run lost");
            run.state = RunState::Failed(Box::new(err.to_body(&RequestId::mint(), &self.doc_base)));
        }
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
    fn new(state: &AppState, caller: &Caller, admission: &Admission, request: &CreateRun) -> Self {
        Work {
            store: state.store.clone(),
            org: caller.org.clone(),
            run_id: admission.run_id.clone(),
            task_id: admission.task_id.clone(),
            doc_base: state.config.doc_base.to_string(),
            model: request.model,
            format: request.format,
            prompt: request.prompt.clone(),
            work: Duration::from_millis(u64::from(request.work_ms)),
        }
    }

    /// Runs the model: waits the work's time, then asks the upstream provider.
    async fn execute(&self) -> Result<String, CreateRunError> {
        tokio::time::sleep(self.work).await;
        if !self.model.upstream_up() {
            let cause = std::io::Error::new(
                std::io::ErrorKind::ConnectionRefused,
                "provider of legacy-0: connection refused",
            );
            return Err(CreateRunError::upstream_error().with_source(cause));
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
    fn finish(&self, outcome: Result<String, CreateRunError>) -> Result<(), CreateRunError> {
        match outcome {
            Ok(output) => {
                self.set_state(RunState::Succeeded(output));
                Ok(())
            }
            Err(err) => {
                let mut err = err.with_run_id(self.run_id.clone());
                if let Some(task_id) = &self.task_id {
                    err = err.with_task_id(task_id.clone());
                }
                tracing::warn!(run_id = %self.run_id, error = ?err, "run failed");
                let body = err
                    .as_api_error()
                    .to_body(&RequestId::mint(), &self.doc_base);
                self.set_state(RunState::Failed(Box::new(body)));
                Err(err)
            }
        }
    }
}

crate::store::from_load_error!(GetRunError, DownloadRunError);

/// A run by id.
#[error_spec::operation(errors(NotFound, Gone, InternalError))]
#[utoipa::path(
    get,
    path = "/runs/{run_id}",
    params(("run_id" = String, Path, description = "The run's id")),
    responses(
        (status = 200, description = "The run", body = RunView),
    ),
    security(("api_key" = [])),
    tag = "runs"
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(run_id): Path<String>,
) -> Result<axum::Json<RunView>, GetRunError> {
    let run = load(&state.store, &caller, &run_id)?;
    Ok(axum::Json(RunView::new(&run_id, &run)))
}

/// The output of a succeeded run: a redirect to its file.
#[error_spec::operation(errors(NotFound, Gone, Conflict, InternalError))]
#[utoipa::path(
    get,
    path = "/runs/{run_id}/download",
    params(("run_id" = String, Path, description = "The run's id")),
    responses(
        (status = 302, description = "The output's URL, in `Location`", headers(("Location" = String, description = "Where the output is"))),
    ),
    security(("api_key" = [])),
    tag = "runs"
)]
pub(crate) async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(run_id): Path<String>,
) -> Result<Response, DownloadRunError> {
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
            Err(DownloadRunError::conflict()
                .with_run_id(run_id)
                .with_message(UserMessage::user_safe(
                    "Only a succeeded run has a download; wait until the run has succeeded.",
                )))
        }
    }
}

// What a run asks for, judged for this operation: the narrowed error type lives here, so
// the checks do too, and `models` stays a leaf that knows no handler.
impl Format {
    /// `forbidden` when `tier` may not ask for this format.
    pub(crate) fn check_tier(self, tier: &Tier) -> Result<(), CreateRunError> {
        if self == Format::Video && tier.name == "free" {
            return Err(
                CreateRunError::forbidden().with_message(UserMessage::user_safe(
                    "Video runs need the pro or enterprise tier.",
                )),
            );
        }
        Ok(())
    }
}

impl Model {
    /// `service_unavailable` when the model's pool is under maintenance.
    pub(crate) fn check_available(self) -> Result<(), CreateRunError> {
        if self == Model::BatchXl {
            return Err(CreateRunError::service_unavailable().with_message(
                UserMessage::user_safe(
                    "The batch-xl pool is down for scheduled maintenance; retry in a minute.",
                ),
            ));
        }
        Ok(())
    }
}
