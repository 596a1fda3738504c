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

use crate::registry::{RegistrySettings, Subject, VersionReq};
use crate::toml_read::{Doc, Table, TomlError};
use crate::{Config, Error, ModuleLayout};

/// The file's name.
pub const FILE_NAME: &str = "avro.toml";

/// The configuration file as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileConfig {
    /// Local schemas.
    pub schemas: SchemasSection,
    /// Code generation.
    pub output: OutputSection,
    /// The registry.
    pub registry: Option<RegistrySection>,
    /// Registry subjects, by name.
    pub subjects: BTreeMap<String, SubjectSection>,
    /// Local schemas bound to subjects (the gate).
    pub bind: Vec<BindSection>,
}

/// `[schemas]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemasSection {
    /// Directories walked for schema files.
    pub dirs: Vec<PathBuf>,
    /// Single schema files.
    pub files: Vec<PathBuf>,
    /// IDL import search path.
    pub import_paths: Vec<PathBuf>,
}

/// `[output]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    pub type_attributes: BTreeMap<String, String>,
}

/// `[registry]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionValue {
    /// A number.
    Number(u32),
    /// `"latest"` (or a number as a string).
    Text(String),
}

/// `[subjects.<name>]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindSection {
    /// The local schema file.
    pub schema: PathBuf,
    /// The subject.
    pub subject: String,
}

fn config_error(e: TomlError) -> Error {
    Error::Config {
        what: e.at,
        message: e.message,
    }
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
        let doc = Doc::parse(text, path).map_err(config_error)?;
        FileConfig::read(&doc.root()).map_err(config_error)
    }

    /// Reads `[package.metadata.avro]` of a `Cargo.toml`'s text; `None`
    /// when it has none.
    pub fn parse_cargo_metadata(text: &str, path: &Path) -> Result<Option<FileConfig>, Error> {
        let doc = Doc::parse(text, path).map_err(config_error)?;
        let mut table = doc.root();
        for key in ["package", "metadata", "avro"] {
            match table.table(key).map_err(config_error)? {
                Some(t) => table = t,
                None => return Ok(None),
            }
        }
        FileConfig::read(&table).map(Some).map_err(config_error)
    }

    /// The configuration in `t` (the whole `avro.toml`, or the metadata
    /// table of a `Cargo.toml`).
    fn read(t: &Table<'_, '_>) -> Result<FileConfig, TomlError> {
        t.only(&["schemas", "output", "registry", "subjects", "bind"])?;
        let mut file = FileConfig::default();
        if let Some(s) = t.table("schemas")? {
            s.only(&["dirs", "files", "import_paths"])?;
            file.schemas = SchemasSection {
                dirs: s.paths("dirs")?,
                files: s.paths("files")?,
                import_paths: s.paths("import_paths")?,
            };
        }
        if let Some(o) = t.table("output")? {
            o.only(&[
                "dir",
                "include_file",
                "layout",
                "map_type",
                "serde",
                "json",
                "runtime_crate",
                "type_attributes",
            ])?;
            let mut type_attributes = BTreeMap::new();
            if let Some(attrs) = o.table("type_attributes")? {
                for (matcher, attr) in attrs.entries() {
                    type_attributes.insert(matcher.to_string(), attr.string()?);
                }
            }
            file.output = OutputSection {
                dir: o.path("dir")?,
                include_file: o.string("include_file")?,
                layout: o.string("layout")?,
                map_type: o.string("map_type")?,
                serde: o.bool("serde")?,
                json: o.bool("json")?,
                runtime_crate: o.string("runtime_crate")?,
                type_attributes,
            };
        }
        if let Some(r) = t.table("registry")? {
            r.only(&[
                "url",
                "user_info_env",
                "token_env",
                "ca_pem",
                "timeout_secs",
                "retries",
                "lock_file",
                "cache_dir",
            ])?;
            file.registry = Some(RegistrySection {
                url: r.required_string("url")?,
                user_info_env: r.string("user_info_env")?,
                token_env: r.string("token_env")?,
                ca_pem: r.path("ca_pem")?,
                timeout_secs: r.uint("timeout_secs")?,
                retries: r.uint("retries")?,
                lock_file: r.path("lock_file")?,
                cache_dir: r.path("cache_dir")?,
            });
        }
        if let Some(subjects) = t.table("subjects")? {
            for (name, s) in subjects.entries() {
                let s = s.table()?;
                s.only(&["version", "module", "level", "generate"])?;
                let version = match s.get("version") {
                    None => None,
                    Some(v) if v.is_integer() => Some(VersionValue::Number(v.uint()?)),
                    Some(v) => Some(VersionValue::Text(v.string().map_err(|_| {
                        v.error(format!(
                            "`{}`: expected \"latest\" or a version number",
                            v.name
                        ))
                    })?)),
                };
                file.subjects.insert(
                    name.to_string(),
                    SubjectSection {
                        version,
                        module: s.string("module")?,
                        level: s.string("level")?,
                        generate: s.bool("generate")?,
                    },
                );
            }
        }
        for b in t.tables("bind")? {
            b.only(&["schema", "subject"])?;
            file.bind.push(BindSection {
                schema: PathBuf::from(b.required_string("schema")?),
                subject: b.required_string("subject")?,
            });
        }
        Ok(file)
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

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r##"
[schemas]
dirs = ["schemas"]
files = ["one.avsc"]
import_paths = ["idl"]

[output]
dir = "src/avro"
include_file = "gen.rs"
layout = "flat"
map_type = "::std::collections::BTreeMap"
serde = true
json = false
runtime_crate = "::rt"
type_attributes = { "school.Student" = "#[derive(Eq)]" }

[registry]
url = "http://127.0.0.1:1"
user_info_env = "U"
token_env = "T"
ca_pem = "ca.pem"
timeout_secs = 10
retries = 3
lock_file = "my.lock"
cache_dir = "cache"

[subjects.orders-value]
version = 4
module = "orders"
level = "FULL"
generate = false

[subjects.school-value]
version = "latest"

[[bind]]
schema = "schemas/student.avsc"
subject = "school-value"
"##;

    #[test]
    fn every_key_is_read() {
        let f = FileConfig::parse(FULL, Path::new("avro.toml")).unwrap();
        assert_eq!(f.schemas.dirs, [PathBuf::from("schemas")]);
        assert_eq!(f.schemas.files, [PathBuf::from("one.avsc")]);
        assert_eq!(f.schemas.import_paths, [PathBuf::from("idl")]);
        let o = &f.output;
        assert_eq!(o.dir.as_deref(), Some(Path::new("src/avro")));
        assert_eq!(o.include_file.as_deref(), Some("gen.rs"));
        assert_eq!(o.layout.as_deref(), Some("flat"));
        assert_eq!(o.map_type.as_deref(), Some("::std::collections::BTreeMap"));
        assert_eq!((o.serde, o.json), (Some(true), Some(false)));
        assert_eq!(o.runtime_crate.as_deref(), Some("::rt"));
        assert_eq!(o.type_attributes["school.Student"], "#[derive(Eq)]");
        let r = f.registry.as_ref().unwrap();
        assert_eq!(r.url, "http://127.0.0.1:1");
        assert_eq!(
            (r.user_info_env.as_deref(), r.token_env.as_deref()),
            (Some("U"), Some("T"))
        );
        assert_eq!(r.ca_pem.as_deref(), Some(Path::new("ca.pem")));
        assert_eq!((r.timeout_secs, r.retries), (Some(10), Some(3)));
        assert_eq!(r.lock_file.as_deref(), Some(Path::new("my.lock")));
        assert_eq!(r.cache_dir.as_deref(), Some(Path::new("cache")));
        let orders = &f.subjects["orders-value"];
        assert_eq!(orders.version, Some(VersionValue::Number(4)));
        assert_eq!(orders.module.as_deref(), Some("orders"));
        assert_eq!(orders.level.as_deref(), Some("FULL"));
        assert_eq!(orders.generate, Some(false));
        assert_eq!(
            f.subjects["school-value"].version,
            Some(VersionValue::Text("latest".into()))
        );
        assert_eq!(
            f.bind,
            [BindSection {
                schema: "schemas/student.avsc".into(),
                subject: "school-value".into()
            }]
        );
        assert!(f.to_config(Path::new("/p"), Path::new("avro.toml")).is_ok());

        // The same keys under [package.metadata.avro] of a Cargo.toml.
        let cargo = format!(
            "[package]\nname = \"x\"\n\n{}",
            FULL.replace("\n[[", "\n[[package.metadata.avro.")
                .replace("\n[s", "\n[package.metadata.avro.s")
                .replace("\n[o", "\n[package.metadata.avro.o")
                .replace("\n[r", "\n[package.metadata.avro.r")
        );
        let m = FileConfig::parse_cargo_metadata(&cargo, Path::new("Cargo.toml")).unwrap();
        assert_eq!(m, Some(f));
        let none = FileConfig::parse_cargo_metadata("[package]\nname = \"x\"\n", Path::new("C"));
        assert_eq!(none.unwrap(), None);
    }

    fn error(text: &str) -> String {
        FileConfig::parse(text, Path::new("avro.toml"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn errors_name_the_key_and_where_it_is() {
        assert_eq!(
            error("[output]\nserde = \"yes\"\n"),
            "avro.toml:2:9: `output.serde`: expected a boolean (true or false), found a string"
        );
        assert_eq!(
            error("[schemas]\ndirs = [\"a\", 3]\n"),
            "avro.toml:2:14: `schemas.dirs[1]`: expected a string, found an integer"
        );
        assert_eq!(
            error("[output]\nlayuot = \"flat\"\n"),
            "avro.toml:2:1: unknown key `layuot` in [output]; expected one of: dir, include_file, \
             layout, map_type, serde, json, runtime_crate, type_attributes"
        );
        assert!(error("[registry]\ntimeout_secs = 10\n")
            .starts_with("avro.toml:1:1: missing key `url` in [registry]"));
        assert_eq!(
            error("[subjects.s]\nversion = true\n"),
            "avro.toml:2:11: `subjects.s.version`: expected \"latest\" or a version number"
        );
        assert!(error("[registry]\nurl = \"x\"\nretries = -1\n").starts_with("avro.toml:3:11:"));
        let cargo = "[package.metadata.avro.output]\nbogus = 1\n";
        let e = FileConfig::parse_cargo_metadata(cargo, Path::new("Cargo.toml")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Cargo.toml:2:1: unknown key `bogus`"),
            "{e}"
        );
    }
}
