//! The in-memory store: organizations and their keys, runs, tasks, files and idempotency
//! keys. One mutex, never held across an `.await`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use error_spec::{ErrorBody, Tier};

use crate::caller::Caller;
use crate::config::DEMO_KEYS;
use crate::models::{Format, Model};

/// The seeded run of every organization that is past its retention: `gone`.
pub(crate) const EXPIRED_RUN: &str = "run_expired";
/// The seeded run of every organization that is still running: its download is `conflict`.
pub(crate) const RUNNING_RUN: &str = "run_running";
/// The seeded run of every organization whose record is corrupt: `internal_error`.
pub(crate) const CORRUPT_RUN: &str = "run_corrupt";

/// The seeded task of [`EXPIRED_RUN`]: `gone`.
pub(crate) const EXPIRED_TASK: &str = "task_expired";
/// The seeded task of [`CORRUPT_RUN`]: `internal_error`.
pub(crate) const CORRUPT_TASK: &str = "task_corrupt";

/// Everything the server knows.
#[derive(Debug)]
pub(crate) struct Store {
    data: Mutex<Data>,
    ids: AtomicU64,
    retention: Duration,
}

/// What the mutex guards.
#[derive(Debug, Default)]
pub(crate) struct Data {
    keys: HashMap<String, String>,
    pub(crate) orgs: HashMap<String, Org>,
    /// Runs by organization and id: another organization's run is not found.
    pub(crate) runs: HashMap<(String, String), Run>,
    /// Tasks by organization and id, naming their run.
    pub(crate) tasks: HashMap<(String, String), String>,
    pub(crate) files: HashMap<(String, String), File>,
    /// Idempotency keys by organization: the request and the answer it got.
    pub(crate) idempotency: HashMap<(String, String), Replay>,
    /// Runs executing now, across all organizations.
    pub(crate) running: usize,
}

/// An organization.
#[derive(Debug)]
pub(crate) struct Org {
    pub(crate) tier: &'static Tier,
    pub(crate) credits: u64,
    pub(crate) suspended: bool,
    /// Its record cannot be read: every request with its key is `internal_error`.
    pub(crate) corrupt: bool,
}

/// A run.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub(crate) format: Format,
    pub(crate) model: Model,
    pub(crate) created: SystemTime,
    pub(crate) task_id: Option<String>,
    pub(crate) state: RunState,
    /// A record that fails to load, to show an unhandled error.
    pub(crate) corrupt: bool,
}

/// Where a run is.
#[derive(Debug, Clone)]
pub(crate) enum RunState {
    Queued,
    Running,
    Succeeded(String),
    Failed(Box<ErrorBody>),
}

/// An uploaded file.
#[derive(Debug, Clone)]
pub(crate) struct File {
    pub(crate) size: usize,
    pub(crate) created: SystemTime,
    pub(crate) deleted: bool,
}

/// What an idempotency key was first used for, and the answer, replayed for the same request.
#[derive(Debug, Clone)]
pub(crate) struct Replay {
    pub(crate) request: serde_json::Value,
    /// The run the key's first request admitted.
    pub(crate) run_id: String,
    /// The status and body, once known; `None` while a synchronous run still executes.
    pub(crate) answer: Option<(http::StatusCode, serde_json::Value)>,
}

impl Store {
    /// A store with the demo organizations and keys, and for each organization the seeded
    /// runs [`EXPIRED_RUN`], [`RUNNING_RUN`] and [`CORRUPT_RUN`].
    pub(crate) fn seeded(retention: Duration) -> Self {
        let mut data = Data::default();
        let now = SystemTime::now();
        for demo in &DEMO_KEYS {
            data.keys.insert(demo.key.to_owned(), demo.org.to_owned());
            data.orgs.insert(
                demo.org.to_owned(),
                Org {
                    tier: demo.tier,
                    credits: demo.credits,
                    suspended: demo.suspended,
                    corrupt: demo.corrupt,
                },
            );
            let run = |created, state, corrupt| Run {
                format: Format::Text,
                model: Model::Fast1,
                created,
                task_id: None,
                state,
                corrupt,
            };
            let expired = now
                .checked_sub(retention + Duration::from_secs(24 * 3600))
                .unwrap_or(UNIX_EPOCH);
            let done = RunState::Succeeded("Hello.".to_owned());
            for (id, run) in [
                (EXPIRED_RUN, run(expired, done.clone(), false)),
                (RUNNING_RUN, run(now, RunState::Running, false)),
                (CORRUPT_RUN, run(now, done, true)),
            ] {
                data.runs.insert((demo.org.to_owned(), id.to_owned()), run);
            }
            // The tasks of two of them, so that a task's `gone` and `internal_error` are
            // reachable too.
            for (task_id, run_id) in [(EXPIRED_TASK, EXPIRED_RUN), (CORRUPT_TASK, CORRUPT_RUN)] {
                data.tasks
                    .insert((demo.org.to_owned(), task_id.to_owned()), run_id.to_owned());
                if let Some(run) = data.runs.get_mut(&(demo.org.to_owned(), run_id.to_owned())) {
                    run.task_id = Some(task_id.to_owned());
                }
            }
        }
        Store {
            data: Mutex::new(data),
            ids: AtomicU64::new(1),
            retention,
        }
    }

    /// The store's data, locked. A panic while it was held leaves it as it was, which every
    /// writer keeps consistent step by step, so poisoning is ignored.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Data> {
        self.data
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The caller behind `key`, if it is one of the store's keys.
    pub(crate) fn caller(&self, key: &str) -> Option<Caller> {
        let data = self.lock();
        let org_id = data.keys.get(key)?;
        let org = data.orgs.get(org_id)?;
        Some(Caller {
            org: org_id.clone(),
            tier: org.tier,
            suspended: org.suspended,
            corrupt: org.corrupt,
        })
    }

    /// A new id with `prefix`, e.g. `run_000000000000002a`.
    pub(crate) fn new_id(&self, prefix: &str) -> String {
        format!("{prefix}_{:016x}", self.ids.fetch_add(1, Ordering::Relaxed))
    }

    /// Whether something created at `created` is past its retention.
    pub(crate) fn expired(&self, created: SystemTime) -> bool {
        created.elapsed().is_ok_and(|age| age > self.retention)
    }
}

/// Seconds since the Unix epoch, for the `created_at` members.
pub(crate) fn unix_secs(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Why [`load`] found no readable run.
#[derive(Debug)]
pub(crate) enum LoadError {
    /// No run of the caller has the id.
    NotFound(String),
    /// The run is past its retention.
    Gone(String),
    /// Its record cannot be read.
    Corrupt(String, std::io::Error),
}

/// `LoadError` as each operation that loads a run declares it: `not_found`, `gone`,
/// `internal_error`. Each impl calls the operation's own constructors, so an operation that
/// stopped declaring one of the three would not compile.
macro_rules! from_load_error {
    ($($ty:ty),*) => {$(
        impl From<$crate::store::LoadError> for $ty {
            fn from(err: $crate::store::LoadError) -> Self {
                use $crate::store::LoadError;
                match err {
                    LoadError::NotFound(run_id) => <$ty>::not_found().with_run_id(run_id),
                    LoadError::Gone(run_id) => <$ty>::gone().with_run_id(run_id),
                    // `contract_middleware` logs the cause with the request id.
                    LoadError::Corrupt(run_id, cause) => {
                        <$ty>::internal_error().with_source(cause).with_run_id(run_id)
                    }
                }
            }
        }
    )*};
}
pub(crate) use from_load_error;

/// The run `run_id` of the caller: `not_found`, `gone` past retention, `internal_error` when
/// its record cannot be read.
pub(crate) fn load(store: &Store, caller: &Caller, run_id: &str) -> Result<Run, LoadError> {
    let data = store.lock();
    let run = data
        .runs
        .get(&(caller.org.clone(), run_id.to_owned()))
        .ok_or_else(|| LoadError::NotFound(run_id.to_owned()))?;
    if run.corrupt {
        let cause = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("run record {run_id}: checksum mismatch"),
        );
        return Err(LoadError::Corrupt(run_id.to_owned(), cause));
    }
    if store.expired(run.created) {
        return Err(LoadError::Gone(run_id.to_owned()));
    }
    Ok(run.clone())
}
