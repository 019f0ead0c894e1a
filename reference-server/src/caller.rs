//! [`Caller`]: the organization behind a valid key. A leaf: the store builds it from a key,
//! `auth` extracts it from a request, and the handlers read it.

use error_spec::Tier;

/// The organization behind a valid key, for handlers.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// The organization's id; every resource belongs to one.
    pub(crate) org: String,
    /// The organization's tier.
    pub(crate) tier: &'static Tier,
    /// Whether the organization is suspended.
    pub(crate) suspended: bool,
    /// Whether the organization's record cannot be read.
    pub(crate) corrupt: bool,
}

impl Caller {
    /// [`Suspended`] when the organization is suspended; reads stay allowed so that a
    /// suspended organization can still see its status on `GET /verify`.
    pub(crate) fn ensure_active(&self) -> Result<(), Suspended> {
        if self.suspended {
            return Err(Suspended);
        }
        Ok(())
    }
}

/// The caller's organization is suspended: `forbidden` for every operation that writes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Suspended;

/// `Suspended` as the `forbidden` each writing operation declares; each impl calls the
/// operation's own constructor, so an operation that stopped declaring `forbidden` would
/// not compile.
macro_rules! from_suspended {
    ($($ty:ty),*) => {$(
        impl From<$crate::caller::Suspended> for $ty {
            fn from(_: $crate::caller::Suspended) -> Self {
                <$ty>::forbidden().with_message(::error_spec::UserMessage::user_safe(
                    "Your organization is suspended; see its status on GET /verify.",
                ))
            }
        }
    )*};
}
pub(crate) use from_suspended;
