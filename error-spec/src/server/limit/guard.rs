//! [`RunGuard`]: one concurrent run slot, held until it drops. A leaf: backends build
//! guards and the limiter hands them out, so both import it and it imports neither.

use std::fmt;

/// One concurrent run slot, held until this guard drops. Move it into the task that runs
/// the work; for a run that outlives its request, that is a spawned task.
#[must_use = "the run slot is freed as soon as the guard drops"]
pub struct RunGuard {
    release: Option<Box<dyn FnOnce() + Send + Sync>>,
}

impl RunGuard {
    /// A guard that calls `release` once, when it drops. Backends build these.
    pub fn new(release: impl FnOnce() + Send + Sync + 'static) -> Self {
        RunGuard {
            release: Some(Box::new(release)),
        }
    }
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release();
        }
    }
}

impl fmt::Debug for RunGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunGuard").finish_non_exhaustive()
    }
}
