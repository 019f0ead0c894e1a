//! Whether a contract change may land, by the version rules, and the report that says so,
//! as markdown for a pull-request comment or JSON for bots.
//!
//! A breaking change needs a major version bump; while the major version is 0 a minor bump
//! counts as one (Cargo's reading of SemVer: the leftmost non-zero number).

use std::fmt::Write as _;

use error_spec::error_rules::version::{self, Version};
use serde::Serialize;

use crate::diff::{Change, Kind};

/// The outcome of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Verdict {
    pub(crate) old_version: String,
    pub(crate) new_version: String,
    pub(crate) breaking: usize,
    pub(crate) additive: usize,
    pub(crate) wording: usize,
    /// Whether the version was raised past what the base's clients accept as compatible.
    pub(crate) major_bump: bool,
    /// Whether the change may land: nothing breaking, or a major bump with it.
    pub(crate) allowed: bool,
    /// The verdict in one sentence.
    pub(crate) summary: String,
    /// What the comparison could not see, e.g. facts an older file format did not record.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) notes: Vec<String>,
}

impl Verdict {
    /// The exit status: 0 when allowed, 1 when breaking without a major bump.
    pub(crate) fn exit_code(&self) -> u8 {
        if self.allowed { 0 } else { 1 }
    }
}

/// Judges `changes` between two versions; an error when a version is not `MAJOR.MINOR.PATCH`.
pub(crate) fn judge(
    old_version: &str,
    new_version: &str,
    changes: &[Change],
) -> Result<Verdict, String> {
    let parse = |text: &str, side: &str| {
        version::parse(text).ok_or_else(|| {
            format!("the {side} contract's version `{text}` is not `MAJOR.MINOR.PATCH`")
        })
    };
    let (old, new) = (parse(old_version, "base")?, parse(new_version, "new")?);
    let count = |kind| changes.iter().filter(|change| change.kind == kind).count();
    let (breaking, additive, wording) = (
        count(Kind::Breaking),
        count(Kind::Additive) + count(Kind::NewErrors),
        count(Kind::Wording),
    );
    let major_bump = new > old && !compatible(old, new);
    let allowed = breaking == 0 || major_bump;
    let summary = if breaking == 0 {
        let mut summary = "no breaking change".to_owned();
        if additive > 0 && new <= old {
            let _ = write!(
                summary,
                "; additive changes usually raise the minor version ({old_version} → {}.{}.0)",
                old.major,
                old.minor + 1
            );
        }
        summary
    } else if major_bump {
        format!("breaking, with the major version raised ({old_version} → {new_version})")
    } else {
        format!(
            "breaking without a major version bump: raise `version` in `#[error_table(...)]` \
             from {old_version} to {} or undo the breaking changes",
            next_major(old)
        )
    };
    Ok(Verdict {
        old_version: old_version.to_owned(),
        new_version: new_version.to_owned(),
        breaking,
        additive,
        wording,
        major_bump,
        allowed,
        summary,
        notes: Vec::new(),
    })
}

/// Whether clients of `old` accept `new` as compatible: the same leftmost non-zero number.
fn compatible(old: Version, new: Version) -> bool {
    if old.major > 0 {
        old.major == new.major
    } else if old.minor > 0 {
        new.major == 0 && old.minor == new.minor
    } else {
        new.major == 0 && new.minor == 0 && old.patch == new.patch
    }
}

/// The smallest version that is a major bump over `old`.
fn next_major(old: Version) -> String {
    if old.major > 0 {
        format!("{}.0.0", old.major + 1)
    } else if old.minor > 0 {
        format!("0.{}.0", old.minor + 1)
    } else {
        format!("0.0.{}", old.patch + 1)
    }
}

/// The markdown report: a heading naming both sides, the changes grouped breaking, additive,
/// wording, and the verdict.
pub(crate) fn markdown(base: &str, changes: &[Change], verdict: &Verdict) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Error contract review\n\nBase: {base} (version {}). New: the working tree's table \
         (version {}).\n",
        verdict.old_version, verdict.new_version
    );
    if changes.is_empty() {
        let _ = writeln!(out, "No changes.\n");
    }
    for kind in Kind::ALL {
        let of_kind: Vec<&Change> = changes
            .iter()
            .filter(|change| change.kind == kind)
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {} ({})\n", kind.heading(), of_kind.len());
        for change in of_kind {
            let _ = writeln!(out, "- {change}");
        }
        out.push('\n');
    }
    for note in &verdict.notes {
        let _ = writeln!(out, "Note: {note}\n");
    }
    let _ = writeln!(out, "**Verdict:** {}.", verdict.summary);
    out
}

/// The JSON report for bots: the base, the verdict, the exit code and every change.
pub(crate) fn json(base: &str, changes: &[Change], verdict: &Verdict) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        base: &'a str,
        verdict: &'a Verdict,
        exit_code: u8,
        changes: &'a [Change],
    }
    let mut json = serde_json::to_string_pretty(&Report {
        base,
        verdict,
        exit_code: verdict.exit_code(),
        changes,
    })
    .expect("a report is plain data and serializes");
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaking() -> Vec<Change> {
        let old = crate::model::Contract::current();
        let mut new = old.clone();
        new.codes.retain(|code| code.code != "gone");
        crate::diff::diff(&old, &new)
    }

    #[test]
    fn version_rules() {
        let changes = breaking();
        let allowed = |old, new| judge(old, new, &changes).expect("versions parse").allowed;
        assert!(!allowed("1.0.0", "1.0.0"));
        assert!(!allowed("1.0.0", "1.1.0"));
        assert!(!allowed("1.0.0", "1.0.1"));
        assert!(allowed("1.0.0", "2.0.0"));
        assert!(allowed("1.4.2", "3.0.0"));
        assert!(!allowed("2.0.0", "1.0.0"));
        assert!(
            allowed("0.3.1", "0.4.0"),
            "0.x: a minor bump is a major one"
        );
        assert!(!allowed("0.3.1", "0.3.2"));
        assert!(allowed("0.0.3", "0.0.4"));
        assert!(judge("1.0", "1.0.0", &changes).is_err());
        assert!(judge("1.0.0", "v2.0.0", &changes).is_err());
        assert!(judge("1.0.0", "1.0.0", &[]).expect("parses").allowed);
    }

    #[test]
    fn verdict_names_the_version_to_raise_to() {
        let changes = breaking();
        let verdict = judge("1.2.3", "1.3.0", &changes).expect("parses");
        assert_eq!(verdict.exit_code(), 1);
        assert!(
            verdict.summary.contains("from 1.2.3 to 2.0.0"),
            "{}",
            verdict.summary
        );
        let text = markdown("`origin/main`", &changes, &verdict);
        assert!(text.contains("### Breaking (1)"), "{text}");
        assert!(text.contains("- code `gone`: removed or renamed"), "{text}");
        let json: serde_json::Value =
            serde_json::from_str(&json("x", &changes, &verdict)).expect("JSON");
        assert_eq!(json["exit_code"], 1);
        assert_eq!(json["changes"][0]["kind"], "breaking");
        assert_eq!(json["changes"][0]["part"], "code");
        assert_eq!(json["changes"][0]["name"], "gone");
    }
}
