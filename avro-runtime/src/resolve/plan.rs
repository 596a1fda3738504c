//! Building plans: the specification's resolution rules applied to a writer
//! and a reader schema, giving the nodes a [`Plan`] is made of (or every
//! incompatibility), with the per-node facts the readers need (identity,
//! smallest writer encoding).

use std::collections::HashMap;

use serde_json::Value;

use super::{Incompatibility, IncompatibilityKind, PlanNode};
use crate::encode::{write_bytes, write_double, write_float, write_long};
use crate::schema::{NamedKind, Primitive, Schema, SchemaSet, TypeId};

pub(super) type NodeId = usize;

#[derive(Debug, Clone)]
pub(super) enum Node {
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
    /// A writer union branch the (non-union) reader cannot read: decoding
    /// a datum written in it fails with this message (plans for decoding
    /// only; see [`super::resolve_for_decoding`]).
    Unreadable(String),
}

/// How to read one writer schema as one reader schema.
#[derive(Debug, Clone)]
pub struct Plan {
    pub(super) nodes: Vec<Node>,
    pub(super) root: NodeId,
    /// Per node: the writer's bytes are already the reader's encoding (same
    /// types all the way down, no field moved, no branch or symbol renumbered).
    pub(super) identity: Vec<bool>,
    /// `identity[root]`, read once per message by `decode_with_plan`.
    root_identity: bool,
    /// Per node: the fewest bytes a writer value can take (bounds block counts).
    pub(super) writer_min: Vec<usize>,
    /// Per node: the writer's value always takes zero bytes (`null`, empty
    /// records, `fixed(0)`, records of those), so skipping it reads nothing
    /// and costs nothing, however large its type tree.
    pub(super) empty: Vec<bool>,
    /// The writer schema's fingerprint (CRC-64-AVRO of its canonical form):
    /// what [`Decode::known_writer`](crate::Decode::known_writer) is asked
    /// for a decoder specialized to this writer.
    pub(super) writer_fingerprint: u64,
}

/// Resolves `writer` against `reader` (see [`super::resolve`]).
/// With `per_datum`, a writer union read by a non-union reader gets a plan
/// for each branch the reader can read and an [`Node::Unreadable`] for the
/// others, instead of failing the whole plan (unless no branch is readable).
pub(super) fn build(
    wset: &SchemaSet,
    writer: &Schema,
    rset: &SchemaSet,
    reader: &Schema,
    per_datum: bool,
) -> Result<Plan, Vec<Incompatibility>> {
    let mut r = Resolution {
        wset,
        rset,
        nodes: Vec::new(),
        named: HashMap::new(),
        named_errors: HashMap::new(),
        skip_named: HashMap::new(),
        errors: Vec::new(),
        per_datum,
    };
    let root = r.plan(writer, reader, "");
    if r.errors.is_empty() {
        Ok(Plan::new(r.nodes, root, wset.fingerprint(writer)))
    } else {
        Err(r.errors)
    }
}

struct Resolution<'a> {
    wset: &'a SchemaSet,
    rset: &'a SchemaSet,
    nodes: Vec<Node>,
    /// One plan per (writer, reader) named pair: a schema that refers to a
    /// named type many times (a tree of records) is planned once per pair,
    /// linear in the schema's size.
    named: HashMap<(TypeId, TypeId), NodeId>,
    /// The incompatibilities a named pair's plan found, repeated wherever
    /// the pair is used again.
    named_errors: HashMap<(TypeId, TypeId), Vec<Incompatibility>>,
    /// Skip plans of writer named types, shared the same way.
    skip_named: HashMap<(TypeId, TypeId), NodeId>,
    errors: Vec<Incompatibility>,
    per_datum: bool,
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

    /// Unqualified names equal, or the writer's full name among the
    /// reader's aliases, which are full names (an alias without a dot is in
    /// the reader type's namespace), as Java's `schemaNameEquals` decides.
    fn names_match(&self, w: TypeId, r: TypeId) -> bool {
        let (wt, rt) = (self.wset.get(w), self.rset.get(r));
        wt.name.name == rt.name.name
            || rt
                .aliases
                .iter()
                .any(|a| a.namespace == wt.name.namespace && a.name == wt.name.name)
    }

    fn plan(&mut self, w: &Schema, r: &Schema, loc: &str) -> NodeId {
        if let Schema::Union(wb) = w {
            let mut branches = Vec::with_capacity(wb.len());
            for (i, b) in wb.iter().enumerate() {
                let target = match r {
                    Schema::Union(rb) => match self.reader_branch(b, rb) {
                        Some(i) => {
                            let node = self.plan(b, &rb[i], &format!("{loc}/{i}"));
                            (Some(i as u32), node)
                        }
                        // Per datum (decoding), as for a non-union reader:
                        // only data in this writer branch fails.
                        None if self.per_datum => {
                            let msg = format!(
                                "the datum is in writer union branch {i} ({}), which the reader union lacks",
                                Self::describe(self.wset, b)
                            );
                            (None, self.push(Node::Unreadable(msg)))
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
                    _ => {
                        let before = self.errors.len();
                        let node = self.plan(b, r, loc);
                        if self.per_datum && self.errors.len() > before {
                            // The specification resolves a writer union per
                            // datum: only data in this branch fails.
                            let why: Vec<String> =
                                self.errors.drain(before..).map(|e| e.to_string()).collect();
                            let msg = format!(
                                "the datum is in writer union branch {i} ({}), which the reader cannot read: {}",
                                Self::describe(self.wset, b),
                                why.join("; ")
                            );
                            (None, self.push(Node::Unreadable(msg)))
                        } else {
                            (None, node)
                        }
                    }
                };
                branches.push(target);
            }
            if self.per_datum
                && branches
                    .iter()
                    .all(|(_, n)| matches!(self.nodes[*n], Node::Unreadable(_)))
            {
                return match r {
                    Schema::Union(_) => self.fail(
                        IncompatibilityKind::MissingUnionBranch,
                        loc,
                        "the reader union can read no branch of the writer union".into(),
                    ),
                    _ => self.mismatch(w, r, loc),
                };
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

    /// The reader union branch for a writer schema: for a named type the
    /// branch of the same kind and full name first; then the first exact
    /// match (a named type by unqualified name or alias), else the first it
    /// promotes to.
    fn reader_branch(&self, w: &Schema, rb: &[Schema]) -> Option<usize> {
        if let Schema::Named(a) = w {
            let wt = self.wset.get(*a);
            let same_full_name = rb.iter().position(|r| match r {
                Schema::Named(b) => {
                    let rt = self.rset.get(*b);
                    std::mem::discriminant(&wt.kind) == std::mem::discriminant(&rt.kind)
                        && rt.name == wt.name
                }
                _ => false,
            });
            if same_full_name.is_some() {
                return same_full_name;
            }
        }
        rb.iter()
            .position(|r| self.matches(w, r, true))
            .or_else(|| rb.iter().position(|r| self.matches(w, r, false)))
    }

    fn plan_named(&mut self, a: TypeId, b: TypeId, w: &Schema, r: &Schema, loc: &str) -> NodeId {
        if let Some(&n) = self.named.get(&(a, b)) {
            if let Some(errs) = self.named_errors.get(&(a, b)) {
                self.errors.extend(errs.iter().cloned());
            }
            return n;
        }
        let before = self.errors.len();
        let id = self.plan_named_once(a, b, w, r, loc);
        if self.errors.len() > before {
            self.named_errors
                .insert((a, b), self.errors[before..].to_vec());
        }
        id
    }

    fn plan_named_once(
        &mut self,
        a: TypeId,
        b: TypeId,
        w: &Schema,
        r: &Schema,
        loc: &str,
    ) -> NodeId {
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
                // Names looked up by hash: linear in the number of fields.
                let writer_by_name: HashMap<&str, usize> = wf
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.name.as_str(), i))
                    .collect();
                let reader_by_name: HashMap<&str, usize> = rf
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.name.as_str(), i))
                    .collect();
                // Per writer field name, the reader fields that alias it (in
                // reader order) and whose own name is no writer field's.
                let mut aliased: HashMap<&str, Vec<usize>> = HashMap::new();
                for (i, x) in rf.iter().enumerate() {
                    let by_name = writer_by_name.get(x.name.as_str());
                    for al in &x.aliases {
                        let Some(&w) = writer_by_name.get(al.as_str()) else {
                            continue;
                        };
                        match by_name {
                            // A reader field whose name matches one writer
                            // field and an alias another is ambiguous (Java
                            // throws "matches multiple fields").
                            Some(&n) if n != w => {
                                self.fail(
                                    IncompatibilityKind::AmbiguousField,
                                    &format!("{loc}/fields/{i}"),
                                    format!(
                                        "reader field {:?} matches writer field {:?} by name and writer field {:?} by alias",
                                        x.name, wf[n].name, wf[w].name
                                    ),
                                );
                            }
                            Some(_) => {}
                            None => aliased.entry(wf[w].name.as_str()).or_default().push(i),
                        }
                    }
                }
                // Each writer field fills the reader field of its name, else
                // the first whose aliases name it: one reader field, as Java's
                // resolving decoder reads it (its alias map keeps one reader
                // name per writer name); another reader field aliasing the
                // same writer field takes its default.
                for f in wf {
                    let target = reader_by_name.get(f.name.as_str()).copied().or_else(|| {
                        aliased
                            .get(f.name.as_str())
                            .and_then(|v| v.iter().copied().find(|&k| !filled[k]))
                    });
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

    /// A plan that reads (and so skips) a writer value: the writer planned
    /// against itself, its named types shared across every skipped field.
    fn plan_skip(&mut self, w: &Schema) -> NodeId {
        let mut inner = Resolution {
            wset: self.wset,
            rset: self.wset,
            nodes: std::mem::take(&mut self.nodes),
            named: std::mem::take(&mut self.skip_named),
            named_errors: HashMap::new(),
            skip_named: HashMap::new(),
            errors: Vec::new(),
            per_datum: false,
        };
        let n = inner.plan(w, w, "");
        self.nodes = inner.nodes;
        self.skip_named = inner.named;
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
    fn new(nodes: Vec<Node>, root: NodeId, writer_fingerprint: u64) -> Plan {
        let identity = identity_nodes(&nodes);
        let writer_min = writer_min_sizes(&nodes);
        let empty = empty_nodes(&nodes);
        Plan {
            root_identity: identity[root],
            nodes,
            root,
            identity,
            writer_min,
            empty,
            writer_fingerprint,
        }
    }

    /// The writer schema's fingerprint (CRC-64-AVRO of its Parsing
    /// Canonical Form).
    #[inline]
    pub fn writer_fingerprint(&self) -> u64 {
        self.writer_fingerprint
    }

    /// The plan's root node, for [`Decode::decode_resolved`](crate::Decode::decode_resolved).
    pub fn root(&self) -> PlanNode<'_> {
        PlanNode {
            plan: self,
            id: self.root,
        }
    }

    /// Whether the writer's data is already in the reader's encoding (the
    /// writer and reader schemas describe the same bytes).
    #[inline]
    pub fn is_identity(&self) -> bool {
        self.root_identity
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
            Node::Promote(..) | Node::IntoReaderUnion(..) | Node::Pending | Node::Unreadable(_) => {
                false
            }
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
                Node::Pending | Node::Unreadable(_) => 0,
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

/// Which nodes' writer values always take zero bytes: the least fixpoint
/// (a record that contains itself has no finite value, so it is not empty).
fn empty_nodes(nodes: &[Node]) -> Vec<bool> {
    let mut empty: Vec<bool> = nodes
        .iter()
        .map(|n| matches!(n, Node::Same(Primitive::Null) | Node::Fixed(0)))
        .collect();
    loop {
        let mut changed = false;
        for (k, n) in nodes.iter().enumerate() {
            if empty[k] {
                continue;
            }
            let now = match n {
                Node::Record { writer_fields, .. } => writer_fields.iter().all(|(c, _)| empty[*c]),
                Node::IntoReaderUnion(_, c) => empty[*c],
                _ => false,
            };
            if now {
                empty[k] = true;
                changed = true;
            }
        }
        if !changed {
            return empty;
        }
    }
}
