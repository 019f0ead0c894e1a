//! Checks on a server's operations: every operation has an `operationId`, and no two share
//! one.

use std::collections::BTreeMap;

use utoipa::openapi::OpenApi;
use utoipa::openapi::path::HttpMethod;

/// Every problem with the document's `operationId`s, one line each: an operation without
/// one, and each id two or more operations share (with every method and path that has it).
/// Empty when every operation has its own.
///
/// Client generators name a method after each id, so a duplicate is two methods of one
/// name; utoipa's default id, the handler's function name, collides as soon as two modules
/// each have a `get`.
///
/// ```
/// use error_spec_openapi::operation_id_problems;
/// use utoipa::OpenApi;
///
/// #[utoipa::path(get, path = "/runs/{id}", responses((status = 200)))]
/// async fn get() {}
///
/// mod files {
///     #[utoipa::path(get, path = "/files/{id}", responses((status = 200)))]
///     pub(crate) async fn get() {}
/// }
///
/// #[derive(OpenApi)]
/// #[openapi(paths(get, files::get))]
/// struct ApiDoc;
///
/// assert_eq!(
///     operation_id_problems(&ApiDoc::openapi()),
///     ["operationId `get` is shared by GET /files/{id}, GET /runs/{id}"]
/// );
/// ```
pub fn operation_id_problems(doc: &OpenApi) -> Vec<String> {
    let mut problems = Vec::new();
    let mut by_id: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (path, item) in &doc.paths.paths {
        for (method, operation) in operations(item) {
            let at = format!("{} {path}", method_name(method));
            match operation.operation_id.as_deref() {
                Some(id) if !id.is_empty() => by_id.entry(id).or_default().push(at),
                _ => problems.push(format!("{at} has no operationId")),
            }
        }
    }
    for (id, places) in by_id {
        if places.len() > 1 {
            problems.push(format!(
                "operationId `{id}` is shared by {}",
                places.join(", ")
            ));
        }
    }
    problems
}

/// The operations of a path item, with their methods, in a fixed order.
pub(crate) fn operations(
    item: &utoipa::openapi::PathItem,
) -> impl Iterator<Item = (HttpMethod, &utoipa::openapi::path::Operation)> {
    [
        (HttpMethod::Get, &item.get),
        (HttpMethod::Put, &item.put),
        (HttpMethod::Post, &item.post),
        (HttpMethod::Delete, &item.delete),
        (HttpMethod::Options, &item.options),
        (HttpMethod::Head, &item.head),
        (HttpMethod::Patch, &item.patch),
        (HttpMethod::Trace, &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, operation)| Some((method, operation.as_ref()?)))
}

/// The method as HTTP writes it.
pub(crate) fn method_name(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Put => "PUT",
        HttpMethod::Post => "POST",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Head => "HEAD",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Trace => "TRACE",
    }
}
