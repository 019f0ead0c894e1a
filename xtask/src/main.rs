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
mod sdk_figures;
mod sdk_python;
mod sdk_typescript;
mod verdict;
mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use model::Contract;

/// The workspace's own tooling: generated artifacts, contract review, benchmarks.
///
/// A usage error (an unknown flag, a missing or bad value) names the flag and exits 2.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Writes every generated artifact from the table.
    Codegen {
        /// Writes nothing; fails, with a diff and the command that fixes it, when a
        /// committed artifact is stale.
        #[arg(long)]
        check: bool,
    },
    /// Classifies the contract's changes since the branch point (or the given base) and
    /// says whether the version bump allows them; see docs/contract-review.md.
    ///
    /// Exit status: 0 nothing breaking (or a major bump), 1 breaking without a major bump,
    /// 2 could not run (no base found, a bad flag).
    ContractDiff(review::Options),
    /// Prints the benchmark ratios after `cargo bench -p error-benches`.
    BenchRatios,
    /// Times clean builds of error-spec and the baseline and prints the ratio.
    BuildCost {
        /// How many clean builds of each to time.
        #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
        runs: u32,
    },
    /// Writes the reference rendered from hostile texts, for `.ci/docs` to check with real
    /// renderers.
    HostileDocs {
        /// The directory to write into.
        dir: PathBuf,
    },
    /// Runs the reference server's load run (its `load` example, in release mode).
    Load {
        /// Concurrent clients.
        #[arg(long, value_name = "N")]
        clients: Option<u32>,
        /// How long to run, 1 to 600 seconds.
        #[arg(long, value_name = "S")]
        seconds: Option<u32>,
    },
    /// Prints each crate's module layering, as ARCHITECTURE.md states it, and any circle
    /// in the imports.
    ModuleGraph,
    /// Exports a server's OpenAPI 3.1 document (a JSON file) to OpenAPI 3.0.3, for 3.0-only
    /// generators such as progenitor.
    #[command(name = "openapi-3.0")]
    Openapi30 {
        /// The 3.1 document.
        input: PathBuf,
        /// Where to write the 3.0.3 document.
        output: PathBuf,
    },
}

fn main() -> ExitCode {
    // `parse` prints `--help` and exits 0, or prints a usage error naming the flag and
    // exits 2.
    match Cli::parse().command {
        Command::Codegen { check } => codegen(check),
        Command::ContractDiff(options) => contract_diff(&options),
        Command::BenchRatios => bench_ratios(),
        Command::BuildCost { runs } => {
            print_report(build_cost::measure(&workspace::root(), runs as usize))
        }
        Command::HostileDocs { dir } => match hostile::write(&dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: cannot write {}: {err}", dir.display());
                ExitCode::FAILURE
            }
        },
        Command::Load { clients, seconds } => {
            let mut args = Vec::new();
            if let Some(clients) = clients {
                args.extend(["--clients".to_owned(), clients.to_string()]);
            }
            if let Some(seconds) = seconds {
                args.extend(["--seconds".to_owned(), seconds.to_string()]);
            }
            load::run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        }
        Command::ModuleGraph => print_report(imports::report(&workspace::root())),
        Command::Openapi30 { input, output } => {
            print_report(openapi30::export_file(&input, &output))
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
fn contract_diff(options: &review::Options) -> ExitCode {
    let outcome = review::run(&workspace::root(), options, &Contract::current());
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
