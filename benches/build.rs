//! Generates one module per workload in ../shared/bench (discovered, not listed).
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

include!("../support/shared_dir.rs");

fn main() {
    println!("cargo:rerun-if-env-changed=AVRO_SHARED_DIR");
    let shared = shared_dir();
    let bench = shared.join("bench");
    println!("cargo:rerun-if-changed={}", bench.display());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&bench)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("schema.avsc").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    let mut lib = String::new();
    for d in &dirs {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        module(&mut lib, &out, &name, &d.join("schema.avsc"), None);
    }
    // Newer reader schemas of some workloads, for resolved decoding (old writer, new reader).
    let evolved = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/evolved");
    println!("cargo:rerun-if-changed={}", evolved.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&evolved)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        // The workload's own schema is the old writer: a known writer of the
        // newer reader, which gets a decoder specialized to it.
        let writer = std::fs::read_to_string(bench.join(&stem).join("schema.avsc")).ok();
        let known = writer.map(|w| (root_name(&f), w));
        module(&mut lib, &out, &format!("evolved_{stem}"), &f, known);
    }
    // The workloads with maps again, their maps `foldhash::HashMap` (a
    // hasher users can choose with `Config::map_type`; the default stays std's).
    for name in ["event", "order", "strings"] {
        let schema = bench.join(name).join("schema.avsc");
        if schema.is_file() {
            let module_name = format!("foldhash_{name}");
            avro_build::Config::new()
                .schema_file(&schema)
                .out_dir(out.join(&module_name))
                .map_type("::foldhash::HashMap")
                .module_layout(avro_build::ModuleLayout::Flat)
                .compile()
                .unwrap_or_else(|e| panic!("{e}"));
            let include = out
                .join(&module_name)
                .join("avro_generated.rs")
                .display()
                .to_string();
            writeln!(lib, "pub mod {module_name} {{ include!({include:?}); }}").unwrap();
        }
    }
    avro_build::write_if_changed(&out.join("workloads.rs"), lib.as_bytes()).unwrap();
}

/// Generates `schema` (flat, with serde derives for the serde-based
/// competitors, and the borrowed types) into `OUT_DIR/<name>` and adds
/// `pub mod <name>` to `lib`; `known_writer` declares a writer schema the
/// type gets a specialized decoder for.
fn module(
    lib: &mut String,
    out: &Path,
    name: &str,
    schema: &Path,
    known_writer: Option<(String, String)>,
) {
    let mut config = avro_build::Config::new();
    if let Some((reader, writer)) = known_writer {
        config.known_writer(reader, writer);
    }
    config
        .schema_file(schema)
        .out_dir(out.join(name))
        .serde(true)
        .borrowed(true)
        .module_layout(avro_build::ModuleLayout::Flat)
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));
    let include = out
        .join(name)
        .join("avro_generated.rs")
        .display()
        .to_string();
    writeln!(lib, "pub mod {name} {{ include!({include:?}); }}").unwrap();
}

/// The full name of the named type a schema file defines at its root
/// (the first attribute of its canonical form).
fn root_name(schema: &Path) -> String {
    let text = std::fs::read_to_string(schema).unwrap();
    let (set, root) = avro_codegen::SchemaSet::parse_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let canonical = set.canonical_form(&root);
    canonical
        .strip_prefix("{\"name\":\"")
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("{}: not a named type", schema.display()))
        .to_owned()
}
