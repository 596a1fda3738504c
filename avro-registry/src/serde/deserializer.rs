//! [`Deserializer`]: framed bytes → a typed value. The writer schema named
//! by the message is fetched once (with its references), resolved against
//! the reader type's schema once, and the plan is cached per id or GUID, so
//! a consumer with a newer type reads old messages at the cost of a map
//! lookup: for the first 8 writers a deserializer meets, a lock-free scan
//! ([`HotSlots`]), for others a hash under a read lock.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, RwLock};

use avro_runtime::resolve::{decode_with_plan, resolve, HotSlots, Plan};
use avro_runtime::schema::{Schema as Model, SchemaSet};
use avro_runtime::{AvroSchema, Decode};

mod reuse;

use super::wire::{self, SchemaRef};
use super::{parse_own, SerdeError};
use crate::error::ErrorKind;
use crate::references::load_schema;
use crate::registry::Registry;

/// Hashes schema ids and GUIDs (a few integers, not attacker-chosen keys
/// worth SipHash: a message can only name ids the registry answered for)
/// with one multiply per word.
#[derive(Default, Clone, Copy)]
struct BuildIdHasher;

#[derive(Default)]
struct IdHasher(u64);

impl std::hash::BuildHasher for BuildIdHasher {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

struct WriterPlan {
    plan: Plan,
    /// Confluent writes a top-level `"bytes"` value without its length.
    raw_bytes: bool,
}

/// Deserializes registry-framed messages into `T`, whatever schema (of the
/// ones `T` can read) they were written with. `Send + Sync`; share one per type.
pub struct Deserializer<T, R> {
    registry: R,
    reader: SchemaSet,
    reader_root: Model,
    plans: RwLock<HashMap<SchemaRef, Arc<WriterPlan>, BuildIdHasher>>,
    /// The first writers met, found without the lock (also in `plans`).
    hot: HotSlots<SchemaRef, Arc<WriterPlan>>,
    _t: PhantomData<fn() -> T>,
}

impl<T: Decode + AvroSchema, R: Registry> Deserializer<T, R> {
    /// A deserializer reading into `T`.
    pub fn new(registry: R) -> Result<Self, SerdeError> {
        let (reader, reader_root) = parse_own::<T>()?;
        Ok(Deserializer {
            registry,
            reader,
            reader_root,
            plans: RwLock::new(HashMap::default()),
            hot: HotSlots::new(),
            _t: PhantomData,
        })
    }

    /// The registry.
    pub fn registry(&self) -> &R {
        &self.registry
    }

    /// Decodes a framed message (`0x00` + id or `0x01` + GUID, then the body).
    pub async fn deserialize(&self, message: &[u8]) -> Result<T, SerdeError> {
        let (schema, body) = wire::split(message)?;
        // The cached case returns before any inner future exists: awaiting
        // `decode` here would build its state machine and move the value
        // out through both levels on every message.
        if let Some(decoded) = self.decode_cached(schema, body) {
            return decoded;
        }
        let plan = self.plan(schema).await?;
        Self::decode_with(&plan, schema, body)
    }

    /// Decodes a message whose schema id may be in a header: with
    /// `schema_header` (the value of `__value_schema_id` or
    /// `__key_schema_id`, see [`wire::find_schema_header`]) the payload is a
    /// bare body; without, it is framed.
    pub async fn deserialize_with_header(
        &self,
        schema_header: Option<&[u8]>,
        payload: &[u8],
    ) -> Result<T, SerdeError> {
        match schema_header {
            Some(h) => self.decode(wire::parse_header(h)?, payload).await,
            None => self.deserialize(payload).await,
        }
    }

    /// Decodes `body`, written with the schema `schema` names.
    pub async fn decode(&self, schema: SchemaRef, body: &[u8]) -> Result<T, SerdeError> {
        if let Some(decoded) = self.decode_cached(schema, body) {
            return decoded;
        }
        let plan = self.plan(schema).await?;
        Self::decode_with(&plan, schema, body)
    }

    /// [`Deserializer::deserialize`] without waiting, when the plan for the
    /// message's writer is cached already (`None` otherwise: call
    /// `deserialize` once for that writer): the hot path of a consumer
    /// loop, as [`Serializer::serialize_cached`](crate::Serializer::serialize_cached)
    /// is of a producer's. A message that is not framed is `Some(Err(..))`.
    pub fn deserialize_cached(&self, message: &[u8]) -> Option<Result<T, SerdeError>> {
        match wire::split(message) {
            Ok((schema, body)) => self.decode_cached(schema, body),
            Err(e) => Some(Err(e)),
        }
    }

    /// Decodes `body` if the plan for `schema` is cached: in the lock-free
    /// slots, else under the read lock (no reference count touched).
    #[inline]
    fn decode_cached(&self, schema: SchemaRef, body: &[u8]) -> Option<Result<T, SerdeError>> {
        if let Some(plan) = self.hot.find(|k| *k == schema) {
            return Some(Self::decode_with(plan, schema, body));
        }
        let plans = self.plans.read().unwrap_or_else(|e| e.into_inner());
        plans
            .get(&schema)
            .map(|plan| Self::decode_with(plan, schema, body))
    }

    fn decode_with(plan: &WriterPlan, schema: SchemaRef, body: &[u8]) -> Result<T, SerdeError> {
        let decoded = if plan.raw_bytes {
            let mut framed = Vec::with_capacity(body.len() + 10);
            avro_runtime::encode::write_bytes(&mut framed, body);
            decode_with_plan::<T>(&plan.plan, &framed)
        } else {
            decode_with_plan::<T>(&plan.plan, body)
        };
        decoded.map_err(|source| SerdeError::Decode {
            schema: schema.to_string(),
            source,
        })
    }

    async fn plan(&self, schema: SchemaRef) -> Result<Arc<WriterPlan>, SerdeError> {
        if let Some(p) = self.hot.find(|k| *k == schema) {
            return Ok(p.clone());
        }
        if let Some(p) = self
            .plans
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&schema)
        {
            return Ok(p.clone());
        }
        let fetched = match schema {
            SchemaRef::Id(id) => self.registry.schema_by_id(id).await,
            SchemaRef::Guid(g) => self.registry.schema_by_guid(&g.to_string()).await,
        };
        let writer = fetched.map_err(|e| match e.kind() {
            ErrorKind::Api { status: 404, .. } => SerdeError::UnknownSchema {
                schema: schema.to_string(),
                source: e,
            },
            _ => SerdeError::Registry(e),
        })?;
        let parsed = load_schema(&self.registry, &writer, &format!("schema {schema}")).await?;
        let plan = resolve(&parsed.set, &parsed.root, &self.reader, &self.reader_root).map_err(
            |errs| SerdeError::Incompatible {
                schema: schema.to_string(),
                reader: T::AVRO_NAME,
                reason: errs
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            },
        )?;
        let raw_bytes = parsed.canonical_form() == "\"bytes\"";
        let plan = Arc::new(WriterPlan { plan, raw_bytes });
        self.plans
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(schema, plan.clone());
        self.hot.offer(schema, plan.clone(), |k| *k == schema);
        Ok(plan)
    }
}
