//! Code generation from the configured schemas: the local files (JSON or
//! IDL) and the registry subjects locked in `avro.lock`, the compatibility
//! gate run first; one group of schemas per Rust module tree (a subject
//! with a module of its own is a group inside `pub mod <module>`).

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use avro_codegen::{Diagnostics, SchemaError, SchemaSet, Source};
use avro_schema::idl::{self, IdlError, IdlOptions};

use crate::{diagnostics, registry, walk, Config, Error, ModuleLayout};

/// Schemas generated together: the local ones (and registry subjects
/// without a module of their own), or one subject inside its module.
pub(crate) struct Group {
    prefix: Option<String>,
    set: SchemaSet,
}

/// Loads sources into one set; every error rendered against them.
pub(crate) fn load_sources(sources: Vec<Source>) -> Result<SchemaSet, Error> {
    SchemaSet::load_all(sources.clone()).map_err(|diagnostics| Error::Schema {
        diagnostics,
        sources,
    })
}

/// What [`Config::generate_all`] produced.
pub(crate) struct Generated {
    pub(crate) files: BTreeMap<String, String>,
    pub(crate) warnings: Vec<String>,
    pub(crate) rendered_warnings: Vec<String>,
    /// Files read beyond the inputs (IDL imports), for `rerun-if-changed`.
    pub(crate) imported: Vec<PathBuf>,
}

impl Config {
    /// The local schema files, sorted, directories walked, the registry
    /// cache left out; empty when there are none.
    pub(crate) fn local_inputs(&self) -> Result<Vec<PathBuf>, Error> {
        let mut out = self.files.clone();
        for d in &self.dirs {
            walk(d, &mut out)?;
        }
        if self.uses_registry() {
            let cache = self.cache_path();
            let cache_abs = cache.canonicalize().ok();
            out.retain(|p| {
                !p.starts_with(&cache)
                    && !cache_abs
                        .as_ref()
                        .is_some_and(|c| p.canonicalize().is_ok_and(|p| p.starts_with(c)))
            });
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The schema files, sorted, directories walked; an error when there
    /// are none and no registry subject generates code either.
    pub(crate) fn inputs(&self) -> Result<Vec<PathBuf>, Error> {
        let out = self.local_inputs()?;
        if out.is_empty() && !self.subjects.iter().any(|s| s.generate) {
            let where_ = self
                .dirs
                .iter()
                .chain(&self.files)
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::NoSchemas(where_));
        }
        Ok(out)
    }

    /// Generates the files' contents without writing anything: file name →
    /// source. Also returns the schema warnings.
    pub fn generate(&self) -> Result<(BTreeMap<String, String>, Vec<String>), Error> {
        self.generate_all().map(|g| (g.files, g.warnings))
    }

    pub(crate) fn generate_all(&self) -> Result<Generated, Error> {
        let inputs = self.inputs()?;
        let mut groups: Vec<Group> = Vec::new();
        let mut warnings = Vec::new();
        let mut rendered = Vec::new();
        let mut imported = Vec::new();
        // Registry subjects: the lock and cache checked, the gate run.
        let mut merged: Vec<Source> = Vec::new();
        let mut known_writers = Vec::new();
        if self.uses_registry() {
            let locked = self.locked()?;
            if !self.bindings.is_empty() {
                let report = registry::gate::check(self, &locked)?;
                if !report.is_compatible() {
                    return Err(Error::Incompatible(Box::new(report)));
                }
                for w in &report.warnings {
                    warnings.push(w.to_string());
                    rendered.push(diagnostics::render(w, &report.sources));
                }
            }
            let lock_error = |e: String| Error::Lock {
                problems: vec![e],
                hint: registry::PULL_HINT.into(),
            };
            for s in self.subjects.iter().filter(|s| s.generate) {
                let version = locked.lock.subjects[&s.name].version;
                let sources = locked.sources(&s.name, version).map_err(lock_error)?;
                known_writers.extend(locked_writers(&locked, &s.name, version, &sources));
                match &s.module {
                    None => {
                        for src in sources {
                            if !merged.iter().any(|m| m.name == src.name) {
                                merged.push(src);
                            }
                        }
                    }
                    Some(module) => {
                        let valid = module
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                            && module
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '_');
                        if !valid {
                            return Err(Error::Config {
                                what: format!("subject {:?}", s.name),
                                message: format!(
                                    "module {module:?} is not a Rust identifier (letters, digits and _, not starting with a digit)"
                                ),
                            });
                        }
                        let set = load_sources(sources)?;
                        warnings.extend(set.warnings.iter().cloned());
                        groups.push(Group {
                            prefix: Some(module.clone()),
                            set,
                        });
                    }
                }
            }
        }
        if inputs
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "avdl"))
        {
            if !merged.is_empty() {
                return Err(Error::Config {
                    what: "registry subjects".into(),
                    message: "with IDL (.avdl) inputs, every subject that generates code needs a module of its own (Subject::module, or `module` in avro.toml)".into(),
                });
            }
            let (set, w, files) = self.load_idl(&inputs)?;
            warnings.extend(w.iter().cloned());
            rendered.extend(w);
            imported = files;
            groups.insert(0, Group { prefix: None, set });
        } else if !inputs.is_empty() || !merged.is_empty() {
            for p in &inputs {
                let text = fs::read_to_string(p).map_err(|source| Error::Io {
                    path: p.clone(),
                    source,
                })?;
                merged.push(Source::new(p.display().to_string(), text));
            }
            let set = load_sources(merged)?;
            warnings.extend(set.warnings.iter().cloned());
            rendered.extend(
                set.diagnostics
                    .iter()
                    .map(|w: &SchemaError| diagnostics::render(w, &set.sources)),
            );
            groups.insert(0, Group { prefix: None, set });
        }
        let mut options = self.options.clone();
        options.known_writers.extend(known_writers);
        self.generate_groups(&groups, &options, warnings, rendered, imported)
    }

    /// Inputs with IDL files: loaded through the IDL reader (imports
    /// followed), which feeds the same schema model. Returns the set, its
    /// warnings and the files read beyond the inputs.
    fn load_idl(
        &self,
        inputs: &[PathBuf],
    ) -> Result<(SchemaSet, Vec<String>, Vec<PathBuf>), Error> {
        let options = IdlOptions {
            search_paths: self.import_paths.clone(),
        };
        let loaded = idl::load_files(inputs, &options).map_err(|e| match e {
            IdlError::Schema(mut e) => {
                // The IDL reader names file, line and column; the caret
                // needs the `.avdl` text and a span in it.
                let sources = diagnostics::place_in_file(&mut e).into_iter().collect();
                Error::Schema {
                    diagnostics: Diagnostics {
                        errors: vec![e],
                        warnings: Vec::new(),
                    },
                    sources,
                }
            }
            IdlError::Io { path, source } => Error::Io { path, source },
        })?;
        let imported = loaded
            .files
            .iter()
            .filter(|p| !inputs.contains(p))
            .cloned()
            .collect();
        Ok((loaded.set, loaded.warnings, imported))
    }

    /// Code for the loaded groups: one file per module (a group with a
    /// prefix has its modules inside `pub mod <prefix>`), and the include
    /// file.
    fn generate_groups(
        &self,
        groups: &[Group],
        options: &avro_codegen::Options,
        warnings: Vec<String>,
        rendered_warnings: Vec<String>,
        imported: Vec<PathBuf>,
    ) -> Result<Generated, Error> {
        let mut modules: BTreeMap<String, String> = BTreeMap::new();
        for g in groups {
            let ir = avro_codegen::ir::Ir::lower_with(&g.set, self.layout == ModuleLayout::Flat)?;
            for (m, src) in avro_codegen::generate(&ir, options)? {
                let key = match (&g.prefix, m.is_empty()) {
                    (None, _) => m,
                    (Some(p), true) => p.clone(),
                    (Some(p), false) => format!("{p}.{m}"),
                };
                if modules.insert(key.clone(), src).is_some() {
                    return Err(Error::Config {
                        what: "registry subjects".into(),
                        message: format!(
                            "two groups of schemas generate module `{key}`: give the subjects distinct modules that no local namespace uses"
                        ),
                    });
                }
            }
        }
        // A prefix must not be the first part of another group's module.
        for g in groups {
            if let Some(p) = &g.prefix {
                let clash = modules.keys().any(|k| {
                    k.split('.').next() == Some(p.as_str())
                        && !groups.iter().any(|o| {
                            o.prefix.as_deref() == Some(p.as_str())
                                && (k == p || k.starts_with(&format!("{p}.")))
                        })
                }) || groups
                    .iter()
                    .filter(|o| o.prefix.as_deref() == Some(p))
                    .count()
                    > 1;
                if clash {
                    return Err(Error::Config {
                        what: "registry subjects".into(),
                        message: format!(
                            "module `{p}` of a registry subject is also a namespace of other schemas (or another subject's module): choose another module name"
                        ),
                    });
                }
            }
        }
        let in_out_dir = self.out_dir.is_none();
        let out_dir = self.out_dir.clone().unwrap_or_default();
        let file_of = avro_codegen::module_file_name;
        let keys: Vec<String> = modules.keys().cloned().collect();
        let tree = avro_codegen::module_tree(&keys, |m| {
            if self.relative_includes {
                format!("{:?}", file_of(m))
            } else if in_out_dir {
                format!("concat!(env!(\"OUT_DIR\"), \"/{}\")", file_of(m))
            } else {
                format!("{:?}", out_dir.join(file_of(m)).display().to_string())
            }
        });
        let mut files: BTreeMap<String, String> = modules
            .into_iter()
            .map(|(m, src)| (file_of(&m), src))
            .collect();
        files.insert(
            self.include_file
                .clone()
                .unwrap_or_else(|| "avro_generated.rs".into()),
            tree,
        );
        Ok(Generated {
            files,
            warnings,
            rendered_warnings,
            imported,
        })
    }
}

/// Every other locked version of `subject` as a known writer of the type
/// its locked `version` generates (issue 13: data written with any locked
/// version is read by a decoder specialized to it, not by walking a plan).
/// Versions the locked one cannot read (a subject at level NONE) and
/// versions with references (a known writer is one self-contained text)
/// are left to the plan-driven decoder.
fn locked_writers(
    locked: &registry::lock::Locked,
    subject: &str,
    version: u32,
    sources: &[Source],
) -> Vec<(String, String)> {
    let Some(reader_text) = sources.last().map(|s| s.text.clone()) else {
        return Vec::new();
    };
    let Ok((set, root)) = SchemaSet::parse_str(&reader_text) else {
        return Vec::new();
    };
    let avro_schema::Schema::Named(id) = root else {
        return Vec::new();
    };
    let reader = set.get(id).name.fullname();
    let Some(entry) = locked.lock.subjects.get(subject) else {
        return Vec::new();
    };
    entry
        .history
        .iter()
        .filter(|&&v| v != version)
        .filter_map(|&v| {
            let srcs = locked.sources(subject, v).ok()?;
            let [only] = srcs.as_slice() else { return None };
            avro_runtime::resolve::resolve_texts(&only.text, &reader_text).ok()?;
            Some((reader.clone(), only.text.clone()))
        })
        .collect()
}
