//! `cargo xtask build-cost`: what `error-spec` costs a server crate's clean build, against
//! the hand-written `baseline` crate, in the same run.
//!
//! Each side is built from scratch (`cargo build -p <crate>` into an empty target directory)
//! several times, alternating sides so that background load falls on both alike; the report
//! gives each side's median and the ratio of the medians.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The crates compared: ours first, the baseline second.
const SIDES: [&str; 2] = ["error-spec", "baseline"];

/// Builds each side `runs` times from clean and returns the markdown report.
pub(crate) fn measure(root: &Path, runs: usize) -> Result<String, String> {
    let mut times: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    for run in 0..runs {
        for (side, name) in SIDES.iter().enumerate() {
            let target = root.join("target").join("build-cost").join(name);
            if target.exists() {
                std::fs::remove_dir_all(&target)
                    .map_err(|err| format!("cannot clear {}: {err}", target.display()))?;
            }
            let start = Instant::now();
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "--locked", "--package", name])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(root)
                .status()
                .map_err(|err| format!("cannot run cargo: {err}"))?;
            if !status.success() {
                return Err(format!("`cargo build -p {name}` failed"));
            }
            let took = start.elapsed();
            eprintln!("run {}: {name} {:.1} s", run + 1, took.as_secs_f64());
            times[side].push(took);
        }
    }
    let [ours, theirs] = times.map(median);
    Ok(format!(
        "| Clean debug build | error-spec | baseline (strum + serde + http by hand) | Ratio |\n\
         | --- | --- | --- | --- |\n\
         | median of {runs} | {:.1} s | {:.1} s | {:.2}x |\n",
        ours.as_secs_f64(),
        theirs.as_secs_f64(),
        ours.as_secs_f64() / theirs.as_secs_f64()
    ))
}

/// The median of a non-empty list.
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_is_the_middle_value() {
        let secs = |s: &[u64]| {
            s.iter()
                .map(|&s| Duration::from_secs(s))
                .collect::<Vec<_>>()
        };
        assert_eq!(median(secs(&[9, 1, 5])), Duration::from_secs(5));
        assert_eq!(median(secs(&[7])), Duration::from_secs(7));
    }
}
