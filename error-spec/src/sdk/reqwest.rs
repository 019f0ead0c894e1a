//! reqwest integration, behind the `reqwest` feature: a response read into its body or a
//! [`ResponseError`], and [`Retrier`], which sends a request again as the contract's retry
//! decisions say.
//!
//! ```no_run
//! use error_spec::sdk::reqwest::{Mode, Retrier, read_bytes};
//!
//! # async fn run() -> Result<(), error_spec::sdk::reqwest::Error> {
//! let client = reqwest::Client::new();
//! let response = Retrier::default()
//!     .send(|mode| {
//!         let asynchronous = mode == Mode::Async;
//!         client
//!             .post("http://127.0.0.1:8080/runs")
//!             .bearer_auth("sk_live_demo_pro")
//!             .header("content-type", "application/json")
//!             .body(format!(r#"{{"prompt":"hi","async":{asynchronous}}}"#))
//!             .send()
//!     })
//!     .await?;
//! let body = read_bytes(response, 64 * 1024).await?;
//! # let _ = body;
//! # Ok(())
//! # }
//! ```

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use super::{
    Jitter, MAX_BODY_LEN, ResponseError, RetryDecision, RetryPolicy, parse_error_response,
};

/// What went wrong with a request sent through this module.
#[derive(Debug)]
pub enum Error {
    /// The server answered with an error status; its body is read into the contract's error.
    Response(ResponseError),
    /// The request never got a complete response head: connection refused, reset, timed out.
    Transport(reqwest::Error),
    /// A success body longer than the limit the caller gave.
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

impl Error {
    /// The contract's error, when the server answered with one.
    pub fn response(&self) -> Option<&ResponseError> {
        match self {
            Error::Response(err) => Some(err),
            Error::Transport(_) | Error::BodyTooLarge { .. } => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Response(err) => fmt::Display::fmt(err, f),
            Error::Transport(err) => write!(f, "request failed: {err}"),
            Error::BodyTooLarge { limit } => write!(f, "response body over {limit} bytes"),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Response(err) => Some(err),
            Error::Transport(err) => Some(err),
            Error::BodyTooLarge { .. } => None,
        }
    }
}

impl From<ResponseError> for Error {
    fn from(err: ResponseError) -> Self {
        Error::Response(err)
    }
}

impl From<reqwest::Error> for Error {
    fn from(err: reqwest::Error) -> Self {
        Error::Transport(err)
    }
}

/// The response itself when its status is below 400, else its body read into a
/// [`ResponseError`].
///
/// The error body is read up to [`MAX_BODY_LEN`] plus one byte, so a huge body costs no more
/// than that and is reported as [`crate::UnexpectedReason::TooLarge`]. A body cut off by the
/// connection is parsed as far as it came: a contract body that arrived whole still gives its
/// code, anything else an [`crate::UnexpectedBody`].
pub async fn error_for_status(response: reqwest::Response) -> Result<reqwest::Response, Error> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response);
    }
    let headers = response.headers().clone();
    let (bytes, _complete) = read_bounded(response, MAX_BODY_LEN + 1).await;
    Err(Error::Response(parse_error_response(
        status, &headers, &bytes,
    )))
}

/// The body of a successful response, at most `limit` bytes; an error status is a
/// [`ResponseError`] as [`error_for_status`] reads it.
pub async fn read_bytes(response: reqwest::Response, limit: usize) -> Result<Vec<u8>, Error> {
    let response = error_for_status(response).await?;
    let mut response = response;
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if bytes.len() + chunk.len() > limit {
            return Err(Error::BodyTooLarge { limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Up to `limit` bytes of the body, and whether the whole body was read. A read error ends
/// the body where it happened: what arrived is still worth parsing.
async fn read_bounded(mut response: reqwest::Response, limit: usize) -> (Vec<u8>, bool) {
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = limit - bytes.len();
                if chunk.len() >= room {
                    bytes.extend_from_slice(&chunk[..room]);
                    return (bytes, false);
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return (bytes, true),
            Err(_) => return (bytes, false),
        }
    }
}

/// How [`Retrier::send`] asks for a request to be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The request as the caller wrote it.
    Sync,
    /// The same request with `async: true`: the server answered `sync_timeout_upgrade_async`,
    /// so it is resubmitted as an async task, which the caller then polls.
    Async,
}

/// Sends a request, and sends it again while the contract's retry decision says to, within a
/// cap on attempts and on total time.
///
/// - [`RetryDecision::RetryAfter`]: waits the time (the server's `Retry-After`, else the
///   policy's backoff with jitter or pause) and sends the same request again.
/// - [`RetryDecision::ResubmitAsync`]: sends it once more at once, in [`Mode::Async`].
/// - [`RetryDecision::DoNotRetry`]: returns the error.
///
/// A request that got no response because the connection could not be made is retried with
/// the policy's backoff: it never reached the server. Other transport errors are returned,
/// since the server may have acted on the request.
///
/// Before each wait the retrier checks the total time: when the wait would end after
/// [`Retrier::max_elapsed`], it returns the last error rather than sleep past the cap.
#[derive(Debug, Clone, Copy)]
pub struct Retrier {
    policy: RetryPolicy,
    max_elapsed: Duration,
    jitter: fn() -> Jitter,
}

impl Default for Retrier {
    /// [`RetryPolicy::default`] (5 attempts), at most 2 minutes in all, random jitter.
    fn default() -> Self {
        Retrier {
            policy: RetryPolicy::default(),
            max_elapsed: Duration::from_secs(120),
            jitter: Jitter::random,
        }
    }
}

impl Retrier {
    /// The policy whose rules and figures decide; its `max_attempts` caps the attempts.
    #[must_use]
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The cap on total time, waits included, from the first send.
    #[must_use]
    pub fn with_max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// Where jitter comes from; [`Jitter::random`] by default, a constant in tests.
    #[must_use]
    pub fn with_jitter(mut self, jitter: fn() -> Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// The policy in force.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// The cap on total time.
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// Sends the request `send` builds for a [`Mode`] until a response below 400 comes, the
    /// decision is not to retry, or a cap is reached; returns that response or the last error.
    pub async fn send<F, Fut>(&self, mut send: F) -> Result<reqwest::Response, Error>
    where
        F: FnMut(Mode) -> Fut,
        Fut: Future<Output = Result<reqwest::Response, reqwest::Error>>,
    {
        let start = Instant::now();
        let mut mode = Mode::Sync;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let (err, decision) = match send(mode).await {
                Ok(response) => match error_for_status(response).await {
                    Ok(response) => return Ok(response),
                    Err(Error::Response(err)) => {
                        // `ResponseError::retry_decision` with this retrier's policy.
                        let decision = self.policy.decide(
                            err.code(),
                            err.status(),
                            err.retry_after(),
                            attempt,
                            (self.jitter)(),
                        );
                        (Error::Response(err), decision)
                    }
                    Err(other) => return Err(other),
                },
                Err(err) if err.is_connect() && attempt < self.policy.max_attempts => {
                    let wait = self.policy.backoff(attempt, (self.jitter)());
                    (Error::Transport(err), RetryDecision::RetryAfter(wait))
                }
                Err(err) => return Err(Error::Transport(err)),
            };
            match decision {
                RetryDecision::DoNotRetry => return Err(err),
                // Once: an async request that is answered 408 again is not resubmitted.
                RetryDecision::ResubmitAsync if mode == Mode::Sync => mode = Mode::Async,
                RetryDecision::ResubmitAsync => return Err(err),
                RetryDecision::RetryAfter(wait) => {
                    if start.elapsed() + wait > self.max_elapsed {
                        return Err(err);
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}
