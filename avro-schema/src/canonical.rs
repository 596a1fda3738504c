//! Writing schemas back out: the Parsing Canonical Form (and so the
//! CRC-64-AVRO fingerprint), and the full JSON form that keeps docs,
//! defaults, aliases, logical types and custom properties.

use serde_json::{Map, Value};

use super::{NamedKind, Order, Schema, SchemaSet};

/// `s` as a JSON string, as serde_json writes it: names and symbols (the
/// usual case) need no escape and are copied; the others go through
/// serde_json so the bytes (and so the fingerprints) stay the same.
fn write_quoted(s: &str, out: &mut String) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&Value::String(s.to_owned()).to_string());
    }
}

impl SchemaSet {
    /// The specification's Parsing Canonical Form of `schema`: full names,
    /// only `name`, `type`, `fields`, `symbols`, `items`, `values`, `size`,
    /// in that order, logical types and everything else stripped, no
    /// whitespace; a named type is written whole once, then by name.
    pub fn canonical_form(&self, schema: &Schema) -> String {
        let mut out = String::new();
        self.write_canonical(schema, &mut vec![false; self.types.len()], true, &mut out);
        out
    }

    /// The canonical form with unqualified names: two schemas with the same
    /// one describe the same binary layout, and the specification's
    /// resolution rules match named types by unqualified name.
    pub fn unqualified_canonical_form(&self, schema: &Schema) -> String {
        let mut out = String::new();
        self.write_canonical(schema, &mut vec![false; self.types.len()], false, &mut out);
        out
    }

    /// CRC-64-AVRO of the Parsing Canonical Form.
    pub fn fingerprint(&self, schema: &Schema) -> u64 {
        crate::rabin::fingerprint64(self.canonical_form(schema).as_bytes())
    }

    /// Writes `schema`'s canonical form; `seen[id]`: named type `id` was
    /// written whole already (then only its name is).
    fn write_canonical(&self, schema: &Schema, seen: &mut [bool], full: bool, out: &mut String) {
        match schema {
            Schema::Primitive { ty, .. } => {
                out.push('"');
                out.push_str(ty.name());
                out.push('"');
            }
            Schema::Array { items, .. } => {
                out.push_str("{\"type\":\"array\",\"items\":");
                self.write_canonical(items, seen, full, out);
                out.push('}');
            }
            Schema::Map { values, .. } => {
                out.push_str("{\"type\":\"map\",\"values\":");
                self.write_canonical(values, seen, full, out);
                out.push('}');
            }
            Schema::Union(branches) => {
                out.push('[');
                for (i, b) in branches.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.write_canonical(b, seen, full, out);
                }
                out.push(']');
            }
            Schema::Named(id) => {
                let t = &self.types[*id];
                let first = !std::mem::replace(&mut seen[*id], true);
                if first {
                    out.push_str("{\"name\":");
                }
                if full {
                    write_quoted(&t.name.fullname(), out);
                } else {
                    write_quoted(&t.name.name, out);
                }
                if !first {
                    return;
                }
                match &t.kind {
                    NamedKind::Record { fields, .. } => {
                        // Errors are records in canonical form (Java agrees).
                        out.push_str(",\"type\":\"record\",\"fields\":[");
                        for (i, f) in fields.iter().enumerate() {
                            if i > 0 {
                                out.push(',');
                            }
                            out.push_str("{\"name\":");
                            write_quoted(&f.name, out);
                            out.push_str(",\"type\":");
                            self.write_canonical(&f.schema, seen, full, out);
                            out.push('}');
                        }
                        out.push(']');
                    }
                    NamedKind::Enum { symbols, .. } => {
                        out.push_str(",\"type\":\"enum\",\"symbols\":[");
                        for (i, s) in symbols.iter().enumerate() {
                            if i > 0 {
                                out.push(',');
                            }
                            write_quoted(s, out);
                        }
                        out.push(']');
                    }
                    NamedKind::Fixed { size, .. } => {
                        out.push_str(",\"type\":\"fixed\",\"size\":");
                        out.push_str(&size.to_string());
                    }
                }
                out.push('}');
            }
        }
    }

    /// The full JSON of `schema`, self-contained: every named type it uses is
    /// defined at its first use (with an explicit namespace) and referenced by
    /// full name afterwards. Docs, aliases, defaults, orders, logical types
    /// and custom properties are kept.
    pub fn to_json(&self, schema: &Schema) -> Value {
        self.json_of(schema, &mut vec![false; self.types.len()], None)
    }

    fn json_of(&self, schema: &Schema, seen: &mut [bool], ns: Option<&str>) -> Value {
        match schema {
            Schema::Primitive { ty, props, .. } => {
                if props.is_empty() {
                    Value::String(ty.name().into())
                } else {
                    let mut m = Map::new();
                    m.insert("type".into(), ty.name().into());
                    m.extend(props.clone());
                    Value::Object(m)
                }
            }
            Schema::Array { items, props } => {
                let mut m = Map::new();
                m.insert("type".into(), "array".into());
                m.insert("items".into(), self.json_of(items, seen, ns));
                m.extend(props.clone());
                Value::Object(m)
            }
            Schema::Map { values, props } => {
                let mut m = Map::new();
                m.insert("type".into(), "map".into());
                m.insert("values".into(), self.json_of(values, seen, ns));
                m.extend(props.clone());
                Value::Object(m)
            }
            Schema::Union(b) => Value::Array(b.iter().map(|s| self.json_of(s, seen, ns)).collect()),
            Schema::Named(id) => {
                let t = &self.types[*id];
                if std::mem::replace(&mut seen[*id], true) {
                    return Value::String(t.name.fullname());
                }
                let own_ns = t.name.namespace.as_deref();
                let mut m = Map::new();
                m.insert("type".into(), t.kind_name().into());
                m.insert("name".into(), t.name.name.clone().into());
                if own_ns != ns {
                    m.insert("namespace".into(), own_ns.unwrap_or("").into());
                }
                if let Some(doc) = &t.doc {
                    m.insert("doc".into(), doc.clone().into());
                }
                if !t.aliases.is_empty() {
                    let a = t
                        .aliases
                        .iter()
                        .map(|a| Value::String(a.fullname()))
                        .collect();
                    m.insert("aliases".into(), Value::Array(a));
                }
                match &t.kind {
                    NamedKind::Record { fields, .. } => {
                        let fields = fields
                            .iter()
                            .map(|f| {
                                let mut fm = Map::new();
                                fm.insert("name".into(), f.name.clone().into());
                                fm.insert("type".into(), self.json_of(&f.schema, seen, own_ns));
                                if let Some(doc) = &f.doc {
                                    fm.insert("doc".into(), doc.clone().into());
                                }
                                if let Some(d) = &f.default {
                                    fm.insert("default".into(), d.clone());
                                }
                                if let Some(o) = f.order {
                                    let o = match o {
                                        Order::Ascending => "ascending",
                                        Order::Descending => "descending",
                                        Order::Ignore => "ignore",
                                    };
                                    fm.insert("order".into(), o.into());
                                }
                                if !f.aliases.is_empty() {
                                    let a = f
                                        .aliases
                                        .iter()
                                        .map(|a| Value::String(a.clone()))
                                        .collect();
                                    fm.insert("aliases".into(), Value::Array(a));
                                }
                                fm.extend(f.props.clone());
                                Value::Object(fm)
                            })
                            .collect();
                        m.insert("fields".into(), Value::Array(fields));
                    }
                    NamedKind::Enum { symbols, default } => {
                        let s = symbols.iter().map(|s| Value::String(s.clone())).collect();
                        m.insert("symbols".into(), Value::Array(s));
                        if let Some(d) = default {
                            m.insert("default".into(), d.clone().into());
                        }
                    }
                    NamedKind::Fixed { size, .. } => {
                        m.insert("size".into(), (*size as u64).into());
                    }
                }
                m.extend(t.props.clone());
                Value::Object(m)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::SchemaSet;

    fn canon(text: &str) -> String {
        let (set, root) = SchemaSet::parse_str(text).unwrap();
        set.canonical_form(&root)
    }

    #[test]
    fn strips_logical_types_and_attributes() {
        assert_eq!(
            canon(r#"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}"#),
            r#""bytes""#
        );
        assert_eq!(
            canon(
                r#"{"type":"record","name":"R","namespace":"a.b","doc":"x","fields":[{"name":"f","type":{"type":"int","logicalType":"date"},"default":1}]}"#
            ),
            r#"{"name":"a.b.R","type":"record","fields":[{"name":"f","type":"int"}]}"#
        );
    }

    #[test]
    fn named_types_once_then_by_full_name() {
        assert_eq!(
            canon(
                r#"{"type":"record","name":"L","namespace":"n","fields":[{"name":"next","type":["null","L"]},{"name":"e","type":{"type":"enum","name":"E","namespace":"","symbols":["A"]}},{"name":"e2","type":"E"}]}"#
            ),
            r#"{"name":"n.L","type":"record","fields":[{"name":"next","type":["null","n.L"]},{"name":"e","type":{"name":"E","type":"enum","symbols":["A"]}},{"name":"e2","type":"E"}]}"#
        );
    }

    #[test]
    fn full_json_round_trips_through_the_parser() {
        let text = r#"{"type":"record","name":"R","namespace":"a","doc":"d","aliases":["Old"],"fields":[
            {"name":"f","type":{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":4},"default":"\u0000\u0001","x-prop":1},
            {"name":"g","type":{"type":"array","items":"F"},"order":"descending"}]}"#;
        let (set, root) = SchemaSet::parse_str(text).unwrap();
        let json = set.to_json(&root).to_string();
        let (set2, root2) = SchemaSet::parse_str(&json).unwrap();
        assert_eq!(set.canonical_form(&root), set2.canonical_form(&root2));
        assert_eq!(json, set2.to_json(&root2).to_string());
        assert!(json.contains("\"x-prop\":1") && json.contains("\"aliases\":[\"a.Old\"]"));
    }
}
