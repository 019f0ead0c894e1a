//! The SDK reads every response the contract allows, and every one it does not, into a typed
//! error: bodies built by the server side parse back to the same facts, unknown codes stay
//! raw, and anything that is not the contract's JSON becomes `UnexpectedBody`.

use std::time::{Duration, SystemTime};

use error_spec::{
    ApiError, EXCERPT_LEN, ErrorCode, Jitter, MAX_BODY_LEN, ParsedError, RequestId, ResponseError,
    RetryDecision, UnexpectedBody, UnexpectedReason, UserMessage, headers, parse_error_response,
    parse_error_response_at,
};
use http::{HeaderMap, HeaderValue, StatusCode};

const DOCS: &str = "https://docs.example.com/errors";

fn api(err: ResponseError) -> ParsedError {
    match err {
        ResponseError::Api(api) => api,
        ResponseError::UnexpectedBody(other) => panic!("expected a contract body, got {other}"),
    }
}

fn unexpected(err: ResponseError) -> UnexpectedBody {
    match err {
        ResponseError::UnexpectedBody(other) => other,
        ResponseError::Api(api) => panic!("expected an unexpected body, got {api}"),
    }
}

fn header_map(pairs: &[(http::HeaderName, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            name.clone(),
            HeaderValue::from_str(value).expect("test header values are visible ASCII"),
        );
    }
    map
}

/// The contract's retry rules, written out per code from the reference's remedies rather than
/// read from the table: the wire string, its status, and the decision on the first failure
/// with jitter 0.5 when the server sent its default `Retry-After` (60 s for a rate limit,
/// the pause's 30 s lower bound for `service_unavailable`).
fn expected(wire: &str) -> (u16, RetryDecision) {
    let never = RetryDecision::DoNotRetry;
    match wire {
        "invalid_api_key" => (401, never),
        "forbidden" => (403, never),
        "insufficient_credits" => (402, never),
        "invalid_request" => (400, never),
        "validation_error" => (422, never),
        "preflight_failed" => (400, never),
        "payload_too_large" => (413, never),
        "not_found" => (404, never),
        "gone" => (410, never),
        "conflict" => (409, never),
        "sync_timeout_upgrade_async" => (408, RetryDecision::ResubmitAsync),
        "rate_limit_exceeded" => (429, RetryDecision::RetryAfter(Duration::from_secs(60))),
        "internal_error" => (500, never),
        // Backoff, first failure: half of the 1 s ceiling.
        "upstream_error" => (502, RetryDecision::RetryAfter(Duration::from_millis(500))),
        "service_unavailable" => (503, RetryDecision::RetryAfter(Duration::from_secs(30))),
        "not_implemented" => (501, never),
        other => panic!("the table has a code the test does not know: {other}"),
    }
}

#[test]
fn every_code_round_trips_through_the_wire() {
    assert_eq!(ErrorCode::ALL.len(), 16, "update `expected` for new codes");
    for &code in ErrorCode::ALL {
        let rid = RequestId::parse("req_roundtrip_1").expect("a valid id");
        let err = ApiError::new(code)
            .with_run_id("run_7")
            .with_task_id("task_9");
        let body = err.to_body(&rid, DOCS);
        let bytes = body.to_json();

        // What a server puts on the wire beside the body.
        let mut head = vec![(headers::X_REQUEST_ID, rid.as_str().to_owned())];
        if let Some(secs) = body.retry_after() {
            head.push((headers::RETRY_AFTER, secs.to_string()));
        }
        let head: Vec<_> = head.iter().map(|(n, v)| (n.clone(), v.as_str())).collect();

        let (status, decision) = expected(code.as_str());
        let status = StatusCode::from_u16(status).expect("a valid status");
        let parsed = parse_error_response(status, &header_map(&head), &bytes);
        assert_eq!(parsed.status(), status, "{code}");
        assert_eq!(
            parsed.retry_decision(1, Jitter::new(0.5)),
            decision,
            "{code}"
        );

        let parsed = api(parsed);
        assert_eq!(*parsed.code(), code);
        assert_eq!(parsed.code().as_str(), code.as_str());
        assert_eq!(parsed.message().map(|m| m.as_str()), Some(code.message()));
        assert_eq!(parsed.request_id(), Some("req_roundtrip_1"));
        assert_eq!(parsed.body().run_id(), Some("run_7"));
        assert_eq!(parsed.body().task_id(), Some("task_9"));
        assert_eq!(parsed.body().status(), Some(status.as_u16()));
        // The whole body survives: every member the server wrote is read back as written.
        let received = parsed.body();
        assert_eq!(received.type_url(), body.type_url(), "{code}");
        assert_eq!(received.title(), body.title(), "{code}");
        assert_eq!(received.doc_url(), body.doc_url(), "{code}");
        assert_eq!(received.retry_after(), body.retry_after(), "{code}");
        assert_eq!(received.request_id(), body.request_id(), "{code}");
        assert!(received.errors().is_empty() && body.errors().is_empty());
        assert!(parsed.dropped().is_empty(), "{code}: {}", parsed.dropped());

        // Without headers, the body alone still gives the request id and the wait.
        let bare = api(parse_error_response(status, &HeaderMap::new(), &bytes));
        assert_eq!(bare.request_id(), Some("req_roundtrip_1"));
        assert_eq!(
            bare.retry_after(),
            body.retry_after().map(|s| Duration::from_secs(s.into()))
        );
    }
}

#[test]
fn display_shows_code_and_message_not_the_body() {
    let body = ApiError::new(ErrorCode::NotFound)
        .with_message(UserMessage::user_safe("No run with id run_1."))
        .to_body(&RequestId::parse("req_abc").expect("a valid id"), DOCS);
    let err = parse_error_response(StatusCode::NOT_FOUND, &HeaderMap::new(), &body.to_json());
    assert_eq!(err.to_string(), "not_found (404): No run with id run_1.");
    assert!(!err.to_string().contains(DOCS));
    let source = std::error::Error::source(&err).expect("the variant is the source");
    assert_eq!(source.to_string(), err.to_string());
}

#[test]
fn display_is_one_bounded_line_that_keeps_quotes() {
    let body = serde_json::json!({
        "error": "conflict",
        "message": "Can't start: \"run_1\" is busy.\nRetry\u{202e} later.",
    })
    .to_string();
    let err = parse_error_response(StatusCode::CONFLICT, &HeaderMap::new(), body.as_bytes());
    assert_eq!(
        err.to_string(),
        r#"conflict (409): Can't start: "run_1" is busy.\nRetry\u{202e} later."#
    );

    let long = "m".repeat(5_000);
    // The longest code the grammar allows; a longer one is no code (`tests/hostile.rs`).
    let body = serde_json::json!({ "error": "x".repeat(63), "message": long }).to_string();
    let err = parse_error_response(StatusCode::CONFLICT, &HeaderMap::new(), body.as_bytes());
    let display = err.to_string();
    assert!(display.chars().count() < 400, "{}", display.len());
    assert!(display.ends_with("mmm…"), "{display}");
}

#[test]
fn the_header_request_id_wins_over_the_body() {
    let body = br#"{"error":"conflict","message":"Busy.","request_id":"req_body"}"#;
    let head = header_map(&[(headers::X_REQUEST_ID, "req_header")]);
    let err = parse_error_response(StatusCode::CONFLICT, &head, body);
    assert_eq!(err.request_id(), Some("req_header"));
    let err = parse_error_response(StatusCode::CONFLICT, &HeaderMap::new(), body);
    assert_eq!(err.request_id(), Some("req_body"));
}

#[test]
fn an_unknown_code_is_kept_raw() {
    let body =
        br#"{"error":"quota_frozen","message":"Your quota is frozen.","request_id":"req_q"}"#;
    let err = parse_error_response(StatusCode::FORBIDDEN, &HeaderMap::new(), body);
    assert_eq!(
        err.retry_decision(1, Jitter::ZERO),
        RetryDecision::DoNotRetry
    );
    let parsed = api(err);
    assert_eq!(parsed.code().known(), None);
    assert_eq!(parsed.code().as_str(), "quota_frozen");
    assert!(ErrorCode::ALL.iter().all(|code| *parsed.code() != *code));
    assert_eq!(
        parsed.message().map(|m| m.as_str()),
        Some("Your quota is frozen.")
    );
    assert_eq!(parsed.request_id(), Some("req_q"));
    assert_eq!(
        parsed.to_string(),
        "quota_frozen (403): Your quota is frozen."
    );

    // Matching on the string gives the same answer for a code that is known today.
    let known = br#"{"error":"gone","message":"Deleted."}"#;
    let parsed = api(parse_error_response(
        StatusCode::GONE,
        &HeaderMap::new(),
        known,
    ));
    assert_eq!(parsed.code().as_str(), "gone");
    assert_eq!(parsed.code().known(), Some(ErrorCode::Gone));
}

#[test]
fn unknown_members_and_a_missing_rfc9457_part_are_fine() {
    let body = br#"{"error":"not_found","message":"Nope.","future_member":{"a":[1,2]}}"#;
    let parsed = api(parse_error_response(
        StatusCode::NOT_FOUND,
        &HeaderMap::new(),
        body,
    ));
    assert_eq!(*parsed.code(), ErrorCode::NotFound);
    assert_eq!(parsed.body().doc_url(), None);
}

const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
    <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

#[test]
fn an_html_502_from_a_proxy_is_not_json() {
    let head = header_map(&[(http::header::CONTENT_TYPE, "text/html")]);
    let err = parse_error_response(StatusCode::BAD_GATEWAY, &head, NGINX_502.as_bytes());
    assert_eq!(err.code(), None);
    // An unknown 5xx backs off: first failure, jitter 0.5, half of 1 s.
    assert_eq!(
        err.retry_decision(1, Jitter::new(0.5)),
        RetryDecision::RetryAfter(Duration::from_millis(500))
    );
    let display = err.to_string();
    assert!(
        display.starts_with("unexpected 502 response (not json, 150 bytes): <html>"),
        "{display}"
    );
    let other = unexpected(err);
    assert_eq!(other.reason(), UnexpectedReason::NotJson);
    assert_eq!(other.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(other.content_type(), Some("text/html"));
    assert_eq!(other.len(), NGINX_502.len());
    assert_eq!(other.excerpt(), NGINX_502, "a short body is kept whole");
}

#[test]
fn an_empty_503_is_empty_and_still_retried() {
    for body in [&b""[..], b"  \r\n"] {
        let err = parse_error_response(StatusCode::SERVICE_UNAVAILABLE, &HeaderMap::new(), body);
        assert_eq!(
            err.retry_decision(1, Jitter::MAX),
            RetryDecision::RetryAfter(Duration::from_secs(30))
        );
        let other = unexpected(err);
        assert_eq!(other.reason(), UnexpectedReason::Empty);
        assert_eq!(other.len(), body.len());
        assert_eq!(other.is_empty(), body.is_empty());
        assert_eq!(other.content_type(), None);
    }
    let head = header_map(&[
        (headers::RETRY_AFTER, "120"),
        (headers::X_REQUEST_ID, "req_lb"),
    ]);
    let err = parse_error_response(StatusCode::SERVICE_UNAVAILABLE, &head, b"");
    assert_eq!(err.request_id(), Some("req_lb"));
    assert_eq!(
        err.retry_decision(1, Jitter::ZERO),
        RetryDecision::RetryAfter(Duration::from_secs(120))
    );
    assert_eq!(
        err.to_string(),
        "unexpected 503 response (empty body, 0 bytes)"
    );
}

#[test]
fn every_strict_prefix_of_a_body_is_truncated() {
    let body = ApiError::new(ErrorCode::ValidationError)
        .with_field_error(
            "/inputs/0/url".parse().expect("a valid pointer"),
            UserMessage::user_safe("Not a URL."),
        )
        .to_body(&RequestId::parse("req_t").expect("a valid id"), DOCS)
        .to_json();
    for cut in 1..body.len() {
        let err = parse_error_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &HeaderMap::new(),
            &body[..cut],
        );
        let other = unexpected(err);
        assert_eq!(other.reason(), UnexpectedReason::Truncated, "cut at {cut}");
        assert_eq!(other.len(), cut);
        assert!(other.excerpt().len() <= EXCERPT_LEN);
    }
}

#[test]
fn a_10_mb_body_is_too_large_and_not_parsed() {
    // A valid contract body padded past the cap: rejected for its size, not its content.
    let padding = "x".repeat(10 * 1024 * 1024);
    let body = format!(r#"{{"error":"internal_error","message":"{padding}"}}"#);
    let err = parse_error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        &HeaderMap::new(),
        body.as_bytes(),
    );
    let other = unexpected(err);
    assert_eq!(other.reason(), UnexpectedReason::TooLarge);
    assert_eq!(other.len(), body.len());
    assert_eq!(other.excerpt().len(), EXCERPT_LEN);
    assert!(
        other
            .excerpt()
            .starts_with(r#"{"error":"internal_error","message":"xxx"#)
    );

    // The cap is inclusive: a body of exactly MAX_BODY_LEN bytes is still parsed.
    let fill = MAX_BODY_LEN - r#"{"error":"gone","message":""}"#.len();
    let body = format!(r#"{{"error":"gone","message":"{}"}}"#, "y".repeat(fill));
    assert_eq!(body.len(), MAX_BODY_LEN);
    let parsed = api(parse_error_response(
        StatusCode::GONE,
        &HeaderMap::new(),
        body.as_bytes(),
    ));
    assert_eq!(*parsed.code(), ErrorCode::Gone);
}

#[test]
fn json_of_another_shape_is_not_the_contract() {
    for body in [
        r#"[{"error":"not_found","message":"x"}]"#,
        r#"{"error": 5}"#,
        r#"{"error": 5, "message": "x"}"#,
        r#"{"error": null, "message": "x"}"#,
        r#"{"error": ["not_found"], "message": "x"}"#,
        r#"{"message":"x"}"#,
        r#""not_found""#,
        "null",
        "{}",
    ] {
        let err = parse_error_response(StatusCode::NOT_FOUND, &HeaderMap::new(), body.as_bytes());
        let other = unexpected(err);
        assert_eq!(other.reason(), UnexpectedReason::NotContract, "{body}");
        assert_eq!(other.excerpt(), body);
    }
}

#[test]
fn garbage_is_not_json() {
    for body in [
        &b"Service Unavailable"[..],
        b"{error: 1}",
        b"\xff\xfe",
        b"{} trailing",
        br#"{"error":"gone","message":"x"} <html>"#,
    ] {
        let other = unexpected(parse_error_response(
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            body,
        ));
        assert_eq!(other.reason(), UnexpectedReason::NotJson, "{body:?}");
    }
}

#[test]
fn a_wrong_shape_cut_short_is_truncated() {
    // The `error` member is already of the wrong type, but the body also ends early: the cut
    // connection is the likelier story, and the one a retry can fix.
    let other = unexpected(parse_error_response(
        StatusCode::BAD_GATEWAY,
        &HeaderMap::new(),
        br#"{"error": 5, "mess"#,
    ));
    assert_eq!(other.reason(), UnexpectedReason::Truncated);
}

#[test]
fn the_excerpt_is_bounded_and_cut_on_a_char_boundary() {
    // 2-byte characters: 128 of them fill the 256 bytes exactly.
    let body = "é".repeat(300);
    let other = unexpected(parse_error_response(
        StatusCode::BAD_GATEWAY,
        &HeaderMap::new(),
        body.as_bytes(),
    ));
    assert_eq!(other.excerpt(), "é".repeat(128));

    // One byte short of room for the last 2-byte character: it is left out, not split.
    let body = format!("{}é", "a".repeat(255));
    let other = unexpected(parse_error_response(
        StatusCode::BAD_GATEWAY,
        &HeaderMap::new(),
        body.as_bytes(),
    ));
    assert_eq!(other.excerpt(), "a".repeat(255));

    // Bad bytes become U+FFFD (3 bytes each): 85 of them fit in 256 bytes, not 256.
    let body = vec![0xff; 300];
    let other = unexpected(parse_error_response(
        StatusCode::BAD_GATEWAY,
        &HeaderMap::new(),
        &body,
    ));
    assert_eq!(other.excerpt(), "\u{fffd}".repeat(85));
    assert_eq!(other.len(), 300);
}

#[test]
fn display_of_an_unexpected_body_is_one_escaped_line() {
    let body = format!("<h1>down</h1>\n{}", "z".repeat(500));
    let err = parse_error_response(StatusCode::BAD_GATEWAY, &HeaderMap::new(), body.as_bytes());
    let display = err.to_string();
    assert!(!display.contains('\n'), "{display}");
    assert!(display.contains(r"<h1>down</h1>\n"), "{display}");
    assert!(display.ends_with('…'), "{display}");
    assert!(display.len() < 200, "{display}");
}

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT, the RFC 9110 example date.
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777 - 90);
    let body = br#"{"error":"rate_limit_exceeded","message":"Slow down.","retry_after":5}"#;
    let cases = [
        ("42", Some(42)),
        (" 42 ", Some(42)),
        ("Sun, 06 Nov 1994 08:49:37 GMT", Some(90)),
        ("Sunday, 06-Nov-94 08:49:37 GMT", Some(90)),
        ("Sun Nov  6 08:49:37 1994", Some(90)),
        ("Sun, 06 Nov 1994 08:00:00 GMT", Some(0)),
        ("99999999999999999999999", Some(1 << 31)),
        ("-5", None),
        ("1.5", None),
        ("tomorrow", None),
        ("", None),
    ];
    for (value, secs) in cases {
        let head = header_map(&[(headers::RETRY_AFTER, value)]);
        let err = parse_error_response_at(StatusCode::TOO_MANY_REQUESTS, &head, body, now);
        let parsed = api(err);
        // An unreadable header falls back on the body's `retry_after`.
        let want = Duration::from_secs(secs.unwrap_or(5));
        assert_eq!(parsed.retry_after(), Some(want), "{value:?}");
    }
}

#[test]
fn headers_that_are_not_utf8_are_ignored_or_kept_lossy() {
    let mut head = HeaderMap::new();
    let bad = HeaderValue::from_bytes(b"text/html; charset=\xff").expect("obs-text is allowed");
    head.insert(http::header::CONTENT_TYPE, bad.clone());
    head.insert(headers::X_REQUEST_ID, bad.clone());
    head.insert(headers::RETRY_AFTER, bad);
    let err = parse_error_response(StatusCode::BAD_GATEWAY, &head, b"<html>");
    assert_eq!(err.request_id(), None);
    assert_eq!(err.retry_after(), None);
    assert_eq!(
        unexpected(err).content_type(),
        Some("text/html; charset=\u{fffd}")
    );
}

#[test]
fn a_failed_task_reads_back_leniently() {
    use error_spec::FailedTask;
    use error_spec::sdk::{Member, ReceivedTask};

    let err = ApiError::new(ErrorCode::SyncTimeoutUpgradeAsync)
        .with_run_id("run_7")
        .with_task_id("task_9");
    let task = FailedTask::new(err.to_body(&RequestId::parse("req_t").expect("valid"), DOCS));
    let bytes = serde_json::to_vec(&task).expect("a task serializes");
    let read = ReceivedTask::from_slice(&bytes).expect("a failed task");
    assert_eq!(read.task_id(), Some("task_9"));
    assert_eq!(read.run_id(), Some("run_7"));
    assert_eq!(*read.error().error(), ErrorCode::SyncTimeoutUpgradeAsync);
    assert_eq!(read.error().request_id(), Some("req_t"));

    let hostile =
        br#"{"status":"failed","task_id":"t\r\n1","error":{"error":"gone","retry_after":-1}}"#;
    let read = ReceivedTask::from_slice(hostile).expect("a failed task");
    assert_eq!(read.task_id(), None);
    assert_eq!(*read.error().error(), ErrorCode::Gone);
    assert!(read.error().dropped().contains(Member::RetryAfter));

    for (body, reason) in [
        (
            &br#"{"status":"running","error":{"error":"gone"}}"#[..],
            UnexpectedReason::NotContract,
        ),
        (
            br#"{"status":"failed","error":{"message":"x"}}"#,
            UnexpectedReason::NotContract,
        ),
        (br#"{"status":"failed""#, UnexpectedReason::Truncated),
        (b"<html>", UnexpectedReason::NotJson),
    ] {
        assert_eq!(ReceivedTask::from_slice(body), Err(reason), "{body:?}");
    }
}
