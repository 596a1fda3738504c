//! Generates the Rust types this crate's tests and benchmarks use (the
//! library itself uses none of them): one module per fixture directory under
//! `tests/schemas`, one per `../shared/interop` case that has a Confluent
//! vector (discovered, never listed), and the `event` workload of
//! `../shared/bench`. Built with avro-codegen directly, not avro-build:
//! avro-build is to depend on this crate (registry subjects in build.rs),
//! and a build dependency back on it would be a cycle.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use avro_codegen::{ir::Ir, Options, SchemaSet, Source};

include!("../support/shared_dir.rs");

fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// Generates `sources` into `OUT_DIR/<module>/`, adds `pub mod <module>` to
/// `lib`, and returns the Rust path of each root type.
fn generate(lib: &mut String, out: &Path, module: &str, sources: Vec<Source>) -> Vec<String> {
    let set = SchemaSet::load(sources).unwrap_or_else(|e| panic!("{module}: {e}"));
    let ir = Ir::lower(&set).unwrap_or_else(|e| panic!("{module}: {e}"));
    let options = Options {
        map_type: "::indexmap::IndexMap".into(),
        // Borrowed types too, for `Deserializer::deserialize_ref` (tests/reuse.rs).
        borrowed: true,
        ..Options::default()
    };
    let files = avro_codegen::generate(&ir, &options).unwrap_or_else(|e| panic!("{module}: {e}"));
    let dir = out.join(module);
    fs::create_dir_all(&dir).unwrap();
    for (m, src) in &files {
        write_if_changed(&dir.join(avro_codegen::module_file_name(m)), src);
    }
    let keys: Vec<String> = files.keys().cloned().collect();
    let tree = avro_codegen::module_tree(&keys, |m| {
        format!(
            "{:?}",
            dir.join(avro_codegen::module_file_name(m))
                .display()
                .to_string()
        )
    });
    write_if_changed(&dir.join("mod.rs"), &tree);
    writeln!(
        lib,
        "#[allow(dead_code, clippy::all)] pub mod {module} {{ include!({:?}); }}",
        dir.join("mod.rs").display().to_string()
    )
    .unwrap();
    ir.roots
        .iter()
        .map(|&(_, def)| {
            let t = &ir.types[def];
            let mut path = format!("crate::{module}");
            for m in &t.module {
                path.push_str("::");
                path.push_str(m);
            }
            format!("{path}::{}", t.ident)
        })
        .collect()
}

fn source(path: &Path) -> Source {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Source::new(path.display().to_string(), text)
}

fn dirs(parent: &Path, has: &[&str]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(parent)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| has.iter().all(|f| p.join(f).is_file()))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

fn main() {
    println!("cargo:rerun-if-env-changed=AVRO_SHARED_DIR");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));

    let mut fixtures = String::new();
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas");
    println!("cargo:rerun-if-changed={}", schemas.display());
    for dir in dirs(&schemas, &[]) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "avsc"))
            .collect();
        files.sort();
        generate(
            &mut fixtures,
            &out,
            &name,
            files.iter().map(|f| source(f)).collect(),
        );
    }
    write_if_changed(&out.join("fixtures.rs"), &fixtures);

    let shared = shared_dir();
    let interop = shared.join("interop");
    println!("cargo:rerun-if-changed={}", interop.display());
    let mut lib = String::new();
    let mut table = String::from("pub static INTEROP: &[(&str, crate::Check)] = &[\n");
    for dir in dirs(
        &interop,
        &["schema.avsc", "confluent.bin", "confluent.json"],
    ) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let module = format!(
            "interop_{}",
            name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        let roots = generate(
            &mut lib,
            &out,
            &module,
            vec![source(&dir.join("schema.avsc"))],
        );
        writeln!(table, "    ({name:?}, crate::check_case::<{}>),", roots[0]).unwrap();
    }
    table.push_str("];\n");
    lib.push_str(&table);
    write_if_changed(&out.join("interop.rs"), &lib);

    let mut bench = String::new();
    let event = shared.join("bench/event/schema.avsc");
    if event.is_file() {
        generate(&mut bench, &out, "event", vec![source(&event)]);
    }
    write_if_changed(&out.join("bench_types.rs"), &bench);
}
