//! One reusable response per error status, and [`StatusResponse`] to reference one by type.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use error_spec::error_rules::markdown::escape_inline;
use error_spec::headers;
use error_spec::{ApiError, ErrorBody, ErrorCode, RequestId, STATUS_TABLE, error_statuses};
use http::StatusCode;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{ToResponse, ToSchema};

/// The media type of every error body.
const MEDIA_TYPE: &str = error_spec::CONTENT_TYPE_PROBLEM_JSON;

/// Listed beside [`MEDIA_TYPE`] with the same schema: generators that type only
/// `application/json` bodies (progenitor) would otherwise hand every error over as raw bytes.
/// Servers send `application/problem+json` whatever the request accepts: the body is JSON
/// either way, and `application/json` readers parse it as it is.
const JSON_MEDIA_TYPE: &str = "application/json";

/// The request id of the example bodies, fixed so the document is the same on every run;
/// the reference docs use it too.
pub const EXAMPLE_REQUEST_ID: &str = "req_3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60";

/// The responses, keyed by [`response_name`].
pub(crate) fn responses() -> BTreeMap<String, RefOr<Response>> {
    error_statuses()
        .filter_map(|status| {
            Some((
                response_name(status.as_u16())?.to_owned(),
                response(status).into(),
            ))
        })
        .collect()
}

/// The response for one error status: its codes, one example body each, and a reference to
/// each header the responses of its codes carry.
fn response(status: StatusCode) -> Response {
    let codes: Vec<ErrorCode> = error_spec::codes_for_status(status).collect();
    let request_id = RequestId::parse(EXAMPLE_REQUEST_ID).expect("the example id is valid");
    let examples = codes.iter().map(|&code| {
        let body = ApiError::new(code).to_body(&request_id, error_spec::DEFAULT_DOC_BASE);
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
    let mut builder = ResponseBuilder::new()
        .description(format!(
            "{} ({}). Error codes: {}.",
            escape_inline(status_category(status)),
            status.as_u16(),
            listed.join(", ")
        ))
        .content(MEDIA_TYPE, content.build())
        .content(
            JSON_MEDIA_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                .build(),
        );
    for header in &headers::ALL {
        if header.carried_on_status(status) {
            builder = builder.header_ref(
                header.spelling,
                Ref::new(format!("#/components/headers/{}", header.spelling)),
            );
        }
    }
    builder.build()
}

/// The status table's category of `status`, e.g. `Rate limited`.
fn status_category(status: StatusCode) -> &'static str {
    error_spec::status_row(status).map_or("Error", |row| row.category)
}

/// The component name of the response for `status`: its category in the status table in
/// PascalCase (`BadRequest`, `RateLimited`), or `None` if no error code uses the status.
pub fn response_name(status: u16) -> Option<&'static str> {
    // Names are made once from the status table; utoipa wants `&'static str`.
    static NAMES: OnceLock<Vec<(u16, &'static str)>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        STATUS_TABLE
            .iter()
            .filter(|row| row.codes().next().is_some())
            .map(|row| {
                let name: String = row
                    .category
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|word| !word.is_empty())
                    .map(|word| word[..1].to_ascii_uppercase() + &word[1..])
                    .collect();
                (row.status.as_u16(), &*Box::leak(name.into_boxed_str()))
            })
            .collect()
    });
    names
        .iter()
        .find(|(code, _)| *code == status)
        .map(|(_, name)| *name)
}

/// Whether some code of the table is sent with `status`; checked at compile time for
/// [`StatusResponse`].
const fn is_error_status(status: u16) -> bool {
    let mut i = 0;
    while i < ErrorCode::ALL.len() {
        if ErrorCode::ALL[i].status().as_u16() == status {
            return true;
        }
        i += 1;
    }
    false
}

/// The reusable response for an error status, to reference from
/// `#[utoipa::path(responses((status = 429, response = error_spec_openapi::StatusResponse<429>)))]`
/// without typing its component name. A status no code uses is a compile error:
///
/// ```
/// use utoipa::ToResponse;
///
/// let (name, _) = <error_spec_openapi::StatusResponse<429> as ToResponse>::response();
/// assert_eq!(name, "RateLimited");
/// ```
///
/// ```compile_fail
/// use utoipa::ToResponse;
///
/// // No code of the table is sent with 418.
/// let _ = <error_spec_openapi::StatusResponse<418> as ToResponse>::response();
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct StatusResponse<const STATUS: u16>;

impl<const STATUS: u16> StatusResponse<STATUS> {
    /// Evaluated when the type is used: rejects a status no code of the table is sent with.
    const CHECKED: () = assert!(
        is_error_status(STATUS),
        "no error code of the table is sent with this status"
    );
}

impl<'r, const STATUS: u16> ToResponse<'r> for StatusResponse<STATUS> {
    fn response() -> (&'r str, RefOr<Response>) {
        #[allow(
            clippy::let_unit_value,
            reason = "forces the compile-time status check"
        )]
        let () = Self::CHECKED;
        let status = StatusCode::from_u16(STATUS).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            response_name(STATUS).unwrap_or("Error"),
            response(status).into(),
        )
    }
}
