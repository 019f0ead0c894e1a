//! `docs/operations-reference.md`: each operation of the reference server and the codes it
//! can answer with, each linked to its section of `docs/errors.md`.

use std::fmt::Write as _;

use crate::model::Contract;

/// Where `cargo xtask codegen` writes the page.
pub(crate) const PATH: &str = "docs/operations-reference.md";

/// The page, from the model's operations.
pub(crate) fn render(model: &Contract) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Operations and their errors\n");
    let _ = writeln!(
        out,
        "Every operation of the reference server and every code it can answer with: the \
         codes its handler declares with `#[error_spec::operation(errors(...))]` and those \
         the layers around it add (`reference-server/src/api.rs`). Each operation of its \
         `/openapi.json` lists the same codes as `x-error-codes`, and `contract_middleware` \
         checks every answer against them. A code links to its section of the \
         [error reference](errors.md).\n"
    );
    let _ = writeln!(out, "| Operation | Method | Path | Codes |");
    let _ = writeln!(out, "| --- | --- | --- | --- |");
    for op in &model.operations {
        let codes: Vec<String> = op
            .codes
            .iter()
            .map(|code| {
                let anchor = model
                    .codes
                    .iter()
                    .find(|entry| entry.code == *code)
                    .map_or(code.as_str(), |entry| entry.anchor.as_str());
                format!("[`{code}`](errors.md#{anchor})")
            })
            .collect();
        let _ = writeln!(
            out,
            "| `{}` | `{}` | `{}` | {} |",
            op.id,
            op.method,
            op.path.replace('|', "\\|"),
            if codes.is_empty() {
                "none".to_owned()
            } else {
                codes.join(", ")
            }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_operation_links_its_codes() {
        let page = super::render(&crate::model::Contract::current());
        let line = page
            .lines()
            .find(|line| line.starts_with("| `getRun` |"))
            .expect("a row for getRun");
        assert!(
            line.contains("[`not_found`](errors.md#not_found)"),
            "{line}"
        );
        assert!(
            line.contains("[`rate_limit_exceeded`](errors.md#rate_limit_exceeded)"),
            "{line}"
        );
        assert!(!line.contains("conflict"), "{line}");
    }
}
