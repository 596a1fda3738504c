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
    /// Full name → the definition's canonical JSON (`None` while the type
    /// is still being composed: a recursive reference).
    defined: HashMap<String, Option<Value>>,
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
}

/// Full name of a definition `name` (perhaps dotted) with an optional
/// explicit `namespace`, inside the enclosing namespace `ns`.
fn full_name(name: &str, namespace: Option<&Value>, ns: Option<&str>) -> String {
    if name.contains('.') {
        return name.to_owned();
    }
    let explicit = namespace.and_then(Value::as_str);
    match explicit.or(ns).filter(|s| !s.is_empty()) {
        Some(ns) => format!("{ns}.{name}"),
        None => name.to_owned(),
    }
}

fn split_name(full: &str) -> (&str, &str) {
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
                    if !names.begin(&full) {
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
