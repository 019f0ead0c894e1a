//! The OpenAPI side of an operation's declaration (feature `utoipa`): its error responses,
//! built from exactly the codes it declares, and [`Api`] as a `utoipa::Modify` that gives
//! every documented operation exactly the codes it can answer with.

use std::collections::BTreeMap;

use error_rules::markdown::escape_inline;
use http::StatusCode;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::Operation as PathOperation;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, ToSchema};

use crate::api::Api;
use crate::{ApiError, ErrorBody, ErrorCode, RequestId, headers};

/// The request id of the example bodies, fixed so that a document is the same on every run;
/// the reference docs use it too.
pub const EXAMPLE_REQUEST_ID: &str = "req_3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60";

/// Listed beside `application/problem+json` with the same schema: generators that type only
/// `application/json` bodies (progenitor) would otherwise hand every error over as raw bytes.
/// Servers send `application/problem+json` whatever the request accepts: the body is JSON
/// either way, and `application/json` readers parse it as it is.
const JSON_MEDIA_TYPE: &str = "application/json";

/// The name of the operation extension that lists the wire codes an operation can return,
/// in table order, for tools that read codes rather than statuses.
pub const X_ERROR_CODES: &str = "x-error-codes";

/// The error responses for exactly `codes`: one per status they use, keyed by the status,
/// each listing its codes with one named example body per code and a reference to each
/// header those codes' responses carry.
pub fn responses_for(codes: &[ErrorCode]) -> BTreeMap<String, RefOr<Response>> {
    let mut by_status: BTreeMap<u16, Vec<ErrorCode>> = BTreeMap::new();
    for &code in ErrorCode::ALL {
        if codes.contains(&code) {
            by_status
                .entry(code.status().as_u16())
                .or_default()
                .push(code);
        }
    }
    by_status
        .into_iter()
        .map(|(status, codes)| {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (
                status.as_u16().to_string(),
                status_response(status, &codes).into(),
            )
        })
        .collect()
}

/// The response for one error status carrying `codes` (which should all have that status):
/// their names in the description, one example body each, rendered by [`ApiError`] itself,
/// and a reference to each header that some of them carry.
pub fn status_response(status: StatusCode, codes: &[ErrorCode]) -> Response {
    let request_id = RequestId::parse(EXAMPLE_REQUEST_ID).expect("the example id is valid");
    let examples = codes.iter().map(|&code| {
        let body = ApiError::new(code).to_body(&request_id, crate::DEFAULT_DOC_BASE);
        let value = serde_json::to_value(&body).expect("an error body serializes");
        let example = ExampleBuilder::new()
            .summary(code.title())
            // A description is CommonMark to doc tools; the table's text shows as written.
            .description(escape_inline(code.message()))
            .value(Some(value));
        (code.as_str().to_owned(), example)
    });
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name(ErrorBody::name())))
        .examples_from_iter(examples);
    let listed: Vec<String> = codes.iter().map(|code| format!("`{code}`")).collect();
    let category = crate::status_row(status).map_or("Error", |row| row.category);
    let mut builder = ResponseBuilder::new()
        .description(format!(
            "{} ({}). Error codes: {}.",
            escape_inline(category),
            status.as_u16(),
            listed.join(", ")
        ))
        .content(crate::CONTENT_TYPE_PROBLEM_JSON, content.build())
        .content(
            JSON_MEDIA_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                .build(),
        );
    for header in &headers::ALL {
        let carried = match header.codes() {
            None => true,
            Some(mut carriers) => carriers.any(|code| codes.contains(&code)),
        };
        if carried {
            builder = builder.header_ref(
                header.spelling,
                Ref::new(format!("#/components/headers/{}", header.spelling)),
            );
        }
    }
    builder.build()
}

impl Modify for Api {
    /// Gives each of the document's operations that this `Api` declares exactly the error
    /// responses of [`Api::codes`] (replacing any 4xx and 5xx responses it had) and an
    /// `x-error-codes` list of their wire strings. Operations it does not declare are left
    /// as they are (they have no `x-error-codes`, which a test of the document can require).
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in &mut openapi.paths.paths {
            let operations = [
                ("GET", &mut item.get),
                ("PUT", &mut item.put),
                ("POST", &mut item.post),
                ("DELETE", &mut item.delete),
                ("OPTIONS", &mut item.options),
                ("HEAD", &mut item.head),
                ("PATCH", &mut item.patch),
                ("TRACE", &mut item.trace),
            ];
            for (method, operation) in operations {
                let (Some(operation), Some(declared)) =
                    (operation.as_mut(), self.find(method, path))
                else {
                    continue;
                };
                apply(operation, &self.codes(declared));
            }
        }
    }
}

/// Replaces `operation`'s error responses with those of `codes` and lists them.
fn apply(operation: &mut PathOperation, codes: &[ErrorCode]) {
    let responses = &mut operation.responses.responses;
    responses.retain(|status, _| !is_error_status(status));
    responses.extend(responses_for(codes));
    let wire: Vec<&str> = codes.iter().map(|code| code.as_str()).collect();
    let list = serde_json::to_value(wire).expect("strings serialize");
    let extensions = operation
        .extensions
        .get_or_insert_with(|| ExtensionsBuilder::new().build());
    extensions.insert(X_ERROR_CODES.to_owned(), list);
}

/// Whether a response key is a 4xx or 5xx status (or range).
fn is_error_status(key: &str) -> bool {
    key.starts_with('4') || key.starts_with('5')
}
