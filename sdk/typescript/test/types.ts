// Compile-time checks of index.d.ts under `tsc --strict`: the known codes are a closed union,
// an unknown code is still a string, and each result narrows by `kind`. `.ci/sdk` compiles
// this file; a `@ts-expect-error` line that stops being an error fails the build too.
import {
  CODES,
  KNOWN_CODES,
  STATUSES,
  TIERS,
  parseErrorResponse,
  retryDecision,
  fetchWithRetry,
  ErrorResponse,
} from "../index.js";
import type { KnownCode, ResponseError, RetryDecision, UnexpectedReason } from "../index.js";

const known: KnownCode = "rate_limit_exceeded";
// @ts-expect-error: a string that is not a table code is not a KnownCode.
const notKnown: KnownCode = "quota_exceeded";
void notKnown;

const pause = CODES.service_unavailable.retry;
if (pause.class === "pause") {
  const range: number = pause.maxSecs - pause.minSecs;
  void range;
}
const title: string = CODES[known].title;
const deprecated: string | null = CODES.gone.deprecated;
const first: KnownCode | undefined = KNOWN_CODES[0];
const tier: number = TIERS[0]?.requestsPerMinute ?? 0;
const statusCodes: readonly KnownCode[] = STATUSES[0]?.codes ?? [];
void [title, deprecated, first, tier, statusCodes];

function describe(err: ResponseError): string {
  switch (err.kind) {
    case "api": {
      const dropped: readonly string[] = err.dropped;
      if (err.code.known) {
        // Narrowed: the spec is there and the value is a KnownCode.
        const value: KnownCode = err.code.value;
        return `${value} ${err.code.spec.status} ${dropped.length}`;
      }
      // An unknown code keeps its string.
      const raw: string = err.code.value;
      // @ts-expect-error: an unknown code has no spec.
      const spec: object = err.code.spec;
      void spec;
      return raw;
    }
    case "unexpected": {
      const reason: UnexpectedReason = err.reason;
      return `${reason} ${err.excerpt} ${err.length} ${err.code?.value ?? "no code"}`;
    }
    default: {
      const never: never = err;
      return never;
    }
  }
}

const err = parseErrorResponse(503, new Map([["retry-after", "5"]]), new Uint8Array([0x7b]));
const decision: RetryDecision = retryDecision(err, 1, 0.5);
if (decision.action === "retry") {
  const wait: number = decision.waitSeconds;
  void wait;
}
void describe(err);
void parseErrorResponse(404, [["x-request-id", "a"]], "{}", { now: () => 0 });
void parseErrorResponse(404, { "x-request-id": ["a", "b"] }, null);
// @ts-expect-error: a status is a number.
void parseErrorResponse("404", {}, "");

async function call(): Promise<void> {
  try {
    const response = await fetchWithRetry("http://127.0.0.1:1/runs", { method: "GET" }, {
      maxAttempts: 3,
      maxTotalSeconds: 10,
      jitter: () => 0.5,
      sleep: async () => {},
    });
    const data: unknown = await response.json();
    void data;
  } catch (caught) {
    if (caught instanceof ErrorResponse) {
      const attempts: number = caught.attempts;
      const code: string | undefined = caught.error.code?.value;
      void [attempts, code];
    }
  }
}
void call;
