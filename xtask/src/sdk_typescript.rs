//! `sdk/typescript/`: the TypeScript SDK's error layer as an npm package, written whole by
//! `cargo xtask codegen` so that no build step runs at install.
//!
//! `index.js` is ESM: the table's facts as frozen data (rendered here from the model), then
//! the reader, the retry rules and the `fetch` helper (`xtask/templates/typescript/runtime.js`,
//! written by hand to mirror the Rust SDK). `index.d.ts` is the known codes as a string union
//! and the runtime's types (`runtime.d.ts`). The package has no dependency.

use std::fmt::Write as _;

use crate::model::{CodeEntry, Contract};
use crate::sdk_figures::Figures;

/// The module, from the workspace root.
pub(crate) const PATH: &str = "sdk/typescript/index.js";
/// Its type declarations.
pub(crate) const TYPES: &str = "sdk/typescript/index.d.ts";
/// The package manifest.
pub(crate) const PACKAGE_JSON: &str = "sdk/typescript/package.json";
/// The package's README, whose example `.ci/sdk` runs.
pub(crate) const README: &str = "sdk/typescript/README.md";

/// The npm package name.
const PACKAGE: &str = "error-spec-sdk";

const RUNTIME: &str = include_str!("../templates/typescript/runtime.js");
const RUNTIME_TYPES: &str = include_str!("../templates/typescript/runtime.d.ts");
const README_TEMPLATE: &str = include_str!("../templates/typescript/README.md");

fn json(value: impl serde::Serialize) -> String {
    serde_json::to_string(&value).expect("plain data serializes")
}

/// A code's retry class as the package writes it: `{ class, minSecs, maxSecs }`.
fn retry_literal(code: &CodeEntry) -> String {
    match code.retry {
        error_spec::RetryClass::Pause { min_secs, max_secs } => {
            format!("{{ class: \"pause\", minSecs: {min_secs}, maxSecs: {max_secs} }}")
        }
        other => format!("{{ class: {} }}", json(retry_name(other))),
    }
}

fn retry_name(class: error_spec::RetryClass) -> &'static str {
    use error_spec::RetryClass;
    match class {
        RetryClass::Never => "never",
        RetryClass::RetryAfter => "retry_after",
        RetryClass::Backoff => "backoff",
        RetryClass::Pause { .. } => "pause",
        RetryClass::ResubmitAsync => "resubmit_async",
    }
}

/// `index.js`: the table as data, then the runtime.
pub(crate) fn render(model: &Contract) -> String {
    let figures = Figures::current();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// The error layer of the API's TypeScript SDK: the table's facts below, then the reader,\n\
         // the retry rules and the fetch helper (xtask/templates/typescript/runtime.js).\n"
    );
    let _ = writeln!(out, "/** The contract's version, `MAJOR.MINOR.PATCH`. */");
    let _ = writeln!(
        out,
        "export const CONTRACT_VERSION = {};\n",
        json(&model.version)
    );
    let _ = writeln!(out, "/** The categories, in the table's order. */");
    let _ = writeln!(
        out,
        "export const CATEGORIES = Object.freeze({});\n",
        json(&model.categories)
    );
    let _ = writeln!(out, "/** Every code the table declares, with its facts. */");
    let _ = writeln!(out, "export const CODES = Object.freeze({{");
    for code in &model.codes {
        let _ = writeln!(out, "  {}: Object.freeze({{", code.code);
        let _ = writeln!(out, "    code: {},", json(&code.code));
        let _ = writeln!(out, "    status: {},", code.status);
        let _ = writeln!(out, "    category: {},", json(&code.category));
        let _ = writeln!(out, "    title: {},", json(&code.title));
        let _ = writeln!(out, "    message: {},", json(&code.message));
        let _ = writeln!(out, "    when: {},", json(&code.when));
        let _ = writeln!(out, "    remedy: {},", json(&code.remedy));
        let _ = writeln!(out, "    retry: Object.freeze({}),", retry_literal(code));
        let _ = writeln!(out, "    deprecated: {},", json(&code.deprecated));
        let _ = writeln!(out, "    docAnchor: {},", json(&code.anchor));
        let _ = writeln!(out, "  }}),");
    }
    let _ = writeln!(out, "}});\n");
    let codes: Vec<&str> = model.codes.iter().map(|code| code.code.as_str()).collect();
    let _ = writeln!(out, "/** The known codes, in the table's order. */");
    let _ = writeln!(
        out,
        "export const KNOWN_CODES = Object.freeze({});\n",
        json(&codes)
    );
    let _ = writeln!(
        out,
        "/** Every HTTP status the API answers with, and the codes each carries. */"
    );
    let _ = writeln!(out, "export const STATUSES = Object.freeze([");
    for row in &model.statuses {
        let _ = writeln!(
            out,
            "  Object.freeze({{ status: {}, category: {}, typical: {}, codes: Object.freeze({}) }}),",
            row.status,
            json(&row.category),
            json(&row.typical),
            json(&row.codes)
        );
    }
    let _ = writeln!(out, "]);\n");
    let _ = writeln!(out, "/** The rate-limit tiers. */");
    let _ = writeln!(out, "export const TIERS = Object.freeze([");
    for tier in &model.tiers {
        let _ = writeln!(
            out,
            "  Object.freeze({{ name: {}, requestsPerMinute: {}, concurrentRuns: {} }}),",
            json(&tier.name),
            tier.requests_per_minute,
            tier.concurrent_runs
        );
    }
    let _ = writeln!(out, "]);\n");
    let _ = writeln!(
        out,
        "/** The headers the contract defines; `on` is `[\"*\"]` for every response. */"
    );
    let _ = writeln!(out, "export const HEADERS = Object.freeze([");
    for header in &model.headers {
        let _ = writeln!(
            out,
            "  Object.freeze({{ name: {}, spelling: {}, type: {}, on: Object.freeze({}) }}),",
            json(&header.name),
            json(header.spelling.as_deref().unwrap_or(&header.name)),
            json(header.type_.as_deref().unwrap_or("string")),
            json(&header.on)
        );
    }
    let _ = writeln!(out, "]);\n");
    let _ = writeln!(
        out,
        "/** The reader's bounds: body and excerpt bytes, id and code lengths, the `Retry-After` cap. */"
    );
    let _ = writeln!(
        out,
        "export const LIMITS = Object.freeze({{ maxBodyLen: {}, excerptLen: {}, maxIdLen: {}, maxCodeLen: {}, maxRetryAfterSecs: {}, rawCodeLen: {} }});\n",
        figures.max_body_len,
        figures.excerpt_len,
        figures.max_id_len,
        figures.max_code_len,
        figures.max_retry_after_secs,
        figures.raw_code_len
    );
    let _ = writeln!(out, "/** The contract's retry policy, in seconds. */");
    let _ = writeln!(
        out,
        "export const DEFAULT_POLICY = Object.freeze({{ baseSeconds: {}, maxBackoffSeconds: {}, maxAttempts: {}, rateLimitWaitSeconds: {}, unavailableWaitSeconds: {} }});\n",
        figures.base_secs,
        figures.max_backoff_secs,
        figures.max_attempts,
        figures.rate_limit_wait_secs,
        figures.unavailable_wait_secs
    );
    let _ = writeln!(
        out,
        "/** The 5xx statuses that no retry can fix: never retried. */"
    );
    let _ = writeln!(
        out,
        "export const PERMANENT_SERVER_ERRORS = Object.freeze({});\n",
        json(&figures.permanent_server_errors)
    );
    out.push_str(RUNTIME);
    out
}

/// `index.d.ts`: the known codes as a union, the data's types, then the runtime's types.
pub(crate) fn render_types(model: &Contract) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Types of index.js; the runtime's are xtask/templates/typescript/runtime.d.ts.\n"
    );
    let _ = writeln!(out, "/** A code the table declares. */");
    let _ = writeln!(out, "export type KnownCode =");
    for (i, code) in model.codes.iter().enumerate() {
        let end = if i + 1 == model.codes.len() { ";" } else { "" };
        let _ = writeln!(out, "  | {}{end}", json(&code.code));
    }
    out.push('\n');
    let categories: Vec<String> = model.categories.iter().map(json).collect();
    let _ = writeln!(out, "/** A category of codes. */");
    let _ = writeln!(out, "export type Category = {};\n", categories.join(" | "));
    let _ = writeln!(
        out,
        "export declare const CONTRACT_VERSION: {};",
        json(&model.version)
    );
    let _ = writeln!(out, "export declare const CATEGORIES: readonly Category[];");
    let _ = writeln!(
        out,
        "export declare const CODES: {{ readonly [C in KnownCode]: CodeSpec & {{ readonly code: C }} }};"
    );
    let _ = writeln!(
        out,
        "export declare const KNOWN_CODES: readonly KnownCode[];"
    );
    out.push('\n');
    out.push_str(RUNTIME_TYPES);
    out
}

/// `package.json`, its members in the order npm writes them (serde_json's map would sort
/// them, and the `types` condition must come before `default`).
pub(crate) fn render_package_json(model: &Contract) -> String {
    format!(
        r#"{{
  "name": {name},
  "version": {version},
  "description": "The API's error contract for TypeScript: known codes, a reader that never throws, the retry rules, a fetch helper",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "./index.js",
  "types": "./index.d.ts",
  "exports": {{
    ".": {{
      "types": "./index.d.ts",
      "default": "./index.js"
    }}
  }},
  "files": ["index.js", "index.d.ts", "README.md"],
  "sideEffects": false,
  "engines": {{
    "node": ">=18"
  }},
  "scripts": {{
    "test": "node --test test/"
  }}
}}"#,
        name = json(PACKAGE),
        version = json(&model.version)
    )
}

/// `README.md`.
pub(crate) fn render_readme(model: &Contract) -> String {
    README_TEMPLATE
        .replace("{package}", PACKAGE)
        .replace("{version}", &model.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every known code is in the union, the data and the list, and nothing else is.
    #[test]
    fn every_code_is_typed_and_listed() {
        let model = Contract::current();
        let js = render(&model);
        let types = render_types(&model);
        for code in &model.codes {
            assert!(
                types.contains(&format!("  | \"{}\"", code.code)),
                "{}",
                code.code
            );
            assert!(
                js.contains(&format!("  {}: Object.freeze({{", code.code)),
                "{}",
                code.code
            );
        }
        let union = types
            .split("export type KnownCode =")
            .nth(1)
            .expect("the union");
        let union = union.split(';').next().expect("its end");
        assert_eq!(union.matches("| \"").count(), model.codes.len());
    }

    /// The manifest is JSON, and conditions resolve types first.
    #[test]
    fn the_manifest_is_json_with_types_first() {
        let text = render_package_json(&Contract::current());
        let manifest: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(manifest["name"], PACKAGE);
        let conditions = &text[text.find("\".\": {").expect("exports")..];
        assert!(
            conditions.find("\"types\"") < conditions.find("\"default\""),
            "{conditions}"
        );
    }

    /// The figures are the Rust SDK's: a change there reaches the package.
    #[test]
    fn figures_are_the_rust_sdks() {
        let figures = Figures::current();
        assert_eq!(figures.max_retry_after_secs, 1 << 31);
        assert_eq!(figures.permanent_server_errors, [501, 505]);
        assert_eq!(figures.max_attempts, 5);
        assert_eq!(figures.raw_code_len, 128);
        let js = render(&Contract::current());
        assert!(js.contains("maxBodyLen: 1048576, excerptLen: 256, maxIdLen: 128, maxCodeLen: 63"));
    }

    /// The hand-written runtime restates no fact of the table: no code appears in it, so
    /// a changed table cannot leave the packages behind.
    #[test]
    fn the_runtime_names_no_code() {
        for code in Contract::current().codes {
            let quoted = format!("\"{}\"", code.code);
            assert!(!RUNTIME.contains(&quoted), "runtime.js names {quoted}");
            assert!(
                !RUNTIME_TYPES.contains(&quoted),
                "runtime.d.ts names {quoted}"
            );
        }
    }
}
