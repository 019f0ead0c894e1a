//! The binary's command line: `--help` lists every flag, and a mistyped flag or a bad value
//! is a usage error naming it, exit status 2, before anything listens.

use std::process::{Command, Output};

fn server(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_error-spec-reference-server"))
        .args(args)
        .env_remove("REFERENCE_SERVER_REDIS_URL")
        .output()
        .expect("the binary runs")
}

#[test]
fn help_lists_every_flag() {
    let out = server(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--listen <ADDR>",
        "--sync-ceiling-ms <N>",
        "--pool-size <N>",
        "--redis-url <URL>",
        "--on-redis-outage <POLICY>",
        "local-fallback",
        "REFERENCE_SERVER_REDIS_URL",
    ] {
        assert!(help.contains(flag), "`{flag}` missing from:\n{help}");
    }
}

#[test]
fn a_bad_flag_or_value_exits_2_and_names_it() {
    for (args, named) in [
        (&["--pool-sise", "4"][..], "'--pool-sise'"),
        (&["--pool-size", "many"], "'--pool-size <N>'"),
        (&["--listen", "localhost"], "'--listen <ADDR>'"),
        (&["--on-redis-outage", "ignore"], "'ignore'"),
    ] {
        let out = server(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(named), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing listened");
    }
}
