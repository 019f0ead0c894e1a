//! The typed model of a table: the enum as written, its header, and one [`Row`] per variant.
//!
//! The model borrows the syn input and keeps the span of every value, so that each later
//! rule can point its error at the exact token of the row that broke it. Reading the enum's
//! shape also sorts its attributes: the ones the macro passes on to the generated enum,
//! and the ones it reports and drops (a second `#[error_table]`, a row on the enum, a derive
//! of a trait the macro implements), so a dropped attribute causes no second error.

use proc_macro2::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, Token, Variant};

use crate::attr;
use crate::ctxt::Ctxt;
use crate::generated::{CATEGORY_ENUM, GENERATED_TRAITS};
use crate::keys::{Header, ROW, RowAttrs, TABLE};

/// A whole table: the `#[error_table]` enum.
pub(crate) struct Table<'a> {
    pub(crate) item: &'a DeriveInput,
    pub(crate) header: Header,
    pub(crate) rows: Vec<Row<'a>>,
    /// The enum's own attributes to pass on, conflicting derives taken out.
    pub(crate) attrs: Vec<Attribute>,
    /// Whether the enum's name is one the macro generates beside it (`Category`).
    pub(crate) name_taken: bool,
}

/// One error code: a variant and its `#[error(...)]` keys.
pub(crate) struct Row<'a> {
    pub(crate) variant: &'a Variant,
    /// The tokens of the whole `#[error(...)]` attribute, so "missing key" errors underline it;
    /// `None` when the variant has no row.
    pub(crate) tokens: Option<TokenStream>,
    pub(crate) attrs: RowAttrs,
}

impl<'a> Table<'a> {
    /// Reads the header and every row, recording problems in `cx` rather than stopping.
    pub(crate) fn from_syn(cx: &Ctxt, header: Header, item: &'a DeriveInput) -> Self {
        if !item.generics.params.is_empty() {
            let generics = &item.generics;
            let (lt, params, gt) = (&generics.lt_token, &generics.params, &generics.gt_token);
            cx.error_spanned_by(
                quote!(#lt #params #gt),
                "an error table takes no generic parameters",
            );
        } else if let Some(where_clause) = &item.generics.where_clause {
            cx.error_spanned_by(where_clause, "an error table takes no `where` clause");
        }
        let name_taken = item.ident == CATEGORY_ENUM;
        if name_taken {
            cx.error_spanned_by(
                &item.ident,
                format!(
                    "an error table cannot be named `{}`: `#[{TABLE}]` generates the `{}` \
                     enum beside it; name the table e.g. `ErrorCode`",
                    item.ident, CATEGORY_ENUM
                ),
            );
        }
        let attrs = enum_attrs(cx, &item.attrs);
        let rows = match &item.data {
            Data::Enum(data) => data
                .variants
                .iter()
                .map(|variant| Row::from_syn(cx, variant))
                .collect(),
            _ => {
                cx.error_spanned_by(&item.ident, format!("`#[{TABLE}]` goes on an enum"));
                Vec::new()
            }
        };
        Table {
            item,
            header,
            rows,
            attrs,
            name_taken,
        }
    }

    /// The enum's name, `ErrorCode`.
    pub(crate) fn ident(&self) -> &'a Ident {
        &self.item.ident
    }
}

/// The enum's attributes to pass on. A second `#[error_table]` (which would expand the
/// generated enum again), an `#[error(...)]` row on the enum itself (no other macro knows
/// it) and a derive of a trait the macro implements are each reported once and dropped.
fn enum_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Vec<Attribute> {
    let mut kept = Vec::new();
    for attribute in attrs {
        let path = attribute.path();
        let last = path.segments.last().map(|s| s.ident.to_string());
        if last.as_deref() == Some(TABLE) {
            cx.error_spanned_by(
                attribute,
                format!("`#[{TABLE}]` is applied twice: remove this one"),
            );
        } else if path.is_ident(ROW) {
            cx.error_spanned_by(
                attribute,
                format!(
                    "`#[{ROW}(...)]` is a row and goes on a variant; the table's header is \
                     `#[{TABLE}(...)]`"
                ),
            );
        } else if path.is_ident("derive") {
            if let Some(attribute) = without_generated_derives(cx, attribute) {
                kept.push(attribute);
            }
        } else {
            kept.push(attribute.clone());
        }
    }
    kept
}

/// A `#[derive(...)]` without the traits the macro implements itself, each reported at its
/// name; `None` when nothing is left.
fn without_generated_derives(cx: &Ctxt, attribute: &Attribute) -> Option<Attribute> {
    let Ok(paths) = attribute.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
    else {
        // Not a derive list rustc accepts either: rustc's own error says so.
        return Some(attribute.clone());
    };
    let mut kept: Vec<&syn::Path> = Vec::new();
    for path in &paths {
        let name = path.segments.last().map(|s| s.ident.to_string());
        match name
            .as_deref()
            .and_then(|name| GENERATED_TRAITS.iter().find(|(d, _)| *d == name))
        {
            Some((derive, generated)) => cx.error_spanned_by(
                path,
                format!(
                    "`#[{TABLE}]` already implements {generated} for the table: \
                     remove `{derive}` from this derive"
                ),
            ),
            None => kept.push(path),
        }
    }
    if kept.len() == paths.len() {
        return Some(attribute.clone());
    }
    if kept.is_empty() {
        return None;
    }
    let mut attribute = attribute.clone();
    if let syn::Meta::List(list) = &mut attribute.meta {
        list.tokens = quote!(#(#kept),*);
    }
    Some(attribute)
}

impl<'a> Row<'a> {
    fn from_syn(cx: &Ctxt, variant: &'a Variant) -> Self {
        let mut rows = variant.attrs.iter().filter(|a| a.path().is_ident(ROW));
        let first = rows.next();
        let attrs = match first {
            Some(first) => attr::parse_row(cx, first),
            None => {
                cx.error_spanned_by(
                    &variant.ident,
                    format!(
                        "variant `{}` has no `#[{ROW}(...)]` row: every error code needs one",
                        variant.ident
                    ),
                );
                RowAttrs::default()
            }
        };
        for extra in rows {
            cx.error_spanned_by(
                extra,
                format!("a variant takes one `#[{ROW}(...)]` row, this is a second one"),
            );
        }
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_spanned_by(
                &variant.fields,
                format!(
                    "error code `{}` carries no data: remove its fields",
                    variant.ident
                ),
            );
        }
        if let Some((_, discriminant)) = &variant.discriminant {
            cx.error_spanned_by(
                discriminant,
                "an error code takes no discriminant: its order in the table is its identity",
            );
        }
        Row {
            variant,
            tokens: first.map(quote::ToTokens::to_token_stream),
            attrs,
        }
    }
}
