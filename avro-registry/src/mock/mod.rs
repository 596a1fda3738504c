//! [`MockRegistry`]: an in-memory registry behind the same [`Registry`]
//! trait as the HTTP client, for users' unit tests (what `mock://` is to
//! Confluent's clients). It enforces each subject's compatibility level with
//! the runtime's own checker and answers with Confluent's error codes.

mod state;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::{api, Error, ErrorCode};
use crate::http::segment;
use crate::registry::Registry;
use crate::types::{
    CompatibilityLevel, CompatibilityResult, Mode, RegisterRequest, Schema, SubjectVersion,
    SubjectVersionRef, Version,
};
use state::{ctx, ctx_subject, State};

/// An in-memory Schema Registry. Clones share the same store.
///
/// Identity: a schema registered again under a subject (the same full JSON
/// once parsed, or the same Parsing Canonical Form with `normalize`) gets
/// its existing id and version; the same schema under another subject gets
/// the same id. The default compatibility level is BACKWARD, as Confluent's.
#[derive(Clone, Default)]
pub struct MockRegistry {
    state: Arc<Mutex<State>>,
    calls: Arc<AtomicUsize>,
}

impl std::fmt::Debug for MockRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.lock();
        f.debug_struct("MockRegistry")
            .field("schemas", &s.schemas.len())
            .field("subjects", &s.subjects.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn path_subject(s: &str) -> String {
    format!("/subjects/{}", segment(s))
}

fn path_version(s: &str, v: Version) -> String {
    format!("{}/versions/{v}", path_subject(s))
}

impl MockRegistry {
    /// An empty registry.
    pub fn new() -> MockRegistry {
        MockRegistry::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many requests the registry has answered (to test caching).
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }

    /// The GUID of schema `id` (Confluent's newer framing names schemas by GUID).
    pub fn guid_of(&self, id: u32) -> Option<uuid::Uuid> {
        self.lock().schemas.get(&id).map(|s| s.guid)
    }

    fn config(
        &self,
        kind: &'static str,
        method: &'static str,
        subject: Option<&str>,
    ) -> crate::error::Context {
        match subject {
            Some(s) => ctx_subject(method, format!("/{kind}/{}", segment(s)), s, None),
            None => ctx(method, format!("/{kind}")),
        }
    }
}

impl Registry for MockRegistry {
    async fn schema_by_id(&self, id: u32) -> Result<Schema, Error> {
        let c = ctx("GET", format!("/schemas/ids/{id}"));
        Ok(self.lock().stored(id, &c)?.schema.clone())
    }

    async fn schema_by_guid(&self, guid: &str) -> Result<Schema, Error> {
        let c = ctx("GET", format!("/schemas/guids/{}", segment(guid)));
        let state = self.lock();
        let wanted = uuid::Uuid::parse_str(guid).ok();
        state
            .schemas
            .values()
            .find(|s| Some(s.guid) == wanted)
            .map(|s| s.schema.clone())
            .ok_or_else(|| {
                api(
                    ErrorCode::SchemaNotFound,
                    format!("Schema {guid} not found"),
                    c,
                )
            })
    }

    async fn raw_schema_by_id(&self, id: u32) -> Result<String, Error> {
        let c = ctx("GET", format!("/schemas/ids/{id}/schema"));
        Ok(self.lock().stored(id, &c)?.schema.schema.clone())
    }

    async fn subjects_for_id(&self, id: u32) -> Result<Vec<String>, Error> {
        let c = ctx("GET", format!("/schemas/ids/{id}/subjects"));
        let mut subjects: Vec<String> = self
            .lock()
            .versions_for_id(id, &c)?
            .into_iter()
            .map(|r| r.subject)
            .collect();
        subjects.dedup();
        Ok(subjects)
    }

    async fn versions_for_id(&self, id: u32) -> Result<Vec<SubjectVersionRef>, Error> {
        let c = ctx("GET", format!("/schemas/ids/{id}/versions"));
        self.lock().versions_for_id(id, &c)
    }

    async fn schemas(&self) -> Result<Vec<SubjectVersion>, Error> {
        Ok(self.lock().all_versions())
    }

    async fn subjects(&self) -> Result<Vec<String>, Error> {
        let state = self.lock();
        Ok(state
            .subjects
            .iter()
            .filter(|(_, sub)| sub.versions.iter().any(|e| !e.deleted))
            .map(|(s, _)| s.clone())
            .collect())
    }

    async fn versions(&self, subject: &str) -> Result<Vec<u32>, Error> {
        let c = ctx_subject(
            "GET",
            format!("{}/versions", path_subject(subject)),
            subject,
            None,
        );
        let state = self.lock();
        state.entry(subject, Version::Latest, &c)?;
        Ok(state.subjects[subject]
            .versions
            .iter()
            .filter(|e| !e.deleted)
            .map(|e| e.version)
            .collect())
    }

    async fn version(&self, subject: &str, version: Version) -> Result<SubjectVersion, Error> {
        let c = ctx_subject(
            "GET",
            path_version(subject, version),
            subject,
            Some(version),
        );
        let state = self.lock();
        let e = state.entry(subject, version, &c)?;
        Ok(state.subject_version(subject, e))
    }

    async fn raw_schema(&self, subject: &str, version: Version) -> Result<String, Error> {
        self.version(subject, version).await.map(|v| v.schema)
    }

    async fn referenced_by(&self, subject: &str, version: Version) -> Result<Vec<u32>, Error> {
        let c = ctx_subject(
            "GET",
            format!("{}/referencedby", path_version(subject, version)),
            subject,
            Some(version),
        );
        let state = self.lock();
        let n = state.entry(subject, version, &c)?.version;
        Ok(state.referencing(subject, n))
    }

    async fn register(
        &self,
        subject: &str,
        request: &RegisterRequest,
        normalize: bool,
    ) -> Result<u32, Error> {
        let c = ctx_subject(
            "POST",
            format!("{}/versions", path_subject(subject)),
            subject,
            None,
        );
        self.lock().register(subject, request, normalize, &c)
    }

    async fn lookup(
        &self,
        subject: &str,
        schema: &Schema,
        normalize: bool,
        deleted: bool,
    ) -> Result<SubjectVersion, Error> {
        let c = ctx_subject("POST", path_subject(subject), subject, None);
        self.lock().lookup(subject, schema, normalize, deleted, &c)
    }

    async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<u32>, Error> {
        let c = ctx_subject("DELETE", path_subject(subject), subject, None);
        self.lock().delete_subject(subject, permanent, &c)
    }

    async fn delete_version(
        &self,
        subject: &str,
        version: Version,
        permanent: bool,
    ) -> Result<u32, Error> {
        let c = ctx_subject(
            "DELETE",
            path_version(subject, version),
            subject,
            Some(version),
        );
        self.lock().delete_version(subject, version, permanent, &c)
    }

    async fn compatibility(&self, subject: Option<&str>) -> Result<CompatibilityLevel, Error> {
        let c = self.config("config", "GET", subject);
        let state = self.lock();
        match subject {
            None => Ok(state.level),
            Some(s) => {
                state
                    .subjects
                    .get(s)
                    .and_then(|sub| sub.level)
                    .ok_or_else(|| {
                        api(
                    ErrorCode::SubjectCompatibilityNotConfigured,
                    format!("Subject '{s}' does not have subject-level compatibility configured"),
                    c,
                )
                    })
            }
        }
    }

    async fn set_compatibility(
        &self,
        subject: Option<&str>,
        level: CompatibilityLevel,
    ) -> Result<CompatibilityLevel, Error> {
        let mut state = self.lock();
        match subject {
            None => state.level = level,
            Some(s) => state.subjects.entry(s.to_owned()).or_default().level = Some(level),
        }
        Ok(level)
    }

    async fn delete_compatibility(
        &self,
        subject: Option<&str>,
    ) -> Result<CompatibilityLevel, Error> {
        let c = self.config("config", "DELETE", subject);
        let mut state = self.lock();
        match subject {
            None => Ok(std::mem::replace(
                &mut state.level,
                CompatibilityLevel::Backward,
            )),
            Some(s) => state
                .subjects
                .get_mut(s)
                .and_then(|sub| sub.level.take())
                .ok_or_else(|| {
                    api(
                        ErrorCode::SubjectCompatibilityNotConfigured,
                        format!(
                            "Subject '{s}' does not have subject-level compatibility configured"
                        ),
                        c,
                    )
                }),
        }
    }

    async fn mode(&self, subject: Option<&str>) -> Result<Mode, Error> {
        let c = self.config("mode", "GET", subject);
        let state = self.lock();
        match subject {
            None => Ok(state.mode),
            Some(s) => state
                .subjects
                .get(s)
                .and_then(|sub| sub.mode)
                .ok_or_else(|| {
                    api(
                        ErrorCode::SubjectModeNotConfigured,
                        format!("Subject '{s}' does not have subject-level mode configured"),
                        c,
                    )
                }),
        }
    }

    async fn set_mode(
        &self,
        subject: Option<&str>,
        mode: Mode,
        force: bool,
    ) -> Result<Mode, Error> {
        let c = self.config("mode", "PUT", subject);
        let mut state = self.lock();
        let non_empty = match subject {
            None => !state.schemas.is_empty(),
            Some(s) => state
                .subjects
                .get(s)
                .is_some_and(|sub| !sub.versions.is_empty()),
        };
        if mode == Mode::Import && non_empty && !force {
            return Err(api(
                ErrorCode::OperationNotPermitted,
                "Cannot import since found existing subjects",
                c,
            ));
        }
        match subject {
            None => state.mode = mode,
            Some(s) => state.subjects.entry(s.to_owned()).or_default().mode = Some(mode),
        }
        Ok(mode)
    }

    async fn test_compatibility(
        &self,
        subject: &str,
        version: Version,
        schema: &Schema,
        verbose: bool,
    ) -> Result<CompatibilityResult, Error> {
        let c = ctx_subject(
            "POST",
            format!("/compatibility{}", path_version(subject, version)),
            subject,
            Some(version),
        );
        self.lock()
            .test_compatibility(subject, version, schema, verbose, &c)
    }
}
