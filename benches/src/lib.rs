//! Benchmarks of `error-spec` against the hand-written baseline; the code is in `benches/`.
//!
//! Run them with `cargo bench -p error-benches`, then `cargo xtask bench-ratios` to print the
//! ratios the README quotes.
