"""The shared conformance corpus (sdk/conformance/corpus.json) through the Python reader:
every case must come out as the contract says, exactly as the Rust and TypeScript readers
must."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Union

import pytest

from error_spec_sdk import (
    ApiError,
    ResponseError,
    Retry,
    RetryDecision,
    parse_error_response,
    retry_decision,
)

CORPUS_PATH = Path(__file__).resolve().parents[2] / "conformance" / "corpus.json"
CORPUS: dict[str, Any] = json.loads(CORPUS_PATH.read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = CORPUS["cases"]


def body_bytes(body: Union[str, list[dict[str, Any]]]) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8")
    out = bytearray()
    for segment in body:
        part = segment["text"].encode("utf-8") if "text" in segment else bytes.fromhex(segment["hex"])
        out += part * int(segment.get("repeat", 1))
    return bytes(out)


def decision_text(decision: RetryDecision) -> str:
    if isinstance(decision, Retry):
        ns = round(decision.wait * 1e9)
        return f"retry_after_ms {math.floor(ns / 1e6)}"
    return decision.action


def outcome(err: ResponseError, attempts: list[int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": err.kind,
        "code": None if err.code is None else err.code.value,
        "known": err.code is not None and err.code.known is not None,
        "request_id": err.request_id,
        # Whole seconds, as Rust's `Duration::as_secs` gives them.
        "retry_after_secs": None if err.retry_after is None else math.floor(err.retry_after),
        "decisions": [decision_text(retry_decision(err, a, CORPUS["jitter"])) for a in attempts],
    }
    if isinstance(err, ApiError):
        out["dropped"] = list(err.dropped)
    else:
        out["reason"] = err.reason
        out["dropped"] = []
        out["excerpt"] = err.excerpt
        out["len"] = err.length
        out["content_type"] = err.content_type
        out["raw_code"] = err.raw_code
    return out


def test_the_corpus_has_its_cases() -> None:
    assert len(CASES) >= 100


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    headers = [(name, value) for name, value in case["headers"]]
    err = parse_error_response(
        case["status"], headers, body_bytes(case["body"]), now=lambda: float(CORPUS["now_unix"])
    )
    got = outcome(err, case.get("attempts", CORPUS["attempts"]))
    want = case["expect"]
    assert {key: got.get(key) for key in want} == want
    # Whatever the bytes, the error prints on one line.
    text = str(err)
    assert "\n" not in text and "\r" not in text and "\0" not in text
