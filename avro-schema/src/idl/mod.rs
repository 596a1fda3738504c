//! Avro IDL (`.avdl`) as input: Avro 1.12's IDL, both the protocol syntax
//! (`protocol P { ... }` with messages, errors and one-way messages) and the
//! schema syntax (`namespace x; schema T; ...`), read into the same
//! [`SchemaSet`] the JSON parser builds, so code generation, canonical form,
//! resolution and compatibility work on IDL unchanged; and converted to
//! `.avpr`/`.avsc` JSON as `avro-tools idl` and `idl2schemata` print it.
//!
//! Rooms: `lexer` (text → tokens, doc comments aside), `doc` (doc comment
//! text as Java keeps it), `parser` (tokens → `ast`, names qualified, doc
//! comments attached; `parser/types.rs` holds the type and JSON value rules),
//! `synth` (an IDL file's declarations as schema JSON plus a map from JSON
//! pointers back to IDL positions, which the JSON parser reads), `loader`
//! (files, imports, search paths, the set), `writer` (JSON in Java's shape).
//!
//! Why a hand-written recursive-descent parser and not pest, chumsky,
//! winnow or lalrpop: the grammar is small (about thirty rules, LL(2) but for
//! two spots that need three tokens of look-ahead), Java's behaviour has
//! details a generated parser fights (any keyword is an identifier where a
//! name is expected; documentation comments live on a hidden channel and
//! attach to declarations by token position; a warning names every comment
//! that attaches nowhere), and errors must say what was expected and where
//! in our own words. By hand it is one pass over a token vector, linear in
//! the input, with no dependency beyond `unicode-ident` for Java's
//! identifier characters.
//!
//! Where we differ from Java's `IdlReader` (the reference; its test suite is
//! `../shared/idl`): an import cycle is an error (Java silently skips the
//! file already being read); a type defined twice is an error even when both
//! definitions are equal; annotating the response type of a message with
//! properties is allowed (Java rejects the message when it returns a named
//! type); error columns count from 1 (Java's from 0).

mod ast;
mod doc;
mod lexer;
mod loader;
mod parser;
mod synth;
mod writer;

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

pub use synth::PositionMap;

use crate::{Schema, SchemaError, SchemaSet, TypeId};
use loader::{OrderItem, Session, Unit};

/// A position in an IDL file: line and column (in characters), from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub col: u32,
}

#[cold]
pub(crate) fn syntax_error(file: &str, pos: Pos, message: String) -> SchemaError {
    SchemaError {
        source_name: file.to_owned(),
        line: pos.line as usize,
        column: pos.col as usize,
        pointer: String::new(),
        message,
        span: 0..0,
        severity: crate::Severity::Error,
        detail: Box::default(),
    }
}

/// How imports are found.
#[derive(Debug, Clone, Default)]
pub struct IdlOptions {
    /// Directories searched, in order, for an import that is not found
    /// relative to the importing file (Java looks on its class path).
    pub search_paths: Vec<PathBuf>,
}

impl IdlOptions {
    /// No search paths: imports resolve beside the importing file only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an import search path.
    pub fn search_path(mut self, dir: impl Into<PathBuf>) -> Self {
        self.search_paths.push(dir.into());
        self
    }
}

/// Why IDL could not be read.
#[derive(Debug)]
pub enum IdlError {
    /// Invalid IDL or schema: `file:line:col: message`.
    Schema(SchemaError),
    /// A file given to read could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

impl fmt::Display for IdlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdlError::Schema(e) => write!(f, "{e}"),
            IdlError::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

// `Io`'s cause is its field named `source` (thiserror took such a field as
// the source without `#[source]`).
impl std::error::Error for IdlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IdlError::Schema(e) => Some(e),
            IdlError::Io { source, .. } => Some(source),
        }
    }
}

impl From<SchemaError> for IdlError {
    fn from(e: SchemaError) -> Self {
        IdlError::Schema(e)
    }
}

/// Something valid but worth telling the author, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdlWarning {
    /// The file, as named to the reader.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
    /// What to tell the author.
    pub message: String,
}

impl fmt::Display for IdlWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: warning: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Schema files of any kind (`.avsc`, `.avpr`, `.avdl`) read into one set.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Every schema of every file, in one set.
    pub set: SchemaSet,
    /// Every file read, imports included, in the order read.
    pub files: Vec<PathBuf>,
    /// For each input path, the index of its source in `set.sources`.
    pub input_sources: Vec<usize>,
    /// Out-of-place documentation comments and the like, then the set's warnings.
    pub warnings: Vec<String>,
}

/// Reads schema files of any kind into one [`SchemaSet`]: `.avdl` as IDL
/// (with its imports), anything else as schema JSON. A file reached twice
/// (listed and imported, or imported twice) is read once.
pub fn load_files(paths: &[PathBuf], options: &IdlOptions) -> Result<Loaded, IdlError> {
    let mut session = Session::new(options);
    let mut input_sources = Vec::with_capacity(paths.len());
    for p in paths {
        input_sources.push(session.load_input(p)?);
    }
    let (set, units, warnings) = session.finish()?;
    let mut all: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    all.extend(set.warnings.iter().cloned());
    Ok(Loaded {
        files: units.iter().map(|u| u.path.clone()).collect(),
        set,
        input_sources,
        warnings: all,
    })
}

/// Reads one IDL file and its imports.
pub fn parse_file(path: impl AsRef<Path>, options: &IdlOptions) -> Result<IdlDocument, IdlError> {
    let mut session = Session::new(options);
    session.load_input(path.as_ref())?;
    IdlDocument::new(session)
}

/// Reads IDL text; `name` is the file name errors report, and imports are
/// relative to its directory.
pub fn parse_str(
    name: impl AsRef<Path>,
    text: &str,
    options: &IdlOptions,
) -> Result<IdlDocument, IdlError> {
    let mut session = Session::new(options);
    session.load_idl_text(name.as_ref(), text.to_owned())?;
    IdlDocument::new(session)
}

/// One IDL file read with its imports: its schemas as a [`SchemaSet`] (the
/// file's own source is `set.sources[0]`), and its protocol or main schema.
#[derive(Debug, Clone)]
pub struct IdlDocument {
    /// The file's and its imports' schemas.
    pub set: SchemaSet,
    units: Vec<Unit>,
    /// Warnings of the file and its imports (out-of-place documentation comments first).
    pub warnings: Vec<IdlWarning>,
}

impl IdlDocument {
    fn new(session: Session<'_>) -> Result<IdlDocument, IdlError> {
        let (set, units, warnings) = session.finish()?;
        Ok(IdlDocument {
            set,
            units,
            warnings,
        })
    }

    /// Every file read: the document, then its imports.
    pub fn files(&self) -> Vec<&Path> {
        self.units.iter().map(|u| u.path.as_path()).collect()
    }

    /// The protocol's name, if the file declares a protocol.
    pub fn protocol_name(&self) -> Option<&str> {
        self.units[0].protocol.as_ref().map(|p| p.name.as_str())
    }

    /// Every named type, in Java's order: declarations and imports in the
    /// order written, an imported file's types where it is imported.
    pub fn named_types(&self) -> Vec<TypeId> {
        let mut out = Vec::new();
        let mut seen = vec![false; self.set.types.len()];
        self.expand(0, &mut out, &mut seen);
        out
    }

    fn expand(&self, unit: usize, out: &mut Vec<TypeId>, seen: &mut [bool]) {
        for item in &self.units[unit].order {
            match item {
                OrderItem::Type(name) => {
                    if let Some(id) = self.set.lookup(name) {
                        if !std::mem::replace(&mut seen[id], true) {
                            out.push(id);
                        }
                    }
                }
                OrderItem::Unit(u) => self.expand(*u, out, seen),
                OrderItem::OwnJson => {
                    for (id, t) in self.set.types.iter().enumerate() {
                        if t.origin.source == unit && !std::mem::replace(&mut seen[id], true) {
                            out.push(id);
                        }
                    }
                }
            }
        }
    }

    /// The main schema of a file in the schema syntax (`schema T;`).
    pub fn main_schema(&self) -> Option<Schema> {
        match self.units[0].main_schema.as_ref()? {
            ast::Ty::Ref { name, .. } => self.set.lookup(name).map(Schema::Named),
            _ => self
                .set
                .roots
                .iter()
                .rev()
                .find(|r| r.source == 0)
                .map(|r| r.schema.clone()),
        }
    }

    /// The protocol as `.avpr` JSON (`avro-tools idl` on a protocol).
    pub fn protocol_json(&self) -> Option<Value> {
        let p = self.units[0].protocol.as_ref()?;
        let ns = p.namespace.as_deref();
        let mut w = writer::Writer::new(&self.set);
        let mut m = serde_json::Map::new();
        m.insert("protocol".into(), p.name.clone().into());
        if let Some(ns) = ns {
            m.insert("namespace".into(), ns.into());
        }
        if let Some(doc) = &p.doc {
            m.insert("doc".into(), doc.clone().into());
        }
        m.extend(p.props.clone());
        let mut types = Vec::new();
        for id in self.named_types() {
            if !w.is_known(id) {
                types.push(w.named(id, ns));
            }
        }
        m.insert("types".into(), Value::Array(types));
        let mut messages = serde_json::Map::new();
        for (name, msg) in &self.units[0].messages {
            messages.insert(name.clone(), w.message(msg, ns));
        }
        m.insert("messages".into(), Value::Object(messages));
        Some(Value::Object(m))
    }

    /// The main schema as `.avsc` JSON (`avro-tools idl` on a schema file).
    pub fn main_schema_json(&self) -> Option<Value> {
        let main = self.units[0].main_schema.as_ref()?;
        Some(writer::Writer::new(&self.set).ty(main, None, false))
    }

    /// What `avro-tools idl` prints: the protocol, else the main schema, else
    /// (Java's test harness) a JSON array of every named type on its own.
    pub fn to_json(&self) -> Value {
        if let Some(p) = self.protocol_json() {
            return p;
        }
        if let Some(m) = self.main_schema_json() {
            return m;
        }
        Value::Array(self.schemata().into_iter().map(|(_, v)| v).collect())
    }

    /// What `avro-tools idl2schemata` writes: every named type as a
    /// self-contained `.avsc` (conventionally `<name>.avsc`), keyed by full name.
    pub fn schemata(&self) -> Vec<(String, Value)> {
        self.named_types()
            .into_iter()
            .map(|id| {
                let v = writer::Writer::new(&self.set).named(id, None);
                (self.set.get(id).name.fullname(), v)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(text: &str) -> IdlDocument {
        parse_str("t.avdl", text, &IdlOptions::new()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn optional_types_put_null_last_only_before_a_non_null_default() {
        let d = doc("namespace n; record R { int? a = 1; int? b = null; int? c; }");
        let json = d.to_json();
        assert_eq!(json[0]["fields"][0]["type"], json!(["int", "null"]));
        assert_eq!(json[0]["fields"][1]["type"], json!(["null", "int"]));
        assert_eq!(json[0]["fields"][2]["type"], json!(["null", "int"]));
        let r = d.set.lookup("n.R").unwrap();
        let crate::NamedKind::Record { fields, .. } = &d.set.get(r).kind else {
            panic!()
        };
        assert_eq!(fields[0].schema.as_option().map(|(null, _)| null), Some(1));
    }

    #[test]
    fn names_are_written_relative_to_the_enclosing_namespace() {
        let d = doc("@namespace(\"a\") protocol P {\n\
             @namespace(\"\") fixed Top(1);\n\
             @namespace(\"b\") enum E { X }\n\
             @namespace(\"\") record R { Top t; b.E e; b.E again; R? next; }\n\
             }");
        let types = &d.protocol_json().unwrap()["types"];
        assert_eq!(types[0]["namespace"], "");
        assert_eq!(types[1]["namespace"], "b");
        let fields = &types[2]["fields"];
        assert_eq!(fields[0]["type"], "Top");
        assert_eq!(fields[1]["type"], "b.E");
        assert_eq!(fields[2]["type"], "b.E");
        assert_eq!(fields[3]["type"], json!(["null", "R"]));
        assert_eq!(types[2]["namespace"], "");
    }

    #[test]
    fn message_parameter_defaults_are_checked_like_field_defaults() {
        let bad = |text: &str| match parse_str("t.avdl", text, &IdlOptions::new()) {
            Err(IdlError::Schema(e)) => e,
            other => panic!("expected an error for {text}, got {other:?}"),
        };
        let e = bad("protocol P {\n  void hello(int times = \"three\");\n}");
        assert_eq!((e.line, e.column), (2, 26), "{e}");
        assert!(
            e.message.contains("parameter \"times\"") && e.message.contains("\"hello\""),
            "{e}"
        );
        let e = bad("protocol P {\n  record R { int a; }\n  void m(R r = {\"b\": 1});\n}");
        assert!(e.message.contains("parameter \"r\""), "{e}");
        // Valid defaults, including a non-null default of `T?` (null goes
        // last, as for fields), a named type and a union's first branch.
        doc("protocol P {\n  enum E { A, B }\n  record R { int a; }\n  \
             void m(int n = 1, string? s = \"x\", E e = \"B\", R r = {\"a\": 2}, \
             union { null, long } u = null, array<int> xs = [1, 2]);\n}");
    }

    #[test]
    fn an_imported_protocols_message_may_define_named_types_inline() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("greet.avpr"),
            r#"{"protocol": "Greet", "namespace": "g", "types": [],
                "messages": {"hello": {
                    "request": [{"name": "who", "type": {"type": "record", "name": "Person",
                        "fields": [{"name": "name", "type": "string"},
                                   {"name": "mood", "type": {"type": "enum", "name": "Mood", "symbols": ["OK"]}}]}}],
                    "response": {"type": "record", "name": "Reply", "namespace": "r",
                        "fields": [{"name": "text", "type": "string"}]}}}}"#,
        )
        .unwrap();
        let d = parse_str(
            dir.path().join("main.avdl"),
            "@namespace(\"m\") protocol M {\n  import protocol \"greet.avpr\";\n  \
             record Visit { g.Person who; r.Reply said; g.Mood mood; }\n}",
            &IdlOptions::new(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for name in ["g.Person", "g.Mood", "r.Reply", "m.Visit"] {
            assert!(d.set.lookup(name).is_some(), "{name} missing");
        }
        let json = d.protocol_json().unwrap();
        let hello = &json["messages"]["hello"];
        assert_eq!(hello["request"][0]["type"], "g.Person", "{hello}");
        assert_eq!(hello["response"], "r.Reply", "{hello}");
    }

    #[test]
    fn errors_from_the_schema_layer_point_into_the_idl_text() {
        let e = parse_str(
            "t.avdl",
            "protocol P {\n  record R {\n    string s = 5;\n  }\n}",
            &IdlOptions::new(),
        )
        .unwrap_err();
        let IdlError::Schema(e) = e else {
            panic!("{e}")
        };
        assert_eq!(
            (e.source_name.as_str(), e.line, e.column),
            ("t.avdl", 3, 16)
        );
        assert!(
            e.pointer.is_empty() && e.message.contains("invalid default"),
            "{e}"
        );
    }
}
