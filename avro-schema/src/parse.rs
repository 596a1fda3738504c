//! Parsing schema JSON (`.avsc`, `.avpr`) into a [`SchemaSet`].
//!
//! Sources are parsed in the order given; a reference to a named type that is
//! not yet defined becomes a pending slot that [`SchemaSet::load`] resolves
//! once every source is read, so files may reference each other in any order.
//!
//! Errors are collected, not returned at the first: a bad file does not hide
//! the next one, a bad field not the next field, an unknown name not the next
//! unknown name ([`SchemaSet::load_all`] returns them all, with the warnings).
//! Each error carries what a compiler-style renderer needs: the byte span of
//! the offending JSON value, a label, `help` (e.g. "did you mean
//! `Superpower`?") and `note`, and related places (the first definition of a
//! duplicate name).

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::diagnostic::{did_you_mean, json_error, make_error};
pub use super::diagnostic::{Detail, Diagnostics, Related, SchemaError, Severity};
use super::{
    locate, Field, Logical, Name, NamedKind, NamedType, Order, Origin, Primitive, Props, Schema,
    TypeId,
};

/// One schema document and the name it is reported under (usually its path).
#[derive(Debug, Clone)]
pub struct Source {
    /// The name errors give (usually the file's path).
    pub name: String,
    /// The JSON text.
    pub text: String,
    /// For JSON converted from another format (Avro IDL): where each JSON
    /// pointer of `text` came from, so errors name the original file's line
    /// and column instead of positions in text the author never saw.
    pub(crate) positions: Option<std::sync::Arc<crate::idl::PositionMap>>,
}

impl Source {
    /// A source named `name` (usually a path) holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
            positions: None,
        }
    }
}

/// The top-level schema of one source: an `.avsc`'s schema, or each entry of
/// an `.avpr` protocol's `types`.
#[derive(Debug, Clone, PartialEq)]
pub struct Root {
    /// Index of the source in [`SchemaSet::sources`].
    pub source: usize,
    /// The schema.
    pub schema: Schema,
}

/// Every named type of a group of sources, and their top-level schemas.
#[derive(Debug, Clone, Default)]
pub struct SchemaSet {
    /// The sources, in the order given.
    pub sources: Vec<Source>,
    /// Every named type, indexed by [`TypeId`].
    pub types: Vec<NamedType>,
    /// The top-level schemas, in source order.
    pub roots: Vec<Root>,
    /// Things that are valid but worth telling the author (e.g. a union
    /// default that matches a branch other than the first), as
    /// `file:line:col: message` lines; [`SchemaSet::diagnostics`] has them
    /// with their spans and suggestions.
    pub warnings: Vec<String>,
    /// The warnings as diagnostics, for a compiler-style renderer.
    pub diagnostics: Vec<SchemaError>,
    by_name: HashMap<String, TypeId>,
}

enum Slot {
    Defined(NamedType),
    Pending {
        candidates: Vec<String>,
        origin: Origin,
        shown: String,
    },
}

const RESERVED_RECORD: &[&str] = &["type", "name", "namespace", "doc", "aliases", "fields"];
const RESERVED_FIELD: &[&str] = &["name", "type", "doc", "default", "aliases", "order"];
const RESERVED_ENUM: &[&str] = &[
    "type",
    "name",
    "namespace",
    "doc",
    "aliases",
    "symbols",
    "default",
];
const RESERVED_FIXED: &[&str] = &["type", "name", "namespace", "doc", "aliases", "size"];

impl SchemaSet {
    /// Parses one schema document on its own.
    pub fn parse_str(text: &str) -> Result<(SchemaSet, Schema), SchemaError> {
        let set = SchemaSet::load(vec![Source::new("<schema>", text)])?;
        let root = set.roots[0].schema.clone();
        Ok((set, root))
    }

    /// Parses `main` after the sources it depends on (`deps`, dependencies
    /// first, as a registry's schema references are): the set, and the last
    /// top-level schema `main` defines (`None` when it defines none).
    pub fn load_main(
        deps: Vec<Source>,
        main: Source,
    ) -> Result<(SchemaSet, Option<Schema>), SchemaError> {
        let mut sources = deps;
        sources.push(main);
        let last = sources.len() - 1;
        let set = SchemaSet::load(sources)?;
        let root = set
            .roots
            .iter()
            .rev()
            .find(|r| r.source == last)
            .map(|r| r.schema.clone());
        Ok((set, root))
    }

    /// Parses every source into one set; named types may be referenced across
    /// sources in any order. Fails with the first error; [`SchemaSet::load_all`]
    /// gives every error.
    pub fn load(sources: Vec<Source>) -> Result<SchemaSet, SchemaError> {
        Self::load_all(sources).map_err(|d| {
            d.errors
                .into_iter()
                .next()
                .expect("load_all fails with at least one error")
        })
    }

    /// As [`SchemaSet::load`], but an invalid set fails with every error
    /// found (and the warnings found on the way); a valid one has its
    /// warnings in [`SchemaSet::diagnostics`].
    pub fn load_all(sources: Vec<Source>) -> Result<SchemaSet, Diagnostics> {
        let mut p = Parser {
            slots: Vec::new(),
            by_name: HashMap::new(),
            pending: HashMap::new(),
            sources: &sources,
            source: 0,
            roots: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        for (i, src) in sources.iter().enumerate() {
            p.source = i;
            let json: Value = match serde_json::from_str(&src.text) {
                Ok(json) => json,
                Err(e) => {
                    p.errors.push(json_error(src, &e));
                    continue;
                }
            };
            if let Err(e) = p.parse_document(&json) {
                p.errors.push(e);
            }
        }
        let mut errors = std::mem::take(&mut p.errors);
        let mut warnings = std::mem::take(&mut p.warnings);
        let resolved = p.resolve();
        let (types, roots, by_name) = match resolved {
            Ok(r) if errors.is_empty() => r,
            Ok(_) => return Err(Diagnostics { errors, warnings }),
            Err(unknown) => {
                errors.extend(unknown);
                return Err(Diagnostics { errors, warnings });
            }
        };
        let mut set = SchemaSet {
            sources,
            types,
            roots,
            warnings: Vec::new(),
            diagnostics: Vec::new(),
            by_name,
        };
        let default_errors = set.check_defaults();
        warnings.append(&mut set.diagnostics);
        if !default_errors.is_empty() {
            return Err(Diagnostics {
                errors: default_errors,
                warnings,
            });
        }
        set.warnings = warnings.iter().map(ToString::to_string).collect();
        set.diagnostics = warnings;
        Ok(set)
    }

    /// The named type with this full name.
    pub fn lookup(&self, fullname: &str) -> Option<TypeId> {
        self.by_name.get(fullname).copied()
    }

    /// The named type `id`.
    pub fn get(&self, id: TypeId) -> &NamedType {
        &self.types[id]
    }

    pub(crate) fn error_at(&self, origin: &Origin, message: impl Into<String>) -> SchemaError {
        make_error(
            &self.sources[origin.source],
            &origin.pointer,
            message.into(),
        )
    }
}

mod suggest;

struct Parser<'s> {
    slots: Vec<Slot>,
    by_name: HashMap<String, TypeId>,
    pending: HashMap<Vec<String>, TypeId>,
    sources: &'s [Source],
    source: usize,
    roots: Vec<Root>,
    /// Errors collected so far (parsing goes on after most of them).
    errors: Vec<SchemaError>,
    warnings: Vec<SchemaError>,
}

/// The specification's `[A-Za-z_][A-Za-z0-9_]*`, widened as real schemas
/// need and other parsers allow: letters and digits in the Unicode sense (as
/// Java's parser; the corpus has Cyrillic and CJK names) and `$` (accepted by
/// fastavro and avro-python; used by generated Java classes). Spaces,
/// punctuation and a leading digit stay invalid.
fn is_valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn props_except(obj: &serde_json::Map<String, Value>, reserved: &[&str]) -> Props {
    obj.iter()
        .filter(|(k, _)| !reserved.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

impl Parser<'_> {
    #[cold]
    fn err(&self, pointer: &str, message: impl Into<String>) -> SchemaError {
        make_error(&self.sources[self.source], pointer, message.into())
    }

    /// One source's document: an `.avpr` protocol's `types`, or a schema.
    fn parse_document(&mut self, json: &Value) -> Result<(), SchemaError> {
        let source = self.source;
        if let Some(obj) = json.as_object().filter(|o| o.contains_key("protocol")) {
            let ns = match obj.get("namespace") {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                _ => None,
            };
            if let Some(types) = obj.get("types") {
                let types = types
                    .as_array()
                    .ok_or_else(|| self.err("/types", "protocol \"types\" must be an array"))?;
                for (j, t) in types.iter().enumerate() {
                    match self.parse(t, ns.as_deref(), &format!("/types/{j}")) {
                        Ok(schema) => self.roots.push(Root { source, schema }),
                        Err(e) => self.errors.push(e),
                    }
                }
            }
        } else {
            let schema = self.parse(json, None, "")?;
            self.roots.push(Root { source, schema });
        }
        Ok(())
    }

    fn parse(&mut self, v: &Value, ns: Option<&str>, ptr: &str) -> Result<Schema, SchemaError> {
        match v {
            Value::String(s) => self.parse_reference(s, ns, ptr),
            Value::Array(branches) => self.parse_union(branches, ns, ptr),
            Value::Object(obj) => self.parse_object(obj, ns, ptr),
            other => Err(self.err(
                ptr,
                format!(
                    "expected a schema (a type name, an object or a union array), found {}",
                    describe(other)
                ),
            )),
        }
    }

    fn parse_reference(
        &mut self,
        s: &str,
        ns: Option<&str>,
        ptr: &str,
    ) -> Result<Schema, SchemaError> {
        if let Some(p) = Primitive::from_name(s) {
            return Ok(Schema::primitive(p));
        }
        if matches!(s, "record" | "error" | "enum" | "fixed" | "array" | "map") {
            return Err(self.err(
                ptr,
                format!("\"{s}\" must be written as an object: {{\"type\": \"{s}\", ...}}"),
            ));
        }
        let mut candidates = Vec::new();
        if !s.contains('.') {
            if let Some(ns) = ns {
                candidates.push(format!("{ns}.{s}"));
            }
        }
        candidates.push(s.trim_start_matches('.').to_owned());
        for c in &candidates {
            if let Some(&id) = self.by_name.get(c) {
                return Ok(Schema::Named(id));
            }
        }
        if let Some(&id) = self.pending.get(&candidates) {
            return Ok(Schema::Named(id));
        }
        let id = self.slots.len();
        self.slots.push(Slot::Pending {
            candidates: candidates.clone(),
            origin: Origin {
                source: self.source,
                pointer: ptr.to_owned(),
            },
            shown: s.to_owned(),
        });
        self.pending.insert(candidates, id);
        Ok(Schema::Named(id))
    }

    fn parse_union(
        &mut self,
        branches: &[Value],
        ns: Option<&str>,
        ptr: &str,
    ) -> Result<Schema, SchemaError> {
        let mut out = Vec::with_capacity(branches.len());
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (i, b) in branches.iter().enumerate() {
            let bptr = format!("{ptr}/{i}");
            let s = self.parse(b, ns, &bptr)?;
            let key = match &s {
                Schema::Union(_) => {
                    return Err(self.err(&bptr, "a union may not directly contain another union"))
                }
                Schema::Primitive { ty, .. } => ty.name().to_owned(),
                Schema::Array { .. } => "array".into(),
                Schema::Map { .. } => "map".into(),
                Schema::Named(id) => match &self.slots[*id] {
                    Slot::Defined(t) => t.name.fullname(),
                    Slot::Pending { candidates, .. } => candidates.join("|"),
                },
            };
            if let Some((_, j)) = seen.iter().find(|(k, _)| *k == key) {
                return Err(self.err(
                    &bptr,
                    format!("union branches {j} and {i} are both {key}; a union may hold each type only once"),
                ));
            }
            seen.push((key, i));
            out.push(s);
        }
        Ok(Schema::Union(out))
    }

    fn parse_object(
        &mut self,
        obj: &serde_json::Map<String, Value>,
        ns: Option<&str>,
        ptr: &str,
    ) -> Result<Schema, SchemaError> {
        let tptr = format!("{ptr}/type");
        let ty = obj
            .get("type")
            .ok_or_else(|| self.missing(obj, "type", ptr, "schema object has no \"type\""))?;
        let ty = match ty {
            Value::String(s) => s.as_str(),
            Value::Object(_) | Value::Array(_) => return self.parse(ty, ns, &tptr),
            other => {
                return Err(self.err(
                    &tptr,
                    format!(
                        "\"type\" must be a type name or a schema, found {}",
                        describe(other)
                    ),
                ))
            }
        };
        match ty {
            "record" | "error" | "enum" | "fixed" => self.parse_named(obj, ty, ns, ptr),
            "array" => {
                self.check_keys(obj, &["type", "items"], ptr);
                let items = obj.get("items").ok_or_else(|| {
                    self.missing(obj, "items", ptr, "array schema has no \"items\"")
                })?;
                let items = self.parse(items, ns, &format!("{ptr}/items"))?;
                Ok(Schema::Array {
                    items: Box::new(items),
                    props: props_except(obj, &["type", "items"]),
                })
            }
            "map" => {
                self.check_keys(obj, &["type", "values"], ptr);
                let values = obj.get("values").ok_or_else(|| {
                    self.missing(obj, "values", ptr, "map schema has no \"values\"")
                })?;
                let values = self.parse(values, ns, &format!("{ptr}/values"))?;
                Ok(Schema::Map {
                    values: Box::new(values),
                    props: props_except(obj, &["type", "values"]),
                })
            }
            name => match Primitive::from_name(name) {
                Some(p) => {
                    self.check_keys(obj, &["type", "logicalType", "precision", "scale"], ptr);
                    let props = props_except(obj, &["type"]);
                    let logical = self.logical(&props, LogicalBase::Primitive(p), ptr);
                    Ok(Schema::Primitive {
                        ty: p,
                        logical,
                        props,
                    })
                }
                None => self.parse_reference(name, ns, &tptr),
            },
        }
    }

    fn name_of(
        &self,
        obj: &serde_json::Map<String, Value>,
        ns: Option<&str>,
        ptr: &str,
    ) -> Result<Name, SchemaError> {
        let name = match obj.get("name") {
            Some(Value::String(s)) => s.as_str(),
            Some(other) => {
                return Err(self.err(
                    &format!("{ptr}/name"),
                    format!("\"name\" must be a string, found {}", describe(other)),
                ))
            }
            None => return Err(self.missing(obj, "name", ptr, "named type has no \"name\"")),
        };
        let explicit_ns = match obj.get("namespace") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(other) => {
                return Err(self.err(
                    &format!("{ptr}/namespace"),
                    format!("\"namespace\" must be a string, found {}", describe(other)),
                ))
            }
        };
        let name = self.full_name(name, explicit_ns, ns, &format!("{ptr}/name"))?;
        if Primitive::from_name(&name.name).is_some() && name.namespace.is_none() {
            return Err(self.err(
                &format!("{ptr}/name"),
                format!(
                    "\"{}\" is a primitive type name and cannot name a type",
                    name.name
                ),
            ));
        }
        Ok(name)
    }

    /// Applies the specification's namespace rules and validates every part.
    fn full_name(
        &self,
        name: &str,
        explicit_ns: Option<&str>,
        enclosing: Option<&str>,
        ptr: &str,
    ) -> Result<Name, SchemaError> {
        let (namespace, short) = match name.rsplit_once('.') {
            Some((ns, short)) => (Some(ns), short),
            None => (explicit_ns.or(enclosing), name),
        };
        let namespace = namespace.filter(|ns| !ns.is_empty());
        if !is_valid_name(short) {
            return Err(self.err(
                ptr,
                format!("invalid name {short:?}: a name starts with [A-Za-z_] and continues with [A-Za-z0-9_]"),
            ));
        }
        if let Some(ns) = namespace {
            if let Some(bad) = ns.split('.').find(|part| !is_valid_name(part)) {
                return Err(self.err(
                    ptr,
                    format!("invalid namespace {ns:?}: component {bad:?} is not a valid name"),
                ));
            }
        }
        Ok(Name {
            name: short.to_owned(),
            namespace: namespace.map(str::to_owned),
        })
    }

    fn doc_of(
        &self,
        obj: &serde_json::Map<String, Value>,
        ptr: &str,
    ) -> Result<Option<String>, SchemaError> {
        match obj.get("doc") {
            // `"doc": null` is common in generated schemas and means no doc.
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.err(
                &format!("{ptr}/doc"),
                format!("\"doc\" must be a string, found {}", describe(other)),
            )),
        }
    }

    fn aliases_of(
        &self,
        obj: &serde_json::Map<String, Value>,
        ptr: &str,
    ) -> Result<Vec<String>, SchemaError> {
        let aptr = format!("{ptr}/aliases");
        match obj.get("aliases") {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, a)| match a {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(self.err(
                        &format!("{aptr}/{i}"),
                        format!("an alias must be a string, found {}", describe(other)),
                    )),
                })
                .collect(),
            Some(other) => Err(self.err(
                &aptr,
                format!(
                    "\"aliases\" must be an array of strings, found {}",
                    describe(other)
                ),
            )),
        }
    }

    fn parse_named(
        &mut self,
        obj: &serde_json::Map<String, Value>,
        ty: &str,
        ns: Option<&str>,
        ptr: &str,
    ) -> Result<Schema, SchemaError> {
        let name = self.name_of(obj, ns, ptr)?;
        let doc = self.doc_of(obj, ptr)?;
        let aliases = self
            .aliases_of(obj, ptr)?
            .iter()
            .map(|a| {
                self.full_name(
                    a,
                    None,
                    name.namespace.as_deref(),
                    &format!("{ptr}/aliases"),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let fullname = name.fullname();
        if let Some(&first) = self.by_name.get(&fullname) {
            let err = self.err(
                &format!("{ptr}/name"),
                format!("type {fullname} is defined more than once"),
            );
            return Err(self.first_defined_here(err, first));
        }
        let origin = Origin {
            source: self.source,
            pointer: ptr.to_owned(),
        };
        // Register the name before the body so that the body can refer to it.
        let id = self.slots.len();
        let placeholder = NamedType {
            name: name.clone(),
            aliases,
            doc,
            kind: NamedKind::Fixed {
                size: 0,
                logical: None,
            },
            props: Props::new(),
            origin,
        };
        self.slots.push(Slot::Defined(placeholder));
        self.by_name.insert(fullname, id);
        let inner_ns = name.namespace.clone();
        match ty {
            "record" | "error" => self.check_keys(obj, RESERVED_RECORD, ptr),
            "enum" => self.check_keys(obj, RESERVED_ENUM, ptr),
            _ => {
                let mut known = RESERVED_FIXED.to_vec();
                known.extend(["logicalType", "precision", "scale"]);
                self.check_keys(obj, &known, ptr);
            }
        }
        let (kind, props) = match ty {
            "record" | "error" => (
                self.parse_record_body(obj, ty == "error", inner_ns.as_deref(), ptr)?,
                props_except(obj, RESERVED_RECORD),
            ),
            "enum" => (
                self.parse_enum_body(obj, ptr)?,
                props_except(obj, RESERVED_ENUM),
            ),
            _ => {
                let sptr = format!("{ptr}/size");
                let size = match obj.get("size") {
                    Some(Value::Number(n)) => n.as_u64().ok_or_else(|| {
                        self.err(
                            &sptr,
                            format!("fixed \"size\" must be a non-negative integer, found {n}"),
                        )
                    })?,
                    Some(other) => {
                        return Err(self.err(
                            &sptr,
                            format!(
                                "fixed \"size\" must be a non-negative integer, found {}",
                                describe(other)
                            ),
                        ))
                    }
                    None => {
                        return Err(self.missing(obj, "size", ptr, "fixed type has no \"size\""))
                    }
                };
                let size =
                    usize::try_from(size).map_err(|_| self.err(&sptr, "fixed size too large"))?;
                let props = props_except(obj, RESERVED_FIXED);
                let logical = self.logical(&props, LogicalBase::Fixed(size), ptr);
                (NamedKind::Fixed { size, logical }, props)
            }
        };
        if let Slot::Defined(t) = &mut self.slots[id] {
            t.kind = kind;
            t.props = props;
        }
        Ok(Schema::Named(id))
    }

    fn parse_record_body(
        &mut self,
        obj: &serde_json::Map<String, Value>,
        is_error: bool,
        ns: Option<&str>,
        ptr: &str,
    ) -> Result<NamedKind, SchemaError> {
        let fptr = format!("{ptr}/fields");
        let fields_json = match obj.get("fields") {
            Some(Value::Array(a)) => a,
            Some(other) => {
                return Err(self.err(
                    &fptr,
                    format!(
                        "record \"fields\" must be an array, found {}",
                        describe(other)
                    ),
                ))
            }
            None => return Err(self.missing(obj, "fields", ptr, "record has no \"fields\"")),
        };
        let mut fields: Vec<Field> = Vec::with_capacity(fields_json.len());
        // The first field of each name, by hash map: duplicate checks stay
        // linear in the number of fields.
        let mut first_of: HashMap<&str, usize> = HashMap::with_capacity(fields_json.len());
        for (i, f) in fields_json.iter().enumerate() {
            if let Some(n) = f.get("name").and_then(Value::as_str) {
                first_of.entry(n).or_insert(i);
            }
        }
        for (i, f) in fields_json.iter().enumerate() {
            // A bad field is reported and skipped; the next is still checked.
            match self.parse_field(f, (&first_of, i), ns, &format!("{fptr}/{i}")) {
                Ok(field) => fields.push(field),
                Err(e) => self.errors.push(e),
            }
        }
        Ok(NamedKind::Record { fields, is_error })
    }

    /// One record field, the `i`th (`first_of`: each field name's first index).
    fn parse_field(
        &mut self,
        f: &Value,
        (first_of, i): (&HashMap<&str, usize>, usize),
        ns: Option<&str>,
        p: &str,
    ) -> Result<Field, SchemaError> {
        {
            let f = f.as_object().ok_or_else(|| {
                self.err(
                    p,
                    format!("a field must be an object, found {}", describe(f)),
                )
            })?;
            self.check_keys(f, RESERVED_FIELD, p);
            let name = match f.get("name") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => {
                    return Err(self.err(
                        &format!("{p}/name"),
                        format!("field \"name\" must be a string, found {}", describe(other)),
                    ))
                }
                None => return Err(self.missing(f, "name", p, "field has no \"name\"")),
            };
            if !is_valid_name(&name) {
                return Err(self.err(
                    &format!("{p}/name"),
                    format!("invalid field name {name:?}: a name starts with [A-Za-z_] and continues with [A-Za-z0-9_]"),
                ).with_label("not a valid name"));
            }
            if let Some(&first) = first_of.get(name.as_str()).filter(|&&first| first < i) {
                let mut err = self
                    .err(
                        &format!("{p}/name"),
                        format!("duplicate field name {name:?}"),
                    )
                    .with_label("defined again here");
                let base = p.rsplit_once('/').map_or("", |(b, _)| b);
                let first = self.err(&format!("{base}/{first}/name"), "");
                err.detail.related.push(Related {
                    source_name: first.source_name,
                    line: first.line,
                    column: first.column,
                    span: first.span,
                    label: "first defined here".into(),
                });
                return Err(err);
            }
            let ty = f.get("type").ok_or_else(|| {
                self.missing(f, "type", p, format!("field {name:?} has no \"type\""))
            })?;
            let schema = self.parse(ty, ns, &format!("{p}/type"))?;
            let order = match f.get("order") {
                None => None,
                Some(Value::String(s)) if s == "ascending" => Some(Order::Ascending),
                Some(Value::String(s)) if s == "descending" => Some(Order::Descending),
                Some(Value::String(s)) if s == "ignore" => Some(Order::Ignore),
                Some(other) => {
                    return Err(self.err(
                        &format!("{p}/order"),
                        format!("field \"order\" must be \"ascending\", \"descending\" or \"ignore\", found {}", describe(other)),
                    ))
                }
            };
            Ok(Field {
                doc: self.doc_of(f, p)?,
                aliases: self.aliases_of(f, p)?,
                default: f.get("default").cloned(),
                order,
                schema,
                props: props_except(f, RESERVED_FIELD),
                name,
            })
        }
    }

    fn parse_enum_body(
        &mut self,
        obj: &serde_json::Map<String, Value>,
        ptr: &str,
    ) -> Result<NamedKind, SchemaError> {
        let sptr = format!("{ptr}/symbols");
        let symbols_json = match obj.get("symbols") {
            Some(Value::Array(a)) => a,
            Some(other) => {
                return Err(self.err(
                    &sptr,
                    format!(
                        "enum \"symbols\" must be an array of names, found {}",
                        describe(other)
                    ),
                ))
            }
            None => return Err(self.err(ptr, "enum has no \"symbols\"")),
        };
        let mut symbols: Vec<String> = Vec::with_capacity(symbols_json.len());
        // Every bad symbol is reported; the good ones are kept.
        let mut bad = Vec::new();
        let mut seen: HashSet<&str> = HashSet::with_capacity(symbols_json.len());
        for (i, s) in symbols_json.iter().enumerate() {
            let p = format!("{sptr}/{i}");
            let Some(s) = s.as_str() else {
                bad.push(self.err(
                    &p,
                    format!("an enum symbol must be a string, found {}", describe(s)),
                ));
                continue;
            };
            if !is_valid_name(s) {
                bad.push(self.err(&p, format!("invalid enum symbol {s:?}: a symbol starts with [A-Za-z_] and continues with [A-Za-z0-9_]")).with_label("not a valid name"));
            } else if !seen.insert(s) {
                bad.push(
                    self.err(&p, format!("duplicate enum symbol {s:?}"))
                        .with_label("listed twice"),
                );
            } else {
                symbols.push(s.to_owned());
            }
        }
        if let Some(last) = bad.pop() {
            self.errors.extend(bad);
            return Err(last);
        }
        let default = match obj.get("default") {
            None => None,
            Some(Value::String(d)) if symbols.contains(d) => Some(d.clone()),
            Some(other) => {
                let err = self
                    .err(
                        &format!("{ptr}/default"),
                        format!(
                            "enum default must be one of the symbols {symbols:?}, found {}",
                            describe(other)
                        ),
                    )
                    .with_label("not a symbol of this enum");
                let meant = other
                    .as_str()
                    .and_then(|d| did_you_mean(d, symbols.iter().map(String::as_str)));
                return Err(match meant {
                    Some(m) => err.with_help(format!("did you mean `{m}`?")),
                    None => err,
                });
            }
        };
        Ok(NamedKind::Enum { symbols, default })
    }

    /// Binds every pending reference to its definition and drops the slots.
    #[allow(clippy::type_complexity)]
    fn resolve(
        self,
    ) -> Result<(Vec<NamedType>, Vec<Root>, HashMap<String, TypeId>), Vec<SchemaError>> {
        let mut unknown = Vec::new();
        let mut remap = vec![0usize; self.slots.len()];
        let mut defined_index = vec![usize::MAX; self.slots.len()];
        let mut n = 0;
        for (i, s) in self.slots.iter().enumerate() {
            if let Slot::Defined(_) = s {
                defined_index[i] = n;
                n += 1;
            }
        }
        for (i, s) in self.slots.iter().enumerate() {
            remap[i] = match s {
                Slot::Defined(_) => defined_index[i],
                Slot::Pending {
                    candidates,
                    origin,
                    shown,
                } => {
                    let found = candidates.iter().find_map(|c| self.by_name.get(c));
                    match found {
                        Some(&target) => defined_index[target],
                        None => {
                            unknown.push(self.unknown_type(origin, shown, candidates));
                            0
                        }
                    }
                }
            };
        }
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let mut types = Vec::with_capacity(n);
        for s in self.slots {
            if let Slot::Defined(mut t) = s {
                if let NamedKind::Record { fields, .. } = &mut t.kind {
                    for f in fields {
                        renumber(&mut f.schema, &remap);
                    }
                }
                types.push(t);
            }
        }
        let mut roots = self.roots;
        for r in &mut roots {
            renumber(&mut r.schema, &remap);
        }
        let by_name = self
            .by_name
            .into_iter()
            .map(|(k, v)| (k, defined_index[v]))
            .collect();
        Ok((types, roots, by_name))
    }
}

fn renumber(s: &mut Schema, remap: &[usize]) {
    match s {
        Schema::Named(id) => *id = remap[*id],
        Schema::Array { items, .. } => renumber(items, remap),
        Schema::Map { values, .. } => renumber(values, remap),
        Schema::Union(b) => b.iter_mut().for_each(|x| renumber(x, remap)),
        Schema::Primitive { .. } => {}
    }
}

#[derive(Clone, Copy)]
enum LogicalBase {
    Primitive(Primitive),
    Fixed(usize),
}

/// The logical type named in `props`, if it is known and valid for its base;
/// otherwise `None`, and the schema is read as its underlying type.
fn logical_for(props: &Props, base: LogicalBase) -> Option<Logical> {
    let name = props.get("logicalType")?.as_str()?;
    use LogicalBase::{Fixed, Primitive as P};
    use Primitive::*;
    let l = match (name, &base) {
        ("decimal", P(Bytes) | Fixed(_)) => {
            let precision = props.get("precision")?.as_u64().filter(|&p| p > 0)?;
            let scale = match props.get("scale") {
                None => 0,
                Some(s) => s.as_u64()?,
            };
            if scale > precision {
                return None;
            }
            if let Fixed(size) = base {
                if precision as f64 > max_decimal_digits(size) {
                    return None;
                }
            }
            Logical::Decimal {
                // Java reads the precision as an `int`; a larger one is not a decimal.
                precision: u32::try_from(i32::try_from(precision).ok()?).ok()?,
                scale: u32::try_from(scale).ok()?,
            }
        }
        ("uuid", P(String) | Fixed(16)) => Logical::Uuid,
        ("date", P(Int)) => Logical::Date,
        ("time-millis", P(Int)) => Logical::TimeMillis,
        ("time-micros", P(Long)) => Logical::TimeMicros,
        ("timestamp-millis", P(Long)) => Logical::TimestampMillis,
        ("timestamp-micros", P(Long)) => Logical::TimestampMicros,
        ("timestamp-nanos", P(Long)) => Logical::TimestampNanos,
        ("local-timestamp-millis", P(Long)) => Logical::LocalTimestampMillis,
        ("local-timestamp-micros", P(Long)) => Logical::LocalTimestampMicros,
        ("local-timestamp-nanos", P(Long)) => Logical::LocalTimestampNanos,
        ("duration", Fixed(12)) => Logical::Duration,
        _ => return None,
    };
    Some(l)
}

/// Decimal digits a two's-complement fixed of `size` bytes can always hold.
fn max_decimal_digits(size: usize) -> f64 {
    if size == 0 {
        return 0.0;
    }
    ((8 * size - 1) as f64 * 2f64.log10()).floor()
}
