# The reader, the retry rules and the urllib helper. They mirror the Rust SDK
# (error-spec/src/sdk) rule for rule, and sdk/conformance/corpus.json holds all of them to it.

MEMBERS: Final[tuple[str, ...]] = (
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
)
"""The optional members of a body, in the body's order: ``dropped`` lists them so."""

_CODE_RE: Final = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_ID_RE: Final = re.compile(r"[A-Za-z0-9._:-]+")
_BOM: Final = b"\xef\xbb\xbf"
_STRING_STOP: Final = re.compile(r'["\\\x00-\x1f]')


def is_known_code(code: object) -> bool:
    """Whether ``code`` is one of the table's codes."""
    return isinstance(code, str) and code in _KNOWN


def is_well_formed_code(text: object) -> bool:
    """Lowercase snake_case ASCII of at most ``MAX_CODE_LEN`` bytes: the only codes read."""
    return (
        isinstance(text, str)
        and len(text) <= MAX_CODE_LEN
        and _CODE_RE.fullmatch(text) is not None
    )


def is_safe_id(value: object) -> bool:
    """1 to ``MAX_ID_LEN`` ASCII letters, digits, ``-``, ``_``, ``.``, ``:``: the only ids read."""
    return (
        isinstance(value, str)
        and 1 <= len(value) <= MAX_ID_LEN
        and _ID_RE.fullmatch(value) is not None
    )


@dataclass(frozen=True)
class Code:
    """The ``error`` of a body: a known code with its facts, or a well-formed code this
    package does not know, kept as the server sent it. Compare ``value`` to branch: it gives
    the same answer before and after a code becomes known."""

    value: str
    known: Optional[KnownCode]

    @property
    def spec(self) -> Optional[CodeSpec]:
        """The table's facts, for a known code."""
        return None if self.known is None else CODES[self.known]

    @staticmethod
    def of(value: str) -> "Code":
        return Code(value, KnownCode(value) if value in _KNOWN else None)


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field, from the body's ``errors``."""

    pointer: str
    message: str


@dataclass(frozen=True)
class ReceivedBody:
    """The body as read: every member that was readable; the others are ``None`` and named
    in ``dropped``."""

    error: str
    type: Optional[str] = None
    title: Optional[str] = None
    status: Optional[int] = None
    message: Optional[str] = None
    request_id: Optional[str] = None
    run_id: Optional[str] = None
    task_id: Optional[str] = None
    doc_url: Optional[str] = None
    retry_after: Optional[int] = None
    errors: tuple[FieldProblem, ...] = ()


@dataclass(frozen=True)
class ApiError:
    """An error response whose body is the contract's JSON."""

    status: int
    code: Code
    body: ReceivedBody
    dropped: tuple[str, ...]
    """The optional members the body had but that were left out as unreadable."""
    request_id: Optional[str]
    """The ``X-Request-Id`` header, else the body's ``request_id``; only safe ids."""
    retry_after: Optional[float]
    """Seconds: the ``Retry-After`` header, else the body's ``retry_after``."""
    kind: Literal["api"] = "api"

    @property
    def message(self) -> Optional[str]:
        """The server's text for end users, as received; ``str()`` prints it escaped."""
        return self.body.message

    def __str__(self) -> str:
        message = "" if self.body.message is None else ": " + _one_line(self.body.message, 256)
        return f"{_one_line(self.code.value, 64)} ({self.status}){message}"


UnexpectedReason = Literal["empty", "not_json", "not_contract", "too_large", "truncated"]

_REASON_TEXT: Final[dict[str, str]] = {
    "empty": "empty body",
    "not_json": "not json",
    "not_contract": "json but not an error body",
    "too_large": "body too large",
    "truncated": "truncated json",
}


@dataclass(frozen=True)
class UnexpectedBody:
    """An error response whose body is not the contract's JSON: a proxy's page, nothing or
    garbage."""

    status: int
    reason: UnexpectedReason
    code: Optional[Code]
    """The code, when a well-formed one was read before the body stopped being JSON."""
    raw_code: Optional[str]
    """When ``error`` was a string outside the code grammar and no code was read: an excerpt
    of it, control characters, line separators and bidirectional overrides escaped (``\\n``,
    ``\\u{0}``), at most ``RAW_CODE_LEN`` bytes. Safe to log; never a code to match on."""
    content_type: Optional[str]
    excerpt: str
    """At most ``EXCERPT_LEN`` bytes of the body as text."""
    length: int
    """The body's length in bytes."""
    request_id: Optional[str]
    retry_after: Optional[float]
    kind: Literal["unexpected"] = "unexpected"

    def __str__(self) -> str:
        shown = ""
        if self.excerpt:
            more = "…" if len(self.excerpt.encode()) < self.length else ""
            shown = ": " + _one_line(self.excerpt, 80) + more
        return (
            f"unexpected {self.status} response "
            f"({_REASON_TEXT[self.reason]}, {self.length} bytes){shown}"
        )


ResponseError = Union[ApiError, UnexpectedBody]

HeadersLike = Union[
    Mapping[str, Union[str, Sequence[str]]],
    Iterable[tuple[str, str]],
    "email.message.Message",
    None,
]
"""Headers in any of the usual shapes: a mapping, ``(name, value)`` pairs, or the
``http.client`` / ``email`` message urllib returns. Names match case-insensitively."""


# ---- headers ----


def _header_values(headers: HeadersLike, name: str) -> list[str]:
    """Every value of header ``name`` (lowercase), in order."""
    out: list[str] = []
    try:
        if headers is None:
            return out
        if isinstance(headers, email.message.Message):
            return [str(v) for v in headers.get_all(name) or []]
        if isinstance(headers, Mapping):
            for key, value in headers.items():
                if str(key).lower() == name:
                    if isinstance(value, (list, tuple)):
                        out.extend(str(v) for v in value)
                    elif value is not None:
                        out.append(str(value))
            return out
        for pair in headers:
            if str(pair[0]).lower() == name:
                out.append(str(pair[1]))
    except Exception:  # noqa: BLE001 - a header object that fails to iterate has no headers
        return []
    return out


def _is_header_text(text: str) -> bool:
    """Visible ASCII and tab only, as a header value must be to be read as text."""
    return all(0x20 <= ord(c) < 0x7F or c == "\t" for c in text)


def _header_request_id(headers: HeadersLike) -> Optional[str]:
    values = _header_values(headers, "x-request-id")
    if len(values) != 1 or not _is_header_text(values[0]):
        return None
    value = values[0].strip(" \t")
    return value if is_safe_id(value) else None


# ---- Retry-After ----

_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONG_WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DIGITS: Final = re.compile(r"[0-9]+")


def parse_retry_after(value: str, now: Optional[float] = None) -> Optional[float]:
    """A ``Retry-After`` value in seconds: delta-seconds, or an HTTP-date (IMF-fixdate, RFC 850
    or asctime) measured from ``now`` (seconds since the epoch, ``time.time()`` by default). A
    date in the past is 0; anything else is ``None``. Capped at 2^31 seconds."""
    return _retry_after_with_clock(value, (lambda: now) if now is not None else time.time)


def _retry_after_with_clock(value: str, clock: Callable[[], float]) -> Optional[float]:
    if not isinstance(value, str) or not _is_header_text(value):
        return None
    text = value.strip(" \t")
    if _DIGITS.fullmatch(text):
        # Leading zeros count for nothing; past 15 digits the number is far above the cap
        # (and `int()` refuses very long ones).
        digits = text.lstrip("0") or "0"
        return MAX_RETRY_AFTER_SECS if len(digits) > 15 else min(int(digits), MAX_RETRY_AFTER_SECS)
    at = _parse_http_date(text)
    if at is None:
        return None
    now = clock()
    now = now if isinstance(now, (int, float)) and math.isfinite(now) and now > 0 else 0.0
    wait = max(at - now, 0)
    # A date's wait keeps the clock's fraction of a second, as Rust's Duration does.
    return min(wait, MAX_RETRY_AFTER_SECS)


def _digits2(text: str, at: int) -> Optional[int]:
    pair = text[at : at + 2]
    return int(pair) if len(pair) == 2 and pair.isascii() and pair.isdigit() else None


def _digits4(text: str, at: int) -> Optional[int]:
    high, low = _digits2(text, at), _digits2(text, at + 2)
    return None if high is None or low is None else high * 100 + low


_Date = tuple[int, int, int, int, int, int, int]
"""``(sec, min, hour, day, month, year, weekday)``, the weekday 1 for Monday."""


def _imf_fixdate(s: str) -> Optional[_Date]:
    """``Sun, 06 Nov 1994 08:49:37 GMT``."""
    if len(s) != 29 or s[25:] != " GMT" or s[16] != " " or s[19] != ":" or s[22] != ":":
        return None
    wday = next((i + 1 for i, name in enumerate(_WEEKDAYS) if s.startswith(name + ", ")), 0)
    mon = next((i + 1 for i, name in enumerate(_MONTHS) if s[7:12] == f" {name} "), 0)
    sec, mi, hour, day, year = _digits2(s, 23), _digits2(s, 20), _digits2(s, 17), _digits2(s, 5), _digits4(s, 12)
    if not wday or not mon or sec is None or mi is None or hour is None or day is None or year is None:
        return None
    return sec, mi, hour, day, mon, year, wday


def _rfc850(whole: str) -> Optional[_Date]:
    """``Sunday, 06-Nov-94 08:49:37 GMT``."""
    if len(whole) < 23:
        return None
    w = next((i for i, name in enumerate(_LONG_WEEKDAYS) if whole.startswith(name + ", ")), -1)
    if w < 0:
        return None
    s = whole[len(_LONG_WEEKDAYS[w]) + 2 :]
    if len(s) != 22 or s[12] != ":" or s[15] != ":" or s[18:] != " GMT":
        return None
    mon = next((i + 1 for i, name in enumerate(_MONTHS) if s[2:7] == f"-{name}-"), 0)
    sec, mi, hour, day, short = _digits2(s, 16), _digits2(s, 13), _digits2(s, 10), _digits2(s, 0), _digits2(s, 7)
    if not mon or sec is None or mi is None or hour is None or day is None or short is None:
        return None
    return sec, mi, hour, day, mon, 2000 + short if short < 70 else 1900 + short, w + 1


def _asctime(s: str) -> Optional[_Date]:
    """``Sun Nov  6 08:49:37 1994``."""
    if len(s) != 24 or s[10] != " " or s[13] != ":" or s[16] != ":" or s[19] != " ":
        return None
    wday = next((i + 1 for i, name in enumerate(_WEEKDAYS) if s.startswith(name + " ")), 0)
    mon = next((i + 1 for i, name in enumerate(_MONTHS) if s[4:8] == f"{name} "), 0)
    day: Optional[int]
    if s[8] == " ":
        day = int(s[9]) if s[9].isascii() and s[9].isdigit() else None
    else:
        day = _digits2(s, 8)
    sec, mi, hour, year = _digits2(s, 17), _digits2(s, 14), _digits2(s, 11), _digits4(s, 20)
    if not wday or not mon or sec is None or mi is None or hour is None or day is None or year is None:
        return None
    return sec, mi, hour, day, mon, year, wday


def _parse_http_date(value: str) -> Optional[int]:
    """An HTTP-date as seconds since the epoch, read as the ``httpdate`` crate (the Rust SDK's)
    reads one: each format byte for byte, the weekday the date's, the seconds below 60, the
    year 1970-9999."""
    s = value.strip(" \t")
    date = _imf_fixdate(s) or _rfc850(s) or _asctime(s)
    if date is None:
        return None
    sec, mi, hour, day, mon, year, wday = date
    if sec >= 60 or mi >= 60 or hour >= 24 or not 1 <= day <= 31 or not 1 <= mon <= 12:
        return None
    if not 1970 <= year <= 9999 or day > _days_in_month(year, mon):
        return None
    days = _days_from_civil(year, mon, day)
    # 1970-01-01 was a Thursday; Monday is 1.
    if (days + 3) % 7 + 1 != wday:
        return None
    return days * 86400 + hour * 3600 + mi * 60 + sec


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_from_civil(year: int, month: int, day: int) -> int:
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


# ---- bytes and text ----


def _to_bytes(body: "BodyLike") -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        try:
            return body.encode("utf-8")
        except UnicodeEncodeError:
            # Surrogates: a pair is one character and a lone one U+FFFD, as a JavaScript
            # string's UTF-8 would be, so both SDKs read a text body alike.
            utf16 = body.encode("utf-16-le", "surrogatepass")
            return utf16.decode("utf-16-le", "replace").encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    # Anything else (an int would make `bytes()` zeros) is no body.
    return b""


def _lossy(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _excerpt(data: bytes) -> str:
    """At most ``EXCERPT_LEN`` bytes of ``data`` as text, ill-formed UTF-8 as U+FFFD, cut on a
    character boundary."""
    # Each output character is at least as long in UTF-8 as the bytes it stands for, so a few
    # bytes past the bound are all that can matter.
    text = _lossy(data[: EXCERPT_LEN + 4])
    out: list[str] = []
    size = 0
    for ch in text:
        n = len(ch.encode("utf-8"))
        if size + n > EXCERPT_LEN:
            break
        size += n
        out.append(ch)
    return "".join(out)


def _header_bytes(value: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace")


# ---- the lenient reader ----


class _Stop(Exception):
    """The scanner stopped: the text ended inside a value (``eof``) or cannot be JSON."""

    def __init__(self, eof: bool) -> None:
        super().__init__("eof" if eof else "syntax")
        self.eof = eof


_EOF: Final = _Stop(True)
_SYNTAX: Final = _Stop(False)


@dataclass
class _Value:
    """A member's value, as far as the body's rules care."""

    kind: Literal["text", "integer", "number", "errors", "other"]
    text: str = ""
    lone: bool = False
    n: int = 0
    items: tuple[FieldProblem, ...] = ()
    all_read: bool = True


_OTHER: Final = _Value("other")


class _Builder:
    """The body being read, one member at a time; the last readable value of each is kept."""

    def __init__(self) -> None:
        self.error: Optional[str] = None
        self.raw_code: Optional[str] = None
        """The last ``error`` string that was not a code, escaped and bounded."""
        self.values: dict[str, Any] = {}
        self.dropped: set[str] = set()

    def set(self, key: str, value: _Value) -> None:
        if key == "error":
            # Only a well-formed code is remembered: anything else leaves the code as it was,
            # and a string outside the grammar is kept only as an escaped excerpt.
            if value.kind == "text":
                if is_well_formed_code(value.text):
                    self.error = value.text
                else:
                    self.raw_code = _escaped_excerpt(value.text, RAW_CODE_LEN)
            return
        if key not in MEMBERS:
            return
        kept = False
        if key in ("type", "title", "doc_url", "message"):
            if value.kind == "text":
                self.values[key] = value.text
                kept = True
        elif key in ("request_id", "run_id", "task_id"):
            if value.kind == "text" and is_safe_id(value.text):
                self.values[key] = value.text
                kept = True
        elif key == "status":
            if value.kind == "integer" and 400 <= value.n <= 599:
                self.values[key] = value.n
                kept = True
        elif key == "retry_after":
            if value.kind == "integer" and value.n <= 0xFFFFFFFF:
                self.values[key] = value.n
                kept = True
        elif key == "errors":
            if value.kind == "errors":
                self.values[key] = value.items
                kept = value.all_read
        if not kept:
            self.dropped.add(key)

    def stop(self, reason: UnexpectedReason) -> "_NotBody":
        """The bytes stopped being a body for ``reason``: what was read of the code so far."""
        # A malformed string is only worth reporting when no code was read.
        return _NotBody(reason, self.error, self.raw_code if self.error is None else None)


@dataclass(frozen=True)
class _Read:
    """A body read, with the members it dropped."""

    body: ReceivedBody
    dropped: tuple[str, ...]


@dataclass(frozen=True)
class _NotBody:
    """Bytes that are not a body: why, and the code read all the same."""

    reason: UnexpectedReason
    code: Optional[str]
    raw_code: Optional[str] = None


def _finish(builder: _Builder) -> Union[_Read, _NotBody]:
    if builder.error is None:
        return builder.stop("not_contract")
    v = builder.values
    body = ReceivedBody(
        error=builder.error,
        type=v.get("type"),
        title=v.get("title"),
        status=v.get("status"),
        message=v.get("message"),
        request_id=v.get("request_id"),
        run_id=v.get("run_id"),
        task_id=v.get("task_id"),
        doc_url=v.get("doc_url"),
        retry_after=v.get("retry_after"),
        errors=v.get("errors", ()),
    )
    return _Read(body, tuple(m for m in MEMBERS if m in builder.dropped))


class _Scanner:
    """A JSON scanner over the body's text (decoded lossily), without recursion."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.end = len(text)

    def peek(self) -> str:
        return self.text[self.at] if self.at < self.end else ""

    def whitespace(self) -> None:
        while self.at < self.end and self.text[self.at] in " \t\n\r":
            self.at += 1

    def expect(self, c: str) -> None:
        p = self.peek()
        if p == c:
            self.at += 1
            return
        raise _EOF if p == "" else _SYNTAX

    def body(self, builder: _Builder) -> bool:
        """The whole text: ``True`` for an object, whose members went into ``builder``."""
        self.whitespace()
        is_object = self.peek() == "{"
        if is_object:
            self.at += 1
            self.members(builder)
        else:
            self.value(None)
        self.whitespace()
        if self.at < self.end:
            raise _SYNTAX
        return is_object

    def members(self, builder: _Builder) -> None:
        self.whitespace()
        if self.peek() == "}":
            self.at += 1
            return
        while True:
            self.whitespace()
            if self.peek() != '"':
                raise _EOF if self.peek() == "" else _SYNTAX
            key = self.string()[0]
            self.whitespace()
            self.expect(":")
            self.whitespace()
            builder.set(key, self.value(key))
            self.whitespace()
            c = self.peek()
            if c == ",":
                self.at += 1
            elif c == "}":
                self.at += 1
                return
            else:
                raise _EOF if c == "" else _SYNTAX

    def value(self, key: Optional[str]) -> _Value:
        """One value, read as member ``key``'s (``None`` for anything but a top-level member)."""
        c = self.peek()
        if c == "":
            raise _EOF
        if c == '"':
            text, lone = self.string()
            return _Value("text", text=text, lone=lone)
        if c in "{[":
            start = self.at
            self.container()
            if key == "errors":
                return _read_errors(self.text[start : self.at])
            return _OTHER
        if c == "t":
            return self.literal("true")
        if c == "f":
            return self.literal("false")
        if c == "n":
            return self.literal("null")
        if c == "-" or "0" <= c <= "9":
            return self.number()
        raise _SYNTAX

    def literal(self, word: str) -> _Value:
        for c in word:
            self.expect(c)
        return _OTHER

    def number(self) -> _Value:
        start = self.at
        negative = self.peek() == "-"
        if negative:
            self.at += 1
        c = self.peek()
        if c == "0":
            self.at += 1
        elif "1" <= c <= "9":
            self.digits()
        else:
            raise _EOF if c == "" else _SYNTAX
        integer = not negative
        if self.peek() == ".":
            integer = False
            self.at += 1
            self.some_digits()
        if self.peek() in ("e", "E"):
            integer = False
            self.at += 1
            if self.peek() in ("+", "-"):
                self.at += 1
            self.some_digits()
        text = self.text[start : self.at]
        if integer and len(text) <= 20:
            return _Value("integer", text=text, n=int(text))
        return _Value("number", text=text)

    def digits(self) -> None:
        while self.at < self.end and "0" <= self.text[self.at] <= "9":
            self.at += 1

    def some_digits(self) -> None:
        c = self.peek()
        if c != "" and "0" <= c <= "9":
            self.digits()
        else:
            raise _EOF if c == "" else _SYNTAX

    def string(self) -> tuple[str, bool]:
        """A string, unescaped, and whether it held a lone surrogate escape (read as U+FFFD).
        A raw control character (below U+0020) is not JSON."""
        self.expect('"')
        out: list[str] = []
        lone = False
        text = self.text
        while True:
            start = self.at
            # The next quote, backslash or control character, found by the regex engine
            # rather than a loop per character: bodies run to a megabyte.
            stop = _STRING_STOP.search(text, start)
            self.at = stop.start() if stop is not None else self.end
            out.append(text[start : self.at])
            if self.at >= self.end:
                raise _EOF
            c = text[self.at]
            if c < " ":
                raise _SYNTAX
            self.at += 1
            if c == '"':
                return "".join(out), lone
            ch, was_lone = self.escape()
            out.append(ch)
            lone = lone or was_lone

    def escape(self) -> tuple[str, bool]:
        b = self.peek()
        if b == "":
            raise _EOF
        self.at += 1
        simple = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
        if b in simple:
            return simple[b], False
        if b == "u":
            return self.unicode_escape()
        raise _SYNTAX

    def unicode_escape(self) -> tuple[str, bool]:
        first = self.hex4()
        if 0xDC00 <= first < 0xE000:
            return "\ufffd", True
        if not 0xD800 <= first < 0xDC00:
            return chr(first), False
        if not self.text.startswith("\\u", self.at):
            return "\ufffd", True
        before = self.at
        self.at += 2
        second = self.hex4()
        if 0xDC00 <= second < 0xE000:
            return chr(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)), False
        # Not a pair: the second escape is read on its own next.
        self.at = before
        return "\ufffd", True

    def hex4(self) -> int:
        n = 0
        for _ in range(4):
            c = self.peek()
            if c == "":
                raise _EOF
            if c not in "0123456789abcdefABCDEF":
                raise _SYNTAX
            self.at += 1
            n = n * 16 + int(c, 16)
        return n

    def container(self) -> None:
        """An array or object of any depth, checked but not kept; the open brackets are a
        stack, not recursion."""
        stack: list[str] = []
        expect = "value"
        while True:
            self.whitespace()
            b = self.peek()
            if b == "":
                raise _EOF
            if expect == "value_or_close" and b == "]":
                self.at += 1
                stack.pop()
                expect = "after"
            elif expect in ("value", "value_or_close"):
                if b == "[":
                    self.at += 1
                    stack.append("]")
                    expect = "value_or_close"
                elif b == "{":
                    self.at += 1
                    stack.append("}")
                    expect = "key_or_close"
                else:
                    self.value(None)
                    expect = "after"
            elif expect == "key_or_close" and b == "}":
                self.at += 1
                stack.pop()
                expect = "after"
            elif expect in ("key", "key_or_close"):
                if b != '"':
                    raise _SYNTAX
                self.string()
                self.whitespace()
                self.expect(":")
                expect = "value"
            else:
                if not stack:
                    raise _SYNTAX
                close = stack[-1]
                if b == ",":
                    self.at += 1
                    expect = "value" if close == "]" else "key"
                elif b == close:
                    self.at += 1
                    stack.pop()
                    expect = "after"
                else:
                    raise _SYNTAX
            if expect == "after" and not stack:
                return


def _refused(value: _Value) -> bool:
    """Whether a value of the strict ``errors`` pass is one serde_json refuses: a lone
    surrogate escape, or a number out of a double's range."""
    if value.kind == "text":
        return value.lone
    if value.kind in ("number", "integer"):
        try:
            return math.isinf(float(value.text))
        except OverflowError:
            return True
    return False


def _is_pointer(text: str) -> bool:
    """Whether ``text`` is an RFC 6901 JSON Pointer."""
    if text and not text.startswith("/"):
        return False
    i = 0
    while i < len(text):
        if text[i] == "~":
            if text[i + 1 : i + 2] not in ("0", "1"):
                return False
            i += 1
        i += 1
    return True


class _Refused(Exception):
    """A value the strict ``errors`` pass refuses."""


def _read_errors(json_text: str) -> _Value:
    """The value of ``errors`` from its JSON text (one array or object, already checked): its
    readable items and whether every item was one, or ``other``."""
    s = _Scanner(json_text)
    try:
        if s.peek() != "[":
            return _OTHER
        s.at += 1
        items: list[FieldProblem] = []
        all_read = True
        s.whitespace()
        if s.peek() == "]":
            return _Value("errors", items=(), all_read=True)
        while True:
            s.whitespace()
            item = _read_item(s)
            if item is None:
                all_read = False
            else:
                items.append(item)
            s.whitespace()
            if s.peek() == ",":
                s.at += 1
            elif s.peek() == "]":
                return _Value("errors", items=tuple(items), all_read=all_read)
            else:
                return _OTHER
    except (_Stop, _Refused):
        return _OTHER


def _read_item(s: _Scanner) -> Optional[FieldProblem]:
    """One item of ``errors``: the field problem, or ``None`` if it is not one."""
    if s.peek() == "[":
        s.container()
        return None
    if s.peek() != "{":
        if _refused(s.value(None)):
            raise _Refused()
        return None
    s.at += 1
    pointer: Optional[str] = None
    message: Optional[str] = None
    s.whitespace()
    if s.peek() == "}":
        s.at += 1
        return None
    while True:
        s.whitespace()
        key, lone = s.string()
        if lone:
            raise _Refused()
        s.whitespace()
        s.expect(":")
        s.whitespace()
        if s.peek() in ("{", "["):
            s.container()
            value = _OTHER
        else:
            value = s.value(None)
            if _refused(value):
                raise _Refused()
        if value.kind == "text":
            if key == "pointer":
                pointer = value.text if _is_pointer(value.text) else None
            elif key == "message":
                message = value.text
        s.whitespace()
        if s.peek() == ",":
            s.at += 1
        elif s.peek() == "}":
            s.at += 1
            break
        else:
            raise _SYNTAX
    if pointer is not None and message is not None:
        return FieldProblem(pointer, message)
    return None


def _read_body(data: bytes) -> Union[_Read, _NotBody]:
    """The body and its dropped members, or why not and the code read all the same."""
    if len(data) > MAX_BODY_LEN:
        start = data[:MAX_BODY_LEN]
        if start.startswith(_BOM):
            start = start[3:]
        return _salvage(start)
    rest = data[3:] if data.startswith(_BOM) else data
    if not rest.strip(b" \t\n\x0c\r"):
        return _NotBody("empty", None)
    builder = _Builder()
    try:
        if not _Scanner(_lossy(rest)).body(builder):
            return _NotBody("not_contract", None)
    except _Stop as stop:
        return builder.stop("truncated" if stop.eof else "not_json")
    return _finish(builder)


def _salvage(data: bytes) -> _NotBody:
    """The start of a body too large to read: the code it starts with, if read before it ends."""
    builder = _Builder()
    try:
        _Scanner(_lossy(data)).body(builder)
    except _Stop:
        pass
    return builder.stop("too_large")


def _is_hostile(code: int) -> bool:
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or code in (0x2028, 0x2029)
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
    )


def _rust_escape(code: int) -> str:
    """A hostile character as Rust's ``char::escape_debug`` writes it: ``\\n``, ``\\0``,
    ``\\u{1b}``."""
    return {0: "\\0", 0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}.get(code, f"\\u{{{code:x}}}")


def _escaped_excerpt(text: str, top: int) -> str:
    """``text`` with every hostile character escaped, at most ``top`` bytes of UTF-8, ending
    with ``…`` (within the bound) when cut: an excerpt that is safe to log."""
    out: list[str] = []
    size = 0
    # Where to cut if the rest does not fit: after the last piece that leaves room for `…`.
    cut = 0
    for ch in text:
        code = ord(ch)
        piece = _rust_escape(code) if _is_hostile(code) else ch
        out.append(piece)
        size += len(piece.encode("utf-8"))
        if size > top:
            return "".join(out[:cut]) + "…"
        if size + 3 <= top:
            cut = len(out)
    return "".join(out)


def _one_line(text: str, top: int) -> str:
    """``text`` on one line, at most ``top`` printed characters, control characters escaped."""
    out: list[str] = []
    printed = 0
    for ch in text:
        hostile = _is_hostile(ord(ch))
        shown = _rust_escape(ord(ch)) if hostile else ch
        width = len(shown) if hostile else 1
        if printed + width > top:
            return "".join(out) + "…"
        printed += width
        out.append(shown)
    return "".join(out)


BodyLike = Union[bytes, bytearray, memoryview, str, None]


def parse_error_response(
    status: int,
    headers: HeadersLike,
    body: BodyLike,
    *,
    now: Optional[Callable[[], float]] = None,
) -> ResponseError:
    """Reads an error response into an :class:`ApiError` or an :class:`UnexpectedBody`.
    Never raises, whatever the bytes. ``now`` (seconds since the epoch, like ``time.time``) is
    read only for an HTTP-date ``Retry-After``."""
    clock = now if now is not None else time.time
    data = _to_bytes(body)
    header_id = _header_request_id(headers)
    retry_values = _header_values(headers, "retry-after")
    retry_header = _retry_after_with_clock(retry_values[0], clock) if retry_values else None
    read = _read_body(data)
    if isinstance(read, _Read):
        received = read.body
        return ApiError(
            status=status,
            code=Code.of(received.error),
            body=received,
            dropped=read.dropped,
            request_id=header_id if header_id is not None else received.request_id,
            retry_after=retry_header if retry_header is not None else received.retry_after,
        )
    content_types = _header_values(headers, "content-type")
    return UnexpectedBody(
        status=status,
        reason=read.reason,
        code=None if read.code is None else Code.of(read.code),
        raw_code=read.raw_code,
        content_type=_excerpt(_header_bytes(content_types[0])) if content_types else None,
        excerpt=_excerpt(data),
        length=len(data),
        request_id=header_id,
        retry_after=retry_header,
    )


# ---- retry ----


@dataclass(frozen=True)
class RetryPolicy:
    """The figures the retry rules use, in seconds; ``DEFAULT_POLICY`` is the contract's."""

    base: float
    max_backoff: float
    max_attempts: int
    rate_limit_wait: float
    unavailable_wait: float


DEFAULT_POLICY: Final = RetryPolicy(
    base=_POLICY["base"],
    max_backoff=_POLICY["max_backoff"],
    max_attempts=int(_POLICY["max_attempts"]),
    rate_limit_wait=_POLICY["rate_limit_wait"],
    unavailable_wait=_POLICY["unavailable_wait"],
)


@dataclass(frozen=True)
class DoNotRetry:
    """Do not send the request again: it needs fixing, or the attempts are used up."""

    action: Literal["do_not_retry"] = "do_not_retry"


@dataclass(frozen=True)
class Retry:
    """Send the same request again after ``wait`` seconds."""

    wait: float
    action: Literal["retry"] = "retry"


@dataclass(frozen=True)
class ResubmitAsync:
    """Do not retry synchronously: resubmit with ``"async": true`` and poll the task."""

    action: Literal["resubmit_async"] = "resubmit_async"


RetryDecision = Union[DoNotRetry, Retry, ResubmitAsync]


def clamp_jitter(value: float) -> float:
    """``value`` clamped into [0, 1); NaN is 0."""
    top = 1.0 - sys.float_info.epsilon / 2
    if not isinstance(value, (int, float)) or math.isnan(value) or value <= 0:
        return 0.0
    return top if value >= top else float(value)


def backoff(attempt: int, jitter: float, policy: RetryPolicy = DEFAULT_POLICY) -> float:
    """The backoff wait in seconds after ``attempt`` requests: full jitter under a ceiling
    that doubles per attempt."""
    doublings = min(max(attempt - 1, 0), 31)
    ceiling: float = min(policy.base * float(1 << doublings), policy.max_backoff)
    return ceiling * clamp_jitter(jitter)


def retry_decision(
    error: ResponseError,
    attempt: int,
    jitter: float,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> RetryDecision:
    """Whether and when to retry after ``attempt`` requests (1 after the first failure), with
    a ``jitter`` in [0, 1). The rules are the Rust SDK's ``RetryPolicy::decide``."""
    # An attempt is a count of requests: a whole number, at least 0.
    attempt = max(int(attempt), 0) if isinstance(attempt, (int, float)) and math.isfinite(attempt) else 0
    spec = error.code.spec if error.code is not None else None
    retry = spec.retry if spec is not None else None
    if retry is not None and retry.kind == "resubmit_async":
        return ResubmitAsync()
    if attempt >= policy.max_attempts:
        return DoNotRetry()
    fallback: float
    if retry is not None:
        if retry.kind == "retry_after":
            fallback = policy.rate_limit_wait
        elif retry.kind == "backoff":
            fallback = backoff(attempt, jitter, policy)
        elif retry.kind == "pause":
            fallback = retry.min_secs + clamp_jitter(jitter) * (retry.max_secs - retry.min_secs)
        else:
            return DoNotRetry()
    else:
        status = error.status
        if status == 429:
            fallback = policy.rate_limit_wait
        elif status == 503:
            fallback = policy.unavailable_wait
        elif 500 <= status <= 599 and status not in PERMANENT_SERVER_ERRORS:
            fallback = backoff(attempt, jitter, policy)
        else:
            return DoNotRetry()
    return Retry(float(error.retry_after) if error.retry_after is not None else fallback)


class ErrorResponse(Exception):
    """The failed response a helper gave up on, with the decision that made it stop."""

    def __init__(self, error: ResponseError, decision: RetryDecision, attempts: int, reason: str):
        plural = "" if attempts == 1 else "s"
        super().__init__(f"{error} ({reason} after {attempts} attempt{plural})")
        self.error = error
        self.decision = decision
        self.attempts = attempts
        self.reason = reason


@dataclass(frozen=True)
class Response:
    """A response below 400, as :func:`request_with_retry` returns it."""

    status: int
    headers: "email.message.Message"
    body: bytes


Sender = Callable[[], tuple[int, HeadersLike, bytes]]


def follow_retries(
    send: Sender,
    *,
    max_attempts: Optional[int] = None,
    max_total_seconds: float = 120.0,
    policy: RetryPolicy = DEFAULT_POLICY,
    jitter: Callable[[], float] = random.random,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[int, HeadersLike, bytes]:
    """Calls ``send`` (any transport: urllib, httpx, ...) until it answers below 400, or raises
    :class:`ErrorResponse` once the decision is not to retry, the attempts are used up, or
    the next wait would pass ``max_total_seconds``."""
    if max_attempts is not None:
        policy = RetryPolicy(
            policy.base, policy.max_backoff, max_attempts, policy.rate_limit_wait, policy.unavailable_wait
        )
    started = clock()
    attempt = 0
    while True:
        attempt += 1
        status, headers, body = send()
        if status < 400:
            return status, headers, body
        error = parse_error_response(status, headers, body, now=clock)
        decision = retry_decision(error, attempt, jitter(), policy)
        if not isinstance(decision, Retry):
            if isinstance(decision, ResubmitAsync):
                reason = "resubmit with async"
            elif attempt >= policy.max_attempts:
                reason = "attempts used up"
            else:
                reason = "not retryable"
            raise ErrorResponse(error, decision, attempt, reason)
        if clock() - started + decision.wait > max_total_seconds:
            raise ErrorResponse(error, decision, attempt, "time budget used up")
        sleep(decision.wait)


def request_with_retry(
    request: Union[str, urllib.request.Request],
    *,
    timeout: float = 30.0,
    opener: Optional[Callable[..., Any]] = None,
    max_attempts: Optional[int] = None,
    max_total_seconds: float = 120.0,
    jitter: Callable[[], float] = random.random,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> Response:
    """Sends ``request`` with ``urllib`` and follows the retry decisions (see
    :func:`follow_retries`). A network error is raised as is."""
    open_url = opener if opener is not None else urllib.request.urlopen

    def send() -> tuple[int, HeadersLike, bytes]:
        try:
            with open_url(request, timeout=timeout) as answer:
                return int(answer.status), answer.headers, answer.read()
        except urllib.error.HTTPError as failed:
            with failed:
                return int(failed.code), failed.headers, failed.read()

    status, headers, body = follow_retries(
        send,
        max_attempts=max_attempts,
        max_total_seconds=max_total_seconds,
        jitter=jitter,
        clock=clock,
        sleep=sleep,
    )
    assert isinstance(headers, email.message.Message)
    return Response(status, headers, body)
