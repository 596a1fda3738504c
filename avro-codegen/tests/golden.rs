//! Golden tests of generated source: each `golden/*.avsc` generates exactly
//! the checked-in `golden/*.rs` (`*_borrowed.avsc` with `Options::borrowed`,
//! `*_expanded.avsc` with `Options::expand_records`). After an intended change to the generator,
//! run `UPDATE_GOLDEN=1 cargo test -p avro-codegen --test golden` and review
//! the diff.

use std::fs;
use std::path::Path;

use avro_codegen::{generate_from_sources, Options, Source};

#[test]
fn generated_source_matches_the_golden_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut schemas: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "avsc"))
        .collect();
    schemas.sort();
    assert!(!schemas.is_empty());
    let mut stale = Vec::new();
    for schema in schemas {
        let text = fs::read_to_string(&schema).unwrap();
        // A name that does not depend on where the repository is checked
        // out: the generated docs name the schema file.
        let name = format!("golden/{}", schema.file_name().unwrap().to_string_lossy());
        // `*_borrowed.avsc`: generated with the borrowed types too.
        // `*_expanded.avsc`: records written out, not as `record!` invocations.
        let stem = schema.file_stem().unwrap().to_string_lossy().into_owned();
        let options = Options {
            borrowed: stem.ends_with("_borrowed"),
            expand_records: stem.ends_with("_expanded"),
            ..Options::default()
        };
        let modules = generate_from_sources(vec![Source::new(name, text)], &options)
            .unwrap_or_else(|e| panic!("{}: {e}", schema.display()));
        let actual: String = modules
            .iter()
            .map(|(m, src)| format!("// ===== module {m:?}\n{src}"))
            .collect();
        let golden = schema.with_extension("rs");
        if update {
            fs::write(&golden, &actual).unwrap();
        } else if fs::read_to_string(&golden).ok().as_deref() != Some(actual.as_str()) {
            stale.push(golden.display().to_string());
        }
    }
    assert!(stale.is_empty(), "generated source differs from (or lacks) golden files {stale:?}; rerun with UPDATE_GOLDEN=1 and review the diff");
}
