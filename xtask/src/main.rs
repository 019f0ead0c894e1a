//! `cargo xtask`: the workspace's own tooling, run through the alias in `.cargo/config.toml`.

use std::process::ExitCode;

use error_spec::ErrorCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(),
        _ => {
            eprintln!("usage: cargo xtask codegen");
            ExitCode::FAILURE
        }
    }
}

/// Prints the table as the macro resolved it.
fn codegen() -> ExitCode {
    for code in ErrorCode::ALL {
        println!(
            "{:<28} {} {:<15} {}",
            code.as_str(),
            code.status().as_u16(),
            code.category(),
            code.retry().as_str()
        );
    }
    ExitCode::SUCCESS
}
