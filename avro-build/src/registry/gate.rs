//! The compatibility gate: each local schema bound to a subject
//! ([`Config::subject_for`]) checked against the subject's locked history
//! at the subject's level with the runtime's own checker
//! ([`avro_runtime::compat`]), as `buf breaking` does for protobuf. Every
//! problem becomes a compiler-style diagnostic: the line of the schema
//! that reads (the local file, or for FORWARD the locked version), a caret,
//! the rule broken and the version it breaks.

use std::path::{Path, PathBuf};

use avro_runtime::compat::{check_schemas, CompatibilityLevel, Direction, Problem, Warning};
use avro_schema::{Detail, Schema as Model, SchemaError, SchemaSet, Severity, Source};

use super::lock::Locked;
use crate::{Config, Error};

/// One incompatibility between a bound local schema and a locked version.
#[derive(Debug, Clone)]
pub struct GateProblem {
    /// The local schema file.
    pub file: PathBuf,
    /// The subject it is bound to.
    pub subject: String,
    /// The level checked.
    pub level: CompatibilityLevel,
    /// The locked version it breaks.
    pub version: u32,
    /// That version's schema id.
    pub id: u32,
    /// What the checker found.
    pub problem: Problem,
    /// The problem as a diagnostic (for [`crate::diagnostics::render`]).
    pub diagnostic: SchemaError,
}

/// What the gate found for every binding.
#[derive(Debug, Clone, Default)]
pub struct GateReport {
    /// Every problem (empty: every bound schema may follow its subject).
    pub problems: Vec<GateProblem>,
    /// Changes that keep data readable but change its meaning, as warnings.
    pub warnings: Vec<SchemaError>,
    /// The texts the diagnostics point into (local files, cached versions).
    pub sources: Vec<Source>,
    /// (file, subject, level, versions checked) for each binding.
    pub checked: Vec<(PathBuf, String, CompatibilityLevel, Vec<u32>)>,
}

impl GateReport {
    /// Whether every bound schema passed.
    pub fn is_compatible(&self) -> bool {
        self.problems.is_empty()
    }

    /// Every problem and warning rendered as compiler diagnostics, and a
    /// summary line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for w in &self.warnings {
            out.push_str(&crate::diagnostics::render(w, &self.sources));
            out.push_str("\n\n");
        }
        for p in &self.problems {
            out.push_str(&crate::diagnostics::render(&p.diagnostic, &self.sources));
            out.push_str("\n\n");
        }
        if !self.problems.is_empty() {
            let mut subjects: Vec<&str> =
                self.problems.iter().map(|p| p.subject.as_str()).collect();
            subjects.dedup();
            out.push_str(&format!(
                "error: {} compatibility problem(s) with the locked history of {}\n",
                self.problems.len(),
                subjects.join(", ")
            ));
        }
        out
    }
}

fn rule(level: CompatibilityLevel, direction: Direction) -> &'static str {
    let transitive = matches!(
        level,
        CompatibilityLevel::BackwardTransitive
            | CompatibilityLevel::ForwardTransitive
            | CompatibilityLevel::FullTransitive
    );
    match (direction, transitive) {
        (Direction::NewReadsPrevious, false) => {
            "the new schema must read data written with the latest locked version"
        }
        (Direction::NewReadsPrevious, true) => {
            "the new schema must read data written with every locked version"
        }
        (Direction::PreviousReadsNew, false) => {
            "the latest locked version must read data written with the new schema"
        }
        (Direction::PreviousReadsNew, true) => {
            "every locked version must read data written with the new schema"
        }
    }
}

/// A diagnostic at `pointer` of `source` (empty pointer: the document).
fn at(source: &Source, pointer: &str, message: String, severity: Severity) -> SchemaError {
    let span = avro_schema::locate_span(&source.text, pointer);
    let (line, column) = avro_schema::locate(&source.text, pointer);
    SchemaError {
        source_name: source.name.clone(),
        line,
        column,
        pointer: pointer.to_owned(),
        message,
        span,
        severity,
        detail: Box::new(Detail::default()),
    }
}

/// The local set and the root of `file` in it: every local `.avsc`
/// loaded together, so a bound schema may use types of other local files.
fn local_schema(config: &Config, file: &Path) -> Result<(SchemaSet, Model, Vec<Source>), Error> {
    if file.extension() != Some(std::ffi::OsStr::new("avsc")) {
        return Err(Error::Config {
            what: file.display().to_string(),
            message: "only .avsc files can be bound to a subject (the gate reads one JSON schema)"
                .into(),
        });
    }
    let mut inputs = config.local_inputs()?;
    inputs.retain(|p| p.extension().is_some_and(|e| e == "avsc" || e == "avpr"));
    if !inputs.iter().any(|p| same_file(p, file)) {
        inputs.push(file.to_owned());
    }
    let mut sources = Vec::new();
    let mut index = None;
    for p in &inputs {
        let text = std::fs::read_to_string(p).map_err(|source| Error::Io {
            path: p.clone(),
            source,
        })?;
        if same_file(p, file) {
            index = Some(sources.len());
        }
        sources.push(Source::new(p.display().to_string(), text));
    }
    let set = SchemaSet::load_all(sources.clone()).map_err(|diagnostics| Error::Schema {
        diagnostics,
        sources: sources.clone(),
    })?;
    let index = index.expect("the bound file is among the inputs");
    let root = set
        .roots
        .iter()
        .rev()
        .find(|r| r.source == index)
        .map(|r| r.schema.clone())
        .ok_or_else(|| Error::Lock {
            problems: vec![format!("{}: defines no schema", file.display())],
            hint: "bind a file that holds the subject's schema".into(),
        })?;
    Ok((set, root, sources))
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (a.canonicalize(), b.canonicalize()),
            (Ok(x), Ok(y)) if x == y
        )
}

/// Checks every binding of `config` against `locked`.
pub fn check(config: &Config, locked: &Locked) -> Result<GateReport, Error> {
    let mut report = GateReport::default();
    for b in &config.bindings {
        let Some(entry) = locked.lock.subjects.get(&b.subject) else {
            return Err(Error::Lock {
                problems: vec![format!(
                    "{} is bound to subject {:?}, which avro.lock does not hold",
                    b.file.display(),
                    b.subject
                )],
                hint: super::PULL_HINT.into(),
            });
        };
        let level = locked.level(config, &b.subject);
        let history: Vec<u32> = entry.history.clone();
        let (set, root, sources) = local_schema(config, &b.file)?;
        let local = sources
            .iter()
            .find(|s| same_file(Path::new(&s.name), &b.file))
            .cloned()
            .expect("the bound file was read");
        let mut previous = Vec::new();
        for v in &history {
            let p = locked.parsed(&b.subject, *v).map_err(|e| Error::Lock {
                problems: vec![e],
                hint: super::PULL_HINT.into(),
            })?;
            previous.push(p);
        }
        let refs: Vec<(&SchemaSet, &Model)> = previous.iter().map(|p| (&p.set, &p.root)).collect();
        let result = check_schemas(level, (&set, &root), &refs);
        let cached = |i: usize| locked.source(&b.subject, history[i]).cloned();
        for problem in result.problems {
            let version = history[problem.version_index];
            let id = locked.lock.schema(&b.subject, version).map_or(0, |e| e.id);
            let reader = match problem.direction {
                Direction::NewReadsPrevious => Some(local.clone()),
                Direction::PreviousReadsNew => cached(problem.version_index),
            };
            let inc = &problem.incompatibility;
            let message = format!(
                "{} breaks {} v{version} (id {id}) under {level}: {}",
                b.file.display(),
                b.subject,
                inc.message
            );
            let mut d = match &reader {
                Some(src) => at(src, &inc.location, message, Severity::Error),
                None => at(&local, "", message, Severity::Error),
            };
            d.detail.label = Some(inc.kind.as_str().to_owned());
            d.detail.note = Some(format!(
                "rule broken: {level}: {} (here: v{version} of {})",
                rule(level, problem.direction),
                b.subject
            ));
            d.detail.help = Some(match problem.direction {
                Direction::NewReadsPrevious => {
                    "keep old data readable: give added or changed fields a default, or keep the old type (a type may only be promoted: int→long→float→double, string↔bytes)".to_owned()
                }
                Direction::PreviousReadsNew => {
                    "keep new data readable by old readers: do not remove a field they need without a default, and do not add a symbol or branch they lack".to_owned()
                }
            });
            if let Some(src) = reader {
                if !report.sources.iter().any(|s| s.name == src.name) {
                    report.sources.push(src);
                }
            }
            report.problems.push(GateProblem {
                file: b.file.clone(),
                subject: b.subject.clone(),
                level,
                version,
                id,
                problem,
                diagnostic: d,
            });
        }
        for w in result.warnings {
            let (d, src) = warning(
                &local,
                cached(w.version_index),
                b,
                history[w.version_index],
                &w,
            );
            if !report.sources.iter().any(|s| s.name == src.name) {
                report.sources.push(src);
            }
            report.warnings.push(d);
        }
        if !report.sources.iter().any(|s| s.name == local.name) {
            report.sources.push(local.clone());
        }
        report
            .checked
            .push((b.file.clone(), b.subject.clone(), level, history));
    }
    Ok(report)
}

fn warning(
    local: &Source,
    cached: Option<Source>,
    b: &super::Binding,
    version: u32,
    w: &Warning,
) -> (SchemaError, Source) {
    let src = match w.direction {
        Direction::NewReadsPrevious => local.clone(),
        Direction::PreviousReadsNew => cached.unwrap_or_else(|| local.clone()),
    };
    let mut d = at(
        &src,
        &w.location,
        format!(
            "{} reads {} v{version} with a changed meaning: {}",
            b.file.display(),
            b.subject,
            w.message
        ),
        Severity::Warning,
    );
    d.detail.label = Some("meaning changed".into());
    (d, src)
}
