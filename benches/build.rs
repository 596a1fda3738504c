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
    for d in dirs {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        module(&mut lib, &out, &name, &d.join("schema.avsc"));
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
        let name = format!("evolved_{}", f.file_stem().unwrap().to_string_lossy());
        module(&mut lib, &out, &name, &f);
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
/// competitors, and the borrowed types) into `OUT_DIR/<name>` and adds `pub mod <name>` to `lib`.
fn module(lib: &mut String, out: &Path, name: &str, schema: &Path) {
    avro_build::Config::new()
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
