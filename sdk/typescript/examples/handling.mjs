// A client's call in TypeScript: fetch a run, retry as the table says, branch on the code.
// docs/errors.md quotes the part between the `docs:` markers; `.ci/sdk` runs the whole file
// against the reference server, with the package installed from sdk/typescript.
import assert from "node:assert/strict";

// docs:start
import { ErrorResponse, fetchWithRetry } from "error-spec-sdk";

const api = process.env.API_URL ?? "http://127.0.0.1:8080";
const key = process.env.API_KEY ?? "sk_live_demo_pro_8b3e9d";

/**
 * The run, or `null` when there is none; any other failure is thrown.
 * @param {string} id
 */
async function getRun(id) {
  try {
    // Retries as each code's retry class says, at most 3 requests and 30 s in all.
    const response = await fetchWithRetry(
      `${api}/runs/${encodeURIComponent(id)}`,
      { headers: { authorization: `Bearer ${key}` } },
      { maxAttempts: 3, maxTotalSeconds: 30 },
    );
    return await response.json();
  } catch (err) {
    if (!(err instanceof ErrorResponse)) throw err; // the network, not the API
    // `err.error` never failed to parse: a proxy's HTML page is `kind: "unexpected"`.
    if (err.error.code?.value === "not_found") return null;
    // A newer server's code keeps its string in `code.value`; quote the request id.
    console.error(`${err.error} (request ${err.error.requestId})`);
    throw err;
  }
}
// docs:end

assert.equal(await getRun("run_nope"), null);
await assert.rejects(getRun("run_corrupt"), (err) => {
  assert.ok(err instanceof ErrorResponse);
  assert.equal(err.error.code?.value, "internal_error");
  assert.equal(err.attempts, 1, "internal_error is never retried");
  assert.match(err.error.requestId ?? "", /^req_/);
  return true;
});
await assert.rejects(getRun("run_expired"), (err) => {
  assert.ok(err instanceof ErrorResponse);
  assert.equal(err.error.code?.value, "gone");
  return true;
});
console.log("the TypeScript snippet ran against", api);
