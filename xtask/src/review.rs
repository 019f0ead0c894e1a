//! `cargo xtask contract-diff`: finds the base contract, compares it with this build's table
//! and prints the report.
//!
//! The base is, by default, `docs/contract.json` at the merge-base of `HEAD` with the
//! remote's default branch: the branch point, so a code added on the default branch after
//! it does not look removed. When no base can be found (no remote, a shallow clone, no
//! common history) the review does not guess: it exits 2 and prints the command that fixes
//! it. Exit codes: 0 nothing breaking (or a major bump), 1 breaking without a major bump,
//! 2 could not run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diff;
use crate::model::{self, Contract};
use crate::verdict;

/// The usage line of the subcommand.
pub(crate) const USAGE: &str =
    "cargo xtask contract-diff [--base GIT_REF | --base-file PATH] [--format markdown|json]";

/// Where the base contract comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BaseChoice {
    /// The merge-base of `HEAD` with the remote's default branch.
    Default,
    /// The merge-base of `HEAD` with this ref.
    Ref(String),
    /// A contract file, e.g. the one a release published.
    File(PathBuf),
}

/// The report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Markdown,
    Json,
}

/// What the review printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// 0, 1 or 2.
    pub(crate) code: u8,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Outcome {
    /// Could not run: exit 2 with `message` on stderr.
    fn failed(message: impl Into<String>) -> Outcome {
        Outcome {
            code: 2,
            stdout: String::new(),
            stderr: format!("error: {}\n", message.into()),
        }
    }
}

/// Reads the arguments after `contract-diff`.
pub(crate) fn parse_args(args: &[&str]) -> Result<(BaseChoice, Format), String> {
    let mut base = BaseChoice::Default;
    let mut format = Format::Markdown;
    let mut rest = args.iter();
    while let Some(&arg) = rest.next() {
        let mut value = || {
            rest.next()
                .copied()
                .ok_or_else(|| format!("`{arg}` takes a value\nusage: {USAGE}"))
        };
        match arg {
            "--base" | "--base-file" if base != BaseChoice::Default => {
                return Err(format!(
                    "give one of `--base` and `--base-file`\nusage: {USAGE}"
                ));
            }
            "--base" => base = BaseChoice::Ref(value()?.to_owned()),
            "--base-file" => base = BaseChoice::File(PathBuf::from(value()?)),
            "--format" => {
                format = match value()? {
                    "markdown" | "md" => Format::Markdown,
                    "json" => Format::Json,
                    other => {
                        return Err(format!(
                            "unknown format `{other}`: `markdown` or `json`\nusage: {USAGE}"
                        ));
                    }
                }
            }
            other => return Err(format!("unknown argument `{other}`\nusage: {USAGE}")),
        }
    }
    Ok((base, format))
}

/// Runs the review in the git work tree `dir` (the workspace root) against `new`.
pub(crate) fn run(dir: &Path, args: &[&str], new: &Contract) -> Outcome {
    let (choice, format) = match parse_args(args) {
        Ok(parsed) => parsed,
        Err(message) => return Outcome::failed(message),
    };
    let (label, json) = match find_base(dir, &choice) {
        Ok(base) => base,
        Err(message) => return Outcome::failed(message),
    };
    let old = match Contract::from_json(&json) {
        Ok(old) => old,
        Err(err) => return Outcome::failed(format!("the base {label} is not a contract: {err}")),
    };
    let changes = diff::diff(&old, new);
    let verdict = match verdict::judge(&old.version, &new.version, &changes) {
        Ok(verdict) => verdict,
        Err(message) => return Outcome::failed(message),
    };
    let stdout = match format {
        Format::Markdown => verdict::markdown(&label, &changes, &verdict),
        Format::Json => verdict::json(&label, &changes, &verdict),
    };
    Outcome {
        code: verdict.exit_code(),
        stdout,
        stderr: String::new(),
    }
}

/// The base's label for the report and its `contract.json` text, or why there is none,
/// with the command that fixes it.
fn find_base(dir: &Path, choice: &BaseChoice) -> Result<(String, String), String> {
    if let BaseChoice::File(path) = choice {
        let text = std::fs::read_to_string(dir.join(path))
            .map_err(|err| format!("cannot read `--base-file {}`: {err}", path.display()))?;
        return Ok((format!("`{}`", path.display()), text));
    }
    git(dir, &["rev-parse", "--show-toplevel"]).map_err(|err| {
        format!(
            "no base: `{}` is not in a git work tree ({err})\n\
             fix: compare with a released file: `cargo xtask contract-diff --base-file PATH`",
            dir.display()
        )
    })?;
    let (target, how) = match choice {
        BaseChoice::Ref(reference) => {
            verify_commit(dir, reference).map_err(|_| {
                format!(
                    "no base: `{reference}` is not a commit in this clone\n\
                     fix: `git fetch origin {}` (or name another ref with `--base`)",
                    reference.trim_start_matches("origin/")
                )
            })?;
            (reference.clone(), format!("`{reference}`"))
        }
        _ => {
            let branch = default_branch(dir)?;
            let how = format!("`{branch}` (the remote's default branch)");
            (branch, how)
        }
    };
    let commit = merge_base(dir, &target)?;
    let short = commit.get(..12).unwrap_or(&commit).to_owned();
    let path = format!("{commit}:./{}", model::PATH);
    let text = git(dir, &["show", &path]).map_err(|err| {
        format!(
            "no base: the branch point {short} has no `{}` ({err})\n\
             fix: compare with a released file: `cargo xtask contract-diff --base-file PATH`",
            model::PATH
        )
    })?;
    Ok((format!("merge-base of `HEAD` and {how}, {short}"), text))
}

/// The remote's default branch: `origin/HEAD`, else `origin/main`, else `origin/master`.
fn default_branch(dir: &Path) -> Result<String, String> {
    if let Ok(head) = git(
        dir,
        &["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"],
    ) {
        if let Some(branch) = head.trim().strip_prefix("refs/remotes/") {
            if verify_commit(dir, branch).is_ok() {
                return Ok(branch.to_owned());
            }
        }
    }
    for branch in ["origin/main", "origin/master"] {
        if verify_commit(dir, branch).is_ok() {
            return Ok(branch.to_owned());
        }
    }
    let has_origin =
        git(dir, &["remote"]).is_ok_and(|remotes| remotes.lines().any(|r| r == "origin"));
    let fix = if has_origin {
        "fix: `git fetch origin && git remote set-head origin --auto`".to_owned()
    } else {
        "fix: `git remote add origin URL && git fetch origin && git remote set-head origin --auto`"
            .to_owned()
    };
    Err(format!(
        "no base: this clone has no `origin/HEAD`, `origin/main` or `origin/master` to find \
         the branch point with, and comparing with `HEAD` would hide committed changes\n{fix}\n\
         or name the base: `--base GIT_REF` or `--base-file PATH`"
    ))
}

/// The merge-base of `HEAD` and `target`, refusing one a shallow clone cannot vouch for.
fn merge_base(dir: &Path, target: &str) -> Result<String, String> {
    let shallow = git(dir, &["rev-parse", "--is-shallow-repository"])
        .is_ok_and(|answer| answer.trim() == "true");
    let unshallow = "fix: `git fetch --unshallow origin` (in CI, check out with full history, \
                     e.g. `fetch-depth: 0`)";
    let commit = match git(dir, &["merge-base", "HEAD", target]) {
        Ok(commit) => commit.trim().to_owned(),
        Err(_) if shallow => {
            return Err(format!(
                "no base: this is a shallow clone and `HEAD` and `{target}` share no commit in it\n{unshallow}"
            ));
        }
        Err(_) => {
            return Err(format!(
                "no base: `HEAD` and `{target}` share no history\n\
                 fix: name the base: `--base GIT_REF` or `--base-file PATH`"
            ));
        }
    };
    if shallow {
        // A commit at the shallow boundary has its parents cut off: a later common ancestor
        // may be hidden behind it, so it proves nothing.
        let boundary = git(dir, &["rev-parse", "--git-path", "shallow"])
            .ok()
            .and_then(|path| std::fs::read_to_string(dir.join(path.trim())).ok())
            .unwrap_or_default();
        if boundary.lines().any(|line| line.trim() == commit) {
            return Err(format!(
                "no base: this is a shallow clone and the branch point of `HEAD` and `{target}` \
                 lies at its cut-off\n{unshallow}"
            ));
        }
    }
    Ok(commit)
}

/// Whether `reference` names a commit.
fn verify_commit(dir: &Path, reference: &str) -> Result<String, String> {
    git(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ],
    )
}

/// Runs git in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|err| format!("cannot run git: {err}"))?;
    if output.status.success() {
        String::from_utf8(output.stdout).map_err(|err| err.to_string())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}
