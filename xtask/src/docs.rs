//! `docs/errors.md`: the error reference for end users and support engineers.
//!
//! Every fact comes from `error-spec`: the table's rows, the status table, the tiers, the
//! headers, and example bodies rendered by the same code a server runs. Only the connecting
//! prose lives here.

use std::fmt::Write as _;

use error_spec::headers;
use error_spec::{ApiError, ErrorBody, ErrorCode, FailedTask, JsonPointer, RequestId, UserMessage};

use crate::model::Contract;

/// Where `cargo xtask codegen` writes the reference.
pub(crate) const PATH: &str = "docs/errors.md";

/// The docs base URL the examples use; a real server configures its own.
pub(crate) const EXAMPLE_DOC_BASE: &str = error_spec::DEFAULT_DOC_BASE;

/// The request id the examples use, the OpenAPI examples' own, so both show the same.
const EXAMPLE_REQUEST_ID: &str = error_spec_openapi::EXAMPLE_REQUEST_ID;

/// A body with every member set: a `validation_error` on a run, as a server renders it.
pub(crate) fn example_body() -> ErrorBody {
    ApiError::new(ErrorCode::ValidationError)
        .with_field_error(
            JsonPointer::root().push("inputs").push_index(0).push("url"),
            UserMessage::user_safe("must be an https URL"),
        )
        .with_run_id("run_01HZX3Q8W6")
        .with_task_id("task_01HZX3Q9K2")
        .to_body(&example_request_id(), EXAMPLE_DOC_BASE)
}

/// The fixed request id of the examples.
fn example_request_id() -> RequestId {
    RequestId::parse(EXAMPLE_REQUEST_ID).expect("the example id is a valid request id")
}

/// Renders the whole reference from the model; `codegen` adds the generated-file line.
///
/// Every text of the table (and of the status and tier tables) goes through [`cell`], so
/// the page shows it as written in every renderer; the crate's own markdown (field docs,
/// header descriptions, retry advice) is kept as markdown; the page itself uses no HTML, no MDX expression and no relative link,
/// so it compiles as MDX and can be published on its own.
pub(crate) fn render(model: &Contract) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Errors\n");
    let _ = writeln!(
        out,
        "Error contract version {}. Every error response carries the JSON body below. \
         Its `error` member tells you the exact reason and is the only member to branch on; \
         `message` is safe to surface to end users (no stack traces, no internal info).\n",
        cell(&model.version)
    );
    body_section(&mut out, model);
    status_section(&mut out, model);
    codes_section(&mut out, model);
    headers_section(&mut out, model);
    handling_section(&mut out);
    debugging_section(&mut out);
    // Sections end with a blank line; the file ends with exactly one newline.
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn body_section(out: &mut String, model: &Contract) {
    let _ = writeln!(out, "## The error body\n");
    let _ = writeln!(
        out,
        "The body is also an RFC 9457 problem object: `type`, `title` and `status` are the \
         code's documentation URL, its title and the HTTP status, so `application/problem+json` \
         tooling reads it. Readers ignore members they do not know.\n"
    );
    // The meanings are the body type's own field docs, which the model's body schema carries.
    table_header(out, &["Member", "Type", "Required when reading", "Meaning"]);
    for member in model.body_members() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code_span(&member.name),
            cell(&member.types.join(" or ")),
            if member.required { "yes" } else { "no" },
            markdown_cell(&member.description)
        );
    }
    let json = serde_json::to_string_pretty(&example_body()).expect("an error body serializes");
    let _ = writeln!(
        out,
        "\nA `validation_error` on a run, as the server renders it:\n\n```json\n{json}\n```\n"
    );
}

/// A link to a code's section: the code as code, the fragment its `doc_url` ends with.
fn code_link(model: &Contract, code: &str) -> String {
    let anchor = model
        .codes
        .iter()
        .find(|entry| entry.code == code)
        .map_or(code, |entry| entry.anchor.as_str());
    format!("[{}](#{anchor})", code_span(code))
}

fn status_section(out: &mut String, model: &Contract) {
    let _ = writeln!(out, "## HTTP status codes\n");
    table_header(out, &["Status", "Category", "Typical use", "Error codes"]);
    for row in &model.statuses {
        let codes: Vec<String> = row
            .codes
            .iter()
            .map(|code| code_link(model, code))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            row.status,
            cell(&row.category),
            cell(&row.typical),
            if codes.is_empty() {
                "-".to_owned()
            } else {
                codes.join(", ")
            }
        );
    }
    out.push('\n');
}

/// One heading per code, so that every renderer derives the code's anchor from it: GitHub
/// (which prefixes ids with `user-content-` and drops raw `id`s), MkDocs, mdBook,
/// Docusaurus, markdown-it and marked all slug `` `invalid_api_key` `` to `invalid_api_key`.
fn codes_section(out: &mut String, model: &Contract) {
    let _ = writeln!(out, "## Error codes\n");
    let _ = writeln!(
        out,
        "Each code's heading is the anchor of the `doc_url` its body carries. The list is \
         open: new codes may be added in a minor version, so treat an unknown code by its \
         HTTP status.\n"
    );
    for category in &model.categories {
        let _ = writeln!(out, "### {}\n", cell(category));
        for code in model.codes.iter().filter(|code| &code.category == category) {
            let _ = writeln!(out, "#### {}\n", code_span(&code.code));
            if let Some(why) = &code.deprecated {
                let _ = writeln!(out, "**Deprecated:** {}\n", cell(why));
            }
            table_header(out, &["HTTP status", "Title", "When", "Remedy", "Retry"]);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |\n",
                code.status,
                cell(&code.title),
                cell(&code.when),
                cell(&code.remedy),
                // The retry advice is this crate's own prose, not table text: its backticks
                // are meant as code.
                code.retry,
            );
            let returned_by: Vec<String> = model
                .operations
                .iter()
                .filter(|op| op.codes.contains(&code.code))
                .map(|op| {
                    format!(
                        "`{}` ({})",
                        op.id,
                        code_span(&format!("{} {}", op.method, op.path))
                    )
                })
                .collect();
            if !returned_by.is_empty() {
                let _ = writeln!(
                    out,
                    "Returned by the reference server's {}.\n",
                    returned_by.join(", ")
                );
            }
        }
    }
}

fn headers_section(out: &mut String, model: &Contract) {
    let _ = writeln!(out, "## Headers\n");
    table_header(out, &["Header", "Sent on", "Meaning"]);
    for header in &model.headers {
        let on = if header.on.iter().any(|on| on == "*") {
            "every response".to_owned()
        } else {
            header
                .on
                .iter()
                .map(|code| code_link(model, code))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | {on} | {} |",
            code_span(header.spelling.as_deref().unwrap_or(&header.name)),
            markdown_cell(&header.description)
        );
    }
    let _ = writeln!(out, "\n### Rate limits\n");
    let _ = writeln!(
        out,
        "Every response includes the rate-limit headers above. The limits per API key:\n"
    );
    table_header(out, &["Tier", "Requests/min", "Concurrent runs"]);
    for tier in &model.tiers {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&tier.name),
            tier.requests_per_minute,
            tier.concurrent_runs
        );
    }
    out.push('\n');
}

/// The server example the docs quote: compiled and run by `cargo test`, so it cannot rot.
const SERVER_SNIPPET: (&str, &str) = (
    "error-spec/examples/server.rs",
    "A server (axum, with the `axum` feature) returns `ApiError`; axum's rejections and \
     the router's own errors become the same body, and the middleware adds `X-Request-Id` \
     and the rate-limit headers:",
);

/// One client snippet: its heading, the code block's language, the file it is quoted from,
/// and what runs that file.
struct ClientSnippet {
    heading: &'static str,
    lang: &'static str,
    path: &'static str,
    intro: &'static str,
    runs: &'static str,
}

/// The client side in each language, side by side: each snippet is the part of a file that
/// a test runs (`cargo test` for Rust, `.ci/sdk/run` for the rest, against the reference
/// server with the package installed as a user installs it).
const CLIENT_SNIPPETS: &[ClientSnippet] = &[
    ClientSnippet {
        heading: "Rust",
        lang: "rust",
        path: "error-spec/examples/sdk.rs",
        intro: "An SDK reads every failed response into a typed error, never a panic, and \
                retries as the code's retry class says (`Retry-After` wins when present):",
        runs: "`cargo test` runs it",
    },
    ClientSnippet {
        heading: "TypeScript",
        lang: "js",
        path: "sdk/typescript/examples/handling.mjs",
        intro: "The `error-spec-sdk` npm package (`sdk/typescript`, generated from the same \
                table) has the same reader and retry rules; `fetchWithRetry` follows them \
                around `fetch`. The module is plain ESM with type declarations, for \
                JavaScript and TypeScript alike:",
        runs: "CI runs it against the reference server",
    },
    ClientSnippet {
        heading: "Python",
        lang: "python",
        path: "sdk/python/examples/handling.py",
        intro: "The `error-spec-sdk` Python package (`sdk/python`, typed, standard library \
                only) has them too; `request_with_retry` follows them around `urllib`, and \
                `follow_retries` around any transport:",
        runs: "CI runs it against the reference server",
    },
    ClientSnippet {
        heading: "curl",
        lang: "sh",
        path: "sdk/examples/curl.sh",
        intro: "By hand, the same request shows what every reader reads: the status, \
                `X-Request-Id`, and the body whose `error` is the code:",
        runs: "CI runs it against the reference server",
    },
];

fn handling_section(out: &mut String) {
    let _ = writeln!(out, "## Handling errors in code\n");
    let (path, intro) = SERVER_SNIPPET;
    let _ = writeln!(
        out,
        "{intro}\n\n```rust\n{}```\n\nThe whole program is `{path}` in the error-spec \
         repository; `cargo test` runs it.\n",
        snippet(&read_source(path), path)
    );
    let _ = writeln!(
        out,
        "A client reads the same responses the same way in every language: the SDKs share one \
         reader and one set of retry rules, and one corpus of responses \
         (`sdk/conformance/corpus.json` in the repository) holds all three to them.\n"
    );
    for client in CLIENT_SNIPPETS {
        // No link to the file: the page is published on its own, where a relative link
        // breaks; the snippet carries its imports instead.
        let _ = writeln!(
            out,
            "### {}\n\n{}\n\n```{}\n{}```\n\nThe whole program is `{}` in the error-spec \
             repository; {}.\n",
            client.heading,
            client.intro,
            client.lang,
            snippet(&read_source(client.path), client.path),
            client.path,
            client.runs
        );
    }
}

fn read_source(path: &str) -> String {
    std::fs::read_to_string(crate::workspace::root().join(path))
        .unwrap_or_else(|err| panic!("cannot read {path}: {err}"))
}

/// The lines of `source` between the `docs:start` and `docs:end` comment lines (`//` or `#`).
fn snippet(source: &str, path: &str) -> String {
    let (start, marker) = ["// docs:start\n", "# docs:start\n"]
        .iter()
        .find_map(|marker| source.find(marker).map(|at| (at, *marker)))
        .unwrap_or_else(|| panic!("{path} has no `docs:start` line"));
    let rest = &source[start + marker.len()..];
    let end_marker = marker.replace("start", "end");
    let end = rest
        .find(end_marker.trim_end())
        .unwrap_or_else(|| panic!("{path} has no `docs:end` line"));
    rest[..end].to_owned()
}

fn debugging_section(out: &mut String) {
    let body = example_body();
    let _ = writeln!(out, "## Debugging failed runs\n");
    let _ = writeln!(
        out,
        "Capture the `run_id` and `task_id` from any response (successful or not) and include \
         them, with the `{}` header, on support tickets: they are the fastest way to pull the \
         matching ledger and trace rows. Error bodies carry them as `run_id`, `task_id` and \
         `request_id` (here `{}`, `{}` and `{}`).\n",
        headers::spec(&headers::X_REQUEST_ID).map_or("", |header| header.spelling),
        body.run_id().unwrap_or_default(),
        body.task_id().unwrap_or_default(),
        body.request_id().unwrap_or_default(),
    );
    let task = FailedTask::new(
        ApiError::new(ErrorCode::UpstreamError)
            .with_run_id(body.run_id().unwrap_or_default())
            .with_task_id(body.task_id().unwrap_or_default())
            .to_body(&example_request_id(), EXAMPLE_DOC_BASE),
    );
    let json = serde_json::to_string_pretty(&task).expect("a failed task serializes");
    let _ = writeln!(
        out,
        "For terminal failed states on async tasks, the `error` member of \
         `GET /tasks/{{task_id}}` carries the structured failure: the same body as above.\n\n\
         ```json\n{json}\n```\n"
    );
}

/// A table's header and delimiter rows, spaced as markdownlint's compact style wants.
fn table_header(out: &mut String, columns: &[&str]) {
    let _ = writeln!(out, "| {} |", columns.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(columns.len()));
}

/// Text as written, for a table cell or a line of prose: no character of it becomes
/// markup, HTML, a link or a cell boundary in any renderer.
fn cell(text: &str) -> String {
    error_spec::error_rules::markdown::escape_inline(text)
}

/// This workspace's own markdown (a field's rustdoc, a header's description, whose
/// backticks are meant as code) as a table cell: only a `|` would end the cell early.
fn markdown_cell(markdown: &str) -> String {
    markdown.replace('|', "\\|")
}

/// A name as inline code, when a code span can show it as written (no backtick, no `|`,
/// which GFM reads as a cell boundary even in code, and no control character); any other
/// text is escaped as prose instead.
fn code_span(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.starts_with(' ')
        && !name.ends_with(' ')
        && !name.chars().any(|c| c == '`' || c == '|' || c.is_control());
    if plain {
        format!("`{name}`")
    } else {
        cell(name)
    }
}
