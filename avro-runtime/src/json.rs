//! The Avro JSON encoding of typed values (the specification's "JSON
//! Encoding": unions as `{"branch": value}`, bytes as one char per byte),
//! for debugging output, tools and tests. Generated when
//! `avro_codegen::Options::json` is on.

pub use serde_json::{Map, Value};

/// A value that can print itself in the Avro JSON encoding.
pub trait ToAvroJson {
    /// The value in the Avro JSON encoding.
    fn to_avro_json(&self) -> Value;
}

impl<T: ToAvroJson + ?Sized> ToAvroJson for Box<T> {
    fn to_avro_json(&self) -> Value {
        (**self).to_avro_json()
    }
}

/// A float or double: non-finite values as `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub fn float(f: f64) -> Value {
    if f.is_nan() {
        Value::String("NaN".into())
    } else if f.is_infinite() {
        Value::String(if f > 0.0 { "Infinity" } else { "-Infinity" }.into())
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// Bytes as a string of code points U+0000..U+00FF.
pub fn latin1(b: &[u8]) -> Value {
    Value::String(b.iter().map(|&c| c as char).collect())
}

/// A non-null union branch: `{"<branch>": value}`.
pub fn branch(name: &str, v: Value) -> Value {
    let mut m = Map::new();
    m.insert(name.to_owned(), v);
    Value::Object(m)
}
