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

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    use super::{TEXTS, model, shown};
    use crate::model::Contract;
    use crate::{contract, docs};

    /// What a real CommonMark/GFM renderer (pulldown-cmark, mdBook's, with mdBook's
    /// extensions) makes of a page: each table cell's text, each heading's text, each
    /// paragraph's text, and every construct beyond text, code, tables and in-page links.
    #[derive(Debug, Default)]
    struct Rendered {
        cells: Vec<String>,
        headings: Vec<String>,
        paragraphs: Vec<String>,
        markup: Vec<String>,
    }

    fn render(markdown: &str) -> Rendered {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_HEADING_ATTRIBUTES
            | Options::ENABLE_MATH
            | Options::ENABLE_GFM;
        let mut rendered = Rendered::default();
        // The text of the outermost open cell, heading, paragraph or list item.
        let mut text = String::new();
        let mut depth = 0_usize;
        for event in Parser::new_ext(markdown, options) {
            match event {
                Event::Start(Tag::TableCell | Tag::Heading { .. } | Tag::Paragraph | Tag::Item) => {
                    depth += 1;
                }
                Event::End(
                    end @ (TagEnd::TableCell
                    | TagEnd::Heading(_)
                    | TagEnd::Paragraph
                    | TagEnd::Item),
                ) => {
                    depth -= 1;
                    if depth == 0 {
                        let done = std::mem::take(&mut text);
                        match end {
                            TagEnd::TableCell => rendered.cells.push(done),
                            TagEnd::Heading(_) => rendered.headings.push(done),
                            _ => rendered.paragraphs.push(done),
                        }
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if depth > 0 {
                        text.push_str(&t);
                    }
                }
                Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('#') => {}
                // The page's own `**Deprecated:**` label.
                Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => {}
                Event::Start(
                    Tag::Table(_)
                    | Tag::TableHead
                    | Tag::TableRow
                    | Tag::CodeBlock(_)
                    | Tag::List(_),
                )
                | Event::End(_)
                | Event::SoftBreak => {}
                other => rendered.markup.push(format!("{other:?}")),
            }
        }
        rendered
    }

    #[test]
    fn every_text_renders_as_written_in_the_docs() {
        let model = model();
        let page = render(&docs::render(&model));
        assert_eq!(
            page.markup,
            Vec::<String>::new(),
            "markup made of table text"
        );
        for text in TEXTS {
            let shown = shown(text);
            assert!(
                page.cells.contains(&shown),
                "no cell shows {shown:?} as written; cells: {:#?}",
                page.cells
            );
        }
        for code in &model.codes {
            let deprecated = format!(
                "Deprecated: {}",
                shown(
                    code.deprecated
                        .as_deref()
                        .expect("every code is deprecated here")
                )
            );
            assert!(page.paragraphs.contains(&deprecated), "{deprecated:?}");
        }
        for category in &model.categories {
            assert!(page.headings.contains(&shown(category)), "{category:?}");
        }
    }

    #[test]
    fn the_renderer_sees_markup_when_text_is_not_escaped() {
        // The check above can fail: the same texts, unescaped, make markup and lose cells.
        let mut raw = String::from("| a |\n| --- |\n");
        for text in TEXTS {
            raw.push_str(&format!("| {} |\n", text.replace(['\n', '\r'], " ")));
        }
        let page = render(&raw);
        assert!(!page.markup.is_empty());
        assert!(TEXTS.iter().any(|text| !page.cells.contains(&shown(text))));
    }

    #[test]
    fn the_json_artifact_keeps_every_text_exactly() {
        let model = model();
        let json = contract::render(&model);
        let read = Contract::from_json(&json).expect("the contract reads back");
        assert_eq!(read, model);
        let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(value["codes"][0]["title"], model.codes[0].title);
        assert!(TEXTS.contains(&model.codes[0].title.as_str()));
    }

    /// GitHub's heading ids (github-slugger): lowercase, every character but letters,
    /// digits, `-`, `_` and spaces dropped, spaces as `-`, a repeat suffixed `-1`, `-2`, ...
    fn github_slugs(headings: &[String]) -> Vec<String> {
        let mut seen = std::collections::HashMap::<String, usize>::new();
        headings
            .iter()
            .map(|heading| {
                let base: String = heading
                    .to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
                    .map(|c| if c == ' ' { '-' } else { c })
                    .collect();
                let count = seen.entry(base.clone()).or_insert(0);
                let slug = if *count == 0 {
                    base.clone()
                } else {
                    format!("{base}-{count}")
                };
                *count += 1;
                slug
            })
            .collect()
    }

    #[test]
    fn every_doc_url_anchor_is_the_id_of_its_codes_heading() {
        let model = Contract::current();
        let page = render(&docs::render(&model));
        let slugs = github_slugs(&page.headings);
        for code in &model.codes {
            let at = slugs.iter().position(|slug| *slug == code.anchor);
            assert_eq!(
                at.map(|at| page.headings[at].as_str()),
                Some(code.code.as_str()),
                "#{} is not the id of the heading of `{}`",
                code.anchor,
                code.code
            );
        }
    }

    #[test]
    fn openapi_descriptions_render_the_table_text_as_written() {
        let document = crate::openapi::render(&Contract::current());
        let value: serde_json::Value = serde_json::from_str(&document).expect("JSON");
        let mut rendered = Vec::new();
        collect_descriptions(&value, &mut rendered);
        let all = rendered.join("\n");
        for code in &Contract::current().codes {
            for text in [&code.when, &code.remedy, &code.message] {
                assert!(all.contains(text.as_str()), "{text:?} not shown as written");
            }
        }
    }

    /// Every `description` of an OpenAPI document, rendered as the CommonMark it is to doc
    /// tools, with no markup beyond code allowed.
    fn collect_descriptions(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    if let (true, Some(description)) = (key == "description", value.as_str()) {
                        let page = render(description);
                        assert_eq!(page.markup, Vec::<String>::new(), "{description:?}");
                        out.push(page.paragraphs.join("\n"));
                    } else {
                        collect_descriptions(value, out);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                items
                    .iter()
                    .for_each(|item| collect_descriptions(item, out));
            }
            _ => {}
        }
    }
}
