//! Schemas from a Schema Registry: the registry settings and subjects a
//! [`Config`] names, and the pieces that use them: [`lock`] (`avro.lock`
//! and the cache of schema files, read by every build without a network),
//! [`gate`] (local schemas checked against a subject's locked history),
//! and, with the `registry` feature, `pull` (the only part that talks to a
//! registry).
//!
//! ```no_run
//! // build.rs: generate types for a registry subject and gate a local schema.
//! avro_build::Config::new()
//!     .schema_dir("schemas")
//!     .registry(avro_build::RegistrySettings::new("https://sr.example.com"))
//!     .subject(avro_build::Subject::latest("orders-value").module("orders"))
//!     .subject_for("schemas/student.avsc", "school-value")
//!     .compile_or_exit();
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use avro_runtime::compat::CompatibilityLevel;

use crate::{Config, Error};

pub mod gate;
pub mod lock;
#[cfg(feature = "registry")]
pub mod pull;

/// The lock file's default name, in the project directory.
pub const LOCK_FILE: &str = "avro.lock";
/// The cache directory's default name, in the project directory.
pub const CACHE_DIR: &str = "avro-cache";
/// The environment variable that makes a build script pull (`1`: pull
/// what is missing or stale; `update`: also move `latest` subjects on).
pub const PULL_ENV: &str = "AVRO_PULL";

/// Where the registry is and how to authenticate. Secrets are never part
/// of the configuration: they are read from environment variables when a
/// pull runs (so a checked-in `avro.toml` holds only the variables' names).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrySettings {
    /// One URL or several, comma-separated (failover).
    pub url: String,
    /// An environment variable holding `user:password` for HTTP basic auth
    /// (Confluent's `basic.auth.user.info`).
    pub user_info_env: Option<String>,
    /// An environment variable holding a bearer token.
    pub token_env: Option<String>,
    /// A PEM file of CA certificates to trust (a private CA).
    pub ca_pem: Option<PathBuf>,
    /// Timeout of each request (the client's default when unset).
    pub timeout: Option<Duration>,
    /// Retries after a connection error, timeout or 5xx (the client's
    /// default when unset).
    pub retries: Option<u32>,
}

impl RegistrySettings {
    /// A registry at `url` (several comma-separated URLs for failover).
    pub fn new(url: impl Into<String>) -> Self {
        RegistrySettings {
            url: url.into(),
            ..RegistrySettings::default()
        }
    }

    /// Basic auth from the environment variable `var` (`user:password`).
    pub fn user_info_env(mut self, var: impl Into<String>) -> Self {
        self.user_info_env = Some(var.into());
        self
    }

    /// A bearer token from the environment variable `var`.
    pub fn token_env(mut self, var: impl Into<String>) -> Self {
        self.token_env = Some(var.into());
        self
    }

    /// Trust the CA certificates in this PEM file.
    pub fn ca_pem(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_pem = Some(path.into());
        self
    }

    /// Timeout of each request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a failed request is retried.
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = Some(retries);
        self
    }
}

/// Which version of a subject to lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionReq {
    /// The newest when first pulled; moved on only by `pull --update`.
    Latest,
    /// Exactly this version.
    Pinned(u32),
}

impl VersionReq {
    /// `latest` or the number, as the lock and `avro.toml` write it.
    pub fn as_string(&self) -> String {
        match self {
            VersionReq::Latest => "latest".to_owned(),
            VersionReq::Pinned(n) => n.to_string(),
        }
    }

    /// Parses `latest` or a version number (from 1).
    pub fn parse(s: &str) -> Result<VersionReq, String> {
        if s.eq_ignore_ascii_case("latest") {
            return Ok(VersionReq::Latest);
        }
        match s.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(VersionReq::Pinned(n)),
            _ => Err(format!(
                "invalid version {s:?}: expected \"latest\" or a version number from 1"
            )),
        }
    }
}

/// A registry subject the project uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// The subject's name (`orders-value`).
    pub name: String,
    /// Which version.
    pub version: VersionReq,
    /// Generate its types inside this Rust module (its namespaces nested
    /// below); without one, its types join the local schemas' modules.
    pub module: Option<String>,
    /// The level the gate checks bound local schemas at, instead of the
    /// subject's level recorded in the lock.
    pub level: Option<CompatibilityLevel>,
    /// Whether Rust types are generated for it (a subject only named by
    /// [`Config::subject_for`] is locked for the gate alone).
    pub generate: bool,
}

impl Subject {
    /// The subject at its latest version, types generated.
    pub fn latest(name: impl Into<String>) -> Self {
        Subject {
            name: name.into(),
            version: VersionReq::Latest,
            module: None,
            level: None,
            generate: true,
        }
    }

    /// The subject pinned at `version`, types generated.
    pub fn pinned(name: impl Into<String>, version: u32) -> Self {
        Subject {
            version: VersionReq::Pinned(version),
            ..Subject::latest(name)
        }
    }

    /// Generate its types inside `pub mod <module>`.
    pub fn module(mut self, module: impl Into<String>) -> Self {
        self.module = Some(module.into());
        self
    }

    /// The gate's level for local schemas bound to it.
    pub fn level(mut self, level: CompatibilityLevel) -> Self {
        self.level = Some(level);
        self
    }

    /// Lock it without generating types (for the gate only).
    pub fn no_codegen(mut self) -> Self {
        self.generate = false;
        self
    }
}

/// A local schema file bound to a subject: the gate checks it against the
/// subject's locked history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The local `.avsc` file.
    pub file: PathBuf,
    /// The subject.
    pub subject: String,
}

impl Config {
    /// The registry subjects are pulled from.
    pub fn registry(&mut self, settings: RegistrySettings) -> &mut Self {
        self.registry = Some(settings);
        self
    }

    /// A registry subject whose locked schema is compiled into Rust types
    /// (like a local file). Adding a subject twice replaces the first.
    pub fn subject(&mut self, subject: Subject) -> &mut Self {
        self.subjects.retain(|s| s.name != subject.name);
        self.subjects.push(subject);
        self
    }

    /// Binds a local schema file to a subject: every build checks it
    /// against the subject's locked history (the compatibility gate). A
    /// subject not otherwise configured is locked for the gate alone.
    pub fn subject_for(&mut self, file: impl AsRef<Path>, subject: impl Into<String>) -> &mut Self {
        let subject = subject.into();
        if !self.subjects.iter().any(|s| s.name == subject) {
            self.subjects.push(Subject::latest(&subject).no_codegen());
        }
        self.bindings.push(Binding {
            file: file.as_ref().to_owned(),
            subject,
        });
        self
    }

    /// The directory `avro.lock` and the cache live in (default: the
    /// current directory, which is the package's in a build script).
    pub fn project_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.project_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// The lock file (default `avro.lock` in the project directory).
    pub fn lock_file(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.lock_file = Some(path.as_ref().to_owned());
        self
    }

    /// The cache directory (default `avro-cache` in the project directory).
    pub fn cache_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.cache_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// The configured subjects (including those only bound to local files).
    pub fn subjects(&self) -> &[Subject] {
        &self.subjects
    }

    /// The local files bound to subjects.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Keeps only the bindings `keep` accepts (the gate of one file).
    pub fn retain_bindings(&mut self, keep: impl FnMut(&Binding) -> bool) -> &mut Self {
        self.bindings.retain(keep);
        self
    }

    /// The registry settings, if any.
    pub fn registry_settings(&self) -> Option<&RegistrySettings> {
        self.registry.as_ref()
    }

    /// Where the lock file is.
    pub fn lock_path(&self) -> PathBuf {
        self.in_project(self.lock_file.as_deref(), LOCK_FILE)
    }

    /// Where the cache directory is.
    pub fn cache_path(&self) -> PathBuf {
        self.in_project(self.cache_dir.as_deref(), CACHE_DIR)
    }

    fn in_project(&self, given: Option<&Path>, default: &str) -> PathBuf {
        let base = self.project_dir.clone().unwrap_or_default();
        match given {
            Some(p) if p.is_absolute() => p.to_owned(),
            Some(p) => base.join(p),
            None => base.join(default),
        }
    }

    /// Whether anything comes from (or is checked against) a registry.
    pub fn uses_registry(&self) -> bool {
        !self.subjects.is_empty()
    }

    /// Reads `avro.lock` and checks it and the cache against this
    /// configuration; no network. See [`lock::Locked`].
    pub fn locked(&self) -> Result<lock::Locked, Error> {
        lock::Locked::load(self)
    }

    /// The compatibility gate as a library call: every bound local schema
    /// checked against its subject's locked history (no network).
    pub fn check_compatibility(&self) -> Result<gate::GateReport, Error> {
        let locked = self.locked()?;
        gate::check(self, &locked)
    }
}

/// What a pull would say to run, for error messages.
pub(crate) const PULL_HINT: &str =
    "run `cargo avro pull` (or `AVRO_PULL=1 cargo build`) with the registry reachable, then commit avro.lock and the cache directory";
