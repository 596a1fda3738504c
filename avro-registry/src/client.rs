//! The HTTP [`Client`]: every endpoint of the [`Registry`] trait over the
//! transport, with the caches (id → schema, GUID → schema, (subject,
//! schema) → id, lookups, latest version with a time to live). Cheap to
//! clone; clones share the connection pool and the caches.

use std::sync::Arc;

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use crate::cache::FlightCache;
use crate::config::ClientConfig;
use crate::error::{Error, ErrorKind};
use crate::http::{segment, Request, Transport};
use crate::registry::Registry;
use crate::types::{
    CompatibilityLevel, CompatibilityResult, Mode, RegisterRequest, RegisteredId, Schema,
    SubjectVersion, SubjectVersionRef, Version,
};

/// An async Schema Registry client (`Clone + Send + Sync`; clones share caches).
///
/// ```no_run
/// # async fn run() -> Result<(), avro_registry::Error> {
/// use avro_registry::{Client, ClientConfig, Registry, Version};
/// let client = Client::new(ClientConfig::new("http://localhost:8081").basic_auth("key", "secret"))?;
/// let latest = client.version("orders-value", Version::Latest).await?;
/// println!("{} v{} has id {}", latest.subject, latest.version, latest.id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

type LookupKey = (String, Schema, bool, bool);

struct Inner {
    transport: Transport,
    by_id: FlightCache<u32, Schema>,
    by_guid: FlightCache<String, Schema>,
    ids: FlightCache<(String, RegisterRequest, bool), u32>,
    lookups: FlightCache<LookupKey, SubjectVersion>,
    latest: FlightCache<String, SubjectVersion>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("urls", &self.inner.transport.urls())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `config`. Fails on an invalid configuration (no URL, a
    /// URL that is not http(s), an unreadable CA certificate); it does not
    /// connect yet.
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let cap = config.cache_capacity;
        Ok(Client {
            inner: Arc::new(Inner {
                transport: Transport::new(&config)?,
                by_id: FlightCache::new(cap, None),
                by_guid: FlightCache::new(cap, None),
                ids: FlightCache::new(cap, None),
                lookups: FlightCache::new(cap, None),
                latest: FlightCache::new(cap, config.latest_ttl),
            }),
        })
    }

    /// A client for one URL (or several, comma-separated) with the default settings.
    pub fn from_url(url: &str) -> Result<Client, Error> {
        Client::new(ClientConfig::new(url))
    }

    /// The base URLs, without credentials.
    pub fn urls(&self) -> &[String] {
        self.inner.transport.urls()
    }

    fn t(&self) -> &Transport {
        &self.inner.transport
    }

    /// The schema with this id, if it is cached.
    pub fn cached_schema(&self, id: u32) -> Option<Schema> {
        self.inner.by_id.get(&id)
    }

    /// Forgets the cached answers about `subject` (latest version, ids, lookups).
    pub fn forget_subject(&self, subject: &str) {
        self.inner.latest.retain(|s| s != subject);
        self.inner.ids.retain(|(s, _, _)| s != subject);
        self.inner.lookups.retain(|(s, _, _, _)| s != subject);
    }
}

fn subject_path(subject: &str) -> String {
    format!("/subjects/{}", segment(subject))
}

fn version_path(subject: &str, version: Version) -> String {
    format!("{}/versions/{version}", subject_path(subject))
}

fn config_path(kind: &str, subject: Option<&str>) -> String {
    match subject {
        Some(s) => format!("/{kind}/{}", segment(s)),
        None => format!("/{kind}"),
    }
}

#[derive(Deserialize)]
struct ConfigBody {
    #[serde(rename = "compatibilityLevel", alias = "compatibility")]
    level: String,
}

#[derive(Deserialize)]
struct ModeBody {
    mode: String,
}

impl Client {
    async fn config_request(&self, req: Request<'_>) -> Result<CompatibilityLevel, Error> {
        let (body, ctx): (ConfigBody, _) = self.t().json_ctx(req).await?;
        body.level.parse().map_err(|m| malformed(m, ctx))
    }

    async fn mode_request(&self, req: Request<'_>) -> Result<Mode, Error> {
        let (body, ctx): (ModeBody, _) = self.t().json_ctx(req).await?;
        body.mode.parse().map_err(|m| malformed(m, ctx))
    }
}

fn malformed(reason: String, ctx: crate::error::Context) -> Error {
    Error::new(
        ErrorKind::MalformedBody {
            status: 200,
            reason,
        },
        ctx,
    )
}

impl Registry for Client {
    async fn schema_by_id(&self, id: u32) -> Result<Schema, Error> {
        self.inner
            .by_id
            .get_or_fetch(&id, || {
                self.t()
                    .json(Request::new(Method::GET, format!("/schemas/ids/{id}")).id(id))
            })
            .await
    }

    async fn schema_by_guid(&self, guid: &str) -> Result<Schema, Error> {
        self.inner
            .by_guid
            .get_or_fetch(&guid.to_owned(), || {
                self.t().json(
                    Request::new(Method::GET, format!("/schemas/guids/{}", segment(guid))).id(guid),
                )
            })
            .await
    }

    async fn raw_schema_by_id(&self, id: u32) -> Result<String, Error> {
        self.t()
            .text(Request::new(Method::GET, format!("/schemas/ids/{id}/schema")).id(id))
            .await
    }

    async fn subjects_for_id(&self, id: u32) -> Result<Vec<String>, Error> {
        self.t()
            .json(Request::new(Method::GET, format!("/schemas/ids/{id}/subjects")).id(id))
            .await
    }

    async fn versions_for_id(&self, id: u32) -> Result<Vec<SubjectVersionRef>, Error> {
        self.t()
            .json(Request::new(Method::GET, format!("/schemas/ids/{id}/versions")).id(id))
            .await
    }

    async fn schemas(&self) -> Result<Vec<SubjectVersion>, Error> {
        self.t()
            .json(Request::new(Method::GET, "/schemas".into()))
            .await
    }

    async fn subjects(&self) -> Result<Vec<String>, Error> {
        self.t()
            .json(Request::new(Method::GET, "/subjects".into()))
            .await
    }

    async fn versions(&self, subject: &str) -> Result<Vec<u32>, Error> {
        self.t()
            .json(
                Request::new(Method::GET, format!("{}/versions", subject_path(subject)))
                    .subject(subject),
            )
            .await
    }

    async fn version(&self, subject: &str, version: Version) -> Result<SubjectVersion, Error> {
        let fetch = || {
            self.t().json(
                Request::new(Method::GET, version_path(subject, version))
                    .subject(subject)
                    .version(version),
            )
        };
        match version {
            Version::Latest => {
                self.inner
                    .latest
                    .get_or_fetch(&subject.to_owned(), fetch)
                    .await
            }
            Version::Number(_) => fetch().await,
        }
    }

    async fn raw_schema(&self, subject: &str, version: Version) -> Result<String, Error> {
        self.t()
            .text(
                Request::new(
                    Method::GET,
                    format!("{}/schema", version_path(subject, version)),
                )
                .subject(subject)
                .version(version),
            )
            .await
    }

    async fn referenced_by(&self, subject: &str, version: Version) -> Result<Vec<u32>, Error> {
        self.t()
            .json(
                Request::new(
                    Method::GET,
                    format!("{}/referencedby", version_path(subject, version)),
                )
                .subject(subject)
                .version(version),
            )
            .await
    }

    async fn register(
        &self,
        subject: &str,
        request: &RegisterRequest,
        normalize: bool,
    ) -> Result<u32, Error> {
        let key = (subject.to_owned(), request.clone(), normalize);
        self.inner
            .ids
            .get_or_fetch(&key, || async {
                let mut req =
                    Request::new(Method::POST, format!("{}/versions", subject_path(subject)))
                        .subject(subject)
                        .json(serde_json::to_value(request).unwrap_or_default());
                if normalize {
                    req = req.query("normalize", true);
                }
                let r: RegisteredId = self.t().json(req).await?;
                // What the id names is known now: a consumer in the same
                // process need not ask for it.
                if request.schema.schema_type == crate::types::SchemaType::Avro {
                    self.inner.by_id.insert(r.id, request.schema.clone());
                }
                Ok(r.id)
            })
            .await
    }

    async fn lookup(
        &self,
        subject: &str,
        schema: &Schema,
        normalize: bool,
        deleted: bool,
    ) -> Result<SubjectVersion, Error> {
        let key = (subject.to_owned(), schema.clone(), normalize, deleted);
        self.inner
            .lookups
            .get_or_fetch(&key, || {
                let mut req = Request::new(Method::POST, subject_path(subject))
                    .subject(subject)
                    .json(serde_json::to_value(schema).unwrap_or_default());
                if normalize {
                    req = req.query("normalize", true);
                }
                if deleted {
                    req = req.query("deleted", true);
                }
                self.t().json(req)
            })
            .await
    }

    async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<u32>, Error> {
        let mut req = Request::new(Method::DELETE, subject_path(subject)).subject(subject);
        if permanent {
            req = req.query("permanent", true);
        }
        let r = self.t().json(req).await;
        self.forget_subject(subject);
        r
    }

    async fn delete_version(
        &self,
        subject: &str,
        version: Version,
        permanent: bool,
    ) -> Result<u32, Error> {
        let mut req = Request::new(Method::DELETE, version_path(subject, version))
            .subject(subject)
            .version(version);
        if permanent {
            req = req.query("permanent", true);
        }
        let r = self.t().json(req).await;
        self.forget_subject(subject);
        r
    }

    async fn compatibility(&self, subject: Option<&str>) -> Result<CompatibilityLevel, Error> {
        let mut req = Request::new(Method::GET, config_path("config", subject));
        if let Some(s) = subject {
            req = req.subject(s);
        }
        self.config_request(req).await
    }

    async fn set_compatibility(
        &self,
        subject: Option<&str>,
        level: CompatibilityLevel,
    ) -> Result<CompatibilityLevel, Error> {
        let mut req = Request::new(Method::PUT, config_path("config", subject))
            .json(json!({ "compatibility": level.as_str() }));
        if let Some(s) = subject {
            req = req.subject(s);
        }
        self.config_request(req).await
    }

    async fn delete_compatibility(
        &self,
        subject: Option<&str>,
    ) -> Result<CompatibilityLevel, Error> {
        let mut req = Request::new(Method::DELETE, config_path("config", subject));
        if let Some(s) = subject {
            req = req.subject(s);
        }
        self.config_request(req).await
    }

    async fn mode(&self, subject: Option<&str>) -> Result<Mode, Error> {
        let mut req = Request::new(Method::GET, config_path("mode", subject));
        if let Some(s) = subject {
            req = req.subject(s);
        }
        self.mode_request(req).await
    }

    async fn set_mode(
        &self,
        subject: Option<&str>,
        mode: Mode,
        force: bool,
    ) -> Result<Mode, Error> {
        let mut req = Request::new(Method::PUT, config_path("mode", subject))
            .json(json!({ "mode": mode.as_str() }));
        if let Some(s) = subject {
            req = req.subject(s);
        }
        if force {
            req = req.query("force", true);
        }
        self.mode_request(req).await
    }

    async fn test_compatibility(
        &self,
        subject: &str,
        version: Version,
        schema: &Schema,
        verbose: bool,
    ) -> Result<CompatibilityResult, Error> {
        let mut req = Request::new(
            Method::POST,
            format!("/compatibility{}", version_path(subject, version)),
        )
        .subject(subject)
        .version(version)
        .json(serde_json::to_value(schema).unwrap_or_default());
        if verbose {
            req = req.query("verbose", true);
        }
        self.t().json(req).await
    }
}
