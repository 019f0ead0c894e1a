//! The figures both SDK generators (`sdk_typescript`, `sdk_python`) write into their
//! packages: the reader's bounds and the retry rules, read from the Rust SDK's own constants
//! and behaviour so that no figure is typed twice. A leaf: it imports no other module.

/// The figures the reader and the retry rules use, from the Rust SDK's own constants.
pub(crate) struct Figures {
    pub(crate) max_body_len: usize,
    pub(crate) excerpt_len: usize,
    pub(crate) max_id_len: usize,
    pub(crate) max_code_len: usize,
    pub(crate) max_retry_after_secs: u64,
    /// The most bytes kept of an `error` string that is not a code, escaped.
    pub(crate) raw_code_len: usize,
    pub(crate) base_secs: f64,
    pub(crate) max_backoff_secs: f64,
    pub(crate) max_attempts: u32,
    pub(crate) rate_limit_wait_secs: f64,
    pub(crate) unavailable_wait_secs: f64,
    /// The 5xx statuses no retry can fix.
    pub(crate) permanent_server_errors: Vec<u16>,
}

impl Figures {
    /// The figures of this build.
    pub(crate) fn current() -> Figures {
        let policy = error_spec::RetryPolicy::DEFAULT;
        // The cap on `Retry-After` is the Rust reader's own: what it makes of an absurd value.
        let absurd = error_spec::http::HeaderValue::from_static("99999999999999999999999");
        let max_retry_after_secs =
            error_spec::parse_retry_after(&absurd, std::time::SystemTime::UNIX_EPOCH)
                .expect("an all-digit Retry-After is read")
                .as_secs();
        Figures {
            max_body_len: error_spec::MAX_BODY_LEN,
            excerpt_len: error_spec::EXCERPT_LEN,
            max_id_len: error_spec::RequestId::MAX_LEN,
            max_code_len: error_spec::error_rules::text::MAX_CODE_LEN,
            max_retry_after_secs,
            raw_code_len: raw_code_len(),
            base_secs: policy.base.as_secs_f64(),
            max_backoff_secs: policy.max_backoff.as_secs_f64(),
            max_attempts: policy.max_attempts,
            rate_limit_wait_secs: policy.rate_limit_wait.as_secs_f64(),
            unavailable_wait_secs: policy.unavailable_wait.as_secs_f64(),
            permanent_server_errors: (500..=599)
                .filter(|&status| error_spec::error_rules::retry::is_permanent_server_error(status))
                .collect(),
        }
    }
}

/// The bound on the escaped excerpt of an `error` string that is not a code, as the Rust
/// reader applies it: the length of its excerpt of a long one (cut to the bound, `…` last).
pub(crate) fn raw_code_len() -> usize {
    let body = format!(r#"{{"error":"{}"}}"#, "A".repeat(4096));
    let err = error_spec::parse_error_response(
        error_spec::http::StatusCode::BAD_REQUEST,
        &error_spec::http::HeaderMap::new(),
        body.as_bytes(),
    );
    match err {
        error_spec::ResponseError::UnexpectedBody(other) => other
            .raw_code()
            .map(str::len)
            .expect("a malformed code is kept as an excerpt"),
        error_spec::ResponseError::Api(_) => unreachable!("an uppercase code is not a code"),
    }
}
