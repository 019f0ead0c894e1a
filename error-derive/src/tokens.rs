//! Reading past what could not be parsed, token by token: the recovery steps that `attr`
//! (between keys) and `keys` (inside a value's list) share. A leaf: it knows no key.

use proc_macro2::TokenTree;
use syn::parse::ParseStream;

/// Skips to the next `,` (not consuming it), for lists inside a value.
pub(crate) fn skip_to_comma(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

/// Consumes everything left in `input`, so that a value's parenthesized part that failed
/// to parse is not reported a second time as unexpected tokens.
pub(crate) fn drain(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((_, next)) = rest.token_tree() {
            rest = next;
        }
        Ok(((), rest))
    });
}
