//! An IDL file's own declarations as schema JSON (a protocol document whose
//! `types` are its named types, then its main schema), which the JSON parser
//! reads into the [`SchemaSet`](crate::SchemaSet) like any `.avpr`; and the
//! map from each JSON pointer of that text back to the IDL line and column,
//! so that every later error (an unknown type, a bad default, a duplicate
//! name, a name codegen cannot use) points into the `.avdl` file.
//!
//! References are written as full names (IDL qualified them when parsing),
//! and every named type carries an explicit namespace, so the JSON
//! parser's namespace rules cannot rebind anything.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::ast::{Ast, DeclKind, FieldDecl, Item, NamedDecl, Ty};
use super::Pos;
use crate::Order;

/// JSON pointer → IDL position, for errors in a converted source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PositionMap(HashMap<String, Pos>);

impl PositionMap {
    /// Line and column (from 1) of the pointer, or of its nearest ancestor
    /// that came from the IDL text.
    pub fn locate(&self, pointer: &str) -> (usize, usize) {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.0.get(p) {
                return (pos.line as usize, pos.col as usize);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return (1, 1),
            }
        }
    }

    fn put(&mut self, pointer: &str, pos: Pos) {
        self.0.insert(pointer.to_owned(), pos);
    }
}

/// The schema JSON of `ast`'s declarations, and where each part came from.
pub(crate) fn synthesize(protocol_name: &str, ast: &Ast) -> (String, PositionMap) {
    let mut map = PositionMap::default();
    let mut types = Vec::new();
    for item in &ast.items {
        if let Item::Type(d) = item {
            let ptr = format!("/types/{}", types.len());
            types.push(decl(&ptr, d, &mut map));
        }
    }
    if let Some(main) = &ast.main_schema {
        if !matches!(main, Ty::Ref { .. }) {
            let ptr = format!("/types/{}", types.len());
            types.push(ty(&ptr, main, false, &mut map));
        }
    }
    let mut doc = Map::new();
    doc.insert("protocol".into(), protocol_name.into());
    doc.insert("types".into(), Value::Array(types));
    (Value::Object(doc).to_string(), map)
}

fn decl(ptr: &str, d: &NamedDecl, map: &mut PositionMap) -> Value {
    map.put(ptr, d.pos);
    map.put(&format!("{ptr}/name"), d.name_pos);
    let mut m = Map::new();
    let kind = match &d.kind {
        DeclKind::Record { is_error: true, .. } => "error",
        DeclKind::Record { .. } => "record",
        DeclKind::Enum { .. } => "enum",
        DeclKind::Fixed { .. } => "fixed",
    };
    m.insert("type".into(), kind.into());
    m.insert("name".into(), d.name.clone().into());
    m.insert(
        "namespace".into(),
        d.namespace.clone().unwrap_or_default().into(),
    );
    if let Some(doc) = &d.doc {
        m.insert("doc".into(), doc.clone().into());
    }
    if !d.aliases.is_empty() {
        m.insert("aliases".into(), d.aliases.clone().into());
    }
    match &d.kind {
        DeclKind::Record { fields, .. } => {
            let fields = fields
                .iter()
                .enumerate()
                .map(|(j, f)| field(&format!("{ptr}/fields/{j}"), f, map))
                .collect();
            m.insert("fields".into(), Value::Array(fields));
        }
        DeclKind::Enum { symbols, default } => {
            for (k, (_, pos)) in symbols.iter().enumerate() {
                map.put(&format!("{ptr}/symbols/{k}"), *pos);
            }
            let symbols = symbols
                .iter()
                .map(|(s, _)| Value::from(s.clone()))
                .collect();
            m.insert("symbols".into(), Value::Array(symbols));
            if let Some((d, pos)) = default {
                map.put(&format!("{ptr}/default"), *pos);
                m.insert("default".into(), d.clone().into());
            }
        }
        DeclKind::Fixed { size, size_pos } => {
            map.put(&format!("{ptr}/size"), *size_pos);
            m.insert("size".into(), (*size).into());
        }
    }
    m.extend(d.props.clone());
    Value::Object(m)
}

fn field(ptr: &str, f: &FieldDecl, map: &mut PositionMap) -> Value {
    map.put(ptr, f.pos);
    map.put(&format!("{ptr}/name"), f.pos);
    let mut m = Map::new();
    m.insert("name".into(), f.name.clone().into());
    m.insert(
        "type".into(),
        ty(&format!("{ptr}/type"), &f.ty, f.null_last(), map),
    );
    if let Some(doc) = &f.doc {
        m.insert("doc".into(), doc.clone().into());
    }
    if let Some((v, pos)) = &f.default {
        map.put(&format!("{ptr}/default"), *pos);
        m.insert("default".into(), v.clone());
    }
    if let Some(o) = f.order {
        m.insert("order".into(), order_name(o).into());
    }
    if !f.aliases.is_empty() {
        m.insert("aliases".into(), f.aliases.clone().into());
    }
    m.extend(f.props.clone());
    Value::Object(m)
}

pub(crate) fn order_name(o: Order) -> &'static str {
    match o {
        Order::Ascending => "ascending",
        Order::Descending => "descending",
        Order::Ignore => "ignore",
    }
}

fn ty(ptr: &str, t: &Ty, null_last: bool, map: &mut PositionMap) -> Value {
    map.put(ptr, t.pos());
    let with_props = |type_name: &str, props: &crate::Props, extra: Option<(&str, Value)>| {
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
    };
    match t {
        Ty::Prim { ty, props, .. } => with_props(ty.name(), props, None),
        Ty::Ref { name, .. } => Value::String(name.clone()),
        Ty::Array { items, props, .. } => {
            let items = ty(&format!("{ptr}/items"), items, false, map);
            with_props("array", props, Some(("items", items)))
        }
        Ty::Map { values, props, .. } => {
            let values = ty(&format!("{ptr}/values"), values, false, map);
            with_props("map", props, Some(("values", values)))
        }
        Ty::Union { branches, .. } => Value::Array(
            branches
                .iter()
                .enumerate()
                .map(|(k, b)| ty(&format!("{ptr}/{k}"), b, false, map))
                .collect(),
        ),
        Ty::Nullable { inner, pos } => {
            let (inner_at, null_at) = if null_last { (0, 1) } else { (1, 0) };
            map.put(&format!("{ptr}/{null_at}"), *pos);
            let inner = ty(&format!("{ptr}/{inner_at}"), inner, false, map);
            if null_last {
                Value::Array(vec![inner, "null".into()])
            } else {
                Value::Array(vec!["null".into(), inner])
            }
        }
    }
}
