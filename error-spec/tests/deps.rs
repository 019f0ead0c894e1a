//! `error-spec` with its default features pulls in no optional integration: neither utoipa nor
//! schemars, nor axum, tower-http, tracing, governor, redis or reqwest.
//!
//! The runtime crate is what every service links; the OpenAPI and JSON Schema generators are
//! build-time concerns that live in other crates or behind features. This asks Cargo itself
//! for the resolved dependency graph (offline, against the committed `Cargo.lock`), so a
//! dependency that sneaks in through any path, direct or transitive, fails here.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Crates that must stay out of `error-spec`'s default build.
const FORBIDDEN: &[&str] = &[
    "utoipa",
    "schemars",
    "axum",
    "tower-http",
    "tracing",
    "governor",
    "redis",
    "reqwest",
];

/// The names of every crate in the normal (non-dev, non-build) dependency graph of
/// `error-spec` with default features, `error-spec` included.
fn normal_dependencies() -> BTreeSet<String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("error-spec lives in the workspace");
    let output = Command::new(env!("CARGO"))
        .current_dir(workspace)
        .args([
            "tree",
            "--package",
            "error-spec",
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--offline",
            "--locked",
        ])
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo tree failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn default_features_pull_in_no_optional_integration() {
    let deps = normal_dependencies();
    // The graph was really read: the crate itself and its known direct dependencies are in it.
    for expected in [
        "error-spec",
        "error-derive",
        "error-rules",
        "http",
        "serde",
        "serde_json",
        "strum",
    ] {
        assert!(
            deps.contains(expected),
            "`{expected}` missing from {deps:?}"
        );
    }
    let found: Vec<&str> = FORBIDDEN
        .iter()
        .copied()
        .filter(|forbidden| {
            deps.iter()
                .any(|dep| dep == forbidden || dep.starts_with(&format!("{forbidden}-")))
        })
        .collect();
    assert!(
        found.is_empty(),
        "error-spec's default build depends on {found:?}: {deps:?}"
    );
}
