//! Generates the client from `$PROGENITOR_OPENAPI`, the document the live server served, as
//! a Rust SDK team would: progenitor's generator with its default settings, no patch.

use std::path::Path;

use progenitor::{GenerationSettings, Generator, InterfaceStyle};

fn main() {
    println!("cargo::rerun-if-env-changed=PROGENITOR_OPENAPI");
    let path = std::env::var("PROGENITOR_OPENAPI")
        .expect("PROGENITOR_OPENAPI names the OpenAPI 3.0 document to generate from");
    println!("cargo::rerun-if-changed={path}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text)
        .unwrap_or_else(|err| panic!("openapiv3 cannot read {path}: {err}"));
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    // progenitor's two interface styles: positional (the default of the generator, of
    // `generate_api!` and of cargo-progenitor) and builder (`--interface builder`), whose
    // optional-header setter once did not compile for a nullable header.
    let mut builder = GenerationSettings::default();
    builder.with_interface(InterfaceStyle::Builder);
    for (file, settings) in [
        ("client.rs", GenerationSettings::default()),
        ("client_builder.rs", builder),
    ] {
        let tokens = Generator::new(&settings)
            .generate_tokens(&spec)
            .unwrap_or_else(|err| panic!("progenitor refuses {path}: {err}"));
        let code: syn::File = syn::parse2(tokens).expect("progenitor's output is Rust");
        std::fs::write(Path::new(&out).join(file), prettyplease::unparse(&code))
            .expect("OUT_DIR is writable");
    }
}
