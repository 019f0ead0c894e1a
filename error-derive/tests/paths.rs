//! Generated code names only `::error_spec::__private`, never another path of the runtime
//! crate: what it needs is re-exported there, so the runtime can move its modules freely.

use std::fs;
use std::path::Path;

#[test]
fn generated_code_names_only_the_private_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    // Every source file, in subfolders too (`operation/` holds a macro of its own).
    let mut files = Vec::new();
    let mut folders = vec![src.clone()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("error-derive/src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    for path in files {
        let text = fs::read_to_string(&path).expect("a source file is UTF-8");
        for (line_no, line) in text.lines().enumerate() {
            // Both spellings a `quote!` can produce: with and without spaces.
            for needle in ["::error_spec::", ":: error_spec ::"] {
                for (at, _) in line.match_indices(needle) {
                    let rest = line[at + needle.len()..].trim_start();
                    assert!(
                        rest.starts_with("__private"),
                        "{}:{}: generated code names `{needle}{}`; re-export it from \
                         `error_spec::__private` and name that instead",
                        path.display(),
                        line_no + 1,
                        rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                            .next()
                            .unwrap_or("")
                    );
                    checked += 1;
                }
            }
        }
    }
    // The scan found the paths it is about; an empty scan would pass by construction.
    assert!(
        checked >= 5,
        "only {checked} `::error_spec::` paths found in {}",
        src.display()
    );
}
