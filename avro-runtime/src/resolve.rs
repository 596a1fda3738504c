//! Schema resolution: what it takes to read data written with one schema
//! (the writer's) as another (the reader's), per the specification's
//! "Schema Resolution".
//!
//! [`resolve`] gives a [`Plan`] or every incompatibility, each with its kind,
//! its location in the reader schema (`/fields/1/type/items`) and a message.
//! A plan transcodes a writer-schema datum into the reader schema's binary
//! encoding in one pass over the bytes (skipping removed fields, promoting
//! numbers, mapping enum symbols and union branches, writing defaults
//! pre-encoded at plan time); the reader type's generated decoder then reads
//! the result. No value tree is built. [`Resolver`] caches plans per writer
//! fingerprint.
//!
//! Generated types do better than transcoding: their
//! [`Decode::decode_resolved`] walks the plan through [`PlanNode`] and reads
//! the writer's bytes straight into the reader's fields (a record plan lists
//! the writer's fields with the reader field each fills; parts of the plan
//! that change nothing are marked identity and read by the ordinary
//! decoder). Transcoding remains the fallback for the rare shapes the
//! generated code does not specialise, such as a union read as a record.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::encode::{write_bytes, write_double, write_float, write_long};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::schema::{NamedKind, Primitive, Schema, SchemaSet, TypeId};
use crate::{AvroSchema, Decode, Reader};

/// The kinds of incompatibility, named as Avro Java's `SchemaCompatibility` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncompatibilityKind {
    TypeMismatch,
    NameMismatch,
    FixedSizeMismatch,
    MissingEnumSymbols,
    MissingUnionBranch,
    ReaderFieldMissingDefaultValue,
}

impl IncompatibilityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IncompatibilityKind::TypeMismatch => "TYPE_MISMATCH",
            IncompatibilityKind::NameMismatch => "NAME_MISMATCH",
            IncompatibilityKind::FixedSizeMismatch => "FIXED_SIZE_MISMATCH",
            IncompatibilityKind::MissingEnumSymbols => "MISSING_ENUM_SYMBOLS",
            IncompatibilityKind::MissingUnionBranch => "MISSING_UNION_BRANCH",
            IncompatibilityKind::ReaderFieldMissingDefaultValue => {
                "READER_FIELD_MISSING_DEFAULT_VALUE"
            }
        }
    }
}

/// One reason the reader cannot read the writer's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incompatibility {
    pub kind: IncompatibilityKind,
    /// JSON-pointer-like path in the reader schema, e.g. `/fields/1/type`.
    pub location: String,
    pub message: String,
}

impl fmt::Display for Incompatibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = if self.location.is_empty() {
            "/"
        } else {
            &self.location
        };
        write!(f, "{} at {loc}: {}", self.kind.as_str(), self.message)
    }
}

type NodeId = usize;

#[derive(Debug, Clone)]
enum Node {
    /// Same primitive on both sides: copy (or skip) the bytes.
    Same(Primitive),
    Promote(Primitive, Primitive),
    Fixed(usize),
    /// Writer symbol index → reader symbol index.
    Enum(Vec<u32>),
    Array(NodeId),
    Map(NodeId),
    Record {
        /// One per writer field, in writer order: its plan and the reader
        /// field it fills (`None`: read and dropped).
        writer_fields: Vec<(NodeId, Option<usize>)>,
        /// Reader field count, and each field missing from the writer
        /// with its default, already encoded.
        reader_fields: usize,
        defaults: Vec<(usize, Vec<u8>)>,
        /// The writer fields the reader keeps come in reader order (the
        /// usual evolution: fields added, dropped, promoted): stream them
        /// straight through, defaults written in between.
        monotone: bool,
    },
    /// The writer's union: per branch, the reader union branch to write (if
    /// the reader is a union) and the plan for the value.
    WriterUnion(Vec<(Option<u32>, NodeId)>),
    /// A non-union writer value read into reader union branch `.0`.
    IntoReaderUnion(u32, NodeId),
    /// Placeholder while a recursive named pair is being planned.
    Pending,
}

/// How to read one writer schema as one reader schema.
#[derive(Debug, Clone)]
pub struct Plan {
    nodes: Vec<Node>,
    root: NodeId,
    /// Per node: the writer's bytes are already the reader's encoding (same
    /// types all the way down, no field moved, no branch or symbol renumbered).
    identity: Vec<bool>,
    /// Per node: the fewest bytes a writer value can take (bounds block counts).
    writer_min: Vec<usize>,
}

/// Resolves `writer` (a schema of `wset`) against `reader` (of `rset`).
pub fn resolve(
    wset: &SchemaSet,
    writer: &Schema,
    rset: &SchemaSet,
    reader: &Schema,
) -> Result<Plan, Vec<Incompatibility>> {
    let mut r = Resolution {
        wset,
        rset,
        nodes: Vec::new(),
        named: HashMap::new(),
        errors: Vec::new(),
    };
    let root = r.plan(writer, reader, "");
    if r.errors.is_empty() {
        Ok(Plan::new(r.nodes, root))
    } else {
        Err(r.errors)
    }
}

/// Parses both schemas and resolves them: a convenience for schema texts.
pub fn resolve_texts(writer: &str, reader: &str) -> Result<Plan, ResolveError> {
    let (wset, w) = SchemaSet::parse_str(writer)
        .map_err(|e| ResolveError::Schema(format!("writer schema: {e}")))?;
    let (rset, r) = SchemaSet::parse_str(reader)
        .map_err(|e| ResolveError::Schema(format!("reader schema: {e}")))?;
    resolve(&wset, &w, &rset, &r).map_err(ResolveError::Incompatible)
}

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("{0}")]
    Schema(String),
    #[error("the reader schema cannot read the writer's data:\n{}", .0.iter().map(|i| format!("  {i}")).collect::<Vec<_>>().join("\n"))]
    Incompatible(Vec<Incompatibility>),
}

struct Resolution<'a> {
    wset: &'a SchemaSet,
    rset: &'a SchemaSet,
    nodes: Vec<Node>,
    named: HashMap<(TypeId, TypeId), NodeId>,
    errors: Vec<Incompatibility>,
}

fn promotable(w: Primitive, r: Primitive) -> bool {
    use Primitive::*;
    matches!(
        (w, r),
        (Int, Long | Float | Double)
            | (Long, Float | Double)
            | (Float, Double)
            | (String, Bytes)
            | (Bytes, String)
    )
}

impl Resolution<'_> {
    fn push(&mut self, n: Node) -> NodeId {
        self.nodes.push(n);
        self.nodes.len() - 1
    }

    fn fail(&mut self, kind: IncompatibilityKind, location: &str, message: String) -> NodeId {
        self.errors.push(Incompatibility {
            kind,
            location: location.to_owned(),
            message,
        });
        self.push(Node::Pending)
    }

    fn describe(set: &SchemaSet, s: &Schema) -> String {
        match s {
            Schema::Primitive { ty, .. } => ty.name().to_owned(),
            Schema::Array { .. } => "array".into(),
            Schema::Map { .. } => "map".into(),
            Schema::Union(_) => "union".into(),
            Schema::Named(id) => {
                let t = set.get(*id);
                format!("{} {}", t.kind_name(), t.name)
            }
        }
    }

    /// Whether `w` can be read as `r` without recording errors (for picking a
    /// reader union branch).
    fn matches(&self, w: &Schema, r: &Schema, exact: bool) -> bool {
        match (w, r) {
            (Schema::Primitive { ty: a, .. }, Schema::Primitive { ty: b, .. }) => {
                a == b || (!exact && promotable(*a, *b))
            }
            (Schema::Array { .. }, Schema::Array { .. })
            | (Schema::Map { .. }, Schema::Map { .. }) => true,
            (Schema::Named(a), Schema::Named(b)) => {
                let (wt, rt) = (self.wset.get(*a), self.rset.get(*b));
                std::mem::discriminant(&wt.kind) == std::mem::discriminant(&rt.kind)
                    && self.names_match(*a, *b)
            }
            _ => false,
        }
    }

    /// Unqualified names equal, or the writer's name among the reader's aliases.
    fn names_match(&self, w: TypeId, r: TypeId) -> bool {
        let (wt, rt) = (self.wset.get(w), self.rset.get(r));
        wt.name.name == rt.name.name
            || rt
                .aliases
                .iter()
                .any(|a| a.fullname() == wt.name.fullname() || a.name == wt.name.name)
    }

    fn plan(&mut self, w: &Schema, r: &Schema, loc: &str) -> NodeId {
        if let Schema::Union(wb) = w {
            let mut branches = Vec::with_capacity(wb.len());
            for b in wb {
                let target = match r {
                    Schema::Union(rb) => match self.reader_branch(b, rb) {
                        Some(i) => {
                            let node = self.plan(b, &rb[i], &format!("{loc}/{i}"));
                            (Some(i as u32), node)
                        }
                        None => {
                            let node = self.fail(
                                IncompatibilityKind::MissingUnionBranch,
                                loc,
                                format!(
                                    "reader union lacks writer branch {}",
                                    Self::describe(self.wset, b)
                                ),
                            );
                            (None, node)
                        }
                    },
                    _ => (None, self.plan(b, r, loc)),
                };
                branches.push(target);
            }
            return self.push(Node::WriterUnion(branches));
        }
        if let Schema::Union(rb) = r {
            return match self.reader_branch(w, rb) {
                Some(i) => {
                    let inner = self.plan(w, &rb[i], &format!("{loc}/{i}"));
                    self.push(Node::IntoReaderUnion(i as u32, inner))
                }
                None => self.fail(
                    IncompatibilityKind::MissingUnionBranch,
                    loc,
                    format!(
                        "reader union has no branch for writer type {}",
                        Self::describe(self.wset, w)
                    ),
                ),
            };
        }
        match (w, r) {
            (Schema::Primitive { ty: a, .. }, Schema::Primitive { ty: b, .. }) => {
                if a == b {
                    self.push(Node::Same(*a))
                } else if promotable(*a, *b) {
                    self.push(Node::Promote(*a, *b))
                } else {
                    self.mismatch(w, r, loc)
                }
            }
            (Schema::Array { items: wi, .. }, Schema::Array { items: ri, .. }) => {
                let n = self.plan(wi, ri, &format!("{loc}/items"));
                self.push(Node::Array(n))
            }
            (Schema::Map { values: wv, .. }, Schema::Map { values: rv, .. }) => {
                let n = self.plan(wv, rv, &format!("{loc}/values"));
                self.push(Node::Map(n))
            }
            (Schema::Named(a), Schema::Named(b)) => self.plan_named(*a, *b, w, r, loc),
            _ => self.mismatch(w, r, loc),
        }
    }

    fn mismatch(&mut self, w: &Schema, r: &Schema, loc: &str) -> NodeId {
        let msg = format!(
            "reader type {} does not match writer type {}",
            Self::describe(self.rset, r),
            Self::describe(self.wset, w)
        );
        self.fail(IncompatibilityKind::TypeMismatch, loc, msg)
    }

    /// The reader union branch for a writer schema: the first exact match,
    /// else the first it promotes to.
    fn reader_branch(&self, w: &Schema, rb: &[Schema]) -> Option<usize> {
        rb.iter()
            .position(|r| self.matches(w, r, true))
            .or_else(|| rb.iter().position(|r| self.matches(w, r, false)))
    }

    fn plan_named(&mut self, a: TypeId, b: TypeId, w: &Schema, r: &Schema, loc: &str) -> NodeId {
        if let Some(&n) = self.named.get(&(a, b)) {
            return n;
        }
        let (wt, rt) = (self.wset.get(a), self.rset.get(b));
        if std::mem::discriminant(&wt.kind) != std::mem::discriminant(&rt.kind) {
            return self.mismatch(w, r, loc);
        }
        if !self.names_match(a, b) {
            return self.fail(
                IncompatibilityKind::NameMismatch,
                &format!("{loc}/name"),
                format!("expected name {}, found {}", wt.name, rt.name),
            );
        }
        let id = self.push(Node::Pending);
        self.named.insert((a, b), id);
        let node = match (&wt.kind, &rt.kind) {
            (NamedKind::Fixed { size: ws, .. }, NamedKind::Fixed { size: rs, .. }) => {
                if ws != rs {
                    self.fail(
                        IncompatibilityKind::FixedSizeMismatch,
                        &format!("{loc}/size"),
                        format!("expected size {ws}, found {rs}"),
                    );
                }
                Node::Fixed(*ws)
            }
            (
                NamedKind::Enum { symbols: wsym, .. },
                NamedKind::Enum {
                    symbols: rsym,
                    default,
                },
            ) => {
                let default_index = default
                    .as_ref()
                    .and_then(|d| rsym.iter().position(|s| s == d));
                let mut map = Vec::with_capacity(wsym.len());
                let mut missing = Vec::new();
                for s in wsym {
                    match rsym.iter().position(|x| x == s).or(default_index) {
                        Some(i) => map.push(i as u32),
                        None => {
                            missing.push(s.clone());
                            map.push(0);
                        }
                    }
                }
                if !missing.is_empty() {
                    self.fail(
                        IncompatibilityKind::MissingEnumSymbols,
                        &format!("{loc}/symbols"),
                        format!(
                            "writer symbols [{}] are not in the reader enum, which has no default",
                            missing.join(", ")
                        ),
                    );
                }
                Node::Enum(map)
            }
            (NamedKind::Record { fields: wf, .. }, NamedKind::Record { fields: rf, .. }) => {
                let mut writer_fields = Vec::with_capacity(wf.len());
                let mut filled = vec![false; rf.len()];
                for f in wf {
                    let target = rf
                        .iter()
                        .position(|x| x.name == f.name)
                        .or_else(|| rf.iter().position(|x| x.aliases.contains(&f.name)));
                    let node = match target {
                        Some(i) => {
                            filled[i] = true;
                            self.plan(&f.schema, &rf[i].schema, &format!("{loc}/fields/{i}/type"))
                        }
                        // Dropped: plan the writer type against itself to skip it.
                        None => self.plan_skip(&f.schema),
                    };
                    writer_fields.push((node, target));
                }
                let mut defaults = Vec::new();
                for (i, f) in rf.iter().enumerate() {
                    if filled[i] {
                        continue;
                    }
                    match &f.default {
                        Some(d) => {
                            let mut bytes = Vec::new();
                            encode_default(self.rset, &f.schema, d, &mut bytes);
                            defaults.push((i, bytes));
                        }
                        None => {
                            self.fail(
                                IncompatibilityKind::ReaderFieldMissingDefaultValue,
                                &format!("{loc}/fields/{i}"),
                                format!("reader field {:?} is not in the writer schema and has no default", f.name),
                            );
                        }
                    }
                }
                let kept: Vec<usize> = writer_fields.iter().filter_map(|(_, t)| *t).collect();
                let monotone = kept.windows(2).all(|w| w[0] < w[1]);
                Node::Record {
                    writer_fields,
                    reader_fields: rf.len(),
                    defaults,
                    monotone,
                }
            }
            _ => unreachable!("kinds compared above"),
        };
        self.nodes[id] = node;
        id
    }

    /// A plan that reads (and so skips) a writer value.
    fn plan_skip(&mut self, w: &Schema) -> NodeId {
        let mut inner = Resolution {
            wset: self.wset,
            rset: self.wset,
            nodes: std::mem::take(&mut self.nodes),
            named: HashMap::new(),
            errors: Vec::new(),
        };
        let n = inner.plan(w, w, "");
        self.nodes = inner.nodes;
        n
    }
}

/// Writes the binary encoding of a JSON default of `schema`.
pub fn encode_default(set: &SchemaSet, schema: &Schema, v: &Value, out: &mut Vec<u8>) {
    let latin1 = |v: &Value| -> Vec<u8> {
        v.as_str()
            .unwrap_or("")
            .chars()
            .map(|c| c as u32 as u8)
            .collect()
    };
    let float = |v: &Value| crate::schema::float_default(v).unwrap_or(0.0);
    match schema {
        Schema::Primitive { ty, .. } => match ty {
            Primitive::Null => {}
            Primitive::Boolean => out.push(v.as_bool().unwrap_or(false) as u8),
            Primitive::Int | Primitive::Long => write_long(out, v.as_i64().unwrap_or(0)),
            Primitive::Float => write_float(out, float(v) as f32),
            Primitive::Double => write_double(out, float(v)),
            Primitive::Bytes => write_bytes(out, &latin1(v)),
            Primitive::String => write_bytes(out, v.as_str().unwrap_or("").as_bytes()),
        },
        Schema::Array { items, .. } => {
            let a = v.as_array().map(Vec::as_slice).unwrap_or(&[]);
            if !a.is_empty() {
                write_long(out, a.len() as i64);
                for x in a {
                    encode_default(set, items, x, out);
                }
            }
            out.push(0);
        }
        Schema::Map { values, .. } => {
            if let Some(m) = v.as_object().filter(|m| !m.is_empty()) {
                write_long(out, m.len() as i64);
                for (k, x) in m {
                    write_bytes(out, k.as_bytes());
                    encode_default(set, values, x, out);
                }
            }
            out.push(0);
        }
        Schema::Union(b) => {
            let i = set.union_default_branch(schema, v).unwrap_or(0);
            write_long(out, i as i64);
            if let Some(s) = b.get(i) {
                encode_default(set, s, v, out);
            }
        }
        Schema::Named(id) => match &set.get(*id).kind {
            NamedKind::Fixed { .. } => out.extend_from_slice(&latin1(v)),
            NamedKind::Enum { symbols, .. } => {
                let i = symbols
                    .iter()
                    .position(|s| Some(s.as_str()) == v.as_str())
                    .unwrap_or(0);
                write_long(out, i as i64);
            }
            NamedKind::Record { fields, .. } => {
                for f in fields {
                    let fv = v
                        .get(&f.name)
                        .or(f.default.as_ref())
                        .unwrap_or(&Value::Null);
                    encode_default(set, &f.schema, fv, out);
                }
            }
        },
    }
}

impl Plan {
    fn new(nodes: Vec<Node>, root: NodeId) -> Plan {
        let identity = identity_nodes(&nodes);
        let writer_min = writer_min_sizes(&nodes);
        Plan {
            nodes,
            root,
            identity,
            writer_min,
        }
    }

    /// The plan's root node, for [`Decode::decode_resolved`].
    pub fn root(&self) -> PlanNode<'_> {
        PlanNode {
            plan: self,
            id: self.root,
        }
    }

    /// Whether the writer's data is already in the reader's encoding (the
    /// writer and reader schemas describe the same bytes).
    pub fn is_identity(&self) -> bool {
        self.identity[self.root]
    }

    /// Rewrites one writer datum as the reader schema's encoding.
    pub fn transcode(&self, r: &mut Reader<'_>, out: &mut Vec<u8>) -> Result<(), DecodeError> {
        self.run(self.root, r, out)
    }

    /// Transcodes one node. The arms that need locals live in their own
    /// functions so this frame, repeated at every level of recursive data,
    /// stays small (unoptimised builds give every arm's locals a slot).
    fn run(&self, node: NodeId, r: &mut Reader<'_>, out: &mut Vec<u8>) -> Result<(), DecodeError> {
        let mut node = node;
        // Unions continue with their branch in this frame.
        loop {
            return match &self.nodes[node] {
                Node::Same(p) => copy_primitive(*p, r, out),
                Node::Promote(from, to) => promote(*from, *to, r, out),
                Node::Fixed(n) => {
                    out.extend_from_slice(r.take(*n)?);
                    Ok(())
                }
                Node::Enum(map) => {
                    let i = r.read_enum_index(map.len())?;
                    write_long(out, map[i] as i64);
                    Ok(())
                }
                Node::Array(item) => self.run_blocks(*item, false, r, out),
                Node::Map(item) => self.run_blocks(*item, true, r, out),
                Node::Record { .. } => {
                    // Only records can recur: the nesting is counted here, on
                    // the reader, as generated decoders count it.
                    r.enter()?;
                    let res = self.run_record(node, r, out);
                    r.leave();
                    res
                }
                Node::WriterUnion(branches) => {
                    let i = r.read_union_index(branches.len())?;
                    let (target, n) = branches[i];
                    if let Some(t) = target {
                        write_long(out, t as i64);
                    }
                    node = n;
                    continue;
                }
                Node::IntoReaderUnion(i, n) => {
                    write_long(out, *i as i64);
                    node = *n;
                    continue;
                }
                Node::Pending => Err(DecodeError::new(DecodeErrorKind::Custom(
                    "this writer branch cannot be read with the reader schema".into(),
                ))),
            };
        }
    }

    fn run_blocks(
        &self,
        item: NodeId,
        is_map: bool,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
    ) -> Result<(), DecodeError> {
        let min = self.writer_min[item] + usize::from(is_map);
        // Blocks of fixed-size items are copied whole.
        let width = match self.nodes[item] {
            Node::Same(Primitive::Double) if !is_map => Some(8),
            Node::Same(Primitive::Float) if !is_map => Some(4),
            Node::Fixed(size) if !is_map => Some(size),
            _ => None,
        };
        loop {
            let n = r.read_block_count(min)?;
            if n == 0 {
                break;
            }
            write_long(out, n as i64);
            if let Some(w) = width {
                let len = n.checked_mul(w).ok_or_else(|| {
                    DecodeError::new(DecodeErrorKind::Custom("block too large".into()))
                })?;
                out.extend_from_slice(r.take(len)?);
                continue;
            }
            for i in 0..n {
                if is_map {
                    let k = r.read_bytes_ref()?;
                    write_bytes(out, k);
                }
                self.run(item, r, out).map_err(|e| e.index(i))?;
            }
        }
        out.push(0);
        Ok(())
    }

    fn run_record(
        &self,
        node: NodeId,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
    ) -> Result<(), DecodeError> {
        let Node::Record {
            writer_fields,
            reader_fields,
            defaults,
            monotone,
        } = &self.nodes[node]
        else {
            unreachable!("run_record is called on records");
        };
        let skip = |n: NodeId, r: &mut Reader<'_>| PlanNode { plan: self, id: n }.skip(r);
        if *monotone {
            let mut pending = defaults.iter().peekable();
            for (n, target) in writer_fields {
                match target {
                    Some(k) => {
                        while let Some((_, bytes)) = pending.next_if(|(i, _)| i < k) {
                            out.extend_from_slice(bytes);
                        }
                        self.run(*n, r, out)?;
                    }
                    None => skip(*n, r)?,
                }
            }
            for (_, bytes) in pending {
                out.extend_from_slice(bytes);
            }
            return Ok(());
        }
        let mut parts: Vec<Option<Vec<u8>>> = vec![None; *reader_fields];
        for (n, target) in writer_fields {
            match target {
                Some(i) => {
                    let mut buf = Vec::new();
                    self.run(*n, r, &mut buf)?;
                    parts[*i] = Some(buf);
                }
                None => skip(*n, r)?,
            }
        }
        for (i, bytes) in defaults {
            parts[*i] = Some(bytes.clone());
        }
        for p in parts.into_iter().flatten() {
            out.extend_from_slice(&p);
        }
        Ok(())
    }
}

/// Which nodes leave the bytes unchanged: the greatest fixpoint (a recursive
/// pair is identity unless something inside it changes the bytes).
fn identity_nodes(nodes: &[Node]) -> Vec<bool> {
    let mut id: Vec<bool> = nodes
        .iter()
        .map(|n| match n {
            Node::Same(_) | Node::Fixed(_) | Node::Array(_) | Node::Map(_) => true,
            Node::Enum(map) => map.iter().enumerate().all(|(i, &m)| m as usize == i),
            Node::Record {
                writer_fields,
                reader_fields,
                defaults,
                ..
            } => {
                defaults.is_empty()
                    && *reader_fields == writer_fields.len()
                    && writer_fields
                        .iter()
                        .enumerate()
                        .all(|(i, (_, t))| *t == Some(i))
            }
            Node::WriterUnion(b) => b.iter().enumerate().all(|(i, (t, _))| *t == Some(i as u32)),
            Node::Promote(..) | Node::IntoReaderUnion(..) | Node::Pending => false,
        })
        .collect();
    loop {
        let mut changed = false;
        for (k, n) in nodes.iter().enumerate() {
            if !id[k] {
                continue;
            }
            let children_ok = match n {
                Node::Array(c) | Node::Map(c) => id[*c],
                Node::Record { writer_fields, .. } => writer_fields.iter().all(|(c, _)| id[*c]),
                Node::WriterUnion(b) => b.iter().all(|(_, c)| id[*c]),
                _ => true,
            };
            if !children_ok {
                id[k] = false;
                changed = true;
            }
        }
        if !changed {
            return id;
        }
    }
}

/// The fewest bytes each node's writer value takes, iterated up from zero.
/// Every pass gives lower bounds, which is all a block-count check needs; a
/// record that contains itself without a union never converges (no finite
/// value has that type), so the passes stop after one per node.
fn writer_min_sizes(nodes: &[Node]) -> Vec<usize> {
    let mut min = vec![0usize; nodes.len()];
    for _ in 0..=nodes.len() {
        let mut changed = false;
        for (k, n) in nodes.iter().enumerate() {
            let m = match n {
                Node::Same(p) | Node::Promote(p, _) => match p {
                    Primitive::Null => 0,
                    Primitive::Float => 4,
                    Primitive::Double => 8,
                    _ => 1,
                },
                Node::Fixed(size) => *size,
                Node::Enum(_) | Node::Array(_) | Node::Map(_) | Node::WriterUnion(_) => 1,
                Node::Record { writer_fields, .. } => writer_fields
                    .iter()
                    .fold(0usize, |a, (c, _)| a.saturating_add(min[*c])),
                Node::IntoReaderUnion(_, c) => min[*c],
                Node::Pending => 0,
            };
            if m > min[k] {
                min[k] = m;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    min
}

/// One node of a [`Plan`]: what generated [`Decode::decode_resolved`]
/// implementations read the writer's bytes with. Every method checks that
/// the node has the shape the caller expects and fails with
/// [`DecodeErrorKind::PlanMismatch`] otherwise (a plan made for another
/// reader schema), never panics.
#[derive(Clone, Copy)]
pub struct PlanNode<'p> {
    plan: &'p Plan,
    id: NodeId,
}

impl fmt::Debug for PlanNode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlanNode")
            .field("node", &self.plan.nodes[self.id])
            .field("identity", &self.is_identity())
            .finish()
    }
}

fn mismatch(what: &'static str) -> DecodeError {
    DecodeError::new(DecodeErrorKind::PlanMismatch(what))
}

impl<'p> PlanNode<'p> {
    fn node(self) -> &'p Node {
        &self.plan.nodes[self.id]
    }

    fn at(self, id: NodeId) -> PlanNode<'p> {
        PlanNode {
            plan: self.plan,
            id,
        }
    }

    /// The writer's bytes here are already the reader's encoding: decode
    /// them with the ordinary decoder.
    #[inline]
    pub fn is_identity(self) -> bool {
        self.plan.identity[self.id]
    }

    /// Where the writer has a union and the reader does not: reads the
    /// writer's branch index and gives that branch's plan. Anywhere else:
    /// this node, reading nothing.
    #[inline]
    pub fn writer_branch(self, r: &mut Reader<'_>) -> Result<PlanNode<'p>, DecodeError> {
        match self.node() {
            Node::WriterUnion(branches) if branches.first().is_some_and(|b| b.0.is_none()) => {
                let i = r.read_union_index(branches.len())?;
                Ok(self.at(branches[i].1))
            }
            _ => Ok(self),
        }
    }

    /// A record read as a record: each writer field in the writer's order,
    /// with the index of the reader field it fills (`None`: skip it) and its
    /// plan. Reader fields not listed take their defaults.
    #[inline]
    pub fn record_fields(self) -> Option<impl Iterator<Item = (Option<usize>, PlanNode<'p>)> + 'p> {
        match self.node() {
            Node::Record { writer_fields, .. } => {
                let plan = self.plan;
                Some(
                    writer_fields
                        .iter()
                        .map(move |&(id, target)| (target, PlanNode { plan, id })),
                )
            }
            _ => None,
        }
    }

    /// Reads the writer's union branch index (if the writer has a union
    /// here) and gives the reader union branch it maps to, with the plan of
    /// the value.
    #[inline]
    pub fn union_branch(self, r: &mut Reader<'_>) -> Result<(usize, PlanNode<'p>), DecodeError> {
        match self.node() {
            Node::WriterUnion(branches) => {
                let i = r.read_union_index(branches.len())?;
                match branches[i] {
                    (Some(t), n) => Ok((t as usize, self.at(n))),
                    (None, _) => Err(mismatch("the reader has no union here")),
                }
            }
            Node::IntoReaderUnion(t, n) => Ok((*t as usize, self.at(*n))),
            _ => Err(mismatch("expected a union")),
        }
    }

    /// Reads a writer enum symbol and gives the reader's symbol index.
    #[inline]
    pub fn enum_index(self, r: &mut Reader<'_>) -> Result<usize, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Enum(map) => Ok(map[r.read_enum_index(map.len())?] as usize),
            _ => Err(mismatch("expected an enum")),
        }
    }

    /// The plan of an array's items or a map's values.
    #[inline]
    pub fn items(self) -> Result<PlanNode<'p>, DecodeError> {
        match self.node() {
            Node::Array(n) | Node::Map(n) => Ok(self.at(*n)),
            _ => Err(mismatch("expected an array or a map")),
        }
    }

    /// The next block count of this array or map, bounded by the remaining
    /// input and the writer's smallest item (see [`Reader::read_block_count`]).
    #[inline]
    pub fn block_count(self, r: &mut Reader<'_>) -> Result<usize, DecodeError> {
        match self.node() {
            Node::Array(n) => r.read_block_count(self.plan.writer_min[*n]),
            Node::Map(n) => r.read_block_count(1 + self.plan.writer_min[*n]),
            _ => Err(mismatch("expected an array or a map")),
        }
    }

    /// A `long` written as `int` or `long`.
    #[inline]
    pub fn read_long(self, r: &mut Reader<'_>) -> Result<i64, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Same(Primitive::Long) => r.read_long(),
            Node::Promote(Primitive::Int, Primitive::Long) => r.read_int().map(i64::from),
            _ => Err(mismatch("expected a long")),
        }
    }

    /// A `float` written as `int`, `long` or `float`.
    #[inline]
    pub fn read_float(self, r: &mut Reader<'_>) -> Result<f32, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Same(Primitive::Float) => r.read_float(),
            Node::Promote(Primitive::Int, Primitive::Float) => r.read_int().map(|v| v as f32),
            Node::Promote(Primitive::Long, Primitive::Float) => r.read_long().map(|v| v as f32),
            _ => Err(mismatch("expected a float")),
        }
    }

    /// A `double` written as `int`, `long`, `float` or `double`.
    #[inline]
    pub fn read_double(self, r: &mut Reader<'_>) -> Result<f64, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Same(Primitive::Double) => r.read_double(),
            Node::Promote(Primitive::Int, Primitive::Double) => r.read_int().map(f64::from),
            Node::Promote(Primitive::Long, Primitive::Double) => r.read_long().map(|v| v as f64),
            Node::Promote(Primitive::Float, Primitive::Double) => r.read_float().map(f64::from),
            _ => Err(mismatch("expected a double")),
        }
    }

    /// A `string` written as `string` or `bytes` (which must be UTF-8).
    #[inline]
    pub fn read_string(self, r: &mut Reader<'_>) -> Result<String, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Same(Primitive::String) | Node::Promote(Primitive::Bytes, Primitive::String) => {
                r.read_string()
            }
            _ => Err(mismatch("expected a string")),
        }
    }

    /// `bytes` written as `bytes` or `string`.
    #[inline]
    pub fn read_bytes(self, r: &mut Reader<'_>) -> Result<Vec<u8>, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Same(Primitive::Bytes) => r.read_bytes(),
            Node::Promote(Primitive::String, Primitive::Bytes) => {
                r.read_str().map(|s| s.as_bytes().to_vec())
            }
            _ => Err(mismatch("expected bytes")),
        }
    }

    /// For reader types nothing is promoted to (`int`, `boolean`, `null`,
    /// fixed-based logical types): reads the writer's union branch index if
    /// the writer has a union here, then checks that the value's bytes are
    /// the reader's, for the ordinary decoder to read.
    #[inline]
    pub fn direct(self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        if self.writer_branch(r)?.is_identity() {
            Ok(())
        } else {
            Err(mismatch("expected the same type as the writer's"))
        }
    }

    /// Reads past the writer's value without keeping it.
    pub fn skip(self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        match self.node() {
            Node::Same(p) | Node::Promote(p, _) => match p {
                Primitive::Null => Ok(()),
                Primitive::Boolean => r.read_bool().map(drop),
                Primitive::Int => r.read_int().map(drop),
                Primitive::Long => r.read_long().map(drop),
                Primitive::Float => r.take(4).map(drop),
                Primitive::Double => r.take(8).map(drop),
                Primitive::Bytes | Primitive::String => r.read_bytes_ref().map(drop),
            },
            Node::Fixed(n) => r.take(*n).map(drop),
            Node::Enum(map) => r.read_enum_index(map.len()).map(drop),
            Node::Array(item) | Node::Map(item) => {
                let is_map = matches!(self.node(), Node::Map(_));
                loop {
                    let n = self.block_count(r)?;
                    if n == 0 {
                        return Ok(());
                    }
                    for i in 0..n {
                        if is_map {
                            r.read_bytes_ref()?;
                        }
                        self.at(*item).skip(r).map_err(|e| e.index(i))?;
                    }
                }
            }
            Node::Record { writer_fields, .. } => {
                // Only records can recur: the nesting is counted here.
                r.enter()?;
                for (n, _) in writer_fields {
                    self.at(*n).skip(r)?;
                }
                r.leave();
                Ok(())
            }
            Node::WriterUnion(branches) => {
                let i = r.read_union_index(branches.len())?;
                self.at(branches[i].1).skip(r)
            }
            Node::IntoReaderUnion(_, n) => self.at(*n).skip(r),
            Node::Pending => Err(DecodeError::new(DecodeErrorKind::Custom(
                "this writer branch cannot be read with the reader schema".into(),
            ))),
        }
    }

    /// Decodes the value with `decode` (the reader type's ordinary decoder):
    /// directly where the node is identity, else after rewriting the
    /// writer's bytes into the reader's encoding.
    pub fn decode_transcoded<T>(
        self,
        r: &mut Reader<'_>,
        decode: impl FnOnce(&mut Reader<'_>) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        if self.is_identity() {
            return decode(r);
        }
        let mut buf = Vec::new();
        self.plan.run(self.id, r, &mut buf)?;
        let mut inner = Reader::new(&buf);
        let v = decode(&mut inner)?;
        inner.finish()?;
        Ok(v)
    }
}

/// The value a generated `decode_resolved` read for a reader field without
/// a default. A plan made with the reader's schema always fills such a
/// field; one made for another reader may not, which is an error here.
#[inline]
pub fn required<T>(slot: Option<T>, field: &'static str) -> Result<T, DecodeError> {
    slot.ok_or_else(|| {
        DecodeError::new(DecodeErrorKind::PlanMismatch(
            "a field without default is missing from the writer",
        ))
        .field(field)
    })
}

fn copy_primitive(p: Primitive, r: &mut Reader<'_>, out: &mut Vec<u8>) -> Result<(), DecodeError> {
    match p {
        Primitive::Null => {}
        Primitive::Boolean => out.push(r.read_bool()? as u8),
        Primitive::Int => write_long(out, r.read_int()? as i64),
        Primitive::Long => write_long(out, r.read_long()?),
        Primitive::Float => out.extend_from_slice(r.take(4)?),
        Primitive::Double => out.extend_from_slice(r.take(8)?),
        Primitive::Bytes => write_bytes(out, r.read_bytes_ref()?),
        // The reader type's decoder validates UTF-8; do it once, there.
        Primitive::String => write_bytes(out, r.read_bytes_ref()?),
    }
    Ok(())
}

fn promote(
    from: Primitive,
    to: Primitive,
    r: &mut Reader<'_>,
    out: &mut Vec<u8>,
) -> Result<(), DecodeError> {
    use Primitive::*;
    match (from, to) {
        (Int, Long) => write_long(out, r.read_int()? as i64),
        (Int, Float) => write_float(out, r.read_int()? as f32),
        (Int, Double) => write_double(out, r.read_int()? as f64),
        (Long, Float) => write_float(out, r.read_long()? as f32),
        (Long, Double) => write_double(out, r.read_long()? as f64),
        (Float, Double) => write_double(out, r.read_float()? as f64),
        (String, Bytes) => write_bytes(out, r.read_str()?.as_bytes()),
        (Bytes, String) => {
            let at = r.position();
            let b = r.read_bytes_ref()?;
            std::str::from_utf8(b).map_err(|e| {
                DecodeError::new(DecodeErrorKind::InvalidUtf8(format!(
                    "{e} (bytes at {at} promoted to string)"
                )))
            })?;
            write_bytes(out, b)
        }
        _ => unreachable!("only promotable pairs are planned"),
    }
    Ok(())
}

#[derive(Default)]
struct PlanCache {
    by_fingerprint: HashMap<u64, Arc<Plan>>,
    by_text: HashMap<String, Arc<Plan>>,
}

/// Reads data written with other schemas into `T`: one plan per writer
/// schema, cached by the writer's fingerprint.
pub struct Resolver<T> {
    plans: Mutex<PlanCache>,
    reader: SchemaSet,
    reader_root: Schema,
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<T: Decode + AvroSchema> Default for Resolver<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Decode + AvroSchema> Resolver<T> {
    pub fn new() -> Self {
        let (reader, reader_root) = SchemaSet::parse_str(T::schema()).unwrap_or_else(|e| {
            panic!(
                "the generated schema of {} does not parse: {e}",
                T::AVRO_NAME
            )
        });
        Resolver {
            plans: Mutex::new(PlanCache::default()),
            reader,
            reader_root,
            _t: std::marker::PhantomData,
        }
    }

    /// The plan for a writer schema (computed on first use, then cached).
    /// A schema text seen before is found without parsing it again; a new
    /// text with a known fingerprint reuses that plan.
    pub fn plan_for(&self, writer_schema: &str) -> Result<Arc<Plan>, ResolveError> {
        if let Some(p) = self.lock().by_text.get(writer_schema) {
            return Ok(p.clone());
        }
        let (wset, w) = SchemaSet::parse_str(writer_schema)
            .map_err(|e| ResolveError::Schema(format!("writer schema: {e}")))?;
        let fp = wset.fingerprint(&w);
        let known = self.lock().by_fingerprint.get(&fp).cloned();
        let plan = match known {
            Some(p) => p,
            None => Arc::new(
                resolve(&wset, &w, &self.reader, &self.reader_root)
                    .map_err(ResolveError::Incompatible)?,
            ),
        };
        let mut cache = self.lock();
        cache.by_fingerprint.insert(fp, plan.clone());
        cache.by_text.insert(writer_schema.to_owned(), plan.clone());
        Ok(plan)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PlanCache> {
        self.plans.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Decodes `bytes`, written with `writer_schema`, as `T`.
    pub fn decode(&self, writer_schema: &str, bytes: &[u8]) -> Result<T, ResolvedDecodeError> {
        let plan = self.plan_for(writer_schema)?;
        Ok(decode_with_plan(&plan, bytes)?)
    }
}

/// Decodes `bytes`, written with the plan's writer schema, as `T` (whose
/// schema must be the plan's reader schema), through `T`'s
/// [`Decode::decode_resolved`].
pub fn decode_with_plan<T: Decode>(plan: &Plan, bytes: &[u8]) -> Result<T, DecodeError> {
    crate::read_whole(bytes, |r| T::decode_resolved(r, plan.root()))
}

/// Decodes `bytes` as [`decode_with_plan`] did before generated resolved
/// decoders: the whole datum transcoded into the reader's encoding (unless
/// the plan is identity), then decoded with `T`'s ordinary decoder. Kept as
/// the reference the generated path is tested and measured against.
pub fn decode_transcoded<T: Decode>(plan: &Plan, bytes: &[u8]) -> Result<T, DecodeError> {
    crate::read_whole(bytes, |r| plan.root().decode_transcoded(r, T::decode))
}

/// Why a resolved decode failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolvedDecodeError {
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DecodeError;

    struct V2;
    impl AvroSchema for V2 {
        fn schema() -> &'static str {
            r#"{"type":"record","name":"S","fields":[{"name":"class","type":"long"}]}"#
        }
        fn canonical_form() -> &'static str {
            unimplemented!("not used by Resolver")
        }
    }
    impl Decode for V2 {
        fn decode(_: &mut Reader<'_>) -> Result<Self, DecodeError> {
            Ok(V2)
        }
    }
    #[test]
    fn plans_are_cached_by_text_and_by_fingerprint() {
        let resolver = Resolver::<V2>::new();
        let v1 = r#"{"type":"record","name":"S","fields":[{"name":"class","type":"int"}]}"#;
        let same_schema_other_text = r#"{"type": "record", "name": "S", "doc": "x", "fields": [{"name": "class", "type": "int"}]}"#;
        let a = resolver.plan_for(v1).unwrap();
        let b = resolver.plan_for(v1).unwrap();
        let c = resolver.plan_for(same_schema_other_text).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(Arc::ptr_eq(&a, &c));
        assert!(matches!(
            resolver.plan_for("{"),
            Err(ResolveError::Schema(_))
        ));
    }
}
