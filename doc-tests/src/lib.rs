//! The README's and `docs/`' examples, compiled and run as doctests.
//!
//! They live in this unpublished crate, not in the crates they show, because a published
//! package may only read files inside its own folder, and these pages are the workspace's.
//! Its dev-dependencies are what the README's quick start tells a user to depend on, so
//! every snippet is checked as a user's crate would build it.

#![deny(missing_docs)]

/// The README's examples.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The operations guide's examples, which need the production features.
#[doc = include_str!("../../docs/operations.md")]
#[cfg(doctest)]
pub struct OperationsDoctests;
