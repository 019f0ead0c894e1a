//! The rules of the error contract, each stated once.
//!
//! Both sides read these: `error-derive` checks a table against them at compile time, and
//! `error-spec` acts on them at run time (an SDK's retry advice for a code it does not know,
//! a server's `Retry-After` on 503, the rate-limit window). A rule changed here changes
//! both, so the macro can never accept a row that the runtime would treat differently; that
//! is how `retry = backoff` on a 501 row came to be rejected (see [`retry::allows`]).
//!
//! The crate has no dependencies: a proc-macro's dependencies are built for the host, so
//! anything here is compiled twice in a user's build.

#![deny(missing_docs)]

pub mod markdown;
pub mod operation;
pub mod retry;
pub mod status;
pub mod text;
pub mod timing;
pub mod version;
