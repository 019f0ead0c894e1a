//! Reads the macro's own attributes, the `#[error_table(...)]` header and each row's
//! `#[error(...)]`, as a `key = value, ...` list checked against a key table.
//!
//! Every key's value is read on its own: a value that does not parse is one error at that
//! value, and reading goes on with the next key. A missing `,` between two keys, a key in
//! quotes, an unknown or repeated key are each one error too. So a row with one slip gets
//! one error, never "missing key" for a key it has.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::buffer::Cursor;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{LitStr, Token};

use crate::ctxt::Ctxt;
use crate::keys::{self, HEADER_KEYS, Header, Key, ROW, ROW_KEYS, RowAttrs, Seen, TABLE};

/// Parses the header from the attribute macro's arguments.
pub(crate) fn parse_header(cx: &Ctxt, args: TokenStream) -> Header {
    let mut header = Header::default();
    if args.is_empty() {
        cx.error_at(
            proc_macro2::Span::call_site(),
            format!(
                "`#[{TABLE}]` needs its header, e.g. \
                 `#[{TABLE}(version = \"1.0.0\", categories(Authentication, Billing))]`"
            ),
        );
        header.seen.unreadable = true;
        return header;
    }
    let parser = |input: ParseStream| Ok(parse_list(cx, input, HEADER_KEYS, &mut header, TABLE));
    match parser.parse2(args) {
        Ok(seen) => header.seen = seen,
        Err(err) => {
            cx.syn_error(err);
            header.seen.unreadable = true;
        }
    }
    header
}

/// Parses one `#[error(...)]` attribute.
pub(crate) fn parse_row(cx: &Ctxt, attr: &syn::Attribute) -> RowAttrs {
    let mut row = RowAttrs::default();
    let syn::Meta::List(list) = &attr.meta else {
        cx.error_spanned_by(
            attr,
            format!(
                "write the row as a list of keys, `#[{ROW}(code = \"...\", status = ..., ...)]`"
            ),
        );
        row.seen.unreadable = true;
        return row;
    };
    let parser = |input: ParseStream| Ok(parse_list(cx, input, ROW_KEYS, &mut row, ROW));
    match parser.parse2(list.tokens.clone()) {
        Ok(seen) => row.seen = seen,
        Err(err) => {
            cx.syn_error(err);
            row.seen.unreadable = true;
        }
    }
    row
}

/// Walks `key = value, ...` against `keys`, reading each value into `state`.
///
/// It consumes the whole input whatever it holds, so it never fails; every problem is
/// reported in `cx`.
fn parse_list<T: Clone>(
    cx: &Ctxt,
    input: ParseStream,
    keys: &[Key<T>],
    state: &mut T,
    attr: &str,
) -> Seen {
    let names = keys::names(keys);
    let mut seen = Seen::default();
    // Entries whose key is unreadable or far from every key, reported at the end: when one
    // such entry stands where the one missing key should be, its error says so, and the
    // missing key is not reported a second time.
    // Each with the unknown key's name, or `None` where no key could be read at all.
    let mut unrecognized: Vec<(proc_macro2::Span, Option<String>)> = Vec::new();
    while !input.is_empty() {
        // The model before this entry: a value followed by stray tokens was not read as
        // written, so it is dropped rather than checked (which would add a second error).
        let before = state.clone();
        let Some((name, span, quoted)) = read_key(input) else {
            let span = input
                .cursor()
                .token_tree()
                .map_or_else(|| input.span(), |(tt, _)| tt.span());
            unrecognized.push((span, None));
            skip_value(input, keys);
            eat_comma(input);
            continue;
        };
        match keys.iter().find(|key| key.name == name) {
            None => {
                match closest(&name, &names) {
                    Some(near) => {
                        // The misspelled key stands for `near`: it must not be reported again
                        // as missing.
                        seen.guessed.push(near);
                        cx.error_at(
                            span,
                            format!(
                                "unknown key `{name}` in `#[{attr}(...)]`, did you mean `{near}`?"
                            ),
                        );
                    }
                    None => unrecognized.push((span, Some(name.clone()))),
                }
                skip_value(input, keys);
            }
            Some(key) if seen.written.contains(&key.name) => {
                cx.error_at(span, format!("duplicate key `{name}` in `#[{attr}(...)]`"));
                skip_value(input, keys);
            }
            Some(key) => {
                seen.written.push(key.name);
                if quoted {
                    cx.error_at(span, format!("write the key without quotes: `{name}`"));
                }
                if let Err(err) = (key.parse)(cx, key.name, input, state) {
                    cx.syn_error(err);
                    skip_value(input, keys);
                }
            }
        }
        if input.is_empty() || eat_comma(input) {
            continue;
        }
        if starts_key(input.cursor(), keys) {
            // A forgotten `,`: said once, and the next key is read as if it were there.
            cx.syn_error(next_token_error(
                input,
                format!("expected `,` before this key (after the value of `{name}`)"),
            ));
            continue;
        }
        cx.syn_error(next_token_error(
            input,
            format!("unexpected tokens after the value of `{name}`: expected `,`"),
        ));
        *state = before;
        skip_value(input, keys);
        eat_comma(input);
    }
    let missing = seen.missing(keys);
    let stands_for = match (unrecognized.len(), missing.as_slice()) {
        (1, [only]) => Some(*only),
        _ => None,
    };
    for (span, name) in unrecognized {
        let msg = match (name, stands_for) {
            (Some(name), Some(key)) => format!(
                "unknown key `{name}` in `#[{attr}(...)]`, did you mean `{key}`, the one key \
                 missing?"
            ),
            (Some(name), None) => format!(
                "unknown key `{name}` in `#[{attr}(...)]`, expected one of {}",
                quoted_list(&names)
            ),
            (None, Some(key)) => {
                format!("expected the key `{key}` here, the one key missing from `#[{attr}(...)]`")
            }
            (None, None) => format!(
                "expected a key of `#[{attr}(...)]`: one of {}",
                quoted_list(&names)
            ),
        };
        cx.error_at(span, msg);
    }
    if let Some(key) = stands_for {
        seen.guessed.push(key);
    }
    seen
}

/// Reads a key: an identifier (keywords included), a path such as `a::b` (never a key,
/// but named as written in the error), or a key in quotes followed by `=`.
/// Returns the key's text, its span and whether it was quoted.
fn read_key(input: ParseStream) -> Option<(String, proc_macro2::Span, bool)> {
    if input.peek(LitStr) && input.peek2(Token![=]) {
        let lit: LitStr = input.parse().ok()?;
        return Some((lit.value(), lit.span(), true));
    }
    if input.peek(syn::Ident::peek_any) {
        let first = keys::any_ident(input).ok()?;
        let mut name = first.to_string();
        let span = first.span();
        while input.peek(Token![::]) {
            let _ = input.parse::<Token![::]>();
            match keys::any_ident(input) {
                Ok(segment) => name = format!("{name}::{segment}"),
                Err(_) => break,
            }
        }
        return Some((name, span, false));
    }
    None
}

/// Whether the cursor is at a key of `keys` followed by `=` or `(`, as a value never is.
fn starts_key<T>(cursor: Cursor, keys: &[Key<T>]) -> bool {
    let (name, after) = match cursor.token_tree() {
        Some((TokenTree::Ident(ident), after)) => (ident.to_string(), after),
        Some((TokenTree::Literal(lit), after)) => {
            let Ok(lit) = syn::parse2::<LitStr>(TokenTree::Literal(lit).into()) else {
                return false;
            };
            (lit.value(), after)
        }
        _ => return false,
    };
    keys.iter().any(|key| key.name == name)
        && match after.token_tree() {
            Some((TokenTree::Punct(punct), _)) => punct.as_char() == '=',
            Some((TokenTree::Group(group), _)) => group.delimiter() == Delimiter::Parenthesis,
            _ => false,
        }
}

/// Skips the rest of a value that could not be read, up to the `,` before the next entry
/// (a `,` followed by a word, a quoted key or nothing), or to the next key when that `,` is
/// missing, but always past at least one token. A stray `,` or `=` inside the bad value is
/// part of the same mistake, so it is skipped with it rather than reported again.
fn skip_value<T>(input: ParseStream, keys: &[Key<T>]) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        let mut first = true;
        while let Some((tt, next)) = rest.token_tree() {
            let comma = matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',');
            if comma && starts_entry(next) {
                break;
            }
            if !first && starts_key(rest, keys) {
                break;
            }
            first = false;
            rest = next;
        }
        Ok(((), rest))
    });
}

/// Whether the cursor is at something the list reads as an entry: a word, a quoted key
/// followed by `=`, or the end of the list.
fn starts_entry(cursor: Cursor) -> bool {
    match cursor.token_tree() {
        None | Some((TokenTree::Ident(_), _)) => true,
        Some((TokenTree::Literal(lit), after)) => {
            syn::parse2::<LitStr>(TokenTree::Literal(lit).into()).is_ok()
                && matches!(after.token_tree(), Some((TokenTree::Punct(p), _)) if p.as_char() == '=')
        }
        _ => false,
    }
}

/// Consumes a `,` if one is next.
fn eat_comma(input: ParseStream) -> bool {
    input.parse::<Option<Token![,]>>().ok().flatten().is_some()
}

/// An error at the next token (the whole of it, when it is a group).
pub(crate) fn next_token_error(input: ParseStream, msg: String) -> syn::Error {
    match input.cursor().token_tree() {
        Some((tt, _)) => syn::Error::new_spanned(tt, msg),
        None => input.error(msg),
    }
}

/// The candidate within two edits of `word` with the fewest edits (the first in
/// `candidates` on a tie), for "did you mean".
pub(crate) fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = edit_distance(word, candidate);
        if distance <= 2 && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Levenshtein distance, for the handful of short keys a row has.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = prev[j] + usize::from(ca != *cb);
            cur.push(substitution.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `` `a`, `b` or `c` ``, for diagnostics.
pub(crate) fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `` `a`, `b` and `c` ``, for diagnostics that list everything that is wrong.
pub(crate) fn quoted_all(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_picks_the_nearest_key_within_two_edits() {
        let keys = keys::names(ROW_KEYS);
        assert_eq!(closest("remedi", &keys), Some("remedy"));
        assert_eq!(closest("titel", &keys), Some("title"));
        assert_eq!(closest("severity", &keys), None);
    }

    #[test]
    fn a_missing_comma_is_one_error_and_the_next_key_is_read() {
        let cx = Ctxt::new();
        let header = parse_header(
            &cx,
            quote::quote!(version = "1.0.0" categories(Auth, Billing)),
        );
        assert_eq!(
            header.version.as_ref().map(|v| v.value.as_str()),
            Some("1.0.0")
        );
        assert_eq!(header.categories.len(), 2);
        let errors: Vec<String> = cx
            .check()
            .expect_err("the input has mistakes")
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errors,
            ["expected `,` before this key (after the value of `version`)"]
        );
    }

    #[test]
    fn an_unreadable_value_is_one_error_and_its_key_is_not_missing() {
        let cx = Ctxt::new();
        let attr: syn::Attribute = syn::parse_quote!(#[error(
            "code" = "bad_key", status = "401", category = Category::Auth, title = 7,
            message = "m", when = "w", remedy = "r", retry = never
        )]);
        let row = parse_row(&cx, &attr);
        assert!(row.seen.missing(ROW_KEYS).is_empty());
        assert_eq!(row.code.as_ref().map(|c| c.value.as_str()), Some("bad_key"));
        assert_eq!(
            row.category.as_ref().map(ToString::to_string).as_deref(),
            Some("Auth")
        );
        let errors: Vec<String> = cx
            .check()
            .expect_err("the input has mistakes")
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errors,
            [
                "write the key without quotes: `code`",
                "`status` takes a number without quotes, e.g. `status = 404`",
                "write the category name alone: `Auth`",
                "`title` takes a string literal, e.g. `title = \"...\"`",
            ]
        );
    }
}
