//! Resolves the model into concrete values for expansion, with placeholders for broken rows.
//!
//! When a row is rejected the macro still expands the whole table (thiserror's `fallback`),
//! so code that uses `ErrorCode::NotFound.status()` elsewhere keeps compiling and the user
//! sees the row's own error, not a cascade of "no method named `status`" errors. The
//! placeholders are chosen so they cannot cause a second error of their own: an unknown
//! category becomes the first declared one, a bad status becomes 500, a duplicate or
//! malformed code becomes one derived from the variant's name.

use std::collections::HashSet;

use proc_macro2::Span;
use syn::Ident;

use crate::ast::Table;
use crate::attr;

/// The whole table with every value concrete.
pub(crate) struct Resolved<'a> {
    pub(crate) version: String,
    pub(crate) categories: Vec<Ident>,
    pub(crate) rows: Vec<ResolvedRow<'a>>,
}

/// One row with every value concrete.
pub(crate) struct ResolvedRow<'a> {
    pub(crate) variant: &'a syn::Variant,
    pub(crate) code: String,
    pub(crate) status: u16,
    pub(crate) category: Ident,
    pub(crate) title: String,
    pub(crate) message: String,
    pub(crate) when: String,
    pub(crate) remedy: String,
    pub(crate) retry: Retry,
    pub(crate) deprecated: Option<String>,
}

/// A resolved retry class, named as `error_spec::RetryClass` names it.
#[expect(
    clippy::enum_variant_names,
    reason = "the variants mirror `error_spec::RetryClass`"
)]
pub(crate) enum Retry {
    Never,
    RetryAfter,
    Backoff,
    Pause { min_secs: u32, max_secs: u32 },
    ResubmitAsync,
}

/// Resolves the table; on a valid table no placeholder is ever used.
pub(crate) fn resolve<'a>(table: &Table<'a>) -> Resolved<'a> {
    let mut categories = Vec::new();
    for category in &table.header.categories {
        if !categories.contains(category) {
            categories.push(category.clone());
        }
    }
    if categories.is_empty() {
        categories.push(Ident::new("Uncategorized", Span::call_site()));
    }
    let mut seen_codes = HashSet::new();
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let a = &row.attrs;
            let text = |value: &Option<attr::Spanned<String>>| {
                value.as_ref().map_or_else(String::new, |v| v.value.clone())
            };
            let mut code = a.code.as_ref().map(|c| c.value.clone()).unwrap_or_default();
            if !is_valid_code(&code) || !seen_codes.insert(code.clone()) {
                code = format!("__invalid_{}", row.variant.ident);
                seen_codes.insert(code.clone());
            }
            let status = a
                .status
                .as_ref()
                .map(|s| s.value)
                .filter(|s| (400..=599).contains(s))
                .unwrap_or(500);
            let category = a
                .category
                .clone()
                .filter(|c| categories.contains(c))
                .unwrap_or_else(|| categories[0].clone());
            let retry = match &a.retry {
                Some(retry) => match (retry.class.to_string().as_str(), &retry.args) {
                    (attr::RETRY_AFTER, _) => Retry::RetryAfter,
                    (attr::RETRY_BACKOFF, _) => Retry::Backoff,
                    (attr::RETRY_RESUBMIT_ASYNC, _) => Retry::ResubmitAsync,
                    (attr::RETRY_PAUSE, Some((min, max))) => Retry::Pause {
                        min_secs: min.value,
                        max_secs: max.value,
                    },
                    _ => Retry::Never,
                },
                None => Retry::Never,
            };
            ResolvedRow {
                variant: row.variant,
                code,
                status,
                category,
                title: text(&a.title),
                message: text(&a.message),
                when: text(&a.when),
                remedy: text(&a.remedy),
                retry,
                deprecated: a.deprecated.as_ref().map(|d| d.value.clone()),
            }
        })
        .collect();
    let version = table
        .header
        .version
        .as_ref()
        .map_or_else(|| "0.0.0".to_owned(), |v| v.value.clone());
    Resolved {
        version,
        categories,
        rows,
    }
}

/// A cheap stand-in for the full format rule: placeholders only need to be distinct strings.
fn is_valid_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}
