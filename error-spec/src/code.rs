//! [`Code`]: an error code as an SDK reads it, known to this build or not.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ErrorCode;

/// The `error` field of a body as received: a known [`ErrorCode`], or a code this build
/// does not know yet, kept with its raw string. Either way a well-formed code: a string
/// outside the table's code grammar is not a `Code` (see [`Code::from_wire`]).
///
/// A server may add codes before an SDK is rebuilt; parsing must not fail on them. The
/// unknown string is deliberately not matchable as a pattern (smithy-rs RFC 0039): code
/// that matched `Unknown("quota_exceeded")` would silently stop matching the day
/// `quota_exceeded` became a known variant. Compare [`Code::as_str`] instead, which gives
/// the same answer before and after:
///
/// ```
/// use error_spec::{Code, ErrorCode};
///
/// let known: Code = serde_json::from_str(r#""not_found""#)?;
/// assert_eq!(known.known(), Some(ErrorCode::NotFound));
/// assert_eq!(known, ErrorCode::NotFound);
///
/// let future: Code = serde_json::from_str(r#""quota_exceeded""#)?;
/// assert_eq!(future.known(), None);
/// assert_eq!(future.as_str(), "quota_exceeded"); // still true once it is known
///
/// assert!(serde_json::from_str::<Code>(r#""not_found\u0000""#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Code(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Known(ErrorCode),
    Unknown(Box<str>),
}

impl Code {
    /// Reads a wire string: a code this build knows, a code it does not know yet, or `None`
    /// when `s` is not a code at all by the table's grammar
    /// ([`error_rules::text::check_code`]: lowercase snake_case ASCII that starts with a
    /// letter, at most [`error_rules::text::MAX_CODE_LEN`] bytes). No table can declare such a
    /// string, so it is never typed: a `Code` holds no control character, space, quote or
    /// other text that could forge a log line or a header.
    ///
    /// ```
    /// use error_spec::{Code, ErrorCode};
    ///
    /// assert_eq!(Code::from_wire("not_found"), Some(Code::from(ErrorCode::NotFound)));
    /// assert_eq!(Code::from_wire("quota_exceeded").map(|c| c.known()), Some(None));
    /// assert_eq!(Code::from_wire("not_found\nX-Injected: 1"), None);
    /// assert_eq!(Code::from_wire("Not_Found"), None);
    /// assert_eq!(Code::from_wire(&"a".repeat(64)), None);
    /// ```
    pub fn from_wire(s: &str) -> Option<Self> {
        match ErrorCode::from_wire(s) {
            Some(code) => Some(Code(Repr::Known(code))),
            None if error_rules::text::check_code(s).is_ok() => Some(Code(Repr::Unknown(s.into()))),
            None => None,
        }
    }

    /// The code, if this build knows it.
    pub fn known(&self) -> Option<ErrorCode> {
        match &self.0 {
            Repr::Known(code) => Some(*code),
            Repr::Unknown(_) => None,
        }
    }

    /// The wire string, known or not.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Known(code) => code.as_str(),
            Repr::Unknown(raw) => raw,
        }
    }
}

impl From<ErrorCode> for Code {
    fn from(code: ErrorCode) -> Self {
        Code(Repr::Known(code))
    }
}

impl PartialEq<ErrorCode> for Code {
    fn eq(&self, other: &ErrorCode) -> bool {
        self.known() == Some(*other)
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Known(code) => fmt::Debug::fmt(code, f),
            Repr::Unknown(raw) => f.debug_tuple("Unknown").field(raw).finish(),
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Code;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an error code string")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Code, E> {
                // The string itself is not repeated: it may be anything a server sent.
                Code::from_wire(v).ok_or_else(|| {
                    E::custom(
                        "not an error code: a code is lowercase snake_case ASCII of at most 63 bytes",
                    )
                })
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}
