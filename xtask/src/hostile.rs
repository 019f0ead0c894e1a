//! `cargo xtask hostile-docs DIR`: the reference rendered from a table whose every text is
//! hostile, for the renderer checks in `.ci/docs` and the generator tests.
//!
//! The macro keeps control and bidirectional characters out of a real table, so the texts
//! go into the [`Contract`] model directly: the generators render from the model and must
//! show any text as written, whatever a table lets through today.

use std::path::Path;
use std::{fs, io};

use crate::codegen::{self, Header};
use crate::docs;
use crate::model::Contract;

/// Every markdown, MDX and HTML metacharacter, the constructs they make, and the text
/// tricks a renderer or a screen could act on.
pub(crate) const TEXTS: &[&str] = &[
    r"a\|b, a backslash before a pipe",
    "a|b|c, pipes",
    r"trailing backslash \",
    "`code`, ``double``, ``` and a lone ` backtick",
    "*em* **strong** _em_ __strong__ ~~del~~ ~sub~",
    "[x](javascript:alert(1)) ![img](x.png) [ref][1] [^note]",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- a comment --> and <b>bold</b>",
    "&amp; &#42; &copy; &lt; and & alone",
    "{props.id} {/* mdx */} and }{",
    "# not a heading",
    "> not a quote",
    "- not a list",
    "1. not a list",
    "see https://evil.example/x, http://x.io and ftp://y.io",
    "www.example.com and WWW.EXAMPLE.COM",
    "user@example.com and mailto:a@b.co",
    ":smile: $x^2$ $$y$$",
    "\u{202E}reversed\u{202C} and \u{2066}isolated\u{2069}",
    "tab\there, carriage\rreturn, escape\u{1b}[31m",
    "  leading and trailing spaces  ",
    "Resubmit with async: true; poll /tasks/{id}",
];

/// The current contract with every text of the table, the status table and the tiers
/// replaced by one of [`TEXTS`], in turn, so each appears in a table cell of the page.
pub(crate) fn model() -> Contract {
    let mut model = Contract::current();
    let mut texts = TEXTS.iter().cycle().map(|text| (*text).to_owned());
    let mut next = || texts.next().expect("the texts cycle");
    // Categories stay names the codes point at, but hostile ones.
    let renamed: Vec<(String, String)> = model
        .categories
        .iter()
        .map(|category| (category.clone(), format!("{category} {}", next())))
        .collect();
    for (old, new) in &renamed {
        for category in &mut model.categories {
            if category == old {
                category.clone_from(new);
            }
        }
        for code in &mut model.codes {
            if &code.category == old {
                code.category.clone_from(new);
            }
        }
    }
    for code in &mut model.codes {
        code.title = next();
        code.message = next();
        code.when = next();
        code.remedy = next();
        code.deprecated = Some(next());
    }
    for status in &mut model.statuses {
        status.category = next();
        status.typical = next();
    }
    for tier in &mut model.tiers {
        tier.name = next();
    }
    model
}

/// What a renderer shows for `text`: the text itself, but for an ESC, which the page shows
/// as its Control Pictures symbol `␛` rather than pass to a screen.
pub(crate) fn shown(text: &str) -> String {
    text.replace('\u{1b}', "\u{241B}")
}

/// Writes `DIR/errors.md`, the page rendered from [`model`], and `DIR/texts.json`, the
/// texts each of which some table cell of it must show as written.
pub(crate) fn write(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let page = codegen::finish(Header::Markdown, &docs::render(&model()));
    fs::write(dir.join("errors.md"), page)?;
    let shown: Vec<String> = TEXTS.iter().map(|text| shown(text)).collect();
    let texts = serde_json::to_string_pretty(&shown).expect("strings serialize");
    fs::write(dir.join("texts.json"), texts)
}
