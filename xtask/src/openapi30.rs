//! `docs/openapi-3.0.json`: the error components as an OpenAPI 3.0.3 document, for
//! generators that read only 3.0.
//!
//! The export is `error-spec-openapi`'s, rewritten from its 3.1 document; this generator
//! only serializes it with sorted keys.

use std::path::Path;

use crate::model::Contract;

/// Where `cargo xtask codegen` writes the OpenAPI 3.0.3 export.
pub(crate) const PATH: &str = "docs/openapi-3.0.json";

/// The export as pretty JSON with sorted keys; `codegen` adds the generated-file member in
/// front.
pub(crate) fn render(model: &Contract) -> String {
    let value = error_spec_openapi::openapi_3_0();
    debug_assert_eq!(
        value["info"]["version"].as_str(),
        Some(model.version.as_str()),
        "the export and the model come from the same table"
    );
    // serde_json's default map is a BTreeMap, so keys come out sorted.
    serde_json::to_string_pretty(&value).expect("a JSON value serializes")
}

/// `cargo xtask openapi-3.0 INPUT OUTPUT`: a server's OpenAPI 3.1 document on disk, as
/// utoipa reads it, exported to 3.0.3 by [`error_spec_openapi::openapi_3_0_of`]. Returns
/// what to print, or an error naming the file or the place in the document.
pub(crate) fn export_file(input: &Path, output: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(input)
        .map_err(|err| format!("cannot read {}: {err}", input.display()))?;
    let doc: utoipa::openapi::OpenApi = serde_json::from_str(&text).map_err(|err| {
        format!(
            "{} is not an OpenAPI document utoipa reads: {err}",
            input.display()
        )
    })?;
    let exported = error_spec_openapi::openapi_3_0_of(&doc).map_err(|err| err.to_string())?;
    let json = serde_json::to_string_pretty(&exported).expect("a JSON value serializes");
    std::fs::write(output, json + "\n")
        .map_err(|err| format!("cannot write {}: {err}", output.display()))?;
    Ok(format!(
        "wrote {} (OpenAPI {})\n",
        output.display(),
        error_spec_openapi::OPENAPI_3_0_VERSION
    ))
}

#[cfg(test)]
mod tests {
    use super::export_file;

    /// The contract's 3.1 document, written to a file and exported from it.
    #[test]
    fn a_document_on_disk_exports_as_the_library_exports_it() {
        let dir = std::env::temp_dir().join(format!("xtask-openapi30-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let input = dir.join("in.json");
        let output = dir.join("out.json");
        let doc = error_spec_openapi::document();
        std::fs::write(&input, serde_json::to_string(&doc).expect("serializes")).expect("written");
        export_file(&input, &output).expect("the document exports");
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&output).expect("read")).expect("JSON");
        let direct = error_spec_openapi::openapi_3_0_of(&doc).expect("the document exports");
        assert_eq!(
            written, direct,
            "utoipa reads back every member of the document"
        );
        let missing = export_file(&dir.join("missing.json"), &output).expect_err("no such file");
        assert!(missing.starts_with("cannot read "), "{missing}");
        std::fs::write(&input, "{\"openapi\": 3}").expect("written");
        let bad = export_file(&input, &output).expect_err("not a document");
        assert!(
            bad.contains("is not an OpenAPI document utoipa reads"),
            "{bad}"
        );
        std::fs::remove_dir_all(&dir).expect("cleaned up");
    }
}
