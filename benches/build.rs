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
    // The workload whose generated types box a record inside an `Option`
    // (issue 9: a `null` must not cost the record's size), generated again
    // without those boxes, to measure what the boxing costs.
    let order = bench.join("order").join("schema.avsc");
    if order.is_file() {
        unboxed_module(&mut lib, &out, "order", &order);
    }
    avro_build::write_if_changed(&out.join("workloads.rs"), lib.as_bytes()).unwrap();
}

/// Generates `schema` as `unboxed_<name>`: the generator's IR with the boxes
/// it puts around large non-recursive records inside options, arrays and
/// maps taken out again (recursion boxes stay: without them the type would
/// be infinite).
fn unboxed_module(lib: &mut String, out: &Path, name: &str, schema: &Path) {
    use avro_codegen::ir::{DefKind, Ir, Ty};
    let text = std::fs::read_to_string(schema).unwrap();
    let set = avro_codegen::SchemaSet::load(vec![avro_codegen::Source::new("schema.avsc", text)])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ir = Ir::lower_with(&set, true).unwrap_or_else(|e| panic!("{e}"));
    let refs = |ty: &Ty, out: &mut Vec<usize>| {
        fn walk(ty: &Ty, out: &mut Vec<usize>) {
            match ty {
                Ty::Def { id, .. } => out.push(*id),
                Ty::Option { inner, .. } => walk(inner, out),
                Ty::Array(items) | Ty::Map(items) => walk(items, out),
                _ => {}
            }
        }
        walk(ty, out)
    };
    let edges: Vec<Vec<usize>> = ir
        .types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            match &t.kind {
                DefKind::Record { fields } => fields.iter().for_each(|f| refs(&f.ty, &mut out)),
                DefKind::Union { variants } => variants
                    .iter()
                    .flat_map(|v| &v.ty)
                    .for_each(|ty| refs(ty, &mut out)),
                DefKind::Wrapper { ty } => refs(ty, &mut out),
                _ => {}
            }
            out
        })
        .collect();
    let recursive = |id: usize| {
        let (mut stack, mut seen) = (edges[id].clone(), vec![false; edges.len()]);
        while let Some(x) = stack.pop() {
            if x == id {
                return true;
            }
            if !std::mem::replace(&mut seen[x], true) {
                stack.extend(&edges[x]);
            }
        }
        false
    };
    let recursive: Vec<bool> = (0..edges.len()).map(recursive).collect();
    fn unbox(ty: &mut Ty, inside: bool, recursive: &[bool]) {
        match ty {
            Ty::Def { id, boxed } if inside && !recursive[*id] => *boxed = false,
            Ty::Option { inner, .. } => unbox(inner, true, recursive),
            Ty::Array(items) | Ty::Map(items) => unbox(items, true, recursive),
            _ => {}
        }
    }
    for t in &mut ir.types {
        if let DefKind::Record { fields } = &mut t.kind {
            fields
                .iter_mut()
                .for_each(|f| unbox(&mut f.ty, false, &recursive));
        }
    }
    // The options of the workload's own module (`module` above), so the
    // boxes are the only difference.
    let options = avro_codegen::Options {
        serde: true,
        borrowed: true,
        ..avro_codegen::Options::default()
    };
    let files = avro_codegen::generate(&ir, &options).unwrap_or_else(|e| panic!("{e}"));
    let module_name = format!("unboxed_{name}");
    let dir = out.join(&module_name);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("avro_generated.rs");
    let source: String = files.into_values().collect();
    avro_build::write_if_changed(&file, source.as_bytes()).unwrap();
    let include = file.display().to_string();
    writeln!(lib, "pub mod {module_name} {{ include!({include:?}); }}").unwrap();
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
