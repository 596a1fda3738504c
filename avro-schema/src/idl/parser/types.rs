//! The type and value rules of the parser: annotations, `fullType`, `plainType`
//! (arrays, maps, unions, primitives with their logical types, references,
//! `T?`) and JSON values (defaults and annotation values).

use serde_json::{Map, Value};

use super::super::ast::Ty;
use super::super::lexer::Kind;
use super::super::Pos;
use super::{normalize_logical, Parser, Prop, MAX_DEPTH, R, SCHEMA_RESERVED};
use crate::{Primitive, Props};

impl Parser<'_> {
    pub(super) fn props(&mut self) -> R<Vec<Prop>> {
        let mut out = Vec::new();
        while self.is_punct('@') {
            let pos = self.bump().pos;
            let (name, _) = self.identifier("a property name after '@'")?;
            self.expect_punct('(', "after the property name")?;
            let value = self.json()?;
            self.expect_punct(')', "after the property value")?;
            out.push(Prop { name, value, pos });
        }
        Ok(out)
    }

    pub(super) fn string_prop(&self, p: &Prop) -> R<String> {
        match &p.value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(self.err_at(p.pos, format!("@{}(...) must contain a string", p.name))),
        }
    }

    pub(super) fn aliases_prop(&self, p: &Prop) -> R<Vec<String>> {
        let bad = || self.err_at(p.pos, "@aliases(...) must contain an array of strings");
        let Value::Array(items) = &p.value else {
            return Err(bad());
        };
        items
            .iter()
            .map(|a| a.as_str().map(str::to_owned).ok_or_else(bad))
            .collect()
    }

    pub(super) fn put_prop(&self, props: &mut Props, p: Prop, reserved: &[&str]) -> R<()> {
        if reserved.contains(&p.name.as_str()) {
            return Err(self.err_at(
                p.pos,
                format!(
                    "@{} is not allowed here: \"{}\" is a reserved attribute",
                    p.name, p.name
                ),
            ));
        }
        props.insert(p.name, p.value);
        Ok(())
    }

    // fullType: schemaProperty* plainType
    pub(super) fn full_type(&mut self) -> R<Ty> {
        self.enter()?;
        let ty = self.full_type_inner();
        self.depth -= 1;
        ty
    }

    pub(super) fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(self.err_at(
                self.peek().pos,
                format!("types or values nested more than {MAX_DEPTH} deep"),
            ));
        }
        Ok(())
    }

    fn full_type_inner(&mut self) -> R<Ty> {
        let props = self.props()?;
        let mut ty = self.plain_type()?;
        if props.is_empty() {
            return Ok(ty);
        }
        let target = match &mut ty {
            Ty::Nullable { inner, .. } => inner.as_mut(),
            other => other,
        };
        match target {
            Ty::Ref { pos, .. } => {
                return Err(self.err_at(*pos, "type references may not be annotated (annotate the declaration of the named type instead)"));
            }
            Ty::Union { pos, .. } => {
                self.warnings.push((
                    props[0].pos,
                    format!(
                        "annotations on a union are ignored (a union has no properties); at {}:{}",
                        pos.line, pos.col
                    ),
                ));
            }
            Ty::Prim { props: tp, .. }
            | Ty::Array { props: tp, .. }
            | Ty::Map { props: tp, .. } => {
                for p in props {
                    self.put_prop(tp, p, SCHEMA_RESERVED)?;
                }
                normalize_logical(tp);
            }
            Ty::Nullable { .. } => {}
        }
        Ok(ty)
    }

    // plainType: arrayType | mapType | unionType | nullableType
    pub(super) fn plain_type(&mut self) -> R<Ty> {
        let t = self.peek().clone();
        let pos = t.pos;
        if t.kind != Kind::Ident {
            return Err(self.expected("a type"));
        }
        let next = self.peek_at(1).kind.clone();
        let word = self.text(&t);
        match (word, &next) {
            ("array", Kind::Punct('<')) => {
                self.bump();
                self.bump();
                let items = self.full_type()?;
                self.expect_punct('>', "to close array<...>")?;
                return Ok(Ty::Array {
                    items: Box::new(items),
                    props: Props::new(),
                    pos,
                });
            }
            ("map", Kind::Punct('<')) => {
                self.bump();
                self.bump();
                let values = self.full_type()?;
                self.expect_punct('>', "to close map<...>")?;
                return Ok(Ty::Map {
                    values: Box::new(values),
                    props: Props::new(),
                    pos,
                });
            }
            ("union", Kind::Punct('{')) => {
                self.bump();
                self.bump();
                let mut branches = vec![self.full_type()?];
                while self.is_punct(',') {
                    self.bump();
                    branches.push(self.full_type()?);
                }
                self.expect_punct('}', "to close the union (or ',' and another type)")?;
                return Ok(Ty::Union { branches, pos });
            }
            _ => {}
        }
        let simple = match word {
            "decimal" if next == Kind::Punct('(') => {
                self.bump();
                self.bump();
                let precision = self.int("the decimal precision")?;
                let scale = if self.is_punct(',') {
                    self.bump();
                    self.int("the decimal scale")?
                } else {
                    (0, pos)
                };
                self.expect_punct(')', "to close decimal(precision, scale)")?;
                if !(1..=i64::from(i32::MAX)).contains(&precision.0) {
                    return Err(self.err_at(
                        precision.1,
                        format!(
                            "invalid decimal precision {}: must be positive",
                            precision.0
                        ),
                    ));
                }
                if scale.0 < 0 || scale.0 > precision.0 {
                    return Err(self.err_at(
                        scale.1,
                        format!(
                            "invalid decimal scale {}: must be from 0 to the precision {}",
                            scale.0, precision.0
                        ),
                    ));
                }
                let mut props = Props::new();
                props.insert("logicalType".into(), "decimal".into());
                props.insert("precision".into(), precision.0.into());
                props.insert("scale".into(), scale.0.into());
                Ty::Prim {
                    ty: Primitive::Bytes,
                    props,
                    pos,
                }
            }
            _ => {
                let logical = |ty, name: &str| {
                    let mut props = Map::new();
                    props.insert("logicalType".into(), Value::String(name.into()));
                    (ty, props)
                };
                let prim = match word {
                    "date" => Some(logical(Primitive::Int, "date")),
                    "time_ms" => Some(logical(Primitive::Int, "time-millis")),
                    "timestamp_ms" => Some(logical(Primitive::Long, "timestamp-millis")),
                    "local_timestamp_ms" => {
                        Some(logical(Primitive::Long, "local-timestamp-millis"))
                    }
                    "uuid" => Some(logical(Primitive::String, "uuid")),
                    w => Primitive::from_name(w).map(|p| (p, Props::new())),
                };
                self.bump();
                match prim {
                    Some((ty, props)) => Ty::Prim { ty, props, pos },
                    None => Ty::Ref {
                        name: self.full_name(&word.replace('`', "")),
                        pos,
                    },
                }
            }
        };
        if self.is_punct('?') {
            self.bump();
            return Ok(Ty::Nullable {
                inner: Box::new(simple),
                pos,
            });
        }
        Ok(simple)
    }

    pub(super) fn int(&mut self, what: &str) -> R<(i64, Pos)> {
        let t = self.bump();
        match t.kind {
            Kind::Int(v) => Ok((v, t.pos)),
            _ => Err(self.err_at(
                t.pos,
                format!("expected {what} (an integer), found {}", self.describe(&t)),
            )),
        }
    }

    pub(super) fn json(&mut self) -> R<Value> {
        self.enter()?;
        let v = self.json_inner();
        self.depth -= 1;
        v
    }

    fn json_inner(&mut self) -> R<Value> {
        let t = self.bump();
        Ok(match t.kind {
            Kind::Str(s) => Value::String(s),
            Kind::Int(v) => Value::from(v),
            Kind::Float(f) => float_value(f),
            Kind::Ident if self.text(&t) == "true" => Value::Bool(true),
            Kind::Ident if self.text(&t) == "false" => Value::Bool(false),
            Kind::Ident if self.text(&t) == "null" => Value::Null,
            Kind::Punct('[') => {
                let mut items = Vec::new();
                if !self.is_punct(']') {
                    loop {
                        items.push(self.json()?);
                        if self.is_punct(',') {
                            self.bump();
                            continue;
                        }
                        break;
                    }
                }
                self.expect_punct(']', "to close the JSON array (or ',' and another value)")?;
                Value::Array(items)
            }
            Kind::Punct('{') => {
                let mut m = Map::new();
                if !self.is_punct('}') {
                    loop {
                        let k = self.bump();
                        let Kind::Str(key) = k.kind else {
                            return Err(self.err_at(
                                k.pos,
                                format!(
                                    "expected a JSON object key (a string), found {}",
                                    self.describe(&k)
                                ),
                            ));
                        };
                        self.expect_punct(':', "after the JSON object key")?;
                        let v = self.json()?;
                        m.insert(key, v);
                        if self.is_punct(',') {
                            self.bump();
                            continue;
                        }
                        break;
                    }
                }
                self.expect_punct('}', "to close the JSON object (or ',' and another member)")?;
                Value::Object(m)
            }
            _ => {
                return Err(self.err_at(
                    t.pos,
                    format!("expected a JSON value, found {}", self.describe(&t)),
                ))
            }
        })
    }
}

/// A JSON number, or `"NaN"`/`"Infinity"`/`"-Infinity"` as Java writes them.
fn float_value(f: f64) -> Value {
    match serde_json::Number::from_f64(f) {
        Some(n) => Value::Number(n),
        None if f.is_nan() => Value::String("NaN".into()),
        None if f > 0.0 => Value::String("Infinity".into()),
        None => Value::String("-Infinity".into()),
    }
}
