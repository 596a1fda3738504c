//! Random valid Avro datums for a schema (the runtime's generator,
//! `avro_runtime::generic::random_datum`: one positive-count block per
//! non-empty array or map), and a converter from apache-avro `Value`s to
//! the Avro JSON encoding so the two implementations' decoded values can be
//! compared.

use apache_avro::types::Value as AValue;
use avro_runtime::schema::{NamedKind, Primitive, Schema, SchemaSet};
use serde_json::{Map, Value};

pub use avro_runtime::generic::{random_datum, Rng};

/// Whether `schema` has finite values (no record that contains itself with
/// no union, array or map to end the recursion).
pub fn has_finite_values(set: &SchemaSet, schema: &Schema) -> bool {
    random_datum(set, schema, &mut Rng::new(0), &mut Vec::new()).is_ok()
}

/// `count` random datums of `schema` (the runtime's generator, seeds
/// `0..count`), or none if the schema has no finite values.
pub fn random_datums(set: &SchemaSet, schema: &Schema, count: u64) -> Vec<Vec<u8>> {
    (0..count)
        .map_while(|seed| {
            let mut out = Vec::new();
            random_datum(set, schema, &mut Rng::new(seed), &mut out).ok()?;
            Some(out)
        })
        .collect()
}

fn is_null(s: &Schema) -> bool {
    matches!(
        s,
        Schema::Primitive {
            ty: Primitive::Null,
            ..
        }
    )
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
