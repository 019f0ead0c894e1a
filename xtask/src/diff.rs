//! What a change to the contract does to clients: every difference between two
//! [`Contract`]s, classified as breaking, additive or wording.
//!
//! The rules are AIP-180's and oasdiff's, applied to an error contract whose body is both
//! what servers write and what readers accept (an old server talks to a new SDK, and a
//! stored task failure is read long after it was written):
//!
//! - breaking: anything a client built against the base relies on goes away or changes
//!   meaning: a code, status, category, tier, header or body member removed or renamed; a
//!   code's status, category, retry class or anchor changed; a status no longer carrying a
//!   code; a header's value type changed or its header dropped from a response; a body
//!   member's type, nullability, format or requiredness changed, or a new required member;
//!   a tier's limit lowered; the version lowered.
//! - additive: something new a client may ignore: a code, status, category, tier, header,
//!   optional body member; a status carrying one more code; a header on more responses; a
//!   higher limit; a deprecation.
//! - wording: text only: titles, messages, *when* and *remedy*, descriptions, the status
//!   table's labels, the order of categories.
//!
//! Facts a format-1 file (contract 1.0.0) did not record, such as header value types or the
//! body's nested members and nullability, are not compared against it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use error_spec::RetryClass;
use serde::Serialize;
use serde_json::Value;

use crate::model::{
    CodeEntry, Contract, FORMAT, HeaderEntry, OperationEntry, StatusEntry, TierEntry,
    required_names, schema_types,
};

/// What a difference does to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    /// A client written against the base may now misbehave.
    Breaking,
    /// Something new that clients may ignore.
    Additive,
    /// Additive too, but listed on its own for client review: an operation that can now
    /// answer a code it could not before, which a client's error handling should cover.
    NewErrors,
    /// Text only: docs and messages change, behaviour does not.
    Wording,
}

impl Kind {
    /// Every kind, in report order.
    pub(crate) const ALL: [Kind; 4] = [
        Kind::Breaking,
        Kind::Additive,
        Kind::NewErrors,
        Kind::Wording,
    ];

    /// The report's heading for the kind.
    pub(crate) fn heading(self) -> &'static str {
        match self {
            Kind::Breaking => "Breaking",
            Kind::Additive => "Additive",
            Kind::NewErrors => "Additive: new errors for clients to handle",
            Kind::Wording => "Wording",
        }
    }
}

/// The part of the contract a change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Part {
    Version,
    Category,
    Code,
    Status,
    Tier,
    Header,
    Body,
    Operation,
}

impl Part {
    fn noun(self) -> &'static str {
        match self {
            Part::Version => "version",
            Part::Category => "category",
            Part::Code => "code",
            Part::Status => "status",
            Part::Tier => "tier",
            Part::Header => "header",
            Part::Body => "body member",
            Part::Operation => "operation",
        }
    }
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Change {
    pub(crate) kind: Kind,
    pub(crate) part: Part,
    /// What it names: the code, member path (`errors[].pointer`), header, tier, status or
    /// category; empty for the version.
    pub(crate) name: String,
    /// The aspect that changed (`status`, `retry`, `type`), or `None` when the whole
    /// thing was added or removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) aspect: Option<String>,
    /// The old value, in the table's syntax.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) old: Option<String>,
    /// The new value, in the table's syntax.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) new: Option<String>,
    /// What happened, in words.
    pub(crate) summary: String,
}

impl Change {
    /// The subject: `` code `gone` status``, `` body member `errors[].pointer` ``.
    pub(crate) fn subject(&self) -> String {
        let mut subject = match (self.part, self.name.is_empty()) {
            (Part::Body, true) => "body".to_owned(),
            (part, _) => part.noun().to_owned(),
        };
        if !self.name.is_empty() {
            if self.part == Part::Status {
                subject = format!("{subject} {}", self.name);
            } else {
                subject = format!("{subject} `{}`", self.name);
            }
        }
        if let Some(aspect) = &self.aspect {
            subject = format!("{subject} {aspect}");
        }
        subject
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject(), self.summary)
    }
}

/// Collects the changes of one comparison.
#[derive(Debug, Default)]
struct Changes(Vec<Change>);

impl Changes {
    /// A whole thing added, removed, or changed as a whole.
    fn whole(&mut self, kind: Kind, part: Part, name: &str, summary: impl Into<String>) {
        self.0.push(Change {
            kind,
            part,
            name: name.to_owned(),
            aspect: None,
            old: None,
            new: None,
            summary: summary.into(),
        });
    }

    /// One aspect of a thing, `old` → `new`, when they differ.
    fn aspect(
        &mut self,
        kind: Kind,
        part: Part,
        name: &str,
        aspect: &str,
        old: impl fmt::Display,
        new: impl fmt::Display,
    ) {
        let (old, new) = (old.to_string(), new.to_string());
        if old != new {
            self.push_aspect(kind, part, name, aspect, (old, new), None);
        }
    }

    /// One aspect, `(old, new)`, with an explanation after the values.
    fn push_aspect(
        &mut self,
        kind: Kind,
        part: Part,
        name: &str,
        aspect: &str,
        (old, new): (String, String),
        why: Option<&str>,
    ) {
        let prose = kind == Kind::Wording;
        let mut summary = format!("{} → {}", shown(&old, prose), shown(&new, prose));
        if let Some(why) = why {
            summary = format!("{summary} ({why})");
        }
        self.0.push(Change {
            kind,
            part,
            name: name.to_owned(),
            aspect: Some(aspect.to_owned()).filter(|aspect| !aspect.is_empty()),
            old: Some(old),
            new: Some(new),
            summary,
        });
    }
}

/// A value in the report: prose quoted, values in backticks as the table writes them.
fn shown(value: &str, prose: bool) -> String {
    if prose || value.is_empty() || value.contains('`') {
        format!("{value:?}")
    } else {
        format!("`{value}`")
    }
}

/// A retry class as the table writes it: `never`, `pause(30, 60)`.
pub(crate) fn retry_syntax(retry: RetryClass) -> String {
    match retry {
        RetryClass::Pause { min_secs, max_secs } => format!("pause({min_secs}, {max_secs})"),
        other => other.as_str().to_owned(),
    }
}

/// Every difference between two contracts, breaking first, in contract order within a kind.
pub(crate) fn diff(old: &Contract, new: &Contract) -> Vec<Change> {
    let mut changes = Changes::default();
    check_version(&mut changes, &old.version, &new.version);
    check_categories(&mut changes, &old.categories, &new.categories);
    check_codes(&mut changes, &old.codes, &new.codes);
    check_statuses(&mut changes, old, new);
    check_tiers(&mut changes, &old.tiers, &new.tiers);
    check_headers(&mut changes, &old.headers, &new.headers);
    let coarse = old.format < FORMAT || new.format < FORMAT;
    check_schema(&mut changes, "", &old.body, &new.body, coarse);
    check_operations(&mut changes, &old.operations, &new.operations);
    let mut changes = changes.0;
    // A stable sort keeps contract order within each kind.
    changes.sort_by_key(|change| change.kind);
    changes
}

/// What a comparison with a format-1 file cannot see, said in the report so that nothing
/// passes silently.
pub(crate) fn blind_spots(old: &Contract, new: &Contract) -> Option<String> {
    let format = old.format.min(new.format);
    (format < FORMAT).then(|| {
        format!(
            "one side is a format-{format} file (contract 1.0.0 and before), which did not \
             record header value types or the body's nested members, nullability and formats; \
             those are not compared."
        )
    })
}

/// An operation removed is breaking (clients call it); one added is additive. An operation
/// that gains a code is additive, listed for client review; one that loses a code is
/// additive: clients handle a code that no longer comes. Operations are matched by
/// `operationId`; a changed method or path is breaking.
fn check_operations(changes: &mut Changes, old: &[OperationEntry], new: &[OperationEntry]) {
    for (id, old, new) in pair(old, new, |op| op.id.clone()) {
        match (old, new) {
            (Some(_), None) => changes.whole(Kind::Breaking, Part::Operation, &id, "removed"),
            (None, Some(new)) => changes.whole(
                Kind::Additive,
                Part::Operation,
                &id,
                format!("new: {} {}", new.method, new.path),
            ),
            (Some(old), Some(new)) => {
                let route = |op: &OperationEntry| format!("{} {}", op.method, op.path);
                changes.aspect(
                    Kind::Breaking,
                    Part::Operation,
                    &id,
                    "route",
                    route(old),
                    route(new),
                );
                for code in new.codes.iter().filter(|code| !old.codes.contains(code)) {
                    changes.0.push(Change {
                        kind: Kind::NewErrors,
                        part: Part::Operation,
                        name: id.clone(),
                        aspect: Some("codes".to_owned()),
                        old: None,
                        new: Some(code.clone()),
                        summary: format!("can now answer `{code}`"),
                    });
                }
                for code in old.codes.iter().filter(|code| !new.codes.contains(code)) {
                    changes.0.push(Change {
                        kind: Kind::Additive,
                        part: Part::Operation,
                        name: id.clone(),
                        aspect: Some("codes".to_owned()),
                        old: Some(code.clone()),
                        new: None,
                        summary: format!("no longer answers `{code}`"),
                    });
                }
            }
            (None, None) => {}
        }
    }
}

/// Pairs entries of two lists by key: old order first, then the new ones.
fn pair<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> String,
) -> Vec<(String, Option<&'a T>, Option<&'a T>)> {
    let new_by_key: BTreeMap<String, &T> = new.iter().map(|entry| (key(entry), entry)).collect();
    let old_keys: BTreeSet<String> = old.iter().map(&key).collect();
    let mut pairs: Vec<_> = old
        .iter()
        .map(|entry| {
            let k = key(entry);
            let new = new_by_key.get(&k).copied();
            (k, Some(entry), new)
        })
        .collect();
    pairs.extend(
        new.iter()
            .filter(|entry| !old_keys.contains(&key(entry)))
            .map(|entry| (key(entry), None, Some(entry))),
    );
    pairs
}

/// A lowered version is breaking: versions only go up. Raising it is the verdict's concern.
fn check_version(changes: &mut Changes, old: &str, new: &str) {
    let (Some(old_v), Some(new_v)) = (
        error_spec::error_rules::version::parse(old),
        error_spec::error_rules::version::parse(new),
    ) else {
        return;
    };
    if new_v < old_v {
        changes.push_aspect(
            Kind::Breaking,
            Part::Version,
            "",
            "",
            (old.to_owned(), new.to_owned()),
            Some("lowered: a contract version only goes up"),
        );
    }
}

/// Categories: removing one is breaking, a new one additive; their order is the docs'.
fn check_categories(changes: &mut Changes, old: &[String], new: &[String]) {
    for (name, old_c, new_c) in pair(old, new, Clone::clone) {
        match (old_c, new_c) {
            (Some(_), None) => {
                changes.whole(Kind::Breaking, Part::Category, &name, "removed or renamed")
            }
            (None, Some(_)) => changes.whole(Kind::Additive, Part::Category, &name, "new"),
            _ => {}
        }
    }
    let common = |list: &[String], other: &[String]| -> Vec<String> {
        list.iter().filter(|c| other.contains(c)).cloned().collect()
    };
    let (old_order, new_order) = (common(old, new), common(new, old));
    if old_order != new_order {
        changes.push_aspect(
            Kind::Wording,
            Part::Category,
            "",
            "order",
            (old_order.join(", "), new_order.join(", ")),
            None,
        );
    }
}

/// Codes: removal, status, category, retry class and anchor are breaking (clients branch
/// on them, links point at the anchor); a new code is additive (the list is open), and so
/// is a deprecation; texts are wording.
fn check_codes(changes: &mut Changes, old: &[CodeEntry], new: &[CodeEntry]) {
    for (code, old, new) in pair(old, new, |entry| entry.code.clone()) {
        match (old, new) {
            (Some(_), None) => changes.whole(
                Kind::Breaking,
                Part::Code,
                &code,
                "removed or renamed (codes are deprecated, never deleted)",
            ),
            (None, Some(new)) => changes.whole(
                Kind::Additive,
                Part::Code,
                &code,
                format!(
                    "new, status {}, category `{}`, retry `{}`",
                    new.status,
                    new.category,
                    retry_syntax(new.retry)
                ),
            ),
            (Some(old), Some(new)) => {
                let mut aspect = |kind, aspect: &str, old: String, new: String| {
                    changes.aspect(kind, Part::Code, &code, aspect, old, new);
                };
                aspect(
                    Kind::Breaking,
                    "status",
                    old.status.to_string(),
                    new.status.to_string(),
                );
                aspect(
                    Kind::Breaking,
                    "category",
                    old.category.clone(),
                    new.category.clone(),
                );
                aspect(
                    Kind::Breaking,
                    "retry",
                    retry_syntax(old.retry),
                    retry_syntax(new.retry),
                );
                aspect(
                    Kind::Breaking,
                    "anchor",
                    old.anchor.clone(),
                    new.anchor.clone(),
                );
                aspect(Kind::Wording, "title", old.title.clone(), new.title.clone());
                aspect(
                    Kind::Wording,
                    "message",
                    old.message.clone(),
                    new.message.clone(),
                );
                aspect(Kind::Wording, "when", old.when.clone(), new.when.clone());
                aspect(
                    Kind::Wording,
                    "remedy",
                    old.remedy.clone(),
                    new.remedy.clone(),
                );
                match (&old.deprecated, &new.deprecated) {
                    (None, Some(why)) => changes.whole(
                        Kind::Additive,
                        Part::Code,
                        &code,
                        format!("deprecated: {why:?}"),
                    ),
                    (Some(_), None) => {
                        changes.whole(Kind::Additive, Part::Code, &code, "no longer deprecated")
                    }
                    (Some(old), Some(new)) => {
                        changes.aspect(Kind::Wording, Part::Code, &code, "deprecation", old, new)
                    }
                    (None, None) => {}
                }
            }
            (None, None) => {}
        }
    }
}

/// The status table: a status the API stops using is breaking, a new one additive; a code
/// taken off a status is breaking and one put on it additive, unless the code's own line
/// already says so (the code was removed, added or moved); labels are wording.
fn check_statuses(changes: &mut Changes, old_contract: &Contract, new_contract: &Contract) {
    let status_of = |contract: &Contract, code: &str| {
        contract
            .codes
            .iter()
            .find(|entry| entry.code == code)
            .map(|entry| entry.status)
    };
    let pairs = pair(&old_contract.statuses, &new_contract.statuses, |entry| {
        entry.status.to_string()
    });
    for (status, old, new) in pairs {
        match (old, new) {
            (Some(old), None) => changes.whole(
                Kind::Breaking,
                Part::Status,
                &status,
                if old.codes.is_empty() {
                    "no longer used".to_owned()
                } else {
                    format!("no longer used (carried {})", code_list(&old.codes))
                },
            ),
            (None, Some(new)) => changes.whole(
                Kind::Additive,
                Part::Status,
                &status,
                if new.codes.is_empty() {
                    "new".to_owned()
                } else {
                    format!("new, carries {}", code_list(&new.codes))
                },
            ),
            (Some(old), Some(new)) => {
                for code in old.codes.iter().filter(|code| !new.codes.contains(code)) {
                    let explained = status_of(old_contract, code) == Some(old.status)
                        && status_of(new_contract, code) != Some(new.status);
                    if !explained {
                        changes.whole(
                            Kind::Breaking,
                            Part::Status,
                            &status,
                            format!("no longer carries code `{code}`"),
                        );
                    }
                }
                for code in new.codes.iter().filter(|code| !old.codes.contains(code)) {
                    let explained = status_of(new_contract, code) == Some(new.status)
                        && status_of(old_contract, code) != Some(old.status);
                    if !explained {
                        changes.whole(
                            Kind::Additive,
                            Part::Status,
                            &status,
                            format!("now carries code `{code}`"),
                        );
                    }
                }
                check_status_labels(changes, &status, old, new);
            }
            (None, None) => {}
        }
    }
}

/// A status's category and typical use are labels; the category also names the OpenAPI
/// response component (`RateLimited`), which the report mentions.
fn check_status_labels(changes: &mut Changes, status: &str, old: &StatusEntry, new: &StatusEntry) {
    if old.category != new.category {
        changes.push_aspect(
            Kind::Wording,
            Part::Status,
            status,
            "category",
            (old.category.clone(), new.category.clone()),
            Some("also the name of its OpenAPI response component"),
        );
    }
    changes.aspect(
        Kind::Wording,
        Part::Status,
        status,
        "typical use",
        &old.typical,
        &new.typical,
    );
}

fn code_list(codes: &[String]) -> String {
    codes
        .iter()
        .map(|code| format!("`{code}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Tiers: a removed tier or a lower limit breaks clients sized for it; a new tier or a
/// higher limit is additive.
fn check_tiers(changes: &mut Changes, old: &[TierEntry], new: &[TierEntry]) {
    for (name, old, new) in pair(old, new, |entry| entry.name.clone()) {
        match (old, new) {
            (Some(_), None) => {
                changes.whole(Kind::Breaking, Part::Tier, &name, "removed or renamed")
            }
            (None, Some(new)) => changes.whole(
                Kind::Additive,
                Part::Tier,
                &name,
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
                    changes.aspect(kind, Part::Tier, &name, what, old, new);
                }
            }
            (None, None) => {}
        }
    }
}

/// Headers: a header dropped from a response, or its value retyped, is breaking; a new
/// header, or one on more responses, is additive; its description and letter case are
/// wording (HTTP header names are case-insensitive).
fn check_headers(changes: &mut Changes, old: &[HeaderEntry], new: &[HeaderEntry]) {
    for (_, old, new) in pair(old, new, |entry| entry.name.to_ascii_lowercase()) {
        let name =
            |entry: &HeaderEntry| entry.spelling.clone().unwrap_or_else(|| entry.name.clone());
        match (old, new) {
            (Some(old), None) => changes.whole(
                Kind::Breaking,
                Part::Header,
                &name(old),
                "removed or renamed: no response carries it any more",
            ),
            (None, Some(new)) => changes.whole(
                Kind::Additive,
                Part::Header,
                &name(new),
                format!(
                    "new, {}on {}",
                    new.type_
                        .as_ref()
                        .map(|t| format!("{t}, "))
                        .unwrap_or_default(),
                    on(&new.on)
                ),
            ),
            (Some(old), Some(new)) => {
                let shown_name = name(new);
                if let (Some(old_type), Some(new_type)) = (&old.type_, &new.type_)
                    && old_type != new_type
                {
                    changes.push_aspect(
                        Kind::Breaking,
                        Part::Header,
                        &shown_name,
                        "type",
                        (old_type.clone(), new_type.clone()),
                        Some("clients parse the old type"),
                    );
                }
                let everywhere = |on: &[String]| on.iter().any(|code| code == "*");
                let dropped: Vec<String> = if everywhere(&new.on) {
                    Vec::new()
                } else if everywhere(&old.on) {
                    vec!["*".to_owned()]
                } else {
                    old.on
                        .iter()
                        .filter(|code| !new.on.contains(code))
                        .cloned()
                        .collect()
                };
                let added =
                    !everywhere(&old.on) && new.on.iter().any(|code| !old.on.contains(code));
                if !dropped.is_empty() {
                    changes.push_aspect(
                        Kind::Breaking,
                        Part::Header,
                        &shown_name,
                        "responses",
                        (on(&old.on), on(&new.on)),
                        Some(&format!("dropped from {}", on(&dropped))),
                    );
                } else if added {
                    changes.push_aspect(
                        Kind::Additive,
                        Part::Header,
                        &shown_name,
                        "responses",
                        (on(&old.on), on(&new.on)),
                        None,
                    );
                }
                if let (Some(old_s), Some(new_s)) = (&old.spelling, &new.spelling) {
                    changes.aspect(
                        Kind::Wording,
                        Part::Header,
                        &shown_name,
                        "spelling",
                        old_s,
                        new_s,
                    );
                }
                changes.aspect(
                    Kind::Wording,
                    Part::Header,
                    &shown_name,
                    "description",
                    &old.description,
                    &new.description,
                );
            }
            (None, None) => {}
        }
    }
}

/// The responses a header is on, in words.
fn on(codes: &[String]) -> String {
    if codes.iter().any(|code| code == "*") {
        "every response".to_owned()
    } else if codes.is_empty() {
        "no response".to_owned()
    } else {
        codes.join(", ")
    }
}

/// Schema keywords that only annotate: a change to one is wording.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "examples",
    "example",
    "$comment",
    "$schema",
];

/// Schema keywords compared elsewhere: `type` and members here, the codes list in `codes`.
const STRUCTURE: &[&str] = &[
    "type",
    "properties",
    "required",
    "items",
    "deprecated",
    "x-extensible-enum",
];

/// Compares two body schemas at `path` (`""` for the body, `errors[]` for its items).
/// `coarse`: one side is a format-1 file, which recorded only top-level members, their
/// non-null type and requiredness.
fn check_schema(changes: &mut Changes, path: &str, old: &Value, new: &Value, coarse: bool) {
    let member = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    let label = path;

    // Types and nullability.
    let (old_types, new_types) = (schema_types(old), schema_types(new));
    // A set of types: `["integer", "string"]` and `["string", "integer"]` are the same.
    let non_null = |types: &[String]| -> Vec<String> {
        let set: BTreeSet<&String> = types.iter().filter(|t| *t != "null").collect();
        set.into_iter().cloned().collect()
    };
    if non_null(&old_types) != non_null(&new_types) {
        changes.push_aspect(
            Kind::Breaking,
            Part::Body,
            label,
            "type",
            (
                non_null(&old_types).join(" or "),
                non_null(&new_types).join(" or "),
            ),
            None,
        );
    }
    if coarse {
        if path.is_empty() {
            check_members(changes, old, new, coarse, &member);
        }
        return;
    }
    let nullable = |types: &[String]| types.iter().any(|t| t == "null");
    match (nullable(&old_types), nullable(&new_types)) {
        (false, true) => changes.whole(
            Kind::Breaking,
            Part::Body,
            label,
            "may now be `null`: readers of the base do not expect it",
        ),
        (true, false) => changes.whole(
            Kind::Breaking,
            Part::Body,
            label,
            "may no longer be `null`: readers now reject bodies written with it",
        ),
        _ => {}
    }
    match (
        old["deprecated"].as_bool().unwrap_or(false),
        new["deprecated"].as_bool().unwrap_or(false),
    ) {
        (false, true) => changes.whole(Kind::Additive, Part::Body, label, "deprecated"),
        (true, false) => changes.whole(Kind::Additive, Part::Body, label, "no longer deprecated"),
        _ => {}
    }

    // Every other keyword: annotations are wording, constraints are breaking.
    let keys: BTreeSet<&String> = old
        .as_object()
        .into_iter()
        .chain(new.as_object())
        .flat_map(|object| object.keys())
        .filter(|key| !STRUCTURE.contains(&key.as_str()))
        .collect();
    for key in keys {
        let (o, n) = (&old[key.as_str()], &new[key.as_str()]);
        if o == n {
            continue;
        }
        let text = |value: &Value| match value {
            Value::Null => "none".to_owned(),
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        if ANNOTATIONS.contains(&key.as_str()) {
            changes.push_aspect(
                Kind::Wording,
                Part::Body,
                label,
                key,
                (text(o), text(n)),
                None,
            );
        } else {
            changes.push_aspect(
                Kind::Breaking,
                Part::Body,
                label,
                key,
                (text(o), text(n)),
                Some("the values a reader accepts changed"),
            );
        }
    }

    check_members(changes, old, new, coarse, &member);
    if old.get("items").is_some() || new.get("items").is_some() {
        let items = if path.is_empty() {
            "[]".to_owned()
        } else {
            format!("{path}[]")
        };
        check_schema(changes, &items, &old["items"], &new["items"], coarse);
    }
}

/// The members of two object schemas: removal, retyping and any change of requiredness
/// break one side; only a new optional member is additive.
fn check_members(
    changes: &mut Changes,
    old: &Value,
    new: &Value,
    coarse: bool,
    member: &dyn Fn(&str) -> String,
) {
    let empty = serde_json::Map::new();
    let old_props = old["properties"].as_object().unwrap_or(&empty);
    let new_props = new["properties"].as_object().unwrap_or(&empty);
    let (old_req, new_req) = (required_names(old), required_names(new));
    let describe = |schema: &Value, required: bool| {
        let types = schema_types(schema);
        let types = if types.is_empty() {
            "value".to_owned()
        } else {
            types.join(" or ")
        };
        format!("{} {types}", if required { "required" } else { "optional" })
    };
    for (name, old_schema) in old_props {
        let path = member(name);
        let was_required = old_req.contains(name);
        match new_props.get(name) {
            None => changes.whole(
                Kind::Breaking,
                Part::Body,
                &path,
                format!(
                    "removed or renamed (was {})",
                    describe(old_schema, was_required)
                ),
            ),
            Some(new_schema) => {
                match (was_required, new_req.contains(name)) {
                    (true, false) => changes.whole(
                        Kind::Breaking,
                        Part::Body,
                        &path,
                        "required → optional: readers of the base rely on it",
                    ),
                    (false, true) => changes.whole(
                        Kind::Breaking,
                        Part::Body,
                        &path,
                        "optional → required: readers now reject bodies without it",
                    ),
                    _ => {}
                }
                check_schema(changes, &path, old_schema, new_schema, coarse);
            }
        }
    }
    for (name, new_schema) in new_props
        .iter()
        .filter(|(name, _)| !old_props.contains_key(*name))
    {
        let required = new_req.contains(name);
        let kind = if required {
            Kind::Breaking
        } else {
            Kind::Additive
        };
        let mut summary = format!("new {}", describe(new_schema, required));
        if required {
            summary.push_str(": readers now reject bodies without it");
        }
        changes.whole(kind, Part::Body, &member(name), summary);
    }
}
