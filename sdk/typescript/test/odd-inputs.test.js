// @ts-check
// parseErrorResponse never throws, whatever it is handed, and the header shapes users pass
// (fetch's Headers, a Map, pairs, a plain object with arrays) read alike.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseErrorResponse, retryDecision } from "../index.js";

test("odd arguments give a value, not an exception", () => {
  /** @type {any[][]} */
  const calls = [
    [404, 5, 7, null],
    [404, null, undefined],
    [404, { get() { throw new Error("boom"); }, forEach() { throw new Error("boom"); } }, "{}"],
    [404, [null, ["x-request-id"]], new DataView(new ArrayBuffer(2))],
    [NaN, {}, new ArrayBuffer(0)],
  ];
  for (const args of calls) {
    const err = parseErrorResponse(args[0], args[1], args[2], args[3]);
    assert.equal(typeof String(err), "string");
    assert.equal(typeof retryDecision(err, NaN, NaN).action, "string");
  }
});

test("every header shape reads alike", () => {
  const body = '{"error":"rate_limit_exceeded"}';
  /** @type {import("../index.js").HeadersLike[]} */
  const shapes = [
    new Headers({ "Retry-After": "7", "X-Request-Id": "req_1" }),
    new Map([["retry-after", "7"], ["x-request-id", "req_1"]]),
    /** @type {[string, string][]} */ ([["RETRY-AFTER", "7"], ["x-request-id", "req_1"]]),
    { "retry-after": ["7"], "X-Request-Id": "req_1" },
  ];
  for (const headers of shapes) {
    const err = parseErrorResponse(429, headers, body);
    assert.equal(err.requestId, "req_1");
    assert.equal(err.retryAfterSeconds, 7);
  }
  // fetch joins repeated headers with ", ", which is no id: as with two headers in Rust.
  const joined = new Headers([["x-request-id", "a"], ["x-request-id", "b"]]);
  assert.equal(parseErrorResponse(429, joined, body).requestId, null);
});
