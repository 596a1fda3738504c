//! Writing schemas and protocols as Java's `Schema.toJson` and
//! `Protocol.toJson` do, which is what `avro-tools idl` and
//! `idl2schemata` print: a named type is defined at its first use and
//! referenced afterwards, by short name inside its own namespace and by full
//! name elsewhere; `namespace` is written only where it differs from the
//! enclosing one (`""` for the null namespace inside another); key order as
//! Java writes it.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::ast::{FieldDecl, Message, Ty};
use super::synth::order_name;
use crate::{Name, NamedKind, Order, Schema, SchemaSet, TypeId};

/// Type names Java always writes qualified (they would read as a type).
const TYPE_WORDS: &[&str] = &[
    "record", "enum", "array", "map", "union", "fixed", "string", "bytes", "int", "long", "float",
    "double", "boolean", "null",
];

pub(crate) struct Writer<'a> {
    set: &'a SchemaSet,
    known: HashSet<TypeId>,
}

fn qualified(name: &Name, space: Option<&str>) -> String {
    match (&name.namespace, space) {
        (Some(ns), Some(space)) if ns == space && !TYPE_WORDS.contains(&name.name.as_str()) => {
            name.name.clone()
        }
        _ => name.fullname(),
    }
}

fn with_props(type_name: &str, extra: Option<(&str, Value)>, props: &crate::Props) -> Value {
    if props.is_empty() && extra.is_none() {
        return Value::String(type_name.into());
    }
    let mut m = Map::new();
    m.insert("type".into(), type_name.into());
    if let Some((k, v)) = extra {
        m.insert(k.into(), v);
    }
    m.extend(props.clone());
    Value::Object(m)
}

impl<'a> Writer<'a> {
    pub fn new(set: &'a SchemaSet) -> Self {
        Writer {
            set,
            known: HashSet::new(),
        }
    }

    pub fn is_known(&self, id: TypeId) -> bool {
        self.known.contains(&id)
    }

    pub fn schema(&mut self, s: &Schema, ns: Option<&str>) -> Value {
        match s {
            Schema::Primitive { ty, props, .. } => with_props(ty.name(), None, props),
            Schema::Array { items, props } => {
                let items = self.schema(items, ns);
                with_props("array", Some(("items", items)), props)
            }
            Schema::Map { values, props } => {
                let values = self.schema(values, ns);
                with_props("map", Some(("values", values)), props)
            }
            Schema::Union(b) => Value::Array(b.iter().map(|s| self.schema(s, ns)).collect()),
            Schema::Named(id) => self.named(*id, ns),
        }
    }

    pub fn named(&mut self, id: TypeId, ns: Option<&str>) -> Value {
        let t = self.set.get(id);
        if !self.known.insert(id) {
            return Value::String(qualified(&t.name, ns));
        }
        let own = t.name.namespace.as_deref();
        let mut m = Map::new();
        m.insert("type".into(), t.kind_name().into());
        m.insert("name".into(), t.name.name.clone().into());
        match own {
            Some(space) if Some(space) != ns => {
                m.insert("namespace".into(), space.into());
            }
            None if ns.is_some() => {
                m.insert("namespace".into(), "".into());
            }
            _ => {}
        }
        if let Some(doc) = &t.doc {
            m.insert("doc".into(), doc.clone().into());
        }
        match &t.kind {
            NamedKind::Record { fields, .. } => {
                let fields = fields
                    .iter()
                    .map(|f| {
                        let ty = self.schema(&f.schema, own);
                        field_json(
                            &f.name,
                            ty,
                            f.doc.as_deref(),
                            f.default.as_ref(),
                            f.order,
                            &f.aliases,
                            &f.props,
                        )
                    })
                    .collect();
                m.insert("fields".into(), Value::Array(fields));
            }
            NamedKind::Enum { symbols, default } => {
                m.insert("symbols".into(), symbols.clone().into());
                if let Some(d) = default {
                    m.insert("default".into(), d.clone().into());
                }
            }
            NamedKind::Fixed { size, .. } => {
                m.insert("size".into(), (*size as u64).into());
            }
        }
        m.extend(t.props.clone());
        if !t.aliases.is_empty() {
            let a = t
                .aliases
                .iter()
                .map(|a| Value::String(qualified(a, own)))
                .collect();
            m.insert("aliases".into(), Value::Array(a));
        }
        Value::Object(m)
    }

    /// An IDL type (of a message or the main schema).
    pub fn ty(&mut self, t: &Ty, ns: Option<&str>, null_last: bool) -> Value {
        match t {
            Ty::Prim { ty, props, .. } => with_props(ty.name(), None, props),
            Ty::Ref { name, .. } => match self.set.lookup(name) {
                Some(id) => self.named(id, ns),
                None => Value::String(name.clone()),
            },
            Ty::Array { items, props, .. } => {
                let items = self.ty(items, ns, false);
                with_props("array", Some(("items", items)), props)
            }
            Ty::Map { values, props, .. } => {
                let values = self.ty(values, ns, false);
                with_props("map", Some(("values", values)), props)
            }
            Ty::Union { branches, .. } => {
                Value::Array(branches.iter().map(|b| self.ty(b, ns, false)).collect())
            }
            Ty::Nullable { inner, .. } => {
                let inner = self.ty(inner, ns, false);
                if null_last {
                    Value::Array(vec![inner, "null".into()])
                } else {
                    Value::Array(vec!["null".into(), inner])
                }
            }
        }
    }

    fn param(&mut self, f: &FieldDecl, ns: Option<&str>) -> Value {
        let ty = self.ty(&f.ty, ns, f.null_last());
        field_json(
            &f.name,
            ty,
            f.doc.as_deref(),
            f.default.as_ref().map(|(v, _)| v),
            f.order,
            &f.aliases,
            &f.props,
        )
    }

    pub fn message(&mut self, msg: &Message, ns: Option<&str>) -> Value {
        let mut m = Map::new();
        if let Some(doc) = &msg.doc {
            m.insert("doc".into(), doc.clone().into());
        }
        m.extend(msg.props.clone());
        let request = msg.request.iter().map(|f| self.param(f, ns)).collect();
        m.insert("request".into(), Value::Array(request));
        if msg.one_way {
            m.insert("response".into(), "null".into());
            m.insert("one-way".into(), true.into());
        } else {
            let response = self.ty(&msg.response, ns, false);
            m.insert("response".into(), response);
            if !msg.errors.is_empty() {
                let errors = msg
                    .errors
                    .iter()
                    .map(|(e, pos)| {
                        self.ty(
                            &Ty::Ref {
                                name: e.clone(),
                                pos: *pos,
                            },
                            ns,
                            false,
                        )
                    })
                    .collect();
                m.insert("errors".into(), Value::Array(errors));
            }
        }
        Value::Object(m)
    }
}

fn field_json(
    name: &str,
    ty: Value,
    doc: Option<&str>,
    default: Option<&Value>,
    order: Option<Order>,
    aliases: &[String],
    props: &crate::Props,
) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), name.into());
    m.insert("type".into(), ty);
    if let Some(doc) = doc {
        m.insert("doc".into(), doc.into());
    }
    if let Some(d) = default {
        m.insert("default".into(), d.clone());
    }
    if let Some(o) = order.filter(|o| *o != Order::Ascending) {
        m.insert("order".into(), order_name(o).into());
    }
    if !aliases.is_empty() {
        m.insert("aliases".into(), aliases.to_vec().into());
    }
    m.extend(props.clone());
    Value::Object(m)
}
