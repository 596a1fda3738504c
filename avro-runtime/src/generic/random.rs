//! Random valid datums of a schema, written straight as Avro binary (one
//! positive-count block per non-empty array or map), for `cargo avro random`
//! and for tests that need data of arbitrary schemas.

use crate::encode::{write_bytes, write_long, write_str};
use crate::schema::{Logical, NamedKind, Primitive, Schema, SchemaSet};

/// xorshift64*: small, seedable, good enough to pick values (not for secrets).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-ish in `0..n` (0 when `n` is 0).
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

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

/// Deep enough to exercise nesting, shallow enough to end on recursive schemas.
const SOFT_DEPTH: usize = 5;

/// How deep the shallowest value of each named type nests (arrays and maps
/// may be empty); `usize::MAX` where every value recurses forever. A
/// fixpoint over the named types: linear, not exponential, in schemas with
/// many mutually recursive unions.
struct Heights(Vec<usize>);

impl Heights {
    fn new(set: &SchemaSet) -> Self {
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

    fn of(&self, s: &Schema) -> usize {
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

/// A schema no finite datum fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoFiniteValues {
    /// The schema's Parsing Canonical Form.
    pub canonical: String,
}

impl std::fmt::Display for NoFiniteValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the schema {} has no finite values: a record contains itself with no union, array or map to end the recursion",
            self.canonical
        )
    }
}

impl std::error::Error for NoFiniteValues {}

/// Appends a random valid datum of `schema` to `out`. Fails, writing
/// nothing, when the schema has no finite values (a record that contains
/// itself with no union or collection to stop the recursion).
pub fn random_datum(
    set: &SchemaSet,
    schema: &Schema,
    rng: &mut Rng,
    out: &mut Vec<u8>,
) -> Result<(), NoFiniteValues> {
    let heights = Heights::new(set);
    if heights.of(schema) == usize::MAX {
        return Err(NoFiniteValues {
            canonical: set.canonical_form(schema),
        });
    }
    datum(set, &heights, schema, rng, 0, out);
    Ok(())
}

fn decimal_digits(precision: u32, cap: u32) -> u32 {
    precision.min(18).min(cap)
}

fn datum(
    set: &SchemaSet,
    heights: &Heights,
    schema: &Schema,
    rng: &mut Rng,
    depth: usize,
    out: &mut Vec<u8>,
) {
    let soft = depth >= SOFT_DEPTH;
    match schema {
        Schema::Primitive { ty, logical, .. } => match (ty, logical) {
            (Primitive::String, Some(Logical::Uuid)) => {
                let mut b = [0u8; 16];
                b.copy_from_slice(&rng.bytes(16));
                write_str(out, &uuid::Uuid::from_bytes(b).hyphenated().to_string());
            }
            (Primitive::Bytes, Some(Logical::Decimal { precision, .. })) => {
                let digits = decimal_digits(*precision, 18);
                let v = (rng.next_u64() % 10u64.pow(digits)) as i128
                    * if rng.below(2) == 0 { 1 } else { -1 };
                write_bytes(out, crate::Decimal::from_i128(v).as_be_bytes());
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
            let n = if soft { 0 } else { rng.below(4) };
            if n > 0 {
                write_long(out, n as i64);
                for _ in 0..n {
                    datum(set, heights, items, rng, depth + 1, out);
                }
            }
            out.push(0);
        }
        Schema::Map { values, .. } => {
            let n = if soft { 0 } else { rng.below(4) };
            if n > 0 {
                write_long(out, n as i64);
                for k in 0..n {
                    write_str(out, &format!("k{k}"));
                    datum(set, heights, values, rng, depth + 1, out);
                }
            }
            out.push(0);
        }
        Schema::Union(branches) => {
            if branches.is_empty() {
                return;
            }
            let i = if soft {
                // Past the soft limit, take the branch that ends soonest.
                (0..branches.len())
                    .min_by_key(|&i| heights.of(&branches[i]))
                    .unwrap_or(0)
            } else {
                rng.below(branches.len() as u64) as usize
            };
            write_long(out, i as i64);
            datum(set, heights, &branches[i], rng, depth + 1, out);
        }
        Schema::Named(id) => match &set.get(*id).kind {
            NamedKind::Record { fields, .. } => {
                for f in fields {
                    datum(set, heights, &f.schema, rng, depth + 1, out);
                }
            }
            NamedKind::Enum { symbols, .. } => {
                write_long(out, rng.below(symbols.len() as u64) as i64)
            }
            NamedKind::Fixed { size, logical } => match logical {
                Some(Logical::Decimal { precision, .. }) => {
                    let cap = (*size as u32 * 2).saturating_sub(1);
                    let digits = decimal_digits(*precision, cap);
                    let v = (rng.next_u64() % 10u64.pow(digits)) as i128
                        * if rng.below(2) == 0 { 1 } else { -1 };
                    match crate::Decimal::from_i128(v).to_fixed_vec(*size) {
                        Some(fixed) => out.extend_from_slice(&fixed),
                        None => out.extend_from_slice(&vec![0; *size]),
                    }
                }
                _ => out.extend_from_slice(&rng.bytes(*size)),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generic::datum_to_json;
    use crate::Reader;

    #[test]
    fn recursive_schemas_end_and_decode() {
        let schema = r#"{"type":"record","name":"L","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","L"]}]}"#;
        let (set, root) = SchemaSet::parse_str(schema).unwrap();
        for seed in 0..50 {
            let mut out = Vec::new();
            random_datum(&set, &root, &mut Rng::new(seed), &mut out).unwrap();
            let mut r = Reader::new(&out);
            datum_to_json(&set, &root, &mut r).unwrap();
            r.finish().unwrap();
        }
    }

    #[test]
    fn a_schema_without_finite_values_is_an_error() {
        let schema = r#"{"type":"record","name":"L","fields":[{"name":"next","type":"L"}]}"#;
        let (set, root) = SchemaSet::parse_str(schema).unwrap();
        let e = random_datum(&set, &root, &mut Rng::new(1), &mut Vec::new()).unwrap_err();
        assert!(e.to_string().contains("no finite values"), "{e}");
    }
}
