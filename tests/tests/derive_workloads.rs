//! One engine, checked: the ../shared/bench workloads written by hand as
//! derived types (`benches/src/derived.rs`) encode to the workload's
//! `datum.bin`, decode it, and have the same schema (canonical form,
//! fingerprint, full JSON) as the types generated from `schema.avsc`.
//!
//! Workloads are discovered from the directory; a workload without a
//! derived type fails the test by name. Maps are Rust `HashMap`s, whose
//! entry order is not the wire's: where the bytes differ, they must have
//! the same length and decode (with the generated type) to the same value.

use std::path::PathBuf;

use avro_runtime::schema::SchemaSet;
use avro_runtime::AvroSchema;

#[path = "../../benches/src/derived.rs"]
mod derived;

include!("../../support/shared_dir.rs");

/// The generated type's texts per workload (the types are named in code;
/// the workloads are discovered).
fn generated(name: &str) -> Option<(&'static str, &'static str, u64)> {
    use avro_benches::workloads as w;
    fn texts<T: AvroSchema>() -> (&'static str, &'static str, u64) {
        (T::schema(), T::canonical_form(), T::fingerprint())
    }
    Some(match name {
        "student" => texts::<w::student::Student>(),
        "event" => texts::<w::event::Event>(),
        "order" => texts::<w::order::Order>(),
        "numeric" => texts::<w::numeric::Series>(),
        "strings" => texts::<w::strings::Doc>(),
        _ => return None,
    })
}

/// Whether the generated type decodes `a` and `b` to equal values.
fn generated_equal(name: &str, a: &[u8], b: &[u8]) -> bool {
    use avro_benches::workloads as w;
    fn eq<T: avro_runtime::Decode + PartialEq>(a: &[u8], b: &[u8]) -> bool {
        match (
            avro_runtime::from_slice::<T>(a),
            avro_runtime::from_slice::<T>(b),
        ) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
    match name {
        "student" => eq::<w::student::Student>(a, b),
        "event" => eq::<w::event::Event>(a, b),
        "order" => eq::<w::order::Order>(a, b),
        "numeric" => eq::<w::numeric::Series>(a, b),
        "strings" => eq::<w::strings::Doc>(a, b),
        _ => false,
    }
}

#[test]
fn derived_workloads_match_datum_and_generated_schemas() {
    let dir = shared_dir().join("bench");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("schema.avsc").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no workloads in {}", dir.display());
    let mut failures = Vec::new();
    for d in &dirs {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        let Some(w) = derived::WORKLOADS.iter().find(|w| w.name == name) else {
            failures.push(format!("{name}: no derived type in benches/src/derived.rs"));
            continue;
        };
        let avsc = std::fs::read_to_string(d.join("schema.avsc")).unwrap();
        let (set, root) = SchemaSet::parse_str(&avsc).unwrap();
        let datum = std::fs::read(d.join("datum.bin")).unwrap();
        if (w.canonical_form)() != set.canonical_form(&root) {
            failures.push(format!(
                "{name}: canonical form\n derived {}\n avsc    {}",
                (w.canonical_form)(),
                set.canonical_form(&root)
            ));
        }
        match generated(&name) {
            Some((json, canonical, fp)) => {
                if (w.canonical_form)() != canonical || (w.fingerprint)() != fp {
                    failures.push(format!(
                        "{name}: canonical form or fingerprint differs from the generated type's"
                    ));
                }
                if (w.schema)() != json {
                    failures.push(format!(
                        "{name}: full schema\n derived   {}\n generated {json}",
                        (w.schema)()
                    ));
                }
            }
            None => failures.push(format!("{name}: no generated type named in this test")),
        }
        match (w.round_trip)(&datum) {
            Err(e) => failures.push(format!(
                "{name}: derived type does not decode datum.bin: {e}"
            )),
            Ok(bytes) if bytes == datum => {}
            Ok(bytes) => {
                let same = bytes.len() == datum.len() && generated_equal(&name, &bytes, &datum);
                if !same {
                    failures.push(format!(
                        "{name}: derived encoding differs from datum.bin beyond map order ({} vs {} bytes)",
                        bytes.len(),
                        datum.len()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
