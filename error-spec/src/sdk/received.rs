//! What an SDK reads from an error body: [`ReceivedBody`] and the types it holds.
//!
//! They are the SDK's own types, apart from the server's [`crate::ErrorBody`] and
//! [`crate::UserMessage`] on purpose: text read from the wire is whatever a server, a proxy
//! or an attacker sent, so nothing here converts into a type a server puts in its bodies.

use std::fmt;

use super::escape::write_escaped;
use crate::{Code, JsonPointer};

/// A `message` (of the body, or of a field problem) as received: the server's text, which
/// is meant for end users, but arrived over the wire and is not checked.
///
/// [`ReceivedMessage::as_str`] is the text as sent (invalid UTF-8 replaced by U+FFFD);
/// `Display` prints it on one line, control characters, line separators and bidirectional
/// overrides escaped, so it is safe to log. There is no conversion into
/// [`crate::UserMessage`]: a received message cannot become a server's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReceivedMessage(String);

impl ReceivedMessage {
    pub(crate) fn new(text: String) -> Self {
        ReceivedMessage(text)
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as received, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for ReceivedMessage {
    /// The text on one line, with what could forge or disguise a log line escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, &self.0, usize::MAX, false)
    }
}

/// One problem with one field, as received in the body's `errors`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReceivedFieldError {
    pointer: JsonPointer,
    message: ReceivedMessage,
}

impl ReceivedFieldError {
    pub(crate) fn new(pointer: JsonPointer, message: ReceivedMessage) -> Self {
        ReceivedFieldError { pointer, message }
    }

    /// Where the problem is, e.g. `/inputs/0/url`.
    pub fn pointer(&self) -> &JsonPointer {
        &self.pointer
    }

    /// What is wrong there, as the server said it.
    pub fn message(&self) -> &ReceivedMessage {
        &self.message
    }
}

/// An optional member of the body, as [`ReceivedBody::dropped`] names the ones it left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Member {
    /// `type`.
    Type,
    /// `title`.
    Title,
    /// `status`.
    Status,
    /// `message`.
    Message,
    /// `request_id`.
    RequestId,
    /// `run_id`.
    RunId,
    /// `task_id`.
    TaskId,
    /// `doc_url`.
    DocUrl,
    /// `retry_after`.
    RetryAfter,
    /// `errors`, or one of its items.
    Errors,
}

impl Member {
    /// Every member, in the body's order.
    pub const ALL: [Member; 10] = [
        Member::Type,
        Member::Title,
        Member::Status,
        Member::Message,
        Member::RequestId,
        Member::RunId,
        Member::TaskId,
        Member::DocUrl,
        Member::RetryAfter,
        Member::Errors,
    ];

    /// The member's name in the JSON body.
    pub const fn as_str(self) -> &'static str {
        match self {
            Member::Type => "type",
            Member::Title => "title",
            Member::Status => "status",
            Member::Message => "message",
            Member::RequestId => "request_id",
            Member::RunId => "run_id",
            Member::TaskId => "task_id",
            Member::DocUrl => "doc_url",
            Member::RetryAfter => "retry_after",
            Member::Errors => "errors",
        }
    }

    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

impl fmt::Display for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The optional members a body had but that were left out because they were of the wrong
/// type, out of range, or (for ids) unsafe to log: a set of [`Member`]s, for logs.
///
/// ```
/// use error_spec::sdk::{Member, ReceivedBody};
///
/// let body = ReceivedBody::from_slice(br#"{"error":"gone","retry_after":-1,"errors":null}"#)?;
/// assert_eq!(body.dropped().iter().collect::<Vec<_>>(), [Member::RetryAfter, Member::Errors]);
/// assert_eq!(body.dropped().to_string(), "retry_after, errors");
/// # Ok::<(), error_spec::UnexpectedReason>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DroppedMembers(u16);

impl DroppedMembers {
    pub(crate) fn insert(&mut self, member: Member) {
        self.0 |= member.bit();
    }

    /// Whether `member` was dropped.
    pub fn contains(self, member: Member) -> bool {
        self.0 & member.bit() != 0
    }

    /// Whether every member the body had was kept.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many members were dropped.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The dropped members, in the body's order.
    pub fn iter(self) -> impl Iterator<Item = Member> {
        Member::ALL
            .into_iter()
            .filter(move |member| self.contains(*member))
    }
}

impl fmt::Display for DroppedMembers {
    /// The members' names, comma-separated.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, member) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(member.as_str())?;
        }
        Ok(())
    }
}

/// An error body as an SDK reads it: leniently, so that the code survives whatever else is
/// wrong.
///
/// Any JSON object whose `error` is a code (a string in the table's code grammar, see
/// [`Code::from_wire`]) is a body. Every other member is optional and
/// read on its own: one that is of the wrong type or out of range (a `status` outside
/// 400-599, a negative or fractional `retry_after`, `errors` that is not an array, an item
/// of it without a valid `pointer` and a string `message`) is left out and named in
/// [`ReceivedBody::dropped`]; so are ids (`request_id`, `run_id`, `task_id`) that
/// [`crate::RequestId::is_safe`] refuses, so no id read here can forge a log line. Unknown
/// members are ignored; a repeated member keeps its last readable value; a leading UTF-8
/// byte-order mark is skipped; invalid UTF-8 in a text becomes U+FFFD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedBody {
    pub(crate) type_url: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) status: Option<u16>,
    pub(crate) error: Code,
    pub(crate) message: Option<ReceivedMessage>,
    pub(crate) request_id: Option<String>,
    pub(crate) run_id: Option<String>,
    pub(crate) task_id: Option<String>,
    pub(crate) doc_url: Option<String>,
    pub(crate) retry_after: Option<u32>,
    pub(crate) errors: Vec<ReceivedFieldError>,
    pub(crate) dropped: DroppedMembers,
}

impl ReceivedBody {
    /// The code, the member clients branch on.
    pub fn error(&self) -> &Code {
        &self.error
    }

    /// The message, if the body had a string one.
    pub fn message(&self) -> Option<&ReceivedMessage> {
        self.message.as_ref()
    }

    /// The request's id, if the body had a safe one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The run's id, if the body had a safe one.
    pub fn run_id(&self) -> Option<&str> {
        self.run_id.as_deref()
    }

    /// The async task's id, if the body had a safe one.
    pub fn task_id(&self) -> Option<&str> {
        self.task_id.as_deref()
    }

    /// The link to this code's section of the error reference.
    pub fn doc_url(&self) -> Option<&str> {
        self.doc_url.as_deref()
    }

    /// RFC 9457 `type`.
    pub fn type_url(&self) -> Option<&str> {
        self.type_url.as_deref()
    }

    /// RFC 9457 `title`.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// RFC 9457 `status`, if it was an error status (400-599).
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Seconds to wait before retrying, if the body had a whole number of them that fits a
    /// `u32`.
    pub fn retry_after(&self) -> Option<u32> {
        self.retry_after
    }

    /// The field problems that were readable.
    pub fn errors(&self) -> &[ReceivedFieldError] {
        &self.errors
    }

    /// The members that were present but left out, for logs.
    pub fn dropped(&self) -> DroppedMembers {
        self.dropped
    }
}
