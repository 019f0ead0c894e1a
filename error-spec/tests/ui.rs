//! The `#[error_table]` macro's diagnostics, checked against their expected `.stderr` files.
//!
//! Each case under `tests/ui/<category>/` is a tiny table broken in one way (or, under
//! `many/`, in several ways at once); its `.stderr` is the exact message and span a user
//! sees. `tests/ui/safety/` holds the doors into a server's body that stay shut: each case
//! tries to deserialize, convert or relay text into `UserMessage`, `ErrorBody`,
//! `FieldError` or `FailedTask`, and must not compile. The output depends on the rustc
//! version, so regenerate the files with `TRYBUILD=overwrite cargo test -p error-spec --test
//! ui` after a toolchain bump, then review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*/*.rs");
    // The first glob also matches `pass/`; trybuild lets a later glob override an earlier
    // one for the same file, so these are checked to compile and run instead.
    cases.pass("tests/ui/pass/*.rs");
}
