//! Derived schemas equal hand-written `.avsc` files: the Parsing Canonical
//! Form and fingerprint, and the full JSON (docs, defaults, aliases,
//! logical types, custom properties) as our schema model writes it; and
//! apache-avro parses each derived schema. Fixtures are discovered from
//! `derive_fixtures/`; each must have a derived type and each type a fixture.

mod derive_types;

use std::path::Path;

use avro_runtime::schema::SchemaSet;

#[test]
fn derived_schemas_equal_the_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/derive_fixtures");
    let mut stems: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "avsc")
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    stems.sort();
    let types = derive_types::by_fixture();
    let mut failures = Vec::new();
    for (name, _) in &types {
        if !stems.iter().any(|s| s == name) {
            failures.push(format!("{name}: derived type without a fixture"));
        }
    }
    for stem in &stems {
        let Some((_, (schema, canonical, fingerprint))) = types.iter().find(|(n, _)| n == stem)
        else {
            failures.push(format!("{stem}.avsc: no derived type for it"));
            continue;
        };
        let text = std::fs::read_to_string(dir.join(format!("{stem}.avsc"))).unwrap();
        let (set, root) = match SchemaSet::parse_str(&text) {
            Ok(x) => x,
            Err(e) => {
                failures.push(format!("{stem}.avsc does not parse: {e}"));
                continue;
            }
        };
        let want_canonical = set.canonical_form(&root);
        if canonical() != want_canonical {
            failures.push(format!(
                "{stem}: canonical form\n derived {}\n fixture {want_canonical}",
                canonical()
            ));
        }
        if fingerprint() != avro_runtime::fingerprint64(want_canonical.as_bytes()) {
            failures.push(format!("{stem}: fingerprint"));
        }
        let want_json = set.to_json(&root).to_string();
        if schema() != want_json {
            failures.push(format!(
                "{stem}: full JSON\n derived {}\n fixture {want_json}",
                schema()
            ));
        }
        if let Err(e) = apache_avro::Schema::parse_str(schema()) {
            failures.push(format!(
                "{stem}: apache-avro rejects the derived schema: {e}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
