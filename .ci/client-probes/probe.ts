// The TypeScript probe: compiled with `tsc --strict` against the types openapi-typescript
// generates from docs/openapi.json (`./schema.ts`). It compiles only if a body with a code
// newer than the document is accepted and the known codes stay a literal union.
import type { components } from "./schema";

type ErrorBody = components["schemas"]["ErrorBody"];
type KnownErrorCode = components["schemas"]["KnownErrorCode"];

// A code the document does not know yet is a body's `error`.
export const future: ErrorBody = { error: "quota_frozen", message: "Quota frozen." };
export const futureCode: ErrorBody["error"] = "quota_frozen";

// The known codes are a union of the wire strings, not widened to `string`.
export const known: KnownErrorCode = "rate_limit_exceeded";
// @ts-expect-error a string outside the known codes is not a KnownErrorCode
export const notKnown: KnownErrorCode = "quota_frozen";

// A known code is still a valid `error`.
export const knownBody: ErrorBody = { error: known, message: "Slow down." };

// Narrowing on a known code: in the branch the code is the known literal, so it types as a
// KnownErrorCode; outside it a client falls back on the HTTP status.
export function retryAfterSeconds(body: ErrorBody, status: number): number | undefined {
  if (body.error === "rate_limit_exceeded") {
    const code: KnownErrorCode = body.error;
    void code;
    return body.retry_after ?? undefined;
  }
  return status === 503 ? 30 : undefined;
}

// Every known code can be switched on with a literal the generated union holds.
export function isRetryable(code: KnownErrorCode): boolean {
  switch (code) {
    case "rate_limit_exceeded":
    case "service_unavailable":
    case "upstream_error":
      return true;
    default:
      return false;
  }
}
