// @ts-check
// fetchWithRetry follows the retry decisions with a fake transport, clock and sleep: what it
// waits, how many requests it sends, and when it stops (attempts, time budget, a decision).
import assert from "node:assert/strict";
import { test } from "node:test";

import { ErrorResponse, fetchWithRetry } from "../index.js";

/**
 * A transport answering `answers` in order, and a clock that only sleeping moves.
 * @param {{ status: number, headers?: Record<string, string>, body?: string }[]} answers
 */
function fake(answers) {
  const state = { calls: 0, now: 1_000_000, slept: /** @type {number[]} */ ([]) };
  const options = {
    fetch: async () => {
      const answer = answers[Math.min(state.calls, answers.length - 1)];
      state.calls++;
      return new Response(answer.body ?? "", { status: answer.status, headers: answer.headers });
    },
    now: () => state.now,
    sleep: async (/** @type {number} */ seconds) => {
      state.slept.push(seconds);
      state.now += seconds * 1000;
    },
    jitter: () => 0.5,
  };
  return { state, options };
}

test("a proxy page and a 503 are retried, then the success is returned", async () => {
  const { state, options } = fake([
    { status: 502, body: "<html>bad gateway</html>" },
    { status: 503, headers: { "retry-after": "1" }, body: '{"error":"service_unavailable"}' },
    { status: 200, body: '{"run_id":"run_1"}' },
  ]);
  const response = await fetchWithRetry("http://api.test/runs", undefined, options);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { run_id: "run_1" });
  assert.equal(state.calls, 3);
  // Backoff after the first failure (a ceiling of 1 s, half of it), then Retry-After.
  assert.deepEqual(state.slept, [0.5, 1]);
});

test("the attempts are capped", async () => {
  const { state, options } = fake([{ status: 502, body: '{"error":"upstream_error"}' }]);
  await assert.rejects(fetchWithRetry("http://api.test/runs", undefined, { ...options, maxAttempts: 3 }), (err) => {
    assert.ok(err instanceof ErrorResponse);
    assert.equal(err.attempts, 3);
    assert.equal(err.reason, "attempts used up");
    assert.deepEqual(err.decision, { action: "do_not_retry" });
    assert.equal(err.error.code?.value, "upstream_error");
    return true;
  });
  assert.equal(state.calls, 3);
  assert.deepEqual(state.slept, [0.5, 1]);
});

test("the total time is capped: no wait that would pass it is started", async () => {
  const { state, options } = fake([
    { status: 503, headers: { "retry-after": "10" }, body: '{"error":"service_unavailable"}' },
  ]);
  await assert.rejects(
    fetchWithRetry("http://api.test/runs", undefined, { ...options, maxTotalSeconds: 25 }),
    (err) => {
      assert.ok(err instanceof ErrorResponse);
      assert.equal(err.reason, "time budget used up");
      assert.equal(err.attempts, 3);
      assert.deepEqual(err.decision, { action: "retry", waitSeconds: 10 });
      return true;
    },
  );
  assert.deepEqual(state.slept, [10, 10]);
});

test("a wait longer than the budget is not slept at all", async () => {
  const { state, options } = fake([{ status: 429, body: '{"error":"rate_limit_exceeded"}' }]);
  await assert.rejects(fetchWithRetry("http://api.test/runs", undefined, { ...options, maxTotalSeconds: 30 }), (err) => {
    assert.ok(err instanceof ErrorResponse);
    assert.deepEqual(err.decision, { action: "retry", waitSeconds: 60 });
    return true;
  });
  assert.equal(state.calls, 1);
  assert.deepEqual(state.slept, []);
});

test("sync_timeout_upgrade_async stops at once with resubmit_async", async () => {
  const { state, options } = fake([{ status: 408, body: '{"error":"sync_timeout_upgrade_async"}' }]);
  await assert.rejects(fetchWithRetry("http://api.test/runs", undefined, options), (err) => {
    assert.ok(err instanceof ErrorResponse);
    assert.deepEqual(err.decision, { action: "resubmit_async" });
    assert.equal(err.reason, "resubmit with async");
    return true;
  });
  assert.equal(state.calls, 1);
});

test("a code that needs the request fixed is not retried", async () => {
  const { state, options } = fake([{ status: 404, headers: { "x-request-id": "req_9" }, body: '{"error":"not_found"}' }]);
  await assert.rejects(fetchWithRetry("http://api.test/runs/x", undefined, options), (err) => {
    assert.ok(err instanceof ErrorResponse);
    assert.equal(err.reason, "not retryable");
    assert.equal(err.error.requestId, "req_9");
    assert.match(err.message, /^not_found \(404\) \(not retryable after 1 attempt\)$/);
    return true;
  });
  assert.equal(state.calls, 1);
});

test("a network error is thrown as is", async () => {
  const boom = new TypeError("fetch failed");
  await assert.rejects(
    fetchWithRetry("http://api.test/", undefined, {
      fetch: async () => {
        throw boom;
      },
    }),
    (err) => err === boom,
  );
});
