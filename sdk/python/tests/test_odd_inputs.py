"""parse_error_response never raises, whatever it is handed, and the header shapes users
pass (a dict, pairs, the message urllib returns) read alike."""

from __future__ import annotations

import email.message
from typing import Any

from error_spec_sdk import HeadersLike, parse_error_response, retry_decision


def test_odd_arguments_give_a_value_not_an_exception() -> None:
    odd: list[tuple[Any, Any, Any]] = [
        (404, 5, 7),
        (404, None, None),
        (404, [None, ("x-request-id",)], memoryview(b"{}")),
        (404, {"x-request-id": None}, bytearray(b"\xff")),
        (404, object(), object()),
    ]
    for status, headers, body in odd:
        err = parse_error_response(status, headers, body)
        assert isinstance(str(err), str)
        assert retry_decision(err, float("nan"), float("nan")).action  # type: ignore[arg-type]
    # An int is no body: not five zero bytes.
    assert parse_error_response(502, {}, 5).kind == "unexpected"  # type: ignore[arg-type]


def test_every_header_shape_reads_alike() -> None:
    message = email.message.Message()
    message["Retry-After"] = "7"
    message["X-Request-Id"] = "req_1"
    shapes: list[HeadersLike] = [
        {"Retry-After": "7", "X-Request-Id": "req_1"},
        [("RETRY-AFTER", "7"), ("x-request-id", "req_1")],
        {"retry-after": ["7"], "x-request-id": "req_1"},
        message,
    ]
    for headers in shapes:
        err = parse_error_response(429, headers, b'{"error":"rate_limit_exceeded"}')
        assert err.request_id == "req_1"
        assert err.retry_after == 7
    twice = [("X-Request-Id", "a"), ("X-Request-Id", "b")]
    assert parse_error_response(429, twice, b"{}").request_id is None
