//! [`Caller`]: the organization behind a valid key. A leaf: the store builds it from a key,
//! `auth` extracts it from a request, and the handlers read it.

use error_spec::{ApiError, ErrorCode, Tier, UserMessage};

/// The organization behind a valid key, for handlers.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// The organization's id; every resource belongs to one.
    pub(crate) org: String,
    /// The organization's tier.
    pub(crate) tier: &'static Tier,
    /// Whether the organization is suspended.
    pub(crate) suspended: bool,
}

impl Caller {
    /// `forbidden` when the organization is suspended; reads stay allowed so that a
    /// suspended organization can still see its status on `GET /verify`.
    pub(crate) fn ensure_active(&self) -> Result<(), ApiError> {
        if self.suspended {
            return Err(
                ApiError::new(ErrorCode::Forbidden).with_message(UserMessage::user_safe(
                    "Your organization is suspended; see its status on GET /verify.",
                )),
            );
        }
        Ok(())
    }
}
