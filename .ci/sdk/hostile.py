"""Writes a corpus of hostile responses, in sdk/conformance's format but without expectations:
the bodies of sdk/conformance/corpus.json cut short, spliced with JSON fragments, control
characters, ill-formed UTF-8, surrogate escapes and out-of-range numbers, byte-flipped; with
Retry-After and X-Request-Id values of every shape. `.ci/sdk/run` reads it with the three
SDKs and requires identical readings. Usage: python3 hostile.py CORPUS OUT [COUNT] [SEED]"""

import json
import random
import sys

corpus_path, out_path = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 24)


def body_bytes(body):
    if isinstance(body, str):
        return body.encode("utf-8")
    out = bytearray()
    for s in body:
        part = s["text"].encode("utf-8") if "text" in s else bytes.fromhex(s["hex"])
        out += part * s.get("repeat", 1)
    return bytes(out)


corpus = json.load(open(corpus_path, encoding="utf-8"))
seeds = [b for b in (body_bytes(c["body"]) for c in corpus["cases"]) if len(b) < 4096]
pieces = [
    b'"', b"\\", b"\\u", b"\\ud800", b"\\udc00", b"\\ud83d\\ude00", b"{", b"}", b"[", b"]",
    b",", b":", b"\x00", b"\n", b"\t", b"\x1b", b"\x7f", b"\xff", b"\xc3", b"\xed\xa0\x80",
    b"\xf0\x9f\x98", b" ", b"1e999", b"-0", b"4294967296", b"65936", b"1.0", b'"error":"gone"',
    b'"error":"Bad"', b'"error":5', b'"status":"x"', b'"status":503', b"null", b"true",
    b"\xef\xbb\xbf", b'"retry_after":30', b'"request_id":"req_x"', b'"request_id":"a b"',
    b'"errors":[{"pointer":"/a","message":"\\ud800"}]',
    b'"errors":[{"pointer":"/a","message":"m","n":1e999}]', b'"errors":[1e999]',
    b'"errors":["\\udc00"]', b'"errors":[{"\\ud800":1,"pointer":"/a","message":"m"}]',
    b'"errors":[{"pointer":"/a~2","message":"m"},{"pointer":"/b","message":"n"}]',
    b'"x":' + b"[" * 200 + b"]" * 200, b'"error":"rate_limit_exceeded"',
    b'"error":"sync_timeout_upgrade_async"', b'"error":"future_code_1"',
    b'"message":"a\\u0000\\n\\u202e\\u0085b"', b'"error":"Bad\\u0000\\t\\u2028"',
    b'"title":"\\ud800\\udbff\\udc00"', b'"errors":[{"pointer":"/\\u0000","message":"\\n"}]',
]
retry_afters = [
    None, "0", "5", " 120 ", "-1", "1.5", "+5", "99999999999999999999", "2147483649",
    "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
    "Mon, 07 Nov 1994 08:49:37 GMT", "Sat, 05 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 PST",
    "soon", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Tue, 29 Feb 2000 00:00:00 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Sun, 06 Nov 94 08:49:37 GMT",
    "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT", "Sun, 06 Nov 1994 08:49:37:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 gmt", "Sun, 06 nov 1994 08:49:37 GMT", "\u00e9",
    "0" * 30 + "7", "9" * 400, "Sun, 06 Nov +0001994 08:49:37 GMT", "Sun Nov  6 08:49:37 -1994",
    "Sunday, 06-Nov-+9 08:49:37 GMT", "Sunday, 06-Nov-0 08:49:37 GMT", "\t5\t",
    "Thu, 01 Jan 1969 23:59:59 GMT", "Sunday, 06-Nov-94X08:49:37 GMT", "Sun Nov 06 08:49:37 1994",
    "Monday, 06-Nov-94 08:49:37 GMT", "Tue, 01 Jan 2069 00:00:00 GMT", "Tuesday, 01-Jan-69 00:00:00 GMT",
]
ids = [None, "req_1", "a b", "  req-2  ", "r\u00e9q", "x" * 128, "x" * 129, "a,b", ":", ".", "req\t1"]
statuses = [400, 401, 402, 403, 404, 408, 409, 410, 413, 422, 429, 500, 501, 502, 503, 504, 505, 599]


def mutate(data):
    data = bytearray(data)
    for _ in range(rng.randint(0, 3)):
        op = rng.random()
        if op < 0.25 and data:
            del data[rng.randint(0, len(data)) :]
        elif op < 0.75:
            at = rng.randint(0, len(data))
            data[at:at] = rng.choice(pieces)
        elif data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


cases = []
for i in range(count):
    body = mutate(rng.choice(seeds))
    headers = []
    retry_after = rng.choice(retry_afters)
    if retry_after is not None:
        headers.append(["Retry-After", retry_after])
    for _ in range(1 if rng.random() < 0.9 else 2):
        request_id = rng.choice(ids)
        if request_id is not None:
            headers.append(["X-Request-Id", request_id])
    if rng.random() < 0.2:
        headers.append(["Content-Type", rng.choice(["text/html", "application/json", "caf\u00e9"])])
    cases.append({
        "name": f"hostile {i}",
        "status": rng.choice(statuses),
        "headers": headers,
        "body": [{"hex": body.hex()}] if body else "",
        "expect": {},
    })
out = {"now_unix": corpus["now_unix"], "jitter": 0.37, "attempts": [1, 2, 3, 5], "cases": cases}
json.dump(out, open(out_path, "w", encoding="utf-8"))
