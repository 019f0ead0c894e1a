// @ts-check
// The shared conformance corpus (sdk/conformance/corpus.json) through the TypeScript reader:
// every case must come out as the contract says, exactly as the Rust and Python readers must.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { parseErrorResponse, retryDecision } from "../index.js";

/** @typedef {{ text?: string, hex?: string, repeat?: number }} Segment */
/** @typedef {{ name: string, status: number, headers: [string, string][], body: string | Segment[], attempts?: number[], expect: Record<string, unknown> }} Case */

const corpusUrl = new URL("../../conformance/corpus.json", import.meta.url);
/** @type {{ now_unix: number, jitter: number, attempts: number[], cases: Case[] }} */
const corpus = JSON.parse(readFileSync(corpusUrl, "utf8"));

/** @param {string | Segment[]} body */
function bodyBytes(body) {
  if (typeof body === "string") return new TextEncoder().encode(body);
  /** @type {number[]} */
  const out = [];
  for (const segment of body) {
    const part =
      segment.text !== undefined
        ? Array.from(new TextEncoder().encode(segment.text))
        : Array.from(Buffer.from(segment.hex ?? "", "hex"));
    for (let i = 0; i < (segment.repeat ?? 1); i++) {
      for (const b of part) out.push(b);
    }
  }
  return Uint8Array.from(out);
}

/** @param {import("../index.js").RetryDecision} decision */
function decisionText(decision) {
  if (decision.action === "retry") {
    const ns = Math.round(decision.waitSeconds * 1e9);
    return `retry_after_ms ${Math.floor(ns / 1e6)}`;
  }
  return decision.action;
}

/**
 * @param {import("../index.js").ResponseError} err
 * @param {number[]} attempts
 */
function outcome(err, attempts) {
  /** @type {Record<string, unknown>} */
  const out = {
    kind: err.kind,
    code: err.code === null ? null : err.code.value,
    known: err.code !== null && err.code.known,
    request_id: err.requestId,
    // Whole seconds, as Rust's `Duration::as_secs` gives them.
    retry_after_secs: err.retryAfterSeconds === null ? null : Math.floor(err.retryAfterSeconds),
    decisions: attempts.map((a) => decisionText(retryDecision(err, a, corpus.jitter))),
  };
  if (err.kind === "api") {
    out.dropped = [...err.dropped];
  } else {
    out.reason = err.reason;
    out.dropped = [];
    out.excerpt = err.excerpt;
    out.len = err.length;
    out.content_type = err.contentType;
    out.raw_code = err.rawCode;
  }
  return out;
}

test("the corpus has its cases", () => {
  assert.ok(corpus.cases.length >= 100, String(corpus.cases.length));
});

for (const c of corpus.cases) {
  test(c.name, () => {
    // Pairs keep repeated headers apart, as HTTP sends them.
    const err = parseErrorResponse(c.status, c.headers, bodyBytes(c.body), {
      now: () => corpus.now_unix * 1000,
    });
    const got = outcome(err, c.attempts ?? corpus.attempts);
    /** @type {Record<string, unknown>} */
    const restricted = {};
    for (const key of Object.keys(c.expect)) restricted[key] = got[key] ?? null;
    assert.deepEqual(restricted, c.expect);
    // Whatever the bytes, the error prints on one line.
    assert.doesNotMatch(String(err), /[\n\r\0]/);
  });
}
