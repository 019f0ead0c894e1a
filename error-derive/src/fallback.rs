//! Turns the model into concrete values for expansion, putting a placeholder wherever a
//! value is missing or was rejected.
//!
//! The macro expands the whole table even when it reports errors: the errors are emitted
//! beside a complete enum, so code elsewhere that names `ErrorCode::NotFound.status()` still
//! resolves and the user sees the table's own errors, not a cascade of "no variant" or "no
//! method" errors. This module is what makes that expansion possible. On a valid table it
//! only copies values; on an invalid one every placeholder is chosen so that the expanded
//! code cannot fail to compile because of it:
//!
//! - a malformed, over-long or repeated code becomes `__invalid_<Variant>`, distinct from
//!   every other code;
//! - a missing or refused status becomes 500;
//! - a missing or undeclared category becomes the first declared one, and with none
//!   declared the category enum gets one `Uncategorized` variant;
//! - a missing text becomes `""`, a missing or unknown retry class `never`;
//! - a missing or unreadable version becomes `0.0.0`;
//! - when the table's own name is the generated category enum's, that enum is given
//!   another name, so the two do not collide.
//!
//! The table's mistakes themselves are reported by `check`, never here.

use std::collections::HashSet;

use error_rules::retry::ClassName;
use error_rules::{status, text};
use proc_macro2::Span;
use quote::format_ident;
use syn::Ident;

use crate::ast::Table;
use crate::generated::CATEGORY_ENUM;

/// The whole table with every value concrete.
pub(crate) struct Resolved<'a> {
    pub(crate) version: String,
    pub(crate) categories: Vec<Ident>,
    /// The name of the generated category enum.
    pub(crate) category_enum: Ident,
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
            let text = |key: &str| a.text(key).map_or_else(String::new, |v| v.value.clone());
            let mut code = a.code.as_ref().map(|c| c.value.clone()).unwrap_or_default();
            if text::check_code(&code).is_err() || !seen_codes.insert(code.clone()) {
                code = format!("__invalid_{}", row.variant.ident);
                seen_codes.insert(code.clone());
            }
            let status = a
                .status
                .as_ref()
                .and_then(|lit| status::parse_literal(&lit.to_string()).ok())
                .unwrap_or(500);
            let category = a
                .category
                .clone()
                .filter(|c| categories.contains(c))
                .unwrap_or_else(|| categories[0].clone());
            let retry = match &a.retry {
                Some(retry) => {
                    match (ClassName::from_name(&retry.class.to_string()), &retry.args) {
                        (Some(ClassName::RetryAfter), _) => Retry::RetryAfter,
                        (Some(ClassName::Backoff), _) => Retry::Backoff,
                        (Some(ClassName::ResubmitAsync), _) => Retry::ResubmitAsync,
                        (Some(ClassName::Pause), Some((min, max))) => Retry::Pause {
                            min_secs: min.value,
                            max_secs: max.value,
                        },
                        _ => Retry::Never,
                    }
                }
                None => Retry::Never,
            };
            ResolvedRow {
                variant: row.variant,
                code,
                status,
                category,
                title: text(crate::keys::TITLE),
                message: text(crate::keys::MESSAGE),
                when: text(crate::keys::WHEN),
                remedy: text(crate::keys::REMEDY),
                retry,
                deprecated: a.text(crate::keys::DEPRECATED).map(|d| d.value.clone()),
            }
        })
        .collect();
    let version = table
        .header
        .version
        .as_ref()
        .map_or_else(|| "0.0.0".to_owned(), |v| v.value.clone());
    let category_enum = if table.name_taken {
        format_ident!(
            "{}Of{}",
            CATEGORY_ENUM,
            table.ident(),
            span = table.ident().span()
        )
    } else {
        format_ident!("{}", CATEGORY_ENUM, span = table.ident().span())
    };
    Resolved {
        version,
        categories,
        category_enum,
        rows,
    }
}
