//! Text from the wire printed on one line: what `Display` of the SDK's types uses, so a
//! hostile message or code cannot break or disguise a log line, and the escaped excerpt
//! that is all an SDK keeps of an `error` string that is not a code. A leaf.

use std::fmt;

/// Writes `text` on one line, at most `max` characters of it, ending with `…` if it was cut
/// or `more` says the text itself is only the start of something longer.
///
/// Only what could break a log line or disguise it is escaped: control characters (`\n`,
/// `\u{1b}`), line separators and bidirectional overrides; quotes and accents print as is.
/// The limit counts printed characters, since an escape is up to ten of them.
/// Whether `c` could break a log line or disguise it: a control character, a line or
/// paragraph separator, a bidirectional override or isolate.
fn hostile(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every [`hostile`] character written as its Rust escape (`\n`, `\u{0}`,
/// `\u{202e}`), at most `max` bytes of the result, ending with `…` (within the bound) when
/// cut: an excerpt that is safe to log, never the text itself.
pub(crate) fn escaped(text: &str, max: usize) -> String {
    const MORE: &str = "…";
    let mut out = String::new();
    // Where to cut if the rest does not fit: after the last whole character or escape that
    // leaves room for the `…`.
    let mut cut = 0;
    for c in text.chars() {
        if hostile(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
        if out.len() > max {
            out.truncate(cut);
            out.push_str(MORE);
            return out;
        }
        if out.len() + MORE.len() <= max {
            cut = out.len();
        }
    }
    out
}

pub(crate) fn write_escaped(
    f: &mut fmt::Formatter<'_>,
    text: &str,
    max: usize,
    more: bool,
) -> fmt::Result {
    let mut printed: usize = 0;
    for c in text.chars() {
        let hostile = hostile(c);
        let width = if hostile { c.escape_debug().len() } else { 1 };
        if printed.saturating_add(width) > max {
            return f.write_str("…");
        }
        printed += width;
        if hostile {
            write!(f, "{}", c.escape_debug())?;
        } else {
            fmt::Write::write_char(f, c)?;
        }
    }
    if more { f.write_str("…") } else { Ok(()) }
}
