//! Parses the macro's own attributes: the `#[error_table(...)]` header and each row's `#[error(...)]`.
//!
//! Parsing records every problem in the [`Ctxt`] and keeps going, so that a row with a
//! misspelled key still has its other keys read and checked in the same build.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitInt, LitStr, Token};

use crate::ctxt::Ctxt;

/// The attribute on the enum: `#[error_table(...)]`.
pub(crate) const TABLE: &str = "error_table";
/// The attribute on each variant, one row of the table: `#[error(...)]`.
pub(crate) const ROW: &str = "error";

/// Header key: the contract's version, bumped with every breaking change.
pub(crate) const VERSION: &str = "version";
/// Header key: the categories, in the order the docs list them.
pub(crate) const CATEGORIES: &str = "categories";

/// Row key: the wire code, the `error` field of the body.
pub(crate) const CODE: &str = "code";
/// Row key: the HTTP status the code is sent with.
pub(crate) const STATUS: &str = "status";
/// Row key: one of the categories declared in the header.
pub(crate) const CATEGORY: &str = "category";
/// Row key: a short human title, the RFC 9457 `title`.
pub(crate) const TITLE: &str = "title";
/// Row key: the default end-user-safe `message`.
pub(crate) const MESSAGE: &str = "message";
/// Row key: when the API sends this code.
pub(crate) const WHEN: &str = "when";
/// Row key: what the client should do about it.
pub(crate) const REMEDY: &str = "remedy";
/// Row key: how a client retries it.
pub(crate) const RETRY: &str = "retry";
/// Row key (optional): the code is deprecated, with the reason.
pub(crate) const DEPRECATED: &str = "deprecated";

/// Every row key, in the order diagnostics list them.
pub(crate) const ROW_KEYS: &[&str] = &[
    CODE, STATUS, CATEGORY, TITLE, MESSAGE, WHEN, REMEDY, RETRY, DEPRECATED,
];
/// The row keys that must be present.
pub(crate) const REQUIRED_ROW_KEYS: &[&str] =
    &[CODE, STATUS, CATEGORY, TITLE, MESSAGE, WHEN, REMEDY, RETRY];

/// Retry class: never retry as is; the request or the account must change first.
pub(crate) const RETRY_NEVER: &str = "never";
/// Retry class: retry after the seconds of the `Retry-After` header.
pub(crate) const RETRY_AFTER: &str = "retry_after";
/// Retry class: retry with exponential backoff and jitter.
pub(crate) const RETRY_BACKOFF: &str = "backoff";
/// Retry class: retry after a fixed pause, `pause(MIN_SECS, MAX_SECS)`.
pub(crate) const RETRY_PAUSE: &str = "pause";
/// Retry class: resubmit the same request with `async: true`.
pub(crate) const RETRY_RESUBMIT_ASYNC: &str = "resubmit_async";
/// Every retry class.
pub(crate) const RETRY_CLASSES: &[&str] = &[
    RETRY_NEVER,
    RETRY_AFTER,
    RETRY_BACKOFF,
    RETRY_PAUSE,
    RETRY_RESUBMIT_ASYNC,
];

/// A value together with the span of the tokens it was read from.
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// The parsed `#[error_table(...)]` header.
#[derive(Debug, Default)]
pub(crate) struct Header {
    pub(crate) version: Option<Spanned<String>>,
    pub(crate) categories: Vec<Ident>,
    pub(crate) categories_span: Option<Span>,
}

/// The parsed keys of one `#[error(...)]` row; a key left `None` was absent or unreadable.
#[derive(Debug, Default)]
pub(crate) struct RowAttrs {
    /// The tokens of the whole `#[error(...)]` attribute, so "missing key" errors underline it.
    pub(crate) tokens: Option<TokenStream>,
    pub(crate) code: Option<Spanned<String>>,
    pub(crate) status: Option<Spanned<u16>>,
    pub(crate) category: Option<Ident>,
    pub(crate) title: Option<Spanned<String>>,
    pub(crate) message: Option<Spanned<String>>,
    pub(crate) when: Option<Spanned<String>>,
    pub(crate) remedy: Option<Spanned<String>>,
    pub(crate) retry: Option<RetryAttr>,
    pub(crate) deprecated: Option<Spanned<String>>,
    /// Keys seen so far, to report a repeated key.
    seen: Vec<String>,
    /// Keys that were misspelled or had an unreadable value, already reported: not
    /// reported again as missing.
    pub(crate) reported: Vec<String>,
}

/// A row's `retry = ...` value, e.g. `backoff` or `pause(30, 60)`.
#[derive(Debug, Clone)]
pub(crate) struct RetryAttr {
    pub(crate) class: Ident,
    /// The `(MIN_SECS, MAX_SECS)` arguments, with their spans.
    pub(crate) args: Option<(Spanned<u32>, Spanned<u32>)>,
}

/// Parses the header from the attribute macro's arguments.
pub(crate) fn parse_header(cx: &Ctxt, args: TokenStream) -> Header {
    let mut header = Header::default();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident(VERSION) {
            let lit: LitStr = meta.value()?.parse()?;
            if header.version.is_some() {
                cx.error_spanned_by(&meta.path, format!("duplicate key `{VERSION}`"));
            }
            header.version = Some(Spanned {
                value: lit.value(),
                span: lit.span(),
            });
        } else if meta.path.is_ident(CATEGORIES) {
            if header.categories_span.is_some() {
                cx.error_spanned_by(&meta.path, format!("duplicate key `{CATEGORIES}`"));
            }
            header.categories_span = Some(meta.input.span());
            meta.parse_nested_meta(|category| {
                match category.path.get_ident() {
                    Some(ident) => header.categories.push(ident.clone()),
                    None => cx.error_spanned_by(
                        &category.path,
                        "expected a category name such as `Authentication`",
                    ),
                }
                Ok(())
            })?;
        } else {
            cx.error_spanned_by(
                &meta.path,
                format!(
                    "unknown key `{}` in `#[{TABLE}(...)]`, expected `{VERSION}` or `{CATEGORIES}`",
                    path_name(&meta.path)
                ),
            );
            skip_value(&meta)?;
        }
        Ok(())
    });
    if let Err(err) = parser.parse2(args) {
        cx.syn_error(err);
    }
    header
}

/// Parses one `#[error(...)]` attribute into `row`.
pub(crate) fn parse_row(cx: &Ctxt, attr: &syn::Attribute, row: &mut RowAttrs) {
    row.tokens = Some(quote::ToTokens::to_token_stream(attr));
    let result = attr.parse_nested_meta(|meta| {
        let key = path_name(&meta.path);
        if !ROW_KEYS.contains(&key.as_str()) {
            let msg = match closest(&key, ROW_KEYS) {
                Some(near) => {
                    // The misspelled key stands for `near`: count it as present so the row
                    // does not get a second, derived "missing key" error.
                    row.seen.push(near.to_owned());
                    row.reported.push(near.to_owned());
                    format!("unknown key `{key}` in `#[{ROW}(...)]`, did you mean `{near}`?")
                }
                None => format!(
                    "unknown key `{key}` in `#[{ROW}(...)]`, expected one of {}",
                    quoted_list(ROW_KEYS)
                ),
            };
            cx.error_spanned_by(&meta.path, msg);
            return skip_value(&meta);
        }
        if row.seen.contains(&key) {
            cx.error_spanned_by(&meta.path, format!("duplicate key `{key}` in this row"));
            return skip_value(&meta);
        }
        row.seen.push(key.clone());
        // A value that fails to parse is reported on its own and the row goes on with its
        // next key, so one bad literal does not make every later key look missing.
        if let Err(err) = parse_row_value(meta.input, &key, row) {
            cx.syn_error(err);
            row.reported.push(key);
            return skip_value(&meta);
        }
        Ok(())
    });
    if let Err(err) = result {
        cx.syn_error(err);
    }
}

/// Parses the `= value` of the known row key `key` into `row`.
fn parse_row_value(input: ParseStream, key: &str, row: &mut RowAttrs) -> syn::Result<()> {
    input.parse::<Token![=]>()?;
    match key {
        CODE => row.code = Some(string(input, key)?),
        STATUS => {
            let lit: LitInt = input.parse()?;
            // Too large for a `u16` is out of range as surely as 600 is, and says so the same way.
            let value = lit.base10_parse().map_err(|_| {
                syn::Error::new(
                    lit.span(),
                    format!("status `{lit}` is not an error status: use 400 to 599"),
                )
            })?;
            row.status = Some(Spanned {
                value,
                span: lit.span(),
            });
        }
        CATEGORY => {
            // A quoted category is the likeliest slip, since every other text key is quoted.
            if let Ok(lit) = input.fork().parse::<LitStr>() {
                return Err(syn::Error::new(
                    lit.span(),
                    format!(
                        "`{CATEGORY}` takes a category name without quotes, e.g. `{CATEGORY} = {}`",
                        lit.value()
                    ),
                ));
            }
            row.category = Some(input.parse()?);
        }
        TITLE => row.title = Some(string(input, key)?),
        MESSAGE => row.message = Some(string(input, key)?),
        WHEN => row.when = Some(string(input, key)?),
        REMEDY => row.remedy = Some(string(input, key)?),
        RETRY => row.retry = Some(parse_retry(input)?),
        DEPRECATED => row.deprecated = Some(string(input, key)?),
        _ => unreachable!("every key of ROW_KEYS is matched"),
    }
    Ok(())
}

fn string(input: ParseStream, key: &str) -> syn::Result<Spanned<String>> {
    let lit: LitStr = input
        .parse()
        .map_err(|err| syn::Error::new(err.span(), format!("`{key}` takes a string literal")))?;
    Ok(Spanned {
        value: lit.value(),
        span: lit.span(),
    })
}

fn parse_retry(input: ParseStream) -> syn::Result<RetryAttr> {
    let class: Ident = input.parse()?;
    let mut args = None;
    if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        let min: LitInt = content.parse()?;
        content.parse::<Token![,]>()?;
        let max: LitInt = content.parse()?;
        content.parse::<Option<Token![,]>>()?;
        args = Some((
            Spanned {
                value: min.base10_parse()?,
                span: min.span(),
            },
            Spanned {
                value: max.base10_parse()?,
                span: max.span(),
            },
        ));
    }
    Ok(RetryAttr { class, args })
}

/// Consumes `= value` (or a parenthesized list) after an unknown key, so parsing can go on
/// with the next key and report its problems too.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    meta.input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if let proc_macro2::TokenTree::Punct(punct) = &tt
                && punct.as_char() == ','
            {
                return Ok(((), rest));
            }
            rest = next;
        }
        Ok(((), rest))
    })
}

/// The text of a key path, for diagnostics: `status`, or `a::b` for a path.
pub(crate) fn path_name(path: &syn::Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.join("::")
}

/// The candidate within two edits of `word`, if exactly one is closest, for "did you mean".
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
