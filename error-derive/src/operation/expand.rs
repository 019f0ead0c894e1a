//! Writes what a declaration derives: the narrowed error type, its conversions and its
//! `Operation`, and the handler's `#[utoipa::path(...)]` completed with the operation's id,
//! its error responses and its `x-error-codes`.
//!
//! Generated code names only `::error_spec::__private`; what needs an optional integration
//! of `error-spec` (axum, utoipa) goes through its `if_axum!` / `if_utoipa!`, which expand
//! to nothing when `error-spec` is built without it.

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};

use super::ast::{Operation, UtoipaPath};

/// The handler, then the type.
pub(crate) fn expand(op: &Operation) -> TokenStream {
    let id = op_id(op);
    let ty = format_ident!("{}Error", pascal(&id), span = op.handler.span());
    let mut out = handler(op, &id, &ty);
    out.extend(error_type(op, &id, &ty));
    out
}

/// The operation's id: the one given, else the one the rule derives.
fn op_id(op: &Operation) -> String {
    match &op.id {
        Some(id) => id.value(),
        None => {
            let path = op.path.as_ref().map(syn::LitStr::value).unwrap_or_default();
            error_rules::operation::operation_id(&op.handler.to_string(), &path)
        }
    }
}

/// The codes, each once, in the declaration's order.
fn codes(op: &Operation) -> Vec<&Ident> {
    let mut codes: Vec<&Ident> = Vec::new();
    for code in op.errors.iter().flat_map(|(_, codes)| codes) {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// The handler's tokens with its `#[utoipa::path(...)]` completed.
fn handler(op: &Operation, id: &str, ty: &Ident) -> TokenStream {
    let mut item = op.item.clone();
    if let Some(utoipa) = &op.utoipa {
        let TokenTree::Group(original) = &item[utoipa.index] else {
            unreachable!("the index is the attribute's group");
        };
        let mut group = Group::new(Delimiter::Bracket, utoipa_attr(utoipa, id, ty));
        group.set_span(original.span());
        item[utoipa.index] = TokenTree::Group(group);
    }
    item.into_iter().collect()
}

/// `utoipa::path(...)` with `operation_id`, the type in `responses(...)` and
/// `x-error-codes` in `extensions(...)`.
fn utoipa_attr(utoipa: &UtoipaPath, id: &str, ty: &Ident) -> TokenStream {
    let mut args = utoipa.args.clone();
    if utoipa.arg("operation_id").is_none() {
        args.push(quote!(operation_id = #id).into_iter().collect());
    }
    let extension = quote!(("x-error-codes" = json!(#ty::WIRE_CODES)));
    append_or_add(&mut args, utoipa, "responses", ty.to_token_stream());
    append_or_add(&mut args, utoipa, "extensions", extension);
    let mut list = TokenStream::new();
    for (i, arg) in args.into_iter().enumerate() {
        if i > 0 {
            list.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
        }
        list.extend(arg);
    }
    let mut group = Group::new(Delimiter::Parenthesis, list);
    group.set_span(utoipa.span);
    let mut attr = utoipa.path.clone();
    attr.extend([TokenTree::Group(group)]);
    attr
}

/// Appends `entry` to the list `name(...)` of the arguments, or adds `name(entry)`.
fn append_or_add(
    args: &mut Vec<Vec<TokenTree>>,
    utoipa: &UtoipaPath,
    name: &str,
    entry: TokenStream,
) {
    let key = Ident::new(name, Span::call_site());
    let existing = utoipa.arg(name).and_then(|at| match args[at].as_slice() {
        [TokenTree::Ident(_), TokenTree::Group(group)]
            if group.delimiter() == Delimiter::Parenthesis =>
        {
            Some((at, group.clone()))
        }
        _ => None,
    });
    match existing {
        Some((at, group)) => {
            let mut inner = group.stream();
            let trailing_comma = inner
                .clone()
                .into_iter()
                .last()
                .is_some_and(|tt| matches!(tt, TokenTree::Punct(p) if p.as_char() == ','));
            if !inner.is_empty() && !trailing_comma {
                inner.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
            }
            inner.extend(entry);
            let mut new_group = Group::new(Delimiter::Parenthesis, inner);
            new_group.set_span(group.span());
            args[at] = vec![args[at][0].clone(), TokenTree::Group(new_group)];
        }
        None => args.push(quote!(#key(#entry)).into_iter().collect()),
    }
}

/// The narrowed error type and its impls.
fn error_type(op: &Operation, id: &str, ty: &Ident) -> TokenStream {
    let vis = &op.vis;
    let handler = op.handler.to_string();
    let method = op.method.as_ref().map_or_else(
        || "GET".to_owned(),
        |(method, _)| method.to_ascii_uppercase(),
    );
    let path = op.path.as_ref().map(syn::LitStr::value).unwrap_or_default();
    let reads_body = op.reads_body;
    let codes = codes(op);
    let listed: Vec<String> = codes.iter().map(|code| format!("`{code}`")).collect();
    let type_doc = format!(
        "The errors of the operation `{id}` (`{method} {path}`, handler `{handler}`): {}. \
         Written by `#[error_spec::operation]`; a code it does not list has no constructor.",
        if listed.is_empty() {
            "none of its own".to_owned()
        } else {
            listed.join(", ")
        }
    );
    let constructors = codes.iter().map(|code| {
        let name = Ident::new(&snake(&code.to_string()), code.span());
        let doc = format!(
            "The error `{code}` of `{id}` (`ErrorCode::{code}`), with the table's default \
             message."
        );
        quote! {
            #[doc = #doc]
            #vis fn #name() -> Self {
                #ty(::error_spec::__private::ApiError::new(::error_spec::__private::ErrorCode::#code))
            }
        }
    });
    let code_paths = codes
        .iter()
        .map(|code| quote!(::error_spec::__private::ErrorCode::#code));
    let code_paths_again = code_paths.clone();
    quote! {
        #[doc = #type_doc]
        #[derive(Debug)]
        #vis struct #ty(::error_spec::__private::ApiError);

        #[allow(dead_code, reason = "a declared code may only come from an extractor or a layer")]
        impl #ty {
            /// The operation's declaration: id, method, path and codes.
            #vis const OPERATION: ::error_spec::__private::Operation =
                ::error_spec::__private::Operation::new(
                    #id, #handler, #method, #path, &[#(#code_paths),*], #reads_body,
                );

            /// The wire strings of the declared codes, as `x-error-codes` lists them.
            #vis const WIRE_CODES: &'static [&'static str] = &[#(#code_paths_again.as_str()),*];

            #(#constructors)*

            /// Replaces the default message with text written for end users.
            #[must_use]
            #vis fn with_message(self, message: ::error_spec::__private::UserMessage) -> Self {
                #ty(self.0.with_message(message))
            }

            /// Attaches the internal cause, for logs; it never reaches the body.
            #[must_use]
            #vis fn with_source(
                self,
                source: impl ::std::convert::Into<::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static>>,
            ) -> Self {
                #ty(self.0.with_source(source))
            }

            /// Adds a problem with one field of the request.
            #[must_use]
            #vis fn with_field_error(
                self,
                pointer: ::error_spec::__private::JsonPointer,
                message: ::error_spec::__private::UserMessage,
            ) -> Self {
                #ty(self.0.with_field_error(pointer, message))
            }

            /// Sets the seconds for `Retry-After`, where the code's retry class uses it.
            #[must_use]
            #vis fn with_retry_after(self, secs: u32) -> Self {
                #ty(self.0.with_retry_after(secs))
            }

            /// Names the run the request belongs to.
            #[must_use]
            #vis fn with_run_id(self, run_id: impl ::std::convert::Into<::std::string::String>) -> Self {
                #ty(self.0.with_run_id(run_id))
            }

            /// Names the async task the request belongs to.
            #[must_use]
            #vis fn with_task_id(self, task_id: impl ::std::convert::Into<::std::string::String>) -> Self {
                #ty(self.0.with_task_id(task_id))
            }

            /// The code.
            #vis fn code(&self) -> ::error_spec::__private::ErrorCode {
                self.0.code()
            }

            /// The error as the response will carry it.
            #vis fn as_api_error(&self) -> &::error_spec::__private::ApiError {
                &self.0
            }

            /// The error as the response carries it.
            #vis fn into_api_error(self) -> ::error_spec::__private::ApiError {
                self.0
            }
        }

        #[automatically_derived]
        impl ::std::convert::From<#ty> for ::error_spec::__private::ApiError {
            fn from(error: #ty) -> Self {
                error.0
            }
        }

        #[automatically_derived]
        impl ::std::fmt::Display for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        #[automatically_derived]
        impl ::std::error::Error for #ty {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                ::std::error::Error::source(&self.0)
            }
        }

        #[automatically_derived]
        impl ::error_spec::__private::OperationError for #ty {
            const OPERATION: ::error_spec::__private::Operation = #ty::OPERATION;

            fn as_api_error(&self) -> &::error_spec::__private::ApiError {
                &self.0
            }
        }

        ::error_spec::__private::operation::if_axum! {
            #[automatically_derived]
            impl ::error_spec::__private::operation::axum::response::IntoResponse for #ty {
                fn into_response(self) -> ::error_spec::__private::operation::axum::response::Response {
                    ::error_spec::__private::operation::into_response(self.0)
                }
            }
        }

        ::error_spec::__private::operation::if_utoipa! {
            #[automatically_derived]
            impl ::error_spec::__private::operation::utoipa::IntoResponses for #ty {
                fn responses() -> ::std::collections::BTreeMap<
                    ::std::string::String,
                    ::error_spec::__private::operation::utoipa::openapi::RefOr<
                        ::error_spec::__private::operation::utoipa::openapi::Response,
                    >,
                > {
                    ::error_spec::__private::operation::responses(#ty::OPERATION.errors)
                }
            }
        }
    }
}

/// `getRun` to `GetRun`.
fn pascal(id: &str) -> String {
    let mut chars = id.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// `NotFound` to `not_found`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn names() {
        assert_eq!(super::pascal("getRun"), "GetRun");
        assert_eq!(super::snake("NotFound"), "not_found");
        assert_eq!(
            super::snake("SyncTimeoutUpgradeAsync"),
            "sync_timeout_upgrade_async"
        );
    }
}
