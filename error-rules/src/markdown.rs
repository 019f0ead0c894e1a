//! Table text as markdown that renders as written: never as markup, HTML or a link.
//!
//! The table's texts reach markdown in two places: the cells of `docs/errors.md` and the
//! `description` fields of the OpenAPI document, which every doc tool renders as CommonMark.
//! A text is prose, not markdown, so every character that some renderer would read as
//! syntax is escaped here, once, for all of them: CommonMark and GFM (GitHub, marked,
//! markdown-it, mdBook, micromark), MDX (Docusaurus) and Python-Markdown (MkDocs).
//!
//! Two kinds of escape are used, each where every one of those renderers honours it:
//! - a backslash before `\`, `` ` ``, `*`, `_`, `[`, `]`, `{`, `}`, `#` and `!`, the ASCII
//!   punctuation that both CommonMark and Python-Markdown unescape;
//! - a character reference (`&lt;`, `&#124;`, ...) for the rest: Python-Markdown does not
//!   unescape `\<`, `\&` or `\~`, and marked and micromark split a table cell at the `|`
//!   of an escaped backslash and pipe (`\\|`), while a reference is plain text to every
//!   renderer, inside a table cell too. Controls other than line breaks and tabs, on which
//!   renderers disagree, are shown as their Control Pictures symbols instead.
//!
//! What no escape covers is a word that a renderer links on sight, in the decoded text: GFM's
//! `https://...`, `www.` and `user@host` autolinks (remark-gfm finds them after references
//! are decoded) and GitHub's `:emoji:` shortcodes. Such a word is written as a code span,
//! which shows its text as written and which none of them looks into.

/// Escapes `text` for one run of inline markdown, such as a table cell: every renderer
/// shows exactly `text`, with no emphasis, code, link, autolink, raw HTML, entity, MDX
/// expression or table cell boundary made of it.
///
/// Line breaks become character references too, so the result is always one line and
/// never ends a table row; leading and trailing spaces are kept the same way, since a
/// table cell trims plain ones. Other control characters, which no renderer shows alike,
/// are shown as their Control Pictures symbols ([`control_picture`]).
///
/// ```
/// use error_rules::markdown::escape_inline;
///
/// assert_eq!(escape_inline("sk_live_*"), r"sk\_live\_\*");
/// assert_eq!(escape_inline("a|b <b>"), "a&#124;b &lt;b&gt;");
/// assert_eq!(escape_inline("see https://x.io"), "see `https://x.io`");
/// assert_eq!(escape_inline("async: true"), "async: true");
/// ```
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let chars: Vec<char> = text.chars().collect();
    // Leading and trailing spaces are trimmed from cells and may make code blocks or hard
    // breaks, so they are written as references; the ones between words stay as they are.
    let first = chars.iter().position(|&c| c != ' ').unwrap_or(chars.len());
    let last = chars.iter().rposition(|&c| c != ' ').map_or(0, |i| i + 1);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' && (i < first || i >= last) {
            out.push_str("&#32;");
            i += 1;
            continue;
        }
        if code_span_safe(c) {
            let end = chars[i..]
                .iter()
                .position(|&c| !code_span_safe(c))
                .map_or(chars.len(), |len| i + len);
            let word: String = chars[i..end].iter().collect();
            if links_on_sight(&word) {
                out.push('`');
                out.push_str(&word);
                out.push('`');
            } else {
                word.chars().for_each(|c| escape_char(c, &mut out));
            }
            i = end;
            continue;
        }
        escape_char(c, &mut out);
        i += 1;
    }
    out
}

/// Writes one character of prose, escaped.
fn escape_char(c: char, out: &mut String) {
    match c {
        '\\' | '`' | '*' | '_' | '[' | ']' | '{' | '}' | '#' | '!' => {
            out.push('\\');
            out.push(c);
        }
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '|' => out.push_str("&#124;"),
        '~' => out.push_str("&#126;"),
        '$' => out.push_str("&#36;"),
        // Renderers disagree on references to the other controls (markdown-it leaves
        // `&#x1B;` as typed, micromark shows U+FFFD, the rest pass a terminal escape
        // through), so they are shown as their visible Control Pictures symbols (`␛`).
        c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {
            out.push(control_picture(c));
        }
        // A line-start construct (`- `, `1. `, `+ `, `= `) needs a line start, and an
        // escaped line break is none; the text stays one line in every context.
        c if needs_reference(c) => {
            out.push_str("&#x");
            out.push_str(&format!("{:X}", u32::from(c)));
            out.push(';');
        }
        c => out.push(c),
    }
}

/// Whether `c` can stand inside a code span as itself in every renderer: a code span ends
/// at a backtick, GFM splits a table cell at a `|` even inside one, and the rest is
/// whitespace (a word boundary) or a character that must stay visible as a reference.
fn code_span_safe(c: char) -> bool {
    !(c.is_whitespace() || c == '`' || c == '|' || needs_reference(c))
}

/// Whether some renderer turns `word` into a link or an image however its characters are
/// escaped: GFM's autolinks (`https://...`, `www.`, `user@host`) as remark-gfm finds them
/// in the decoded text, and GitHub's `:emoji:` shortcodes. No escape survives decoding, so
/// such a word is written as a code span, the one construct none of them looks into.
fn links_on_sight(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.contains("://")
        || lower.contains("www.")
        || lower.contains('@')
        || lower.contains("mailto:")
        || lower.contains("xmpp:")
        || lower
            .split(':')
            .skip(1)
            .collect::<Vec<_>>()
            .split_last()
            .is_some_and(|(_, middle)| {
                middle.iter().any(|name| {
                    !name.is_empty()
                        && name
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-'))
                })
            })
}

/// Escapes `text` as a markdown block of its own, such as an OpenAPI `description`: like
/// [`escape_inline`] for each line, and the line breaks kept as line breaks, with every
/// line start that could open a list, a quote, a heading or a setext underline escaped too.
///
/// ```
/// use error_rules::markdown::escape_block;
///
/// assert_eq!(escape_block("- not a list"), "&#45; not a list");
/// assert_eq!(escape_block("2. not a list"), "2&#46; not a list");
/// assert_eq!(escape_block("one\ntwo"), "one\ntwo");
/// ```
pub fn escape_block(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            escape_line_start(escape_inline(line))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes the marker a line of [`escape_inline`] output could start a block with: `-`,
/// `+` and `=` (lists, setext underlines, thematic breaks) and the `.` or `)` after leading
/// digits (ordered lists). `#`, `>`, `*`, `_` and spaces are escaped everywhere already.
fn escape_line_start(line: String) -> String {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    match line.as_bytes().get(digits) {
        Some(b'-') if digits == 0 => format!("&#45;{}", &line[1..]),
        Some(b'+') if digits == 0 => format!("&#43;{}", &line[1..]),
        Some(b'=') if digits == 0 => format!("&#61;{}", &line[1..]),
        Some(b'.') if digits > 0 => format!("{}&#46;{}", &line[..digits], &line[digits + 1..]),
        Some(b')') if digits > 0 => format!("{}&#41;{}", &line[..digits], &line[digits + 1..]),
        _ => line,
    }
}

/// The visible symbol of a control character: U+2400 onwards for C0, `␡` for DEL and
/// U+FFFD for the C1 controls, which have no symbol of their own.
pub fn control_picture(c: char) -> char {
    match u32::from(c) {
        code @ 0..=0x1F => char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

/// Characters written as references so they can neither break the markdown nor hide in
/// it: line breaks and other controls (a literal one ends a table row or a line), and the
/// bidirectional formatting characters, which reorder the text around them on screen.
fn needs_reference(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::{escape_block, escape_inline};

    /// Undoes the escapes the way a CommonMark renderer reads them, for the round trip:
    /// a backslash before ASCII punctuation, and decimal or hexadecimal references.
    fn unescape(markdown: &str) -> String {
        let mut out = String::new();
        let mut rest = markdown;
        while let Some(c) = rest.chars().next() {
            if c == '`' {
                let end = rest[1..].find('`').expect("a code span ends") + 1;
                out.push_str(&rest[1..end]);
                rest = &rest[end + 1..];
            } else if c == '\\' {
                let next = rest[1..]
                    .chars()
                    .next()
                    .expect("no lone trailing backslash");
                assert!(next.is_ascii_punctuation(), "`\\{next}` is no escape");
                out.push(next);
                rest = &rest[1 + next.len_utf8()..];
            } else if c == '&' {
                let end = rest.find(';').expect("a reference ends with `;`");
                let name = &rest[1..end];
                out.push(match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    _ => {
                        let number = match name.strip_prefix("#x") {
                            Some(hex) => u32::from_str_radix(hex, 16),
                            None => name[1..].parse(),
                        };
                        number
                            .ok()
                            .and_then(char::from_u32)
                            .expect("a numeric reference to a character")
                    }
                });
                rest = &rest[end + 1..];
            } else {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    }

    const HOSTILE: &[&str] = &[
        r"a\|b",
        "a|b|c",
        r"trailing backslash \",
        "`code` and ``two``",
        "*em* **strong** _em_ __strong__ ~~del~~",
        "[x](javascript:alert(1)) ![img](x.png) [ref][1]",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<!-- comment -->",
        "&amp; &#42; &copy; & alone",
        "{props.id} {id}",
        "# not a heading",
        "https://evil.example/x http://x.io ftp://y",
        "www.example.com WWW.EXAMPLE.COM",
        "user@example.com mailto:a@b.c",
        ":smile: $x^2$",
        "\u{202E}reversed\u{202C} and \u{2066}isolated\u{2069}",
        "carriage\rreturn\nnewline\ttab\u{1b}[31m",
        "  leading and trailing  ",
        "Resubmit with async: true; poll /tasks/{id}",
    ];

    #[test]
    fn escaped_text_reads_back_as_written() {
        for text in HOSTILE {
            // An ESC is shown as its symbol, `␛`, not passed through to the screen.
            let shown = text.replace('\u{1b}', "\u{241B}");
            assert_eq!(unescape(&escape_inline(text)), shown, "{text:?}");
        }
    }

    #[test]
    fn no_markup_character_is_left_bare() {
        for text in HOSTILE {
            let escaped = escape_inline(text);
            // Outside the escapes, no character that opens a construct remains.
            let mut bare = String::new();
            let mut chars = escaped.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '`' => {
                        for c in chars.by_ref() {
                            if c == '`' {
                                break;
                            }
                        }
                    }
                    '&' => {
                        for c in chars.by_ref() {
                            if c == ';' {
                                break;
                            }
                        }
                    }
                    c => bare.push(c),
                }
            }
            for forbidden in [
                '*', '_', '[', ']', '<', '>', '|', '{', '}', '#', '~', '$', '@', '\n', '\r',
                '\u{202E}',
            ] {
                assert!(!bare.contains(forbidden), "{forbidden:?} in {escaped:?}");
            }
            for link in ["://", "www.", "WWW.", "mailto:", ":smile:"] {
                assert!(!bare.contains(link), "{link:?} in {escaped:?}");
            }
        }
    }

    #[test]
    fn words_that_link_on_sight_are_code_spans() {
        assert_eq!(
            escape_inline("see https://x.io, www.y.org or a@b.co :tada:"),
            "see `https://x.io,` `www.y.org` or `a@b.co` `:tada:`"
        );
        assert_eq!(escape_inline("https://a.b|c"), "`https://a.b`&#124;c");
        assert_eq!(escape_inline("async: true 12:30"), "async: true 12:30");
    }

    #[test]
    fn a_backslash_before_a_pipe_cannot_end_the_cell() {
        assert_eq!(escape_inline(r"a\|b"), r"a\\&#124;b");
    }

    #[test]
    fn plain_prose_stays_readable() {
        for text in [
            "Missing, malformed, or revoked keys",
            "Retry after 30-60s",
            "Resubmit with async: true; poll /tasks/",
            "Run / file / image doesn’t exist",
        ] {
            assert_eq!(escape_inline(text), text);
        }
        assert_eq!(escape_inline("sk_live_*"), r"sk\_live\_\*");
    }

    #[test]
    fn block_line_starts_are_escaped_and_breaks_kept() {
        assert_eq!(
            escape_block("- a\n+ b\n= c\n10) d\n3. e\n# f\n> g"),
            "&#45; a\n&#43; b\n&#61; c\n10&#41; d\n3&#46; e\n\\# f\n&gt; g"
        );
        assert_eq!(escape_block("a-b\n1st"), "a-b\n1st");
        assert_eq!(escape_block("    code?"), "&#32;&#32;&#32;&#32;code?");
    }
}
