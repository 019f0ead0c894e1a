//! The slow path of the lenient reader: a body's text, decoded lossily, read by a small
//! JSON scanner without recursion.
//!
//! It runs only on bytes serde_json refused. It reads the top-level object's members one by
//! one into the shared [`Builder`], skips nested values of any depth with an explicit stack,
//! turns a lone surrogate escape into U+FFFD, and stops at the first byte that cannot be
//! JSON; the members read before that point still give the code of a body cut short.

use std::borrow::Cow;

use super::lenient::{self, Builder, Field, NotABody, Value};
use super::reason::UnexpectedReason;
use super::received::{Member, ReceivedBody};

/// Why the scanner stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The text ended inside a value.
    Eof,
    /// A byte that cannot be there.
    Syntax,
}

type Scanned<T> = Result<T, Stop>;

/// Reads `bytes` (no byte-order mark) that serde_json refused.
pub(crate) fn read(bytes: &[u8]) -> Result<ReceivedBody, NotABody> {
    let text = String::from_utf8_lossy(bytes);
    let mut builder = Builder::default();
    match Scanner::new(&text).body(&mut builder) {
        Ok(true) => builder.finish(),
        Ok(false) => Err(NotABody::new(UnexpectedReason::NotContract, None)),
        Err(Stop::Eof) => Err(builder.stop(UnexpectedReason::Truncated)),
        Err(Stop::Syntax) => Err(builder.stop(UnexpectedReason::NotJson)),
    }
}

/// `bytes` that are the start of a longer body, not read as one: `reason`, with the code
/// of the body they start with if it was read before they end.
pub(crate) fn salvage(bytes: &[u8], reason: UnexpectedReason) -> NotABody {
    let text = String::from_utf8_lossy(bytes);
    let mut builder = Builder::default();
    let _ = Scanner::new(&text).body(&mut builder);
    builder.stop(reason)
}

/// A position in JSON text.
struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

/// What the container scanner expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value, or `]` right after `[`.
    ValueOrClose,
    /// A value, after `,` or `:`.
    Value,
    /// A member name, or `}` right after `{`.
    KeyOrClose,
    /// A member name, after `,`.
    Key,
    /// `,` or the innermost container's closing bracket.
    AfterValue,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            text,
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Scanned<()> {
        match self.peek() {
            Some(b) if b == byte => {
                self.at += 1;
                Ok(())
            }
            Some(_) => Err(Stop::Syntax),
            None => Err(Stop::Eof),
        }
    }

    /// The whole text: `true` for an object, whose members went into `builder`, `false` for
    /// any other JSON value.
    fn body(&mut self, builder: &mut Builder) -> Scanned<bool> {
        self.whitespace();
        let object = self.peek() == Some(b'{');
        if object {
            self.at += 1;
            self.members(builder)?;
        } else {
            self.value(Field::Other)?;
        }
        self.whitespace();
        if self.at < self.bytes.len() {
            return Err(Stop::Syntax);
        }
        Ok(object)
    }

    /// The members of the top-level object, after its `{`, up to and including its `}`.
    fn members(&mut self, builder: &mut Builder) -> Scanned<()> {
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.peek().map_or(Stop::Eof, |_| Stop::Syntax));
            }
            let key = self.string()?;
            self.whitespace();
            self.expect(b':')?;
            self.whitespace();
            let field = Field::from_key(&key);
            let value = self.value(field)?;
            builder.set(field, value);
            self.whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(_) => return Err(Stop::Syntax),
                None => return Err(Stop::Eof),
            }
        }
    }

    /// One value, read as `field`'s.
    fn value(&mut self, field: Field) -> Scanned<Value<'static>> {
        match self.peek() {
            None => Err(Stop::Eof),
            Some(b'"') => Ok(Value::Text(Cow::Owned(self.string()?))),
            Some(b'{' | b'[') => {
                let start = self.at;
                self.container()?;
                if field == Field::Member(Member::Errors) {
                    Ok(lenient::errors_from_str(&self.text[start..self.at]))
                } else {
                    Ok(Value::Other)
                }
            }
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(Stop::Syntax),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Scanned<Value<'static>> {
        for &b in word {
            self.expect(b)?;
        }
        Ok(Value::Other)
    }

    /// A number by JSON's grammar; an integer if it has no sign, fraction or exponent and
    /// fits a `u64`.
    fn number(&mut self) -> Scanned<Value<'static>> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(Stop::Syntax),
            None => return Err(Stop::Eof),
        }
        let mut integer = !negative;
        if self.peek() == Some(b'.') {
            integer = false;
            self.at += 1;
            self.some_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.some_digits()?;
        }
        let n = integer
            .then(|| self.text[start..self.at].parse::<u64>().ok())
            .flatten();
        Ok(n.map_or(Value::Other, Value::Integer))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Scanned<()> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            Some(_) => Err(Stop::Syntax),
            None => Err(Stop::Eof),
        }
    }

    /// A string, from its opening quote to its closing one, unescaped. A raw control
    /// character (below U+0020) is not JSON (RFC 8259, section 7) and stops the scan, as it
    /// stops serde_json: it is where a forged log line or header would come from. Lenient
    /// only where it costs nothing: a lone surrogate escape is U+FFFD.
    fn string(&mut self) -> Scanned<String> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.at;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
            // Both ends are at an ASCII byte or the end, so on character boundaries.
            out.push_str(&self.text[start..self.at]);
            match self.peek() {
                None => return Err(Stop::Eof),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b) if b < 0x20 => return Err(Stop::Syntax),
                Some(_) => {
                    self.at += 1;
                    self.escape(&mut out)?;
                }
            }
        }
    }

    /// The escape after a backslash.
    fn escape(&mut self, out: &mut String) -> Scanned<()> {
        let Some(b) = self.peek() else {
            return Err(Stop::Eof);
        };
        self.at += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode_escape()?,
            _ => return Err(Stop::Syntax),
        };
        out.push(c);
        Ok(())
    }

    /// The character of a `\uXXXX` escape (after the `u`), joining a surrogate pair.
    fn unicode_escape(&mut self) -> Scanned<char> {
        let first = self.hex4()?;
        if !(0xD800..0xDC00).contains(&first) {
            return Ok(char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        if !self.bytes[self.at..].starts_with(b"\\u") {
            return Ok(char::REPLACEMENT_CHARACTER);
        }
        let before = self.at;
        self.at += 2;
        let second = self.hex4()?;
        if (0xDC00..0xE000).contains(&second) {
            let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            Ok(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER))
        } else {
            // Not a pair: the second escape is read on its own next.
            self.at = before;
            Ok(char::REPLACEMENT_CHARACTER)
        }
    }

    fn hex4(&mut self) -> Scanned<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b) => char::from(b).to_digit(16).ok_or(Stop::Syntax)?,
                None => return Err(Stop::Eof),
            };
            self.at += 1;
            n = n * 16 + digit;
        }
        Ok(n)
    }

    /// An array or object of any depth, from its opening bracket to its closing one, checked
    /// but not kept. The open containers are a stack, not recursion, so no depth overflows.
    fn container(&mut self) -> Scanned<()> {
        let mut open: Vec<u8> = Vec::new();
        let mut expect = Expect::Value;
        loop {
            self.whitespace();
            let Some(b) = self.peek() else {
                return Err(Stop::Eof);
            };
            expect = match expect {
                Expect::ValueOrClose if b == b']' => {
                    self.at += 1;
                    open.pop();
                    Expect::AfterValue
                }
                Expect::Value | Expect::ValueOrClose => match b {
                    b'[' => {
                        self.at += 1;
                        open.push(b']');
                        Expect::ValueOrClose
                    }
                    b'{' => {
                        self.at += 1;
                        open.push(b'}');
                        Expect::KeyOrClose
                    }
                    _ => {
                        self.value(Field::Other)?;
                        Expect::AfterValue
                    }
                },
                Expect::KeyOrClose if b == b'}' => {
                    self.at += 1;
                    open.pop();
                    Expect::AfterValue
                }
                Expect::Key | Expect::KeyOrClose => {
                    if b != b'"' {
                        return Err(Stop::Syntax);
                    }
                    self.string()?;
                    self.whitespace();
                    self.expect(b':')?;
                    Expect::Value
                }
                Expect::AfterValue => {
                    let close = open.last().copied().ok_or(Stop::Syntax)?;
                    if b == b',' {
                        self.at += 1;
                        if close == b']' {
                            Expect::Value
                        } else {
                            Expect::Key
                        }
                    } else if b == close {
                        self.at += 1;
                        open.pop();
                        Expect::AfterValue
                    } else {
                        return Err(Stop::Syntax);
                    }
                }
            };
            if expect == Expect::AfterValue && open.is_empty() {
                return Ok(());
            }
        }
    }
}
