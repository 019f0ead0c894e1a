//! The rules a table must satisfy, one commented `check_*` function each.
//!
//! The rules themselves live in `error_rules`, which the runtime reads too; this module
//! applies them to the model and words the errors. Every rule reports into the [`Ctxt`] and
//! none stops the others, so one build lists every broken row. Rules read the model
//! leniently: a key that failed to parse is `None` here and is already reported, so the
//! rules skip it instead of piling a second error on top.

use std::collections::HashMap;

use error_rules::retry::{self, ClassName};
use error_rules::status::{self, StatusProblem};
use error_rules::text::{self, CodeProblem, TextProblem};
use error_rules::version;
use syn::LitInt;

use crate::ast::{Row, Table};
use crate::attr;
use crate::ctxt::Ctxt;
use crate::keys::{CATEGORIES, HEADER_KEYS, ROW, ROW_KEYS, RetryAttr, Spanned, TABLE, VERSION};

/// Runs every rule over the table.
pub(crate) fn check(cx: &Ctxt, table: &Table) {
    check_header(cx, table);
    check_not_empty(cx, table);
    check_unique_codes(cx, table);
    check_categories_used(cx, table);
    for row in &table.rows {
        check_required_keys(cx, row);
        check_code_format(cx, row);
        check_status(cx, row);
        check_category_declared(cx, table, row);
        check_texts(cx, row);
        check_retry_class(cx, row);
    }
}

/// The header gives every key, the version is strict SemVer (what contract review
/// compares), and the categories are declared once each with distinct wire strings: they
/// are the only values a row's `category` may take, and clients match their wire strings.
fn check_header(cx: &Ctxt, table: &Table) {
    let header = &table.header;
    for missing in header.seen.missing(HEADER_KEYS) {
        // The key belongs in the attribute, so the error underlines the attribute (the
        // macro's call site) rather than the enum it is attached to.
        let example = if missing == VERSION {
            format!("`{VERSION} = \"1.0.0\"`")
        } else {
            format!("`{CATEGORIES}(Authentication, Billing)`")
        };
        cx.error_at(
            proc_macro2::Span::call_site(),
            format!("missing `{missing}` in `#[{TABLE}(...)]`, e.g. {example}"),
        );
    }
    if let Some(v) = &header.version
        && version::parse(&v.value).is_none()
    {
        cx.error_at(
            v.span,
            format!(
                "contract version `{}` is not SemVer `MAJOR.MINOR.PATCH`: three numbers \
                 without leading zeros, e.g. `1.0.0`",
                v.value.escape_debug()
            ),
        );
    }
    if header.categories.is_empty() && header.categories_complete {
        cx.error_at(
            proc_macro2::Span::call_site(),
            format!("`{CATEGORIES}(...)` is empty: declare at least one category"),
        );
    }
    for (i, category) in header.categories.iter().enumerate() {
        let wire = text::category_wire(&category.to_string());
        let earlier = header.categories[..i]
            .iter()
            .find(|c| text::category_wire(&c.to_string()) == wire);
        match earlier {
            Some(earlier) if earlier == category => {
                cx.error_spanned_by(category, format!("category `{category}` is declared twice"));
            }
            Some(earlier) => cx.error_spanned_by(
                category,
                format!(
                    "category `{category}` has the wire string `{wire}`, as `{earlier}` does: \
                     rename one of them"
                ),
            ),
            None => {}
        }
    }
}

/// A table with no rows would generate an uninhabited enum that no response can carry.
fn check_not_empty(cx: &Ctxt, table: &Table) {
    if table.rows.is_empty() && matches!(table.item.data, syn::Data::Enum(_)) {
        cx.error_spanned_by(table.ident(), "the error table declares no error codes");
    }
}

/// Each wire code names exactly one variant; clients branch on it, so two rows with one
/// code would make them indistinguishable. Both rows are pointed at.
fn check_unique_codes(cx: &Ctxt, table: &Table) {
    let mut first: HashMap<&str, &Spanned<String>> = HashMap::new();
    for row in &table.rows {
        let Some(code) = &row.attrs.code else {
            continue;
        };
        match first.get(code.value.as_str()) {
            Some(earlier) => {
                cx.error_at(
                    code.span,
                    format!("duplicate wire code `{}`", shown(&code.value)),
                );
                cx.error_at(
                    earlier.span,
                    format!("wire code `{}` is first declared here", shown(&code.value)),
                );
            }
            None => {
                first.insert(&code.value, code);
            }
        }
    }
}

/// A declared category with no code in it is a stale header entry. While some row names an
/// undeclared or unreadable category, that row's own error is the likelier story; on a
/// struct, a union or an empty enum there are no rows at all, and their own error says it all.
fn check_categories_used(cx: &Ctxt, table: &Table) {
    let header = &table.header;
    if !matches!(table.item.data, syn::Data::Enum(_))
        || table.rows.is_empty()
        || !header.categories_complete
    {
        return;
    }
    let declared = |row: &Row| {
        row.attrs
            .category
            .as_ref()
            .is_some_and(|c| header.categories.contains(c))
    };
    if !table.rows.iter().all(declared) {
        return;
    }
    for (i, category) in header.categories.iter().enumerate() {
        // A second declaration, or one whose wire string clashes, has its own error.
        let wire = text::category_wire(&category.to_string());
        if header.categories[..i]
            .iter()
            .any(|c| text::category_wire(&c.to_string()) == wire)
        {
            continue;
        }
        let used = table
            .rows
            .iter()
            .any(|row| row.attrs.category.as_ref() == Some(category));
        if !used {
            cx.error_spanned_by(category, format!("category `{category}` has no error code"));
        }
    }
}

/// Every required key is given; the missing ones are listed together in one error on the row.
fn check_required_keys(cx: &Ctxt, row: &Row) {
    let Some(tokens) = &row.tokens else {
        return;
    };
    let missing = row.attrs.seen.missing(ROW_KEYS);
    if !missing.is_empty() {
        let noun = if missing.len() == 1 { "key" } else { "keys" };
        cx.error_spanned_by(
            tokens,
            format!(
                "missing {noun} {} in `#[{ROW}(...)]`",
                attr::quoted_all(&missing)
            ),
        );
    }
}

/// A wire code is lowercase snake_case ASCII of at most 63 characters (`error_rules::text`).
fn check_code_format(cx: &Ctxt, row: &Row) {
    let Some(code) = &row.attrs.code else { return };
    match text::check_code(&code.value) {
        Ok(()) => {}
        Err(CodeProblem::NotSnakeCase) => cx.error_at(
            code.span,
            format!(
                "wire code `{}` is not lowercase snake_case ASCII, like `invalid_api_key`",
                shown(&code.value)
            ),
        ),
        Err(CodeProblem::TooLong(len)) => cx.error_at(
            code.span,
            format!(
                "wire code is {len} characters long: the limit is {} (AIP-193)",
                text::MAX_CODE_LEN
            ),
        ),
    }
}

/// A status is written as three plain digits, 400 to 599 (`error_rules::status`): a table is
/// read by people, and `0x191` or `4_01` hides the status from them.
fn check_status(cx: &Ctxt, row: &Row) {
    let Some(lit) = &row.attrs.status else {
        return;
    };
    let (first, last) = (status::ERROR_STATUSES.start(), status::ERROR_STATUSES.end());
    let text = lit.to_string();
    match status::parse_literal(&text) {
        Ok(_) => {}
        Err(StatusProblem::NotAnError(_)) => cx.error_at(
            lit.span(),
            format!("status `{text}` is not an error status: use {first} to {last}"),
        ),
        Err(StatusProblem::NotThreeDigits) => {
            let plain = text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0');
            let value = lit
                .base10_parse::<u16>()
                .ok()
                .filter(|v| status::is_error_status(*v));
            let msg = match value {
                _ if plain => {
                    format!("status `{text}` is not an error status: use {first} to {last}")
                }
                Some(value) => {
                    format!("status `{text}` is not written as three plain digits: write `{value}`")
                }
                None => format!("status `{text}` is not three plain digits from {first} to {last}"),
            };
            cx.error_at(lit.span(), msg);
        }
    }
}

/// A row's status, if it is written as the rules want; otherwise its own error is reported.
fn valid_status(lit: &LitInt) -> Option<u16> {
    status::parse_literal(&lit.to_string()).ok()
}

/// A row's category is one the header declares.
fn check_category_declared(cx: &Ctxt, table: &Table, row: &Row) {
    let Some(category) = &row.attrs.category else {
        return;
    };
    let header = &table.header;
    // With no categories declared, or one unreadable, the header's own error says it all;
    // a row's category is not wrong against a list that could not be read.
    if header.categories.is_empty() || !header.categories_complete {
        return;
    }
    if !header.categories.contains(category) {
        let declared: Vec<String> = header.categories.iter().map(|c| c.to_string()).collect();
        let declared: Vec<&str> = declared.iter().map(String::as_str).collect();
        let msg = match attr::closest(&category.to_string(), &declared) {
            Some(near) => format!("unknown category `{category}`, did you mean `{near}`?"),
            None => format!(
                "unknown category `{category}`, the header declares {}",
                attr::quoted_list(&declared)
            ),
        };
        cx.error_spanned_by(category, msg);
    }
}

/// The texts reach end users (`message`) and every generated artifact, so each is one line
/// of plain text (`error_rules::text::check_text`): not empty, no outer whitespace, no line
/// break, no control character (an ANSI escape would restyle a terminal), no bidirectional
/// override (which reorders the text on screen).
fn check_texts(cx: &Ctxt, row: &Row) {
    for (key, value) in &row.attrs.texts {
        let msg = match text::check_text(&value.value) {
            Ok(()) => continue,
            Err(TextProblem::Empty) => format!("`{key}` is empty"),
            Err(TextProblem::OuterWhitespace) => {
                format!("`{key}` has leading or trailing whitespace")
            }
            Err(TextProblem::LineBreak) => {
                format!("`{key}` holds a line break: keep it to one line")
            }
            Err(TextProblem::Control(ch)) => format!(
                "`{key}` holds the control character `{}`: texts are plain text",
                ch.escape_unicode()
            ),
            Err(TextProblem::Bidi(ch)) => format!(
                "`{key}` holds the bidirectional control `{}`, which reorders text on screen",
                ch.escape_unicode()
            ),
        };
        cx.error_at(value.span, msg);
    }
}

/// The retry class exists, takes arguments only when it needs them, and is one the status
/// allows (`error_rules::retry::allows`): advice to wait for `Retry-After` on a 404 would
/// have clients retry forever, and `backoff` on a 501 promises a retry no SDK makes.
fn check_retry_class(cx: &Ctxt, row: &Row) {
    let Some(RetryAttr { class, args }) = &row.attrs.retry else {
        return;
    };
    let name = class.to_string();
    let Some(class_name) = ClassName::from_name(&name) else {
        let msg = match attr::closest(&name, &retry::NAMES) {
            Some(near) => format!("unknown retry class `{name}`, did you mean `{near}`?"),
            None => format!(
                "unknown retry class `{name}`, expected one of {}",
                attr::quoted_list(&retry::NAMES)
            ),
        };
        cx.error_spanned_by(class, msg);
        return;
    };
    match (class_name.takes_range(), args) {
        (true, None) => cx.error_spanned_by(
            class,
            format!("retry class `{name}` needs its range in seconds, e.g. `{name}(30, 60)`"),
        ),
        (true, Some((min, max))) => {
            if !retry::pause_range_ok(min.value, max.value) {
                cx.error_at(
                    min.span,
                    format!(
                        "{name} range `{}..{}` is empty or starts at 0",
                        min.value, max.value
                    ),
                );
            }
        }
        (false, Some(_)) => {
            cx.error_spanned_by(class, format!("retry class `{name}` takes no arguments"))
        }
        (false, None) => {}
    }
    // A status the rules refuse is already reported; comparing the retry class with it
    // would only add a knock-on error.
    let Some(status) = row.attrs.status.as_ref().and_then(valid_status) else {
        return;
    };
    if !retry::allows(class_name, status) {
        cx.error_spanned_by(
            class,
            format!(
                "retry class `{name}` contradicts status `{status}`: it needs {}",
                class_name.wanted()
            ),
        );
    }
}

/// A code as a diagnostic shows it: escaped, and cut short when it is long.
fn shown(code: &str) -> String {
    const MAX: usize = 80;
    let escaped = code.escape_debug().to_string();
    match escaped.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &escaped[..cut]),
        None => escaped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_codes_are_cut_short_in_diagnostics() {
        assert_eq!(shown("bad_key"), "bad_key");
        assert_eq!(shown("a\nb"), "a\\nb");
        assert_eq!(shown(&"a".repeat(10_000)), format!("{}...", "a".repeat(80)));
    }
}
