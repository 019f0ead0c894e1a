//! `cargo xtask`: the workspace's own tooling, run through the alias in `.cargo/config.toml`.
//!
//! - `cargo xtask codegen` writes every generated artifact from the table.
//! - `cargo xtask codegen --check` fails, with a diff, when a committed artifact is stale.
//! - `cargo xtask bench-ratios` prints the benchmark ratios after `cargo bench -p error-benches`.
//! - `cargo xtask build-cost [--runs N]` times clean builds of error-spec and the baseline.
//! - `cargo xtask contract-diff [--base GIT_REF]` classifies the table's changes since `GIT_REF`.
//! - `cargo xtask load [--clients N] [--seconds S]` runs the reference server's load run.

mod bench;
mod build_cost;
mod codegen;
mod contract;
mod diff;
mod docs;
mod load;

use std::process::{Command, ExitCode};

use contract::Contract;

const USAGE: &str = "usage: cargo xtask codegen [--check]\n       cargo xtask contract-diff [--base GIT_REF]\n       cargo xtask bench-ratios\n       cargo xtask build-cost [--runs N]\n       cargo xtask load [--clients N] [--seconds S]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["bench-ratios"] => bench_ratios(),
        ["build-cost"] => build_cost("3"),
        ["build-cost", "--runs", runs] => build_cost(runs),
        ["contract-diff"] => contract_diff(None),
        ["contract-diff", "--base", base] => contract_diff(Some(base)),
        ["load", rest @ ..] => load::run(rest),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::FAILURE
        }
    }
}

/// Writes or checks every artifact.
fn codegen(check: bool) -> ExitCode {
    match codegen::run(&codegen::workspace_root(), check) {
        Ok(Ok(written)) => {
            for path in &written {
                println!("wrote {path}");
            }
            if written.is_empty() {
                println!("every generated file is up to date");
            }
            ExitCode::SUCCESS
        }
        Ok(Err(report)) => {
            eprintln!("{report}");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the contract diff report; fails on a breaking change without a major version bump.
fn contract_diff(base: Option<&str>) -> ExitCode {
    let base = base.map_or_else(default_base, str::to_owned);
    let old = match git(&["show", &format!("{base}:{}", contract::PATH)]) {
        Ok(json) => json,
        Err(err) => {
            eprintln!("error: cannot read `{}` at `{base}`: {err}", contract::PATH);
            return ExitCode::FAILURE;
        }
    };
    let old = match Contract::from_json(&old) {
        Ok(old) => old,
        Err(err) => {
            eprintln!(
                "error: `{}` at `{base}` is not a contract: {err}",
                contract::PATH
            );
            return ExitCode::FAILURE;
        }
    };
    let new = Contract::current();
    let changes = diff::diff(&old, &new);
    print!("{}", diff::report(&base, &old, &new, &changes));
    if diff::allowed(&old.version, &new.version, &changes) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `origin/main` when the clone has it, else `HEAD`.
fn default_base() -> String {
    match git(&["rev-parse", "--verify", "--quiet", "origin/main"]) {
        Ok(_) => "origin/main".to_owned(),
        Err(_) => "HEAD".to_owned(),
    }
}

/// Runs git in the workspace root and returns its standard output.
fn git(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(codegen::workspace_root())
        .output()
        .map_err(|err| format!("cannot run git: {err}"))?;
    if output.status.success() {
        String::from_utf8(output.stdout).map_err(|err| err.to_string())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

/// Prints the benchmark ratios from criterion's latest results.
fn bench_ratios() -> ExitCode {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| codegen::workspace_root().join("target"), Into::into)
        .join("criterion");
    print_report(bench::ratios(&dir))
}

/// Times clean builds of error-spec and the baseline and prints the ratio.
fn build_cost(runs: &str) -> ExitCode {
    let Ok(runs @ 1..) = runs.parse::<usize>() else {
        eprintln!("error: `--runs` takes a positive number, not `{runs}`");
        return ExitCode::FAILURE;
    };
    print_report(build_cost::measure(&codegen::workspace_root(), runs))
}

/// Prints a report to stdout, or its error to stderr with a failing exit status.
fn print_report(report: Result<String, String>) -> ExitCode {
    match report {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
