//! The `message` of an error body: text that is safe to show an end user.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::ErrorCode;

/// Text that may be shown to an end user: no stack trace, no path, no internal detail.
///
/// It can only be made from the table's default message for a code, or through
/// [`UserMessage::user_safe`], whose name is the reviewable promise that the text was
/// written for users. There is deliberately no `From<String>`, no `From<&str>` and no
/// conversion from any error type, so `err.to_string()` cannot slip into a response body
/// by accident: an internal cause goes to [`crate::ApiError::with_source`], which never
/// reaches the body. Nor is there a `Deserialize` or a `FromStr`: text read from the wire
/// (an SDK's [`crate::sdk::ReceivedMessage`]) cannot become a server's message either.
/// `tests/ui/safety/` holds one compile-fail case per door that stays shut.
///
/// ```
/// use error_spec::{ErrorCode, UserMessage};
///
/// let default = UserMessage::default_for(ErrorCode::NotFound);
/// assert_eq!(default.as_str(), ErrorCode::NotFound.message());
/// let custom = UserMessage::user_safe("The webhook was deleted by another member of your org.");
/// assert!(custom.as_str().starts_with("The webhook"));
/// ```
///
/// ```compile_fail
/// # use error_spec::UserMessage;
/// let io = std::io::Error::other("/srv/app/secrets.toml: permission denied");
/// let leaked: UserMessage = io.to_string().into(); // no such conversion
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct UserMessage(Cow<'static, str>);

impl UserMessage {
    /// The table's default message for `code`.
    pub const fn default_for(code: ErrorCode) -> Self {
        UserMessage(Cow::Borrowed(code.message()))
    }

    /// Text written for end users. Never pass it an error's `Display`, a path, or anything
    /// a user did not type; attach those with [`crate::ApiError::with_source`] instead.
    pub fn user_safe(text: impl Into<Cow<'static, str>>) -> Self {
        UserMessage(text.into())
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for UserMessage {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
