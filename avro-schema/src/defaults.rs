//! Validation of field default values against their schemas.

use serde_json::Value;

use super::{NamedKind, Primitive, Schema, SchemaError, SchemaSet};

/// The value of a `float`/`double` default: a JSON number, or one of the
/// strings `"NaN"`, `"Infinity"`, `"-Infinity"` (Java's Jackson writes these).
pub fn float_default(v: &Value) -> Option<f64> {
    match v.as_str() {
        Some("NaN") => Some(f64::NAN),
        Some("Infinity") => Some(f64::INFINITY),
        Some("-Infinity") => Some(f64::NEG_INFINITY),
        Some(_) => None,
        None => v.as_f64(),
    }
}

impl SchemaSet {
    /// Checks every field default of every record; runs after all names are
    /// bound, because a default may be of a type defined in another file.
    pub(crate) fn check_defaults(&mut self) -> Result<(), SchemaError> {
        let mut warnings = Vec::new();
        for t in &self.types {
            let NamedKind::Record { fields, .. } = &t.kind else {
                continue;
            };
            for (i, f) in fields.iter().enumerate() {
                let Some(d) = &f.default else { continue };
                let mut origin = t.origin.clone();
                origin.pointer = format!("{}/fields/{i}/default", origin.pointer);
                if let Err(why) = self.check_default(&f.schema, d, 0) {
                    return Err(self.error_at(
                        &origin,
                        format!(
                            "invalid default for field {:?} of {}: {why}",
                            f.name, t.name
                        ),
                    ));
                }
                if let Some(branch) = self.union_default_branch(&f.schema, d) {
                    if branch > 0 {
                        warnings.push(format!(
                            "{}: the default of field {:?} of {} matches union branch {branch}, not the first; readers built on Avro 1.11 or older reject it",
                            self.sources[origin.source].name, f.name, t.name
                        ));
                    }
                }
            }
        }
        self.warnings.extend(warnings);
        Ok(())
    }

    /// The union branch a default value belongs to: the first branch it is
    /// valid for (Avro 1.12 allows any branch).
    pub fn union_default_branch(&self, schema: &Schema, value: &Value) -> Option<usize> {
        let Schema::Union(branches) = schema else {
            return None;
        };
        branches
            .iter()
            .position(|b| self.check_default(b, value, 0).is_ok())
    }

    /// `Ok` if `value` is a valid JSON default for `schema`.
    pub fn check_default(
        &self,
        schema: &Schema,
        value: &Value,
        depth: usize,
    ) -> Result<(), String> {
        if depth > 64 {
            return Err("default nests deeper than 64 levels".into());
        }
        let found = || format!("found {value}");
        match schema {
            Schema::Primitive { ty, .. } => {
                let ok = match ty {
                    Primitive::Null => value.is_null(),
                    Primitive::Boolean => value.is_boolean(),
                    Primitive::Int => value.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
                    Primitive::Long => value.is_i64(),
                    Primitive::Float | Primitive::Double => float_default(value).is_some(),
                    Primitive::String => value.is_string(),
                    Primitive::Bytes => value
                        .as_str()
                        .is_some_and(|s| s.chars().all(|c| (c as u32) < 256)),
                };
                if ok {
                    Ok(())
                } else {
                    Err(format!("expected a {} value, {}", ty.name(), found()))
                }
            }
            Schema::Array { items, .. } => {
                let arr = value
                    .as_array()
                    .ok_or_else(|| format!("expected an array, {}", found()))?;
                for (i, v) in arr.iter().enumerate() {
                    self.check_default(items, v, depth + 1)
                        .map_err(|e| format!("item {i}: {e}"))?;
                }
                Ok(())
            }
            Schema::Map { values, .. } => {
                let obj = value
                    .as_object()
                    .ok_or_else(|| format!("expected an object (map), {}", found()))?;
                for (k, v) in obj {
                    self.check_default(values, v, depth + 1)
                        .map_err(|e| format!("key {k:?}: {e}"))?;
                }
                Ok(())
            }
            Schema::Union(branches) => {
                if branches
                    .iter()
                    .any(|b| self.check_default(b, value, depth + 1).is_ok())
                {
                    Ok(())
                } else {
                    Err(format!(
                        "a union default must be a plain value of one of its branches, {}",
                        found()
                    ))
                }
            }
            Schema::Named(id) => {
                let t = &self.types[*id];
                match &t.kind {
                    NamedKind::Fixed { size, .. } => match value.as_str() {
                        Some(s) if s.chars().all(|c| (c as u32) < 256) && s.chars().count() == *size => Ok(()),
                        _ => Err(format!(
                            "expected a string of {size} characters U+0000..U+00FF for fixed {}, {}",
                            t.name,
                            found()
                        )),
                    },
                    NamedKind::Enum { symbols, .. } => match value.as_str() {
                        Some(s) if symbols.iter().any(|x| x == s) => Ok(()),
                        _ => Err(format!("expected one of the symbols {symbols:?} of {}, {}", t.name, found())),
                    },
                    NamedKind::Record { fields, .. } => {
                        let obj = value
                            .as_object()
                            .ok_or_else(|| format!("expected an object for record {}, {}", t.name, found()))?;
                        for f in fields {
                            match obj.get(&f.name) {
                                Some(v) => self
                                    .check_default(&f.schema, v, depth + 1)
                                    .map_err(|e| format!("field {:?}: {e}", f.name))?,
                                None if f.default.is_some() => {}
                                None => {
                                    return Err(format!(
                                        "record {} default misses field {:?}, which has no default",
                                        t.name, f.name
                                    ))
                                }
                            }
                        }
                        Ok(())
                    }
                }
            }
        }
    }
}
