"""Compares the three SDKs' readings of one corpus (one JSON object per line each, in case
order) and fails on the first case where any two differ, printing the case.
Usage: python3 compare.py CORPUS RUST TS PY"""

import json
import sys
from pathlib import Path

# The code-grammar rule (a code is one only when it is lowercase snake_case of at most 63
# bytes, and a raw control character in a JSON string is not JSON) holds in all three
# readers since #23, so no difference is set aside. The one switch for a reader being
# brought to a new rule is `GRAMMAR_PENDING` in error-spec/tests/sdk_corpus.rs: while it is
# true, a case where the Rust reading differs only by that rule (the body holds a byte below
# 0x20, or Rust read a malformed code) is counted here rather than failed.
RUST_TEST = Path(__file__).resolve().parents[2] / "error-spec" / "tests" / "sdk_corpus.rs"
GRAMMAR_PENDING = "const GRAMMAR_PENDING: bool = true;" in RUST_TEST.read_text(encoding="utf-8")

corpus_path, *paths = sys.argv[1:]
cases = json.load(open(corpus_path, encoding="utf-8"))["cases"]
rust, ts, py = ([json.loads(line) for line in open(p, encoding="utf-8")] for p in paths)
assert len(rust) == len(ts) == len(py) == len(cases), (len(rust), len(ts), len(py), len(cases))


def well_formed(code):
    import re

    return code is None or (len(code) <= 63 and re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", code))


def raw(case):
    body = case["body"]
    return body.encode() if isinstance(body, str) else bytes.fromhex("".join(s.get("hex", "") for s in body))


pending = 0
for case, r, t, p in zip(cases, rust, ts, py):
    if t != p:
        sys.exit(f"TypeScript and Python differ on {json.dumps(case)}\n  ts {t}\n  py {p}")
    if r != t:
        grammar = not well_formed(r["code"]) or any(b < 0x20 for b in raw(case))
        if GRAMMAR_PENDING and grammar:
            pending += 1
            continue
        sys.exit(f"Rust and TypeScript differ on {json.dumps(case)}\n  rust {r}\n  ts   {t}")
note = f" ({pending} left aside until the Rust reader follows the code-grammar rule)" if pending else ""
print(f"{corpus_path}: {len(cases)} responses, the same reading in Rust, TypeScript and Python{note}")
