//! Benchmarks of `error-spec` against the hand-written baseline; the code is in `benches/`.
//!
//! Run them with `cargo bench -p error-benches`, then `cargo xtask bench-ratios` to print the
//! ratios the README quotes. The library holds what the stack benches and their tests share:
//! the peer stack a team would build instead ([`peer`]) and the three servers compared
//! ([`stacks`]).
#![deny(missing_docs)]

pub mod peer;
pub mod stacks;
