//! The headers the contract defines, declared once for servers, SDKs and docs.

use http::HeaderName;

/// Identifies one request; on every response, and quoted on support tickets.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Seconds to wait before retrying; on `rate_limit_exceeded` and `service_unavailable`.
pub const RETRY_AFTER: HeaderName = http::header::RETRY_AFTER;
/// The key's request quota per window.
pub const X_RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
/// Requests left in the current window.
pub const X_RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
/// Seconds until the current window resets.
pub const X_RATELIMIT_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
/// The quota policies of the key, draft-ietf-httpapi-ratelimit-headers-09:
/// `"pro";q=60;w=60`.
pub const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
/// The key's current service limit, draft-ietf-httpapi-ratelimit-headers-09:
/// `"pro";r=42;t=17`.
pub const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");

/// One header of the contract, as the docs, OpenAPI and `docs/contract.json` describe it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HeaderSpec {
    /// The header's name.
    pub name: HeaderName,
    /// The name as the docs write it, e.g. `X-RateLimit-Limit`; HTTP names are
    /// case-insensitive and [`HeaderName`] keeps them lowercase.
    pub spelling: &'static str,
    /// What it carries, in one sentence for the docs.
    pub description: &'static str,
    /// Which responses carry it.
    pub scope: Scope,
    /// What its value is.
    pub value: ValueType,
}

/// The type of a header's value, as OpenAPI declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// A non-negative integer, e.g. seconds or a count.
    Integer,
    /// Any other string.
    String,
}

/// Which responses carry a header.
///
/// Exhaustive on purpose: a new scope must be handled by every generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every response, success or error.
    EveryResponse,
    /// The error responses whose code's retry class tells the client to wait a given time:
    /// those for which [`crate::ApiError::retry_after`] is `Some`.
    RetryAfter,
}

impl Scope {
    /// Whether an error response with `code` carries the header.
    pub fn carried_with(self, code: crate::ErrorCode) -> bool {
        match self {
            Scope::EveryResponse => true,
            Scope::RetryAfter => code.retry().sends_retry_after(),
        }
    }
}

impl HeaderSpec {
    /// The codes whose error responses carry the header, in table order, or `None` when
    /// every response (success included) carries it.
    pub fn codes(&self) -> Option<impl Iterator<Item = crate::ErrorCode> + use<>> {
        let scope = self.scope;
        match scope {
            Scope::EveryResponse => None,
            Scope::RetryAfter => Some(
                crate::ErrorCode::ALL
                    .iter()
                    .copied()
                    .filter(move |&code| scope.carried_with(code)),
            ),
        }
    }

    /// Whether some response with `status` carries the header: the one answer the OpenAPI
    /// responses, the docs and the contract snapshot give.
    pub fn carried_on_status(&self, status: http::StatusCode) -> bool {
        match self.codes() {
            None => true,
            Some(mut codes) => codes.any(|code| code.status() == status),
        }
    }
}

/// Every header of the contract, in the order the docs list them.
// A static, not a const: `HeaderName` may hold shared bytes, which a const cannot borrow.
pub static ALL: [HeaderSpec; 7] = [
    HeaderSpec {
        name: X_REQUEST_ID,
        spelling: "X-Request-Id",
        description: "Identifies the request; the server echoes a short visible-ASCII id the \
                      client sent, else mints one. Quote it on support tickets.",
        value: ValueType::String,
        scope: Scope::EveryResponse,
    },
    HeaderSpec {
        name: RETRY_AFTER,
        spelling: "Retry-After",
        description: "Seconds to wait before retrying the same request.",
        value: ValueType::Integer,
        scope: Scope::RetryAfter,
    },
    HeaderSpec {
        name: X_RATELIMIT_LIMIT,
        spelling: "X-RateLimit-Limit",
        description: "Requests per minute the key's tier allows.",
        value: ValueType::Integer,
        scope: Scope::EveryResponse,
    },
    HeaderSpec {
        name: X_RATELIMIT_REMAINING,
        spelling: "X-RateLimit-Remaining",
        description: "Requests left in the current one-minute window.",
        value: ValueType::Integer,
        scope: Scope::EveryResponse,
    },
    HeaderSpec {
        name: X_RATELIMIT_RESET,
        spelling: "X-RateLimit-Reset",
        description: "Seconds until the current window resets.",
        value: ValueType::Integer,
        scope: Scope::EveryResponse,
    },
    HeaderSpec {
        name: RATELIMIT_POLICY,
        spelling: "RateLimit-Policy",
        description: "The key's quota policy, per draft-ietf-httpapi-ratelimit-headers-09: \
                      `\"pro\";q=60;w=60` is 60 requests per 60-second window.",
        value: ValueType::String,
        scope: Scope::EveryResponse,
    },
    HeaderSpec {
        name: RATELIMIT,
        spelling: "RateLimit",
        description: "The key's current limit, per draft-ietf-httpapi-ratelimit-headers-09: \
                      `\"pro\";r=42;t=17` is 42 requests left, resetting in 17 seconds.",
        value: ValueType::String,
        scope: Scope::EveryResponse,
    },
];

/// The contract's description of the header `name`, if the contract defines it.
pub fn spec(name: &HeaderName) -> Option<&'static HeaderSpec> {
    ALL.iter().find(|header| header.name == name)
}

#[cfg(test)]
mod tests {
    /// The docs' spelling names the same header as the wire name.
    #[test]
    fn spelling_matches_name() {
        for header in &super::ALL {
            assert!(
                header.spelling.eq_ignore_ascii_case(header.name.as_str()),
                "{} is spelled {}",
                header.name,
                header.spelling
            );
        }
    }
}
