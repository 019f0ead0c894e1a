//! `cargo xtask`'s command line as a reviewer meets it: `--help` on every subcommand, and a
//! mistyped flag answered with its name and exit status 2, before anything runs.

use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The subcommands `--help` lists, read from its `Commands:` section.
fn subcommands() -> Vec<String> {
    let help = text(&xtask(&["--help"]).stdout);
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn contract_diff_help_names_its_flags_and_exit_statuses() {
    let out = xtask(&["contract-diff", "--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let help = text(&out.stdout);
    for wanted in [
        "Usage: cargo xtask contract-diff",
        "--base <GIT_REF>",
        "--base-file <PATH>",
        "--format <FORMAT>",
        "markdown",
        "json",
        "Exit status: 0",
    ] {
        assert!(help.contains(wanted), "`{wanted}` missing from:\n{help}");
    }
}

#[test]
fn every_subcommand_has_help() {
    let names = subcommands();
    for expected in [
        "codegen",
        "contract-diff",
        "bench-ratios",
        "build-cost",
        "hostile-docs",
        "load",
        "module-graph",
        "openapi-3.0",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
    }
    for name in &names {
        let out = xtask(&[name, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        let help = text(&out.stdout);
        assert!(
            help.contains(&format!("Usage: cargo xtask {name}")),
            "{name}:\n{help}"
        );
    }
}

/// A typo is a usage error: status 2, the bad flag quoted, the flag meant suggested, and
/// nothing run (no report on stdout).
#[test]
fn a_mistyped_flag_exits_2_and_names_it() {
    for (args, bad, meant) in [
        (&["contract-diff", "--bsae", "v1"][..], "--bsae", "--base"),
        (&["contract-diff", "--format", "yaml"], "yaml", "--format"),
        (&["codegen", "--chekc"], "--chekc", "--check"),
        (&["build-cost", "--runs", "0"], "0", "--runs"),
    ] {
        let out = xtask(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains(&format!("'{bad}'")), "{args:?}: {stderr}");
        assert!(stderr.contains(meant), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
    }
    let out = xtask(&["contract-diff", "--base", "x", "--base-file", "y.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot be used with"),
        "{}",
        text(&out.stderr)
    );
    let out = xtask(&["contract-dif"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("'contract-dif'"),
        "{}",
        text(&out.stderr)
    );
}
