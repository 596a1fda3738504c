//! [`Resolver`]: one reader type, plans cached per writer schema (by text,
//! registry id or fingerprint, each cache bounded), and [`WriterHandle`].
//!
//! Per message, a writer named by id or by text is first looked for in
//! lock-free slots ([`HotSlots`]), then in the bounded caches behind one
//! mutex: the common case costs a short scan, not a lock, a hash and two
//! reference-count updates. For the 7-byte `student` record that was the
//! difference between 1.2x and 1.1x of a plain decode.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{
    decode_with_plan, decode_with_plan_as, resolve_for_decoding, HotSlots, Plan, ResolveError,
    ResolvedDecodeError,
};
use crate::schema::{Schema, SchemaSet};
use crate::{AvroSchema, Decode, DecodeError};

/// A map that keeps at most `cap` entries, dropping the least recently used.
struct Lru<K, V> {
    map: HashMap<K, (V, u64)>,
    tick: u64,
    cap: usize,
}

impl<K: std::hash::Hash + Eq + Clone, V: Clone> Lru<K, V> {
    fn new(cap: usize) -> Self {
        Lru {
            map: HashMap::new(),
            tick: 0,
            cap: cap.max(1),
        }
    }

    fn get<Q>(&mut self, k: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.tick += 1;
        let tick = self.tick;
        self.map.get_mut(k).map(|(v, used)| {
            *used = tick;
            v.clone()
        })
    }

    fn insert(&mut self, k: K, v: V) {
        self.tick += 1;
        if self.map.len() >= self.cap && !self.map.contains_key(&k) {
            // Eviction scans the map: it happens once per new writer past
            // the cap, not per message.
            if let Some(oldest) = self
                .map
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            {
                self.map.remove(&oldest);
            }
        }
        self.map.insert(k, (v, self.tick));
    }

    fn len(&self) -> usize {
        self.map.len()
    }
}

struct PlanCache {
    by_fingerprint: Lru<u64, Arc<Plan>>,
    by_text: Lru<String, Arc<Plan>>,
    by_id: Lru<u64, Arc<Plan>>,
}

impl PlanCache {
    fn new(cap: usize) -> Self {
        PlanCache {
            by_fingerprint: Lru::new(cap),
            by_text: Lru::new(cap),
            by_id: Lru::new(cap),
        }
    }
}

/// Reads data written with other schemas into `T`: one plan per writer
/// schema. Three ways to name the writer, fastest first:
///
/// * [`Resolver::writer`] once per writer schema gives a [`WriterHandle`]
///   that holds the plan: no lookup per message at all;
/// * [`Resolver::decode_with_id`] looks the plan up by a registry's schema
///   id, asking for the schema text only the first time an id is seen: for
///   the first 8 ids a resolver meets, a lock-free scan of 8 slots; for
///   others, one integer hash under a mutex;
/// * [`Resolver::decode`] takes the writer schema's text, which it compares
///   with the first 8 texts met (a length check and a `memcmp`) or else
///   hashes, per message (convenient; slower for large schemas).
///
/// Plans are shared between texts and ids with the same fingerprint. Each
/// cache keeps at most [`Resolver::DEFAULT_CAPACITY`] writers (or the
/// capacity given to [`Resolver::with_capacity`]), dropping the least
/// recently used, so a stream of distinct writer schemas cannot grow memory
/// without bound.
pub struct Resolver<T> {
    plans: Mutex<PlanCache>,
    hot_ids: HotSlots<u64, Arc<Plan>>,
    hot_texts: HotSlots<Box<str>, Arc<Plan>>,
    reader: SchemaSet,
    reader_root: Schema,
    _t: std::marker::PhantomData<fn() -> T>,
}

/// The plan for one writer schema, from [`Resolver::writer`].
pub struct WriterHandle<T> {
    plan: Arc<Plan>,
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for WriterHandle<T> {
    fn clone(&self) -> Self {
        WriterHandle {
            plan: self.plan.clone(),
            _t: std::marker::PhantomData,
        }
    }
}

impl<T: Decode> WriterHandle<T> {
    /// Decodes `bytes`, written with this handle's writer schema, as `T`.
    #[inline]
    pub fn decode(&self, bytes: &[u8]) -> Result<T, DecodeError> {
        decode_with_plan(&self.plan, bytes)
    }

    /// The plan.
    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }
}

impl<T: Decode + AvroSchema> Default for Resolver<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Decode + AvroSchema> Resolver<T> {
    /// Writers each cache keeps by default.
    pub const DEFAULT_CAPACITY: usize = 1024;

    /// A resolver with [`Resolver::DEFAULT_CAPACITY`].
    pub fn new() -> Self {
        Self::with_capacity(Self::DEFAULT_CAPACITY)
    }

    /// A resolver whose caches keep at most `capacity` writers each.
    pub fn with_capacity(capacity: usize) -> Self {
        let (reader, reader_root) = SchemaSet::parse_str(T::schema()).unwrap_or_else(|e| {
            panic!(
                "the generated schema of {} does not parse: {e}",
                T::AVRO_NAME
            )
        });
        Resolver {
            plans: Mutex::new(PlanCache::new(capacity)),
            hot_ids: HotSlots::new(),
            hot_texts: HotSlots::new(),
            reader,
            reader_root,
            _t: std::marker::PhantomData,
        }
    }

    /// Parses and plans a writer schema, sharing a plan already made for the
    /// same fingerprint.
    fn make_plan(&self, writer_schema: &str) -> Result<Arc<Plan>, ResolveError> {
        let (wset, w) = SchemaSet::parse_str(writer_schema)
            .map_err(|e| ResolveError::Schema(format!("writer schema: {e}")))?;
        let fp = wset.fingerprint(&w);
        if let Some(p) = self.lock().by_fingerprint.get(&fp) {
            return Ok(p);
        }
        let plan = Arc::new(
            resolve_for_decoding(&wset, &w, &self.reader, &self.reader_root)
                .map_err(ResolveError::Incompatible)?,
        );
        self.lock().by_fingerprint.insert(fp, plan.clone());
        Ok(plan)
    }

    /// The plan for a writer schema (computed on first use, then cached).
    /// A schema text seen before is found without parsing it again; a new
    /// text with a known fingerprint reuses that plan.
    pub fn plan_for(&self, writer_schema: &str) -> Result<Arc<Plan>, ResolveError> {
        match self.hot_texts.find(|k| **k == *writer_schema) {
            Some(p) => Ok(p.clone()),
            None => self.plan_for_unslotted(writer_schema),
        }
    }

    /// [`Resolver::plan_for`] past the lock-free slots: the LRU cache, or a
    /// new plan, which also takes a free slot.
    fn plan_for_unslotted(&self, writer_schema: &str) -> Result<Arc<Plan>, ResolveError> {
        if let Some(p) = self.lock().by_text.get(writer_schema) {
            return Ok(p);
        }
        let plan = self.make_plan(writer_schema)?;
        self.lock()
            .by_text
            .insert(writer_schema.to_owned(), plan.clone());
        self.hot_texts
            .offer(writer_schema.into(), plan.clone(), |k| {
                **k == *writer_schema
            });
        Ok(plan)
    }

    /// The plan for the writer schema a registry knows by `id`; `schema` is
    /// called only when the id is not cached.
    pub fn plan_for_id<S: AsRef<str>>(
        &self,
        id: u64,
        schema: impl FnOnce() -> S,
    ) -> Result<Arc<Plan>, ResolveError> {
        match self.hot_ids.find(|k| *k == id) {
            Some(p) => Ok(p.clone()),
            None => self.plan_for_id_unslotted(id, schema),
        }
    }

    /// [`Resolver::plan_for_id`] past the lock-free slots: the LRU cache, or
    /// a new plan, which also takes a free slot.
    fn plan_for_id_unslotted<S: AsRef<str>>(
        &self,
        id: u64,
        schema: impl FnOnce() -> S,
    ) -> Result<Arc<Plan>, ResolveError> {
        if let Some(p) = self.lock().by_id.get(&id) {
            return Ok(p);
        }
        let plan = self.make_plan(schema().as_ref())?;
        self.lock().by_id.insert(id, plan.clone());
        self.hot_ids.offer(id, plan.clone(), |k| *k == id);
        Ok(plan)
    }

    /// A handle for one writer schema: keep it and decode every message of
    /// that writer with it, with no lookup per message.
    pub fn writer(&self, writer_schema: &str) -> Result<WriterHandle<T>, ResolveError> {
        Ok(WriterHandle {
            plan: self.make_plan(writer_schema)?,
            _t: std::marker::PhantomData,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PlanCache> {
        self.plans.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writers cached by text, by id and by fingerprint.
    pub fn cached(&self) -> (usize, usize, usize) {
        let c = self.lock();
        (c.by_text.len(), c.by_id.len(), c.by_fingerprint.len())
    }

    /// Decodes `bytes`, written with `writer_schema`, as `T`.
    #[inline]
    pub fn decode(&self, writer_schema: &str, bytes: &[u8]) -> Result<T, ResolvedDecodeError> {
        match self.hot_texts.find(|k| **k == *writer_schema) {
            Some(plan) => decode_with_plan_as(plan, bytes),
            None => self.decode_slow(writer_schema, bytes),
        }
    }

    /// [`Resolver::decode`] for a text not in the lock-free slots (kept out
    /// of line, so the slot path inlines into the caller).
    #[inline(never)]
    fn decode_slow(&self, writer_schema: &str, bytes: &[u8]) -> Result<T, ResolvedDecodeError> {
        let plan = self.plan_for_unslotted(writer_schema)?;
        Ok(decode_with_plan(&plan, bytes)?)
    }

    /// Decodes `bytes`, written with the schema a registry knows by `id`
    /// (`schema` gives its text, called only the first time), as `T`.
    #[inline]
    pub fn decode_with_id<S: AsRef<str>>(
        &self,
        id: u64,
        schema: impl FnOnce() -> S,
        bytes: &[u8],
    ) -> Result<T, ResolvedDecodeError> {
        match self.hot_ids.find(|k| *k == id) {
            Some(plan) => decode_with_plan_as(plan, bytes),
            None => self.decode_with_id_slow(id, schema, bytes),
        }
    }

    /// [`Resolver::decode_with_id`] for an id not in the lock-free slots.
    #[inline(never)]
    fn decode_with_id_slow<S: AsRef<str>>(
        &self,
        id: u64,
        schema: impl FnOnce() -> S,
        bytes: &[u8],
    ) -> Result<T, ResolvedDecodeError> {
        let plan = self.plan_for_id_unslotted(id, schema)?;
        Ok(decode_with_plan(&plan, bytes)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::HOT_SLOTS;
    use crate::{DecodeError, Reader};

    /// The reader schema of the test types: record `S` with `class: long`.
    macro_rules! reader_s {
        ($t:ty) => {
            impl AvroSchema for $t {
                fn schema() -> &'static str {
                    r#"{"type":"record","name":"S","fields":[{"name":"class","type":"long"}]}"#
                }
                fn canonical_form() -> &'static str {
                    unimplemented!("not used by Resolver")
                }
            }
        };
    }

    struct V2;
    reader_s!(V2);
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
        // By id: the schema is asked for once.
        let mut asked = 0;
        let d = resolver
            .plan_for_id(7, || {
                asked += 1;
                v1
            })
            .unwrap();
        let e = resolver
            .plan_for_id(7, || -> &str { unreachable!() })
            .unwrap();
        assert_eq!(asked, 1);
        assert!(Arc::ptr_eq(&a, &d) && Arc::ptr_eq(&d, &e));
        assert!(Arc::ptr_eq(resolver.writer(v1).unwrap().plan(), &a));
    }

    /// A reader with a decoder for one known writer (`v1`): it reads the
    /// int and marks the value, so the test sees which path ran.
    #[derive(Debug, PartialEq)]
    struct K(i64, &'static str);
    const K_V1: &str = r#"{"type":"record","name":"S","fields":[{"name":"class","type":"int"}]}"#;
    reader_s!(K);
    impl Decode for K {
        fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
            Ok(K(r.read_long()?, "plain"))
        }
        fn decode_resolved(
            r: &mut Reader<'_>,
            p: crate::resolve::PlanNode<'_>,
        ) -> Result<Self, DecodeError> {
            let (_, n) = p.writer_branch(r)?.record_fields().unwrap().next().unwrap();
            Ok(K(n.read_long(r)?, "plan"))
        }
        fn known_writer(fp: u64) -> Option<crate::KnownWriterDecoder<Self>> {
            let (set, root) = SchemaSet::parse_str(K_V1).unwrap();
            (fp == set.fingerprint(&root))
                .then_some(|r: &mut Reader<'_>| Ok(K(i64::from(r.read_int()?), "known")))
        }
    }

    #[test]
    fn a_known_writer_is_read_by_its_own_decoder_and_others_by_the_plan() {
        let resolver = Resolver::<K>::new();
        let bytes = [0x54]; // 42
        assert_eq!(resolver.decode(K_V1, &bytes).unwrap(), K(42, "known"));
        assert_eq!(
            resolver.decode_with_id(1, || K_V1, &bytes).unwrap(),
            K(42, "known")
        );
        assert_eq!(
            resolver.writer(K_V1).unwrap().decode(&bytes).unwrap(),
            K(42, "known")
        );
        let plan = resolver.plan_for(K_V1).unwrap();
        assert_eq!(
            crate::resolve::decode_with_plan_driven::<K>(&plan, &bytes).unwrap(),
            K(42, "plan")
        );
        // Same bytes under another writer (a doc changes nothing, an alias
        // of the field neither: the fingerprint is of the canonical form).
        let same_canonical =
            r#"{"type":"record","name":"S","doc":"d","fields":[{"name":"class","type":"int"}]}"#;
        assert_eq!(
            resolver.decode(same_canonical, &bytes).unwrap(),
            K(42, "known")
        );
        // The reader's own schema: the bytes are the reader's, read by the
        // ordinary decoder.
        let same = r#"{"type":"record","name":"S","fields":[{"name":"class","type":"long"}]}"#;
        assert_eq!(resolver.decode(same, &bytes).unwrap(), K(42, "plain"));
        // A writer neither known nor identity: the plan.
        let other =
            r#"["null",{"type":"record","name":"S","fields":[{"name":"class","type":"long"}]}]"#;
        assert_eq!(
            resolver.decode(other, &[0x02, 0x54]).unwrap(),
            K(42, "plan")
        );
        assert_eq!(
            resolver.decode_with_id(9, || other, &[0x02, 0x54]).unwrap(),
            K(42, "plan")
        );
        // A truncated datum is an error on the known path too.
        assert!(resolver.decode(K_V1, &[]).is_err());
        assert!(resolver.decode(K_V1, &[0x54, 0]).is_err());
    }

    #[test]
    fn the_caches_are_bounded() {
        let resolver = Resolver::<V2>::with_capacity(8);
        for i in 0..100 {
            let text = format!(
                r#"{{"type":"record","name":"S","doc":"{i}","fields":[{{"name":"class","type":"int"}},{{"name":"f{i}","type":"int"}}]}}"#
            );
            resolver.plan_for(&text).unwrap();
            resolver.plan_for_id(i, || text.as_str()).unwrap();
        }
        let (text, id, fp) = resolver.cached();
        assert!(text <= 8 && id <= 8 && fp <= 8, "{text} {id} {fp}");
    }

    /// Reads the reader field `class` (long) from whatever writer fields
    /// come before it, so a value read through another writer's plan shows.
    #[derive(Debug, PartialEq)]
    struct Class(i64);
    reader_s!(Class);
    impl Decode for Class {
        fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
            Ok(Class(r.read_long()?))
        }
        fn decode_resolved(
            r: &mut Reader<'_>,
            p: crate::resolve::PlanNode<'_>,
        ) -> Result<Self, DecodeError> {
            let mut class = None;
            for (target, node) in p.writer_branch(r)?.record_fields().unwrap() {
                match target {
                    Some(_) => class = Some(node.read_long(r)?),
                    None => node.skip(r)?,
                }
            }
            Ok(Class(class.unwrap()))
        }
    }

    /// Writer `n`: `n` int fields, then `class`.
    fn writer(n: usize) -> String {
        let extra: String = (0..n)
            .map(|i| format!(r#"{{"name":"f{i}","type":"int"}},"#))
            .collect();
        format!(
            r#"{{"type":"record","name":"S","fields":[{extra}{{"name":"class","type":"int"}}]}}"#
        )
    }

    #[test]
    fn every_writer_is_read_with_its_own_plan_in_and_past_the_lock_free_slots() {
        let resolver = Resolver::<Class>::new();
        let writers: Vec<String> = (0..3 * HOT_SLOTS).map(writer).collect();
        // Datum of writer n: n zeros, then class = n (zigzag 2n).
        let datum = |n: usize| [vec![0u8; n], vec![2 * n as u8]].concat();
        for round in 0..3 {
            for (n, w) in writers.iter().enumerate() {
                let by_id = resolver
                    .decode_with_id(
                        n as u64,
                        || {
                            assert_eq!(round, 0, "writer {n}'s text asked for again");
                            w.as_str()
                        },
                        &datum(n),
                    )
                    .unwrap();
                assert_eq!(by_id, Class(n as i64), "by id, writer {n}, round {round}");
                let by_text = resolver.decode(w, &datum(n)).unwrap();
                assert_eq!(
                    by_text,
                    Class(n as i64),
                    "by text, writer {n}, round {round}"
                );
                assert!(Arc::ptr_eq(
                    &resolver
                        .plan_for_id(n as u64, || -> &str { unreachable!() })
                        .unwrap(),
                    &resolver.plan_for(w).unwrap()
                ));
            }
        }
        // The first HOT_SLOTS writers hold the slots, once each.
        let ids: Vec<u64> = resolver.hot_ids.keys().copied().collect();
        assert_eq!(ids, (0..HOT_SLOTS as u64).collect::<Vec<_>>());
        assert_eq!(resolver.hot_texts.keys().count(), HOT_SLOTS);
        // A text one byte off a hot one is another writer, not a slot hit.
        let mut w0 = writers[0].clone();
        w0.push(' ');
        assert_eq!(resolver.decode(&w0, &datum(0)).unwrap(), Class(0));
        assert!(resolver.decode(&writers[0][1..], &datum(0)).is_err());
    }

    #[test]
    fn threads_share_the_slots() {
        let resolver = Arc::new(Resolver::<Class>::new());
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let resolver = resolver.clone();
                std::thread::spawn(move || {
                    for i in 0..200usize {
                        let n = (i + t) % (2 * HOT_SLOTS);
                        let w = writer(n);
                        let bytes = [vec![0u8; n], vec![2 * n as u8]].concat();
                        let v = resolver.decode_with_id(n as u64, || w.as_str(), &bytes);
                        assert_eq!(v.unwrap(), Class(n as i64));
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let mut ids: Vec<u64> = resolver.hot_ids.keys().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), HOT_SLOTS, "slots hold {HOT_SLOTS} distinct ids");
    }
}
