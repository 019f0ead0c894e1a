//! The key tables: every key the header and a row take, whether a table must give it, and how
//! its value is read.
//!
//! This is the one place a key is declared (serde_derive's `symbol.rs` and `Attr<T>` in one
//! table): [`crate::attr`] walks a `key = value, ...` list against a table, so the same
//! entry drives parsing, duplicate detection, "did you mean" and the missing-key error.
//! Adding a key is one constant and one table entry.
//!
//! A value parser reads only its own value. When the value is wrong in a way whose intent
//! is plain (a quoted category, a category written as a path), it reports the slip and
//! keeps the intended value, so the rest of the table is still checked against it.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Ident, LitInt, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::tokens::{drain, skip_to_comma};

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

/// Reads one key's value (everything after the key's name) into the attribute's model.
///
/// An `Err` is the value's one error: the list parser reports it, skips to the next `,` and
/// goes on. Slips whose intent is plain are reported through the [`Ctxt`] instead, with the
/// intended value kept.
pub(crate) type ValueParser<T> = fn(&Ctxt, &'static str, ParseStream, &mut T) -> syn::Result<()>;

/// One key of an attribute.
pub(crate) struct Key<T> {
    /// The key as the table writes it.
    pub(crate) name: &'static str,
    /// Whether every attribute must give it.
    pub(crate) required: bool,
    /// How its value is read.
    pub(crate) parse: ValueParser<T>,
}

/// The header's keys, in the order diagnostics list them.
pub(crate) const HEADER_KEYS: &[Key<Header>] = &[
    Key {
        name: VERSION,
        required: true,
        parse: |_, key, input, header| {
            header.version = Some(string(key, input)?);
            Ok(())
        },
    },
    Key {
        name: CATEGORIES,
        required: true,
        parse: parse_categories,
    },
];

/// A row's keys, in the order diagnostics list them.
pub(crate) const ROW_KEYS: &[Key<RowAttrs>] = &[
    Key {
        name: CODE,
        required: true,
        parse: |_, key, input, row| {
            row.code = Some(string(key, input)?);
            Ok(())
        },
    },
    Key {
        name: STATUS,
        required: true,
        parse: parse_status,
    },
    Key {
        name: CATEGORY,
        required: true,
        parse: parse_category,
    },
    Key {
        name: TITLE,
        required: true,
        parse: parse_text,
    },
    Key {
        name: MESSAGE,
        required: true,
        parse: parse_text,
    },
    Key {
        name: WHEN,
        required: true,
        parse: parse_text,
    },
    Key {
        name: REMEDY,
        required: true,
        parse: parse_text,
    },
    Key {
        name: RETRY,
        required: true,
        parse: parse_retry,
    },
    Key {
        name: DEPRECATED,
        required: false,
        parse: parse_text,
    },
];

/// The names of a key table, for diagnostics.
pub(crate) fn names<T>(keys: &[Key<T>]) -> Vec<&'static str> {
    keys.iter().map(|key| key.name).collect()
}

/// A value together with the span of the tokens it was read from.
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// The parsed `#[error_table(...)]` header.
#[derive(Debug, Default, Clone)]
pub(crate) struct Header {
    pub(crate) version: Option<Spanned<String>>,
    pub(crate) categories: Vec<Ident>,
    /// False when an entry of `categories(...)` could not be read at all: a row's category
    /// may then be the unreadable one, so it is not called undeclared.
    pub(crate) categories_complete: bool,
    /// Which keys were written, by index into [`HEADER_KEYS`].
    pub(crate) seen: Seen,
}

/// The parsed keys of one `#[error(...)]` row; a key left `None` was absent or unreadable.
#[derive(Default, Clone)]
pub(crate) struct RowAttrs {
    pub(crate) code: Option<Spanned<String>>,
    /// The literal as written: the rule is about how a status is written, not only its value.
    pub(crate) status: Option<LitInt>,
    pub(crate) category: Option<Ident>,
    /// `title`, `message`, `when`, `remedy` and `deprecated`, by key, in the row's order.
    pub(crate) texts: Vec<(&'static str, Spanned<String>)>,
    pub(crate) retry: Option<RetryAttr>,
    /// Which keys were written, by index into [`ROW_KEYS`].
    pub(crate) seen: Seen,
}

impl RowAttrs {
    /// The text given for `key`, if it was readable.
    pub(crate) fn text(&self, key: &str) -> Option<&Spanned<String>> {
        self.texts.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// Which keys of a table an attribute wrote, and which a misspelling stood for.
#[derive(Debug, Default, Clone)]
pub(crate) struct Seen {
    /// Keys written under their own name, readable or not: a second one is a duplicate.
    pub(crate) written: Vec<&'static str>,
    /// Keys a misspelled key stood for (`remedi` for `remedy`): already reported, so not
    /// reported again as missing.
    pub(crate) guessed: Vec<&'static str>,
    /// The attribute could not be read as a list at all; its own error says so, and no key
    /// is reported missing.
    pub(crate) unreadable: bool,
}

impl Seen {
    /// The required keys of `keys` that were neither written nor stood for.
    pub(crate) fn missing<T>(&self, keys: &[Key<T>]) -> Vec<&'static str> {
        if self.unreadable {
            return Vec::new();
        }
        keys.iter()
            .filter(|key| key.required)
            .map(|key| key.name)
            .filter(|name| !self.written.contains(name) && !self.guessed.contains(name))
            .collect()
    }
}

/// A row's `retry = ...` value, e.g. `backoff` or `pause(30, 60)`.
#[derive(Debug, Clone)]
pub(crate) struct RetryAttr {
    pub(crate) class: Ident,
    /// The `(MIN_SECS, MAX_SECS)` arguments, with their spans.
    pub(crate) args: Option<(Spanned<u32>, Spanned<u32>)>,
}

/// `= "text"`, for the header's version and the row's code.
fn string(key: &str, input: ParseStream) -> syn::Result<Spanned<String>> {
    eq(key, input)?;
    if !input.peek(LitStr) {
        return Err(value_error(
            input,
            format!(
                "`{key}` takes a string literal, e.g. `{key} = \"{}\"`",
                example(key)
            ),
        ));
    }
    let lit: LitStr = input.parse()?;
    Ok(Spanned {
        value: lit.value(),
        span: lit.span(),
    })
}

/// `= "text"` for one of the row's texts, stored under its key.
fn parse_text(
    _: &Ctxt,
    key: &'static str,
    input: ParseStream,
    row: &mut RowAttrs,
) -> syn::Result<()> {
    let text = string(key, input)?;
    row.texts.push((key, text));
    Ok(())
}

/// `= 401`. The literal is kept as written; `check` holds it to the status rules.
fn parse_status(
    _: &Ctxt,
    key: &'static str,
    input: ParseStream,
    row: &mut RowAttrs,
) -> syn::Result<()> {
    eq(key, input)?;
    if input.peek(LitStr) {
        return Err(value_error(
            input,
            format!("`{key}` takes a number without quotes, e.g. `{key} = 404`"),
        ));
    }
    if !input.peek(LitInt) {
        return Err(value_error(
            input,
            format!("`{key}` takes a number, e.g. `{key} = 404`"),
        ));
    }
    let lit: LitInt = input.parse()?;
    row.status = Some(lit);
    Ok(())
}

/// `= Auth`. A quoted name or a path (`Category::Auth`) is reported and its name kept.
fn parse_category(
    cx: &Ctxt,
    key: &'static str,
    input: ParseStream,
    row: &mut RowAttrs,
) -> syn::Result<()> {
    eq(key, input)?;
    row.category = Some(category_name(
        cx,
        input,
        &format!("`{key}` takes a category name, e.g. `{key} = Authentication`"),
    )?);
    Ok(())
}

/// `(Auth, Billing)`: each entry is read on its own, so one bad entry is one error.
fn parse_categories(
    cx: &Ctxt,
    key: &'static str,
    input: ParseStream,
    header: &mut Header,
) -> syn::Result<()> {
    let usage =
        format!("`{key}` takes a list in parentheses, e.g. `{key}(Authentication, Billing)`");
    if !input.peek(syn::token::Paren) {
        return Err(value_error(input, usage));
    }
    let content;
    syn::parenthesized!(content in input);
    header.categories_complete = true;
    while !content.is_empty() {
        match category_name(
            cx,
            &content,
            "expected a category name, e.g. `Authentication`",
        ) {
            Ok(name) => header.categories.push(name),
            Err(err) => {
                cx.syn_error(err);
                header.categories_complete = false;
                skip_to_comma(&content);
            }
        }
        if content.is_empty() {
            break;
        }
        if content.parse::<Token![,]>().is_err() {
            cx.syn_error(content.error("expected `,` between two categories"));
            // A forgotten `,` before a name: the name is read as if the `,` were there.
            // Anything else up to the next name that ends an entry is the same slip.
            if skip_to_next_name(&content) {
                header.categories_complete = false;
            }
        }
    }
    Ok(())
}

/// Skips to the next `,` (consumed) or to a name followed by `,` or the end of the list;
/// whether anything was skipped.
fn skip_to_next_name(content: ParseStream) -> bool {
    content
        .step(|cursor| {
            let mut rest = *cursor;
            let mut skipped = false;
            while let Some((tt, next)) = rest.token_tree() {
                if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                    return Ok((skipped, next));
                }
                let ends_entry = match next.token_tree() {
                    None => true,
                    Some((proc_macro2::TokenTree::Punct(p), _)) => p.as_char() == ',',
                    Some(_) => false,
                };
                if matches!(&tt, proc_macro2::TokenTree::Ident(_)) && ends_entry {
                    break;
                }
                skipped = true;
                rest = next;
            }
            Ok((skipped, rest))
        })
        .unwrap_or(true)
}

/// A category name: `Auth`. `"Auth"` and `Category::Auth` are each reported once, and
/// read as `Auth`, so the table is still checked against the name meant.
fn category_name(cx: &Ctxt, input: ParseStream, expected: &str) -> syn::Result<Ident> {
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        let value = lit.value();
        // Only a word is handed to the lexer: lexing arbitrary text inside a proc-macro
        // is not guaranteed to fail gracefully.
        let word = value.chars().next().is_some_and(|c| !c.is_ascii_digit())
            && value.chars().all(|c| c == '_' || c.is_alphanumeric());
        let parsed = if word {
            syn::parse_str::<Ident>(&value)
        } else {
            Err(syn::Error::new(lit.span(), expected))
        };
        return match parsed {
            Ok(mut name) => {
                name.set_span(lit.span());
                cx.error_at(
                    lit.span(),
                    format!("write the category name without quotes: `{value}`"),
                );
                Ok(name)
            }
            Err(_) => Err(syn::Error::new(lit.span(), expected)),
        };
    }
    let path = path(input).ok_or_else(|| value_error(input, expected.to_owned()))?;
    if let Some(ident) = path.get_ident() {
        return Ok(ident.clone());
    }
    match path.segments.last() {
        Some(last) if last.arguments.is_none() && path.leading_colon.is_none() => {
            cx.error_spanned_by(
                &path,
                format!("write the category name alone: `{}`", last.ident),
            );
            Ok(last.ident.clone())
        }
        _ => Err(syn::Error::new_spanned(&path, expected)),
    }
}

/// `= never` or `= pause(30, 60)`.
fn parse_retry(
    _: &Ctxt,
    key: &'static str,
    input: ParseStream,
    row: &mut RowAttrs,
) -> syn::Result<()> {
    eq(key, input)?;
    let usage =
        format!("`{key}` takes a retry class, e.g. `{key} = never` or `{key} = pause(30, 60)`");
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return Err(syn::Error::new(
            lit.span(),
            format!(
                "write the retry class without quotes: `{key} = {}`",
                lit.value()
            ),
        ));
    }
    let path = path(input).ok_or_else(|| value_error(input, usage.clone()))?;
    let Some(class) = path.get_ident().cloned() else {
        return Err(syn::Error::new_spanned(&path, usage));
    };
    // `retry-after` for `retry_after`: the words are read whole, so the slip is one error
    // with the right name rather than "unexpected tokens".
    if input.peek(Token![-]) && input.peek2(Ident) {
        let mut words = vec![class.to_string()];
        let mut tokens = quote::quote!(#class);
        while input.peek(Token![-]) && input.peek2(Ident) {
            let dash: Token![-] = input.parse()?;
            let word: Ident = input.parse()?;
            words.push(word.to_string());
            tokens.extend(quote::quote!(#dash #word));
        }
        let underscored = words.join("_");
        let msg = match error_rules::retry::ClassName::from_name(&underscored) {
            Some(_) => format!("retry classes are written with `_`: `{underscored}`"),
            None => format!("unknown retry class `{}`", words.join("-")),
        };
        return Err(syn::Error::new_spanned(tokens, msg));
    }
    let mut args = None;
    if input.peek(syn::token::Paren) {
        let content;
        let parens = syn::parenthesized!(content in input);
        // Seconds as plain whole numbers: `30s` or `30_000` would hide the unit or the value.
        let seconds = |content: ParseStream| -> syn::Result<Spanned<u32>> {
            let lit: LitInt = content.parse()?;
            if !lit.to_string().bytes().all(|b| b.is_ascii_digit()) {
                return Err(syn::Error::new(lit.span(), "not plain digits"));
            }
            Ok(Spanned {
                value: lit.base10_parse()?,
                span: lit.span(),
            })
        };
        let range = |content: ParseStream| -> syn::Result<(Spanned<u32>, Spanned<u32>)> {
            let min = seconds(content)?;
            content.parse::<Token![,]>()?;
            let max = seconds(content)?;
            content.parse::<Option<Token![,]>>()?;
            if !content.is_empty() {
                return Err(content.error("unexpected token"));
            }
            Ok((min, max))
        };
        let range = range(&content).map_err(|_| {
            drain(&content);
            syn::Error::new(
                parens.span.join(),
                format!(
                    "`{class}(...)` takes two whole numbers of seconds without a unit, \
                     e.g. `{class}(30, 60)`"
                ),
            )
        })?;
        args = Some(range);
    }
    row.retry = Some(RetryAttr { class, args });
    Ok(())
}

/// A name or a path, `Auth` or `Category::Auth`; `None` (nothing consumed) for anything else.
fn path(input: ParseStream) -> Option<syn::Path> {
    let starts = input.peek(Ident) || input.peek(Token![::]);
    starts.then(|| input.parse().ok()).flatten()
}

/// The `=` between a key and its value.
fn eq(key: &str, input: ParseStream) -> syn::Result<()> {
    input
        .parse::<Token![=]>()
        .map(drop)
        .map_err(|_| value_error(input, format!("expected `=` after `{key}`")))
}

/// An error at the next token, or at the end of the attribute if there is none.
fn value_error(input: ParseStream, msg: String) -> syn::Error {
    match input.cursor().token_tree() {
        Some((tt, _)) => syn::Error::new_spanned(tt, msg),
        None => input.error(msg),
    }
}

/// An example value of a string key, for diagnostics.
fn example(key: &str) -> &'static str {
    match key {
        VERSION => "1.0.0",
        CODE => "invalid_api_key",
        _ => "...",
    }
}

/// Reads any identifier, keywords included, for the key position.
pub(crate) fn any_ident(input: ParseStream) -> syn::Result<Ident> {
    input.call(Ident::parse_any)
}
