//! The engine: Avro schemas in, Rust source out. Pure — no I/O.
//!
//! ```text
//! SchemaSet (avro_schema) ──Ir::lower──▶ Ir ──generate──▶ { module → source }
//! ```
//!
//! # Type mapping
//!
//! | Avro | Rust |
//! |---|---|
//! | `null` | `()` |
//! | `boolean`, `int`, `long`, `float`, `double` | `bool`, `i32`, `i64`, `f32`, `f64` |
//! | `bytes`, `string` | `Vec<u8>`, `String` |
//! | record | `struct` (fields in snake case, keywords escaped: `type` → `r#type`) |
//! | enum | `enum` of unit variants (with `Default` when the schema has a `default`) |
//! | fixed | newtype over `[u8; N]` |
//! | array | `Vec<T>` |
//! | map | `HashMap<String, T>` (configurable: `Options::map_type`) |
//! | `["null", T]`, `[T, "null"]` | `Option<T>` (branch order kept on the wire) |
//! | any other union | an `enum`, one variant per branch, named `<Record><Field>` |
//! | a record that contains itself | `Box<T>` where the recursion is by value |
//! | `decimal` (bytes or fixed) | `avro_runtime::Decimal`: the exact two's-complement bytes |
//! | `uuid` (string or fixed) | `uuid::Uuid` |
//! | `date`, `time-*`, `timestamp-*`, `local-timestamp-*` | lossless newtypes (`avro_runtime::Date(i32)`, …), convertible to chrono with the runtime's `chrono` feature |
//! | `duration` | `avro_runtime::Duration` |
//! | unknown logical type | its underlying type |
//! | top-level schema that is not a named type | a newtype (or union enum) named after the file |
//!
//! A record without required fields (each has a schema default or is
//! optional) gets a `Default` impl that uses them; every record gets
//! `new(required fields)`. Every type implements `AvroSchema` (full JSON, Parsing Canonical Form
//! and CRC-64-AVRO fingerprint), `Encode` and `Decode`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod emit;
pub mod ident;
pub mod ir;
mod print;

use std::collections::BTreeMap;

pub use avro_schema::{Diagnostics, SchemaError, SchemaSet, Severity, Source};
#[cfg(feature = "derive")]
pub use emit::{DeriveTarget, TagContent, VariantShape};
pub use ir::Ir;

/// Why generation failed.
///
/// Display, Error and From are written out: thiserror's derive needs syn,
/// which this crate keeps off every user's build-script path.
#[derive(Debug)]
pub enum CodegenError {
    /// An invalid schema.
    Schema(SchemaError),
    /// Two Avro names that cannot be told apart as Rust names.
    Collision(String),
    /// A default value that cannot be written as Rust.
    Default(String),
    /// An [`Options`] value that is not valid Rust (a map type, an attribute).
    Option(String),
    /// The generator reached a state it should not: a bug.
    Internal(String),
}

impl std::fmt::Display for CodegenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodegenError::Schema(e) => std::fmt::Display::fmt(e, f),
            CodegenError::Collision(m) => write!(f, "name collision: {m}"),
            CodegenError::Default(m) => write!(f, "invalid default: {m}"),
            CodegenError::Option(m) => write!(f, "invalid option: {m}"),
            CodegenError::Internal(m) => write!(f, "a bug in avro-codegen: {m}"),
        }
    }
}

impl std::error::Error for CodegenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Transparent: the schema error's own source.
            CodegenError::Schema(e) => std::error::Error::source(e),
            _ => None,
        }
    }
}

impl From<SchemaError> for CodegenError {
    fn from(e: SchemaError) -> Self {
        CodegenError::Schema(e)
    }
}

/// What to generate. Defaults suit a crate that depends on `avro-runtime`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path of the runtime crate in generated code.
    pub runtime_crate: String,
    /// Map type constructor used for Avro maps (`K = String`); any type with
    /// `Default`, `insert`, `iter`, `len` and `is_empty` works
    /// (`::std::collections::BTreeMap`, `::indexmap::IndexMap`).
    pub map_type: String,
    /// Derive `serde::Serialize`/`Deserialize` (needs the runtime's `serde` feature).
    pub serde: bool,
    /// Implement `avro_runtime::json::ToAvroJson` (the Avro JSON encoding).
    pub json: bool,
    /// Extra attributes: (Avro full name, a namespace prefix, or `.` for all; attribute text).
    pub type_attributes: Vec<(String, String)>,
    /// Writer schemas known at build time: (the reader type's Avro full
    /// name, a writer schema's JSON). Each gets a decoder specialized to it,
    /// which `Decode::known_writer` hands out by writer fingerprint.
    pub known_writers: Vec<(String, String)>,
    /// Also generate borrowed types (`EventRef<'a>` beside `Event`, with
    /// `&'a str` strings) that decode without copying
    /// (`avro_runtime::from_slice_ref`), and `Borrowable` on the owned types.
    pub borrowed: bool,
    /// Write every record's impls out in full instead of invoking the
    /// runtime's `record!` macro for records whose fields are all plain
    /// field types (`avro_runtime::record`). The machine code is the same;
    /// the sources are about four times larger, and readable without
    /// `cargo expand`.
    pub expand_records: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runtime_crate: "::avro_runtime".into(),
            map_type: "::std::collections::HashMap".into(),
            serde: false,
            json: false,
            type_attributes: Vec::new(),
            known_writers: Vec::new(),
            borrowed: false,
            expand_records: false,
        }
    }
}

/// Header of every generated file.
pub const HEADER: &str =
    "// @generated by avro-codegen. Do not edit: change the schema and rebuild.\n\n";

/// Source per module: the key is the module path, its Rust idents joined by
/// `.` (`com.example`, `a.r#type`; `""` for the null namespace), the value is
/// formatted Rust with the `@generated` header.
///
/// Modules are emitted and formatted on up to
/// [`std::thread::available_parallelism`] threads when there are enough
/// types to be worth it (each thread with its own emitter: token streams
/// cannot cross threads); the output does not depend on how many.
pub fn generate(ir: &Ir, opts: &Options) -> Result<BTreeMap<String, String>, CodegenError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    generate_on(ir, opts, threads)
}

/// [`generate`] on at most `threads` threads.
fn generate_on(
    ir: &Ir,
    opts: &Options,
    threads: usize,
) -> Result<BTreeMap<String, String>, CodegenError> {
    let mut modules: BTreeMap<String, Vec<ir::DefId>> = BTreeMap::new();
    for (id, t) in ir.types.iter().enumerate() {
        modules.entry(t.module.join(".")).or_default().push(id);
    }
    if ir.embeds_sources() {
        modules.entry(String::new()).or_default();
    }
    let modules: Vec<(String, Vec<ir::DefId>)> = modules.into_iter().collect();
    let threads = threads.min(modules.len());
    let results: Vec<ModuleSource> = if threads < 2 || ir.types.len() < PARALLEL_TYPES {
        let emitter = emit::Emitter::new(ir, opts)?;
        modules
            .iter()
            .map(|(m, ids)| module_source(&emitter, ir, m, ids))
            .collect()
    } else {
        // Largest modules first, each to the least loaded thread.
        let mut order: Vec<usize> = (0..modules.len()).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(modules[k].1.len()));
        let mut shares: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); threads];
        for k in order {
            let least = shares.iter_mut().min_by_key(|(load, _)| *load);
            let (load, share) = least.expect("at least one thread");
            *load += modules[k].1.len().max(1);
            share.push(k);
        }
        let mut done: Vec<(usize, ModuleSource)> = std::thread::scope(|scope| {
            let handles: Vec<_> = shares
                .into_iter()
                .map(|(_, share)| {
                    let modules = &modules;
                    scope.spawn(move || {
                        let emitter = match emit::Emitter::new(ir, opts) {
                            Ok(e) => e,
                            Err(e) => return vec![(share[0], Err(e))],
                        };
                        share
                            .into_iter()
                            .map(|k| {
                                let (m, ids) = &modules[k];
                                (k, module_source(&emitter, ir, m, ids))
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("a code generation thread panicked"))
                .collect()
        });
        // In module order: the same first error whatever the threads did.
        done.sort_by_key(|(k, _)| *k);
        done.into_iter().map(|(_, r)| r).collect()
    };
    results.into_iter().collect()
}

/// A module's key and formatted source, or why it could not be made.
type ModuleSource = Result<(String, String), CodegenError>;

/// How many types a schema set must have before [`generate`] uses threads.
const PARALLEL_TYPES: usize = 16;

/// One module's formatted source: its types' items (and, for the root
/// module of a set that embeds its sources, the embedded sources).
fn module_source(
    emitter: &emit::Emitter<'_>,
    ir: &Ir,
    module: &str,
    ids: &[ir::DefId],
) -> ModuleSource {
    let mut tokens = proc_macro2::TokenStream::new();
    for &id in ids {
        tokens.extend(emitter.item(id)?);
    }
    if module.is_empty() && ir.embeds_sources() {
        tokens.extend(emitter.embedded_sources());
    }
    Ok((
        module.to_owned(),
        format!("{HEADER}{}", print::items(tokens)),
    ))
}

#[cfg(feature = "derive")]
/// The `AvroSchema`, `Encode` and `Decode` impls of a type the user wrote
/// (`#[derive(AvroSchema)]`): `ir.types[id]` describes it, `target` says
/// what the macro knows beyond the IR. Tokens, not formatted source: the
/// macro path does not need them printed.
pub fn derive_impls(
    ir: &Ir,
    id: ir::DefId,
    opts: &Options,
    target: &DeriveTarget,
) -> Result<proc_macro2::TokenStream, CodegenError> {
    emit::Emitter::new(ir, opts)?.derive_impls(id, target)
}

/// Loads `sources`, lowers them and generates code: the whole pipeline.
pub fn generate_from_sources(
    sources: Vec<Source>,
    opts: &Options,
) -> Result<BTreeMap<String, String>, CodegenError> {
    let set = SchemaSet::load(sources)?;
    let ir = Ir::lower(&set)?;
    generate(&ir, opts)
}

/// A file name for a module key: `com.example.rs`, `_.rs` for the root.
pub fn module_file_name(module: &str) -> String {
    if module.is_empty() {
        "_.rs".to_owned()
    } else {
        format!("{}.rs", module.replace("r#", ""))
    }
}

/// The Rust module tree that includes each generated module file:
/// `pub mod com { pub mod example { include!(...); } }`. `include` turns a
/// module key into the `include!` argument tokens (a string literal or a
/// `concat!(env!("OUT_DIR"), ...)`).
pub fn module_tree(modules: &[String], include: impl Fn(&str) -> String) -> String {
    #[derive(Default)]
    struct Node {
        include: Option<String>,
        children: BTreeMap<String, Node>,
    }
    let mut root = Node::default();
    for m in modules {
        let mut node = &mut root;
        if !m.is_empty() {
            for part in m.split('.') {
                node = node.children.entry(part.to_owned()).or_default();
            }
        }
        node.include = Some(include(m));
    }
    fn write(node: &Node, path: &mut Vec<String>, out: &mut String) {
        let pad = "    ".repeat(path.len());
        if let Some(inc) = &node.include {
            out.push_str(&format!("{pad}include!({inc});\n"));
        }
        for (name, child) in &node.children {
            path.push(name.trim_start_matches("r#").to_owned());
            let namespace = path.join(".");
            let what = if child.include.is_some() {
                "Types of the Avro namespace"
            } else {
                "Namespaces under"
            };
            out.push_str(&format!("{pad}/// {what} `{namespace}`.\n"));
            out.push_str(&format!("{pad}pub mod {name} {{\n"));
            write(child, path, out);
            out.push_str(&format!("{pad}}}\n"));
            path.pop();
        }
    }
    let mut out = String::from(HEADER);
    write(&root, &mut Vec::new(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records over several namespaces, enough for threads: the output is
    /// the same on one thread as on several.
    #[test]
    fn the_output_does_not_depend_on_the_threads() {
        let records: Vec<String> = (0..PARALLEL_TYPES + 20)
            .map(|k| {
                format!(
                    r#"{{"type":"record","name":"R{k}","namespace":"ns{}","fields":[{{"name":"a","type":["null","string"],"default":null}},{{"name":"b","type":{{"type":"array","items":"long"}}}}]}}"#,
                    k % 5
                )
            })
            .collect();
        let text = format!(
            r#"{{"protocol":"P","namespace":"ns0","types":[{}],"messages":{{}}}}"#,
            records.join(",")
        );
        let set = SchemaSet::load(vec![Source::new("p.avpr", text)]).unwrap();
        let ir = Ir::lower(&set).unwrap();
        let opts = Options::default();
        let one = generate_on(&ir, &opts, 1).unwrap();
        assert_eq!(one.len(), 5);
        for threads in [2, 3, 8] {
            assert_eq!(
                generate_on(&ir, &opts, threads).unwrap(),
                one,
                "{threads} threads"
            );
        }
    }
}
