//! The `#[operation(...)]` attribute: one operation's error codes, declared once beside its
//! handler, and everything derived from them.
//!
//! In the same layout as the table's macro: `ast` reads the attribute and the handler it is
//! on (its name, visibility and `#[utoipa::path(...)]`) into a typed model keeping spans,
//! `check` applies the rules (one `check_*` each, every error collected), `expand` writes
//! the narrowed error type and completes the handler's `#[utoipa::path(...)]`.

mod ast;
mod check;
mod expand;

use proc_macro2::TokenStream;

/// Expands `#[operation(args)]` on `item`: the handler (its `#[utoipa::path]` completed)
/// followed by the narrowed error type, and every error the declaration has.
///
/// The type is written even beside errors, from what could be read, so that the handler's
/// own code, which names it, still compiles and the user sees the declaration's errors
/// rather than a cascade from a missing type.
pub(crate) fn operation(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    let mut out = match ast::Operation::parse(args, item.clone(), &mut errors) {
        Some(op) => {
            check::check(&op, &mut errors);
            expand::expand(&op)
        }
        None => item,
    };
    for err in errors {
        out.extend(err.to_compile_error());
    }
    out
}
