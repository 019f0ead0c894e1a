//! Turns a resolved table into the enums and their API.
//!
//! Generated code names everything by absolute path through `::error_spec::__private`, so it
//! compiles whatever the calling module has imported, and never depends on the caller's
//! own `serde` or `http`.

use error_rules::text::category_wire;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::{Attribute, DeriveInput, Ident};

use crate::ast::Table;
use crate::attr;
use crate::check;
use crate::ctxt::Ctxt;
use crate::fallback::{self, Resolved, ResolvedRow, Retry};
use crate::keys::ROW;

/// The macro's whole job: read, check, then expand; on errors, expand placeholders beside them.
pub(crate) fn error_table(args: TokenStream, item: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let header = attr::parse_header(&cx, args);
    let table = Table::from_syn(&cx, header, item);
    check::check(&cx, &table);
    let resolved = fallback::resolve(&table);
    let expanded = expand(item, &table.attrs, &resolved);
    match cx.check() {
        Ok(()) => expanded,
        Err(errors) => {
            let errors = errors.into_compile_error();
            quote!(#errors #expanded)
        }
    }
}

fn expand(item: &DeriveInput, attrs: &[Attribute], table: &Resolved) -> TokenStream {
    let error_code = expand_code_enum(item, attrs, table);
    let category = expand_category_enum(item, table);
    quote! {
        #error_code
        #category
    }
}

/// The `ErrorCode` enum itself, its docs generated from the rows, and its API.
fn expand_code_enum(item: &DeriveInput, attrs: &[Attribute], table: &Resolved) -> TokenStream {
    let vis = &item.vis;
    let ident = &item.ident;
    let variants = table.rows.iter().map(|row| {
        let docs = variant_docs(row);
        let other_attrs = row.variant.attrs.iter().filter(|a| !a.path().is_ident(ROW));
        let variant = &row.variant.ident;
        quote! { #(#docs)* #(#other_attrs)* #variant }
    });
    let count = table.rows.len();
    let version = &table.version;
    let category_ident = &table.category_enum;
    let specs = table.rows.iter().map(|row| {
        let variant = &row.variant.ident;
        let code = &row.code;
        let status = Literal::u16_unsuffixed(row.status);
        let category = &row.category;
        let (title, message, when, remedy) = (&row.title, &row.message, &row.when, &row.remedy);
        let retry = retry_tokens(&row.retry);
        let deprecated = match &row.deprecated {
            Some(reason) => quote!(::core::option::Option::Some(#reason)),
            None => quote!(::core::option::Option::None),
        };
        quote! {
            ::error_spec::__private::CodeSpec::__new(
                #ident::#variant,
                #code,
                ::error_spec::__private::status(#status),
                #category_ident::#category,
                #title,
                #message,
                #when,
                #remedy,
                #retry,
                #deprecated,
            )
        }
    });
    let pairs: Vec<(&Ident, &str)> = table
        .rows
        .iter()
        .map(|row| (&row.variant.ident, row.code.as_str()))
        .collect();
    let wire = expand_wire_impls(ident, "error code", &pairs);
    let strum_message = expand_strum_message(ident);

    quote! {
        #(#attrs)*
        #[derive(
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::fmt::Debug,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
            ::core::cmp::PartialOrd,
            ::core::cmp::Ord,
        )]
        #vis enum #ident {
            #(#variants,)*
        }

        impl #ident {
            /// The number of error codes in the table.
            pub const COUNT: usize = #count;

            /// The contract version the table declares; contract review compares it.
            pub const CONTRACT_VERSION: &'static str = #version;

            const SPECS: &'static [::error_spec::__private::CodeSpec<Self, #category_ident>] = &[#(#specs,)*];

            /// Everything the table says about this code, as one row.
            #[inline]
            pub const fn spec(self) -> &'static ::error_spec::__private::CodeSpec<Self, #category_ident> {
                &Self::SPECS[self as usize]
            }

            /// The HTTP status this code is sent with.
            #[inline]
            pub const fn status(self) -> ::error_spec::__private::StatusCode {
                self.spec().status
            }

            /// The category the reference files this code under.
            #[inline]
            pub const fn category(self) -> #category_ident {
                self.spec().category
            }

            /// A short title for the code; the RFC 9457 `title` of the body.
            #[inline]
            pub const fn title(self) -> &'static str {
                self.spec().title
            }

            /// The default `message`: a sentence that is safe to show an end user.
            #[inline]
            pub const fn message(self) -> &'static str {
                self.spec().message
            }

            /// When the API sends this code, word for word from the reference.
            #[inline]
            pub const fn when(self) -> &'static str {
                self.spec().when
            }

            /// What a client should do about it, word for word from the reference.
            #[inline]
            pub const fn remedy(self) -> &'static str {
                self.spec().remedy
            }

            /// How a client should retry a request that failed with this code.
            #[inline]
            pub const fn retry(self) -> ::error_spec::__private::RetryClass {
                self.spec().retry
            }

            /// Why the code is deprecated, if it is. Deprecated codes are still sent and parsed.
            #[inline]
            pub const fn deprecated(self) -> ::core::option::Option<&'static str> {
                self.spec().deprecated
            }
        }

        #wire
        #strum_message

        #[automatically_derived]
        impl ::core::convert::From<#ident> for ::error_spec::__private::StatusCode {
            #[inline]
            fn from(code: #ident) -> Self {
                code.status()
            }
        }
    }
}

/// The `Category` enum, one variant per category the header declares, in its order.
fn expand_category_enum(item: &DeriveInput, table: &Resolved) -> TokenStream {
    let vis = &item.vis;
    let ident = &table.category_enum;
    let code_ident = &item.ident;
    let names: Vec<String> = table.categories.iter().map(|c| c.to_string()).collect();
    let wires: Vec<String> = names.iter().map(|name| category_wire(name)).collect();
    let variants = table.categories.iter().zip(&names).map(|(category, name)| {
        let doc = format!("The error codes filed under {name}.");
        quote! { #[doc = #doc] #category }
    });
    let name_arms = table
        .categories
        .iter()
        .zip(&names)
        .map(|(c, name)| quote!(Self::#c => #name));
    let pairs: Vec<(&Ident, &str)> = table
        .categories
        .iter()
        .zip(&wires)
        .map(|(c, w)| (c, w.as_str()))
        .collect();
    let wire = expand_wire_impls(ident, "category", &pairs);
    quote! {
        /// The categories of error codes, in the order the reference lists them.
        #[derive(
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::fmt::Debug,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
            ::core::cmp::PartialOrd,
            ::core::cmp::Ord,
        )]
        #vis enum #ident {
            #(#variants,)*
        }

        impl #ident {
            /// The category's heading as the reference writes it, e.g. `Authentication`.
            pub const fn name(self) -> &'static str {
                match self {
                    #(#name_arms,)*
                }
            }

            /// The error codes in this category, in table order.
            pub fn codes(self) -> impl ::core::iter::Iterator<Item = #code_ident> {
                #code_ident::ALL.iter().copied().filter(move |code| code.category() == self)
            }
        }

        #wire
    }
}

/// The string form shared by both enums: `as_str`, `ALL`, `Display`, `FromStr`, serde as the
/// string, and strum's traits. `kind` names the enum in parse errors ("unknown error code").
fn expand_wire_impls(ident: &Ident, kind: &str, pairs: &[(&Ident, &str)]) -> TokenStream {
    let variants: Vec<&Ident> = pairs.iter().map(|(v, _)| *v).collect();
    let strings: Vec<&str> = pairs.iter().map(|(_, s)| *s).collect();
    let all_doc = format!("Every {kind}, in table order.");
    let strings_doc = format!("The wire string of every {kind}, in table order.");
    let as_str_doc = format!("The {kind} as it is written on the wire.");
    let from_wire_doc =
        format!("Parses the wire string of a {kind}; `None` if this build does not know it.");
    let from_wire = expand_from_wire(pairs);
    let expecting = format!("a known {kind} string");
    let count = pairs.len();
    quote! {
        impl #ident {
            #[doc = #all_doc]
            // Slices, not arrays: serde, schemars and utoipa serialize arrays only up to 32
            // elements, and a table only grows.
            pub const ALL: &'static [Self] = &[#(Self::#variants,)*];

            #[doc = #strings_doc]
            pub const WIRE_STRINGS: &'static [&'static str] = &[#(#strings,)*];

            #[doc = #as_str_doc]
            #[inline]
            pub const fn as_str(self) -> &'static str {
                Self::WIRE_STRINGS[self as usize]
            }

            #[doc = #from_wire_doc]
            #[inline]
            pub fn from_wire(s: &str) -> ::core::option::Option<Self> {
                #from_wire
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.pad(self.as_str())
            }
        }

        #[automatically_derived]
        impl ::core::str::FromStr for #ident {
            type Err = ::error_spec::__private::ParseError;

            // Inlined across crates, so a parse of a known string costs a length switch and
            // one comparison at the call site.
            #[inline]
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                Self::from_wire(s).ok_or_else(|| ::error_spec::__private::parse_error(#kind, s))
            }
        }

        #[automatically_derived]
        impl ::core::convert::TryFrom<&str> for #ident {
            type Error = ::error_spec::__private::ParseError;

            #[inline]
            fn try_from(s: &str) -> ::core::result::Result<Self, Self::Error> {
                ::core::str::FromStr::from_str(s)
            }
        }

        #[automatically_derived]
        impl ::core::convert::AsRef<str> for #ident {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<#ident> for &'static str {
            fn from(value: #ident) -> Self {
                value.as_str()
            }
        }

        #[automatically_derived]
        impl ::error_spec::__private::serde::Serialize for #ident {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: ::error_spec::__private::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl<'de> ::error_spec::__private::serde::Deserialize<'de> for #ident {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::error_spec::__private::serde::Deserializer<'de>,
            {
                struct Visitor;
                #[automatically_derived]
                impl ::error_spec::__private::serde::de::Visitor<'_> for Visitor {
                    type Value = #ident;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_str<E>(self, v: &str) -> ::core::result::Result<#ident, E>
                    where
                        E: ::error_spec::__private::serde::de::Error,
                    {
                        #ident::from_wire(v).ok_or_else(|| E::unknown_variant(v, #ident::WIRE_STRINGS))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }

        #[automatically_derived]
        impl ::error_spec::__private::strum::EnumCount for #ident {
            const COUNT: usize = #count;
        }

        #[automatically_derived]
        impl ::error_spec::__private::strum::VariantArray for #ident {
            const VARIANTS: &'static [Self] = Self::ALL;
        }

        #[automatically_derived]
        impl ::error_spec::__private::strum::VariantNames for #ident {
            const VARIANTS: &'static [&'static str] = Self::WIRE_STRINGS;
        }

        #[automatically_derived]
        impl ::error_spec::__private::strum::IntoEnumIterator for #ident {
            type Iterator = ::core::iter::Copied<::core::slice::Iter<'static, Self>>;

            fn iter() -> Self::Iterator {
                Self::ALL.iter().copied()
            }
        }
    }
}

/// `from_wire`'s body: dispatch on the length first, then compare the few strings of that
/// length, so a lookup costs one integer match and one or two `memcmp`s.
fn expand_from_wire(pairs: &[(&Ident, &str)]) -> TokenStream {
    let mut lengths: Vec<usize> = pairs.iter().map(|(_, s)| s.len()).collect();
    lengths.sort_unstable();
    lengths.dedup();
    let arms = lengths.iter().map(|len| {
        let same = pairs
            .iter()
            .filter(|(_, s)| s.len() == *len)
            .map(|(variant, s)| quote!(#s => ::core::option::Option::Some(Self::#variant)));
        let len = Literal::usize_unsuffixed(*len);
        quote! {
            #len => match s {
                #(#same,)*
                _ => ::core::option::Option::None,
            }
        }
    });
    quote! {
        match s.len() {
            #(#arms,)*
            _ => ::core::option::Option::None,
        }
    }
}

/// strum's `EnumMessage`: the message, the remedy as the detailed message, `when` as the
/// documentation, so code written against strum reads the table without knowing it.
fn expand_strum_message(ident: &Ident) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::error_spec::__private::strum::EnumMessage for #ident {
            fn get_message(&self) -> ::core::option::Option<&'static str> {
                ::core::option::Option::Some(self.message())
            }

            fn get_detailed_message(&self) -> ::core::option::Option<&'static str> {
                ::core::option::Option::Some(self.remedy())
            }

            fn get_documentation(&self) -> ::core::option::Option<&'static str> {
                ::core::option::Option::Some(self.when())
            }

            fn get_serializations(&self) -> &'static [&'static str] {
                ::core::slice::from_ref(&Self::WIRE_STRINGS[*self as usize])
            }
        }
    }
}

/// The doc comment of one variant, generated from its row so nothing is written twice.
fn variant_docs(row: &ResolvedRow) -> Vec<TokenStream> {
    let mut lines = vec![
        format!("`{}`: HTTP {}, {}.", row.code, row.status, row.category),
        String::new(),
        format!("**When:** {}", row.when),
        String::new(),
        format!("**Remedy:** {}", row.remedy),
    ];
    if let Some(reason) = &row.deprecated {
        lines.push(String::new());
        lines.push(format!("**Deprecated:** {reason}"));
    }
    lines
        .into_iter()
        .map(|line| quote!(#[doc = #line]))
        .collect()
}

fn retry_tokens(retry: &Retry) -> TokenStream {
    let path = quote!(::error_spec::__private::RetryClass);
    match retry {
        Retry::Never => quote!(#path::Never),
        Retry::RetryAfter => quote!(#path::RetryAfter),
        Retry::Backoff => quote!(#path::Backoff),
        Retry::Pause { min_secs, max_secs } => {
            quote!(#path::Pause { min_secs: #min_secs, max_secs: #max_secs })
        }
        Retry::ResubmitAsync => quote!(#path::ResubmitAsync),
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::{TokenStream, TokenTree};
    use quote::quote;

    /// A table with every kind of value, for the mutation test to break.
    fn table() -> (TokenStream, TokenStream) {
        let args = quote!(version = "1.0.0", categories(Auth, Runtime));
        let item = quote! {
            pub enum ErrorCode {
                #[error(
                    code = "bad_key", status = 401, category = Auth, title = "Bad key",
                    message = "The key is bad.", when = "Key revoked", remedy = "Send a key",
                    retry = never, deprecated = "Use another",
                )]
                BadKey,
                #[error(
                    code = "down", status = 503, category = Runtime, title = "Down",
                    message = "Try soon.", when = "Maintenance", remedy = "Retry after 30-60s",
                    retry = pause(30, 60),
                )]
                Down,
            }
        };
        (args, item)
    }

    /// Every way to break a stream at one place: drop a token, double it, or put a stray
    /// token of each kind in its place; inside groups too.
    fn mutations(stream: &TokenStream) -> Vec<TokenStream> {
        let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
        let strays: Vec<TokenTree> = quote!(, = :: x "s" 7 0x1 'c' # ( ) [ ])
            .into_iter()
            .collect();
        let mut out = Vec::new();
        for i in 0..tokens.len() {
            let mut dropped = tokens.clone();
            dropped.remove(i);
            out.push(dropped.into_iter().collect());
            let mut doubled = tokens.clone();
            doubled.insert(i, tokens[i].clone());
            out.push(doubled.into_iter().collect());
            for stray in &strays {
                let mut replaced = tokens.clone();
                replaced[i] = stray.clone();
                out.push(replaced.into_iter().collect());
            }
            if let TokenTree::Group(group) = &tokens[i] {
                for inner in mutations(&group.stream()) {
                    let mut nested = tokens.clone();
                    nested[i] = TokenTree::Group(proc_macro2::Group::new(group.delimiter(), inner));
                    out.push(nested.into_iter().collect());
                }
            }
        }
        out
    }

    #[test]
    fn the_valid_table_expands_without_errors() {
        let (args, item) = table();
        let item = syn::parse2(item).expect("the item parses");
        let out = super::error_table(args, &item).to_string();
        assert!(!out.contains("compile_error"), "{out}");
    }

    /// The errors an expansion carries, by message.
    fn errors(out: &TokenStream) -> Vec<String> {
        out.to_string()
            .split("compile_error")
            .skip(1)
            .map(|rest| rest.split(')').next().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn a_one_token_slip_anywhere_gives_one_or_two_errors_and_never_a_panic() {
        let (args, item) = table();
        let parsed = syn::parse2(item.clone()).expect("the item parses");
        let mut outputs = Vec::new();
        for args in mutations(&args) {
            outputs.push((args.to_string(), super::error_table(args, &parsed)));
        }
        for item in mutations(&item) {
            // A mutation rustc would not hand the macro is not an input it can get.
            if let Ok(parsed) = syn::parse2::<syn::DeriveInput>(item.clone()) {
                outputs.push((item.to_string(), super::error_table(args.clone(), &parsed)));
            }
        }
        let mut broken = 0;
        for (input, out) in &outputs {
            let errors = errors(out);
            // Two at most: a slip can make two true mistakes, such as a `,` typed for `=`.
            assert!(errors.len() <= 2, "{input}\n{errors:#?}");
            broken += usize::from(!errors.is_empty());
        }
        // Most single-token slips are mistakes; a test that saw none would be testing nothing.
        assert!(
            broken > 1000,
            "only {broken} of {} mutations were reported",
            outputs.len()
        );
    }
}
