//! `cargo xtask bench-ratios`: the criterion results as the ratios the README quotes.
//!
//! Each benchmark group in `benches/` measures `error_spec` and the hand-written `baseline`
//! in the same run; the ratio is the mean time of the first over the second, so below 1.0
//! means `error-spec` is faster. The server stack's groups measure `error_spec`, the `peer`
//! stack a team would build instead and `bare` axum; their table has both ratios.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// The groups, what they measure, and the target ratio where the project sets one.
const GROUPS: &[(&str, &str, Option<f64>)] = &[
    ("code_parse", "wire string → code, 16 codes", Some(1.0)),
    ("code_as_str", "code → wire string, 16 codes", None),
    ("code_status", "code → HTTP status, 16 codes", None),
    ("body_serialize", "body → JSON bytes", Some(1.25)),
    ("body_parse", "JSON bytes → body (SDK)", Some(1.0)),
    (
        "sdk_parse",
        "status, headers, bytes → typed error (SDK)",
        Some(1.0),
    ),
    ("render_response", "error → full HTTP response", Some(1.0)),
    (
        "limiter_check",
        "one admitted check: `Limiter` vs governor's keyed limiter alone",
        Some(1.1),
    ),
];

/// The server stack's groups: the path, what it is, and the targets over the peer stack and
/// over bare axum.
const STACK_GROUPS: &[(&str, &str, Option<f64>, Option<f64>)] = &[
    ("stack_success", "GET answered 200", Some(0.8), Some(1.5)),
    ("stack_error", "500 with a cause, logged", Some(1.0), None),
    ("stack_refused", "429 from the limiter", Some(1.0), None),
    ("stack_success_traced", "the same, traced", Some(0.8), None),
    ("stack_error_traced", "the same, traced", Some(1.0), None),
    ("stack_refused_traced", "the same, traced", Some(1.0), None),
];

/// A ratio and whether it meets its target.
fn judged(ratio: f64, target: Option<f64>) -> String {
    match target {
        Some(target) if ratio <= target => format!("{ratio:.2}x (≤ {target:.2} met)"),
        Some(target) => format!("{ratio:.2}x (≤ {target:.2} **missed**)"),
        None => format!("{ratio:.2}x"),
    }
}

/// The markdown table of every group criterion has results for.
pub(crate) fn ratios(criterion_dir: &Path) -> Result<String, String> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| Benchmark | error-spec | baseline | Ratio | Target |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    let mut found = false;
    for &(group, what, target) in GROUPS {
        let ours = mean_ns(&criterion_dir.join(group).join("error_spec"));
        let theirs = mean_ns(&criterion_dir.join(group).join("baseline"));
        let (Some(ours), Some(theirs)) = (ours, theirs) else {
            continue;
        };
        found = true;
        let ratio = ours / theirs;
        let target = match target {
            Some(target) if ratio <= target => format!("≤ {target:.2} (met)"),
            Some(target) => format!("≤ {target:.2} (**missed**)"),
            None => "-".to_owned(),
        };
        let _ = writeln!(
            out,
            "| `{group}`: {what} | {} | {} | {ratio:.2}x | {target} |",
            duration(ours),
            duration(theirs)
        );
    }
    let mut stack = String::new();
    for &(group, what, vs_peer, vs_bare) in STACK_GROUPS {
        let side = |name: &str| mean_ns(&criterion_dir.join(group).join(name));
        let (Some(ours), Some(peer), Some(bare)) = (side("error_spec"), side("peer"), side("bare"))
        else {
            continue;
        };
        let _ = writeln!(
            stack,
            "| `{group}`: {what} | {} | {} | {} | {} | {} |",
            duration(ours),
            duration(peer),
            duration(bare),
            judged(ours / peer, vs_peer),
            judged(ours / bare, vs_bare),
        );
    }
    if !stack.is_empty() {
        found = true;
        let _ = writeln!(
            out,
            "\n| Path | error-spec | peer | bare axum | over peer | over bare |"
        );
        let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
        out.push_str(&stack);
    }
    if found {
        Ok(out)
    } else {
        Err(format!(
            "no results in {}: run `cargo bench -p error-benches` first",
            criterion_dir.display()
        ))
    }
}

/// The mean of criterion's latest run of one benchmark, in nanoseconds.
fn mean_ns(bench_dir: &Path) -> Option<f64> {
    let text = fs::read_to_string(bench_dir.join("new").join("estimates.json")).ok()?;
    let estimates: serde_json::Value = serde_json::from_str(&text).ok()?;
    estimates["mean"]["point_estimate"].as_f64()
}

/// A duration in the unit that reads best.
fn duration(ns: f64) -> String {
    if ns >= 1_000_000.0 {
        format!("{:.2} ms", ns / 1_000_000.0)
    } else if ns >= 1_000.0 {
        format!("{:.2} µs", ns / 1_000.0)
    } else {
        format!("{ns:.1} ns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_estimate(dir: &Path, group: &str, side: &str, mean: f64) {
        let path = dir.join(group).join(side).join("new");
        fs::create_dir_all(&path).expect("writable");
        let json = serde_json::json!({ "mean": { "point_estimate": mean } });
        fs::write(path.join("estimates.json"), json.to_string()).expect("writable");
    }

    #[test]
    fn ratio_is_ours_over_baseline_and_targets_are_judged() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        assert!(
            ratios(&dir).is_err(),
            "no results is an error, not an empty table"
        );
        write_estimate(&dir, "code_parse", "error_spec", 90.0);
        write_estimate(&dir, "code_parse", "baseline", 120.0);
        write_estimate(&dir, "body_parse", "error_spec", 1500.0);
        write_estimate(&dir, "body_parse", "baseline", 1000.0);
        let table = ratios(&dir).expect("results");
        assert!(
            table.contains("| 90.0 ns | 120.0 ns | 0.75x | ≤ 1.00 (met) |"),
            "{table}"
        );
        assert!(
            table.contains("| 1.50 µs | 1.00 µs | 1.50x | ≤ 1.00 (**missed**) |"),
            "{table}"
        );
        write_estimate(&dir, "stack_success", "error_spec", 1500.0);
        write_estimate(&dir, "stack_success", "peer", 2000.0);
        write_estimate(&dir, "stack_success", "bare", 1000.0);
        let table = ratios(&dir).expect("results");
        assert!(
            table.contains(
                "| 1.50 µs | 2.00 µs | 1.00 µs | 0.75x (≤ 0.80 met) | 1.50x (≤ 1.50 met) |"
            ),
            "{table}"
        );
        assert!(
            !table.contains("code_status"),
            "groups without results are left out"
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
