//! The `build.rs` API: a [`Config`] builder over schema files and
//! directories, in the shape of `prost_build::Config`.
//!
//! ```no_run
//! // in build.rs's `fn main()`:
//! avro_build::Config::new()
//!     .schema_dir("schemas")
//!     .compile_or_exit(); // schema errors printed as rustc prints its own, then exit(1)
//! ```
//! and in the crate: `avro_runtime::include_schemas!(pub mod avro);`
//!
//! Schema errors are collected over the whole run (every file, every
//! field, every unknown name) and [`Config::compile_or_exit`] prints them as
//! compiler diagnostics ([`diagnostics`]): the line, a caret under the
//! offending value, `help: did you mean ...?`. [`Config::compile`] returns
//! them instead ([`Error::Schema`]; [`Error::render`] renders them).
//!
//! Every `*.avsc`, `*.avpr` and `*.avdl` (Avro IDL) under the schema
//! directories is loaded into one set (so files may reference each other's
//! named types in any order); IDL imports are found beside the importing
//! file, then on the [`Config::import_path`]s, and a file both listed and
//! imported is read once.
//! Output files are written atomically and only when their content changed,
//! so a no-op rerun touches nothing and cargo rebuilds nothing.
//!
//! Schemas can also come from a Schema Registry ([`registry`]): subjects
//! pulled explicitly (`cargo avro pull`, `Config::pull` with the
//! `registry` feature, or `AVRO_PULL=1 cargo build`) into a checked-in cache
//! and `avro.lock`; every other build reads only those, offline. Local
//! schemas bound to subjects ([`Config::subject_for`]) are checked against
//! the subject's locked history on every build. [`config_file`] reads the
//! same settings from `avro.toml`, which `cargo avro` shares.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use avro_codegen::{CodegenError, Diagnostics, Options, Source};

use generate::Generated;

pub mod config_file;
pub mod diagnostics;
mod generate;
pub mod registry;
mod toml_read;

pub use config_file::FileConfig;
pub use registry::gate::GateReport;
pub use registry::lock::{Lock, Locked};
#[cfg(feature = "registry")]
pub use registry::pull::{Progress, PullOptions, PullReport, PulledSubject, RemoteVerdict};
pub use registry::{Binding, RegistrySettings, Subject, VersionReq};
mod known;

/// Why a build step failed.
#[derive(Debug)]
pub enum Error {
    /// A file or directory could not be read or written.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The schemas are invalid: every error found, one `file:line:col:
    /// message` per line ([`Error::render`] shows them as compiler
    /// diagnostics).
    Schema {
        /// Every error, and the warnings found on the way.
        diagnostics: Diagnostics,
        /// The schema texts the diagnostics point into.
        sources: Vec<Source>,
    },
    /// Valid schemas that cannot become Rust (a name collision, ...).
    Codegen(CodegenError),
    /// The schema directories and files hold no schema.
    NoSchemas(String),
    /// No `out_dir` was given and `OUT_DIR` is not set.
    NoOutDir,
    /// `avro.lock` or the cache does not match the configuration or each
    /// other: every problem, and what to run.
    Lock {
        /// Each problem, one line.
        problems: Vec<String>,
        /// What to run.
        hint: String,
    },
    /// A local schema bound to a subject breaks the subject's locked
    /// history ([`Error::render`] shows each problem as a diagnostic).
    Incompatible(Box<GateReport>),
    /// An invalid configuration (`avro.toml`, registry settings).
    Config {
        /// The file or setting.
        what: String,
        /// What is wrong.
        message: String,
    },
    /// The registry client failed (feature `registry`).
    Registry(Box<dyn std::error::Error + Send + Sync>),
    /// Pulling a subject failed; the previous lock and cache are untouched.
    Pull {
        /// The subject.
        subject: String,
        /// Why.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The registry has no such subject.
    SubjectNotFound {
        /// The subject.
        subject: String,
        /// The registry.
        url: String,
    },
    /// `AVRO_PULL` is set but avro-build was built without `registry`.
    PullUnavailable,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Schema { diagnostics, .. } => write!(f, "{diagnostics}"),
            Error::Codegen(e) => write!(f, "{e}"),
            Error::NoSchemas(dirs) => {
                write!(f, "no schema files (*.avsc, *.avpr, *.avdl) found in {dirs}")
            }
            Error::NoOutDir => f.write_str(
                "OUT_DIR is not set: call out_dir() when not running in a build script",
            ),
            Error::Lock { problems, hint } => {
                write!(f, "{}\nhelp: {hint}", problems.join("\n"))
            }
            Error::Incompatible(report) => write!(f, "{}", render_gate_plain(report)),
            Error::Config { what, message } => write!(f, "{what}: {message}"),
            Error::Registry(e) => write!(f, "{e}"),
            Error::Pull { subject, source } => write!(
                f,
                "pulling subject {subject:?} failed (avro.lock and the cache are unchanged): {source}"
            ),
            Error::SubjectNotFound { subject, url } => write!(
                f,
                "subject {subject:?} does not exist on the registry {url} (or has no versions); avro.lock and the cache are unchanged"
            ),
            Error::PullUnavailable => f.write_str(
                "AVRO_PULL is set, but avro-build was built without its `registry` feature: add `features = [\"registry\"]` to the avro-build build-dependency, or run `cargo avro pull`",
            ),
        }
    }
}

// `Io` and `Pull` have their cause in a field named `source` (thiserror took
// such a field as the source without `#[source]`); `Registry` has none.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Codegen(e) => Some(e),
            Error::Pull { source, .. } => Some(&**source),
            Error::Schema { .. }
            | Error::NoSchemas(_)
            | Error::NoOutDir
            | Error::Lock { .. }
            | Error::Incompatible(_)
            | Error::Config { .. }
            | Error::Registry(_)
            | Error::SubjectNotFound { .. }
            | Error::PullUnavailable => None,
        }
    }
}

impl From<CodegenError> for Error {
    fn from(e: CodegenError) -> Self {
        Error::Codegen(e)
    }
}

fn render_gate_plain(report: &GateReport) -> String {
    report
        .problems
        .iter()
        .map(|p| p.diagnostic.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// The error as a compiler would print it: for invalid schemas, each
    /// error (and warning) with its source line, a caret and a label, `help`
    /// and `note`, then a summary line; otherwise `error: <message>`.
    pub fn render(&self) -> String {
        match self {
            Error::Schema {
                diagnostics,
                sources,
            } => diagnostics::render_all(&diagnostics.errors, &diagnostics.warnings, sources),
            Error::Incompatible(report) => report.render(),
            Error::Lock { problems, hint } => {
                let mut out = String::new();
                for p in problems {
                    out.push_str(&format!("error: {p}\n"));
                }
                out.push_str(&format!("help: {hint}\n"));
                out
            }
            other => format!("error: {other}\n"),
        }
    }
}

/// How Avro namespaces map to Rust modules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ModuleLayout {
    /// One module per namespace component: `com.example.User` → `com::example::User`.
    #[default]
    Nested,
    /// Every type in the including module (names must then be unique across namespaces).
    Flat,
}

/// Builder for generating Rust from Avro schemas.
#[derive(Debug, Clone, Default)]
pub struct Config {
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    include_file: Option<String>,
    layout: ModuleLayout,
    options: Options,
    quiet: bool,
    relative_includes: bool,
    import_paths: Vec<PathBuf>,
    registry: Option<RegistrySettings>,
    subjects: Vec<Subject>,
    bindings: Vec<Binding>,
    project_dir: Option<PathBuf>,
    lock_file: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
}

/// What a run produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Every file the run is responsible for.
    pub files: Vec<PathBuf>,
    /// The subset whose content changed and was written.
    pub written: Vec<PathBuf>,
    /// Warnings about valid but risky schemas, as `file:line:col: message`.
    pub warnings: Vec<String>,
    /// The same warnings as compiler-style diagnostics (source line, caret,
    /// help), one string each.
    pub rendered_warnings: Vec<String>,
}

impl Config {
    /// A configuration with no schemas and the defaults: nested modules,
    /// `HashMap` for maps, no serde, output to `OUT_DIR`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds every `*.avsc` / `*.avpr` / `*.avdl` under `dir` (recursively).
    pub fn schema_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.dirs.push(dir.as_ref().to_owned());
        self
    }

    /// Adds one schema file.
    pub fn schema_file(&mut self, file: impl AsRef<Path>) -> &mut Self {
        self.files.push(file.as_ref().to_owned());
        self
    }

    /// A directory searched for IDL imports not found beside the importing
    /// file (Java's IDL tools look on the class path); searched in the
    /// order added.
    pub fn import_path(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.import_paths.push(dir.as_ref().to_owned());
        self
    }

    /// Where to write (default: `$OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// Name of the file that includes every module (default `avro_generated.rs`).
    pub fn include_file(&mut self, name: impl Into<String>) -> &mut Self {
        self.include_file = Some(name.into());
        self
    }

    /// Map type for Avro maps, e.g. `::std::collections::BTreeMap`.
    pub fn map_type(&mut self, path: impl Into<String>) -> &mut Self {
        self.options.map_type = path.into();
        self
    }

    /// Derive serde `Serialize`/`Deserialize` (needs avro-runtime's `serde` feature).
    pub fn serde(&mut self, on: bool) -> &mut Self {
        self.options.serde = on;
        self
    }

    /// Also generate a borrowed type beside each type that holds strings,
    /// bytes or maps (`EventRef<'a>` beside `Event`, decoded without copying
    /// by `avro_runtime::from_slice_ref`; `to_owned()` gives the owned one).
    pub fn borrowed(&mut self, on: bool) -> &mut Self {
        self.options.borrowed = on;
        self
    }

    /// Write records' impls out in full rather than as invocations of the
    /// runtime's `record!` macro (the same code once expanded; larger
    /// sources that read without `cargo expand`).
    pub fn expand_records(&mut self, on: bool) -> &mut Self {
        self.options.expand_records = on;
        self
    }

    /// Implement `avro_runtime::json::ToAvroJson` (the Avro JSON encoding) on every type.
    pub fn json(&mut self, on: bool) -> &mut Self {
        self.options.json = on;
        self
    }

    /// An attribute for the types whose Avro full name is `matcher`, or that
    /// live in namespace `matcher`, or every type when `matcher` is `.`.
    pub fn type_attribute(
        &mut self,
        matcher: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Self {
        self.options
            .type_attributes
            .push((matcher.into(), attribute.into()));
        self
    }

    /// Path of the runtime crate in generated code (default `::avro_runtime`).
    pub fn runtime_crate(&mut self, path: impl Into<String>) -> &mut Self {
        self.options.runtime_crate = path.into();
        self
    }

    /// How namespaces become modules (default [`ModuleLayout::Nested`]).
    pub fn module_layout(&mut self, layout: ModuleLayout) -> &mut Self {
        self.layout = layout;
        self
    }

    /// The include file names each module file by its bare file name, which
    /// `include!` resolves next to the include file itself: for generated
    /// code checked into a source tree (`cargo avro generate`), which must
    /// not name the directory it was generated in.
    pub fn relative_includes(&mut self, on: bool) -> &mut Self {
        self.relative_includes = on;
        self
    }

    /// Do not print `cargo:` lines (for use outside build scripts).
    pub fn quiet(&mut self, quiet: bool) -> &mut Self {
        self.quiet = quiet;
        self
    }

    /// Generates and writes; prints `cargo:rerun-if-changed` for every input
    /// and `cargo:warning` for every schema warning.
    pub fn compile(&self) -> Result<Outcome, Error> {
        self.compile_printing(false)
    }

    /// [`Config::compile`] for a build script that has nothing to do on
    /// failure but stop: schema warnings are shown as rendered diagnostics
    /// (through `cargo:warning`), and on an error every error is printed to
    /// stderr as a compiler diagnostic and the process exits with status 1
    /// (cargo shows the build script's stderr; no panic message, no
    /// backtrace).
    pub fn compile_or_exit(&self) -> Outcome {
        match self.compile_printing(true) {
            Ok(outcome) => outcome,
            Err(e) => {
                eprint!("{}", e.render());
                std::process::exit(1);
            }
        }
    }

    fn compile_printing(&self, rendered: bool) -> Result<Outcome, Error> {
        if !self.quiet {
            for d in &self.dirs {
                println!("cargo:rerun-if-changed={}", d.display());
            }
            if let Ok(inputs) = self.inputs() {
                for p in inputs {
                    println!("cargo:rerun-if-changed={}", p.display());
                }
            }
            if self.uses_registry() {
                println!("cargo:rerun-if-env-changed={}", registry::PULL_ENV);
                println!("cargo:rerun-if-changed={}", self.lock_path().display());
                println!("cargo:rerun-if-changed={}", self.cache_path().display());
                for b in &self.bindings {
                    println!("cargo:rerun-if-changed={}", b.file.display());
                }
            }
        }
        if self.uses_registry() {
            self.pull_if_asked()?;
            if !self.quiet {
                if let Ok(locked) = self.locked() {
                    for f in locked.files() {
                        println!("cargo:rerun-if-changed={}", f.display());
                    }
                }
            }
        }
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::NoOutDir)?,
        };
        let Generated {
            files,
            warnings,
            rendered_warnings,
            imported,
        } = self.generate_all()?;
        if !self.quiet {
            for p in &imported {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
        fs::create_dir_all(&out_dir).map_err(|source| Error::Io {
            path: out_dir.clone(),
            source,
        })?;
        let mut outcome = Outcome {
            warnings,
            rendered_warnings,
            ..Outcome::default()
        };
        for (name, content) in files {
            let path = out_dir.join(name);
            if write_if_changed(&path, content.as_bytes())? {
                outcome.written.push(path.clone());
            }
            outcome.files.push(path);
        }
        if !self.quiet && rendered {
            // One `cargo:warning` per line: cargo shows each as a line of
            // its own (an empty one would be dropped).
            for w in &outcome.rendered_warnings {
                for line in w.lines() {
                    let line = if line.is_empty() { " " } else { line };
                    println!("cargo:warning={line}");
                }
            }
        } else if !self.quiet {
            for w in &outcome.warnings {
                println!("cargo:warning={w}");
            }
        }
        Ok(outcome)
    }
}

impl Config {
    /// `AVRO_PULL=1` (or `update`) in a build script's environment: pull
    /// before building (feature `registry`).
    fn pull_if_asked(&self) -> Result<(), Error> {
        let asked = std::env::var(registry::PULL_ENV).unwrap_or_default();
        let update = match asked.trim().to_ascii_lowercase().as_str() {
            "" | "0" | "false" | "no" => return Ok(()),
            "update" => true,
            _ => false,
        };
        #[cfg(feature = "registry")]
        {
            let quiet = self.quiet;
            let report = self.pull(PullOptions { update }, &mut |p: Progress<'_>| {
                if !quiet && p.total > 1 {
                    println!(
                        "cargo:warning=avro pull [{}/{}] {}",
                        p.index, p.total, p.subject
                    );
                }
            })?;
            if !self.quiet {
                for s in &report.subjects {
                    if s.previous != Some(s.version) {
                        println!(
                            "cargo:warning=avro pull: {} locked at v{} (id {}){}",
                            s.name,
                            s.version,
                            s.id,
                            s.previous
                                .map(|p| format!(", was v{p}"))
                                .unwrap_or_default()
                        );
                    }
                }
            }
            Ok(())
        }
        #[cfg(not(feature = "registry"))]
        {
            let _ = update;
            Err(Error::PullUnavailable)
        }
    }
}

/// Every `*.avsc` / `*.avpr` / `*.avdl` under `dir` (recursively), sorted.
pub fn schema_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    walk(dir, &mut out)?;
    out.sort();
    Ok(out)
}

pub(crate) fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    for e in entries {
        let e = e.map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
        let p = e.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("avsc" | "avpr" | "avdl")
        ) {
            out.push(p);
        }
    }
    Ok(())
}

/// Writes `content` to `path` unless it already holds exactly that; the write
/// goes to a temporary file in the same directory that is then renamed over
/// the target, so a reader never sees half a file. Returns whether it wrote.
pub fn write_if_changed(path: &Path, content: &[u8]) -> Result<bool, Error> {
    if fs::read(path).is_ok_and(|old| old == content) {
        return Ok(false);
    }
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(content)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STUDENT: &str = r#"{"type":"record","name":"Student","namespace":"school","fields":[{"name":"name","type":"string"},{"name":"class","type":"int"}]}"#;

    #[test]
    fn writes_once_then_nothing_on_a_no_op_rerun() {
        let dir = tempfile::tempdir().unwrap();
        let schemas = dir.path().join("schemas");
        fs::create_dir_all(&schemas).unwrap();
        fs::write(schemas.join("student.avsc"), STUDENT).unwrap();
        let out = dir.path().join("out");
        let mut cfg = Config::new();
        cfg.schema_dir(&schemas).out_dir(&out).quiet(true);
        let first = cfg.compile().unwrap();
        assert_eq!(first.written.len(), 2, "{first:?}");
        assert!(fs::read_to_string(out.join("school.rs"))
            .unwrap()
            .starts_with("// @generated"));
        let second = cfg.compile().unwrap();
        assert!(second.written.is_empty(), "{second:?}");
        assert_eq!(second.files, first.files);
    }

    #[test]
    fn errors_name_the_file_and_position() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("bad.avsc"), "{\"type\": \"record\", \"name\": \"R\",\n \"fields\": [{\"name\": \"x\", \"type\": \"panther\"}]}").unwrap();
        let err = Config::new()
            .schema_dir(dir.path())
            .out_dir(dir.path().join("out"))
            .quiet(true)
            .compile()
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.avsc:2:35"), "{err}");
        assert!(err.contains("unknown type \"panther\""), "{err}");
        assert!(!dir.path().join("out").exists());
    }

    #[test]
    fn relative_includes_name_files_next_to_the_include_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("student.avsc"), STUDENT).unwrap();
        let mut cfg = Config::new();
        cfg.schema_dir(dir.path()).out_dir("src/generated");
        let absolute = cfg.generate().unwrap().0["avro_generated.rs"].clone();
        assert!(
            absolute.contains("include!(\"src/generated/school.rs\")"),
            "{absolute}"
        );
        let relative = cfg.relative_includes(true).generate().unwrap().0;
        assert!(relative["avro_generated.rs"].contains("include!(\"school.rs\")"));
    }

    #[test]
    fn empty_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = Config::new()
            .schema_dir(dir.path())
            .quiet(true)
            .generate()
            .unwrap_err();
        assert!(matches!(err, Error::NoSchemas(_)), "{err}");
    }

    #[test]
    fn idl_files_generate_and_their_imports_are_inputs_too() {
        let dir = tempfile::tempdir().unwrap();
        let schemas = dir.path().join("schemas");
        let shared = dir.path().join("shared");
        fs::create_dir_all(&schemas).unwrap();
        fs::create_dir_all(&shared).unwrap();
        fs::write(
            schemas.join("school.avdl"),
            "@namespace(\"school\")\nprotocol School {\n  import idl \"common.avdl\";\n  record Student { string name; common.Grade grade = \"A\"; }\n}",
        )
        .unwrap();
        fs::write(
            shared.join("common.avdl"),
            "namespace common;\nenum Grade { A, B }",
        )
        .unwrap();
        let mut cfg = Config::new();
        cfg.schema_dir(&schemas)
            .out_dir(dir.path().join("out"))
            .quiet(true);
        let err = cfg.generate().unwrap_err().to_string();
        assert!(
            err.contains("school.avdl:3:14") && err.contains("not found"),
            "{err}"
        );
        cfg.import_path(&shared);
        let Generated {
            files,
            imported: read,
            ..
        } = cfg.generate_all().unwrap();
        assert!(
            files["school.rs"].contains("pub struct Student"),
            "{files:?}"
        );
        assert!(files["common.rs"].contains("pub enum Grade"), "{files:?}");
        assert_eq!(read.len(), 1, "{read:?}");
        assert!(read[0].ends_with("common.avdl"), "{read:?}");
    }

    #[test]
    fn idl_errors_name_the_idl_file_and_position() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("bad.avdl"),
            "protocol P {\n  record R {\n    Adress home;\n  }\n}",
        )
        .unwrap();
        let err = Config::new()
            .schema_dir(dir.path())
            .out_dir(dir.path().join("out"))
            .quiet(true)
            .compile()
            .unwrap_err();
        let rendered = err.render();
        let err = err.to_string();
        assert!(err.contains("bad.avdl:3:5"), "{err}");
        assert!(err.contains("unknown type \"Adress\""), "{err}");
        // Rendered with the .avdl line and a caret under the unknown name
        // only.
        assert!(rendered.contains("3 |     Adress home;"), "{rendered}");
        let caret_line = rendered
            .lines()
            .find(|l| l.contains('^'))
            .unwrap_or_else(|| panic!("no caret in {rendered}"));
        let source_line = rendered
            .lines()
            .find(|l| l.contains("Adress home"))
            .unwrap();
        let caret = caret_line.find('^').unwrap();
        assert_eq!(caret, source_line.find("Adress").unwrap(), "{rendered}");
        assert_eq!(
            caret_line.matches('^').count(),
            "Adress".len(),
            "{rendered}"
        );
    }

    #[test]
    fn tokens_are_found_by_line_and_column() {
        let text = "ab cd\n  \"x y\" z\n";
        let at = |l, c| diagnostics::token_span(text, l, c);
        assert_eq!(at(1, 4), Some(3..5));
        assert_eq!(&text[at(2, 3).unwrap()], "\"x y\"");
        assert_eq!(at(2, 9), Some(14..15));
        assert_eq!(at(2, 40), Some(15..15));
        assert_eq!(at(9, 1), None);
    }
}
