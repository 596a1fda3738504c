//! Generates code for every interop vector and every corpus schema in
//! ../shared (discovered from the directories and the MANIFEST, never
//! listed here), plus tables the tests iterate over. A corpus group whose
//! generation fails is recorded with its error, so the corpus test reports it
//! by name instead of the whole build failing.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use avro_codegen::{ir::Ir, Options, SchemaSet, Source};
use avro_schema::idl::{self, IdlOptions};

include!("../support/shared_dir.rs");

fn options() -> Options {
    Options {
        // Avro maps are unordered; keep the wire order so re-encoding is byte-identical.
        map_type: "::indexmap::IndexMap".into(),
        json: true,
        // Borrowed types for every schema: compared with the owned ones by tests/tests/borrowed.rs.
        borrowed: true,
        ..Options::default()
    }
}

struct Generated {
    /// (source index, Rust path of the root type relative to the crate root)
    roots: Vec<(usize, String)>,
}

/// Generates one group of sources into `OUT_DIR/<module>/` and adds
/// `pub mod <module>` for it to `lib`; returns the root paths. With
/// `as_a_user`, the code is included as a user's crate would
/// (`include_schemas!(pub mod avro, ..)`) beside `use std::io;` (the
/// generated `io` module of `io.confluent.*` must not collide with it), and
/// must pass `missing_docs`.
fn generate(
    lib: &mut String,
    out: &Path,
    module: &str,
    sources: Vec<Source>,
    as_a_user: bool,
) -> Result<Generated, String> {
    let set = SchemaSet::load(sources).map_err(|e| e.to_string())?;
    generate_set(lib, out, module, &set, as_a_user)
}

/// [`generate`] for a set already loaded (from IDL).
fn generate_set(
    lib: &mut String,
    out: &Path,
    module: &str,
    set: &SchemaSet,
    as_a_user: bool,
) -> Result<Generated, String> {
    let ir = Ir::lower(set).map_err(|e| e.to_string())?;
    let files = avro_codegen::generate(&ir, &options()).map_err(|e| e.to_string())?;
    let dir = out.join(module);
    fs::create_dir_all(&dir).unwrap();
    let file_of = avro_codegen::module_file_name;
    for (m, src) in &files {
        avro_build::write_if_changed(&dir.join(file_of(m)), src.as_bytes()).unwrap();
    }
    let keys: Vec<String> = files.keys().cloned().collect();
    let tree = avro_codegen::module_tree(&keys, |m| {
        format!("{:?}", dir.join(file_of(m)).display().to_string())
    });
    avro_build::write_if_changed(&dir.join("mod.rs"), tree.as_bytes()).unwrap();
    if as_a_user {
        writeln!(
            lib,
            "/// Corpus case `{module}`.\n#[deny(missing_docs, clippy::pedantic)] pub mod {module} {{ #[allow(unused_imports)] use std::io; avro_runtime::include_schemas!(pub mod avro, \"{module}/mod.rs\"); }}"
        )
        .unwrap();
    } else {
        writeln!(
            lib,
            "#[allow(dead_code)] pub mod {module} {{ include!({:?}); }}",
            dir.join("mod.rs").display().to_string()
        )
        .unwrap();
    }
    let roots = ir
        .roots
        .iter()
        .map(|&(src, def)| {
            let t = &ir.types[def];
            let mut path = format!("crate::{module}");
            if as_a_user {
                path.push_str("::avro");
            }
            for m in &t.module {
                path.push_str("::");
                path.push_str(m);
            }
            path.push_str("::");
            path.push_str(&t.ident);
            (src, path)
        })
        .collect();
    Ok(Generated { roots })
}

/// The import search path of an IDL file under `root`, standing in for the
/// Java class path its project compiled it with: every `putOnClassPath`
/// directory under `root` (Java's IDL test suite), then the directories
/// above the file's own (Maven puts a project's source directory on the
/// class path).
fn idl_class_path(root: &Path, file: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for d in dirs {
            if d.file_name().is_some_and(|n| n == "putOnClassPath") {
                out.push(d.clone());
            }
            walk(&d, out);
        }
    }
    let mut out = Vec::new();
    walk(root, &mut out);
    let mut dir = file.parent().and_then(Path::parent);
    while let Some(d) = dir.filter(|d| d.starts_with(root)) {
        out.push(d.to_owned());
        dir = d.parent();
    }
    out
}

/// Where to read a corpus IDL file from: the corpus keeps schema files only,
/// so a copy of a file of Java's IDL test suite (`lang/java/idl/src/test/idl/`)
/// misses files it imports (`bar.avpr`, `nestedtypes.avdl`); ../shared/idl is
/// that suite directory, complete, at the same commit. A corpus file that is
/// byte-for-byte the suite's file is read there; any other stays in the corpus.
fn idl_home(shared: &Path, corpus: &Path, path: &str) -> (PathBuf, PathBuf) {
    let full = corpus.join(path);
    let marker = "/lang/java/idl/src/test/idl/";
    if let Some(at) = path.find(marker) {
        let suite = shared.join("idl");
        let twin = suite.join(&path[at + marker.len()..]);
        if fs::read(&twin)
            .ok()
            .is_some_and(|b| Some(b) == fs::read(&full).ok())
        {
            return (suite, twin);
        }
    }
    (corpus.to_owned(), full)
}

/// Generates a corpus IDL file (with its imports); the Rust expression of its outcome.
fn generate_idl(
    lib: &mut String,
    out: &Path,
    module: &str,
    (shared, corpus): (&Path, &Path),
    path: &str,
) -> String {
    let (root, full) = idl_home(shared, corpus, path);
    println!("cargo:rerun-if-changed={}", full.display());
    let search_paths = idl_class_path(&root, &full);
    let options = IdlOptions {
        search_paths: search_paths.clone(),
    };
    let read = full.display().to_string();
    let loaded = match idl::load_files(&[full], &options) {
        Ok(l) => l,
        Err(e) => return format!("crate::Outcome::Failed({:?})", e.to_string()),
    };
    for f in &loaded.files {
        println!("cargo:rerun-if-changed={}", f.display());
    }
    let own = loaded.input_sources[0];
    match generate_set(lib, out, module, &loaded.set, true) {
        Ok(g) => {
            let roots: Vec<String> = g
                .roots
                .iter()
                .filter(|(src, _)| *src == own)
                .map(|(_, p)| format!("crate::RootType::of::<{p}>({p:?})"))
                .collect();
            let paths: Vec<String> = search_paths
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            format!(
                "crate::Outcome::Idl {{ roots: &[{}], read: {read:?}, search_paths: &{paths:?} }}",
                roots.join(", ")
            )
        }
        Err(e) => format!("crate::Outcome::Failed({e:?})"),
    }
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn main() {
    println!("cargo:rerun-if-env-changed=AVRO_SHARED_DIR");
    let shared = shared_dir();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut lib = String::new();

    // Interop vectors: one module per case directory holding a schema.avsc.
    let interop = shared.join("interop");
    println!("cargo:rerun-if-changed={}", interop.display());
    let mut cases: Vec<PathBuf> = fs::read_dir(&interop)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("schema.avsc").is_file())
                .collect()
        })
        .unwrap_or_default();
    cases.sort();
    let mut table = String::from("pub static INTEROP: &[crate::InteropCase] = &[\n");
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let schema = dir.join("schema.avsc");
        println!("cargo:rerun-if-changed={}", schema.display());
        let module = format!(
            "interop_{}",
            name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        let g = generate(
            &mut lib,
            &out,
            &module,
            vec![Source::new(schema.display().to_string(), read(&schema))],
            false,
        )
        .unwrap_or_else(|e| panic!("interop case {name}: {e}"));
        let root = &g.roots[0].1;
        // Resolution cases: a type generated from reader.avsc too.
        let reader = dir.join("reader.avsc");
        let resolved = if reader.is_file() {
            println!("cargo:rerun-if-changed={}", reader.display());
            let rmodule = format!("{module}_reader");
            let rg = generate(
                &mut lib,
                &out,
                &rmodule,
                vec![Source::new(reader.display().to_string(), read(&reader))],
                false,
            )
            .unwrap_or_else(|e| panic!("interop case {name} reader: {e}"));
            format!(
                "Some(crate::interop::check_resolved::<{}, {root}>)",
                rg.roots[0].1
            )
        } else {
            "None".to_owned()
        };
        writeln!(table, "    crate::InteropCase {{ name: {name:?}, check: crate::interop::check_case::<{root}>, round_trip: crate::round_trip::<{root}>, reuse: crate::reuse_agrees::<{root}>, resolved: {resolved} }},").unwrap();
    }
    table.push_str("];\n");
    lib.push_str(&table);

    // Corpus: every row of the MANIFEST, JSON with its dependencies, IDL with its imports.
    let corpus = shared.join("corpus");
    let manifest = corpus.join("MANIFEST.tsv");
    println!("cargo:rerun-if-changed={}", manifest.display());
    let text = fs::read_to_string(&manifest).unwrap_or_default();
    let mut rows = text.lines();
    let header: Vec<&str> = rows.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (c_path, c_kind, c_deps) = (col("local_path"), col("kind"), col("depends_on_load_order"));
    let mut table = String::from("pub static CORPUS: &[crate::CorpusCase] = &[\n");
    for (i, row) in rows.enumerate() {
        let cells: Vec<&str> = row.split('\t').collect();
        let get = |c: Option<usize>| c.and_then(|c| cells.get(c)).copied().unwrap_or("");
        let (path, kind) = (get(c_path), get(c_kind));
        if path.is_empty() {
            continue;
        }
        if kind == "avdl" {
            let module = format!("corpus_{i}");
            let outcome = generate_idl(&mut lib, &out, &module, (&shared, &corpus), path);
            writeln!(
                table,
                "    crate::CorpusCase {{ file: {path:?}, deps: &[], outcome: {outcome} }},"
            )
            .unwrap();
            continue;
        }
        let deps: Vec<&str> = get(c_deps).split_whitespace().collect();
        let mut sources = Vec::new();
        for p in deps.iter().chain(std::iter::once(&path)) {
            let full = corpus.join(p);
            println!("cargo:rerun-if-changed={}", full.display());
            sources.push(Source::new(full.display().to_string(), read(&full)));
        }
        let own = sources.len() - 1;
        let module = format!("corpus_{i}");
        let outcome = match generate(&mut lib, &out, &module, sources, true) {
            Ok(g) => {
                let roots: Vec<String> = g
                    .roots
                    .iter()
                    .filter(|(src, _)| *src == own)
                    .map(|(_, p)| format!("crate::RootType::of::<{p}>({:?})", p))
                    .collect();
                format!("crate::Outcome::Generated(&[{}])", roots.join(", "))
            }
            Err(e) => format!("crate::Outcome::Failed({e:?})"),
        };
        writeln!(
            table,
            "    crate::CorpusCase {{ file: {path:?}, deps: &{deps:?}, outcome: {outcome} }},"
        )
        .unwrap();
    }
    table.push_str("];\n");
    lib.push_str(&table);
    // Compatibility pairs: a type generated from each compatible pair's
    // reader schema, so the typed resolved decoders are compared with the
    // transcoding reference over every pair (keyed by the pair's id).
    let pairs_path = shared.join("compat/pairs.json");
    println!("cargo:rerun-if-changed={}", pairs_path.display());
    let pairs: serde_json::Value = fs::read(&pairs_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let mut table = String::from("pub static COMPAT_READERS: &[crate::TypedReader] = &[\n");
    for (i, c) in pairs.as_array().into_iter().flatten().enumerate() {
        if c["compatible"] != true {
            continue;
        }
        let id = c["id"].as_str().unwrap_or("?");
        let module = format!("compat_{i}");
        let source = Source::new(format!("pairs.json#{id}/reader"), c["reader"].to_string());
        let outcome = match generate(&mut lib, &out, &module, vec![source], false) {
            Ok(g) => {
                format!("Ok(crate::resolved_agrees::<{}>)", g.roots[0].1)
            }
            Err(e) => format!("Err({e:?})"),
        };
        writeln!(
            table,
            "    crate::TypedReader {{ id: {id:?}, check: {outcome} }},"
        )
        .unwrap();
    }
    table.push_str("];\n");
    lib.push_str(&table);

    // The build.rs API itself, with its options, over the schemas in tests/schemas/options.
    let options_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/options");
    avro_build::Config::new()
        .schema_dir(&options_dir)
        .include_file("options.rs")
        .serde(true)
        .json(true)
        .map_type("::std::collections::BTreeMap")
        .type_attribute("test.options.Person", "#[derive(Eq, Hash, PartialOrd)]")
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));
    avro_build::Config::new()
        .schema_dir(&options_dir)
        .out_dir(out.join("flat"))
        .module_layout(avro_build::ModuleLayout::Flat)
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));
    lib.push_str("pub mod options { avro_runtime::include_schemas!(\"options.rs\"); }\n");
    writeln!(
        lib,
        "pub mod options_flat {{ include!({:?}); }}",
        out.join("flat/avro_generated.rs").display().to_string()
    )
    .unwrap();
    // Fixtures of the hostile-input tests (tests/schemas/hostile), and the
    // schema of ../shared/interop-codecs for the container codec tests.
    let hostile_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/hostile");
    let mut hostile = avro_build::Config::new();
    hostile
        .schema_dir(&hostile_dir)
        .out_dir(out.join("hostile"))
        .json(true)
        .borrowed(true);
    // A writer of hostile.BlockLimits, so that the collection limit is
    // tried through a decoder specialized to it (tests/tests/collection_limit.rs).
    let block_writer =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/known_writers/block_limits.avsc");
    println!("cargo:rerun-if-changed={}", block_writer.display());
    hostile.known_writer(
        "hostile.BlockLimits",
        std::fs::read_to_string(&block_writer).unwrap(),
    );
    let codecs_schema = shared.join("interop-codecs/schema.avsc");
    if codecs_schema.is_file() {
        hostile.schema_file(&codecs_schema);
        lib.push_str("pub const HAS_INTEROP_CODECS: bool = true;\n");
    } else {
        lib.push_str("pub const HAS_INTEROP_CODECS: bool = false;\n");
    }
    hostile.compile().unwrap_or_else(|e| panic!("{e}"));
    writeln!(
        lib,
        "#[allow(clippy::module_inception)] pub mod hostile {{ include!({:?}); }}",
        out.join("hostile/avro_generated.rs").display().to_string()
    )
    .unwrap();
    avro_build::write_if_changed(&out.join("generated.rs"), lib.as_bytes()).unwrap();
}
