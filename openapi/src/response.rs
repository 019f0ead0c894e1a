//! One reusable response per error status, and [`StatusResponse`] to reference one by type.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use error_spec::{ErrorCode, STATUS_TABLE, error_statuses};
use http::StatusCode;
use utoipa::ToResponse;
use utoipa::openapi::{RefOr, Response};

/// The request id of the example bodies, fixed so the document is the same on every run;
/// the reference docs use it too.
pub use error_spec::operation::EXAMPLE_REQUEST_ID;

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
    error_spec::operation::status_response(status, &codes)
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
