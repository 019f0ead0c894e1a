"""Renders a markdown page as GitHub (cmark-gfm) and MkDocs (Python-Markdown) do.

Usage: render.py PAGE.md OUT_DIR. Writes OUT_DIR/github.html and OUT_DIR/mkdocs.html for
check.mjs to read. Raw HTML is let through (cmark-gfm's unsafe mode) so that a page that
carries any shows it; GitHub's sanitizer would hide the evidence.
"""

import pathlib
import sys

import cmarkgfm
import markdown
from cmarkgfm.cmark import Options


def main() -> None:
    page, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    text = page.read_text(encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    github = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    (out / "github.html").write_text(github, encoding="utf-8")
    # MkDocs' default extensions.
    mkdocs = markdown.markdown(text, extensions=["toc", "tables", "fenced_code"])
    (out / "mkdocs.html").write_text(mkdocs, encoding="utf-8")


if __name__ == "__main__":
    main()
