//! How the table's strings are written: wire codes, category names and the texts.
//!
//! The texts (`title`, `message`, `when`, `remedy`, `deprecated`) reach end users through
//! `message` and readers through the docs and OpenAPI, so they hold to rules a renderer
//! and a terminal can rely on: one line, no control characters, no bidirectional overrides.

/// The longest wire code: AIP-193 caps an error reason at 63 characters.
pub const MAX_CODE_LEN: usize = 63;

/// Why a wire code is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeProblem {
    /// Not lowercase snake_case ASCII (`invalid_api_key`).
    NotSnakeCase,
    /// Longer than [`MAX_CODE_LEN`]; the length is given.
    TooLong(usize),
}

/// Checks a wire code: lowercase snake_case ASCII that starts with a letter, with no doubled,
/// leading or trailing `_`, and at most [`MAX_CODE_LEN`] bytes. Clients in every language
/// match it byte for byte, and it doubles as the docs anchor.
pub fn check_code(code: &str) -> Result<(), CodeProblem> {
    if !is_snake_case(code) {
        return Err(CodeProblem::NotSnakeCase);
    }
    if code.len() > MAX_CODE_LEN {
        return Err(CodeProblem::TooLong(code.len()));
    }
    Ok(())
}

/// Lowercase snake_case ASCII: `[a-z][a-z0-9]*(_[a-z0-9]+)*`.
pub fn is_snake_case(s: &str) -> bool {
    let bytes = s.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        && !s.contains("__")
        && !s.ends_with('_')
}

/// The wire string of a category named `name` in the header: `RateLimits` is
/// `rate_limits`. Two names with one wire string (`Auth`, `auth`) are refused by the macro.
pub fn category_wire(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Why a text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// Empty, or only whitespace.
    Empty,
    /// Starts or ends with whitespace.
    OuterWhitespace,
    /// Holds a line break (LF, CR, or a Unicode line or paragraph separator).
    LineBreak,
    /// Holds a control character other than a line break: a tab, an ANSI escape, NUL.
    Control(char),
    /// Holds a bidirectional override or isolate, which reorders the text on screen.
    Bidi(char),
}

/// Checks one of the table's texts.
pub fn check_text(text: &str) -> Result<(), TextProblem> {
    if text.trim().is_empty() {
        return Err(TextProblem::Empty);
    }
    if text.trim() != text {
        return Err(TextProblem::OuterWhitespace);
    }
    for ch in text.chars() {
        if matches!(ch, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            return Err(TextProblem::LineBreak);
        }
        if ch.is_control() {
            return Err(TextProblem::Control(ch));
        }
        if is_bidi_control(ch) {
            return Err(TextProblem::Bidi(ch));
        }
    }
    Ok(())
}

/// The Unicode bidirectional formatting characters (UAX #9): embeddings, overrides,
/// isolates and marks. CVE-2021-42574 ("Trojan Source") is the reason to refuse them.
pub const fn is_bidi_control(ch: char) -> bool {
    matches!(
        ch,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(check_code("invalid_api_key"), Ok(()));
        assert_eq!(check_code("e2e_failed"), Ok(()));
        for bad in ["", "Invalid", "_a", "a_", "a__b", "1a", "a-b", "ünï", "a b"] {
            assert_eq!(check_code(bad), Err(CodeProblem::NotSnakeCase), "{bad:?}");
        }
        assert_eq!(check_code(&"a".repeat(63)), Ok(()));
        assert_eq!(check_code(&"a".repeat(64)), Err(CodeProblem::TooLong(64)));
    }

    #[test]
    fn category_wires() {
        assert_eq!(category_wire("Authentication"), "authentication");
        assert_eq!(category_wire("RateLimits"), "rate_limits");
        assert_eq!(category_wire("Auth"), category_wire("auth"));
        assert_eq!(category_wire("Http2Errors"), "http2_errors");
    }

    #[test]
    fn texts() {
        assert_eq!(check_text("Retry after 30-60s"), Ok(()));
        assert_eq!(check_text("Run / file doesn’t exist"), Ok(()));
        assert_eq!(check_text(" "), Err(TextProblem::Empty));
        assert_eq!(check_text(" a"), Err(TextProblem::OuterWhitespace));
        assert_eq!(check_text("a\rb"), Err(TextProblem::LineBreak));
        assert_eq!(check_text("a\nb"), Err(TextProblem::LineBreak));
        assert_eq!(check_text("a\u{2028}b"), Err(TextProblem::LineBreak));
        assert_eq!(
            check_text("a\u{1b}[31mb"),
            Err(TextProblem::Control('\u{1b}'))
        );
        assert_eq!(check_text("a\tb"), Err(TextProblem::Control('\t')));
        assert_eq!(check_text("a\u{202E}b"), Err(TextProblem::Bidi('\u{202E}')));
        assert_eq!(check_text("a\u{2066}b"), Err(TextProblem::Bidi('\u{2066}')));
    }
}
