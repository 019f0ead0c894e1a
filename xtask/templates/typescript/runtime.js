// The reader, the retry rules and the fetch helper. They mirror the Rust SDK
// (error-spec/src/sdk) rule for rule, and sdk/conformance/corpus.json holds all of them to it.

const BOM = [0xef, 0xbb, 0xbf];

/** The members of a body that are read, in the body's order: `dropped` lists them so. */
export const MEMBERS = Object.freeze([
  "type",
  "title",
  "status",
  "message",
  "request_id",
  "run_id",
  "task_id",
  "doc_url",
  "retry_after",
  "errors",
]);

/** Whether `code` is one of the table's codes. */
export function isKnownCode(code) {
  return typeof code === "string" && Object.prototype.hasOwnProperty.call(CODES, code);
}

/**
 * Whether `text` is a well-formed code: lowercase snake_case ASCII that starts with a letter,
 * with no doubled, leading or trailing `_`, at most `LIMITS.maxCodeLen` bytes. Only such a
 * string is read as a code.
 */
export function isWellFormedCode(text) {
  return (
    typeof text === "string" &&
    text.length <= LIMITS.maxCodeLen &&
    /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(text)
  );
}

/** Whether `id` is safe to log and show: 1 to `LIMITS.maxIdLen` ASCII letters, digits, `-`, `_`, `.`, `:`. */
export function isSafeId(id) {
  return (
    typeof id === "string" &&
    id.length >= 1 &&
    id.length <= LIMITS.maxIdLen &&
    /^[A-Za-z0-9._:-]+$/.test(id)
  );
}

/** The code read from a body: known to this package, or kept as the string the server sent. */
function makeCode(value) {
  if (isKnownCode(value)) {
    return Object.freeze({ value, known: true, spec: CODES[value] });
  }
  return Object.freeze({ value, known: false, spec: null });
}

// ---- headers ----

/** Every value of header `name` (lowercase), in order, from any of the accepted shapes. */
function headerValues(headers, name) {
  const out = [];
  try {
    if (headers == null) return out;
    if (typeof headers.forEach === "function" && typeof headers.get === "function") {
      // A fetch `Headers` (repeated headers already joined with ", ") or a `Map`.
      headers.forEach((value, key) => {
        if (String(key).toLowerCase() === name) pushValue(out, value);
      });
    } else if (typeof headers[Symbol.iterator] === "function") {
      for (const pair of headers) {
        if (pair != null && String(pair[0]).toLowerCase() === name) pushValue(out, pair[1]);
      }
    } else if (typeof headers === "object") {
      for (const key of Object.keys(headers)) {
        if (key.toLowerCase() === name) pushValue(out, headers[key]);
      }
    }
  } catch {
    // A header object whose accessors throw has no readable headers.
  }
  return out;
}

function pushValue(out, value) {
  if (Array.isArray(value)) {
    for (const one of value) out.push(String(one));
  } else if (value != null) {
    out.push(String(value));
  }
}

/** Visible ASCII and tab only, as an HTTP header value must be to be read as text. */
function isHeaderText(text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x20 && c < 0x7f) || c === 0x09)) return false;
  }
  return true;
}

/** The response's `X-Request-Id`, if there is exactly one and it is safe to log. */
function headerRequestId(headers) {
  const values = headerValues(headers, "x-request-id");
  if (values.length !== 1 || !isHeaderText(values[0])) return null;
  const id = values[0].trim();
  return isSafeId(id) ? id : null;
}

// ---- Retry-After ----

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/**
 * Reads a `Retry-After` value: delta-seconds, or an HTTP-date (IMF-fixdate, RFC 850 or
 * asctime) measured from `nowMs` (milliseconds since the epoch). A date in the past is 0; a
 * value that is neither is `null`. Seconds are capped at 2^31; a date's wait keeps the
 * clock's milliseconds.
 */
export function parseRetryAfter(value, nowMs = Date.now()) {
  return retryAfterWithClock(value, () => nowMs);
}

function retryAfterWithClock(value, now) {
  if (typeof value !== "string" || !isHeaderText(value)) return null;
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) {
    // Leading zeros count for nothing; past 15 digits the number is far above the cap, and
    // below, a double holds it exactly.
    const digits = text.replace(/^0+(?=.)/, "");
    if (digits.length > 15) return LIMITS.maxRetryAfterSecs;
    return Math.min(Number(digits), LIMITS.maxRetryAfterSecs);
  }
  const at = parseHttpDate(text);
  if (at === null) return null;
  let nowMs = Number(now());
  if (!Number.isFinite(nowMs) || nowMs < 0) nowMs = 0;
  return Math.min(Math.max(at * 1000 - nowMs, 0) / 1000, LIMITS.maxRetryAfterSecs);
}

/** Two ASCII digits at `at` as a number, or `null`. */
function digits2(text, at) {
  const a = text.charCodeAt(at) - 0x30;
  const b = text.charCodeAt(at + 1) - 0x30;
  return a >= 0 && a < 10 && b >= 0 && b < 10 ? a * 10 + b : null;
}

function digits4(text, at) {
  const high = digits2(text, at);
  const low = digits2(text, at + 2);
  return high === null || low === null ? null : high * 100 + low;
}

/**
 * An HTTP-date as seconds since the epoch, read as the `httpdate` crate (the Rust SDK's)
 * reads one: each format byte for byte, the weekday the date's, the seconds below 60, the
 * year 1970-9999.
 */
function parseHttpDate(value) {
  const s = value.trim();
  const date = imfFixdate(s) ?? rfc850(s) ?? asctime(s);
  if (date === null) return null;
  const { sec, min, hour, day, mon, year, wday } = date;
  if (sec >= 60 || min >= 60 || hour >= 24 || day < 1 || day > 31 || mon < 1 || mon > 12) return null;
  if (year < 1970 || year > 9999) return null;
  if (day > daysInMonth(year, mon)) return null;
  const days = daysFromCivil(year, mon, day);
  // 1970-01-01 was a Thursday; Monday is 1.
  if ((days + 3) % 7 + 1 !== wday) return null;
  return days * 86400 + hour * 3600 + min * 60 + sec;
}

/** `Sun, 06 Nov 1994 08:49:37 GMT`. */
function imfFixdate(s) {
  if (s.length !== 29 || s.slice(25) !== " GMT" || s[16] !== " " || s[19] !== ":" || s[22] !== ":") {
    return null;
  }
  const wday = WEEKDAYS.findIndex((name) => s.startsWith(`${name}, `)) + 1;
  const mon = MONTHS.findIndex((name) => s.slice(7, 12) === ` ${name} `) + 1;
  const fields = [digits2(s, 23), digits2(s, 20), digits2(s, 17), digits2(s, 5), digits4(s, 12)];
  if (wday === 0 || mon === 0 || fields.includes(null)) return null;
  const [sec, min, hour, day, year] = fields;
  return { sec, min, hour, day, mon, year, wday };
}

/** `Sunday, 06-Nov-94 08:49:37 GMT`. */
function rfc850(whole) {
  if (whole.length < 23) return null;
  const w = LONG_WEEKDAYS.findIndex((name) => whole.startsWith(`${name}, `));
  if (w < 0) return null;
  const s = whole.slice(LONG_WEEKDAYS[w].length + 2);
  if (s.length !== 22 || s[12] !== ":" || s[15] !== ":" || s.slice(18) !== " GMT") return null;
  const mon = MONTHS.findIndex((name) => s.slice(2, 7) === `-${name}-`) + 1;
  const fields = [digits2(s, 16), digits2(s, 13), digits2(s, 10), digits2(s, 0), digits2(s, 7)];
  if (mon === 0 || fields.includes(null)) return null;
  const [sec, min, hour, day, short] = fields;
  return { sec, min, hour, day, mon, year: short < 70 ? 2000 + short : 1900 + short, wday: w + 1 };
}

/** `Sun Nov  6 08:49:37 1994`. */
function asctime(s) {
  if (s.length !== 24 || s[10] !== " " || s[13] !== ":" || s[16] !== ":" || s[19] !== " ") return null;
  const wday = WEEKDAYS.findIndex((name) => s.startsWith(`${name} `)) + 1;
  const mon = MONTHS.findIndex((name) => s.slice(4, 8) === `${name} `) + 1;
  let day;
  if (s[8] === " ") {
    const d = s.charCodeAt(9) - 0x30;
    day = d >= 0 && d < 10 ? d : null;
  } else {
    day = digits2(s, 8);
  }
  const fields = [digits2(s, 17), digits2(s, 14), digits2(s, 11), day, digits4(s, 20)];
  if (wday === 0 || mon === 0 || fields.includes(null)) return null;
  const [sec, min, hour, d, year] = fields;
  return { sec, min, hour, day: d, mon, year, wday };
}

function daysInMonth(year, month) {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function daysFromCivil(year, month, day) {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// ---- bytes and text ----

function toBytes(body) {
  if (body == null) return new Uint8Array(0);
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return new Uint8Array(0);
}

function lossy(bytes) {
  return new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(bytes);
}

function startsWithBom(bytes) {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

function utf8Len(codePoint) {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * At most `LIMITS.excerptLen` bytes of `bytes` as text: ill-formed UTF-8 becomes U+FFFD and
 * the cut falls on a character boundary.
 */
function excerpt(bytes) {
  // Each output character is at least as long in UTF-8 as the bytes it stands for, so a few
  // bytes past the bound are all that can matter.
  const text = lossy(bytes.subarray(0, LIMITS.excerptLen + 4));
  let out = "";
  let len = 0;
  for (const ch of text) {
    const n = utf8Len(ch.codePointAt(0));
    if (len + n > LIMITS.excerptLen) break;
    len += n;
    out += ch;
  }
  return out;
}

/** A header value's characters as the bytes they stand for. */
function headerBytes(value) {
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) return new TextEncoder().encode(value);
    bytes[i] = c;
  }
  return bytes;
}

// ---- the lenient reader ----

class Stop {
  constructor(kind) {
    this.kind = kind; // "eof" or "syntax"
  }
}
const EOF = new Stop("eof");
const SYNTAX = new Stop("syntax");

/** The body being read: one member at a time, the last readable value of each kept. */
class Builder {
  constructor() {
    this.error = null;
    /** The last `error` string that was not a code, escaped and bounded. */
    this.rawCode = null;
    this.values = {};
    this.dropped = new Set();
  }

  set(key, value) {
    if (key === "error") {
      // Only a well-formed code is remembered: anything else leaves the code as it was,
      // and a string outside the grammar is kept only as an escaped excerpt.
      if (value.kind === "text") {
        if (isWellFormedCode(value.text)) this.error = value.text;
        else this.rawCode = escapedExcerpt(value.text, LIMITS.rawCodeLen);
      }
      return;
    }
    if (!MEMBERS.includes(key)) return;
    let kept = false;
    switch (key) {
      case "type":
      case "title":
      case "doc_url":
      case "message":
        if (value.kind === "text") {
          this.values[key] = value.text;
          kept = true;
        }
        break;
      case "request_id":
      case "run_id":
      case "task_id":
        if (value.kind === "text" && isSafeId(value.text)) {
          this.values[key] = value.text;
          kept = true;
        }
        break;
      case "status":
        if (value.kind === "integer" && value.n >= 400 && value.n <= 599) {
          this.values.status = value.n;
          kept = true;
        }
        break;
      case "retry_after":
        if (value.kind === "integer" && value.n <= 0xffffffff) {
          this.values.retry_after = value.n;
          kept = true;
        }
        break;
      case "errors":
        if (value.kind === "errors") {
          this.values.errors = value.items;
          kept = value.allRead;
        }
        break;
      default:
        break;
    }
    if (!kept) this.dropped.add(key);
  }

  /** The bytes stopped being a body for `reason`: what was read of the code so far. */
  stop(reason) {
    // A malformed string is only worth reporting when no code was read.
    return { ok: false, reason, code: this.error, rawCode: this.error === null ? this.rawCode : null };
  }

  finish() {
    if (this.error === null) return this.stop("not_contract");
    const v = this.values;
    const body = Object.freeze({
      error: this.error,
      type: v.type ?? null,
      title: v.title ?? null,
      status: v.status ?? null,
      message: v.message ?? null,
      requestId: v.request_id ?? null,
      runId: v.run_id ?? null,
      taskId: v.task_id ?? null,
      docUrl: v.doc_url ?? null,
      retryAfter: v.retry_after ?? null,
      errors: Object.freeze(v.errors ?? []),
    });
    const dropped = Object.freeze(MEMBERS.filter((m) => this.dropped.has(m)));
    return { ok: true, body, dropped };
  }
}

/**
 * A JSON scanner over the body's text (decoded lossily), without recursion. `strict` is the
 * mode of the `errors` pass: a lone surrogate escape or a number out of a double's range in a
 * value it reads fails the whole pass, as serde_json does.
 */
class Scanner {
  constructor(text) {
    this.text = text;
    this.at = 0;
  }

  peek() {
    return this.at < this.text.length ? this.text.charCodeAt(this.at) : -1;
  }

  whitespace() {
    for (;;) {
      const c = this.peek();
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.at++;
      else return;
    }
  }

  expect(c) {
    const p = this.peek();
    if (p === c) {
      this.at++;
      return;
    }
    throw p === -1 ? EOF : SYNTAX;
  }

  /** The whole text: `true` for an object, whose members went into `builder`. */
  body(builder) {
    this.whitespace();
    const object = this.peek() === 0x7b;
    if (object) {
      this.at++;
      this.members(builder);
    } else {
      this.value(null);
    }
    this.whitespace();
    if (this.at < this.text.length) throw SYNTAX;
    return object;
  }

  members(builder) {
    this.whitespace();
    if (this.peek() === 0x7d) {
      this.at++;
      return;
    }
    for (;;) {
      this.whitespace();
      if (this.peek() !== 0x22) throw this.peek() === -1 ? EOF : SYNTAX;
      const key = this.string().text;
      this.whitespace();
      this.expect(0x3a);
      this.whitespace();
      const value = this.value(key);
      builder.set(key, value);
      this.whitespace();
      const c = this.peek();
      if (c === 0x2c) this.at++;
      else if (c === 0x7d) {
        this.at++;
        return;
      } else throw c === -1 ? EOF : SYNTAX;
    }
  }

  /** One value, read as member `key`'s (`null` for anything but a top-level member). */
  value(key) {
    const c = this.peek();
    if (c === -1) throw EOF;
    if (c === 0x22) {
      const s = this.string();
      return { kind: "text", text: s.text, lone: s.lone };
    }
    if (c === 0x7b || c === 0x5b) {
      const start = this.at;
      this.container();
      if (key === "errors") return readErrors(this.text.slice(start, this.at));
      return { kind: "other" };
    }
    if (c === 0x74) return this.literal("true");
    if (c === 0x66) return this.literal("false");
    if (c === 0x6e) return this.literal("null");
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    throw SYNTAX;
  }

  literal(word) {
    for (let i = 0; i < word.length; i++) this.expect(word.charCodeAt(i));
    return { kind: "other" };
  }

  number() {
    const start = this.at;
    const negative = this.peek() === 0x2d;
    if (negative) this.at++;
    const c = this.peek();
    if (c === 0x30) this.at++;
    else if (c >= 0x31 && c <= 0x39) this.digits();
    else throw c === -1 ? EOF : SYNTAX;
    let integer = !negative;
    if (this.peek() === 0x2e) {
      integer = false;
      this.at++;
      this.someDigits();
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      integer = false;
      this.at++;
      if (this.peek() === 0x2b || this.peek() === 0x2d) this.at++;
      this.someDigits();
    }
    const text = this.text.slice(start, this.at);
    // Past 20 digits the number is above u64, which Rust reads as no integer; either way
    // no member keeps it.
    if (integer && text.length <= 20) return { kind: "integer", n: Number(text), text };
    return { kind: "number", text };
  }

  digits() {
    for (;;) {
      const c = this.peek();
      if (c >= 0x30 && c <= 0x39) this.at++;
      else return;
    }
  }

  someDigits() {
    const c = this.peek();
    if (c >= 0x30 && c <= 0x39) this.digits();
    else throw c === -1 ? EOF : SYNTAX;
  }

  /**
   * A string, unescaped; `lone` says whether it held a lone surrogate escape (read as
   * U+FFFD). A raw control character (below U+0020) is not JSON.
   */
  string() {
    this.expect(0x22);
    let out = "";
    let lone = false;
    for (;;) {
      const start = this.at;
      let c = this.peek();
      while (c !== -1 && c !== 0x22 && c !== 0x5c && c >= 0x20) {
        this.at++;
        c = this.peek();
      }
      out += this.text.slice(start, this.at);
      if (c === -1) throw EOF;
      if (c < 0x20) throw SYNTAX;
      this.at++;
      if (c === 0x22) return { text: out, lone };
      const escaped = this.escape();
      out += escaped.ch;
      lone = lone || escaped.lone;
    }
  }

  escape() {
    const b = this.peek();
    if (b === -1) throw EOF;
    this.at++;
    switch (b) {
      case 0x22:
        return { ch: '"', lone: false };
      case 0x5c:
        return { ch: "\\", lone: false };
      case 0x2f:
        return { ch: "/", lone: false };
      case 0x62:
        return { ch: "\b", lone: false };
      case 0x66:
        return { ch: "\f", lone: false };
      case 0x6e:
        return { ch: "\n", lone: false };
      case 0x72:
        return { ch: "\r", lone: false };
      case 0x74:
        return { ch: "\t", lone: false };
      case 0x75:
        return this.unicodeEscape();
      default:
        throw SYNTAX;
    }
  }

  unicodeEscape() {
    const first = this.hex4();
    if (first >= 0xdc00 && first < 0xe000) return { ch: "\ufffd", lone: true };
    if (!(first >= 0xd800 && first < 0xdc00)) return { ch: String.fromCharCode(first), lone: false };
    if (!this.text.startsWith("\\u", this.at)) return { ch: "\ufffd", lone: true };
    const before = this.at;
    this.at += 2;
    const second = this.hex4();
    if (second >= 0xdc00 && second < 0xe000) {
      return { ch: String.fromCharCode(first, second), lone: false };
    }
    // Not a pair: the second escape is read on its own next.
    this.at = before;
    return { ch: "\ufffd", lone: true };
  }

  hex4() {
    let n = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.peek();
      if (c === -1) throw EOF;
      let digit;
      if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) digit = c - 0x61 + 10;
      else if (c >= 0x41 && c <= 0x46) digit = c - 0x41 + 10;
      else throw SYNTAX;
      this.at++;
      n = n * 16 + digit;
    }
    return n;
  }

  /** An array or object of any depth, checked but not kept; the open brackets are a stack. */
  container() {
    const open = [];
    let expect = "value";
    for (;;) {
      this.whitespace();
      const b = this.peek();
      if (b === -1) throw EOF;
      if (expect === "valueOrClose" && b === 0x5d) {
        this.at++;
        open.pop();
        expect = "after";
      } else if (expect === "value" || expect === "valueOrClose") {
        if (b === 0x5b) {
          this.at++;
          open.push(0x5d);
          expect = "valueOrClose";
        } else if (b === 0x7b) {
          this.at++;
          open.push(0x7d);
          expect = "keyOrClose";
        } else {
          this.value(null);
          expect = "after";
        }
      } else if (expect === "keyOrClose" && b === 0x7d) {
        this.at++;
        open.pop();
        expect = "after";
      } else if (expect === "key" || expect === "keyOrClose") {
        if (b !== 0x22) throw SYNTAX;
        this.string();
        this.whitespace();
        this.expect(0x3a);
        expect = "value";
      } else {
        const close = open.length > 0 ? open[open.length - 1] : -1;
        if (close === -1) throw SYNTAX;
        if (b === 0x2c) {
          this.at++;
          expect = close === 0x5d ? "value" : "key";
        } else if (b === close) {
          this.at++;
          open.pop();
          expect = "after";
        } else {
          throw SYNTAX;
        }
      }
      if (expect === "after" && open.length === 0) return;
    }
  }
}

/** Whether a value read in the strict `errors` pass is one serde_json refuses. */
function refused(value) {
  if (value.kind === "text") return value.lone;
  if (value.kind === "number" || value.kind === "integer") {
    return !Number.isFinite(Number(value.text));
  }
  return false;
}

/** Whether `text` is an RFC 6901 JSON Pointer. */
function isPointer(text) {
  if (text !== "" && !text.startsWith("/")) return false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "~") {
      const next = text[i + 1];
      if (next !== "0" && next !== "1") return false;
      i++;
    }
  }
  return true;
}

/**
 * The value of `errors`, from its JSON text (already checked to be one array or object):
 * its readable items and whether every item was one, or `other` when it is not an array or
 * when a value it reads is refused (see `refused`).
 */
function readErrors(json) {
  const s = new Scanner(json);
  try {
    if (s.peek() !== 0x5b) return { kind: "other" };
    s.at++;
    const items = [];
    let allRead = true;
    s.whitespace();
    if (s.peek() === 0x5d) return { kind: "errors", items, allRead };
    for (;;) {
      s.whitespace();
      const item = readItem(s);
      if (item === undefined) return { kind: "other" };
      if (item === null) allRead = false;
      else items.push(item);
      s.whitespace();
      if (s.peek() === 0x2c) s.at++;
      else if (s.peek() === 0x5d) return { kind: "errors", items, allRead };
      else return { kind: "other" };
    }
  } catch {
    return { kind: "other" };
  }
}

/** One item of `errors`: the field problem, `null` if it is not one, `undefined` if refused. */
function readItem(s) {
  if (s.peek() === 0x5b) {
    s.container();
    return null;
  }
  if (s.peek() !== 0x7b) {
    const value = s.value(null);
    return refused(value) ? undefined : null;
  }
  s.at++;
  let pointer = null;
  let message = null;
  s.whitespace();
  if (s.peek() === 0x7d) {
    s.at++;
    return null;
  }
  for (;;) {
    s.whitespace();
    const key = s.string();
    if (key.lone) return undefined;
    s.whitespace();
    s.expect(0x3a);
    s.whitespace();
    const c = s.peek();
    let value;
    if (c === 0x7b || c === 0x5b) {
      s.container();
      value = { kind: "other" };
    } else {
      value = s.value(null);
      if (refused(value)) return undefined;
    }
    if (value.kind === "text") {
      if (key.text === "pointer") pointer = isPointer(value.text) ? value.text : null;
      else if (key.text === "message") message = value.text;
    }
    s.whitespace();
    if (s.peek() === 0x2c) s.at++;
    else if (s.peek() === 0x7d) {
      s.at++;
      break;
    } else throw SYNTAX;
  }
  return pointer !== null && message !== null ? Object.freeze({ pointer, message }) : null;
}

/** Reads body bytes: the body, or why not and the code read all the same. */
function readBody(bytes) {
  if (bytes.length > LIMITS.maxBodyLen) {
    let start = bytes.subarray(0, LIMITS.maxBodyLen);
    if (startsWithBom(start)) start = start.subarray(3);
    return salvage(start);
  }
  const rest = startsWithBom(bytes) ? bytes.subarray(3) : bytes;
  let blank = true;
  for (const b of rest) {
    if (!(b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d)) {
      blank = false;
      break;
    }
  }
  if (blank) return { ok: false, reason: "empty", code: null, rawCode: null };
  const builder = new Builder();
  try {
    if (!new Scanner(lossy(rest)).body(builder)) {
      return { ok: false, reason: "not_contract", code: null, rawCode: null };
    }
  } catch (stop) {
    if (!(stop instanceof Stop)) throw stop;
    return builder.stop(stop === EOF ? "truncated" : "not_json");
  }
  return builder.finish();
}

/** The start of a body too large to read: the code it starts with, if read before it ends. */
function salvage(bytes) {
  const builder = new Builder();
  try {
    new Scanner(lossy(bytes)).body(builder);
  } catch (stop) {
    if (!(stop instanceof Stop)) throw stop;
  }
  return builder.stop("too_large");
}

// ---- the response ----

/** Characters that could break a log line or disguise it, escaped by `oneLine`. */
function isHostileChar(code) {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** A hostile character as Rust's `char::escape_debug` writes it: `\n`, `\0`, `\u{1b}`. */
function rustEscape(code) {
  switch (code) {
    case 0:
      return "\\0";
    case 0x09:
      return "\\t";
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    default:
      return `\\u{${code.toString(16)}}`;
  }
}

/**
 * `text` with every hostile character escaped, at most `max` bytes of UTF-8, ending with
 * `…` (within the bound) when cut: an excerpt that is safe to log, never the text itself.
 */
function escapedExcerpt(text, max) {
  const more = "…";
  let out = "";
  let len = 0;
  // Where to cut if the rest does not fit: after the last piece that leaves room for `…`.
  let cut = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0);
    const piece = isHostileChar(code) ? rustEscape(code) : ch;
    out += piece;
    // An escape is ASCII, one byte a character.
    len += isHostileChar(code) ? piece.length : utf8Len(code);
    if (len > max) return out.slice(0, cut) + more;
    if (len + 3 <= max) cut = out.length;
  }
  return out;
}

/** `text` on one line, at most `max` printed characters, control characters escaped. */
function oneLine(text, max) {
  let out = "";
  let printed = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0);
    const shown = isHostileChar(code) ? rustEscape(code) : ch;
    const width = isHostileChar(code) ? shown.length : 1;
    if (printed + width > max) return `${out}…`;
    printed += width;
    out += shown;
  }
  return out;
}

/**
 * Reads an error response into an `ApiErrorResponse` or an `UnexpectedResponse`. Never
 * throws, whatever the bytes. `options.now` (milliseconds since the epoch, like `Date.now`)
 * is read only for an HTTP-date `Retry-After`.
 */
export function parseErrorResponse(status, headers, body, options = {}) {
  const now = typeof options?.now === "function" ? options.now : Date.now;
  const bytes = toBytes(body);
  const requestIdFromHeader = headerRequestId(headers);
  const retryAfterValues = headerValues(headers, "retry-after");
  const retryAfterHeader =
    retryAfterValues.length > 0 ? retryAfterWithClock(retryAfterValues[0], now) : null;
  const read = readBody(bytes);
  if (read.ok) {
    const requestId = requestIdFromHeader ?? read.body.requestId;
    const retryAfterSeconds = retryAfterHeader ?? read.body.retryAfter;
    const code = makeCode(read.body.error);
    return Object.freeze({
      kind: "api",
      status,
      code,
      message: read.body.message,
      body: read.body,
      dropped: read.dropped,
      requestId,
      retryAfterSeconds,
      toString() {
        const message = read.body.message === null ? "" : `: ${oneLine(read.body.message, 256)}`;
        return `${oneLine(code.value, 64)} (${status})${message}`;
      },
    });
  }
  const contentTypes = headerValues(headers, "content-type");
  const text = excerpt(bytes);
  const textLen = new TextEncoder().encode(text).length;
  return Object.freeze({
    kind: "unexpected",
    status,
    reason: read.reason,
    code: read.code === null ? null : makeCode(read.code),
    rawCode: read.rawCode,
    contentType: contentTypes.length > 0 ? excerpt(headerBytes(contentTypes[0])) : null,
    excerpt: text,
    length: bytes.length,
    requestId: requestIdFromHeader,
    retryAfterSeconds: retryAfterHeader,
    toString() {
      const shown = text === "" ? "" : `: ${oneLine(text, 80)}${textLen < bytes.length ? "…" : ""}`;
      return `unexpected ${status} response (${REASON_TEXT[read.reason]}, ${bytes.length} bytes)${shown}`;
    },
  });
}

const REASON_TEXT = Object.freeze({
  empty: "empty body",
  not_json: "not json",
  not_contract: "json but not an error body",
  too_large: "body too large",
  truncated: "truncated json",
});

// ---- retry ----

/** `value` clamped into [0, 1); NaN is 0. */
export function clampJitter(value) {
  const max = 1 - Number.EPSILON / 2;
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) return 0;
  return value >= max ? max : value;
}

/** The backoff wait in seconds after `attempt` requests: full jitter under a doubling ceiling. */
export function backoffSeconds(attempt, jitter, policy = DEFAULT_POLICY) {
  const doublings = Math.min(Math.max(attempt - 1, 0), 31);
  const ceiling = Math.min(policy.baseSeconds * 2 ** doublings, policy.maxBackoffSeconds);
  return ceiling * clampJitter(jitter);
}

/**
 * Whether and when to retry a failed request, after `attempt` requests (1 after the first
 * failure), with `jitter` in [0, 1). The rules are the Rust SDK's `RetryPolicy::decide`.
 */
export function retryDecision(error, attempt, jitter, policy = DEFAULT_POLICY) {
  // An attempt is a count of requests: a whole number, at least 0.
  attempt = Number.isFinite(attempt) ? Math.max(Math.floor(attempt), 0) : 0;
  const spec = error.code != null && error.code.known ? error.code.spec : null;
  const retry = spec === null ? null : spec.retry;
  if (retry !== null && retry.class === "resubmit_async") return RESUBMIT;
  if (attempt >= policy.maxAttempts) return DO_NOT_RETRY;
  let fallback;
  if (retry !== null) {
    switch (retry.class) {
      case "retry_after":
        fallback = policy.rateLimitWaitSeconds;
        break;
      case "backoff":
        fallback = backoffSeconds(attempt, jitter, policy);
        break;
      case "pause":
        fallback = retry.minSecs + clampJitter(jitter) * (retry.maxSecs - retry.minSecs);
        break;
      default:
        return DO_NOT_RETRY;
    }
  } else {
    const status = error.status;
    if (status === 429) fallback = policy.rateLimitWaitSeconds;
    else if (status === 503) fallback = policy.unavailableWaitSeconds;
    else if (status >= 500 && status <= 599 && !PERMANENT_SERVER_ERRORS.includes(status)) {
      fallback = backoffSeconds(attempt, jitter, policy);
    } else return DO_NOT_RETRY;
  }
  const waitSeconds = error.retryAfterSeconds ?? fallback;
  return Object.freeze({ action: "retry", waitSeconds });
}

const DO_NOT_RETRY = Object.freeze({ action: "do_not_retry" });
const RESUBMIT = Object.freeze({ action: "resubmit_async" });

/** The failed response a helper gave up on, with the decision that made it stop. */
export class ErrorResponse extends Error {
  constructor(error, decision, attempts, reason) {
    super(`${String(error)} (${reason} after ${attempts} attempt${attempts === 1 ? "" : "s"})`);
    this.name = "ErrorResponse";
    this.error = error;
    this.decision = decision;
    this.attempts = attempts;
    this.reason = reason;
  }
}

function sleepSeconds(seconds) {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

/**
 * Sends a request with `fetch` and follows the retry decisions: returns the first response
 * below 400, or throws an `ErrorResponse` once the decision is not to retry, the attempts are
 * used up, or the next wait would pass `maxTotalSeconds`. A network error is thrown as is.
 * Every option is injectable for tests: `fetch`, `now` (ms), `sleep` (seconds), `jitter`.
 */
export async function fetchWithRetry(input, init, options = {}) {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepSeconds;
  const jitter = options.jitter ?? Math.random;
  const policy = Object.freeze({
    ...DEFAULT_POLICY,
    ...(options.policy ?? {}),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
  const maxTotalSeconds = options.maxTotalSeconds ?? 120;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    const response = await fetchFn(input, init);
    if (response.status < 400) return response;
    const body = new Uint8Array(await response.arrayBuffer());
    const error = parseErrorResponse(response.status, response.headers, body, { now });
    const decision = retryDecision(error, attempt, jitter(), policy);
    if (decision.action !== "retry") {
      const reason =
        decision.action === "resubmit_async"
          ? "resubmit with async"
          : attempt >= policy.maxAttempts
            ? "attempts used up"
            : "not retryable";
      throw new ErrorResponse(error, decision, attempt, reason);
    }
    const elapsed = (now() - started) / 1000;
    if (elapsed + decision.waitSeconds > maxTotalSeconds) {
      throw new ErrorResponse(error, decision, attempt, "time budget used up");
    }
    await sleep(decision.waitSeconds);
  }
}
