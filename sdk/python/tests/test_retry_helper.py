"""follow_retries and request_with_retry follow the retry decisions with a fake transport,
clock and sleep: what they wait, how many requests they send, and when they stop (attempts,
time budget, a decision)."""

from __future__ import annotations

import email.message
import io
import urllib.error
import urllib.request
from typing import Any, Optional

import pytest

from error_spec_sdk import (
    DoNotRetry,
    ErrorResponse,
    HeadersLike,
    ResubmitAsync,
    Retry,
    follow_retries,
    request_with_retry,
)

Answer = tuple[int, dict[str, str], bytes]


class Fake:
    """A transport answering ``answers`` in order, and a clock that only sleeping moves."""

    def __init__(self, answers: list[Answer]) -> None:
        self.answers = answers
        self.calls = 0
        self.now = 1_000_000.0
        self.slept: list[float] = []

    def send(self) -> tuple[int, HeadersLike, bytes]:
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        return answer

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def run(self, **options: Any) -> tuple[int, HeadersLike, bytes]:
        return follow_retries(
            self.send, jitter=lambda: 0.5, clock=self.clock, sleep=self.sleep, **options
        )


def test_a_proxy_page_and_a_503_are_retried_then_the_success_is_returned() -> None:
    fake = Fake(
        [
            (502, {}, b"<html>bad gateway</html>"),
            (503, {"Retry-After": "1"}, b'{"error":"service_unavailable"}'),
            (200, {}, b'{"run_id":"run_1"}'),
        ]
    )
    status, _, body = fake.run()
    assert (status, body) == (200, b'{"run_id":"run_1"}')
    assert fake.calls == 3
    # Backoff after the first failure (a ceiling of 1 s, half of it), then Retry-After.
    assert fake.slept == [0.5, 1.0]


def test_the_attempts_are_capped() -> None:
    fake = Fake([(502, {}, b'{"error":"upstream_error"}')])
    with pytest.raises(ErrorResponse) as caught:
        fake.run(max_attempts=3)
    assert caught.value.attempts == 3
    assert caught.value.reason == "attempts used up"
    assert caught.value.decision == DoNotRetry()
    assert fake.calls == 3 and fake.slept == [0.5, 1.0]


def test_the_total_time_is_capped() -> None:
    fake = Fake([(503, {"Retry-After": "10"}, b'{"error":"service_unavailable"}')])
    with pytest.raises(ErrorResponse) as caught:
        fake.run(max_total_seconds=25)
    assert caught.value.reason == "time budget used up"
    assert caught.value.attempts == 3
    assert caught.value.decision == Retry(10.0)
    assert fake.slept == [10.0, 10.0]


def test_a_wait_longer_than_the_budget_is_not_slept_at_all() -> None:
    fake = Fake([(429, {}, b'{"error":"rate_limit_exceeded"}')])
    with pytest.raises(ErrorResponse) as caught:
        fake.run(max_total_seconds=30)
    assert caught.value.decision == Retry(60.0)
    assert fake.calls == 1 and fake.slept == []


def test_sync_timeout_upgrade_async_stops_at_once() -> None:
    fake = Fake([(408, {}, b'{"error":"sync_timeout_upgrade_async"}')])
    with pytest.raises(ErrorResponse) as caught:
        fake.run()
    assert caught.value.decision == ResubmitAsync()
    assert caught.value.reason == "resubmit with async"
    assert fake.calls == 1


def test_urllib_http_errors_are_read_and_followed() -> None:
    """``request_with_retry`` reads urllib's HTTPError (its status, headers and body)."""
    calls: list[str] = []

    def opener(request: urllib.request.Request, timeout: Optional[float] = None) -> Any:
        calls.append(request.full_url)
        headers = email.message.Message()
        headers["X-Request-Id"] = "req_7"
        if len(calls) == 1:
            headers["Retry-After"] = "2"
            body = b'{"error":"service_unavailable"}'
            raise urllib.error.HTTPError(request.full_url, 503, "busy", headers, io.BytesIO(body))
        raise urllib.error.HTTPError(
            request.full_url, 404, "missing", headers, io.BytesIO(b'{"error":"not_found"}')
        )

    slept: list[float] = []
    with pytest.raises(ErrorResponse) as caught:
        request_with_retry(
            urllib.request.Request("http://api.test/runs/x"),
            opener=opener,
            jitter=lambda: 0.5,
            sleep=slept.append,
        )
    assert calls == ["http://api.test/runs/x"] * 2
    assert slept == [2.0]
    assert caught.value.error.code is not None and caught.value.error.code.value == "not_found"
    assert caught.value.error.request_id == "req_7"
    assert str(caught.value) == "not_found (404) (not retryable after 2 attempts)"
