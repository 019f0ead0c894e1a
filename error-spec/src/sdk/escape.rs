//! Text from the wire printed on one line: what `Display` of the SDK's types uses, so a
//! hostile message or code cannot break or disguise a log line. A leaf.

use std::fmt;

/// Writes `text` on one line, at most `max` characters of it, ending with `…` if it was cut
/// or `more` says the text itself is only the start of something longer.
///
/// Only what could break a log line or disguise it is escaped: control characters (`\n`,
/// `\u{1b}`), line separators and bidirectional overrides; quotes and accents print as is.
/// The limit counts printed characters, since an escape is up to ten of them.
pub(crate) fn write_escaped(
    f: &mut fmt::Formatter<'_>,
    text: &str,
    max: usize,
    more: bool,
) -> fmt::Result {
    let mut printed: usize = 0;
    for c in text.chars() {
        let hostile = c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
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
