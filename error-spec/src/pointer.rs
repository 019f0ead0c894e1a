//! RFC 6901 JSON Pointers, which name the field a validation problem is about.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A JSON Pointer (RFC 6901) such as `/inputs/0/url`, always well-formed.
///
/// Tokens are escaped as the RFC says, `~` as `~0` and `/` as `~1`:
///
/// ```
/// use error_spec::JsonPointer;
///
/// let pointer = JsonPointer::root().push("inputs").push_index(0).push("a/b~c");
/// assert_eq!(pointer.as_str(), "/inputs/0/a~1b~0c");
/// assert_eq!(pointer.tokens().collect::<Vec<_>>(), ["inputs", "0", "a/b~c"]);
/// assert_eq!(JsonPointer::parse("/inputs/0/a~1b~0c"), Ok(pointer));
/// assert!(JsonPointer::parse("inputs").is_err());
/// assert!(JsonPointer::parse("/a~2").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct JsonPointer(String);

/// A string that is not a JSON Pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointerError {
    reason: &'static str,
}

impl fmt::Display for PointerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON pointer: {}", self.reason)
    }
}

impl std::error::Error for PointerError {}

impl JsonPointer {
    /// The pointer to the whole document, `""`.
    pub const fn root() -> Self {
        JsonPointer(String::new())
    }

    /// This pointer extended by one object key, escaped.
    #[must_use]
    pub fn push(mut self, token: &str) -> Self {
        self.0.reserve(token.len() + 1);
        self.0.push('/');
        for c in token.chars() {
            match c {
                '~' => self.0.push_str("~0"),
                '/' => self.0.push_str("~1"),
                c => self.0.push(c),
            }
        }
        self
    }

    /// This pointer extended by one array index.
    #[must_use]
    pub fn push_index(mut self, index: usize) -> Self {
        use fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = write!(self.0, "/{index}");
        self
    }

    /// Checks and wraps an encoded pointer.
    pub fn parse(encoded: &str) -> Result<Self, PointerError> {
        if !encoded.is_empty() && !encoded.starts_with('/') {
            return Err(PointerError {
                reason: "it must be empty or start with `/`",
            });
        }
        let mut bytes = encoded.bytes();
        while let Some(b) = bytes.next() {
            if b == b'~' && !matches!(bytes.next(), Some(b'0' | b'1')) {
                return Err(PointerError {
                    reason: "`~` must be followed by `0` or `1`",
                });
            }
        }
        Ok(JsonPointer(encoded.to_owned()))
    }

    /// The encoded pointer.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped reference tokens, in order.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for JsonPointer {
    type Err = PointerError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        JsonPointer::parse(s)
    }
}

impl<'de> Deserialize<'de> for JsonPointer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let encoded = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        JsonPointer::parse(&encoded).map_err(serde::de::Error::custom)
    }
}
