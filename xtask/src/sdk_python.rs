//! `sdk/python/`: the Python SDK's error layer as a typed package (`py.typed`), written
//! whole by `cargo xtask codegen`; standard library only at run time.
//!
//! `error_spec_sdk/__init__.py` is the table's facts (rendered here from the model: the
//! known codes as a `str` enum, each code's spec, the status table, the tiers, the headers),
//! then the reader, the retry rules and the urllib helper
//! (`xtask/templates/python/runtime.py`, written by hand to mirror the Rust SDK).

use std::fmt::Write as _;

use crate::model::{CodeEntry, Contract};
use crate::sdk_figures::Figures;

/// The module, from the workspace root.
pub(crate) const PATH: &str = "sdk/python/error_spec_sdk/__init__.py";
/// The PEP 561 marker: the package ships its types.
pub(crate) const PY_TYPED: &str = "sdk/python/error_spec_sdk/py.typed";
/// The project file.
pub(crate) const PYPROJECT: &str = "sdk/python/pyproject.toml";
/// The package's README, whose example `.ci/sdk` runs.
pub(crate) const README: &str = "sdk/python/README.md";

/// The distribution name on an index.
const DISTRIBUTION: &str = "error-spec-sdk";

const RUNTIME: &str = include_str!("../templates/python/runtime.py");
const README_TEMPLATE: &str = include_str!("../templates/python/README.md");

/// A Python string literal: JSON's escapes are all Python escapes too, and serde_json
/// writes no `\/`.
fn py_str(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

fn py_opt(text: Option<&str>) -> String {
    text.map_or_else(|| "None".to_owned(), py_str)
}

fn py_strs(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| py_str(item)).collect();
    match items.len() {
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}

/// The enum member's name: the code in upper case, as Python names constants.
fn member_name(code: &str) -> String {
    code.to_ascii_uppercase()
}

fn retry_literal(code: &CodeEntry) -> String {
    use error_spec::RetryClass;
    match code.retry {
        RetryClass::Pause { min_secs, max_secs } => {
            format!("RetryClass(\"pause\", {min_secs}, {max_secs})")
        }
        RetryClass::Never => "RetryClass(\"never\")".to_owned(),
        RetryClass::RetryAfter => "RetryClass(\"retry_after\")".to_owned(),
        RetryClass::Backoff => "RetryClass(\"backoff\")".to_owned(),
        RetryClass::ResubmitAsync => "RetryClass(\"resubmit_async\")".to_owned(),
    }
}

/// `__init__.py`: the table as data, then the runtime.
pub(crate) fn render(model: &Contract) -> String {
    let figures = Figures::current();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\"\"\"The error layer of the API's Python SDK: the table's facts, a reader that never raises,\n\
         the retry rules and a urllib helper. The runtime part is xtask/templates/python/runtime.py.\"\"\"\n"
    );
    out.push_str(
        "from __future__ import annotations\n\n\
         import email.message\n\
         import enum\n\
         import math\n\
         import random\n\
         import re\n\
         import sys\n\
         import time\n\
         import types\n\
         import urllib.error\n\
         import urllib.request\n\
         from collections.abc import Callable, Iterable, Mapping, Sequence\n\
         from dataclasses import dataclass\n\
         from typing import Any, Final, Literal, Optional, Union\n\n",
    );
    let _ = writeln!(out, "CONTRACT_VERSION: Final = {}", py_str(&model.version));
    let _ = writeln!(
        out,
        "\"\"\"The contract's version, ``MAJOR.MINOR.PATCH``.\"\"\"\n"
    );
    let _ = writeln!(
        out,
        "CATEGORIES: Final[tuple[str, ...]] = {}\n",
        py_strs(&model.categories)
    );
    let _ = writeln!(out, "\nclass KnownCode(str, enum.Enum):");
    let _ = writeln!(
        out,
        "    \"\"\"A code the table declares; the value is the wire string.\"\"\"\n"
    );
    for code in &model.codes {
        let _ = writeln!(
            out,
            "    {} = {}",
            member_name(&code.code),
            py_str(&code.code)
        );
    }
    out.push_str(
        "\n\n@dataclass(frozen=True)\n\
         class RetryClass:\n    \
         \"\"\"A code's retry class; ``pause`` has its range in seconds.\"\"\"\n\n    \
         kind: Literal[\"never\", \"retry_after\", \"backoff\", \"pause\", \"resubmit_async\"]\n    \
         min_secs: int = 0\n    \
         max_secs: int = 0\n\n\n\
         @dataclass(frozen=True)\n\
         class CodeSpec:\n    \
         \"\"\"One code's facts.\"\"\"\n\n    \
         code: KnownCode\n    \
         status: int\n    \
         category: str\n    \
         title: str\n    \
         message: str\n    \
         when: str\n    \
         remedy: str\n    \
         retry: RetryClass\n    \
         deprecated: Optional[str]\n    \
         \"\"\"Why the code is deprecated; ``None`` while it is not.\"\"\"\n    \
         doc_anchor: str\n\n\n",
    );
    let _ = writeln!(
        out,
        "CODES: Final[Mapping[KnownCode, CodeSpec]] = types.MappingProxyType({{"
    );
    for code in &model.codes {
        let _ = writeln!(out, "    KnownCode.{}: CodeSpec(", member_name(&code.code));
        let _ = writeln!(out, "        code=KnownCode.{},", member_name(&code.code));
        let _ = writeln!(out, "        status={},", code.status);
        let _ = writeln!(out, "        category={},", py_str(&code.category));
        let _ = writeln!(out, "        title={},", py_str(&code.title));
        let _ = writeln!(out, "        message={},", py_str(&code.message));
        let _ = writeln!(out, "        when={},", py_str(&code.when));
        let _ = writeln!(out, "        remedy={},", py_str(&code.remedy));
        let _ = writeln!(out, "        retry={},", retry_literal(code));
        let _ = writeln!(
            out,
            "        deprecated={},",
            py_opt(code.deprecated.as_deref())
        );
        let _ = writeln!(out, "        doc_anchor={},", py_str(&code.anchor));
        let _ = writeln!(out, "    ),");
    }
    let _ = writeln!(
        out,
        "}})\n\"\"\"Every code the table declares, with its facts (read-only).\"\"\"\n"
    );
    let _ = writeln!(
        out,
        "_KNOWN: Final = frozenset(code.value for code in KnownCode)\n"
    );
    out.push_str(
        "\n@dataclass(frozen=True)\n\
         class StatusRow:\n    \
         \"\"\"One row of the status table.\"\"\"\n\n    \
         status: int\n    \
         category: str\n    \
         typical: str\n    \
         codes: tuple[KnownCode, ...]\n\n\n",
    );
    let _ = writeln!(out, "STATUSES: Final[tuple[StatusRow, ...]] = (");
    for row in &model.statuses {
        let codes: Vec<String> = row
            .codes
            .iter()
            .map(|code| format!("KnownCode.{}", member_name(code)))
            .collect();
        let codes = match codes.len() {
            1 => format!("({},)", codes[0]),
            _ => format!("({})", codes.join(", ")),
        };
        let _ = writeln!(
            out,
            "    StatusRow({}, {}, {}, {codes}),",
            row.status,
            py_str(&row.category),
            py_str(&row.typical)
        );
    }
    let _ = writeln!(
        out,
        ")\n\"\"\"Every HTTP status the API answers with, and the codes each carries.\"\"\"\n"
    );
    out.push_str(
        "\n@dataclass(frozen=True)\n\
         class Tier:\n    \
         \"\"\"One rate-limit tier.\"\"\"\n\n    \
         name: str\n    \
         requests_per_minute: int\n    \
         concurrent_runs: int\n\n\n",
    );
    let _ = writeln!(out, "TIERS: Final[tuple[Tier, ...]] = (");
    for tier in &model.tiers {
        let _ = writeln!(
            out,
            "    Tier({}, {}, {}),",
            py_str(&tier.name),
            tier.requests_per_minute,
            tier.concurrent_runs
        );
    }
    let _ = writeln!(out, ")\n");
    out.push_str(
        "\n@dataclass(frozen=True)\n\
         class HeaderSpec:\n    \
         \"\"\"One header of the contract; ``on`` is ``(\"*\",)`` for every response, else the codes.\"\"\"\n\n    \
         name: str\n    \
         spelling: str\n    \
         type: str\n    \
         on: tuple[str, ...]\n\n\n",
    );
    let _ = writeln!(out, "HEADERS: Final[tuple[HeaderSpec, ...]] = (");
    for header in &model.headers {
        let _ = writeln!(
            out,
            "    HeaderSpec({}, {}, {}, {}),",
            py_str(&header.name),
            py_str(header.spelling.as_deref().unwrap_or(&header.name)),
            py_str(header.type_.as_deref().unwrap_or("string")),
            py_strs(&header.on)
        );
    }
    let _ = writeln!(out, ")\n");
    let _ = writeln!(out, "MAX_BODY_LEN: Final = {}", figures.max_body_len);
    let _ = writeln!(
        out,
        "\"\"\"The largest body read; a longer one is ``too_large``.\"\"\""
    );
    let _ = writeln!(out, "EXCERPT_LEN: Final = {}", figures.excerpt_len);
    let _ = writeln!(
        out,
        "\"\"\"The most bytes of a body an unexpected response keeps.\"\"\""
    );
    let _ = writeln!(out, "MAX_ID_LEN: Final = {}", figures.max_id_len);
    let _ = writeln!(out, "MAX_CODE_LEN: Final = {}", figures.max_code_len);
    let _ = writeln!(
        out,
        "MAX_RETRY_AFTER_SECS: Final = {}",
        figures.max_retry_after_secs
    );
    let _ = writeln!(out, "RAW_CODE_LEN: Final = {}", figures.raw_code_len);
    let _ = writeln!(
        out,
        "\"\"\"The most bytes kept of an ``error`` string that is not a code, escaped.\"\"\""
    );
    let perm: Vec<String> = figures
        .permanent_server_errors
        .iter()
        .map(u16::to_string)
        .collect();
    let _ = writeln!(
        out,
        "PERMANENT_SERVER_ERRORS: Final = frozenset(({},))",
        perm.join(", ")
    );
    let _ = writeln!(
        out,
        "\"\"\"The 5xx statuses that no retry can fix: never retried.\"\"\""
    );
    let _ = writeln!(
        out,
        "_POLICY: Final[dict[str, float]] = {{\"base\": {:?}, \"max_backoff\": {:?}, \"max_attempts\": {}, \"rate_limit_wait\": {:?}, \"unavailable_wait\": {:?}}}\n",
        figures.base_secs,
        figures.max_backoff_secs,
        figures.max_attempts,
        figures.rate_limit_wait_secs,
        figures.unavailable_wait_secs
    );
    out.push('\n');
    out.push_str(RUNTIME);
    out
}

/// `py.typed`: the marker alone says the package is typed; its text is only the header.
pub(crate) fn render_py_typed(_model: &Contract) -> String {
    String::new()
}

/// `pyproject.toml`: flit_core builds it (a small, dependency-free backend); nothing is
/// needed at run time.
pub(crate) fn render_pyproject(model: &Contract) -> String {
    format!(
        "[build-system]\n\
         requires = [\"flit_core>=3.9,<4\"]\n\
         build-backend = \"flit_core.buildapi\"\n\n\
         [project]\n\
         name = \"{DISTRIBUTION}\"\n\
         version = \"{version}\"\n\
         description = \"The API's error contract for Python: known codes, a reader that never raises, the retry rules, a urllib helper\"\n\
         readme = \"README.md\"\n\
         license = {{ text = \"MIT OR Apache-2.0\" }}\n\
         requires-python = \">=3.9\"\n\
         dependencies = []\n\
         classifiers = [\"Typing :: Typed\"]\n\n\
         [tool.flit.module]\n\
         name = \"error_spec_sdk\"\n",
        version = model.version
    )
}

/// `README.md`.
pub(crate) fn render_readme(model: &Contract) -> String {
    README_TEMPLATE
        .replace("{package}", DISTRIBUTION)
        .replace("{version}", &model.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every known code is an enum member and has its spec.
    #[test]
    fn every_code_is_an_enum_member_with_its_spec() {
        let model = Contract::current();
        let py = render(&model);
        for code in &model.codes {
            let member = member_name(&code.code);
            assert!(
                py.contains(&format!("    {member} = \"{}\"\n", code.code)),
                "{member}"
            );
            assert!(
                py.contains(&format!("    KnownCode.{member}: CodeSpec(")),
                "{member}"
            );
        }
        assert!(py.contains("retry=RetryClass(\"pause\", 30, 60)"));
        assert!(py.contains("PERMANENT_SERVER_ERRORS: Final = frozenset((501, 505,))"));
    }

    /// The hand-written runtime restates no fact of the table: no code appears in it, so
    /// a changed table cannot leave the package behind.
    #[test]
    fn the_runtime_names_no_code() {
        for code in Contract::current().codes {
            let quoted = format!("\"{}\"", code.code);
            assert!(!RUNTIME.contains(&quoted), "runtime.py names {quoted}");
            assert!(
                !RUNTIME.contains(&member_name(&code.code)),
                "runtime.py names {}",
                code.code
            );
        }
    }
}
