//! A valid table outside `error-spec` compiles, and its generated API answers from the rows.

use std::str::FromStr;

#[error_spec::error_table(version = "2.1.0", categories(Auth, RateLimits))]
#[derive(Default)]
pub enum ApiCode {
    #[error(
        code = "bad_key",
        status = 401,
        category = Auth,
        title = "Bad key",
        message = "The API key is bad.",
        when = "Key missing or revoked",
        remedy = "Send a valid key",
        retry = never,
    )]
    #[default]
    BadKey,

    #[error(
        code = "slow_down",
        status = 429,
        category = RateLimits,
        title = "Slow down",
        message = "Too many requests.",
        when = "Over the limit",
        remedy = "Wait for Retry-After",
        retry = retry_after,
        deprecated = "Use the tier headers instead",
    )]
    SlowDown,
}

fn main() {
    assert_eq!(ApiCode::COUNT, 2);
    assert_eq!(ApiCode::ALL, &[ApiCode::BadKey, ApiCode::SlowDown]);
    assert_eq!(ApiCode::CONTRACT_VERSION, "2.1.0");
    assert_eq!(ApiCode::default(), ApiCode::BadKey);

    assert_eq!(ApiCode::BadKey.as_str(), "bad_key");
    assert_eq!(ApiCode::from_str("slow_down"), Ok(ApiCode::SlowDown));
    assert_eq!(ApiCode::SlowDown.to_string(), "slow_down");
    let err = ApiCode::from_str("Slow_Down").unwrap_err();
    assert_eq!(err.to_string(), "unknown error code `Slow_Down`");

    assert_eq!(ApiCode::BadKey.status(), http::StatusCode::UNAUTHORIZED);
    assert_eq!(ApiCode::SlowDown.status().as_u16(), 429);
    assert_eq!(ApiCode::BadKey.category(), Category::Auth);
    assert_eq!(ApiCode::SlowDown.category(), Category::RateLimits);
    assert_eq!(Category::RateLimits.as_str(), "rate_limits");
    assert_eq!(Category::RateLimits.name(), "RateLimits");
    assert_eq!(Category::Auth.codes().collect::<Vec<_>>(), [ApiCode::BadKey]);

    assert_eq!(ApiCode::BadKey.title(), "Bad key");
    assert_eq!(ApiCode::BadKey.message(), "The API key is bad.");
    assert_eq!(ApiCode::BadKey.when(), "Key missing or revoked");
    assert_eq!(ApiCode::BadKey.remedy(), "Send a valid key");
    assert_eq!(ApiCode::BadKey.retry(), error_spec::RetryClass::Never);
    assert_eq!(ApiCode::SlowDown.retry(), error_spec::RetryClass::RetryAfter);
    assert_eq!(ApiCode::BadKey.deprecated(), None);
    assert_eq!(ApiCode::SlowDown.deprecated(), Some("Use the tier headers instead"));
    assert_eq!(ApiCode::SlowDown.spec().wire, "slow_down");

    assert_eq!(serde_json::to_string(&ApiCode::SlowDown).unwrap(), r#""slow_down""#);
    assert_eq!(
        serde_json::from_str::<ApiCode>(r#""bad_key""#).unwrap(),
        ApiCode::BadKey
    );
    assert!(serde_json::from_str::<ApiCode>(r#""nope""#).is_err());
}
