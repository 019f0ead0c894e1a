// What the TypeScript package reads from each response of a corpus file, one JSON object
// per line, in the terms of `error-spec/examples/read_corpus.rs`, whose output it must equal.
// Usage: node read_corpus.mjs FILE, in a directory where `error-spec-sdk` is installed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// The package as the current directory resolves it: the install under test, not a copy
// beside this script.
const entry = createRequire(`${process.cwd()}/`).resolve("error-spec-sdk");
const { parseErrorResponse, retryDecision } = await import(pathToFileURL(entry).href);

const corpus = JSON.parse(readFileSync(process.argv[2], "utf8"));

function bytes(body) {
  if (typeof body === "string") return new TextEncoder().encode(body);
  const parts = [];
  for (const s of body) {
    const part = s.text !== undefined ? Buffer.from(s.text, "utf8") : Buffer.from(s.hex, "hex");
    for (let i = 0; i < (s.repeat ?? 1); i++) parts.push(part);
  }
  return new Uint8Array(Buffer.concat(parts));
}

function decision(d) {
  return d.action === "retry" ? `retry_after_ms ${Math.floor(Math.round(d.waitSeconds * 1e9) / 1e6)}` : d.action;
}

const lines = [];
for (const c of corpus.cases) {
  const err = parseErrorResponse(c.status, c.headers, bytes(c.body), { now: () => corpus.now_unix * 1000 });
  const out = {
    code: err.code?.value ?? null,
    known: err.code !== null && err.code.known,
    request_id: err.requestId,
    retry_after_secs: err.retryAfterSeconds === null ? null : Math.floor(err.retryAfterSeconds),
    decisions: (c.attempts ?? corpus.attempts).map((a) => decision(retryDecision(err, a, corpus.jitter))),
    kind: err.kind,
  };
  if (err.kind === "api") {
    const b = err.body;
    out.dropped = [...err.dropped];
    out.body = {
      type: b.type, title: b.title, status: b.status, message: b.message, request_id: b.requestId,
      run_id: b.runId, task_id: b.taskId, doc_url: b.docUrl, retry_after: b.retryAfter,
      errors: b.errors.map((e) => [e.pointer, e.message]),
    };
  } else {
    Object.assign(out, { reason: err.reason, excerpt: err.excerpt, len: err.length, content_type: err.contentType, raw_code: err.rawCode });
  }
  lines.push(JSON.stringify(out));
}
process.stdout.write(lines.join("\n") + "\n");
