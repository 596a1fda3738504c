//! Random valid Avro datums for a schema, written straight as bytes (the
//! canonical encoding: one positive-count block per non-empty array or map),
//! and a converter from apache-avro `Value`s to the Avro JSON encoding so the
//! two implementations' decoded values can be compared.

use apache_avro::types::Value as AValue;
use avro_runtime::encode::{write_bytes, write_long, write_str};
use avro_runtime::schema::{Logical, NamedKind, Primitive, Schema, SchemaSet};
use serde_json::{Map, Value};

/// xorshift64*: small, seedable, good enough to pick values.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    fn long(&mut self) -> i64 {
        match self.below(6) {
            0 => [0, 1, -1, i64::MAX, i64::MIN, 63, 64, -64, -65][self.below(9) as usize],
            1 | 2 => self.below(200) as i64 - 100,
            _ => self.next_u64() as i64 >> self.below(63),
        }
    }
    fn int(&mut self) -> i32 {
        match self.below(6) {
            0 => [0, 1, -1, i32::MAX, i32::MIN][self.below(5) as usize],
            1 | 2 => self.below(200) as i32 - 100,
            _ => (self.next_u64() as i64 >> (32 + self.below(31))) as i32,
        }
    }
    fn string(&mut self) -> String {
        const POOL: &[&str] = &[
            "",
            "a",
            "hello",
            "ümlaut",
            "日本語",
            "🦀",
            "with space",
            "x\u{0}y",
            "\"quoted\"",
        ];
        let n = self.below(3);
        (0..n)
            .map(|_| POOL[self.below(POOL.len() as u64) as usize])
            .collect()
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

/// Deep enough to exercise nesting, shallow enough to end on recursive schemas.
const MAX_DEPTH: usize = 5;

fn is_null(s: &Schema) -> bool {
    matches!(
        s,
        Schema::Primitive {
            ty: Primitive::Null,
            ..
        }
    )
}

/// How deep the shallowest value of each named type nests (arrays and maps
/// may be empty); `usize::MAX` where every value recurses forever. Computed
/// as a fixpoint over the named types, so it is linear, not exponential, in
/// schemas with many mutually recursive unions.
pub struct Heights(Vec<usize>);

impl Heights {
    pub fn new(set: &SchemaSet) -> Self {
        let mut h = Heights(vec![usize::MAX; set.types.len()]);
        loop {
            let mut changed = false;
            for (id, t) in set.types.iter().enumerate() {
                let new = match &t.kind {
                    NamedKind::Record { fields, .. } => fields
                        .iter()
                        .map(|f| h.of(&f.schema))
                        .max()
                        .unwrap_or(0)
                        .saturating_add(1),
                    _ => 0,
                };
                if new < h.0[id] {
                    h.0[id] = new;
                    changed = true;
                }
            }
            if !changed {
                return h;
            }
        }
    }

    pub fn of(&self, s: &Schema) -> usize {
        match s {
            Schema::Primitive { .. } | Schema::Array { .. } | Schema::Map { .. } => 0,
            Schema::Union(b) => b
                .iter()
                .map(|x| self.of(x))
                .min()
                .unwrap_or(usize::MAX)
                .saturating_add(1),
            Schema::Named(id) => self.0[*id],
        }
    }
}

/// `count` random datums of `schema` (seeds `0..count`), or none if the
/// schema has no finite values.
pub fn random_datums(set: &SchemaSet, schema: &Schema, count: u64) -> Vec<Vec<u8>> {
    let heights = Heights::new(set);
    if heights.of(schema) == usize::MAX {
        return Vec::new();
    }
    (0..count)
        .map(|seed| {
            let mut out = Vec::new();
            random_datum(set, &heights, schema, &mut Rng::new(seed), 0, &mut out);
            out
        })
        .collect()
}

/// Appends a random datum of `schema` to `out`. The schema must have
/// finite values ([`Heights::of`] below `usize::MAX`).
pub fn random_datum(
    set: &SchemaSet,
    heights: &Heights,
    schema: &Schema,
    rng: &mut Rng,
    depth: usize,
    out: &mut Vec<u8>,
) {
    assert!(depth < 256, "random_datum: the schema has no finite values");
    match schema {
        Schema::Primitive { ty, logical, .. } => match (ty, logical) {
            (Primitive::String, Some(Logical::Uuid)) => {
                let u = avro_runtime::Uuid::from_bytes(rng.bytes(16).try_into().unwrap());
                write_str(out, &u.hyphenated().to_string());
            }
            (Primitive::Bytes, Some(Logical::Decimal { precision, .. })) => {
                let digits = (*precision).min(18);
                let v = (rng.next_u64() % 10u64.pow(digits)) as i128
                    * if rng.below(2) == 0 { 1 } else { -1 };
                write_bytes(out, avro_runtime::Decimal::from_i128(v).as_be_bytes());
            }
            (Primitive::Null, _) => {}
            (Primitive::Boolean, _) => out.push(rng.below(2) as u8),
            (Primitive::Int, _) => write_long(out, rng.int() as i64),
            (Primitive::Long, _) => write_long(out, rng.long()),
            (Primitive::Float, _) => {
                let f = [
                    0.0f32,
                    -0.0,
                    1.5,
                    -2.25,
                    f32::MAX,
                    f32::MIN_POSITIVE,
                    f32::INFINITY,
                ][rng.below(7) as usize];
                out.extend_from_slice(&f.to_le_bytes());
            }
            (Primitive::Double, _) => {
                let f = [
                    0.0f64,
                    -0.0,
                    0.1,
                    -1e300,
                    f64::MAX,
                    5e-324,
                    f64::NEG_INFINITY,
                ][rng.below(7) as usize];
                out.extend_from_slice(&f.to_le_bytes());
            }
            (Primitive::Bytes, _) => {
                let n = rng.below(6) as usize;
                write_bytes(out, &rng.bytes(n));
            }
            (Primitive::String, _) => write_str(out, &rng.string()),
        },
        Schema::Array { items, .. } => {
            let n = if depth >= MAX_DEPTH { 0 } else { rng.below(4) };
            if n > 0 {
                write_long(out, n as i64);
                for _ in 0..n {
                    random_datum(set, heights, items, rng, depth + 1, out);
                }
            }
            out.push(0);
        }
        Schema::Map { values, .. } => {
            let n = if depth >= MAX_DEPTH { 0 } else { rng.below(4) };
            if n > 0 {
                write_long(out, n as i64);
                for k in 0..n {
                    write_str(out, &format!("k{k}"));
                    random_datum(set, heights, values, rng, depth + 1, out);
                }
            }
            out.push(0);
        }
        Schema::Union(branches) => {
            if branches.is_empty() {
                return;
            }
            let i = if depth >= MAX_DEPTH {
                // Past the depth limit, take the branch that ends soonest.
                (0..branches.len())
                    .min_by_key(|&i| heights.of(&branches[i]))
                    .unwrap_or(0)
            } else {
                rng.below(branches.len() as u64) as usize
            };
            write_long(out, i as i64);
            random_datum(set, heights, &branches[i], rng, depth + 1, out);
        }
        Schema::Named(id) => match &set.get(*id).kind {
            NamedKind::Record { fields, .. } => {
                for f in fields {
                    random_datum(set, heights, &f.schema, rng, depth + 1, out);
                }
            }
            NamedKind::Enum { symbols, .. } => {
                write_long(out, rng.below(symbols.len() as u64) as i64)
            }
            NamedKind::Fixed { size, logical } => match logical {
                Some(Logical::Decimal { precision, .. }) => {
                    let digits = (*precision)
                        .min(18)
                        .min((*size as u32 * 2).saturating_sub(1));
                    let v = (rng.next_u64() % 10u64.pow(digits)) as i128
                        * if rng.below(2) == 0 { 1 } else { -1 };
                    let fixed = avro_runtime::Decimal::from_i128(v)
                        .to_fixed_vec(*size)
                        .expect("digits are chosen to fit the fixed");
                    out.extend_from_slice(&fixed);
                }
                _ => {
                    let b = rng.bytes(*size);
                    out.extend_from_slice(&b);
                }
            },
        },
    }
}

fn latin1(b: &[u8]) -> Value {
    avro_runtime::json::latin1(b)
}

/// The Avro JSON encoding of an apache-avro value of `schema`.
pub fn apache_json(set: &SchemaSet, schema: &Schema, v: &AValue) -> Result<Value, String> {
    let unexpected = || {
        Err(format!(
            "unexpected apache-avro value {v:?} for {}",
            set.canonical_form(schema)
        ))
    };
    Ok(match (schema, v) {
        (_, AValue::Null) => Value::Null,
        (_, AValue::Boolean(b)) => Value::Bool(*b),
        (_, AValue::Int(i) | AValue::Date(i) | AValue::TimeMillis(i)) => Value::from(*i),
        (
            _,
            AValue::Long(i)
            | AValue::TimeMicros(i)
            | AValue::TimestampMillis(i)
            | AValue::TimestampMicros(i)
            | AValue::TimestampNanos(i)
            | AValue::LocalTimestampMillis(i)
            | AValue::LocalTimestampMicros(i)
            | AValue::LocalTimestampNanos(i),
        ) => Value::from(*i),
        (_, AValue::Float(f)) => avro_runtime::json::float(*f as f64),
        (_, AValue::Double(f)) => avro_runtime::json::float(*f),
        (_, AValue::Bytes(b)) => latin1(b),
        (_, AValue::String(s)) => Value::String(s.clone()),
        (_, AValue::Fixed(_, b)) => latin1(b),
        (_, AValue::Enum(_, s)) => Value::String(s.clone()),
        (Schema::Primitive { .. }, AValue::Uuid(u)) => Value::String(u.hyphenated().to_string()),
        (Schema::Named(_), AValue::Uuid(u)) => latin1(u.as_bytes()),
        (Schema::Primitive { .. }, AValue::Decimal(d)) => {
            latin1(&Vec::<u8>::try_from(d).map_err(|e| e.to_string())?)
        }
        (Schema::Named(id), AValue::Decimal(d)) => {
            let NamedKind::Fixed { size, .. } = set.get(*id).kind else {
                return unexpected();
            };
            let b = Vec::<u8>::try_from(d).map_err(|e| e.to_string())?;
            let fixed = avro_runtime::Decimal::from_be_bytes(b)
                .to_fixed_vec(size)
                .ok_or("apache-avro decoded a decimal that does not fit its fixed")?;
            latin1(&fixed)
        }
        (_, AValue::Duration(d)) => latin1(&<[u8; 12]>::from(*d)),
        (Schema::Array { items, .. }, AValue::Array(a)) => Value::Array(
            a.iter()
                .map(|x| apache_json(set, items, x))
                .collect::<Result<_, _>>()?,
        ),
        (Schema::Map { values, .. }, AValue::Map(m)) => Value::Object(
            m.iter()
                .map(|(k, x)| Ok((k.clone(), apache_json(set, values, x)?)))
                .collect::<Result<Map<_, _>, String>>()?,
        ),
        (Schema::Union(branches), AValue::Union(i, x)) => {
            let b = branches
                .get(*i as usize)
                .ok_or("union index out of range")?;
            if is_null(b) {
                Value::Null
            } else {
                let name = match b {
                    Schema::Primitive { ty, .. } => ty.name().to_owned(),
                    Schema::Array { .. } => "array".into(),
                    Schema::Map { .. } => "map".into(),
                    Schema::Named(id) => set.get(*id).name.fullname(),
                    Schema::Union(_) => return unexpected(),
                };
                avro_runtime::json::branch(&name, apache_json(set, b, x)?)
            }
        }
        (Schema::Named(id), AValue::Record(fields)) => {
            let NamedKind::Record { fields: defs, .. } = &set.get(*id).kind else {
                return unexpected();
            };
            let mut m = Map::new();
            for ((name, x), def) in fields.iter().zip(defs) {
                m.insert(name.clone(), apache_json(set, &def.schema, x)?);
            }
            Value::Object(m)
        }
        _ => return unexpected(),
    })
}

/// Whether any schema node reachable from `s` satisfies `pred` (each named
/// type is entered once, so recursive schemas end).
pub fn any_node(set: &SchemaSet, s: &Schema, pred: &dyn Fn(&Schema) -> bool) -> bool {
    fn walk(
        set: &SchemaSet,
        s: &Schema,
        pred: &dyn Fn(&Schema) -> bool,
        seen: &mut Vec<usize>,
    ) -> bool {
        if pred(s) {
            return true;
        }
        match s {
            Schema::Array { items, .. } => walk(set, items, pred, seen),
            Schema::Map { values, .. } => walk(set, values, pred, seen),
            Schema::Union(b) => b.iter().any(|x| walk(set, x, pred, seen)),
            Schema::Named(id) if !seen.contains(id) => {
                seen.push(*id);
                match &set.get(*id).kind {
                    NamedKind::Record { fields, .. } => {
                        fields.iter().any(|f| walk(set, &f.schema, pred, seen))
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }
    walk(set, s, pred, &mut Vec::new())
}
