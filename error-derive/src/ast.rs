//! The typed model of a table: the enum as written, its header, and one [`Row`] per variant.
//!
//! The model borrows the syn input and keeps the span of every value, so that each later
//! rule can point its error at the exact token of the row that broke it.

use syn::{Data, DeriveInput, Fields, Ident, Variant};

use crate::attr::{self, Header, RowAttrs};
use crate::ctxt::Ctxt;

/// A whole table: the `#[error_table]` enum.
pub(crate) struct Table<'a> {
    pub(crate) item: &'a DeriveInput,
    pub(crate) header: Header,
    pub(crate) rows: Vec<Row<'a>>,
}

/// One error code: a variant and its `#[error(...)]` keys.
pub(crate) struct Row<'a> {
    pub(crate) variant: &'a Variant,
    pub(crate) attrs: RowAttrs,
}

impl<'a> Table<'a> {
    /// Reads the header and every row, recording problems in `cx` rather than stopping.
    pub(crate) fn from_syn(cx: &Ctxt, header: Header, item: &'a DeriveInput) -> Self {
        if !item.generics.params.is_empty() || item.generics.where_clause.is_some() {
            cx.error_spanned_by(&item.generics, "an error table takes no generic parameters");
        }
        let rows = match &item.data {
            Data::Enum(data) => data
                .variants
                .iter()
                .map(|variant| Row::from_syn(cx, variant))
                .collect(),
            _ => {
                cx.error_spanned_by(&item.ident, format!("`#[{}]` goes on an enum", attr::TABLE));
                Vec::new()
            }
        };
        Table { item, header, rows }
    }

    /// The enum's name, `ErrorCode`.
    pub(crate) fn ident(&self) -> &'a Ident {
        &self.item.ident
    }
}

impl<'a> Row<'a> {
    fn from_syn(cx: &Ctxt, variant: &'a Variant) -> Self {
        let mut attrs = RowAttrs::default();
        let mut rows = variant
            .attrs
            .iter()
            .filter(|a| a.path().is_ident(attr::ROW));
        match rows.next() {
            Some(first) => attr::parse_row(cx, first, &mut attrs),
            None => cx.error_spanned_by(
                &variant.ident,
                format!(
                    "variant `{}` has no `#[{}(...)]` row: every error code needs one",
                    variant.ident,
                    attr::ROW
                ),
            ),
        }
        for extra in rows {
            cx.error_spanned_by(
                extra,
                format!(
                    "a variant takes one `#[{}(...)]` row, this is a second one",
                    attr::ROW
                ),
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
        Row { variant, attrs }
    }
}
