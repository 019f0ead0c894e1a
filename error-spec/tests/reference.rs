//! The table matches the API reference, fact for fact.
//!
//! `tests/fixtures/reference.md` is a verbatim copy of the API reference the contract
//! implements. This test parses its tables on its own, without the crate's help, and compares
//! every fact it states with the crate: the error codes per category with their *when* and
//! *remedy* texts byte for byte, the HTTP status table, and the rate-limit tiers. A code
//! added, dropped, renamed or reworded on either side fails here.

use std::collections::BTreeMap;

use error_spec::{Category, ErrorCode, STATUS_TABLE, TIERS};

const REFERENCE: &str = include_str!("fixtures/reference.md");

/// One row of an error-code table of the reference, under its category heading.
#[derive(Debug)]
struct CodeRow {
    category: String,
    code: String,
    when: String,
    remedy: String,
}

/// The reference's tables, as parsed from the markdown.
#[derive(Debug)]
struct Reference {
    /// `(status, category, typical)`, in the reference's order.
    statuses: Vec<(u16, String, String)>,
    /// The category headings of the error codes, in the reference's order.
    categories: Vec<String>,
    codes: Vec<CodeRow>,
    /// `(tier, requests per minute, concurrent runs)`, in the reference's order.
    tiers: Vec<(String, u32, u32)>,
}

/// The cells of a table row, `a | b | c` with or without outer pipes.
fn cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    line.split('|').map(|cell| cell.trim().to_owned()).collect()
}

/// Whether `line` is a table's `|---|---|` separator.
fn is_separator(line: &str) -> bool {
    line.starts_with("|-") && line.chars().all(|c| c == '|' || c == '-')
}

/// The rows of the table whose header line ends with `header`, starting the search at
/// `from`: the lines after the separator, up to the first line that is not a row of
/// `columns` cells. Returns the rows and the index after the table.
fn table_after(
    lines: &[&str],
    from: usize,
    header: &str,
    columns: usize,
) -> (Vec<Vec<String>>, usize) {
    let start = lines[from..]
        .iter()
        .position(|line| line.trim_end().ends_with(header))
        .map(|i| from + i)
        .unwrap_or_else(|| {
            panic!("the reference has no table headed `{header}` after line {from}")
        });
    assert!(
        is_separator(lines[start + 1]),
        "the table headed `{header}` has no separator line"
    );
    let mut rows = Vec::new();
    let mut i = start + 2;
    while i < lines.len() && lines[i].contains(" | ") && cells(lines[i]).len() == columns {
        rows.push(cells(lines[i]));
        i += 1;
    }
    (rows, i)
}

fn parse(markdown: &str) -> Reference {
    let lines: Vec<&str> = markdown.lines().collect();

    let status_heading = lines
        .iter()
        .position(|line| line.trim() == "HTTP status codes")
        .expect("the reference has an `HTTP status codes` section");
    let (rows, _) = table_after(&lines, status_heading, "| Code | Category | Typical |", 3);
    let statuses = rows
        .into_iter()
        .map(|row| {
            let status = row[0]
                .parse()
                .unwrap_or_else(|_| panic!("status `{}` is not a number", row[0]));
            (status, row[1].clone(), row[2].clone())
        })
        .collect();

    // Under `Error codes`, each category is a heading line directly above its own
    // `| Code | When | Remedy |` table; the section ends at the first line that is neither.
    let codes_heading = lines
        .iter()
        .position(|line| line.trim() == "Error codes")
        .expect("the reference has an `Error codes` section");
    let mut categories = Vec::new();
    let mut codes = Vec::new();
    let mut i = codes_heading + 1;
    while i + 1 < lines.len() && lines[i + 1].trim() == "| Code | When | Remedy |" {
        let category = lines[i].trim().to_owned();
        let (rows, next) = table_after(&lines, i + 1, "| Code | When | Remedy |", 3);
        assert!(!rows.is_empty(), "category `{category}` has no codes");
        for row in rows {
            codes.push(CodeRow {
                category: category.clone(),
                code: row[0].clone(),
                when: row[1].clone(),
                remedy: row[2].clone(),
            });
        }
        categories.push(category);
        i = next;
    }

    let (rows, _) = table_after(&lines, 0, "| Tier | Requests/min | Concurrent runs |", 3);
    let number = |cell: &str| -> u32 {
        cell.parse()
            .unwrap_or_else(|_| panic!("tier limit `{cell}` is not a number"))
    };
    let tiers = rows
        .into_iter()
        .map(|row| (row[0].clone(), number(&row[1]), number(&row[2])))
        .collect();

    Reference {
        statuses,
        categories,
        codes,
        tiers,
    }
}

/// The status of each code where the reference does not state it: the contract's mapping, agreed with the API's owners.
/// The reference's status table only says which *kinds* of error use which status, so the
/// code-to-status assignment is the contract's own decision, written here independently of
/// the crate's table.
const ISSUE_STATUSES: &[(&str, u16)] = &[
    ("invalid_api_key", 401),
    ("forbidden", 403),
    ("insufficient_credits", 402),
    ("invalid_request", 400),
    ("validation_error", 422),
    ("preflight_failed", 400),
    ("payload_too_large", 413),
    ("not_found", 404),
    ("gone", 410),
    ("conflict", 409),
    ("sync_timeout_upgrade_async", 408),
    ("rate_limit_exceeded", 429),
    ("internal_error", 500),
    ("upstream_error", 502),
    ("service_unavailable", 503),
    ("not_implemented", 501),
];

#[test]
fn the_parser_reads_every_table_of_the_reference() {
    // Guards the comparisons below against a parser that silently reads nothing.
    let reference = parse(REFERENCE);
    assert_eq!(reference.statuses.len(), 20);
    assert_eq!(reference.codes.len(), 16);
    assert_eq!(reference.categories.len(), 5);
    assert_eq!(reference.tiers.len(), 3);
}

#[test]
fn the_codes_are_the_references_codes() {
    let reference = parse(REFERENCE);
    let expected: Vec<&str> = reference
        .codes
        .iter()
        .map(|row| row.code.as_str())
        .collect();
    let actual: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(actual, expected, "the codes, in the reference's order");
}

#[test]
fn each_code_is_in_the_references_category() {
    let reference = parse(REFERENCE);
    for row in &reference.codes {
        let code: ErrorCode = row.code.parse().expect("a code of the reference");
        assert_eq!(
            code.category().name(),
            row.category,
            "category of `{}`",
            row.code
        );
    }
}

#[test]
fn the_categories_are_the_references_headings_in_order() {
    let reference = parse(REFERENCE);
    let actual: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(actual, reference.categories);
}

#[test]
fn when_and_remedy_are_the_references_words_byte_for_byte() {
    let reference = parse(REFERENCE);
    for row in &reference.codes {
        let code: ErrorCode = row.code.parse().expect("a code of the reference");
        assert_eq!(code.when(), row.when, "`when` of `{}`", row.code);
        assert_eq!(code.remedy(), row.remedy, "`remedy` of `{}`", row.code);
    }
}

#[test]
fn each_code_has_the_issues_status_and_the_reference_lists_it() {
    let reference = parse(REFERENCE);
    let mapped: BTreeMap<&str, u16> = ISSUE_STATUSES.iter().copied().collect();
    let listed: BTreeMap<&str, u16> = reference
        .codes
        .iter()
        .map(|row| {
            (
                row.code.as_str(),
                mapped.get(row.code.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        listed, mapped,
        "the contract's mapping covers exactly the reference's codes"
    );
    for (wire, status) in ISSUE_STATUSES {
        let code: ErrorCode = wire.parse().expect("a code of the contract");
        assert_eq!(code.status().as_u16(), *status, "status of `{wire}`");
        assert!(
            reference.statuses.iter().any(|(s, _, _)| s == status),
            "status {status} of `{wire}` is not in the reference's status table"
        );
    }
}

#[test]
fn the_status_table_is_the_references() {
    let reference = parse(REFERENCE);
    let actual: Vec<(u16, &str, &str)> = STATUS_TABLE
        .iter()
        .map(|row| (row.status.as_u16(), row.category, row.typical))
        .collect();
    let expected: Vec<(u16, &str, &str)> = reference
        .statuses
        .iter()
        .map(|(status, category, typical)| (*status, category.as_str(), typical.as_str()))
        .collect();
    assert_eq!(actual, expected);
}

#[test]
fn the_tiers_are_the_references() {
    let reference = parse(REFERENCE);
    let actual: Vec<(&str, u32, u32)> = TIERS
        .iter()
        .map(|tier| (tier.name, tier.requests_per_minute, tier.concurrent_runs))
        .collect();
    let expected: Vec<(&str, u32, u32)> = reference
        .tiers
        .iter()
        .map(|(name, rpm, runs)| (name.as_str(), *rpm, *runs))
        .collect();
    assert_eq!(actual, expected);
}
