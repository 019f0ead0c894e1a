//! The rules a table must satisfy, one commented `check_*` function each.
//!
//! Every rule reports into the [`Ctxt`] and none stops the others, so one build lists every
//! broken row. Rules read the model leniently: a key that failed to parse is `None` here and
//! is already reported, so the rules skip it instead of piling a second error on top.

use std::collections::HashMap;

use crate::ast::{Row, Table};
use crate::attr::{self, RetryAttr, Spanned};
use crate::ctxt::Ctxt;

/// Runs every rule over the table.
pub(crate) fn check(cx: &Ctxt, table: &Table) {
    check_header(cx, table);
    check_not_empty(cx, table);
    check_unique_codes(cx, table);
    check_categories_used(cx, table);
    for row in &table.rows {
        check_required_keys(cx, row);
        check_code_format(cx, row);
        check_status_is_error(cx, row);
        check_category_declared(cx, table, row);
        check_texts(cx, row);
        check_retry_class(cx, row);
    }
}

/// The header declares a `version` that is `MAJOR.MINOR.PATCH`, and at least one category,
/// each once. The version is what contract review compares; the categories are the only
/// values a row's `category` may take, so a typo in a row is caught against them.
fn check_header(cx: &Ctxt, table: &Table) {
    let header = &table.header;
    match &header.version {
        // The key belongs in the attribute, so the error underlines the attribute (the
        // macro's call site) rather than the enum it is attached to.
        None => cx.error_at(
            proc_macro2::Span::call_site(),
            format!(
                "missing `{}` in `#[{}(...)]`, e.g. `{} = \"1.0.0\"`",
                attr::VERSION,
                attr::TABLE,
                attr::VERSION
            ),
        ),
        Some(version) => {
            let parts: Vec<&str> = version.value.split('.').collect();
            let numeric =
                |part: &&str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            if parts.len() != 3 || !parts.iter().all(numeric) {
                cx.error_at(
                    version.span,
                    format!(
                        "contract version `{}` is not `MAJOR.MINOR.PATCH`",
                        version.value
                    ),
                );
            }
        }
    }
    if header.categories.is_empty() {
        let msg = format!(
            "missing `{}(...)` in `#[{}(...)]`, e.g. `{}(Authentication, Billing)`",
            attr::CATEGORIES,
            attr::TABLE,
            attr::CATEGORIES
        );
        match header.categories_span {
            Some(span) => cx.error_at(span, msg),
            None => cx.error_at(proc_macro2::Span::call_site(), msg),
        }
    }
    for (i, category) in header.categories.iter().enumerate() {
        if header.categories[..i].contains(category) {
            cx.error_spanned_by(category, format!("category `{category}` is declared twice"));
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
                cx.error_at(code.span, format!("duplicate wire code `{}`", code.value));
                cx.error_at(
                    earlier.span,
                    format!("wire code `{}` is first declared here", code.value),
                );
            }
            None => {
                first.insert(&code.value, code);
            }
        }
    }
}

/// A declared category with no code in it is a stale header entry. While some row names an
/// undeclared category, that row's typo is the likelier story and is reported on its own;
/// on a struct, a union or an empty enum there are no rows at all, and their own error
/// says it all.
fn check_categories_used(cx: &Ctxt, table: &Table) {
    if !matches!(table.item.data, syn::Data::Enum(_)) || table.rows.is_empty() {
        return;
    }
    // A row without a readable category has its own error, and may well be the one row
    // that uses the category; saying the category is unused would be a guess.
    let declared = |row: &&crate::ast::Row| {
        row.attrs
            .category
            .as_ref()
            .is_some_and(|c| table.header.categories.contains(c))
    };
    if !table.rows.iter().all(|row| declared(&row)) {
        return;
    }
    for category in &table.header.categories {
        let used = table
            .rows
            .iter()
            .any(|row| row.attrs.category.as_ref() == Some(category));
        if !used {
            cx.error_spanned_by(category, format!("category `{category}` has no error code"));
        }
    }
}

/// Every required key is present; they are listed together in one error on the row.
fn check_required_keys(cx: &Ctxt, row: &Row) {
    let Some(tokens) = &row.attrs.tokens else {
        return;
    };
    let a = &row.attrs;
    let present = [
        (attr::CODE, a.code.is_some()),
        (attr::STATUS, a.status.is_some()),
        (attr::CATEGORY, a.category.is_some()),
        (attr::TITLE, a.title.is_some()),
        (attr::MESSAGE, a.message.is_some()),
        (attr::WHEN, a.when.is_some()),
        (attr::REMEDY, a.remedy.is_some()),
        (attr::RETRY, a.retry.is_some()),
    ];
    debug_assert_eq!(present.len(), attr::REQUIRED_ROW_KEYS.len());
    let missing: Vec<&str> = present
        .iter()
        .filter(|(key, p)| !p && !a.reported.iter().any(|m| m == key))
        .map(|(key, _)| *key)
        .collect();
    if !missing.is_empty() {
        let noun = if missing.len() == 1 { "key" } else { "keys" };
        cx.error_spanned_by(
            tokens,
            format!(
                "missing {noun} {} in `#[{}(...)]`",
                attr::quoted_all(&missing),
                attr::ROW
            ),
        );
    }
}

/// A wire code is lowercase snake_case ASCII (`invalid_api_key`): it is matched byte for
/// byte by clients in every language, and it doubles as the docs anchor.
fn check_code_format(cx: &Ctxt, row: &Row) {
    let Some(code) = &row.attrs.code else { return };
    if !is_snake_case(&code.value) {
        cx.error_at(
            code.span,
            format!(
                "wire code `{}` is not lowercase snake_case ASCII, like `invalid_api_key`",
                code.value.escape_debug()
            ),
        );
    }
}

fn is_snake_case(code: &str) -> bool {
    let bytes = code.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        && !code.contains("__")
        && !code.ends_with('_')
}

/// An error code is sent with a 4xx or 5xx status; anything else is not an error response.
fn check_status_is_error(cx: &Ctxt, row: &Row) {
    let Some(status) = &row.attrs.status else {
        return;
    };
    if !(400..=599).contains(&status.value) {
        cx.error_at(
            status.span,
            format!(
                "status `{}` is not an error status: use 400 to 599",
                status.value
            ),
        );
    }
}

/// A row's category is one the header declares.
fn check_category_declared(cx: &Ctxt, table: &Table, row: &Row) {
    let Some(category) = &row.attrs.category else {
        return;
    };
    // With no categories declared, the header's own error says it all; a row's category is
    // not wrong against an empty list.
    if table.header.categories.is_empty() {
        return;
    }
    if !table.header.categories.contains(category) {
        let declared: Vec<String> = table
            .header
            .categories
            .iter()
            .map(|c| c.to_string())
            .collect();
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

/// The texts that reach users and docs are not empty and carry no stray outer whitespace,
/// which would show up in rendered tables and break byte-exact comparisons.
fn check_texts(cx: &Ctxt, row: &Row) {
    let a = &row.attrs;
    let texts = [
        (attr::TITLE, &a.title),
        (attr::MESSAGE, &a.message),
        (attr::WHEN, &a.when),
        (attr::REMEDY, &a.remedy),
        (attr::DEPRECATED, &a.deprecated),
    ];
    for (key, text) in texts {
        let Some(text) = text else { continue };
        if text.value.trim().is_empty() {
            cx.error_at(text.span, format!("`{key}` is empty"));
        } else if text.value.trim() != text.value {
            cx.error_at(
                text.span,
                format!("`{key}` has leading or trailing whitespace"),
            );
        } else if text.value.contains('\n') {
            cx.error_at(
                text.span,
                format!("`{key}` spans several lines: keep it to one"),
            );
        }
    }
}

/// The retry class exists, takes arguments only when it needs them, and agrees with the
/// status: advice to wait for `Retry-After` on a 404 would have clients retry forever.
fn check_retry_class(cx: &Ctxt, row: &Row) {
    let Some(RetryAttr { class, args }) = &row.attrs.retry else {
        return;
    };
    let name = class.to_string();
    if !attr::RETRY_CLASSES.contains(&name.as_str()) {
        let msg = match attr::closest(&name, attr::RETRY_CLASSES) {
            Some(near) => format!("unknown retry class `{name}`, did you mean `{near}`?"),
            None => format!(
                "unknown retry class `{name}`, expected one of {}",
                attr::quoted_list(attr::RETRY_CLASSES)
            ),
        };
        cx.error_spanned_by(class, msg);
        return;
    }
    match (name.as_str(), args) {
        (attr::RETRY_PAUSE, None) => cx.error_spanned_by(
            class,
            format!(
                "retry class `{}` needs its range in seconds, e.g. `{}(30, 60)`",
                attr::RETRY_PAUSE,
                attr::RETRY_PAUSE
            ),
        ),
        (attr::RETRY_PAUSE, Some((min, max))) => {
            if min.value == 0 || min.value > max.value {
                cx.error_at(
                    min.span,
                    format!(
                        "pause range `{}..{}` is empty or starts at 0",
                        min.value, max.value
                    ),
                );
            }
        }
        (_, Some(_)) => {
            cx.error_spanned_by(class, format!("retry class `{name}` takes no arguments"))
        }
        (_, None) => {}
    }
    // A status outside 400-599 is already reported by `check_status_is_error`; comparing the
    // retry class with it would only add a knock-on error.
    let Some(status) = row
        .attrs
        .status
        .as_ref()
        .filter(|s| (400..=599).contains(&s.value))
    else {
        return;
    };
    let (allowed, wanted): (fn(u16) -> bool, &str) = match name.as_str() {
        attr::RETRY_AFTER => (|s| s == 429 || s == 503, "429 or 503"),
        attr::RETRY_PAUSE => (|s| s == 503, "503"),
        attr::RETRY_BACKOFF => (|s| (500..=599).contains(&s), "a 5xx status"),
        attr::RETRY_RESUBMIT_ASYNC => (|s| s == 408, "408"),
        _ => (|s| s != 429 && s != 503, "a status other than 429 and 503"),
    };
    if !allowed(status.value) {
        cx.error_spanned_by(
            class,
            format!(
                "retry class `{name}` contradicts status `{}`: it needs {wanted}",
                status.value
            ),
        );
    }
}
