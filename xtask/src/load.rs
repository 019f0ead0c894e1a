//! `cargo xtask load [--clients N] [--seconds S]`: the reference server's load run, built in
//! release mode. The run itself is the server crate's `load` example, which needs the
//! server and an HTTP client; xtask only builds and starts it.

use std::process::{Command, ExitCode};

/// Runs the load example with `args`, passed through.
pub(crate) fn run(args: &[&str]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args([
            "run",
            "--release",
            "--quiet",
            "--package",
            "error-spec-reference-server",
            "--example",
            "load",
            "--",
        ])
        .args(args)
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: cannot run cargo: {err}");
            ExitCode::FAILURE
        }
    }
}
