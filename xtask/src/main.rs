//! `cargo xtask`: the workspace's own tooling, run through the alias in `.cargo/config.toml`.
//!
//! - `cargo xtask codegen` writes every generated artifact from the table.
//! - `cargo xtask codegen --check` fails, with a diff, when a committed artifact is stale.
//! - `cargo xtask bench-ratios` prints the benchmark ratios after `cargo bench -p error-benches`.
//! - `cargo xtask build-cost [--runs N]` times clean builds of error-spec and the baseline.
//! - `cargo xtask contract-diff [--base GIT_REF | --base-file PATH] [--format markdown|json]`
//!   classifies the contract's changes since the branch point (or the given base); see
//!   `docs/contract-review.md`.
//! - `cargo xtask hostile-docs DIR` writes the reference rendered from hostile texts, for
//!   `.ci/docs` to check with real renderers.
//! - `cargo xtask load [--clients N] [--seconds S]` runs the reference server's load run.
//! - `cargo xtask module-graph` prints each crate's module layering, as ARCHITECTURE.md
//!   states it, and any circle in the imports.
//! - `cargo xtask openapi-3.0 INPUT OUTPUT` exports a server's OpenAPI 3.1 document (a JSON
//!   file) to OpenAPI 3.0.3, for 3.0-only generators such as progenitor.

mod bench;
mod build_cost;
mod codegen;
mod contract;
mod diff;
mod docs;
mod hostile;
mod imports;
mod json_schema;
mod load;
mod model;
mod openapi;
mod openapi30;
mod operations_ref;
#[cfg(test)]
mod planted;
mod review;
mod sdk_python;
mod sdk_typescript;
mod verdict;
mod workspace;

use std::process::ExitCode;

use model::Contract;

const USAGE: &str = "usage: cargo xtask codegen [--check]\n       cargo xtask contract-diff [--base GIT_REF | --base-file PATH] [--format markdown|json]\n       cargo xtask bench-ratios\n       cargo xtask build-cost [--runs N]\n       cargo xtask hostile-docs DIR\n       cargo xtask load [--clients N] [--seconds S]\n       cargo xtask openapi-3.0 INPUT OUTPUT";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["bench-ratios"] => bench_ratios(),
        ["build-cost"] => build_cost("3"),
        ["build-cost", "--runs", runs] => build_cost(runs),
        ["contract-diff", rest @ ..] => contract_diff(rest),
        ["hostile-docs", dir] => match hostile::write(std::path::Path::new(dir)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: cannot write {dir}: {err}");
                ExitCode::FAILURE
            }
        },
        ["load", rest @ ..] => load::run(rest),
        ["module-graph"] => print_report(imports::report(&workspace::root())),
        ["openapi-3.0", input, output] => print_report(openapi30::export_file(
            std::path::Path::new(input),
            std::path::Path::new(output),
        )),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::FAILURE
        }
    }
}

/// Writes or checks every artifact.
fn codegen(check: bool) -> ExitCode {
    match codegen::run(&workspace::root(), check) {
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

/// Runs the contract review in the workspace and exits 0, 1 (breaking without a major bump)
/// or 2 (could not run).
fn contract_diff(args: &[&str]) -> ExitCode {
    let outcome = review::run(&workspace::root(), args, &Contract::current());
    print!("{}", outcome.stdout);
    eprint!("{}", outcome.stderr);
    ExitCode::from(outcome.code)
}

/// Prints the benchmark ratios from criterion's latest results.
fn bench_ratios() -> ExitCode {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace::root().join("target"), Into::into)
        .join("criterion");
    print_report(bench::ratios(&dir))
}

/// Times clean builds of error-spec and the baseline and prints the ratio.
fn build_cost(runs: &str) -> ExitCode {
    let Ok(runs @ 1..) = runs.parse::<usize>() else {
        eprintln!("error: `--runs` takes a positive number, not `{runs}`");
        return ExitCode::FAILURE;
    };
    print_report(build_cost::measure(&workspace::root(), runs))
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
