//! Reading files: IDL files with their imports (relative to the importing
//! file, then on the search paths; each file read once, as Java does; an
//! import cycle is an error), `.avsc` and `.avpr` files as JSON sources, all
//! into one [`SchemaSet`]; plus what the converter needs beyond the set: each
//! file's type order (imports in place) and protocol messages.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::ast::{Ast, FieldDecl, ImportKind, Item, Message, ProtocolHeader, Ty};
use super::{parser, syntax_error, synth, IdlError, IdlOptions, IdlWarning, Pos};
use crate::{Primitive, Props, Schema, SchemaError, SchemaSet, Source};

/// What a file contributes to its importer's type order.
#[derive(Debug, Clone)]
pub(crate) enum OrderItem {
    /// A type the file declares (by full name).
    Type(String),
    /// An imported file, at the place of its import.
    Unit(usize),
    /// Every named type of this (JSON) file, in definition order.
    OwnJson,
}

/// One file read.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub path: PathBuf,
    pub protocol: Option<ProtocolHeader>,
    pub main_schema: Option<Ty>,
    pub order: Vec<OrderItem>,
    /// Messages in Java's order (a later definition replaces an earlier one in place).
    pub messages: Vec<(String, Message)>,
}

pub(crate) struct Session<'o> {
    options: &'o IdlOptions,
    loaded: HashMap<PathBuf, usize>,
    stack: Vec<PathBuf>,
    pub units: Vec<Unit>,
    sources: Vec<Option<Source>>,
    pub warnings: Vec<IdlWarning>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Idl,
    Json,
}

impl FileKind {
    pub fn of(path: &Path) -> FileKind {
        match path.extension().and_then(|e| e.to_str()) {
            Some("avdl") => FileKind::Idl,
            _ => FileKind::Json,
        }
    }
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

impl<'o> Session<'o> {
    pub fn new(options: &'o IdlOptions) -> Self {
        Session {
            options,
            loaded: HashMap::new(),
            stack: Vec::new(),
            units: Vec::new(),
            sources: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Loads a file given by the caller (not an import); returns its unit,
    /// or the unit that already holds it.
    pub fn load_input(&mut self, path: &Path) -> Result<usize, IdlError> {
        let canonical = fs::canonicalize(path).map_err(|source| IdlError::Io {
            path: path.to_owned(),
            source,
        })?;
        if let Some(&u) = self.loaded.get(&canonical) {
            return Ok(u);
        }
        let text = fs::read_to_string(path).map_err(|source| IdlError::Io {
            path: path.to_owned(),
            source,
        })?;
        self.load_text(path, canonical, FileKind::of(path), text)
    }

    /// Loads IDL text that is not (necessarily) a file; imports are relative
    /// to `base_dir`.
    pub fn load_idl_text(&mut self, name: &Path, text: String) -> Result<usize, IdlError> {
        let key = PathBuf::from(format!("\u{0}text:{}", name.display()));
        self.load_text(name, key, FileKind::Idl, text)
    }

    fn load_text(
        &mut self,
        path: &Path,
        canonical: PathBuf,
        kind: FileKind,
        text: String,
    ) -> Result<usize, IdlError> {
        let index = self.units.len();
        self.loaded.insert(canonical.clone(), index);
        self.units.push(Unit {
            path: path.to_owned(),
            protocol: None,
            main_schema: None,
            order: Vec::new(),
            messages: Vec::new(),
        });
        self.sources.push(None);
        self.stack.push(canonical);
        let result = match kind {
            FileKind::Idl => self.load_idl(index, path, text),
            FileKind::Json => self.load_json(index, path, text),
        };
        self.stack.pop();
        result.map(|()| index)
    }

    fn load_json(&mut self, index: usize, path: &Path, text: String) -> Result<(), IdlError> {
        let name = display(path);
        let mut text = text;
        // Messages of an imported protocol join the importer's; a text that
        // is not JSON is reported by the schema parser, with its position.
        if let Ok(Value::Object(mut doc)) = serde_json::from_str::<Value>(&text) {
            if doc.contains_key("protocol") {
                let ns = doc
                    .get("namespace")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .or_else(|| {
                        doc.get("protocol")
                            .and_then(Value::as_str)
                            .and_then(|p| p.rsplit_once('.'))
                            .map(|(ns, _)| ns.to_owned())
                    });
                // Named types a message defines inline (Java's protocol
                // parser accepts them) join the protocol's types; the
                // message then refers to them by full name.
                let inline = inline_message_types(&doc, ns.as_deref());
                if !inline.is_empty() {
                    if let Some(Value::Array(types)) = doc.get_mut("types") {
                        types.extend(inline);
                    } else {
                        doc.insert("types".into(), Value::Array(inline));
                    }
                    text =
                        serde_json::to_string_pretty(&Value::Object(doc.clone())).unwrap_or(text);
                }
                if let Some(Value::Object(msgs)) = doc.get("messages") {
                    for (k, m) in msgs {
                        let msg = json_message(k, m, ns.as_deref()).map_err(|e| {
                            syntax_error(
                                &name,
                                Pos { line: 1, col: 1 },
                                format!("message {k:?}: {e}"),
                            )
                        })?;
                        insert_message(&mut self.units[index].messages, msg);
                    }
                }
                self.units[index].protocol = Some(ProtocolHeader {
                    name: doc
                        .get("protocol")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    namespace: ns,
                    doc: None,
                    props: Props::new(),
                });
            }
        }
        self.units[index].order.push(OrderItem::OwnJson);
        self.sources[index] = Some(Source::new(name, text));
        Ok(())
    }

    fn load_idl(&mut self, index: usize, path: &Path, text: String) -> Result<(), IdlError> {
        let name = display(path);
        let ast: Ast = parser::parse(&name, &text)?;
        for (pos, message) in &ast.warnings {
            self.warnings.push(IdlWarning {
                file: name.clone(),
                line: pos.line as usize,
                column: pos.col as usize,
                message: message.clone(),
            });
        }
        let is_protocol = ast.protocol.is_some();
        let dir = path.parent().map(Path::to_owned).unwrap_or_default();
        let mut own_messages: HashMap<String, Pos> = HashMap::new();
        for item in &ast.items {
            match item {
                Item::Import {
                    kind,
                    path: target,
                    pos,
                } => {
                    let (found, canonical) = self.find_import(&name, &dir, target, *pos)?;
                    if let Some(cycle_at) = self.stack.iter().position(|p| *p == canonical) {
                        let chain: Vec<String> = self.stack[cycle_at..]
                            .iter()
                            .map(|p| p.display().to_string())
                            .chain([canonical.display().to_string()])
                            .collect();
                        return Err(syntax_error(
                            &name,
                            *pos,
                            format!("import cycle: {}", chain.join(" imports ")),
                        )
                        .into());
                    }
                    if self.loaded.contains_key(&canonical) {
                        continue; // read already: its types and messages are in place
                    }
                    let text = fs::read_to_string(&found).map_err(|e| {
                        syntax_error(
                            &name,
                            *pos,
                            format!("cannot read import {target:?} ({}): {e}", found.display()),
                        )
                    })?;
                    let file_kind = match kind {
                        ImportKind::Idl => FileKind::Idl,
                        ImportKind::Protocol | ImportKind::Schema => FileKind::Json,
                    };
                    let u = self.load_text(&found, canonical, file_kind, text)?;
                    self.units[index].order.push(OrderItem::Unit(u));
                    if is_protocol && self.units[u].protocol.is_some() {
                        let imported = self.units[u].messages.clone();
                        for (_, m) in imported {
                            insert_message(&mut self.units[index].messages, m);
                        }
                    }
                }
                Item::Type(d) => self.units[index].order.push(OrderItem::Type(d.fullname())),
                Item::Message(m) => {
                    if let Some(first) = own_messages.insert(m.name.clone(), m.pos) {
                        return Err(syntax_error(
                            &name,
                            m.pos,
                            format!(
                                "message {:?} is declared twice (first at {}:{})",
                                m.name, first.line, first.col
                            ),
                        )
                        .into());
                    }
                    insert_message(&mut self.units[index].messages, m.clone());
                }
            }
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (json, positions) = synth::synthesize(&stem, &ast);
        let mut source = Source::new(name, json);
        source.positions = Some(Arc::new(positions));
        self.sources[index] = Some(source);
        let unit = &mut self.units[index];
        unit.protocol = ast.protocol;
        unit.main_schema = ast.main_schema;
        Ok(())
    }

    /// The file an import names: relative to the importing file's
    /// directory, else under each search path in turn.
    fn find_import(
        &self,
        importer: &str,
        dir: &Path,
        target: &str,
        pos: Pos,
    ) -> Result<(PathBuf, PathBuf), SchemaError> {
        let candidates = std::iter::once(dir.join(target))
            .chain(self.options.search_paths.iter().map(|p| p.join(target)));
        for c in candidates {
            if c.is_file() {
                if let Ok(canonical) = fs::canonicalize(&c) {
                    return Ok((c, canonical));
                }
            }
        }
        let mut looked: Vec<String> = vec![dir.display().to_string()];
        looked.extend(
            self.options
                .search_paths
                .iter()
                .map(|p| p.display().to_string()),
        );
        Err(syntax_error(
            importer,
            pos,
            format!(
                "import {target:?} not found: looked in {}",
                looked.join(", ")
            ),
        ))
    }

    /// Parses every source into one set and checks what the set does not
    /// hold (message types).
    pub fn finish(self) -> Result<(SchemaSet, Vec<Unit>, Vec<IdlWarning>), IdlError> {
        let sources: Vec<Source> = self
            .sources
            .into_iter()
            .map(|s| s.unwrap_or_else(|| Source::new("<unread>", "null")))
            .collect();
        let set = SchemaSet::load(sources)?;
        for unit in &self.units {
            let file = display(&unit.path);
            for (_, m) in &unit.messages {
                let mut refs = Vec::new();
                for f in &m.request {
                    refs_of(&f.ty, &mut refs);
                }
                refs_of(&m.response, &mut refs);
                for (name, pos) in m.errors.iter().map(|(n, p)| (n.as_str(), *p)).chain(refs) {
                    if set.lookup(name).is_none() {
                        return Err(syntax_error(
                            &file,
                            pos,
                            format!("unknown type {name:?} in message {:?}: no named type of that full name is defined or imported", m.name),
                        )
                        .into());
                    }
                }
                // A parameter's default is checked as a record field's is
                // (the request is a record: Java validates it the same way).
                for f in &m.request {
                    let Some((value, pos)) = &f.default else {
                        continue;
                    };
                    let Some(schema) = schema_of(&f.ty, f.null_last(), &set) else {
                        continue; // an unknown name: reported above
                    };
                    if let Err(why) = set.check_default(&schema, value, 0) {
                        return Err(syntax_error(
                            &file,
                            *pos,
                            format!(
                                "invalid default for parameter {:?} of message {:?}: {why}",
                                f.name, m.name
                            ),
                        )
                        .into());
                    }
                }
            }
        }
        Ok((set, self.units, self.warnings))
    }
}

/// The schema an IDL type stands for, its names looked up in `set` (`None`
/// for a name the set lacks). `null_last` places `null` of a `T?` as a
/// field with that default has it.
fn schema_of(t: &Ty, null_last: bool, set: &SchemaSet) -> Option<Schema> {
    Some(match t {
        // Defaults are checked against the underlying type (a logical
        // type does not change what JSON a default may hold).
        Ty::Prim { ty, props, .. } => Schema::Primitive {
            ty: *ty,
            logical: None,
            props: props.clone(),
        },
        Ty::Ref { name, .. } => Schema::Named(set.lookup(name)?),
        Ty::Array { items, props, .. } => Schema::Array {
            items: Box::new(schema_of(items, false, set)?),
            props: props.clone(),
        },
        Ty::Map { values, props, .. } => Schema::Map {
            values: Box::new(schema_of(values, false, set)?),
            props: props.clone(),
        },
        Ty::Union { branches, .. } => Schema::Union(
            branches
                .iter()
                .map(|b| schema_of(b, false, set))
                .collect::<Option<_>>()?,
        ),
        Ty::Nullable { inner, .. } => {
            let null = Schema::primitive(Primitive::Null);
            let inner = schema_of(inner, false, set)?;
            Schema::Union(if null_last {
                vec![inner, null]
            } else {
                vec![null, inner]
            })
        }
    })
}

fn refs_of<'t>(t: &'t Ty, out: &mut Vec<(&'t str, Pos)>) {
    match t {
        Ty::Ref { name, pos } => out.push((name, *pos)),
        Ty::Array { items: x, .. } | Ty::Map { values: x, .. } | Ty::Nullable { inner: x, .. } => {
            refs_of(x, out)
        }
        Ty::Union { branches, .. } => branches.iter().for_each(|b| refs_of(b, out)),
        Ty::Prim { .. } => {}
    }
}

fn insert_message(messages: &mut Vec<(String, Message)>, m: Message) {
    match messages.iter_mut().find(|(k, _)| *k == m.name) {
        Some(slot) => slot.1 = m,
        None => messages.push((m.name.clone(), m)),
    }
}

/// A message of a JSON protocol as IDL would have declared it.
fn json_message(name: &str, m: &Value, ns: Option<&str>) -> Result<Message, String> {
    let here = Pos { line: 1, col: 1 };
    let obj = m.as_object().ok_or("a message must be an object")?;
    let mut request = Vec::new();
    for f in obj
        .get("request")
        .and_then(Value::as_array)
        .ok_or("a message needs a \"request\" array")?
    {
        let fo = f.as_object().ok_or("a parameter must be an object")?;
        let fname = fo
            .get("name")
            .and_then(Value::as_str)
            .ok_or("a parameter needs a \"name\"")?;
        let ty = json_ty(fo.get("type").ok_or("a parameter needs a \"type\"")?, ns)?;
        request.push(FieldDecl {
            name: fname.to_owned(),
            pos: here,
            doc: fo.get("doc").and_then(Value::as_str).map(str::to_owned),
            ty,
            default: fo.get("default").map(|d| (d.clone(), here)),
            order: None,
            aliases: Vec::new(),
            props: Props::new(),
        });
    }
    let response = match obj.get("response") {
        Some(r) => json_ty(r, ns)?,
        None => Ty::Prim {
            ty: Primitive::Null,
            props: Props::new(),
            pos: here,
        },
    };
    let errors = match obj.get("errors") {
        Some(Value::Array(e)) => e
            .iter()
            .map(|e| match json_ty(e, ns)? {
                Ty::Ref { name, pos } => Ok((name, pos)),
                _ => Err("an error must name an error type".to_owned()),
            })
            .collect::<Result<_, _>>()?,
        _ => Vec::new(),
    };
    let props = obj
        .iter()
        .filter(|(k, _)| !["doc", "request", "response", "errors", "one-way"].contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Message {
        name: name.to_owned(),
        pos: here,
        doc: obj.get("doc").and_then(Value::as_str).map(str::to_owned),
        props,
        request,
        response,
        errors,
        one_way: obj.get("one-way") == Some(&Value::Bool(true)),
    })
}

/// The named types defined inline in a protocol's messages (parameter and
/// response types), each with an explicit namespace so it means the same
/// among the protocol's types.
fn inline_message_types(doc: &serde_json::Map<String, Value>, ns: Option<&str>) -> Vec<Value> {
    fn walk(v: &Value, ns: Option<&str>, out: &mut Vec<Value>) {
        match v {
            Value::Array(branches) => branches.iter().for_each(|b| walk(b, ns, out)),
            Value::Object(o) => match o.get("type").and_then(Value::as_str) {
                Some("record" | "error" | "enum" | "fixed") => {
                    let mut def = o.clone();
                    if let Some(name) = o.get("name").and_then(Value::as_str) {
                        let full = crate::compose::full_name(name, o.get("namespace"), ns);
                        let (space, short) = crate::compose::split_name(&full);
                        def.insert("name".into(), short.into());
                        def.insert("namespace".into(), space.into());
                    }
                    out.push(Value::Object(def));
                }
                Some("array") => o.get("items").into_iter().for_each(|i| walk(i, ns, out)),
                Some("map") => o.get("values").into_iter().for_each(|i| walk(i, ns, out)),
                _ => {}
            },
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(Value::Object(msgs)) = doc.get("messages") {
        for m in msgs.values() {
            if let Some(Value::Array(request)) = m.get("request") {
                for p in request {
                    if let Some(t) = p.get("type") {
                        walk(t, ns, &mut out);
                    }
                }
            }
            if let Some(r) = m.get("response") {
                walk(r, ns, &mut out);
            }
        }
    }
    out
}

fn json_ty(v: &Value, ns: Option<&str>) -> Result<Ty, String> {
    let here = Pos { line: 1, col: 1 };
    let reference = |s: &str| match Primitive::from_name(s) {
        Some(p) => Ty::Prim {
            ty: p,
            props: Props::new(),
            pos: here,
        },
        None => Ty::Ref {
            name: match ns {
                Some(ns) if !s.contains('.') => format!("{ns}.{s}"),
                _ => s.to_owned(),
            },
            pos: here,
        },
    };
    Ok(match v {
        Value::String(s) => reference(s),
        Value::Array(b) => Ty::Union {
            branches: b.iter().map(|b| json_ty(b, ns)).collect::<Result<_, _>>()?,
            pos: here,
        },
        Value::Object(o) => {
            let t = o
                .get("type")
                .and_then(Value::as_str)
                .ok_or("a schema object needs a \"type\"")?;
            let props: Props = o
                .iter()
                .filter(|(k, _)| !["type", "items", "values"].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            match t {
                "array" => Ty::Array {
                    items: Box::new(json_ty(
                        o.get("items").ok_or("an array needs \"items\"")?,
                        ns,
                    )?),
                    props,
                    pos: here,
                },
                "map" => Ty::Map {
                    values: Box::new(json_ty(
                        o.get("values").ok_or("a map needs \"values\"")?,
                        ns,
                    )?),
                    props,
                    pos: here,
                },
                // Defined inline: moved into the protocol's types by
                // `inline_message_types`; here a reference.
                "record" | "error" | "enum" | "fixed" => {
                    let name = o
                        .get("name")
                        .and_then(Value::as_str)
                        .ok_or("a named type needs a \"name\"")?;
                    Ty::Ref {
                        name: crate::compose::full_name(name, o.get("namespace"), ns),
                        pos: here,
                    }
                }
                other => match (Primitive::from_name(other), reference(other)) {
                    (Some(p), _) => Ty::Prim {
                        ty: p,
                        props,
                        pos: here,
                    },
                    (None, r) => r,
                },
            }
        }
        _ => return Err(format!("expected a schema, found {v}")),
    })
}
