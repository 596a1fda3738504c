//! The mock's store and rules: schemas by id (one id per distinct schema,
//! shared across subjects), subjects with their versions (soft and
//! permanent deletes), compatibility levels checked with the runtime's own
//! [`check`], modes, and Confluent's error codes and messages for every way
//! a request can fail.

use std::collections::BTreeMap;

use avro_runtime::compat::check;
use avro_runtime::schema::Source;

use crate::error::{api, Context, Error, ErrorCode};
use crate::references::{parse_with, ParsedSchema};
use crate::types::{
    CompatibilityLevel, CompatibilityResult, Mode, RegisterRequest, Schema, SchemaReference,
    SubjectVersion, SubjectVersionRef, Version,
};

pub(super) struct Stored {
    pub schema: Schema,
    pub guid: uuid::Uuid,
    /// Self-contained full JSON (references inlined): what compatibility is checked on.
    pub json: String,
    /// Parsing Canonical Form: what `normalize=true` compares.
    pub canonical: String,
}

pub(super) struct Entry {
    pub version: u32,
    pub id: u32,
    pub deleted: bool,
}

#[derive(Default)]
pub(super) struct Subject {
    pub versions: Vec<Entry>,
    pub level: Option<CompatibilityLevel>,
    pub mode: Option<Mode>,
}

impl Subject {
    fn live(&self) -> impl Iterator<Item = &Entry> {
        self.versions.iter().filter(|e| !e.deleted)
    }
}

pub(super) struct State {
    pub schemas: BTreeMap<u32, Stored>,
    pub subjects: BTreeMap<String, Subject>,
    pub level: CompatibilityLevel,
    pub mode: Mode,
}

impl Default for State {
    fn default() -> Self {
        State {
            schemas: BTreeMap::new(),
            subjects: BTreeMap::new(),
            level: CompatibilityLevel::Backward,
            mode: Mode::ReadWrite,
        }
    }
}

/// The mock's request context: the path the HTTP API would use.
pub(super) fn ctx(method: &'static str, path: String) -> Context {
    Context {
        method,
        url: format!("mock://registry{path}"),
        ..Context::default()
    }
}

pub(super) fn ctx_subject(
    method: &'static str,
    path: String,
    subject: &str,
    version: Option<Version>,
) -> Context {
    Context {
        subject: Some(subject.to_owned()),
        version: version.map(|v| v.to_string()),
        ..ctx(method, path)
    }
}

fn subject_not_found(s: &str, c: &Context) -> Error {
    api(
        ErrorCode::SubjectNotFound,
        format!("Subject '{s}' not found."),
        c.clone(),
    )
}

fn version_not_found(v: impl std::fmt::Display, c: &Context) -> Error {
    api(
        ErrorCode::VersionNotFound,
        format!("Version {v} not found."),
        c.clone(),
    )
}

impl State {
    fn subject(&self, s: &str, c: &Context) -> Result<&Subject, Error> {
        match self.subjects.get(s) {
            Some(sub) if sub.live().next().is_some() => Ok(sub),
            _ => Err(subject_not_found(s, c)),
        }
    }

    /// The live entry for `version` of `subject`.
    pub fn entry(&self, s: &str, version: Version, c: &Context) -> Result<&Entry, Error> {
        let sub = self.subject(s, c)?;
        match version {
            Version::Latest => sub.live().last().ok_or_else(|| subject_not_found(s, c)),
            Version::Number(n) => sub
                .live()
                .find(|e| e.version == n)
                .ok_or_else(|| version_not_found(n, c)),
        }
    }

    pub fn subject_version(&self, s: &str, e: &Entry) -> SubjectVersion {
        let stored = &self.schemas[&e.id];
        SubjectVersion {
            subject: s.to_owned(),
            id: e.id,
            version: e.version,
            schema: stored.schema.schema.clone(),
            schema_type: stored.schema.schema_type,
            references: stored.schema.references.clone(),
        }
    }

    pub fn stored(&self, id: u32, c: &Context) -> Result<&Stored, Error> {
        self.schemas.get(&id).ok_or_else(|| {
            api(
                ErrorCode::SchemaNotFound,
                format!("Schema {id} not found"),
                c.clone(),
            )
        })
    }

    /// Parses `schema` with its references, taken from this store.
    pub fn parse(&self, schema: &Schema, c: &Context) -> Result<ParsedSchema, Error> {
        let mut pending: Vec<&SchemaReference> = schema.references.iter().rev().collect();
        let mut seen = std::collections::HashSet::new();
        let mut found = Vec::new();
        while let Some(r) = pending.pop() {
            if !seen.insert((r.subject.clone(), r.version)) {
                continue;
            }
            let v = if r.version < 1 {
                Version::Latest
            } else {
                Version::Number(r.version as u32)
            };
            let e = self.entry(&r.subject, v, c).map_err(|_| {
                api(
                    ErrorCode::InvalidSchema,
                    format!(
                        "Invalid schema: reference {} to subject '{}' version {} not found",
                        r.name, r.subject, r.version
                    ),
                    c.clone(),
                )
            })?;
            let stored = &self.schemas[&e.id];
            pending.extend(stored.schema.references.iter().rev());
            found.push(Source::new(
                format!("{} v{}", r.subject, e.version),
                stored.schema.schema.clone(),
            ));
        }
        found.reverse();
        parse_with(found, schema, "schema").map_err(|e| {
            api(
                ErrorCode::InvalidSchema,
                format!("Invalid schema: {}", e.kind()),
                c.clone(),
            )
        })
    }

    fn level_of(&self, s: &str) -> CompatibilityLevel {
        self.subjects
            .get(s)
            .and_then(|sub| sub.level)
            .unwrap_or(self.level)
    }

    fn mode_of(&self, s: &str) -> Mode {
        match self.mode {
            Mode::ReadOnlyOverride => Mode::ReadOnlyOverride,
            global => self
                .subjects
                .get(s)
                .and_then(|sub| sub.mode)
                .unwrap_or(global),
        }
    }

    /// The live version of `s` holding the same schema, if any.
    fn find(
        &self,
        s: &str,
        parsed: &ParsedSchema,
        schema: &Schema,
        normalize: bool,
        deleted: bool,
    ) -> Option<&Entry> {
        let (json, canonical) = (parsed.to_json(), parsed.canonical_form());
        self.subjects.get(s)?.versions.iter().find(|e| {
            let stored = &self.schemas[&e.id];
            (deleted || !e.deleted)
                && stored.schema.references == schema.references
                && if normalize {
                    stored.canonical == canonical
                } else {
                    stored.json == json
                }
        })
    }

    /// Problems of `parsed` against the versions `level` compares it with.
    fn problems(
        &self,
        s: &str,
        parsed: &ParsedSchema,
        level: CompatibilityLevel,
        against: Option<u32>,
        c: &Context,
    ) -> Result<Vec<String>, Error> {
        let previous: Vec<&str> = match (self.subjects.get(s), against) {
            (Some(sub), None) => sub
                .live()
                .map(|e| self.schemas[&e.id].json.as_str())
                .collect(),
            (Some(sub), Some(v)) => sub
                .live()
                .filter(|e| e.version == v)
                .map(|e| self.schemas[&e.id].json.as_str())
                .collect(),
            (None, _) => Vec::new(),
        };
        let problems = check(level, &parsed.to_json(), &previous).map_err(|e| {
            api(
                ErrorCode::InvalidSchema,
                format!("Invalid schema: {e}"),
                c.clone(),
            )
        })?;
        Ok(problems.iter().map(|p| p.to_string()).collect())
    }

    pub fn register(
        &mut self,
        s: &str,
        req: &RegisterRequest,
        normalize: bool,
        c: &Context,
    ) -> Result<u32, Error> {
        let mode = self.mode_of(s);
        if matches!(mode, Mode::ReadOnly | Mode::ReadOnlyOverride) {
            return Err(api(
                ErrorCode::OperationNotPermitted,
                format!("Subject {s} is in read-only mode"),
                c.clone(),
            ));
        }
        if req.id.is_some() && mode != Mode::Import {
            return Err(api(
                ErrorCode::OperationNotPermitted,
                format!("Subject {s} is not in import mode"),
                c.clone(),
            ));
        }
        let parsed = self.parse(&req.schema, c)?;
        if let Some(e) = self.find(s, &parsed, &req.schema, normalize, false) {
            return match req.id {
                Some(id) if id != e.id => Err(id_mismatch(id, e.id, c)),
                _ => Ok(e.id),
            };
        }
        if mode != Mode::Import {
            // `check` compares with the latest only, or every version for *_TRANSITIVE.
            let problems = self.problems(s, &parsed, self.level_of(s), None, c)?;
            if !problems.is_empty() {
                return Err(api(
                    ErrorCode::IncompatibleSchema,
                    format!(
                        "Schema being registered is incompatible with an earlier schema for subject \"{s}\", details: [{}]",
                        problems.join(", ")
                    ),
                    c.clone(),
                ));
            }
        }
        let (json, canonical) = (parsed.to_json(), parsed.canonical_form());
        let same = self
            .schemas
            .iter()
            .find(|(_, st)| st.json == json && st.schema.references == req.schema.references)
            .map(|(id, _)| *id);
        let id = match (req.id, same) {
            (Some(id), _) => {
                if let Some(st) = self.schemas.get(&id) {
                    if st.json != json {
                        return Err(api(
                            ErrorCode::IdDoesNotMatch,
                            format!("Schema id {id} is already used by another schema"),
                            c.clone(),
                        ));
                    }
                }
                id
            }
            (None, Some(id)) => id,
            (None, None) => self.schemas.keys().next_back().map_or(1, |k| k + 1),
        };
        self.schemas.entry(id).or_insert_with(|| Stored {
            schema: req.schema.clone(),
            guid: uuid::Builder::from_random_bytes(random_bytes()).into_uuid(),
            json,
            canonical,
        });
        let sub = self.subjects.entry(s.to_owned()).or_default();
        let version = req
            .version
            .unwrap_or_else(|| sub.versions.iter().map(|e| e.version).max().unwrap_or(0) + 1);
        sub.versions.push(Entry {
            version,
            id,
            deleted: false,
        });
        sub.versions.sort_by_key(|e| e.version);
        Ok(id)
    }

    pub fn lookup(
        &self,
        s: &str,
        schema: &Schema,
        normalize: bool,
        deleted: bool,
        c: &Context,
    ) -> Result<SubjectVersion, Error> {
        if !self.subjects.contains_key(s) {
            return Err(subject_not_found(s, c));
        }
        let parsed = self.parse(schema, c)?;
        match self.find(s, &parsed, schema, normalize, deleted) {
            Some(e) => Ok(self.subject_version(s, e)),
            None => Err(api(
                ErrorCode::SchemaNotFound,
                "Schema not found",
                c.clone(),
            )),
        }
    }

    pub fn delete_subject(
        &mut self,
        s: &str,
        permanent: bool,
        c: &Context,
    ) -> Result<Vec<u32>, Error> {
        let sub = self
            .subjects
            .get_mut(s)
            .ok_or_else(|| subject_not_found(s, c))?;
        let all_deleted = sub.versions.iter().all(|e| e.deleted);
        if permanent {
            if !all_deleted {
                return Err(api(
                    ErrorCode::SubjectNotSoftDeleted,
                    format!("Subject '{s}' was not deleted first before being permanently deleted"),
                    c.clone(),
                ));
            }
            let sub = self.subjects.remove(s).unwrap_or_default();
            return Ok(sub.versions.iter().map(|e| e.version).collect());
        }
        if all_deleted {
            return Err(api(
                ErrorCode::SubjectSoftDeleted,
                format!("Subject '{s}' was soft deleted.Set permanent=true to delete permanently"),
                c.clone(),
            ));
        }
        let mut versions = Vec::new();
        for e in sub.versions.iter_mut().filter(|e| !e.deleted) {
            e.deleted = true;
            versions.push(e.version);
        }
        Ok(versions)
    }

    pub fn delete_version(
        &mut self,
        s: &str,
        v: Version,
        permanent: bool,
        c: &Context,
    ) -> Result<u32, Error> {
        let sub = self
            .subjects
            .get(s)
            .ok_or_else(|| subject_not_found(s, c))?;
        let n = match v {
            Version::Number(n) => n,
            Version::Latest => sub
                .versions
                .iter()
                .rfind(|e| permanent || !e.deleted)
                .map(|e| e.version)
                .ok_or_else(|| subject_not_found(s, c))?,
        };
        let e = sub
            .versions
            .iter()
            .find(|e| e.version == n)
            .ok_or_else(|| version_not_found(n, c))?;
        match (permanent, e.deleted) {
            (false, true) => {
                return Err(api(
                    ErrorCode::SchemaVersionSoftDeleted,
                    format!("Subject '{s}' Version {n} was soft deleted.Set permanent=true to delete permanently"),
                    c.clone(),
                ))
            }
            (true, false) => {
                return Err(api(
                    ErrorCode::SchemaVersionNotSoftDeleted,
                    format!("Subject '{s}' Version {n} was not deleted first before being permanently deleted"),
                    c.clone(),
                ))
            }
            _ => {}
        }
        if !permanent && !self.referencing(s, n).is_empty() {
            return Err(api(
                ErrorCode::ReferenceExists,
                format!("One or more references exist to the schema {{subject={s},version={n}}}"),
                c.clone(),
            ));
        }
        let sub = self.subjects.get_mut(s).expect("checked above");
        if permanent {
            sub.versions.retain(|e| e.version != n);
        } else if let Some(e) = sub.versions.iter_mut().find(|e| e.version == n) {
            e.deleted = true;
        }
        Ok(n)
    }

    /// Ids of live versions whose schema references version `n` of `s`.
    pub fn referencing(&self, s: &str, n: u32) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .subjects
            .values()
            .flat_map(|sub| sub.live())
            .map(|e| e.id)
            .filter(|id| {
                self.schemas[id]
                    .schema
                    .references
                    .iter()
                    .any(|r| r.subject == s && r.version == n as i32)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    pub fn versions_for_id(&self, id: u32, c: &Context) -> Result<Vec<SubjectVersionRef>, Error> {
        self.stored(id, c)?;
        Ok(self
            .subjects
            .iter()
            .flat_map(|(s, sub)| {
                sub.live()
                    .filter(|e| e.id == id)
                    .map(|e| SubjectVersionRef {
                        subject: s.clone(),
                        version: e.version,
                    })
            })
            .collect())
    }

    pub fn all_versions(&self) -> Vec<SubjectVersion> {
        self.subjects
            .iter()
            .flat_map(|(s, sub)| sub.live().map(move |e| (s, e)))
            .map(|(s, e)| self.subject_version(s, e))
            .collect()
    }

    pub fn test_compatibility(
        &self,
        s: &str,
        v: Version,
        schema: &Schema,
        verbose: bool,
        c: &Context,
    ) -> Result<CompatibilityResult, Error> {
        let parsed = self.parse(schema, c)?;
        let level = self.level_of(s);
        let against = match v {
            Version::Latest if level_is_transitive(level) => {
                self.subject(s, c)?;
                None
            }
            v => Some(self.entry(s, v, c)?.version),
        };
        let messages = self.problems(s, &parsed, level, against, c)?;
        Ok(CompatibilityResult {
            is_compatible: messages.is_empty(),
            messages: if verbose { messages } else { Vec::new() },
        })
    }
}

fn level_is_transitive(level: CompatibilityLevel) -> bool {
    matches!(
        level,
        CompatibilityLevel::BackwardTransitive
            | CompatibilityLevel::ForwardTransitive
            | CompatibilityLevel::FullTransitive
    )
}

fn id_mismatch(given: u32, registered: u32, c: &Context) -> Error {
    api(
        ErrorCode::IdDoesNotMatch,
        format!("Schema already registered with id {registered} instead of input id {given}"),
        c.clone(),
    )
}

fn random_bytes() -> [u8; 16] {
    let mut b = [0u8; 16];
    for x in &mut b {
        *x = fastrand::u8(..);
    }
    b
}
