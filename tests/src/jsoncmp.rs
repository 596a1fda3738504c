//! Comparing Avro JSON values: numbers by value (an `int` 1 equals a `double`
//! 1.0 in data.json), `-0.0` distinct from `0.0`, and a path to the first
//! difference.

use serde_json::Value;

/// `Ok` if equal; otherwise the JSON path of the first difference.
pub fn json_eq(a: &Value, b: &Value) -> Result<(), String> {
    eq_at(a, b, "$")
}

fn eq_at(a: &Value, b: &Value, path: &str) -> Result<(), String> {
    let differ = || Err(format!("at {path}: {a} != {b}"));
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let same = match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(i), Some(j), _, _) => i == j,
                (_, _, Some(i), Some(j)) => i == j,
                _ => {
                    let (f, g) = (
                        x.as_f64().unwrap_or(f64::NAN),
                        y.as_f64().unwrap_or(f64::NAN),
                    );
                    // data.json prints some floats one digit short (e.g. the
                    // largest binary32 value); bytes are compared exactly
                    // elsewhere, so values may differ by 2 units in the last place.
                    f.is_sign_negative() == g.is_sign_negative()
                        && (f == g || (f.to_bits() as i64 - g.to_bits() as i64).abs() <= 2)
                }
            };
            if same {
                Ok(())
            } else {
                differ()
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Err(format!("at {path}: {} items != {} items", x.len(), y.len()));
            }
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                eq_at(p, q, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() || x.keys().any(|k| !y.contains_key(k)) {
                return Err(format!(
                    "at {path}: keys {:?} != {:?}",
                    x.keys().collect::<Vec<_>>(),
                    y.keys().collect::<Vec<_>>()
                ));
            }
            for (k, v) in x {
                eq_at(v, &y[k], &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        _ if a == b => Ok(()),
        _ => differ(),
    }
}
