//! The rules of a declaration, one `check_*` each; every error is collected, none stops
//! the others.

use std::collections::BTreeMap;

use proc_macro2::Span;

use super::ast::Operation;

/// Applies every rule to `op`.
pub(crate) fn check(op: &Operation, errors: &mut Vec<syn::Error>) {
    check_errors_listed(op, errors);
    check_no_duplicate_code(op, errors);
    check_method_and_path(op, errors);
    check_agrees_with_utoipa(op, errors);
    check_id(op, errors);
}

/// `errors(...)` is required: an operation that returns nothing of its own says so with
/// `errors()`.
fn check_errors_listed(op: &Operation, errors: &mut Vec<syn::Error>) {
    if op.errors.is_none() {
        errors.push(syn::Error::new(
            Span::call_site(),
            format!(
                "`#[operation(...)]` on `{}` needs `errors(...)`, the codes of the table its \
                 handler can return, e.g. `errors(NotFound, Gone)`; `errors()` if none",
                op.handler
            ),
        ));
    }
}

/// A code is listed once.
fn check_no_duplicate_code(op: &Operation, errors: &mut Vec<syn::Error>) {
    let Some((_, codes)) = &op.errors else {
        return;
    };
    let mut seen = BTreeMap::new();
    for code in codes {
        if let Some(first) = seen.insert(code.to_string(), code) {
            let mut err = syn::Error::new(
                code.span(),
                format!("the code `{code}` is listed twice in `errors(...)`"),
            );
            err.combine(syn::Error::new(first.span(), "first listed here"));
            errors.push(err);
        }
    }
}

/// The method and path are known: from `#[utoipa::path(...)]` below, or given here.
fn check_method_and_path(op: &Operation, errors: &mut Vec<syn::Error>) {
    let below = if op.utoipa.is_some() {
        ""
    } else {
        ", or put `#[operation(...)]` above the handler's `#[utoipa::path(...)]`"
    };
    if op.method.is_none() {
        errors.push(syn::Error::new(
            Span::call_site(),
            format!(
                "the operation `{}` has no method: add one such as `get` to \
                 `#[operation(...)]`{below}",
                op.handler
            ),
        ));
    }
    match &op.path {
        None => errors.push(syn::Error::new(
            Span::call_site(),
            format!(
                "the operation `{}` has no path: add `path = \"/...\"` to \
                 `#[operation(...)]`{below}",
                op.handler
            ),
        )),
        Some(path) if !path.value().starts_with('/') => errors.push(syn::Error::new(
            path.span(),
            format!("a path starts with `/`: `\"/{}\"`", path.value()),
        )),
        Some(_) => {}
    }
}

/// A method or path given in both places is the same in both.
fn check_agrees_with_utoipa(op: &Operation, errors: &mut Vec<syn::Error>) {
    if let (Some((own, span)), Some(theirs)) = (&op.own_method, &op.utoipa_method)
        && own != theirs
    {
        errors.push(syn::Error::new(
            *span,
            format!(
                "the method is `{own}` here and `{theirs}` in `#[utoipa::path(...)]`; \
                 give it once"
            ),
        ));
    }
    if let (Some(own), Some(theirs)) = (&op.own_path, &op.utoipa_path)
        && own.value() != *theirs
    {
        errors.push(syn::Error::new(
            own.span(),
            format!(
                "the path is `{}` here and `{theirs}` in `#[utoipa::path(...)]`; give it once",
                own.value()
            ),
        ));
    }
}

/// An explicit id is a lowerCamelCase identifier, as the derived ones are.
fn check_id(op: &Operation, errors: &mut Vec<syn::Error>) {
    let Some(id) = &op.id else {
        return;
    };
    let value = id.value();
    let mut chars = value.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric());
    if !ok {
        errors.push(syn::Error::new(
            id.span(),
            format!(
                "an operation id is lowerCamelCase ASCII letters and digits, e.g. `getRun`, \
                 not `{}`",
                value.escape_debug()
            ),
        ));
    }
}
