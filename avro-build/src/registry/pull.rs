//! Pulling (feature `registry`): each configured subject's schema, its
//! history and every schema it references fetched from the registry
//! (avro-registry's client), written into the cache and `avro.lock`.
//!
//! Everything is fetched and checked in memory first; then the new cache
//! files are written (each atomically, under names that never overwrite a
//! file the previous lock names), then the lock (atomically), and only then
//! are files no lock names any more removed. A pull that fails anywhere
//! (the registry gone mid-way, an invalid schema) leaves the previous lock
//! and every file it names untouched.
//!
//! Without `update`, a subject already locked at `latest` stays at its
//! locked version (a pull restores the cache and adds new subjects); with
//! it, it moves to the registry's newest version, as `cargo update` does.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use avro_registry::{blocking::Runner, Client, ClientConfig, ErrorCode, Registry, Version};
use avro_schema::Source;

use super::lock::{
    cache_file_name, crc64_hex, parse_with, Lock, LockedReference, LockedSchema, LockedSubject,
    LOCK_VERSION,
};
use super::{RegistrySettings, VersionReq};
use crate::{write_if_changed, Config, Error};

/// How a pull moves subjects on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PullOptions {
    /// Move subjects at `latest` to the registry's newest version.
    pub update: bool,
}

/// One step of a pull, for progress output.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// 1-based index of the subject being pulled.
    pub index: usize,
    /// How many subjects there are.
    pub total: usize,
    /// The subject.
    pub subject: &'a str,
}

/// A subject after a pull.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulledSubject {
    /// Its name.
    pub name: String,
    /// The version locked now.
    pub version: u32,
    /// Its schema id.
    pub id: u32,
    /// The version the previous lock held, if any.
    pub previous: Option<u32>,
    /// Every version in the history.
    pub history: Vec<u32>,
}

/// What a pull did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullReport {
    /// The lock file.
    pub lock_path: PathBuf,
    /// Whether the lock's content changed.
    pub lock_changed: bool,
    /// Every subject, sorted by name.
    pub subjects: Vec<PulledSubject>,
    /// Cache files written.
    pub written: Vec<PathBuf>,
    /// Cache files removed (no longer named by the lock).
    pub removed: Vec<PathBuf>,
}

fn registry_error(e: avro_registry::Error) -> Error {
    Error::Registry(Box::new(e))
}

/// The avro-registry client configuration for `settings`: credentials read
/// from the environment variables named there, a CA file relative to `base`.
pub fn client_config(settings: &RegistrySettings, base: &Path) -> Result<ClientConfig, Error> {
    let mut c = ClientConfig::new(&settings.url);
    if let Some(var) = &settings.user_info_env {
        let value = std::env::var(var).map_err(|_| Error::Config {
            what: "registry.user_info_env".into(),
            message: format!("environment variable {var} (user:password) is not set"),
        })?;
        let (user, password) = value.split_once(':').ok_or_else(|| Error::Config {
            what: "registry.user_info_env".into(),
            message: format!("environment variable {var} does not hold user:password"),
        })?;
        c = c.basic_auth(user, password);
    }
    if let Some(var) = &settings.token_env {
        let value = std::env::var(var).map_err(|_| Error::Config {
            what: "registry.token_env".into(),
            message: format!("environment variable {var} (a bearer token) is not set"),
        })?;
        c = c.bearer_token(value);
    }
    if let Some(ca) = &settings.ca_pem {
        let path = base.join(ca);
        let pem = fs::read(&path).map_err(|source| Error::Io { path, source })?;
        c = c.ca_pem(pem);
    }
    if let Some(t) = settings.timeout {
        c = c.request_timeout(t);
    }
    if let Some(n) = settings.retries {
        c = c.retries(
            n,
            std::time::Duration::from_millis(200),
            std::time::Duration::from_secs(5),
        );
    }
    Ok(c)
}

impl Config {
    fn client(&self) -> Result<Client, Error> {
        let settings = self.registry.as_ref().ok_or_else(|| Error::Config {
            what: "registry".into(),
            message:
                "no registry URL is configured (Config::registry, or [registry] url in avro.toml)"
                    .into(),
        })?;
        let base = self.project_dir.clone().unwrap_or_default();
        Client::new(client_config(settings, &base)?).map_err(registry_error)
    }

    /// Pulls every configured subject from the configured registry into the
    /// cache and `avro.lock` (see the module documentation); `progress` is
    /// called before each subject.
    pub fn pull(
        &self,
        options: PullOptions,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<PullReport, Error> {
        let client = self.client()?;
        self.pull_from(&client, options, progress)
    }

    /// [`Config::pull`] from any [`Registry`] (a `MockRegistry` in tests).
    /// Not from inside an async runtime (it runs one of its own).
    pub fn pull_from<R: Registry>(
        &self,
        registry: &R,
        options: PullOptions,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<PullReport, Error> {
        let lock_path = self.lock_path();
        let old = Lock::read(&lock_path)?;
        let runner = Runner::new().map_err(registry_error)?;
        let (lock, texts) = runner
            .run(fetch(self, registry, old.as_ref(), options, progress))
            .map_err(registry_error)??;
        self.commit(old.as_ref(), lock, texts)
    }

    /// Writes new cache files, then the lock, then removes stale files.
    fn commit(
        &self,
        old: Option<&Lock>,
        lock: Lock,
        texts: BTreeMap<String, String>,
    ) -> Result<PullReport, Error> {
        let cache = self.cache_path();
        let mut report = PullReport {
            lock_path: self.lock_path(),
            ..PullReport::default()
        };
        for (rel, text) in &texts {
            let path = cache.join(rel);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|source| Error::Io {
                    path: dir.to_owned(),
                    source,
                })?;
            }
            if write_if_changed(&path, text.as_bytes())? {
                report.written.push(path);
            }
        }
        if let Some(dir) = report
            .lock_path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.to_owned(),
                source,
            })?;
        }
        report.lock_changed = write_if_changed(&report.lock_path, lock.to_text().as_bytes())?;
        let keep: BTreeSet<PathBuf> = lock.schemas.iter().map(|e| cache.join(&e.path)).collect();
        report.removed = remove_stale(&cache, &keep);
        report.subjects = lock
            .subjects
            .iter()
            .map(|(name, s)| PulledSubject {
                name: name.clone(),
                version: s.version,
                id: s.id,
                previous: old.and_then(|o| o.subjects.get(name)).map(|o| o.version),
                history: s.history.clone(),
            })
            .collect();
        Ok(report)
    }

    /// The registry's own verdict (`POST /compatibility/subjects/{s}/versions/latest?verbose=true`)
    /// on every bound local schema.
    pub fn check_compatibility_remote(&self) -> Result<Vec<RemoteVerdict>, Error> {
        let client = self.client()?;
        self.check_compatibility_remote_with(&client)
    }

    /// [`Config::check_compatibility_remote`] against any [`Registry`].
    pub fn check_compatibility_remote_with<R: Registry>(
        &self,
        registry: &R,
    ) -> Result<Vec<RemoteVerdict>, Error> {
        let runner = Runner::new().map_err(registry_error)?;
        let mut out = Vec::new();
        for b in &self.bindings {
            let text = fs::read_to_string(&b.file).map_err(|source| Error::Io {
                path: b.file.clone(),
                source,
            })?;
            let schema = avro_registry::Schema::avro(text);
            let verdict = runner
                .run(registry.test_compatibility(&b.subject, Version::Latest, &schema, true))
                .map_err(registry_error)?
                .map_err(registry_error)?;
            out.push(RemoteVerdict {
                file: b.file.clone(),
                subject: b.subject.clone(),
                compatible: verdict.is_compatible,
                messages: verdict.messages,
            });
        }
        Ok(out)
    }
}

/// The registry's verdict on one bound local schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteVerdict {
    /// The local file.
    pub file: PathBuf,
    /// The subject.
    pub subject: String,
    /// Whether the registry would accept it.
    pub compatible: bool,
    /// The registry's reasons.
    pub messages: Vec<String>,
}

/// The schema text as cached: the registry's JSON (keys in its order)
/// laid out as people write `.avsc` files: one line per key of the
/// top-level schema and one per field, so diagnostics underline a field.
fn pretty(text: &str) -> String {
    use serde_json::Value;
    let compact = |v: &Value| serde_json::to_string(v).expect("a JSON value prints");
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return text.to_owned();
    };
    let Value::Object(map) = &value else {
        return compact(&value) + "\n";
    };
    let mut out = String::from("{\n");
    let n = map.len();
    for (i, (k, v)) in map.iter().enumerate() {
        out.push_str(&format!("  {}: ", compact(&Value::String(k.clone()))));
        match v {
            Value::Array(items) if k == "fields" && !items.is_empty() => {
                out.push_str("[\n");
                for (j, f) in items.iter().enumerate() {
                    let comma = if j + 1 < items.len() { "," } else { "" };
                    out.push_str(&format!("    {}{comma}\n", compact(f)));
                }
                out.push_str("  ]");
            }
            other => out.push_str(&compact(other)),
        }
        out.push_str(if i + 1 < n { ",\n" } else { "\n" });
    }
    out.push_str("}\n");
    out
}

struct Fetched {
    id: u32,
    text: String,
    references: Vec<LockedReference>,
}

async fn level_of<R: Registry>(
    registry: &R,
    subject: &str,
) -> Result<String, avro_registry::Error> {
    match registry.compatibility(Some(subject)).await {
        Ok(l) => Ok(l.as_str().to_owned()),
        Err(e)
            if e.code() == Some(ErrorCode::SubjectCompatibilityNotConfigured)
                || e.is_not_found() =>
        {
            Ok(registry.compatibility(None).await?.as_str().to_owned())
        }
        Err(e) => Err(e),
    }
}

async fn fetch_version<R: Registry>(
    registry: &R,
    subject: &str,
    version: Version,
) -> Result<(u32, Fetched), avro_registry::Error> {
    let v = registry.version(subject, version).await?;
    let mut references = Vec::new();
    for r in &v.references {
        let version = if r.version < 1 {
            registry.version(&r.subject, Version::Latest).await?.version
        } else {
            r.version as u32
        };
        references.push(LockedReference {
            name: r.name.clone(),
            subject: r.subject.clone(),
            version,
        });
    }
    Ok((
        v.version,
        Fetched {
            id: v.id,
            text: pretty(&v.schema),
            references,
        },
    ))
}

type Fetch = Result<(Lock, BTreeMap<String, String>), Error>;

/// Everything a pull needs from the registry, in memory.
async fn fetch<R: Registry>(
    config: &Config,
    registry: &R,
    old: Option<&Lock>,
    options: PullOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Fetch {
    let mut lock = Lock {
        lock_version: LOCK_VERSION,
        ..Lock::default()
    };
    let mut fetched: BTreeMap<(String, u32), Fetched> = BTreeMap::new();
    // Versions the registry no longer has, kept from the previous lock.
    let mut kept: Vec<LockedSchema> = Vec::new();
    let total = config.subjects.len();
    let context = |subject: &str, e: avro_registry::Error| Error::Pull {
        subject: subject.to_owned(),
        source: Box::new(e),
    };
    for (i, s) in config.subjects.iter().enumerate() {
        progress(Progress {
            index: i + 1,
            total,
            subject: &s.name,
        });
        let old_subject = old.and_then(|o| o.subjects.get(&s.name));
        let versions = match registry.versions(&s.name).await {
            Ok(v) => v,
            Err(e) if e.is_not_found() => Vec::new(),
            Err(e) => return Err(context(&s.name, e)),
        };
        if versions.is_empty() {
            return Err(Error::SubjectNotFound {
                subject: s.name.clone(),
                url: config
                    .registry
                    .as_ref()
                    .map(|r| r.url.clone())
                    .unwrap_or_default(),
            });
        }
        let newest = *versions.iter().max().expect("not empty");
        let target = match s.version {
            VersionReq::Pinned(n) => {
                if !versions.contains(&n) {
                    return Err(Error::Pull {
                        subject: s.name.clone(),
                        source: format!("version {n} is not on the registry (it has {versions:?})")
                            .into(),
                    });
                }
                n
            }
            VersionReq::Latest => match old_subject {
                Some(o)
                    if !options.update
                        && o.requested == "latest"
                        && versions.contains(&o.version) =>
                {
                    o.version
                }
                _ => newest,
            },
        };
        let mut history: BTreeSet<u32> =
            versions.iter().copied().filter(|v| *v <= target).collect();
        if let Some(o) = old_subject {
            history.extend(o.history.iter().copied().filter(|v| *v <= target));
        }
        for v in &history {
            let key = (s.name.clone(), *v);
            if fetched.contains_key(&key) {
                continue;
            }
            match fetch_version(registry, &s.name, Version::Number(*v)).await {
                Ok((_, f)) => {
                    fetched.insert(key, f);
                }
                Err(e) if e.is_not_found() => {
                    // Deleted on the registry: the previous lock's copy stays in the history.
                    match old.and_then(|o| o.schema(&s.name, *v)) {
                        Some(entry) => kept.push(entry.clone()),
                        None => return Err(context(&s.name, e)),
                    }
                }
                Err(e) => return Err(context(&s.name, e)),
            }
        }
        let level = level_of(registry, &s.name)
            .await
            .map_err(|e| context(&s.name, e))?;
        let id = fetched
            .get(&(s.name.clone(), target))
            .map(|f| f.id)
            .or_else(|| {
                kept.iter()
                    .find(|k| k.subject == s.name && k.version == target)
                    .map(|k| k.id)
            })
            .unwrap_or_default();
        lock.subjects.insert(
            s.name.clone(),
            LockedSubject {
                requested: s.version.as_string(),
                version: target,
                id,
                level,
                history: history.into_iter().collect(),
            },
        );
    }
    // Every referenced schema, recursively.
    let mut pending: Vec<(String, u32)> = fetched
        .values()
        .flat_map(|f| f.references.iter().map(|r| (r.subject.clone(), r.version)))
        .collect();
    while let Some(key) = pending.pop() {
        if fetched.contains_key(&key) {
            continue;
        }
        if fetched.len() > 10_000 {
            return Err(Error::Pull {
                subject: key.0,
                source: "more than 10000 referenced schemas".into(),
            });
        }
        let (_, f) = fetch_version(registry, &key.0, Version::Number(key.1))
            .await
            .map_err(|e| context(&key.0, e))?;
        pending.extend(f.references.iter().map(|r| (r.subject.clone(), r.version)));
        fetched.insert(key, f);
    }
    // Fingerprints, parsed with the references (dependencies first).
    let mut texts = BTreeMap::new();
    for ((subject, version), f) in &fetched {
        let mut deps = Vec::new();
        collect_deps(&fetched, &f.references, &mut BTreeSet::new(), &mut deps, 0)?;
        let name = format!("{subject} v{version}");
        let parsed =
            parse_with(&deps, &Source::new(name.clone(), f.text.clone())).map_err(|e| {
                Error::Pull {
                    subject: subject.clone(),
                    source: format!("{name} is not a valid Avro schema: {e}").into(),
                }
            })?;
        let path = cache_file_name(subject, *version, &f.text);
        texts.insert(path.clone(), f.text.clone());
        lock.schemas.push(LockedSchema {
            subject: subject.clone(),
            version: *version,
            id: f.id,
            path,
            crc64: crc64_hex(parsed.crc64),
            sha256: parsed.sha256,
            references: f.references.clone(),
        });
    }
    lock.schemas.extend(kept);
    lock.schemas
        .sort_by(|a, b| (&a.subject, a.version).cmp(&(&b.subject, b.version)));
    Ok((lock, texts))
}

fn collect_deps(
    fetched: &BTreeMap<(String, u32), Fetched>,
    refs: &[LockedReference],
    seen: &mut BTreeSet<(String, u32)>,
    out: &mut Vec<Source>,
    depth: usize,
) -> Result<(), Error> {
    if depth > 64 {
        return Err(Error::Pull {
            subject: refs.first().map(|r| r.subject.clone()).unwrap_or_default(),
            source: "references nest deeper than 64".into(),
        });
    }
    for r in refs {
        let key = (r.subject.clone(), r.version);
        if !seen.insert(key.clone()) {
            continue;
        }
        let Some(f) = fetched.get(&key) else { continue };
        collect_deps(fetched, &f.references, seen, out, depth + 1)?;
        out.push(Source::new(
            format!("{} v{}", r.subject, r.version),
            f.text.clone(),
        ));
    }
    Ok(())
}

/// Removes the `*.avsc` files under `cache` (one directory per subject)
/// that are not in `keep`, and subject directories left empty.
fn remove_stale(cache: &Path, keep: &BTreeSet<PathBuf>) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(dirs) = fs::read_dir(cache) else {
        return removed;
    };
    for d in dirs.flatten() {
        let dir = d.path();
        if !dir.is_dir() {
            continue;
        }
        let Ok(files) = fs::read_dir(&dir) else {
            continue;
        };
        for f in files.flatten() {
            let p = f.path();
            if p.extension().is_some_and(|e| e == "avsc")
                && !keep.contains(&p)
                && fs::remove_file(&p).is_ok()
            {
                removed.push(p);
            }
        }
        let _ = fs::remove_dir(&dir); // only succeeds when empty
    }
    removed.sort();
    removed
}
