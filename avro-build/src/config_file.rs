//! The configuration file build.rs and `cargo avro` share: `avro.toml` next
//! to `Cargo.toml`, or the same keys under `[package.metadata.avro]` in
//! `Cargo.toml` (`avro.toml` wins when both exist). Paths are relative to
//! the file's directory. Every key is optional; unknown keys are errors.
//!
//! ```toml
//! [schemas]
//! dirs = ["schemas"]              # every .avsc/.avpr/.avdl below
//! files = []                      # single files
//! import_paths = []               # where IDL imports are looked up
//!
//! [output]
//! dir = "src/avro"                # `cargo avro generate` without -o (build.rs writes to OUT_DIR)
//! include_file = "avro_generated.rs"
//! layout = "nested"               # or "flat"
//! map_type = "::std::collections::HashMap"
//! serde = false
//! json = false
//! runtime_crate = "::avro_runtime"
//! type_attributes = { "school.Student" = "#[derive(Eq)]" }
//!
//! [registry]
//! url = "https://sr.example.com"  # several, comma-separated: failover
//! user_info_env = "SR_USER_INFO"  # basic auth: the variable holding user:password
//! token_env = "SR_TOKEN"          # or a bearer token's variable
//! ca_pem = "certs/ca.pem"
//! timeout_secs = 10
//! retries = 3
//! lock_file = "avro.lock"
//! cache_dir = "avro-cache"
//!
//! [subjects.orders-value]         # types generated from the locked schema
//! version = "latest"              # or a number
//! module = "orders"               # optional: inside `pub mod orders`
//! level = "FULL"                  # optional: the gate's level instead of the registry's
//! generate = true
//!
//! [[bind]]                        # the compatibility gate
//! schema = "schemas/student.avsc"
//! subject = "school-value"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use avro_runtime::compat::CompatibilityLevel;
use serde::Deserialize;

use crate::registry::{RegistrySettings, Subject, VersionReq};
use crate::{Config, Error, ModuleLayout};

/// The file's name.
pub const FILE_NAME: &str = "avro.toml";

/// The configuration file as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Local schemas.
    #[serde(default)]
    pub schemas: SchemasSection,
    /// Code generation.
    #[serde(default)]
    pub output: OutputSection,
    /// The registry.
    pub registry: Option<RegistrySection>,
    /// Registry subjects, by name.
    #[serde(default)]
    pub subjects: BTreeMap<String, SubjectSection>,
    /// Local schemas bound to subjects (the gate).
    #[serde(default)]
    pub bind: Vec<BindSection>,
}

/// `[schemas]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemasSection {
    /// Directories walked for schema files.
    #[serde(default)]
    pub dirs: Vec<PathBuf>,
    /// Single schema files.
    #[serde(default)]
    pub files: Vec<PathBuf>,
    /// IDL import search path.
    #[serde(default)]
    pub import_paths: Vec<PathBuf>,
}

/// `[output]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    /// Where `cargo avro generate` writes by default.
    pub dir: Option<PathBuf>,
    /// The include file's name.
    pub include_file: Option<String>,
    /// `nested` or `flat`.
    pub layout: Option<String>,
    /// Map type.
    pub map_type: Option<String>,
    /// serde derives.
    pub serde: Option<bool>,
    /// `ToAvroJson` impls.
    pub json: Option<bool>,
    /// Runtime crate path.
    pub runtime_crate: Option<String>,
    /// Matcher → attribute.
    #[serde(default)]
    pub type_attributes: BTreeMap<String, String>,
}

/// `[registry]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrySection {
    /// URL(s).
    pub url: String,
    /// Variable holding `user:password`.
    pub user_info_env: Option<String>,
    /// Variable holding a bearer token.
    pub token_env: Option<String>,
    /// CA certificates (PEM).
    pub ca_pem: Option<PathBuf>,
    /// Request timeout in seconds.
    pub timeout_secs: Option<u64>,
    /// Retries.
    pub retries: Option<u32>,
    /// The lock file.
    pub lock_file: Option<PathBuf>,
    /// The cache directory.
    pub cache_dir: Option<PathBuf>,
}

/// A version: `"latest"` or a number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum VersionValue {
    /// A number.
    Number(u32),
    /// `"latest"` (or a number as a string).
    Text(String),
}

/// `[subjects.<name>]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectSection {
    /// Version (default `latest`).
    pub version: Option<VersionValue>,
    /// Module name.
    pub module: Option<String>,
    /// The gate's level.
    pub level: Option<String>,
    /// Generate types (default true).
    pub generate: Option<bool>,
}

/// `[[bind]]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BindSection {
    /// The local schema file.
    pub schema: PathBuf,
    /// The subject.
    pub subject: String,
}

fn bad(path: &Path, message: String) -> Error {
    Error::Config {
        what: path.display().to_string(),
        message,
    }
}

impl FileConfig {
    /// Parses `avro.toml` text (`path` names it in errors).
    pub fn parse(text: &str, path: &Path) -> Result<FileConfig, Error> {
        toml::from_str(text).map_err(|e| bad(path, e.to_string()))
    }

    /// Reads `[package.metadata.avro]` of a `Cargo.toml`'s text; `None`
    /// when it has none.
    pub fn parse_cargo_metadata(text: &str, path: &Path) -> Result<Option<FileConfig>, Error> {
        let doc: toml::Table = toml::from_str(text).map_err(|e| bad(path, e.to_string()))?;
        let Some(avro) = doc
            .get("package")
            .and_then(|p| p.get("metadata"))
            .and_then(|m| m.get("avro"))
        else {
            return Ok(None);
        };
        avro.clone()
            .try_into()
            .map(Some)
            .map_err(|e: toml::de::Error| bad(path, format!("[package.metadata.avro]: {e}")))
    }

    /// The configuration as a [`Config`], paths joined to `base`.
    pub fn to_config(&self, base: &Path, path: &Path) -> Result<Config, Error> {
        let mut c = Config::new();
        let join = |p: &Path| {
            if p.is_absolute() {
                p.to_owned()
            } else {
                base.join(p)
            }
        };
        c.project_dir(base);
        for d in &self.schemas.dirs {
            c.schema_dir(join(d));
        }
        for f in &self.schemas.files {
            c.schema_file(join(f));
        }
        for i in &self.schemas.import_paths {
            c.import_path(join(i));
        }
        let o = &self.output;
        if let Some(f) = &o.include_file {
            c.include_file(f);
        }
        match o.layout.as_deref() {
            None | Some("nested") => {}
            Some("flat") => {
                c.module_layout(ModuleLayout::Flat);
            }
            Some(other) => {
                return Err(bad(
                    path,
                    format!("output.layout = {other:?}: expected \"nested\" or \"flat\""),
                ))
            }
        }
        if let Some(m) = &o.map_type {
            c.map_type(m);
        }
        if let Some(s) = o.serde {
            c.serde(s);
        }
        if let Some(j) = o.json {
            c.json(j);
        }
        if let Some(r) = &o.runtime_crate {
            c.runtime_crate(r);
        }
        for (m, a) in &o.type_attributes {
            c.type_attribute(m, a);
        }
        if let Some(r) = &self.registry {
            let mut s = RegistrySettings::new(&r.url);
            s.user_info_env = r.user_info_env.clone();
            s.token_env = r.token_env.clone();
            s.ca_pem = r.ca_pem.as_deref().map(join);
            s.timeout = r.timeout_secs.map(Duration::from_secs);
            s.retries = r.retries;
            c.registry(s);
            if let Some(l) = &r.lock_file {
                c.lock_file(l);
            }
            if let Some(d) = &r.cache_dir {
                c.cache_dir(d);
            }
        }
        for (name, s) in &self.subjects {
            let version = match &s.version {
                None => VersionReq::Latest,
                Some(VersionValue::Number(n)) if *n >= 1 => VersionReq::Pinned(*n),
                Some(VersionValue::Number(n)) => {
                    return Err(bad(
                        path,
                        format!("subjects.{name}.version = {n}: versions start at 1"),
                    ))
                }
                Some(VersionValue::Text(t)) => VersionReq::parse(t)
                    .map_err(|e| bad(path, format!("subjects.{name}.version: {e}")))?,
            };
            let level = match &s.level {
                None => None,
                Some(l) => Some(
                    l.parse::<CompatibilityLevel>()
                        .map_err(|e| bad(path, format!("subjects.{name}.level: {e}")))?,
                ),
            };
            c.subject(Subject {
                name: name.clone(),
                version,
                module: s.module.clone(),
                level,
                generate: s.generate.unwrap_or(true),
            });
        }
        for b in &self.bind {
            c.subject_for(join(&b.schema), &b.subject);
        }
        if !self.subjects.is_empty() && self.registry.is_none() {
            return Err(bad(
                path,
                "[subjects] are configured but [registry] (its url) is missing".into(),
            ));
        }
        Ok(c)
    }
}

impl Config {
    /// The configuration in `path`: an `avro.toml`, or a `Cargo.toml` with
    /// `[package.metadata.avro]` (see [`crate::config_file`]).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Config, Error> {
        let path = path.as_ref();
        let (file, _) = read_file_config(path)?
            .ok_or_else(|| bad(path, "has no [package.metadata.avro] table".into()))?;
        let base = path.parent().unwrap_or(Path::new(""));
        file.to_config(base, path)
    }

    /// The configuration of the project in `dir`: `dir/avro.toml`, else
    /// `[package.metadata.avro]` of `dir/Cargo.toml`; `None` when neither
    /// exists.
    pub fn from_project(dir: impl AsRef<Path>) -> Result<Option<(Config, FileConfig)>, Error> {
        let dir = dir.as_ref();
        for name in [FILE_NAME, "Cargo.toml"] {
            let path = dir.join(name);
            if !path.is_file() {
                continue;
            }
            if let Some((file, _)) = read_file_config(&path)? {
                let config = file.to_config(dir, &path)?;
                return Ok(Some((config, file)));
            }
        }
        Ok(None)
    }
}

/// Reads `avro.toml` or `Cargo.toml`'s metadata table at `path`.
fn read_file_config(path: &Path) -> Result<Option<(FileConfig, PathBuf)>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let file = if path.file_name().is_some_and(|n| n == "Cargo.toml") {
        FileConfig::parse_cargo_metadata(&text, path)?
    } else {
        Some(FileConfig::parse(&text, path)?)
    };
    Ok(file.map(|f| (f, path.to_owned())))
}
