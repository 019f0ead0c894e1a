//! The typed model of one `#[operation(...)]`: its arguments, and what it reads of the
//! handler it is on (name, visibility, and the `#[utoipa::path(...)]` below it), with spans.
//!
//! The handler is read as tokens, not as a `syn::ItemFn`: that would need syn's `full`
//! feature, a second large build of syn in every user's build for four facts.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use syn::LitStr;

/// The HTTP methods utoipa's `path` attribute and this one accept, as written there.
pub(crate) const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "trace",
];

/// The keys of `#[operation(...)]`, for "did you mean" and the unknown-key message.
pub(crate) const KEYS: &[&str] = &["errors", "id", "path", "reads_body"];

/// One declaration.
pub(crate) struct Operation {
    /// The handler's tokens as written.
    pub(crate) item: Vec<TokenTree>,
    /// The handler's name.
    pub(crate) handler: Ident,
    /// The handler's visibility, which the error type gets too.
    pub(crate) vis: TokenStream,
    /// `id = "..."`, or `operation_id = "..."` in `#[utoipa::path]`.
    pub(crate) id: Option<LitStr>,
    /// The method, lowercase, where it was written.
    pub(crate) method: Option<(String, Span)>,
    /// The path template.
    pub(crate) path: Option<LitStr>,
    /// `errors(...)`: where it was, and the codes as written.
    pub(crate) errors: Option<(Span, Vec<Ident>)>,
    /// Whether the operation reads a request body.
    pub(crate) reads_body: bool,
    /// The `#[utoipa::path(...)]` attribute, when the handler has one.
    pub(crate) utoipa: Option<UtoipaPath>,
    /// The method and path as `#[operation]` itself gives them, when it does, for the
    /// check that they agree with `#[utoipa::path]`.
    pub(crate) own_method: Option<(String, Span)>,
    pub(crate) own_path: Option<LitStr>,
    /// The method and path `#[utoipa::path]` gives, for the same check.
    pub(crate) utoipa_method: Option<String>,
    pub(crate) utoipa_path: Option<String>,
}

/// The handler's `#[utoipa::path(...)]`: where it is, and its arguments split at the
/// top-level commas.
pub(crate) struct UtoipaPath {
    /// The index in [`Operation::item`] of the attribute's `[...]` group.
    pub(crate) index: usize,
    /// The tokens of the attribute's path, `utoipa::path`.
    pub(crate) path: TokenStream,
    /// Each argument's tokens.
    pub(crate) args: Vec<Vec<TokenTree>>,
    /// The span of the argument list.
    pub(crate) span: Span,
}

impl UtoipaPath {
    /// The index of the argument that starts with the identifier `name`.
    pub(crate) fn arg(&self, name: &str) -> Option<usize> {
        self.args
            .iter()
            .position(|arg| matches!(arg.first(), Some(TokenTree::Ident(ident)) if ident == name))
    }
}

impl Operation {
    /// Reads the declaration; `None` when `item` is not a function, with the error recorded.
    pub(crate) fn parse(
        args: TokenStream,
        item: TokenStream,
        errors: &mut Vec<syn::Error>,
    ) -> Option<Operation> {
        let item: Vec<TokenTree> = item.into_iter().collect();
        let (handler, vis, utoipa) = match read_item(&item) {
            Some(found) => found,
            None => {
                errors.push(syn::Error::new(
                    Span::call_site(),
                    "`#[operation(...)]` goes on a handler function, \
                     e.g. `#[operation(errors(NotFound))] async fn get_run() {}`",
                ));
                return None;
            }
        };
        let mut op = Operation {
            item,
            handler,
            vis,
            id: None,
            method: None,
            path: None,
            errors: None,
            reads_body: false,
            utoipa,
            own_method: None,
            own_path: None,
            utoipa_method: None,
            utoipa_path: None,
        };
        op.read_args(args, errors);
        op.read_utoipa(errors);
        op.utoipa_method = op.method.as_ref().map(|(method, _)| method.clone());
        op.utoipa_path = op.path.as_ref().map(LitStr::value);
        op.method = op.own_method.clone().or(op.method.take());
        op.path = op.own_path.clone().or(op.path.take());
        Some(op)
    }

    /// Reads `#[operation(...)]`'s own arguments.
    fn read_args(&mut self, args: TokenStream, errors: &mut Vec<syn::Error>) {
        for arg in split_commas(args) {
            let Some(TokenTree::Ident(key)) = arg.first() else {
                if let Some(first) = arg.first() {
                    errors.push(syn::Error::new(
                        first.span(),
                        "expected `errors(...)`, `id = \"...\"`, a method such as `get`, \
                         `path = \"...\"` or `reads_body`",
                    ));
                }
                continue;
            };
            let name = key.to_string();
            match (name.as_str(), &arg[1..]) {
                ("errors", [TokenTree::Group(group)])
                    if group.delimiter() == Delimiter::Parenthesis =>
                {
                    if self.errors.is_some() {
                        errors.push(syn::Error::new(
                            key.span(),
                            "`errors(...)` is given twice; list every code in one",
                        ));
                        continue;
                    }
                    let codes = read_codes(group, errors);
                    self.errors = Some((key.span(), codes));
                }
                ("id", rest) => match string_value(rest) {
                    Some(lit) => self.id = Some(lit),
                    None => errors.push(syn::Error::new(
                        key.span(),
                        "`id` takes a string: `id = \"getRun\"`",
                    )),
                },
                ("path", rest) => match string_value(rest) {
                    Some(lit) => self.own_path = Some(lit),
                    None => errors.push(syn::Error::new(
                        key.span(),
                        "`path` takes a string: `path = \"/runs/{run_id}\"`",
                    )),
                },
                ("reads_body", []) => self.reads_body = true,
                (method, []) if METHODS.contains(&method) => {
                    self.own_method = Some((method.to_owned(), key.span()));
                }
                (other, _) => {
                    let hint = did_you_mean(other)
                        .map(|key| format!(", did you mean `{key}`?"))
                        .unwrap_or_default();
                    errors.push(syn::Error::new(
                        key.span(),
                        format!("unknown key `{other}` in `#[operation(...)]`{hint}"),
                    ));
                }
            }
        }
    }

    /// Reads the method, path, `operationId` and request body from `#[utoipa::path(...)]`.
    fn read_utoipa(&mut self, errors: &mut Vec<syn::Error>) {
        let Some(utoipa) = &self.utoipa else {
            return;
        };
        for arg in &utoipa.args {
            let Some(TokenTree::Ident(key)) = arg.first() else {
                continue;
            };
            let name = key.to_string();
            match (name.as_str(), &arg[1..]) {
                (method, []) if METHODS.contains(&method) => {
                    self.method = Some((method.to_owned(), key.span()));
                }
                ("path", rest) => self.path = string_value(rest),
                ("operation_id", rest) => match string_value(rest) {
                    Some(lit) if self.id.is_none() => self.id = Some(lit),
                    Some(lit) => errors.push(syn::Error::new(
                        lit.span(),
                        "the operation's id is given twice: keep `id` in `#[operation(...)]` \
                         or `operation_id` in `#[utoipa::path(...)]`",
                    )),
                    None => errors.push(syn::Error::new(
                        key.span(),
                        "`#[operation]` needs `operation_id` as a string literal, or none: \
                         it derives one from the handler and the path",
                    )),
                },
                ("request_body", _) => self.reads_body = true,
                _ => {}
            }
        }
    }
}

/// The handler's name, visibility and `#[utoipa::path]`, or `None` if `item` is no function.
fn read_item(item: &[TokenTree]) -> Option<(Ident, TokenStream, Option<UtoipaPath>)> {
    let mut i = 0;
    let mut utoipa = None;
    // Outer attributes: `#` then a `[...]` group.
    while let (Some(TokenTree::Punct(hash)), Some(TokenTree::Group(group))) =
        (item.get(i), item.get(i + 1))
    {
        if hash.as_char() != '#' || group.delimiter() != Delimiter::Bracket {
            break;
        }
        if utoipa.is_none() {
            utoipa = utoipa_path(group, i + 1);
        }
        i += 2;
    }
    let mut vis = TokenStream::new();
    if let Some(TokenTree::Ident(ident)) = item.get(i)
        && ident == "pub"
    {
        vis.extend([item[i].clone()]);
        i += 1;
        if let Some(TokenTree::Group(group)) = item.get(i)
            && group.delimiter() == Delimiter::Parenthesis
        {
            vis.extend([item[i].clone()]);
            i += 1;
        }
    }
    let at_fn = item[i..]
        .iter()
        .position(|tt| matches!(tt, TokenTree::Ident(ident) if ident == "fn"))?;
    match item.get(i + at_fn + 1) {
        Some(TokenTree::Ident(name)) => Some((name.clone(), vis, utoipa)),
        _ => None,
    }
}

/// The attribute in `group` (the `[...]` of `#[...]`) if it is `utoipa::path(...)`.
fn utoipa_path(group: &Group, index: usize) -> Option<UtoipaPath> {
    let tokens: Vec<TokenTree> = group.stream().into_iter().collect();
    let (list, path) = tokens.split_last()?;
    let TokenTree::Group(list) = list else {
        return None;
    };
    let written: String = path.iter().map(ToString::to_string).collect();
    if written != "utoipa::path" && written != "::utoipa::path" {
        return None;
    }
    Some(UtoipaPath {
        index,
        path: path.iter().cloned().collect(),
        args: split_commas(list.stream()),
        span: list.span(),
    })
}

/// `tokens` split at its top-level commas, empty pieces dropped.
pub(crate) fn split_commas(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut out = vec![Vec::new()];
    for tt in tokens {
        match &tt {
            TokenTree::Punct(punct) if punct.as_char() == ',' => out.push(Vec::new()),
            _ => out.last_mut().expect("never empty").push(tt),
        }
    }
    out.retain(|arg| !arg.is_empty());
    out
}

/// The string literal of `= "..."`.
fn string_value(rest: &[TokenTree]) -> Option<LitStr> {
    match rest {
        [TokenTree::Punct(eq), TokenTree::Literal(lit)] if eq.as_char() == '=' => {
            syn::parse2::<LitStr>(TokenTree::Literal(lit.clone()).into()).ok()
        }
        _ => None,
    }
}

/// The codes of `errors(...)`: each one identifier, a variant of the table.
fn read_codes(group: &Group, errors: &mut Vec<syn::Error>) -> Vec<Ident> {
    let mut codes = Vec::new();
    for code in split_commas(group.stream()) {
        match code.as_slice() {
            [TokenTree::Ident(ident)] => codes.push(ident.clone()),
            _ => errors.push(syn::Error::new(
                code[0].span(),
                "expected a code of the table by its variant name, e.g. `NotFound`",
            )),
        }
    }
    codes
}

/// The key `written` is most likely a slip for.
fn did_you_mean(written: &str) -> Option<&'static str> {
    KEYS.iter()
        .chain(METHODS)
        .copied()
        .filter(|key| edit_distance(key, written) <= 2)
        .min_by_key(|key| edit_distance(key, written))
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}
