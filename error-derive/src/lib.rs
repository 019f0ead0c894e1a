//! The `#[error_table]` attribute macro behind `error-spec`.
//!
//! One `#[error(...)]` row per variant declares an API error code: its wire string, HTTP
//! status, category, title, default message, *when*, *remedy* and retry class. The macro
//! checks every row (reporting all problems in one build, each at its row), then emits the
//! enum with docs generated from the rows, a `Category` enum, and their API. A derive cannot
//! add docs to the variants it reads, which is why this is an attribute.
//!
//! The files follow thiserror's and serde_derive's layout: `keys` is the one table of the
//! header's and a row's keys, `attr` reads the attributes against it, `ast` holds the typed
//! model, `check` applies the contract's rules (stated in `error_rules`, which the runtime
//! reads too), `fallback` turns the model into concrete values with a placeholder wherever
//! a value was rejected (so the table still expands beside its errors), and `expand` emits
//! code. Two leaves hold what several of them share: `tokens` (reading past a bad value)
//! and `generated` (the names of what the expansion emits beside the table). The imports
//! run one way: `expand` → `check`, `fallback` → `ast` → `attr` → `keys` → `tokens`, `ctxt`,
//! `generated`. Use it through `error_spec`, whose `__private` module the generated code names.

#![deny(missing_docs)]

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod fallback;
mod generated;
mod keys;
mod operation;
mod tokens;

use proc_macro::TokenStream;
use syn::parse_macro_input;

/// Turns an enum whose variants carry `#[error(...)]` rows into the error table's API.
///
/// See the `error_spec` crate for the syntax, the keys and the generated API.
#[proc_macro_attribute]
pub fn error_table(args: TokenStream, input: TokenStream) -> TokenStream {
    let item = parse_macro_input!(input as syn::DeriveInput);
    expand::error_table(args.into(), &item).into()
}

/// Declares the error codes one operation can return, beside its handler, and derives the
/// narrowed error type, its responses and its `Operation` from them.
///
/// See `error_spec::operation` for the syntax and what it derives.
#[proc_macro_attribute]
pub fn operation(args: TokenStream, input: TokenStream) -> TokenStream {
    operation::operation(args.into(), input.into()).into()
}
