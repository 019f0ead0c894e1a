//! How an operation is named: its `operationId`, derived from the handler and the path.
//!
//! Client generators key on `operationId` (a method per id), so two operations must never
//! share one, and an id must not change when nothing about the operation did. utoipa takes
//! the handler's function name, which collides as soon as two modules each have a `get`;
//! the rule here adds the resource the path names, so `get` on `/runs/{run_id}` is
//! `getRun` and `get` on `/files/{file_id}` is `getFile`.
//!
//! ```
//! use error_rules::operation::operation_id;
//!
//! assert_eq!(operation_id("get", "/runs/{run_id}"), "getRun");
//! assert_eq!(operation_id("create", "/runs"), "createRun");
//! assert_eq!(operation_id("download", "/runs/{run_id}/download"), "downloadRun");
//! assert_eq!(operation_id("create_webhook", "/webhooks"), "createWebhook");
//! assert_eq!(operation_id("verify", "/verify"), "verify");
//! ```

/// The `operationId` of the handler `handler` (a Rust function name, snake_case) serving
/// `path` (an OpenAPI path template).
///
/// The words of the handler's name in lowerCamelCase, followed by the resource: the path's
/// first literal segment, in the singular (a final `s` dropped, `runs` to `run`), unless the
/// handler's name already is or contains it. A `r#` prefix and leading or trailing
/// underscores of the handler's name are ignored.
pub fn operation_id(handler: &str, path: &str) -> String {
    let handler = handler.strip_prefix("r#").unwrap_or(handler);
    let mut words: Vec<String> = handler
        .split('_')
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if let Some(resource) = resource(path) {
        let plural = format!("{resource}s");
        let named = words
            .iter()
            .any(|word| *word == resource || *word == plural)
            || words.concat() == resource;
        if !named {
            words.push(resource);
        }
    }
    let mut id = String::new();
    for (i, word) in words.iter().enumerate() {
        if i == 0 {
            id.push_str(word);
        } else {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                id.push(first.to_ascii_uppercase());
                id.push_str(chars.as_str());
            }
        }
    }
    id
}

/// The path's first literal segment in the singular, lowercase, its `-` and `_` removed.
fn resource(path: &str) -> Option<String> {
    let segment = path
        .split('/')
        .find(|segment| !segment.is_empty() && !segment.starts_with('{'))?;
    let word: String = segment
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if word.is_empty() {
        return None;
    }
    Some(singular(&word).to_owned())
}

/// `word` without a plural `s`: `runs` to `run`, `files` to `file`; `status` and `access`
/// stay.
fn singular(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(stem) if !stem.is_empty() && !stem.ends_with('s') && !stem.ends_with('u') => stem,
        _ => word,
    }
}

#[cfg(test)]
mod tests {
    use super::operation_id;

    #[test]
    fn the_reference_servers_handlers_get_distinct_ids() {
        let ids = [
            operation_id("verify", "/verify"),
            operation_id("create_webhook", "/webhooks"),
            operation_id("create", "/runs"),
            operation_id("get", "/runs/{run_id}"),
            operation_id("download", "/runs/{run_id}/download"),
            operation_id("get", "/tasks/{task_id}"),
            operation_id("upload", "/files"),
            operation_id("get", "/files/{file_id}"),
            operation_id("delete", "/files/{file_id}"),
        ];
        assert_eq!(
            ids,
            [
                "verify",
                "createWebhook",
                "createRun",
                "getRun",
                "downloadRun",
                "getTask",
                "uploadFile",
                "getFile",
                "deleteFile",
            ]
        );
    }

    #[test]
    fn a_handler_named_after_the_resource_is_not_doubled() {
        assert_eq!(operation_id("list_runs", "/runs"), "listRuns");
        assert_eq!(operation_id("get_run", "/runs/{id}"), "getRun");
        assert_eq!(operation_id("status", "/status"), "status");
        assert_eq!(operation_id("r#type", "/types"), "type");
        assert_eq!(operation_id("get", "/access/{id}"), "getAccess");
    }
}
