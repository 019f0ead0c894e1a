//! Generates the client from `$PROGENITOR_OPENAPI`, the document the live server served, as
//! a Rust SDK team would: progenitor's generator with its default settings, no patch.

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-env-changed=PROGENITOR_OPENAPI");
    let path = std::env::var("PROGENITOR_OPENAPI")
        .expect("PROGENITOR_OPENAPI names the OpenAPI 3.0 document to generate from");
    println!("cargo::rerun-if-changed={path}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text)
        .unwrap_or_else(|err| panic!("openapiv3 cannot read {path}: {err}"));
    let mut generator = progenitor::Generator::default();
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|err| panic!("progenitor refuses {path}: {err}"));
    let file: syn::File = syn::parse2(tokens).expect("progenitor's output is Rust");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("client.rs");
    std::fs::write(&out, prettyplease::unparse(&file)).expect("OUT_DIR is writable");
}
