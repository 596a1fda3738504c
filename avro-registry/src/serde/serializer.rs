//! [`Serializer`]: a typed value → Confluent-framed bytes. The subject comes
//! from the name strategy, the id from the registry (registered, looked up,
//! the latest version, or fixed) once per topic, then from a cache.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::RwLock;

use avro_runtime::{AvroSchema, Encode};

use super::{parse_own, record_name, SerdeError, SubjectNameStrategy};
use crate::references::load_schema;
use crate::registry::Registry;
use crate::types::{RegisterRequest, Schema, Version};

/// Where the serializer's schema id comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdStrategy {
    /// Register the type's schema (Confluent's `auto.register.schemas=true`,
    /// the default); the registry answers with the existing id when it is
    /// already registered.
    AutoRegister {
        /// Ask the registry to normalize the schema first.
        normalize: bool,
    },
    /// Look the schema up (`POST /subjects/{s}`); it must be registered already.
    Lookup {
        /// Compare normalized schemas.
        normalize: bool,
    },
    /// Use the subject's latest version (`use.latest.version=true`). Its
    /// schema must be the type's (same fingerprint): the bytes are written
    /// with the type's schema and must be what the id says.
    UseLatest,
    /// This id, without asking the registry.
    Fixed(u32),
}

impl Default for IdStrategy {
    fn default() -> Self {
        IdStrategy::AutoRegister { normalize: false }
    }
}

/// How a [`Serializer`] names subjects and finds ids.
///
/// A type's schema (`AvroSchema::schema`) is self-contained: it defines
/// every type it uses. A schema registered with references to other
/// subjects is registered through the client ([`Schema::with_references`]);
/// the serializer then finds its id with [`IdStrategy::UseLatest`] (the
/// fingerprint check parses the registered schema with its references) or
/// [`IdStrategy::Fixed`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SerializerConfig {
    /// Keys (`<topic>-key`) or values (`<topic>-value`).
    pub is_key: bool,
    /// How subjects are named.
    pub subject_name: SubjectNameStrategy,
    /// Where the id comes from.
    pub id: IdStrategy,
}

/// Serializes `T` for Kafka: magic byte `0`, the 4-byte big-endian schema
/// id, the Avro body (byte for byte what Confluent's serializer writes).
/// `Send + Sync`; share one per type.
pub struct Serializer<T, R> {
    registry: R,
    config: SerializerConfig,
    record: Option<String>,
    ids: RwLock<HashMap<String, u32>>,
    /// The largest message written so far: the next buffer's capacity, so
    /// encoding never reallocates once warm.
    size_hint: AtomicUsize,
    /// Confluent writes a top-level `"bytes"` value without its length.
    raw_bytes: bool,
    _t: PhantomData<fn(&T)>,
}

impl<T: AvroSchema + Encode, R: Registry> Serializer<T, R> {
    /// A serializer of values (`<topic>-value`, auto-registering).
    pub fn new(registry: R) -> Result<Self, SerdeError> {
        Self::with_config(registry, SerializerConfig::default())
    }

    /// A serializer configured by `config`.
    pub fn with_config(registry: R, config: SerializerConfig) -> Result<Self, SerdeError> {
        let (set, root) = parse_own::<T>()?;
        let record = record_name(&set, &root);
        if config.subject_name != SubjectNameStrategy::TopicName {
            config
                .subject_name
                .subject("", config.is_key, record.as_deref())?;
        }
        Ok(Serializer {
            registry,
            config,
            record,
            ids: RwLock::new(HashMap::new()),
            size_hint: AtomicUsize::new(64),
            raw_bytes: T::canonical_form() == "\"bytes\"",
            _t: PhantomData,
        })
    }

    /// The registry.
    pub fn registry(&self) -> &R {
        &self.registry
    }

    /// How this serializer names subjects and finds ids.
    pub fn config(&self) -> &SerializerConfig {
        &self.config
    }

    /// The subject for `topic`.
    pub fn subject(&self, topic: &str) -> Result<String, SerdeError> {
        self.config
            .subject_name
            .subject(topic, self.config.is_key, self.record.as_deref())
    }

    fn cached(&self, topic: &str) -> Option<u32> {
        self.ids
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(topic)
            .copied()
    }

    /// The schema id for `topic` (asked once, then cached).
    pub async fn schema_id(&self, topic: &str) -> Result<u32, SerdeError> {
        if let IdStrategy::Fixed(id) = self.config.id {
            return Ok(id);
        }
        if let Some(id) = self.cached(topic) {
            return Ok(id);
        }
        let subject = self.subject(topic)?;
        let schema = Schema::of::<T>();
        let id = match self.config.id {
            IdStrategy::Fixed(id) => id,
            IdStrategy::AutoRegister { normalize } => {
                self.registry
                    .register(&subject, &RegisterRequest::from(schema), normalize)
                    .await?
            }
            IdStrategy::Lookup { normalize } => {
                self.registry
                    .lookup(&subject, &schema, normalize, false)
                    .await?
                    .id
            }
            IdStrategy::UseLatest => {
                let latest = self.registry.version(&subject, Version::Latest).await?;
                let what = format!("{subject} v{} (id {})", latest.version, latest.id);
                let parsed = load_schema(&self.registry, &latest.to_schema(), &what).await?;
                if parsed.fingerprint() != T::fingerprint() {
                    return Err(SerdeError::SchemaMismatch(format!(
                        "the latest version of subject {subject:?} (version {}, id {}) is not the schema of the type being written: its canonical form is {} where the type's is {}",
                        latest.version,
                        latest.id,
                        parsed.canonical_form(),
                        T::canonical_form()
                    )));
                }
                latest.id
            }
        };
        self.ids
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(topic.to_owned(), id);
        Ok(id)
    }

    /// Frames and encodes `value` for `topic`.
    pub async fn serialize(&self, topic: &str, value: &T) -> Result<Vec<u8>, SerdeError> {
        // The cached case returns before `schema_id`'s future exists.
        if let Some(framed) = self.serialize_cached(topic, value) {
            return framed;
        }
        let id = self.schema_id(topic).await?;
        self.frame(id, value)
    }

    /// `0x00` + id + body, as `avro_runtime::framing::to_confluent` writes it.
    fn frame(&self, id: u32, value: &T) -> Result<Vec<u8>, SerdeError> {
        let hint = self.size_hint.load(Ordering::Relaxed);
        let mut out = Vec::with_capacity(hint);
        out.push(crate::serde::wire::MAGIC_ID);
        out.extend_from_slice(&id.to_be_bytes());
        value.encode(&mut out)?;
        if self.raw_bytes {
            let mut r = avro_runtime::Reader::new(&out[5..]);
            // The encoder just wrote a valid length.
            let prefix = r.read_len().map(|_| r.position()).unwrap_or(0);
            out.drain(5..5 + prefix);
        }
        if out.len() > hint {
            self.size_hint.store(out.len(), Ordering::Relaxed);
        }
        Ok(out)
    }

    /// [`Serializer::serialize`] without waiting, when the id for `topic` is
    /// cached already (`None` otherwise): the hot path of a producer loop.
    pub fn serialize_cached(&self, topic: &str, value: &T) -> Option<Result<Vec<u8>, SerdeError>> {
        let id = match self.config.id {
            IdStrategy::Fixed(id) => id,
            _ => self.cached(topic)?,
        };
        Some(self.frame(id, value))
    }
}
