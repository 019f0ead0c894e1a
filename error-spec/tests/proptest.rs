//! Property tests: `parse_error_response` and the retry rules take any bytes, any header
//! values and any status without panicking, and what they keep stays bounded; a code is
//! typed only from a string in the table's code grammar, and a raw control character inside
//! a JSON string is never read as a body.

use std::time::{Duration, SystemTime};

use error_rules::text::check_code;
use error_spec::{
    ApiError, Code, EXCERPT_LEN, ErrorCode, Jitter, RequestId, ResponseError, RetryDecision,
    RetryPolicy, UnexpectedReason, headers, parse_error_response_at, parse_retry_after,
};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use proptest::prelude::*;

/// Any status `http` can represent.
fn any_status() -> impl Strategy<Value = StatusCode> {
    (100u16..1000).prop_map(|n| StatusCode::from_u16(n).expect("100-999 is valid"))
}

/// Header values from arbitrary bytes; `http` rejects control bytes, so those are dropped.
fn any_header_value() -> impl Strategy<Value = Option<HeaderValue>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300)
            .prop_map(|bytes| HeaderValue::from_bytes(&bytes).ok()),
        "[0-9]{1,30}".prop_map(|s| HeaderValue::from_str(&s).ok()),
        "[A-Za-z]{3}, [0-9]{2} [A-Za-z]{3} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT"
            .prop_map(|s| HeaderValue::from_str(&s).ok()),
    ]
}

fn any_headers() -> impl Strategy<Value = HeaderMap> {
    let names = [
        headers::X_REQUEST_ID,
        headers::RETRY_AFTER,
        http::header::CONTENT_TYPE,
    ];
    proptest::collection::vec((0..names.len(), any_header_value()), 0..6).prop_map(move |pairs| {
        let mut map = HeaderMap::new();
        for (i, value) in pairs {
            if let Some(value) = value {
                map.append(HeaderName::clone(&names[i]), value);
            }
        }
        map
    })
}

/// A contract body for some code, as the server side builds it.
fn a_real_body() -> impl Strategy<Value = Vec<u8>> {
    (0..ErrorCode::ALL.len()).prop_map(|i| {
        ApiError::new(ErrorCode::ALL[i])
            .to_body(&RequestId::mint(), "https://docs.example.com/errors")
            .to_json()
    })
}

/// Bodies worth feeding: random bytes, and real bodies cut short or with bytes changed, which
/// reach deeper into the JSON parser than random bytes do.
fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..4096),
        (a_real_body(), any::<prop::sample::Index>())
            .prop_map(|(body, cut)| body[..cut.index(body.len() + 1)].to_vec()),
        (
            a_real_body(),
            proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)
        )
            .prop_map(|(mut body, edits)| {
                for (at, byte) in edits {
                    let i = at.index(body.len());
                    body[i] = byte;
                }
                body
            }),
    ]
}

fn any_now() -> impl Strategy<Value = SystemTime> {
    any::<u32>().prop_map(|secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs.into()))
}

/// Checks what every parse result must satisfy, whatever the input.
fn check_bounded(err: &ResponseError, status: StatusCode, body: &[u8]) {
    assert_eq!(err.status(), status);
    if let Some(code) = err.code() {
        assert_eq!(check_code(code.as_str()), Ok(()), "{code:?}");
    }
    if let ResponseError::UnexpectedBody(other) = err
        && let Some(raw) = other.raw_code()
    {
        assert!(
            !raw.chars().any(char::is_control) && raw.len() <= 128,
            "{raw:?}"
        );
    }
    if let Some(id) = err.request_id() {
        assert!(id.len() <= EXCERPT_LEN);
    }
    let display = err.to_string();
    assert!(
        !display.contains('\n') && !display.contains('\r'),
        "{display}"
    );
    if let ResponseError::UnexpectedBody(other) = err {
        assert_eq!(other.len(), body.len());
        assert!(other.excerpt().len() <= EXCERPT_LEN);
        assert!(
            String::from_utf8_lossy(body).starts_with(other.excerpt()),
            "the excerpt is the start of the body as lossy text"
        );
        if let Some(ct) = other.content_type() {
            assert!(ct.len() <= EXCERPT_LEN);
        }
        assert!(display.chars().count() < 200, "{display}");
    }
}

proptest! {
    #[test]
    fn any_response_parses_without_panicking(
        status in any_status(),
        head in any_headers(),
        body in any_body(),
        now in any_now(),
        attempt in any::<u32>(),
        jitter in any::<f64>(),
    ) {
        let err = parse_error_response_at(status, &head, &body, now);
        check_bounded(&err, status, &body);
        let decision = err.retry_decision(attempt, Jitter::new(jitter));
        if let RetryDecision::RetryAfter(wait) = decision {
            // The wait is the server's Retry-After or at most the policy's longest own wait.
            let own = Duration::from_secs(60);
            prop_assert!(Some(wait) == err.retry_after() || wait <= own, "{wait:?}");
        }
    }

    #[test]
    fn a_code_is_typed_only_from_the_grammar(
        code in prop_oneof![any::<String>(), a_code(), a_near_code()],
        message in any::<String>(),
    ) {
        let body = serde_json::json!({ "error": code, "message": message }).to_string();
        let err = parse_error_response_at(
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            body.as_bytes(),
            SystemTime::UNIX_EPOCH,
        );
        match (check_code(&code), err) {
            (Ok(()), ResponseError::Api(api)) => {
                prop_assert_eq!(api.code().as_str(), code.as_str());
                prop_assert_eq!(api.code().known(), ErrorCode::from_wire(&code));
                prop_assert_eq!(api.message().map(|m| m.as_str()), Some(message.as_str()));
            }
            (Err(_), ResponseError::UnexpectedBody(other)) => {
                prop_assert_eq!(other.reason(), UnexpectedReason::NotContract);
                prop_assert_eq!(other.code(), None);
                let raw = other.raw_code().expect("an excerpt of the malformed code");
                prop_assert!(!raw.chars().any(char::is_control), "{:?}", raw);
                prop_assert!(raw.len() <= 128);
            }
            (rule, err) => panic!("{code:?} is {rule:?} by the grammar, read as {err:?}"),
        }
    }

    #[test]
    fn a_raw_control_character_in_a_string_is_not_json(
        at in any::<prop::sample::Index>(),
        control in 0u8..0x20,
        invalid_utf8 in any::<bool>(),
    ) {
        // A real body with one raw control byte put inside one of its strings (and, to
        // send it down the fallback scanner, an invalid UTF-8 byte in another).
        let mut body = ApiError::new(ErrorCode::NotFound)
            .with_run_id("run_1")
            .to_body(&RequestId::mint(), "https://docs.example.com/errors")
            .to_json();
        if invalid_utf8 {
            let title = body.windows(5).position(|w| w == b"\"Not ").expect("a title");
            body.insert(title + 1, 0xFF);
        }
        let strings = string_interiors(&body);
        let (start, end) = strings[at.index(strings.len())];
        let offset = start + (end - start) / 2;
        body.insert(offset, control);
        let err = parse_error_response_at(StatusCode::NOT_FOUND, &HeaderMap::new(), &body, SystemTime::UNIX_EPOCH);
        check_bounded(&err, StatusCode::NOT_FOUND, &body);
        let ResponseError::UnexpectedBody(other) = &err else {
            panic!("a raw {control:#04x} inside a string is not JSON: {err:?}");
        };
        prop_assert_eq!(other.reason(), UnexpectedReason::NotJson);
    }

    #[test]
    fn any_retry_after_is_bounded(value in any_header_value(), now in any_now()) {
        if let Some(value) = value
            && let Some(wait) = parse_retry_after(&value, now)
        {
            prop_assert!(wait <= Duration::from_secs(1 << 31));
        }
    }

    #[test]
    fn any_decision_input_is_safe(
        code in proptest::option::of("[a-z_]{1,30}"),
        status in any_status(),
        retry_after in proptest::option::of(any::<u32>()),
        attempt in any::<u32>(),
        jitter in any::<f64>(),
    ) {
        let code = code.and_then(|s| Code::from_wire(&s));
        let retry_after = retry_after.map(|s| Duration::from_secs(s.into()));
        let policy = RetryPolicy::default();
        let decision = policy.decide(code.as_ref(), status, retry_after, attempt, Jitter::new(jitter));
        if attempt >= policy.max_attempts {
            prop_assert!(matches!(decision, RetryDecision::DoNotRetry | RetryDecision::ResubmitAsync));
        }
        let backoff = policy.backoff(attempt, Jitter::new(jitter));
        prop_assert!(backoff <= policy.max_backoff);
    }
}

/// A string of the code grammar: `[a-z][a-z0-9]*(_[a-z0-9]+)*`, up to and past 63 bytes.
fn a_code() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,30}(_[a-z0-9]{1,12}){0,4}"
}

/// A string one step outside the grammar: a code with one character changed or added.
fn a_near_code() -> impl Strategy<Value = String> {
    (a_code(), any::<prop::sample::Index>(), any::<char>()).prop_map(|(code, at, c)| {
        let mut chars: Vec<char> = code.chars().collect();
        let i = at.index(chars.len() + 1);
        chars.insert(i, c);
        chars.into_iter().collect()
    })
}

/// The byte ranges inside the JSON strings of `body` (keys and values), between the quotes.
fn string_interiors(body: &[u8]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = None;
    let mut escaped = false;
    for (i, &b) in body.iter().enumerate() {
        match start {
            None if b == b'"' => start = Some(i + 1),
            None => {}
            Some(_) if escaped => escaped = false,
            Some(_) if b == b'\\' => escaped = true,
            Some(from) if b == b'"' => {
                ranges.push((from, i));
                start = None;
            }
            Some(_) => {}
        }
    }
    ranges
}

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (380u64..620).prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        "[A-Za-z0-9_.:-]{1,12}".prop_map(Value::from),
        "/[a-z~01]{0,6}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("pointer|message|[a-z]{1,4}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// The members a body may have, each with any value or none.
const MEMBERS: [&str; 10] = [
    "type",
    "title",
    "status",
    "message",
    "request_id",
    "run_id",
    "task_id",
    "doc_url",
    "retry_after",
    "errors",
];

/// Whether an item of `errors` is readable: an object with a string `message` and a valid
/// JSON pointer as `pointer`.
fn readable_item(item: &serde_json::Value) -> bool {
    item["message"].is_string()
        && item["pointer"]
            .as_str()
            .is_some_and(|p| p.parse::<error_spec::JsonPointer>().is_ok())
}

/// Whether `value` is a readable `name`, by the rules as the docs state them, written out
/// here rather than taken from the parser.
fn readable(name: &str, value: &serde_json::Value) -> bool {
    let safe_id = |s: &str| {
        (1..=128).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
    };
    match name {
        "type" | "title" | "message" | "doc_url" => value.is_string(),
        "request_id" | "run_id" | "task_id" => value.as_str().is_some_and(safe_id),
        "status" => value.as_u64().is_some_and(|n| (400..=599).contains(&n)),
        "retry_after" => value.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)),
        "errors" => value
            .as_array()
            .is_some_and(|items| items.iter().all(readable_item)),
        other => panic!("not a member: {other}"),
    }
}

proptest! {
    #[test]
    fn each_member_is_kept_or_dropped_on_its_own(
        // At most 48 bytes: always a code.
        code in "[a-z][a-z0-9]{0,20}(_[a-z0-9]{1,8}){0,3}",
        values in proptest::collection::vec(proptest::option::of(any_json()), MEMBERS.len()),
        deep in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let mut body = serde_json::Map::new();
        body.insert("error".to_owned(), code.clone().into());
        for (name, value) in MEMBERS.iter().zip(&values) {
            if let Some(value) = value {
                body.insert((*name).to_owned(), value.clone());
            }
        }
        let mut text = serde_json::Value::Object(body).to_string();
        if deep {
            // Nesting past serde_json's limit sends the body down the slow path, which must
            // read it the same way.
            text.pop();
            text.push_str(&format!(r#","zz":{}{}}}"#, "[".repeat(300), "]".repeat(300)));
        }
        let mut bytes = text.into_bytes();
        if bom {
            bytes.splice(0..0, *b"\xEF\xBB\xBF");
        }
        let err = parse_error_response_at(
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            &bytes,
            SystemTime::UNIX_EPOCH,
        );
        let ResponseError::Api(api) = err else {
            panic!("a JSON object whose `error` is a code is a body: {err}");
        };
        prop_assert_eq!(api.code().as_str(), code.as_str());
        let dropped: Vec<&str> = api.dropped().iter().map(|m| m.as_str()).collect();
        let want: Vec<&str> = MEMBERS
            .iter()
            .zip(&values)
            .filter(|(name, value)| value.as_ref().is_some_and(|v| !readable(name, v)))
            .map(|(name, _)| *name)
            .collect();
        prop_assert_eq!(dropped, want);
        let body = api.body();
        let value = |i: usize| values[i].as_ref().filter(|v| readable(MEMBERS[i], v));
        prop_assert_eq!(body.type_url(), value(0).and_then(|v| v.as_str()));
        prop_assert_eq!(body.status(), value(2).and_then(|v| v.as_u64()).map(|n| n as u16));
        prop_assert_eq!(body.message().map(|m| m.as_str()), value(3).and_then(|v| v.as_str()));
        prop_assert_eq!(body.request_id(), value(4).and_then(|v| v.as_str()));
        prop_assert_eq!(body.retry_after(), value(8).and_then(|v| v.as_u64()).map(|n| n as u32));
        // The readable items of `errors` are kept even when others are dropped.
        prop_assert_eq!(
            body.errors().len(),
            values[9]
                .as_ref()
                .and_then(|v| v.as_array())
                .map_or(0, |items| items.iter().filter(|i| readable_item(i)).count())
        );
    }
}
