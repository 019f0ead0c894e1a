//! The HTTP status table: every status the API answers with, including success and redirect.

use http::StatusCode;

use crate::ErrorCode;

/// One row of the status table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatusRow {
    /// The status.
    pub status: StatusCode,
    /// What the reference calls it in its "Category" column, e.g. `Bad request`.
    pub category: &'static str,
    /// When the API typically answers with it.
    pub typical: &'static str,
}

impl StatusRow {
    const fn new(status: u16, category: &'static str, typical: &'static str) -> Self {
        StatusRow {
            status: status_from_number(status),
            category,
            typical,
        }
    }

    /// The error codes sent with this status, in table order (none for 2xx and 3xx).
    pub fn codes(&self) -> impl Iterator<Item = ErrorCode> + use<> {
        codes_for_status(self.status)
    }
}

/// A status from its number, for constant tables; the macro (or this file) has already
/// checked the range. Generated code reaches it as `__private::status`.
pub const fn status_from_number(code: u16) -> StatusCode {
    match StatusCode::from_u16(code) {
        Ok(status) => status,
        Err(_) => panic!("status out of range 100-999"),
    }
}

/// Every status the API answers with, in ascending order.
pub const STATUS_TABLE: &[StatusRow; 20] = &[
    StatusRow::new(200, "Success", "Sync result returned"),
    StatusRow::new(
        201,
        "Resource created",
        "File uploaded, key minted, webhook subscribed",
    ),
    StatusRow::new(202, "Accepted (async)", "Task queued; poll /tasks/{id}"),
    StatusRow::new(204, "No content", "Image/key/webhook deleted"),
    StatusRow::new(302, "Redirect", "GET /runs/{id}/download"),
    StatusRow::new(400, "Bad request", "Validation or preflight error"),
    StatusRow::new(401, "Unauthorized", "Bad / missing API key"),
    StatusRow::new(402, "Payment required", "Out of credits"),
    StatusRow::new(403, "Forbidden", "Key valid but not permitted"),
    StatusRow::new(
        404,
        "Not found",
        "Run / file / image doesn’t exist or belongs to another org",
    ),
    StatusRow::new(
        408,
        "Timeout",
        "Sync ceiling exceeded; response tells you to retry async",
    ),
    StatusRow::new(409, "Conflict", "Idempotency collision or invalid state"),
    StatusRow::new(410, "Gone", "Resource existed but was deleted / expired"),
    StatusRow::new(413, "Payload too large", "Upload exceeds tier limit"),
    StatusRow::new(
        422,
        "Validation",
        "Field-level rejection on the request body",
    ),
    StatusRow::new(429, "Rate limited", "See Retry-After header"),
    StatusRow::new(500, "Server error", "Our bug. Gets paged."),
    StatusRow::new(
        501,
        "Not implemented",
        "Endpoint exists but feature isn’t live yet",
    ),
    StatusRow::new(
        502,
        "Upstream error",
        "A dependency we rely on (model provider, storage, or rendering pipeline) failed",
    ),
    StatusRow::new(
        503,
        "Service unavailable",
        "Capacity exhausted or maintenance",
    ),
];

/// The status table's row for `status`, if the API uses that status.
pub fn status_row(status: StatusCode) -> Option<&'static StatusRow> {
    STATUS_TABLE.iter().find(|row| row.status == status)
}

/// The error statuses, ascending, each once: the statuses that carry an error body.
pub fn error_statuses() -> impl Iterator<Item = StatusCode> {
    STATUS_TABLE
        .iter()
        .map(|row| row.status)
        .filter(|status| codes_for_status(*status).next().is_some())
}

/// The error codes sent with `status`, in table order; none for a status no code uses.
///
/// The one place that answers "which codes does this status carry": the OpenAPI responses,
/// the docs, the contract snapshot and the axum fallback for foreign errors all ask it.
pub fn codes_for_status(status: StatusCode) -> impl Iterator<Item = ErrorCode> {
    ErrorCode::ALL
        .iter()
        .copied()
        .filter(move |code| code.status() == status)
}
