//! The served document's operations: each has its own `operationId`, the one the rule in
//! `error_rules::operation` derives from its handler and path.

use error_spec_openapi::operation_id_problems;

#[test]
fn every_operation_has_its_own_operation_id() {
    let doc = error_spec_reference_server::document();
    let problems = operation_id_problems(&doc);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Written for `.ci/validate-openapi`, which checks the served document with two
    // third-party validators.
    let json = serde_json::to_string_pretty(&doc).expect("the document serializes");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(dir.join("reference-openapi.json"), json).expect("target is writable");
}

#[test]
fn a_shared_operation_id_is_reported() {
    // The check itself must be able to fail: give a second operation the id of the first.
    let mut doc = error_spec_reference_server::document();
    let item = doc
        .paths
        .paths
        .get_mut("/files/{file_id}")
        .expect("the path");
    item.delete.as_mut().expect("DELETE").operation_id = Some("getFile".to_owned());
    assert_eq!(
        operation_id_problems(&doc),
        ["operationId `getFile` is shared by GET /files/{file_id}, DELETE /files/{file_id}"]
    );
}

#[test]
fn operation_ids_are_the_ones_the_rule_derives() {
    let doc = error_spec_reference_server::document();
    let mut ids: Vec<(String, String)> = Vec::new();
    for (path, item) in &doc.paths.paths {
        for operation in [&item.get, &item.post, &item.delete].into_iter().flatten() {
            ids.push((
                path.clone(),
                operation.operation_id.clone().expect("an operationId"),
            ));
        }
    }
    ids.sort();
    assert_eq!(
        ids,
        [
            ("/files", "uploadFile"),
            ("/files/{file_id}", "deleteFile"),
            ("/files/{file_id}", "getFile"),
            ("/runs", "createRun"),
            ("/runs/{run_id}", "getRun"),
            ("/runs/{run_id}/download", "downloadRun"),
            ("/tasks/{task_id}", "getTask"),
            ("/verify", "verify"),
            ("/webhooks", "createWebhook"),
        ]
        .map(|(path, id)| (path.to_owned(), id.to_owned()))
    );
}
