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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Format {
    /// Markdown, for a pull request comment; `md` works too.
    #[default]
    #[value(alias = "md")]
    Markdown,
    /// JSON, for bots.
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

/// The flags of `contract-diff`, as clap reads them.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct Options {
    /// Compare with the merge-base of `HEAD` and this git ref (a tag, a branch, a commit)
    /// instead of the remote's default branch.
    #[arg(long, value_name = "GIT_REF", conflicts_with = "base_file")]
    pub(crate) base: Option<String>,
    /// Compare with a contract file, e.g. the `docs/contract.json` a release published.
    #[arg(long, value_name = "PATH")]
    pub(crate) base_file: Option<PathBuf>,
    /// The report's format: markdown for people, json for bots.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub(crate) format: Format,
}

impl Options {
    fn base(&self) -> BaseChoice {
        match (&self.base, &self.base_file) {
            (_, Some(path)) => BaseChoice::File(path.clone()),
            (Some(reference), None) => BaseChoice::Ref(reference.clone()),
            (None, None) => BaseChoice::Default,
        }
    }
}

/// Runs the review in the git work tree `dir` (the workspace root) against `new`.
pub(crate) fn run(dir: &Path, options: &Options, new: &Contract) -> Outcome {
    let (choice, format) = (options.base(), options.format);
    let (label, json) = match find_base(dir, &choice) {
        Ok(base) => base,
        Err(message) => return Outcome::failed(message),
    };
    let old = match Contract::from_json(&json) {
        Ok(old) => old,
        Err(err) => return Outcome::failed(format!("the base {label} {err}")),
    };
    let changes = diff::diff(&old, new);
    let mut verdict = match verdict::judge(&old.version, &new.version, &changes) {
        Ok(verdict) => verdict,
        Err(message) => return Outcome::failed(message),
    };
    verdict.notes.extend(diff::blind_spots(&old, new));
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
        // Relative to where the command runs, as a shell user expects.
        let text = std::fs::read_to_string(path)
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
    let head = git(
        dir,
        &["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"],
    );
    if let Ok(head) = &head
        && let Some(branch) = head.trim().strip_prefix("refs/remotes/")
        && verify_commit(dir, branch).is_ok()
    {
        return Ok(branch.to_owned());
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

#[cfg(test)]
mod tests {
    //! Base resolution against real git repositories in temporary directories: an upstream
    //! bare repository, clones of it, and the review run in a clone.

    use std::fs;

    use super::*;

    /// A fresh temporary directory for one test.
    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-review-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    /// Runs git in `dir` with a fixed identity, failing the test if git fails.
    fn sh(dir: &Path, args: &[&str]) -> String {
        let output = Command::new("git")
            .args([
                "-c",
                "user.name=Review Test",
                "-c",
                "user.email=review@example.com",
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// This build's contract as JSON, with `extra` codes added to it.
    fn contract_with(extra: &[&str]) -> String {
        let mut contract = Contract::current();
        for wire in extra {
            let mut row = contract.codes[0].clone();
            row.code = (*wire).to_owned();
            row.anchor = (*wire).to_owned();
            contract.codes.push(row);
        }
        contract.to_json()
    }

    /// Writes `docs/contract.json` in `dir` and commits it.
    fn commit_contract(dir: &Path, json: &str, message: &str) {
        fs::create_dir_all(dir.join("docs")).expect("docs dir");
        fs::write(dir.join(model::PATH), json).expect("writable");
        sh(dir, &["add", "-A"]);
        sh(dir, &["commit", "-q", "--allow-empty", "-m", message]);
    }

    /// An upstream whose `main` holds `base_json`, a clone `work` on a branch `feature` cut
    /// from it with one commit of its own, and then one more commit on upstream `main`
    /// holding `later_json`, fetched into `work`.
    fn branched(name: &str, base_json: &str, later_json: &str) -> (PathBuf, PathBuf) {
        let root = temp(name);
        sh(&root, &["init", "-q", "--bare", "upstream.git"]);
        sh(&root, &["clone", "-q", "upstream.git", "author"]);
        let author = root.join("author");
        commit_contract(&author, base_json, "contract");
        sh(&author, &["push", "-q", "origin", "HEAD:main"]);
        sh(&root, &["clone", "-q", "upstream.git", "work"]);
        let work = root.join("work");
        sh(&work, &["checkout", "-q", "-b", "feature"]);
        fs::write(work.join("notes.txt"), "feature work\n").expect("writable");
        sh(&work, &["add", "-A"]);
        sh(&work, &["commit", "-q", "-m", "feature"]);
        commit_contract(&author, later_json, "a code on main after the branch point");
        sh(&author, &["push", "-q", "origin", "HEAD:main"]);
        sh(&work, &["fetch", "-q", "origin"]);
        (root, work)
    }

    /// The review with `args` after `contract-diff`, read as the command line reads them:
    /// a usage error is clap's message and exit status, as `cargo xtask` would print it.
    fn review(dir: &Path, args: &[&str]) -> Outcome {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            options: Options,
        }
        match Cli::try_parse_from(std::iter::once("contract-diff").chain(args.iter().copied())) {
            Ok(cli) => run(dir, &cli.options, &Contract::current()),
            Err(err) => Outcome {
                code: u8::try_from(err.exit_code()).expect("a small exit status"),
                stdout: String::new(),
                stderr: err.render().to_string(),
            },
        }
    }

    /// A code added on `main` after the branch point is not reported as removed: the base
    /// is the branch point, not the tip. Comparing with the tip would have said so.
    #[test]
    fn base_is_the_branch_point_not_the_tip() {
        let (root, work) = branched(
            "merge-base",
            &contract_with(&[]),
            &contract_with(&["added_on_main"]),
        );
        let outcome = review(&work, &[]);
        assert_eq!(outcome.code, 0, "{outcome:?}");
        assert!(outcome.stdout.contains("No changes."), "{}", outcome.stdout);
        assert!(
            outcome
                .stdout
                .contains("merge-base of `HEAD` and `origin/main`"),
            "{}",
            outcome.stdout
        );
        // The tip itself, given as a file, does hold the later code: the test can tell.
        let tip = sh(&work, &["show", "origin/main:docs/contract.json"]);
        fs::write(root.join("tip.json"), tip).expect("writable");
        let tip_path = root.join("tip.json");
        let outcome = review(&work, &["--base-file", tip_path.to_str().expect("utf-8")]);
        assert_eq!(outcome.code, 1, "{outcome:?}");
        assert!(
            outcome.stdout.contains("code `added_on_main`: removed"),
            "{}",
            outcome.stdout
        );
        let _ = fs::remove_dir_all(&root);
    }

    /// A breaking change against the branch point fails with exit 1 and names the code, in
    /// both formats; `--base origin/main` resolves to the same branch point.
    #[test]
    fn breaking_change_since_the_branch_point_exits_1() {
        let (root, work) = branched(
            "breaking",
            &contract_with(&["old_code"]),
            &contract_with(&["old_code"]),
        );
        for args in [&[][..], &["--base", "origin/main"][..]] {
            let outcome = review(&work, args);
            assert_eq!(outcome.code, 1, "{args:?}: {outcome:?}");
            assert!(
                outcome.stdout.contains("code `old_code`: removed"),
                "{}",
                outcome.stdout
            );
        }
        let outcome = review(&work, &["--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON");
        assert_eq!(json["exit_code"], 1);
        assert_eq!(json["changes"][0]["name"], "old_code");
        let _ = fs::remove_dir_all(&root);
    }

    /// No remote: exit 2 with the commands that fix it, and no report.
    #[test]
    fn no_remote_exits_2_with_the_fix() {
        let dir = temp("no-remote");
        sh(&dir, &["init", "-q"]);
        commit_contract(&dir, &contract_with(&["old_code"]), "contract");
        let outcome = review(&dir, &[]);
        assert_eq!(outcome.code, 2, "{outcome:?}");
        assert!(outcome.stdout.is_empty(), "{}", outcome.stdout);
        assert!(outcome.stderr.contains("no base"), "{}", outcome.stderr);
        assert!(
            outcome.stderr.contains("git remote add origin"),
            "{}",
            outcome.stderr
        );
        assert!(outcome.stderr.contains("--base-file"), "{}", outcome.stderr);
        // A remote without the default branch fetched is the same.
        sh(
            &dir,
            &[
                "remote",
                "add",
                "origin",
                "https://example.invalid/repo.git",
            ],
        );
        let outcome = review(&dir, &[]);
        assert_eq!(outcome.code, 2, "{outcome:?}");
        assert!(
            outcome.stderr.contains("git fetch origin"),
            "{}",
            outcome.stderr
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// A shallow clone, as CI systems make for pull requests: exit 2 and `--unshallow`.
    #[test]
    fn shallow_clone_exits_2_with_the_fix() {
        let (root, _) = branched(
            "shallow",
            &contract_with(&[]),
            &contract_with(&["added_on_main"]),
        );
        sh(&root.join("work"), &["push", "-q", "origin", "feature"]);
        let url = format!("file://{}", root.join("upstream.git").display());
        sh(
            &root,
            &[
                "clone",
                "-q",
                "--depth",
                "1",
                "--no-single-branch",
                &url,
                "shallow",
            ],
        );
        let shallow = root.join("shallow");
        sh(&shallow, &["checkout", "-q", "feature"]);
        let outcome = review(&shallow, &[]);
        assert_eq!(outcome.code, 2, "{outcome:?}");
        assert!(outcome.stderr.contains("shallow"), "{}", outcome.stderr);
        assert!(
            outcome.stderr.contains("git fetch --unshallow"),
            "{}",
            outcome.stderr
        );
        // A depth-1 clone of the default branch alone: the only candidate is `HEAD` itself, at
        // the cut-off, which proves nothing.
        sh(&root, &["clone", "-q", "--depth", "1", &url, "tip-only"]);
        let outcome = review(&root.join("tip-only"), &[]);
        assert_eq!(outcome.code, 2, "{outcome:?}");
        assert!(outcome.stderr.contains("cut-off"), "{}", outcome.stderr);
        // Once unshallowed, the same clone reviews.
        sh(&shallow, &["fetch", "-q", "--unshallow", "origin"]);
        assert_eq!(review(&shallow, &[]).code, 0);
        let _ = fs::remove_dir_all(&root);
    }

    /// `--base-file` needs no git at all; a missing file, an unknown ref, a file that is not
    /// a contract and a bad argument are exit 2.
    #[test]
    fn base_file_and_failures() {
        let dir = temp("base-file");
        let file = |name: &str| dir.join(name).display().to_string();
        fs::write(file("same.json"), contract_with(&[])).expect("writable");
        fs::write(file("more.json"), contract_with(&["old_code"])).expect("writable");
        fs::write(file("bad.json"), "{\"version\": 1}").expect("writable");
        let mut bad_version = Contract::current();
        bad_version.version = "1.0".to_owned();
        fs::write(file("bad-version.json"), bad_version.to_json()).expect("writable");
        assert_eq!(review(&dir, &["--base-file", &file("same.json")]).code, 0);
        let outcome = review(&dir, &["--base-file", &file("more.json")]);
        assert_eq!(outcome.code, 1, "{outcome:?}");
        assert!(outcome.stdout.contains("more.json`"), "{}", outcome.stdout);
        let fixture = workspace_fixture();
        let outcome = review(&dir, &["--base-file", &fixture]);
        assert_eq!(outcome.code, 0, "{outcome:?}");
        assert!(
            outcome.stdout.contains("Note: one side is a format-1 file"),
            "a format-1 base says what it cannot compare: {}",
            outcome.stdout
        );
        assert!(
            !review(&dir, &["--base-file", &file("same.json")])
                .stdout
                .contains("Note:")
        );
        for args in [
            &["--base-file", &file("missing.json")][..],
            &["--base-file", &file("bad.json")],
            &["--base-file", &file("bad-version.json")],
            &["--base", "no-such-ref"],
            &["--format", "yaml"],
            &["--base"],
            &["--base", "x", "--base-file", "same.json"],
            &["--frobnicate"],
        ] {
            let outcome = review(&dir, args);
            assert_eq!(outcome.code, 2, "{args:?}: {outcome:?}");
            assert!(outcome.stderr.starts_with("error: "), "{}", outcome.stderr);
        }
        let _ = fs::remove_dir_all(&dir);
    }

    /// A base file of a newer format than this xtask reads is refused, exit 2, naming its
    /// format and the newest one read; never compared as if it were today's.
    #[test]
    fn a_newer_format_is_refused() {
        let dir = temp("newer-format");
        let mut value: serde_json::Value =
            serde_json::from_str(&contract_with(&[])).expect("a contract");
        value["format"] = serde_json::json!(99);
        let newer = dir.join("newer.json").display().to_string();
        fs::write(&newer, value.to_string()).expect("writable");
        let outcome = review(&dir, &["--base-file", &newer]);
        assert_eq!(outcome.code, 2, "{outcome:?}");
        assert!(outcome.stdout.is_empty(), "no report: {}", outcome.stdout);
        let format = crate::model::FORMAT;
        assert!(
            outcome.stderr.contains("format 99")
                && outcome
                    .stderr
                    .contains(&format!("newer than format {format}")),
            "{}",
            outcome.stderr
        );
        for odd in [
            serde_json::json!(0),
            serde_json::json!("2"),
            serde_json::json!(2.5),
        ] {
            value["format"] = odd.clone();
            fs::write(&newer, value.to_string()).expect("writable");
            let outcome = review(&dir, &["--base-file", &newer]);
            assert_eq!(outcome.code, 2, "{odd}: {outcome:?}");
            assert!(
                outcome.stderr.contains("not a contract file format"),
                "{}",
                outcome.stderr
            );
        }
        // The formats it knows still read.
        value["format"] = serde_json::json!(format);
        fs::write(&newer, value.to_string()).expect("writable");
        assert_eq!(review(&dir, &["--base-file", &newer]).code, 0);
        let _ = fs::remove_dir_all(&dir);
    }

    /// The released 1.0.0 file, by absolute path.
    fn workspace_fixture() -> String {
        crate::workspace::root()
            .join("xtask/tests/fixtures/contract-1.0.0.json")
            .display()
            .to_string()
    }
}
