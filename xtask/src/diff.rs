//! `cargo xtask contract-diff [--base GIT_REF]`: what a change to the table does to clients.
//!
//! Both sides are [`Contract`]s: the base's `docs/contract.json` from git, and the working
//! tree's table as this build compiled it. One `check_*` function per part of the contract
//! classifies each difference as breaking, additive or wording.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use crate::model::{BodyMember, CodeEntry, Contract, HeaderEntry, StatusEntry, TierEntry};

/// What a difference does to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// A client written against the base may now misbehave.
    Breaking,
    /// Something new that clients may ignore.
    Additive,
    /// Text only: docs and messages change, behaviour does not.
    Wording,
}

impl Kind {
    fn heading(self) -> &'static str {
        match self {
            Kind::Breaking => "Breaking",
            Kind::Additive => "Additive",
            Kind::Wording => "Wording",
        }
    }
}

/// One difference: what it touches, and its old and new values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) kind: Kind,
    /// What changed, e.g. `` `gone` status``.
    pub(crate) subject: String,
    /// The old and new values, or what happened.
    pub(crate) detail: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "- {}: {}", self.subject, self.detail)
    }
}

/// Collects the changes of one comparison.
#[derive(Debug, Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, kind: Kind, subject: impl Into<String>, detail: impl Into<String>) {
        self.0.push(Change {
            kind,
            subject: subject.into(),
            detail: detail.into(),
        });
    }

    /// Records `old` → `new` when they differ.
    fn compare<T: PartialEq + fmt::Debug>(&mut self, kind: Kind, subject: &str, old: T, new: T) {
        if old != new {
            self.push(kind, subject, format!("{old:?} → {new:?}"));
        }
    }
}

/// Every difference between two contracts, grouped by kind, in contract order.
pub(crate) fn diff(old: &Contract, new: &Contract) -> Vec<Change> {
    let mut changes = Changes::default();
    check_codes(&mut changes, &old.codes, &new.codes);
    check_body(&mut changes, &old.body_members(), &new.body_members());
    check_headers(&mut changes, &old.headers, &new.headers);
    check_tiers(&mut changes, &old.tiers, &new.tiers);
    check_statuses(&mut changes, &old.statuses, &new.statuses);
    let mut changes = changes.0;
    // A stable sort keeps contract order within each kind.
    changes.sort_by_key(|change| change.kind);
    changes
}

/// Pairs entries of two lists by key, old order first, then the new ones.
fn pair<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> &str,
) -> Vec<(&'a str, Option<&'a T>, Option<&'a T>)> {
    let new_by_key: BTreeMap<&str, &T> = new.iter().map(|entry| (key(entry), entry)).collect();
    let old_by_key: BTreeMap<&str, &T> = old.iter().map(|entry| (key(entry), entry)).collect();
    let mut pairs: Vec<_> = old
        .iter()
        .map(|entry| (key(entry), Some(entry), new_by_key.get(key(entry)).copied()))
        .collect();
    pairs.extend(
        new.iter()
            .filter(|entry| !old_by_key.contains_key(key(entry)))
            .map(|entry| (key(entry), None, Some(entry))),
    );
    pairs
}

/// Codes: removal, status, category and retry class are breaking (clients branch on them);
/// a new code is additive (the list is open); deprecation is additive; texts are wording.
fn check_codes(changes: &mut Changes, old: &[CodeEntry], new: &[CodeEntry]) {
    for (code, old, new) in pair(old, new, |entry| &entry.code) {
        let subject = format!("`{code}`");
        match (old, new) {
            (Some(_), None) => changes.push(
                Kind::Breaking,
                subject,
                "removed or renamed (codes are deprecated, never deleted)",
            ),
            (None, Some(new)) => changes.push(
                Kind::Additive,
                subject,
                format!("new code, status {} ({})", new.status, new.category),
            ),
            (Some(old), Some(new)) => {
                let field = |name: &str| format!("`{code}` {name}");
                changes.compare(Kind::Breaking, &field("status"), old.status, new.status);
                changes.compare(
                    Kind::Breaking,
                    &field("category"),
                    &old.category,
                    &new.category,
                );
                changes.compare(Kind::Breaking, &field("retry class"), old.retry, new.retry);
                changes.compare(Kind::Breaking, &field("anchor"), &old.anchor, &new.anchor);
                match (&old.deprecated, &new.deprecated) {
                    (None, Some(why)) => changes.push(
                        Kind::Additive,
                        field("deprecation"),
                        format!("deprecated: {why:?}"),
                    ),
                    (Some(_), None) => {
                        changes.push(Kind::Additive, field("deprecation"), "no longer deprecated")
                    }
                    (old, new) => changes.compare(Kind::Wording, &field("deprecation"), old, new),
                }
                changes.compare(Kind::Wording, &field("title"), &old.title, &new.title);
                changes.compare(Kind::Wording, &field("message"), &old.message, &new.message);
                changes.compare(Kind::Wording, &field("when"), &old.when, &new.when);
                changes.compare(Kind::Wording, &field("remedy"), &old.remedy, &new.remedy);
            }
            (None, None) => {}
        }
    }
}

/// Body members: removing or retyping one breaks readers, and so does a required member
/// becoming optional; a new member, or an optional one becoming always present, is additive.
fn check_body(changes: &mut Changes, old: &[BodyMember], new: &[BodyMember]) {
    for (name, old, new) in pair(old, new, |entry| &entry.name) {
        let subject = format!("body member `{name}`");
        match (old, new) {
            (Some(old), None) => changes.push(
                Kind::Breaking,
                subject,
                format!(
                    "removed (was {} {})",
                    presence(old.required),
                    old.types.join(" or ")
                ),
            ),
            (None, Some(new)) => changes.push(
                Kind::Additive,
                subject,
                format!("new {} {}", presence(new.required), new.types.join(" or ")),
            ),
            (Some(old), Some(new)) => {
                changes.compare(
                    Kind::Breaking,
                    &format!("{subject} type"),
                    &old.types.join(" or "),
                    &new.types.join(" or "),
                );
                match (old.required, new.required) {
                    (true, false) => changes.push(Kind::Breaking, subject, "required → optional"),
                    (false, true) => changes.push(Kind::Additive, subject, "optional → required"),
                    _ => {}
                }
            }
            (None, None) => {}
        }
    }
}

fn presence(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

/// Headers: a header dropped from any response is breaking; a new header, or a header on
/// more responses, is additive; its description is wording.
fn check_headers(changes: &mut Changes, old: &[HeaderEntry], new: &[HeaderEntry]) {
    for (name, old, new) in pair(old, new, |entry| &entry.name) {
        let subject = format!("header `{name}`");
        match (old, new) {
            (Some(_), None) => changes.push(Kind::Breaking, subject, "dropped from every response"),
            (None, Some(new)) => {
                changes.push(Kind::Additive, subject, format!("new, on {}", on(&new.on)))
            }
            (Some(old), Some(new)) => {
                let everywhere = |on: &[String]| on.iter().any(|code| code == "*");
                let dropped: Vec<&str> = if everywhere(&new.on) {
                    Vec::new()
                } else if everywhere(&old.on) {
                    vec!["*"]
                } else {
                    old.on
                        .iter()
                        .filter(|code| !new.on.contains(code))
                        .map(String::as_str)
                        .collect()
                };
                let added = new.on.iter().any(|code| !old.on.contains(code));
                if !dropped.is_empty() {
                    changes.push(
                        Kind::Breaking,
                        subject.clone(),
                        format!("dropped from {} (now on {})", on_str(&dropped), on(&new.on)),
                    );
                } else if added {
                    changes.push(
                        Kind::Additive,
                        subject.clone(),
                        format!("{} → {}", on(&old.on), on(&new.on)),
                    );
                }
                changes.compare(
                    Kind::Wording,
                    &format!("{subject} description"),
                    &old.description,
                    &new.description,
                );
            }
            (None, None) => {}
        }
    }
}

fn on(codes: &[String]) -> String {
    on_str(&codes.iter().map(String::as_str).collect::<Vec<_>>())
}

fn on_str(codes: &[&str]) -> String {
    if codes.contains(&"*") {
        "every response".to_owned()
    } else {
        codes
            .iter()
            .map(|code| format!("`{code}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Tiers: lower limits or a removed tier break clients sized for them; higher limits or a
/// new tier are additive.
fn check_tiers(changes: &mut Changes, old: &[TierEntry], new: &[TierEntry]) {
    for (name, old, new) in pair(old, new, |entry| &entry.name) {
        let subject = format!("tier `{name}`");
        match (old, new) {
            (Some(_), None) => changes.push(Kind::Breaking, subject, "removed"),
            (None, Some(new)) => changes.push(
                Kind::Additive,
                subject,
                format!(
                    "new: {} requests/min, {} concurrent runs",
                    new.requests_per_minute, new.concurrent_runs
                ),
            ),
            (Some(old), Some(new)) => {
                for (what, old, new) in [
                    (
                        "requests/min",
                        old.requests_per_minute,
                        new.requests_per_minute,
                    ),
                    ("concurrent runs", old.concurrent_runs, new.concurrent_runs),
                ] {
                    let kind = if new < old {
                        Kind::Breaking
                    } else {
                        Kind::Additive
                    };
                    changes.compare(kind, &format!("{subject} {what}"), old, new);
                }
            }
            (None, None) => {}
        }
    }
}

/// The status table: a status the API stops using is breaking, a new one additive, and its
/// category or typical-use text is wording. Which codes a status carries is the codes' concern.
fn check_statuses(changes: &mut Changes, old: &[StatusEntry], new: &[StatusEntry]) {
    let key = |entry: &StatusEntry| entry.status.to_string();
    let old_keys: Vec<String> = old.iter().map(key).collect();
    let new_keys: Vec<String> = new.iter().map(key).collect();
    let old_keyed: Vec<(&str, &StatusEntry)> =
        old_keys.iter().map(String::as_str).zip(old).collect();
    let new_keyed: Vec<(&str, &StatusEntry)> =
        new_keys.iter().map(String::as_str).zip(new).collect();
    for (status, old, new) in pair(&old_keyed, &new_keyed, |(key, _)| key) {
        let subject = format!("status {status}");
        match (old, new) {
            (Some(_), None) => changes.push(Kind::Breaking, subject, "no longer used"),
            (None, Some(_)) => changes.push(Kind::Additive, subject, "new"),
            (Some((_, old)), Some((_, new))) => {
                changes.compare(
                    Kind::Wording,
                    &format!("{subject} category"),
                    &old.category,
                    &new.category,
                );
                changes.compare(
                    Kind::Wording,
                    &format!("{subject} typical use"),
                    &old.typical,
                    &new.typical,
                );
            }
            (None, None) => {}
        }
    }
}

/// Whether the change may land: nothing breaking, or the major version raised with it.
pub(crate) fn allowed(old_version: &str, new_version: &str, changes: &[Change]) -> bool {
    !changes.iter().any(|change| change.kind == Kind::Breaking)
        || major(new_version) > major(old_version)
}

/// The major part of `MAJOR.MINOR.PATCH`; the macro has checked the format.
fn major(version: &str) -> u64 {
    version
        .split('.')
        .next()
        .and_then(|major| major.parse().ok())
        .unwrap_or(0)
}

/// The report, in markdown for a pull-request comment.
pub(crate) fn report(base: &str, old: &Contract, new: &Contract, changes: &[Change]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Error contract: `{base}` ({}) → working tree ({})\n",
        old.version, new.version
    );
    if changes.is_empty() {
        let _ = writeln!(out, "No changes.");
        return out;
    }
    for kind in [Kind::Breaking, Kind::Additive, Kind::Wording] {
        let of_kind: Vec<&Change> = changes
            .iter()
            .filter(|change| change.kind == kind)
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {} ({})\n", kind.heading(), of_kind.len());
        for change in of_kind {
            let _ = writeln!(out, "{change}");
        }
        out.push('\n');
    }
    let breaking = changes.iter().any(|change| change.kind == Kind::Breaking);
    let verdict = match (breaking, allowed(&old.version, &new.version, changes)) {
        (false, _) => "no breaking change".to_owned(),
        (true, true) => format!(
            "breaking, with the major version raised ({} → {})",
            old.version, new.version
        ),
        (true, false) => format!(
            "breaking without a major version bump: raise `version` in `#[error_table(...)]` \
             from {} to {}.0.0 or undo the breaking lines",
            old.version,
            major(&old.version) + 1
        ),
    };
    let _ = writeln!(out, "**Verdict:** {verdict}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of this build, the base of every case.
    fn base() -> Contract {
        Contract::current()
    }

    /// The changes from the base to `edit(base)`.
    fn changes_after(edit: impl FnOnce(&mut Contract)) -> (Contract, Vec<Change>) {
        let mut new = base();
        edit(&mut new);
        let changes = diff(&base(), &new);
        (new, changes)
    }

    /// The one change a single edit produces, checked for its kind and that it names `needle`.
    fn only_change(edit: impl FnOnce(&mut Contract), kind: Kind, needles: &[&str]) -> Change {
        let (_, changes) = changes_after(edit);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        let change = changes[0].clone();
        assert_eq!(change.kind, kind, "{change}");
        for needle in needles {
            assert!(
                change.to_string().contains(needle),
                "{change} lacks {needle}"
            );
        }
        change
    }

    fn code<'a>(contract: &'a mut Contract, wire: &str) -> &'a mut CodeEntry {
        contract
            .codes
            .iter_mut()
            .find(|code| code.code == wire)
            .expect("the code is in the table")
    }

    #[test]
    fn no_change_is_an_empty_report_and_allowed() {
        let changes = diff(&base(), &base());
        assert!(changes.is_empty());
        assert!(allowed("1.0.0", "1.0.0", &changes));
        assert!(report("HEAD", &base(), &base(), &changes).contains("No changes."));
    }

    #[test]
    fn removed_code_is_breaking() {
        only_change(
            |c| c.codes.retain(|code| code.code != "gone"),
            Kind::Breaking,
            &["`gone`", "removed"],
        );
    }

    #[test]
    fn renamed_code_is_breaking_and_additive() {
        let (_, changes) = changes_after(|c| code(c, "gone").code = "expired".to_owned());
        let kinds: Vec<_> = changes
            .iter()
            .map(|change| (change.kind, change.subject.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [(Kind::Breaking, "`gone`"), (Kind::Additive, "`expired`")]
        );
    }

    #[test]
    fn status_category_retry_and_anchor_changes_are_breaking() {
        only_change(
            |c| code(c, "gone").status = 404,
            Kind::Breaking,
            &["`gone` status", "410", "404"],
        );
        only_change(
            |c| code(c, "gone").category = "Runtime".to_owned(),
            Kind::Breaking,
            &["`gone` category", "Resources", "Runtime"],
        );
        only_change(
            |c| code(c, "upstream_error").retry = error_spec::RetryClass::Never,
            Kind::Breaking,
            &["`upstream_error` retry class", "Backoff", "Never"],
        );
        only_change(
            |c| {
                code(c, "service_unavailable").retry = error_spec::RetryClass::Pause {
                    min_secs: 5,
                    max_secs: 10,
                }
            },
            Kind::Breaking,
            &[
                "`service_unavailable` retry class",
                "min_secs: 30",
                "min_secs: 5",
            ],
        );
        only_change(
            |c| code(c, "gone").anchor = "gone-410".to_owned(),
            Kind::Breaking,
            &["anchor"],
        );
    }

    #[test]
    fn new_code_is_additive() {
        let (_, changes) = changes_after(|c| {
            let mut new = c.codes[0].clone();
            new.code = "key_expired".to_owned();
            c.codes.push(new);
        });
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, Kind::Additive);
        assert!(
            changes[0]
                .to_string()
                .contains("`key_expired`: new code, status 401"),
            "{}",
            changes[0]
        );
    }

    #[test]
    fn texts_are_wording() {
        for (field, edit) in [
            (
                "remedy",
                (|e: &mut CodeEntry| e.remedy = "Start another run".to_owned())
                    as fn(&mut CodeEntry),
            ),
            ("when", |e| e.when = "Resource expired".to_owned()),
            ("message", |e| e.message = "Gone for good.".to_owned()),
            ("title", |e| e.title = "Expired".to_owned()),
        ] {
            let change = only_change(
                |c| edit(code(c, "gone")),
                Kind::Wording,
                &[&format!("`gone` {field}")],
            );
            let new = {
                let mut c = base();
                edit(code(&mut c, "gone"));
                c
            };
            assert!(allowed(&base().version, &new.version, &[change]));
        }
        only_change(
            |c| c.headers[0].description = "Quote it.".to_owned(),
            Kind::Wording,
            &["description", "Quote it."],
        );
        only_change(
            |c| c.statuses[0].typical = "Done".to_owned(),
            Kind::Wording,
            &["status 200 typical use"],
        );
    }

    #[test]
    fn deprecation_is_understood() {
        only_change(
            |c| code(c, "gone").deprecated = Some("use not_found".to_owned()),
            Kind::Additive,
            &["`gone` deprecation", "deprecated: \"use not_found\""],
        );
        let mut deprecated = base();
        code(&mut deprecated, "gone").deprecated = Some("use not_found".to_owned());
        let mut removed = deprecated.clone();
        removed.codes.retain(|code| code.code != "gone");
        let changes = diff(&deprecated, &removed);
        assert_eq!(
            changes[0].kind,
            Kind::Breaking,
            "a deprecated code is still never deleted"
        );
    }

    #[test]
    fn body_member_rules() {
        only_change(
            |c| {
                c.body["properties"]
                    .as_object_mut()
                    .expect("members")
                    .remove("message");
                c.body["required"] = serde_json::json!(["error"]);
            },
            Kind::Breaking,
            &["`message`", "removed", "required"],
        );
        only_change(
            |c| c.body["properties"]["message"]["type"] = "integer".into(),
            Kind::Breaking,
            &["type", "\"string\" → \"integer\""],
        );
        only_change(
            |c| c.body["required"] = serde_json::json!(["error"]),
            Kind::Breaking,
            &["required → optional"],
        );
        only_change(
            |c| c.body["properties"]["trace_url"] = serde_json::json!({"type": "string"}),
            Kind::Additive,
            &["`trace_url`", "new optional string"],
        );
    }

    #[test]
    fn header_rules() {
        let retry_after = |c: &Contract| {
            c.headers
                .iter()
                .position(|h| h.name == "retry-after")
                .expect("declared")
        };
        only_change(
            |c| c.headers.retain(|h| h.name != "x-request-id"),
            Kind::Breaking,
            &["`x-request-id`", "dropped"],
        );
        only_change(
            |c| {
                let i = retry_after(c);
                c.headers[i].on.retain(|code| code != "service_unavailable");
            },
            Kind::Breaking,
            &["`retry-after`", "dropped from `service_unavailable`"],
        );
        only_change(
            |c| {
                let i = retry_after(c);
                c.headers[i].on.push("upstream_error".to_owned());
            },
            Kind::Additive,
            &["`retry-after`", "`upstream_error`"],
        );
        only_change(
            |c| {
                c.headers.push(HeaderEntry {
                    name: "x-trace-id".to_owned(),
                    spelling: Some("X-Trace-Id".to_owned()),
                    type_: Some("string".to_owned()),
                    description: "Trace.".to_owned(),
                    on: vec!["*".to_owned()],
                })
            },
            Kind::Additive,
            &["`x-trace-id`", "every response"],
        );
    }

    #[test]
    fn tier_rules() {
        only_change(
            |c| c.tiers[1].requests_per_minute -= 1,
            Kind::Breaking,
            &["tier `pro` requests/min", "60 → 59"],
        );
        only_change(
            |c| c.tiers[1].concurrent_runs += 1,
            Kind::Additive,
            &["tier `pro` concurrent runs", "10 → 11"],
        );
        only_change(
            |c| {
                c.tiers.pop();
            },
            Kind::Breaking,
            &["tier `enterprise`", "removed"],
        );
    }

    #[test]
    fn breaking_needs_a_major_bump() {
        let (mut new, changes) = changes_after(|c| code(c, "gone").status = 404);
        assert!(!allowed(&base().version, &new.version, &changes));
        assert!(
            report("main", &base(), &new, &changes)
                .contains("breaking without a major version bump")
        );
        new.version = "1.1.0".to_owned();
        assert!(
            !allowed("1.0.0", &new.version, &changes),
            "a minor bump does not cover a breaking change"
        );
        new.version = "2.0.0".to_owned();
        assert!(allowed("1.0.0", &new.version, &changes));
        assert!(report("main", &base(), &new, &changes).contains("major version raised"));
    }

    #[test]
    fn report_groups_by_kind_with_old_and_new_values() {
        let (new, changes) = changes_after(|c| {
            code(c, "gone").remedy = "Start another run".to_owned();
            code(c, "gone").status = 404;
        });
        let text = report("main", &base(), &new, &changes);
        let breaking = text.find("### Breaking (1)").expect("breaking section");
        let wording = text.find("### Wording (1)").expect("wording section");
        assert!(breaking < wording, "{text}");
        assert!(text.contains("- `gone` status: 410 → 404"), "{text}");
        assert!(
            text.contains("\"Start a new run\" → \"Start another run\""),
            "{text}"
        );
    }
}
