//! Avro binary ↔ Avro JSON encoding, driven by a [`SchemaSet`] at run time.

use std::fmt;

use serde_json::{Map, Value};

use crate::encode::{write_bytes, write_double, write_float, write_long};
use crate::json::{float, latin1};
use crate::resolve::encode_default;
use crate::schema::{NamedKind, Primitive, Schema, SchemaSet};
use crate::{DecodeError, PathSegment, Reader};

/// Reads one datum of `schema` from `r` and returns it in the Avro JSON
/// encoding. Values of recursive types count against the reader's depth
/// limit; block counts are checked against the remaining input.
pub fn datum_to_json(
    set: &SchemaSet,
    schema: &Schema,
    r: &mut Reader<'_>,
) -> Result<Value, DecodeError> {
    Ok(match schema {
        Schema::Primitive { ty, .. } => match ty {
            Primitive::Null => Value::Null,
            Primitive::Boolean => Value::Bool(r.read_bool()?),
            Primitive::Int => Value::from(r.read_int()?),
            Primitive::Long => Value::from(r.read_long()?),
            Primitive::Float => float(r.read_float()? as f64),
            Primitive::Double => float(r.read_double()?),
            Primitive::Bytes => latin1(r.read_bytes_ref()?),
            Primitive::String => Value::String(r.read_str()?.to_owned()),
        },
        Schema::Array { items, .. } => {
            let min = min_size(set, items, 2);
            let mut out = Vec::new();
            loop {
                let n = r.read_block_count(min, out.len())?;
                if n == 0 {
                    break;
                }
                for _ in 0..n {
                    let i = out.len();
                    out.push(datum_to_json(set, items, r).map_err(|e| e.index(i))?);
                }
            }
            Value::Array(out)
        }
        Schema::Map { values, .. } => {
            let min = 1 + min_size(set, values, 2);
            let mut out = Map::new();
            let mut read = 0usize;
            loop {
                let n = r.read_block_count(min, read)?;
                if n == 0 {
                    break;
                }
                read += n;
                for _ in 0..n {
                    let k = r.read_str()?.to_owned();
                    let v = datum_to_json(set, values, r).map_err(|e| e.key(&k))?;
                    out.insert(k, v);
                }
            }
            Value::Object(out)
        }
        Schema::Union(branches) => {
            let i = r.read_union_index(branches.len())?;
            let b = &branches[i];
            let v = datum_to_json(set, b, r)
                .map_err(|e| e.push(PathSegment::Key(format!("<{}>", branch_name(set, b)))))?;
            if is_null(b) {
                v
            } else {
                crate::json::branch(&branch_name(set, b), v)
            }
        }
        Schema::Named(id) => match &set.get(*id).kind {
            NamedKind::Fixed { size, .. } => latin1(r.take(*size)?),
            NamedKind::Enum { symbols, .. } => {
                Value::String(symbols[r.read_enum_index(symbols.len())?].clone())
            }
            NamedKind::Record { fields, .. } => {
                r.enter()?;
                let mut out = Map::new();
                for f in fields {
                    let v = datum_to_json(set, &f.schema, r)
                        .map_err(|e| e.push(PathSegment::Key(f.name.clone())))?;
                    out.insert(f.name.clone(), v);
                }
                r.leave();
                Value::Object(out)
            }
        },
    })
}

/// A JSON value that does not fit the schema: where (a JSON pointer into
/// the value) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonDatumError {
    /// JSON pointer of the offending value (`/items/3/price`), empty for the root.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
}

impl fmt::Display for JsonDatumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let JsonDatumError { path, message } = self;
        if path.is_empty() {
            write!(f, "at the top level: {message}")
        } else {
            write!(f, "at {path}: {message}")
        }
    }
}

impl std::error::Error for JsonDatumError {}

struct Fail {
    /// Innermost first.
    segments: Vec<String>,
    message: String,
}

impl Fail {
    #[cold]
    fn new(message: String) -> Self {
        Fail {
            segments: Vec::new(),
            message,
        }
    }
    #[cold]
    fn at(mut self, segment: impl Into<String>) -> Self {
        self.segments.push(segment.into());
        self
    }
}

/// Encodes `value`, in the Avro JSON encoding of `schema`, as Avro binary
/// appended to `out`. A record field missing from the JSON takes its schema
/// default; a field the schema does not have is an error.
pub fn json_to_datum(
    set: &SchemaSet,
    schema: &Schema,
    value: &Value,
    out: &mut Vec<u8>,
) -> Result<(), JsonDatumError> {
    encode(set, schema, value, out).map_err(|f| JsonDatumError {
        path: f
            .segments
            .iter()
            .rev()
            .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
            .collect(),
        message: f.message,
    })
}

fn found(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

fn expected(what: &str, v: &Value) -> Fail {
    Fail::new(format!("expected {what}, found {}", found(v)))
}

fn latin1_bytes(what: &str, v: &Value) -> Result<Vec<u8>, Fail> {
    let s = v
        .as_str()
        .ok_or_else(|| expected(&format!("{what} (a string of chars U+0000..U+00FF)"), v))?;
    s.chars()
        .map(|c| u8::try_from(c as u32).ok())
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| {
            Fail::new(format!(
                "{what} must be a string of chars U+0000..U+00FF (one per byte), found {}",
                found(v)
            ))
        })
}

fn float_value(what: &str, v: &Value) -> Result<f64, Fail> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| expected(what, v)),
        Value::String(s) if s == "NaN" => Ok(f64::NAN),
        Value::String(s) if s == "Infinity" => Ok(f64::INFINITY),
        Value::String(s) if s == "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => Err(expected(
            &format!("a {what} (a number, \"NaN\", \"Infinity\" or \"-Infinity\")"),
            v,
        )),
    }
}

fn encode(set: &SchemaSet, schema: &Schema, v: &Value, out: &mut Vec<u8>) -> Result<(), Fail> {
    match schema {
        Schema::Primitive { ty, .. } => match ty {
            Primitive::Null => {
                if !v.is_null() {
                    return Err(expected("null", v));
                }
            }
            Primitive::Boolean => {
                out.push(v.as_bool().ok_or_else(|| expected("a boolean", v))? as u8)
            }
            Primitive::Int => {
                let i = v
                    .as_i64()
                    .and_then(|i| i32::try_from(i).ok())
                    .ok_or_else(|| expected("an int (a 32-bit integer)", v))?;
                write_long(out, i as i64);
            }
            Primitive::Long => write_long(
                out,
                v.as_i64()
                    .ok_or_else(|| expected("a long (a 64-bit integer)", v))?,
            ),
            Primitive::Float => write_float(out, float_value("float", v)? as f32),
            Primitive::Double => write_double(out, float_value("double", v)?),
            Primitive::Bytes => write_bytes(out, &latin1_bytes("bytes", v)?),
            Primitive::String => write_bytes(
                out,
                v.as_str()
                    .ok_or_else(|| expected("a string", v))?
                    .as_bytes(),
            ),
        },
        Schema::Array { items, .. } => {
            let a = v.as_array().ok_or_else(|| expected("an array", v))?;
            if !a.is_empty() {
                write_long(out, a.len() as i64);
                for (i, x) in a.iter().enumerate() {
                    encode(set, items, x, out).map_err(|f| f.at(i.to_string()))?;
                }
            }
            out.push(0);
        }
        Schema::Map { values, .. } => {
            let m = v
                .as_object()
                .ok_or_else(|| expected("a map (a JSON object)", v))?;
            if !m.is_empty() {
                write_long(out, m.len() as i64);
                for (k, x) in m {
                    write_bytes(out, k.as_bytes());
                    encode(set, values, x, out).map_err(|f| f.at(k.clone()))?;
                }
            }
            out.push(0);
        }
        Schema::Union(branches) => {
            let names = || {
                branches
                    .iter()
                    .map(|b| branch_name(set, b))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if v.is_null() {
                let i = branches.iter().position(is_null).ok_or_else(|| {
                    Fail::new(format!("null is not a branch of the union [{}]", names()))
                })?;
                write_long(out, i as i64);
                return Ok(());
            }
            let (key, inner) = match v.as_object() {
                Some(m) if m.len() == 1 => m.iter().next().expect("one entry"),
                _ => {
                    return Err(Fail::new(format!(
                        "expected null or a union value {{\"<branch>\": value}} with a branch of [{}], found {}",
                        names(),
                        found(v)
                    )))
                }
            };
            let i = branches
                .iter()
                .position(|b| !is_null(b) && branch_name(set, b) == *key)
                .ok_or_else(|| {
                    Fail::new(format!(
                        "{key:?} is not a branch of the union [{}]",
                        names()
                    ))
                })?;
            write_long(out, i as i64);
            encode(set, &branches[i], inner, out).map_err(|f| f.at(key.clone()))?;
        }
        Schema::Named(id) => {
            let t = set.get(*id);
            match &t.kind {
                NamedKind::Fixed { size, .. } => {
                    let b = latin1_bytes(&format!("fixed {}", t.name), v)?;
                    if b.len() != *size {
                        return Err(Fail::new(format!(
                            "fixed {} takes {size} bytes, found {}",
                            t.name,
                            b.len()
                        )));
                    }
                    out.extend_from_slice(&b);
                }
                NamedKind::Enum { symbols, .. } => {
                    let s = v
                        .as_str()
                        .ok_or_else(|| expected(&format!("a symbol of enum {}", t.name), v))?;
                    let i = symbols.iter().position(|x| x == s).ok_or_else(|| {
                        Fail::new(format!(
                            "{s:?} is not a symbol of enum {} (symbols: {})",
                            t.name,
                            symbols.join(", ")
                        ))
                    })?;
                    write_long(out, i as i64);
                }
                NamedKind::Record { fields, .. } => {
                    let m = v.as_object().ok_or_else(|| {
                        expected(&format!("a record {} (a JSON object)", t.name), v)
                    })?;
                    if let Some(unknown) = m.keys().find(|k| !fields.iter().any(|f| &f.name == *k))
                    {
                        return Err(Fail::new(format!(
                            "record {} has no field {unknown:?}",
                            t.name
                        )));
                    }
                    for f in fields {
                        match (m.get(&f.name), &f.default) {
                            (Some(x), _) => {
                                encode(set, &f.schema, x, out).map_err(|e| e.at(f.name.clone()))?
                            }
                            (None, Some(d)) => encode_default(set, &f.schema, d, out),
                            (None, None) => {
                                return Err(Fail::new(format!(
                                    "record {} lacks field {:?}, which has no default",
                                    t.name, f.name
                                )))
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
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

/// The name a union branch goes by in the JSON encoding: the primitive
/// (underlying, for a logical type), `array`, `map`, or a named type's full name.
fn branch_name(set: &SchemaSet, s: &Schema) -> String {
    match s {
        Schema::Primitive { ty, .. } => ty.name().to_owned(),
        Schema::Array { .. } => "array".to_owned(),
        Schema::Map { .. } => "map".to_owned(),
        Schema::Union(_) => "union".to_owned(),
        Schema::Named(id) => set.get(*id).name.fullname(),
    }
}

/// A lower bound of the bytes one value of `schema` takes (looking `budget`
/// levels of records deep), so block counts can be checked against the input.
fn min_size(set: &SchemaSet, schema: &Schema, budget: u32) -> usize {
    match schema {
        Schema::Primitive { ty, .. } => match ty {
            Primitive::Null => 0,
            Primitive::Float => 4,
            Primitive::Double => 8,
            _ => 1,
        },
        Schema::Array { .. } | Schema::Map { .. } | Schema::Union(_) => 1,
        Schema::Named(id) => match &set.get(*id).kind {
            NamedKind::Fixed { size, .. } => *size,
            NamedKind::Enum { .. } => 1,
            NamedKind::Record { fields, .. } if budget > 0 => fields.iter().fold(0usize, |a, f| {
                a.saturating_add(min_size(set, &f.schema, budget - 1))
            }),
            NamedKind::Record { .. } => 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(schema: &str, json: &str) -> (Vec<u8>, Value) {
        let (set, root) = SchemaSet::parse_str(schema).unwrap();
        let v: Value = serde_json::from_str(json).unwrap();
        let mut bytes = Vec::new();
        json_to_datum(&set, &root, &v, &mut bytes).unwrap();
        let mut r = Reader::new(&bytes);
        let back = datum_to_json(&set, &root, &mut r).unwrap();
        r.finish().unwrap();
        (bytes, back)
    }

    #[test]
    fn unions_records_and_defaults() {
        let schema = r#"{"type":"record","name":"R","namespace":"n","fields":[
            {"name":"a","type":["null","string"]},
            {"name":"b","type":"int","default":7}]}"#;
        let (bytes, back) = roundtrip(schema, r#"{"a":{"string":"x"}}"#);
        assert_eq!(bytes, [2, 2, b'x', 14]);
        assert_eq!(back, serde_json::json!({"a": {"string": "x"}, "b": 7}));
    }

    #[test]
    fn errors_say_where_and_what() {
        let schema = r#"{"type":"record","name":"R","fields":[{"name":"xs","type":{"type":"array","items":"int"}}]}"#;
        let (set, root) = SchemaSet::parse_str(schema).unwrap();
        let v = serde_json::json!({"xs": [1, "two"]});
        let e = json_to_datum(&set, &root, &v, &mut Vec::new()).unwrap_err();
        assert_eq!(e.path, "/xs/1");
        assert!(e.message.contains("expected an int"), "{e}");
        let v = serde_json::json!({"xs": [], "extra": 1});
        let e = json_to_datum(&set, &root, &v, &mut Vec::new()).unwrap_err();
        assert!(e.to_string().contains("no field \"extra\""), "{e}");
    }

    #[test]
    fn hostile_block_counts_are_rejected_before_reading() {
        let (set, root) = SchemaSet::parse_str(r#"{"type":"array","items":"long"}"#).unwrap();
        // A count of 2^20 longs with three bytes of input left.
        let mut bytes = Vec::new();
        write_long(&mut bytes, 1 << 20);
        bytes.extend_from_slice(&[0, 0, 0]);
        let e = datum_to_json(&set, &root, &mut Reader::new(&bytes)).unwrap_err();
        assert!(e.to_string().contains("block count"), "{e}");
    }
}
