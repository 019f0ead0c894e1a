"""What the Python package reads from each response of a corpus file, one JSON object per
line, in the terms of ``error-spec/examples/read_corpus.rs``, whose output it must equal.
Usage: python read_corpus.py FILE, with ``error_spec_sdk`` installed."""

import json
import math
import sys

from error_spec_sdk import ApiError, Retry, parse_error_response, retry_decision

corpus = json.load(open(sys.argv[1], encoding="utf-8"))


def body_bytes(body):
    if isinstance(body, str):
        return body.encode("utf-8")
    out = bytearray()
    for s in body:
        part = s["text"].encode("utf-8") if "text" in s else bytes.fromhex(s["hex"])
        out += part * s.get("repeat", 1)
    return bytes(out)


def decision(d):
    return f"retry_after_ms {math.floor(round(d.wait * 1e9) / 1e6)}" if isinstance(d, Retry) else d.action


for c in corpus["cases"]:
    headers = [(name, value) for name, value in c["headers"]]
    err = parse_error_response(c["status"], headers, body_bytes(c["body"]), now=lambda: float(corpus["now_unix"]))
    out = {
        "code": None if err.code is None else err.code.value,
        "known": err.code is not None and err.code.known is not None,
        "request_id": err.request_id,
        "retry_after_secs": None if err.retry_after is None else math.floor(err.retry_after),
        "decisions": [decision(retry_decision(err, a, corpus["jitter"])) for a in c.get("attempts", corpus["attempts"])],
        "kind": err.kind,
    }
    if isinstance(err, ApiError):
        b = err.body
        out["dropped"] = list(err.dropped)
        out["body"] = {
            "type": b.type, "title": b.title, "status": b.status, "message": b.message,
            "request_id": b.request_id, "run_id": b.run_id, "task_id": b.task_id,
            "doc_url": b.doc_url, "retry_after": b.retry_after,
            "errors": [[e.pointer, e.message] for e in b.errors],
        }
    else:
        out.update(reason=err.reason, excerpt=err.excerpt, len=err.length, content_type=err.content_type, raw_code=err.raw_code)
    print(json.dumps(out))
