//! The JSON error body a server sends: one object per error response, and the `error` of a
//! failed task.
//!
//! Built only by the server side, and only serialized: there is no `Deserialize`, so text
//! read from the wire can never be sent again as a body. An SDK reads bodies into
//! [`crate::sdk::ReceivedBody`] instead.

use serde::Serialize;

use crate::{Code, ErrorCode, JsonPointer, RequestId, UserMessage};

/// The body of every error response, and the `error` member of a failed async task
/// (`GET /tasks/{task_id}`). Clients branch on `error` alone; `message` is safe to show end
/// users. It is also a valid RFC 9457 problem object (`type`, `title`, `status`), and
/// readers ignore members they do not know.
//
// Plain prose above, without intra-doc links: it is also the schema's description in
// OpenAPI and schemars. Servers build the body with `ApiError::to_body`, which cannot put an
// internal cause in it. The `default` attributes are for the schemas (they mark the members
// a reader must not require); the type itself is never deserialized.
// The field docs below are the schema descriptions OpenAPI and schemars users see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// RFC 9457 `type`: the code's documentation URL, equal to `doc_url`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    type_url: Option<String>,
    /// RFC 9457 `title`: the code's short title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    /// RFC 9457 `status`: the HTTP status of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    /// The error code: the one member clients branch on.
    error: Code,
    /// Safe to show end users: no stack traces, no internal detail.
    message: UserMessage,
    /// The request's id, also sent as `X-Request-Id`; quote it on support tickets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    /// The run the request was about, when there is one; quote it on support tickets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    run_id: Option<String>,
    /// The async task the request was about, when there is one; quote it on support tickets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    task_id: Option<String>,
    /// The link to this code's section of the error reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    doc_url: Option<String>,
    /// Seconds to wait before retrying, for codes that ask for a wait; equal to `Retry-After`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry_after: Option<u32>,
    /// The field problems, for `invalid_request` and `validation_error`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
}

/// One problem with one field of the request, for `invalid_request` and `validation_error`.
//
// The field's name, which the client chose, is only ever in `pointer`, escaped as RFC 6901
// says; `message` is user-safe text about the problem. A plain comment, because the doc
// comment is the schema's description.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FieldError {
    /// Where the problem is, e.g. `/inputs/0/url`.
    pub pointer: JsonPointer,
    /// What is wrong there, safe to show the user.
    pub message: UserMessage,
}

/// The parts of a body that come from the server's request rather than from the error.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyParts<'a> {
    pub(crate) code: ErrorCode,
    pub(crate) message: &'a UserMessage,
    pub(crate) request_id: &'a str,
    pub(crate) run_id: Option<&'a str>,
    pub(crate) task_id: Option<&'a str>,
    pub(crate) doc_base: &'a str,
    pub(crate) retry_after: Option<u32>,
    pub(crate) errors: &'a [FieldError],
}

/// Whether an id may be put in a body: the rule every id on the wire follows.
fn safe(id: &str) -> bool {
    RequestId::is_safe(id.as_bytes())
}

/// The body borrowed from its parts, for the server's hot path: the same members in the same
/// order with the same rules as [`ErrorBody`]'s derive, written without owning a copy of any
/// of them (`tests/response.rs` checks both write the same bytes).
#[derive(Serialize)]
struct BodyRef<'a> {
    #[serde(rename = "type")]
    type_url: DocUrl<'a>,
    title: &'static str,
    status: u16,
    error: &'static str,
    message: &'a UserMessage,
    request_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    run_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    task_id: Option<&'a str>,
    doc_url: DocUrl<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after: Option<u32>,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    errors: &'a [FieldError],
}

/// `base#anchor`, written straight into the output.
#[derive(Clone, Copy)]
struct DocUrl<'a> {
    base: &'a str,
    anchor: &'static str,
}

impl Serialize for DocUrl<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{}#{}", self.base, self.anchor))
    }
}

impl BodyParts<'_> {
    /// The body's JSON bytes, as `ErrorBody::from_parts(self).to_json()` writes them.
    pub(crate) fn to_json(self) -> Vec<u8> {
        let doc_url = DocUrl {
            base: self.doc_base,
            anchor: self.code.anchor(),
        };
        let body = BodyRef {
            type_url: doc_url,
            title: self.code.title(),
            status: self.code.status().as_u16(),
            error: self.code.as_str(),
            message: self.message,
            request_id: self.request_id,
            run_id: self.run_id.filter(|id| safe(id)),
            task_id: self.task_id.filter(|id| safe(id)),
            doc_url,
            retry_after: self.retry_after,
            errors: self.errors,
        };
        // Room for the fixed members and the texts, so the buffer grows once at most.
        let mut out = Vec::with_capacity(
            256 + 2 * self.doc_base.len() + self.message.as_str().len() + 64 * self.errors.len(),
        );
        // Only strings, integers and sequences of them: writing to memory cannot fail.
        serde_json::to_writer(&mut out, &body).expect("an error body always serializes");
        out
    }
}

impl ErrorBody {
    pub(crate) fn from_parts(parts: BodyParts<'_>) -> Self {
        let doc_url = parts.code.doc_url(parts.doc_base);
        ErrorBody {
            type_url: Some(doc_url.clone()),
            title: Some(parts.code.title().to_owned()),
            status: Some(parts.code.status().as_u16()),
            error: parts.code.into(),
            message: parts.message.clone(),
            request_id: Some(parts.request_id.to_owned()),
            // Handlers often name the run or task from the request's own path, so an id that
            // could carry markup or forge a log line is left out rather than reflected.
            run_id: parts.run_id.filter(|id| safe(id)).map(str::to_owned),
            task_id: parts.task_id.filter(|id| safe(id)).map(str::to_owned),
            doc_url: Some(doc_url),
            retry_after: parts.retry_after,
            errors: parts.errors.to_vec(),
        }
    }

    /// The code, the member clients branch on.
    pub fn error(&self) -> &Code {
        &self.error
    }

    /// The message, safe to show an end user.
    pub fn message(&self) -> &UserMessage {
        &self.message
    }

    /// The request's id, as in `X-Request-Id`; quote it on support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The run's id, when the request belongs to a run.
    pub fn run_id(&self) -> Option<&str> {
        self.run_id.as_deref()
    }

    /// The async task's id, when the request belongs to a task.
    pub fn task_id(&self) -> Option<&str> {
        self.task_id.as_deref()
    }

    /// The link to this code's section of the error reference.
    pub fn doc_url(&self) -> Option<&str> {
        self.doc_url.as_deref()
    }

    /// RFC 9457 `type`: the same link as [`Self::doc_url`].
    pub fn type_url(&self) -> Option<&str> {
        self.type_url.as_deref()
    }

    /// RFC 9457 `title`: the code's title.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// RFC 9457 `status`: the HTTP status the body was sent with.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Seconds to wait before retrying, where the code's retry class uses it.
    pub fn retry_after(&self) -> Option<u32> {
        self.retry_after
    }

    /// The field problems, for `invalid_request` and `validation_error`.
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// The body as compact JSON bytes.
    pub fn to_json(&self) -> Vec<u8> {
        // Only strings, integers and sequences of them: serializing to memory cannot fail.
        serde_json::to_vec(self).expect("an error body always serializes")
    }
}

impl ErrorCode {
    /// The link to this code's section of the generated reference: `base` (the server's
    /// configured docs URL, e.g. `https://docs.example.com/errors`) and the code's anchor.
    pub fn doc_url(self, base: &str) -> String {
        format!("{base}#{}", self.anchor())
    }

    /// The stable anchor of this code's section in `docs/errors.md`: the wire string.
    pub const fn anchor(self) -> &'static str {
        self.as_str()
    }
}
