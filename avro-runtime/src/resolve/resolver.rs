//! [`Resolver`]: one reader type, plans cached per writer schema.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{decode_with_plan, resolve, Plan, ResolveError, ResolvedDecodeError};
use crate::schema::{Schema, SchemaSet};
use crate::{AvroSchema, Decode};

#[derive(Default)]
struct PlanCache {
    by_fingerprint: HashMap<u64, Arc<Plan>>,
    by_text: HashMap<String, Arc<Plan>>,
}

/// Reads data written with other schemas into `T`: one plan per writer
/// schema, cached by the writer's fingerprint.
pub struct Resolver<T> {
    plans: Mutex<PlanCache>,
    reader: SchemaSet,
    reader_root: Schema,
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<T: Decode + AvroSchema> Default for Resolver<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Decode + AvroSchema> Resolver<T> {
    pub fn new() -> Self {
        let (reader, reader_root) = SchemaSet::parse_str(T::schema()).unwrap_or_else(|e| {
            panic!(
                "the generated schema of {} does not parse: {e}",
                T::AVRO_NAME
            )
        });
        Resolver {
            plans: Mutex::new(PlanCache::default()),
            reader,
            reader_root,
            _t: std::marker::PhantomData,
        }
    }

    /// The plan for a writer schema (computed on first use, then cached).
    /// A schema text seen before is found without parsing it again; a new
    /// text with a known fingerprint reuses that plan.
    pub fn plan_for(&self, writer_schema: &str) -> Result<Arc<Plan>, ResolveError> {
        if let Some(p) = self.lock().by_text.get(writer_schema) {
            return Ok(p.clone());
        }
        let (wset, w) = SchemaSet::parse_str(writer_schema)
            .map_err(|e| ResolveError::Schema(format!("writer schema: {e}")))?;
        let fp = wset.fingerprint(&w);
        let known = self.lock().by_fingerprint.get(&fp).cloned();
        let plan = match known {
            Some(p) => p,
            None => Arc::new(
                resolve(&wset, &w, &self.reader, &self.reader_root)
                    .map_err(ResolveError::Incompatible)?,
            ),
        };
        let mut cache = self.lock();
        cache.by_fingerprint.insert(fp, plan.clone());
        cache.by_text.insert(writer_schema.to_owned(), plan.clone());
        Ok(plan)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PlanCache> {
        self.plans.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Decodes `bytes`, written with `writer_schema`, as `T`.
    pub fn decode(&self, writer_schema: &str, bytes: &[u8]) -> Result<T, ResolvedDecodeError> {
        let plan = self.plan_for(writer_schema)?;
        Ok(decode_with_plan(&plan, bytes)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DecodeError, Reader};

    struct V2;
    impl AvroSchema for V2 {
        const FINGERPRINT: u64 = 0;
        fn schema() -> &'static str {
            r#"{"type":"record","name":"S","fields":[{"name":"class","type":"long"}]}"#
        }
        fn canonical_form() -> &'static str {
            unimplemented!("not used by Resolver")
        }
    }
    impl Decode for V2 {
        fn decode(_: &mut Reader<'_>) -> Result<Self, DecodeError> {
            Ok(V2)
        }
    }
    #[test]
    fn plans_are_cached_by_text_and_by_fingerprint() {
        let resolver = Resolver::<V2>::new();
        let v1 = r#"{"type":"record","name":"S","fields":[{"name":"class","type":"int"}]}"#;
        let same_schema_other_text = r#"{"type": "record", "name": "S", "doc": "x", "fields": [{"name": "class", "type": "int"}]}"#;
        let a = resolver.plan_for(v1).unwrap();
        let b = resolver.plan_for(v1).unwrap();
        let c = resolver.plan_for(same_schema_other_text).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(Arc::ptr_eq(&a, &c));
        assert!(matches!(
            resolver.plan_for("{"),
            Err(ResolveError::Schema(_))
        ));
    }
}
