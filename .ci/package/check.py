#!/usr/bin/env python3
"""Checks unpacked `.crate` files as crates.io and docs.rs would take them.

Usage: .ci/package/check.py UNPACKED_DIR...

For each package: the metadata crates.io shows and needs (description, license and both
licence files, repository, readme inside the package, keywords and categories within
crates.io's limits, rust-version) and docs.rs' settings (all features, `--cfg docsrs`), and
that every file its sources read with `include_str!`/`include_bytes!` is inside the package
(no `../` out of it, no `CARGO_MANIFEST_DIR` path out of it).
"""

import pathlib
import re
import sys
import tomllib

# crates.io's category slugs this workspace uses; crates.io rejects unknown ones.
CATEGORIES = {
    "api-bindings",
    "development-tools",
    "development-tools::procedural-macro-helpers",
    "rust-patterns",
    "web-programming",
    "web-programming::http-client",
    "web-programming::http-server",
}
INCLUDE = re.compile(r'include_(?:str|bytes)!\(\s*"([^"]+)"\s*\)')
MANIFEST_DIR_UP = re.compile(r'CARGO_MANIFEST_DIR"\)[^;]*?"/?\.\./')


def check(root: pathlib.Path) -> list[str]:
    problems = []
    manifest = tomllib.loads((root / "Cargo.toml").read_text())
    package = manifest["package"]
    name = package["name"]

    def need(ok, message):
        if not ok:
            problems.append(f"{name}: {message}")

    for key in ("description", "license", "repository", "readme", "rust-version"):
        need(package.get(key), f"no `{key}`")
    need(package.get("publish", True) is not False, "`publish = false`")
    readme = package.get("readme")
    if readme:
        need((root / readme).is_file(), f"readme `{readme}` is not in the package")
    for licence in ("LICENSE-MIT", "LICENSE-APACHE"):
        need((root / licence).is_file(), f"no {licence} in the package")
    keywords = package.get("keywords", [])
    need(1 <= len(keywords) <= 5, f"{len(keywords)} keywords (crates.io takes 1 to 5)")
    for keyword in keywords:
        need(re.fullmatch(r"[a-zA-Z][a-zA-Z0-9_-]{0,19}", keyword), f"keyword `{keyword}`")
    categories = package.get("categories", [])
    need(1 <= len(categories) <= 5, f"{len(categories)} categories (crates.io takes 1 to 5)")
    for category in categories:
        need(category in CATEGORIES, f"category `{category}` is not one of crates.io's")
    docs_rs = package.get("metadata", {}).get("docs", {}).get("rs", {})
    need(docs_rs.get("all-features") is True, "docs.rs: no `all-features = true`")
    need(docs_rs.get("rustdoc-args") == ["--cfg", "docsrs"], 'docs.rs: no `rustdoc-args = ["--cfg", "docsrs"]`')

    for source in sorted(root.rglob("*.rs")):
        text = source.read_text()
        shown = source.relative_to(root)
        for path in INCLUDE.findall(text):
            target = (source.parent / path).resolve()
            inside = target.is_relative_to(root.resolve())
            need(inside and target.is_file(), f"{shown} reads `{path}`, which is not in the package")
        need(not MANIFEST_DIR_UP.search(text), f"{shown} reads a path above CARGO_MANIFEST_DIR")
    return problems


def main():
    problems = []
    for arg in sys.argv[1:]:
        problems += check(pathlib.Path(arg))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"package check: {len(sys.argv) - 1} packages hold what they read and carry crates.io's and docs.rs' metadata")


if __name__ == "__main__":
    main()
