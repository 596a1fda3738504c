//! Composing one schema out of the schemas of several Rust types, as
//! `#[derive(AvroSchema)]` needs: a derived type's schema contains the
//! schemas of its field types, which the macro cannot see, so the JSON is
//! put together when the program first asks for it.
//!
//! A composition walks schema JSON in document order with one [`Names`]
//! table: the first definition of a named type stays (with its namespace
//! made explicit, so it means the same wherever it lands), and every later
//! definition of the same full name becomes a reference to it. That is what
//! makes a named type used twice come out defined once, and what ends the
//! recursion of types that contain each other (a type registers its name
//! before composing its fields).

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::{SchemaError, SchemaSet};

/// The key of a hole object in a schema template: `{"$hole": 3}` stands for
/// the schema of the template's fourth external type.
pub const HOLE_KEY: &str = "$hole";

/// The named types defined so far in one composition.
#[derive(Debug, Default)]
pub struct Names {
    /// Full name → the first definition's shape ([`shape`]; `None` for a
    /// name registered with [`Names::begin`]).
    defined: HashMap<String, Option<Value>>,
    /// Definitions of an already defined name with another shape: two Rust
    /// types that claim one Avro name (see [`Names::conflicts`]).
    conflicts: Vec<String>,
}

impl Names {
    /// No type defined yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `fullname` as being defined now. Returns `false` (and changes
    /// nothing) when it is already defined or being defined.
    pub fn begin(&mut self, fullname: &str) -> bool {
        if self.defined.contains_key(fullname) {
            return false;
        }
        self.defined.insert(fullname.to_owned(), None);
        true
    }

    /// Whether `fullname` is defined (or being defined).
    pub fn contains(&self, fullname: &str) -> bool {
        self.defined.contains_key(fullname)
    }

    /// Every name defined twice with different contents in this
    /// composition, each described: a schema holds one definition per full
    /// name, so the second would silently have read as the first.
    pub fn conflicts(&self) -> &[String] {
        &self.conflicts
    }

    /// Registers the definition `def` of `full` (in namespace `ns`), or
    /// checks it against the first one. `true` when it is the first.
    fn define(&mut self, full: &str, def: &Map<String, Value>) -> bool {
        let own_ns = split_name(full).0;
        let now = shape(def, own_ns);
        match self.defined.get(full) {
            None => {
                self.defined.insert(full.to_owned(), Some(now));
                true
            }
            Some(Some(first)) => {
                if !same_shape(first, &now) {
                    self.conflicts.push(format!(
                        "`{full}` is defined twice, differently: first {first}, then {now}"
                    ));
                }
                false
            }
            Some(None) => false,
        }
    }
}

const PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

/// What makes a named definition the type it is, one level deep: kind,
/// then field names and their types' shapes, symbols, or size; nested named
/// types by full name; a hole (a type composed elsewhere) as `"?"`. Docs,
/// defaults, aliases and other attributes are left out: two copies of one
/// type may differ there.
fn shape(def: &Map<String, Value>, ns: &str) -> Value {
    let kind = def.get("type").cloned().unwrap_or(Value::Null);
    let mut out = vec![kind];
    if let Some(Value::Array(fields)) = def.get("fields") {
        for f in fields {
            out.push(Value::String(
                f.get("name").and_then(Value::as_str).unwrap_or("").into(),
            ));
            out.push(type_shape(f.get("type").unwrap_or(&Value::Null), ns));
        }
    }
    for key in ["symbols", "size", "logicalType"] {
        if let Some(v) = def.get(key) {
            out.push(v.clone());
        }
    }
    Value::Array(out)
}

fn type_shape(t: &Value, ns: &str) -> Value {
    match t {
        Value::String(s)
            if PRIMITIVES.contains(&s.as_str()) || s.contains('.') || ns.is_empty() =>
        {
            Value::String(s.clone())
        }
        Value::String(s) => Value::String(format!("{ns}.{s}")),
        Value::Array(branches) => {
            Value::Array(branches.iter().map(|b| type_shape(b, ns)).collect())
        }
        Value::Object(m) if m.contains_key(HOLE_KEY) => Value::String("?".into()),
        Value::Object(m) => match m.get("type").and_then(Value::as_str) {
            Some("record" | "error" | "enum" | "fixed") => {
                let name = m.get("name").and_then(Value::as_str).unwrap_or("");
                Value::String(full_name(name, m.get("namespace"), Some(ns)))
            }
            Some("array") => Value::Array(vec![
                "array".into(),
                type_shape(m.get("items").unwrap_or(&Value::Null), ns),
            ]),
            Some("map") => Value::Array(vec![
                "map".into(),
                type_shape(m.get("values").unwrap_or(&Value::Null), ns),
            ]),
            Some(p) => Value::String(match m.get("logicalType").and_then(Value::as_str) {
                Some(l) => format!("{p}/{l}"),
                None => p.to_owned(),
            }),
            None => type_shape(m.get("type").unwrap_or(&Value::Null), ns),
        },
        other => other.clone(),
    }
}

/// Equal shapes, a hole matching anything.
fn same_shape(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), _) | (_, Value::String(x)) if x == "?" => true,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_shape(x, y))
        }
        _ => a == b,
    }
}

/// Full name of a definition `name` (perhaps dotted) with an optional
/// explicit `namespace`, inside the enclosing namespace `ns`.
pub(crate) fn full_name(name: &str, namespace: Option<&Value>, ns: Option<&str>) -> String {
    if name.contains('.') {
        return name.to_owned();
    }
    let explicit = namespace.and_then(Value::as_str);
    match explicit.or(ns).filter(|s| !s.is_empty()) {
        Some(ns) => format!("{ns}.{name}"),
        None => name.to_owned(),
    }
}

/// A full name's namespace (empty for none) and simple name.
pub(crate) fn split_name(full: &str) -> (&str, &str) {
    full.rsplit_once('.').unwrap_or(("", full))
}

/// Rewrites `schema` (JSON inside the namespace `ns`) for a composition:
/// definitions of names already in `names` become references by full name,
/// new definitions get an explicit `namespace`, and each hole
/// `{"$hole": i}` is replaced by `hole(i, names)`.
pub fn normalize(
    schema: Value,
    ns: Option<&str>,
    names: &mut Names,
    hole: &mut dyn FnMut(usize, &mut Names) -> Value,
) -> Value {
    match schema {
        Value::Array(branches) => Value::Array(
            branches
                .into_iter()
                .map(|b| normalize(b, ns, names, hole))
                .collect(),
        ),
        Value::String(s) => {
            // A reference: make it absolute when it names a type of the
            // enclosing namespace (primitives and full names stay).
            if !s.contains('.') {
                if let Some(ns) = ns.filter(|n| !n.is_empty()) {
                    let candidate = format!("{ns}.{s}");
                    if names.contains(&candidate) {
                        return Value::String(candidate);
                    }
                }
            }
            Value::String(s)
        }
        Value::Object(mut m) => {
            if let Some(i) = m.get(HOLE_KEY).and_then(Value::as_u64) {
                return hole(i as usize, names);
            }
            let kind = m.get("type").and_then(Value::as_str).map(str::to_owned);
            match kind.as_deref() {
                Some("record" | "error" | "enum" | "fixed") => {
                    let Some(name) = m.get("name").and_then(Value::as_str) else {
                        return Value::Object(m);
                    };
                    let full = full_name(name, m.get("namespace"), ns);
                    if !names.define(&full, &m) {
                        return Value::String(full);
                    }
                    let (own_ns, short) = split_name(&full);
                    m.insert("name".into(), short.into());
                    m.insert("namespace".into(), own_ns.into());
                    if let Some(Value::Array(fields)) = m.remove("fields") {
                        let inner = (!own_ns.is_empty()).then_some(own_ns.to_owned());
                        let fields = fields
                            .into_iter()
                            .map(|f| match f {
                                Value::Object(mut f) => {
                                    if let Some(t) = f.remove("type") {
                                        let t = normalize(t, inner.as_deref(), names, hole);
                                        f.insert("type".into(), t);
                                    }
                                    Value::Object(f)
                                }
                                other => other,
                            })
                            .collect();
                        m.insert("fields".into(), Value::Array(fields));
                    }
                    Value::Object(m)
                }
                Some("array") => {
                    if let Some(items) = m.remove("items") {
                        m.insert("items".into(), normalize(items, ns, names, hole));
                    }
                    Value::Object(m)
                }
                Some("map") => {
                    if let Some(values) = m.remove("values") {
                        m.insert("values".into(), normalize(values, ns, names, hole));
                    }
                    Value::Object(m)
                }
                Some(_) => Value::Object(m),
                // {"type": <schema>}: the schema inside.
                None => match m.remove("type") {
                    Some(t) if m.is_empty() => normalize(t, ns, names, hole),
                    Some(t) => {
                        m.insert("type".into(), normalize(t, ns, names, hole));
                        Value::Object(m)
                    }
                    None => Value::Object(m),
                },
            }
        }
        other => other,
    }
}

/// A composed schema's texts, as `AvroSchema` returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    /// Self-contained full JSON, written the way generated types write theirs.
    pub json: String,
    /// Parsing Canonical Form.
    pub canonical: String,
    /// CRC-64-AVRO of the canonical form.
    pub fingerprint: u64,
}

/// Parses a composed schema (validating names and defaults) and writes its
/// texts with the same functions that write generated types' schemas.
pub fn texts(schema: &Value) -> Result<Texts, SchemaError> {
    let (set, root) = SchemaSet::parse_str(&schema.to_string())?;
    let canonical = set.canonical_form(&root);
    Ok(Texts {
        json: set.to_json(&root).to_string(),
        fingerprint: crate::fingerprint64(canonical.as_bytes()),
        canonical,
    })
}

/// A hole object for templates.
pub fn hole(i: usize) -> Value {
    let mut m = Map::new();
    m.insert(HOLE_KEY.into(), (i as u64).into());
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_name_defined_twice_differently_is_a_conflict_and_alike_is_not() {
        let mut names = Names::new();
        let first = json!({"type": "record", "name": "S", "namespace": "n", "doc": "one",
            "fields": [{"name": "a", "type": "int"}, {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["X"]}}]});
        // The same type again (another doc, its nested type by reference,
        // a hole where the first had the type): not a conflict.
        let alike = json!({"type": "record", "name": "S", "namespace": "n",
            "fields": [{"name": "a", "type": "int", "default": 1}, {"name": "e", "type": "E"}]});
        let other = json!({"type": "record", "name": "S", "namespace": "n",
            "fields": [{"name": "b", "type": "int"}, {"name": "e", "type": {"$hole": 0}}]});
        let holed = json!({"type": "record", "name": "S", "namespace": "n",
            "fields": [{"name": "a", "type": "int"}, {"name": "e", "type": {"$hole": 0}}]});
        let whole = json!([first, alike, holed, other]);
        normalize(whole, None, &mut names, &mut |_, _| json!("n.E"));
        assert_eq!(names.conflicts().len(), 1, "{:?}", names.conflicts());
        assert!(
            names.conflicts()[0].contains("`n.S`"),
            "{:?}",
            names.conflicts()
        );
        assert!(
            names.conflicts()[0].contains("\"b\""),
            "{:?}",
            names.conflicts()
        );
    }

    fn no_holes(_: usize, _: &mut Names) -> Value {
        unreachable!("no holes here")
    }

    #[test]
    fn second_definition_becomes_a_reference_and_namespaces_are_explicit() {
        let mut names = Names::new();
        let rec = json!({"type":"record","name":"A","namespace":"n","fields":[
            {"name":"x","type":{"type":"enum","name":"E","symbols":["X"]}},
            {"name":"y","type":{"type":"enum","name":"E","symbols":["X"]}}]});
        let out = normalize(rec, None, &mut names, &mut no_holes);
        assert_eq!(out["fields"][0]["type"]["namespace"], "n");
        assert_eq!(out["fields"][1]["type"], "n.E");
        let t = texts(&out).unwrap();
        assert_eq!(
            t.canonical,
            r#"{"name":"n.A","type":"record","fields":[{"name":"x","type":{"name":"n.E","type":"enum","symbols":["X"]}},{"name":"y","type":"n.E"}]}"#
        );
    }

    #[test]
    fn holes_are_filled_in_document_order() {
        let mut names = Names::new();
        let tpl = json!({"type":"record","name":"R","fields":[
            {"name":"a","type":{"$hole":0}},{"name":"b","type":{"type":"array","items":{"$hole":0}}}]});
        let inner = json!({"type":"fixed","name":"F","namespace":"q","size":2});
        let out = normalize(tpl, None, &mut names, &mut |i, names| {
            assert_eq!(i, 0);
            normalize(inner.clone(), None, names, &mut no_holes)
        });
        assert_eq!(out["fields"][0]["type"]["name"], "F");
        assert_eq!(out["fields"][1]["type"]["items"], "q.F");
        texts(&out).unwrap();
    }
}
