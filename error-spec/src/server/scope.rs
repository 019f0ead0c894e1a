//! The request's scope: what [`contract_middleware`](crate::axum::contract_middleware) knows
//! about a request (its id, the docs base URL, the key's rate-limit state), reachable from
//! [`ApiError::into_response`](axum::response::IntoResponse) and the limiter while the
//! middleware polls the service inside it.
//!
//! With it an error is rendered once, by `into_response`, with the request's own id: without
//! it `into_response` could only mint an id, and the middleware had to render the error again.
//!
//! The scope is a thread-local that the middleware fills for the length of each poll of its
//! inner future and takes back afterwards, the way `tokio::task_local!` works: a task polled
//! on another thread, or spawned by the handler, sees no scope. It moves by value, so it
//! costs no allocation and no `unsafe`.

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;

use crate::RenderContext;

/// What the middleware lends the service inside it.
#[derive(Debug)]
pub(crate) struct Scope {
    /// The request's id, the docs base URL and, once the limiter counted the request, the
    /// key's rate-limit state.
    pub(crate) context: RenderContext,
    /// The levels errors are logged at, and the request's method and route for the log line.
    #[cfg(feature = "tracing")]
    pub(crate) log: LogContext,
    /// An error was rendered into a response in this scope; the middleware need not write
    /// that response's headers again.
    pub(crate) rendered: bool,
    /// The code of the last error rendered in this scope, for the middleware's check that
    /// the operation declares it.
    pub(crate) code: Option<crate::ErrorCode>,
}

/// What an error's log line needs from the request.
#[cfg(feature = "tracing")]
#[derive(Debug)]
pub(crate) struct LogContext {
    pub(crate) levels: crate::log::LogLevels,
    pub(crate) method: http::Method,
    pub(crate) route: Option<axum::extract::MatchedPath>,
}

thread_local! {
    static CURRENT: Cell<Option<Scope>> = const { Cell::new(None) };
}

/// Puts the scope back where it came from when dropped, also on a panic.
struct Restore<'a> {
    slot: &'a mut Option<Scope>,
    outer: Option<Scope>,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        *self.slot = CURRENT.with(|current| current.replace(self.outer.take()));
    }
}

/// Polls `future` with `scope` current, and gives the scope back with the output.
pub(crate) async fn run<F: Future>(scope: Scope, future: F) -> (F::Output, Option<Scope>) {
    let mut slot = Some(scope);
    let mut future = pin!(future);
    let output = std::future::poll_fn(|cx| {
        let outer = CURRENT.with(|current| current.replace(slot.take()));
        let _restore = Restore {
            slot: &mut slot,
            outer,
        };
        future.as_mut().poll(cx)
    })
    .await;
    (output, slot)
}

/// Calls `f` with the current scope, if a middleware lent one to this poll.
pub(crate) fn with_current<R>(f: impl FnOnce(Option<&mut Scope>) -> R) -> R {
    /// Puts the scope back after `f`, also when `f` panics.
    struct PutBack(Option<Scope>);
    impl Drop for PutBack {
        fn drop(&mut self) {
            let scope = self.0.take();
            CURRENT.with(|current| current.set(scope));
        }
    }
    let mut taken = PutBack(CURRENT.with(Cell::take));
    f(taken.0.as_mut())
}

/// Hands the key's rate-limit state to the current scope; `false` when there is none, and
/// the caller must carry the state some other way (the response's extensions).
// Only the limiter calls it: with `axum` alone it would be dead code.
#[cfg(feature = "limit")]
pub(crate) fn set_rate_limit(state: crate::RateLimitState) -> bool {
    with_current(|scope| match scope {
        Some(scope) => {
            scope.context.set_rate_limit(state);
            true
        }
        None => false,
    })
}
