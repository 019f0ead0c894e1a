/** A code's retry class, as the table declares it. */
export type RetryClass =
  | { readonly class: "never" }
  | { readonly class: "retry_after" }
  | { readonly class: "backoff" }
  | { readonly class: "pause"; readonly minSecs: number; readonly maxSecs: number }
  | { readonly class: "resubmit_async" };

/** One code's facts. */
export interface CodeSpec {
  readonly code: KnownCode;
  readonly status: number;
  readonly category: Category;
  readonly title: string;
  readonly message: string;
  readonly when: string;
  readonly remedy: string;
  readonly retry: RetryClass;
  /** Why the code is deprecated; `null` while it is not. */
  readonly deprecated: string | null;
  /** The fragment of the code's `doc_url`. */
  readonly docAnchor: string;
}

/** One row of the status table. */
export interface StatusRow {
  readonly status: number;
  readonly category: string;
  readonly typical: string;
  readonly codes: readonly KnownCode[];
}

/** One rate-limit tier. */
export interface Tier {
  readonly name: string;
  readonly requestsPerMinute: number;
  readonly concurrentRuns: number;
}

/** One header of the contract; `on` is `["*"]` for every response, else the codes. */
export interface HeaderSpec {
  readonly name: string;
  readonly spelling: string;
  readonly type: "integer" | "string";
  readonly on: readonly string[];
}

export declare const STATUSES: readonly StatusRow[];
export declare const TIERS: readonly Tier[];
export declare const HEADERS: readonly HeaderSpec[];
export declare const LIMITS: {
  readonly maxBodyLen: number;
  readonly excerptLen: number;
  readonly maxIdLen: number;
  readonly maxCodeLen: number;
  readonly maxRetryAfterSecs: number;
  readonly rawCodeLen: number;
};
export declare const PERMANENT_SERVER_ERRORS: readonly number[];

/** An optional member of the body, as `dropped` names it. */
export type Member =
  | "type"
  | "title"
  | "status"
  | "message"
  | "request_id"
  | "run_id"
  | "task_id"
  | "doc_url"
  | "retry_after"
  | "errors";

export declare const MEMBERS: readonly Member[];

/**
 * The `error` of a body: a known code with its facts, or a well-formed code this package
 * does not know, kept as the server sent it. Compare `value` to branch: it gives the same
 * answer before and after a code becomes known.
 */
export type Code =
  | { readonly value: KnownCode; readonly known: true; readonly spec: CodeSpec }
  | { readonly value: string; readonly known: false; readonly spec: null };

/** One problem with one field, from the body's `errors`. */
export interface FieldProblem {
  /** An RFC 6901 JSON Pointer, e.g. `/inputs/0/url`. */
  readonly pointer: string;
  readonly message: string;
}

/** The body as read: every member that was readable; the others are `null` and in `dropped`. */
export interface ReceivedBody {
  readonly error: string;
  readonly type: string | null;
  readonly title: string | null;
  readonly status: number | null;
  readonly message: string | null;
  readonly requestId: string | null;
  readonly runId: string | null;
  readonly taskId: string | null;
  readonly docUrl: string | null;
  readonly retryAfter: number | null;
  readonly errors: readonly FieldProblem[];
}

/** An error response whose body is the contract's JSON. */
export interface ApiErrorResponse {
  readonly kind: "api";
  readonly status: number;
  readonly code: Code;
  /** The server's text for end users, as received; `toString()` prints it escaped. */
  readonly message: string | null;
  readonly body: ReceivedBody;
  /** The optional members the body had but that were left out as unreadable. */
  readonly dropped: readonly Member[];
  /** The `X-Request-Id` header, else the body's `request_id`; only ids `isSafeId` accepts. */
  readonly requestId: string | null;
  /** The `Retry-After` header, else the body's `retry_after`. */
  readonly retryAfterSeconds: number | null;
  /** One line: `code (status): message`, control characters escaped. */
  toString(): string;
}

/** Why a body is not the contract's JSON. */
export type UnexpectedReason = "empty" | "not_json" | "not_contract" | "too_large" | "truncated";

/** An error response whose body is not the contract's JSON: a proxy's page, nothing, garbage. */
export interface UnexpectedResponse {
  readonly kind: "unexpected";
  readonly status: number;
  readonly reason: UnexpectedReason;
  /** The code, when a well-formed one was read before the body stopped being JSON. */
  readonly code: Code | null;
  /**
   * When `error` was a string outside the code grammar and no code was read: an excerpt of
   * it, control characters, line separators and bidirectional overrides escaped (`\n`,
   * `\u{0}`), at most `LIMITS.rawCodeLen` bytes. Safe to log; never a code to match on.
   */
  readonly rawCode: string | null;
  readonly contentType: string | null;
  /** At most `LIMITS.excerptLen` bytes of the body as text. */
  readonly excerpt: string;
  /** The body's length in bytes. */
  readonly length: number;
  readonly requestId: string | null;
  readonly retryAfterSeconds: number | null;
  toString(): string;
}

export type ResponseError = ApiErrorResponse | UnexpectedResponse;

/** Anything with `forEach(value, key)` and `get`, like fetch's `Headers` or a `Map`. */
export interface HeaderLookup {
  forEach(callback: (value: string, key: string) => void): void;
  get(name: string): string | null | undefined;
}

/** The headers of a response in any of the usual shapes; names are matched case-insensitively. */
export type HeadersLike =
  | HeaderLookup
  | Iterable<readonly [string, string]>
  | { readonly [name: string]: string | readonly string[] | undefined };

/** A body's bytes; a string is read as its UTF-8. */
export type BodyLike = Uint8Array | ArrayBuffer | ArrayBufferView | string | null | undefined;

export interface ParseOptions {
  /** The clock, in milliseconds since the epoch; read only for an HTTP-date `Retry-After`. */
  readonly now?: () => number;
}

/** Reads an error response; never throws, whatever the bytes. */
export declare function parseErrorResponse(
  status: number,
  headers: HeadersLike | null | undefined,
  body: BodyLike,
  options?: ParseOptions | null,
): ResponseError;

/** A `Retry-After` value in seconds (delta-seconds or an HTTP-date), or `null`. */
export declare function parseRetryAfter(value: string, nowMs?: number): number | null;

export declare function isKnownCode(code: unknown): code is KnownCode;
/** Lowercase snake_case ASCII of at most `LIMITS.maxCodeLen` bytes: the only codes read. */
export declare function isWellFormedCode(text: unknown): text is string;
/** 1 to `LIMITS.maxIdLen` ASCII letters, digits, `-`, `_`, `.`, `:`: the only ids read. */
export declare function isSafeId(id: unknown): id is string;

/** The figures the retry rules use, in seconds. */
export interface RetryPolicy {
  readonly baseSeconds: number;
  readonly maxBackoffSeconds: number;
  readonly maxAttempts: number;
  readonly rateLimitWaitSeconds: number;
  readonly unavailableWaitSeconds: number;
}

export declare const DEFAULT_POLICY: RetryPolicy;

/** What to do about a failed request. */
export type RetryDecision =
  | { readonly action: "do_not_retry" }
  | { readonly action: "retry"; readonly waitSeconds: number }
  | { readonly action: "resubmit_async" };

/** What the retry rules read of an error. */
export type RetryInput = Pick<ResponseError, "code" | "status" | "retryAfterSeconds">;

/**
 * Whether and when to retry after `attempt` requests (1 after the first failure), with a
 * `jitter` in [0, 1) that spreads the waits.
 */
export declare function retryDecision(
  error: RetryInput,
  attempt: number,
  jitter: number,
  policy?: RetryPolicy,
): RetryDecision;

export declare function backoffSeconds(attempt: number, jitter: number, policy?: RetryPolicy): number;
export declare function clampJitter(value: number): number;

/** The failed response a helper gave up on. */
export declare class ErrorResponse extends Error {
  readonly error: ResponseError;
  readonly decision: RetryDecision;
  readonly attempts: number;
  readonly reason: string;
}

/** What `fetchWithRetry` needs of a response; fetch's `Response` is one. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: HeaderLookup;
  arrayBuffer(): Promise<ArrayBuffer>;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export interface FetchWithRetryOptions<R extends ResponseLike> {
  /** The transport; the platform's `fetch` by default. */
  readonly fetch?: (input: never, init?: never) => Promise<R>;
  /** The clock, in milliseconds since the epoch. */
  readonly now?: () => number;
  /** How to wait, in seconds. */
  readonly sleep?: (seconds: number) => Promise<void>;
  /** A number in [0, 1) per decision; `Math.random` by default. */
  readonly jitter?: () => number;
  readonly policy?: Partial<RetryPolicy>;
  /** Requests sent in all, the first included; the policy's 5 by default. */
  readonly maxAttempts?: number;
  /** The longest the requests and waits may take together, 120 s by default. */
  readonly maxTotalSeconds?: number;
}

/**
 * Sends a request and follows the retry decisions: the first response below 400, or an
 * `ErrorResponse` thrown once retrying stops.
 */
export declare function fetchWithRetry<R extends ResponseLike = ResponseLike>(
  input: unknown,
  init?: unknown,
  options?: FetchWithRetryOptions<R>,
): Promise<R>;
