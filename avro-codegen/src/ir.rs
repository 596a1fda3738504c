//! The Rust-oriented IR every emitter works from, and its lowering from a
//! [`SchemaSet`].
//!
//! The IR names things the way Rust needs them (module path, type ident after
//! case conversion and keyword escaping, the Avro name beside it), knows where
//! recursion needs a `Box`, and carries each type's schema, canonical form and
//! fingerprint. `#[derive(AvroSchema)]` will build the same IR from a Rust
//! item, so a feature added here works for every way in.

use std::collections::{BTreeMap, HashMap};

use avro_schema::{Logical, NamedKind, Primitive, Schema, SchemaSet, TypeId};
use serde_json::Value;

use crate::ident::{field_name, type_name, unique_names, verbatim};
use crate::CodegenError;

/// Index of a type in [`Ir::types`].
pub type DefId = usize;

/// A Rust type as the emitters see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Avro `null`: `()`.
    Null,
    /// `boolean`: `bool`.
    Bool,
    /// `int`: `i32`.
    Int,
    /// `long`: `i64`.
    Long,
    /// `float`: `f32`.
    Float,
    /// `double`: `f64`.
    Double,
    /// `bytes`: `Vec<u8>`.
    Bytes,
    /// `string`: `String`.
    String,
    /// A primitive or fixed carrying a logical type.
    Logical(LogicalTy),
    /// `array`: `Vec<T>`.
    Array(Box<Ty>),
    /// `map`: the configured map type with `String` keys.
    Map(Box<Ty>),
    /// `["null", T]` (`null_index` 0) or `[T, "null"]` (1): `Option<T>`.
    Option {
        /// Where `null` stands in the union (0 or 1).
        null_index: usize,
        /// The non-null branch.
        inner: Box<Ty>,
        /// The non-null branch's name in the Avro JSON encoding (`string`, `com.example.Foo`).
        branch: String,
    },
    /// A generated type; `boxed` where recursion needs indirection.
    Def {
        /// The type's index in [`Ir::types`].
        id: DefId,
        /// Whether the field holds a `Box` of it.
        boxed: bool,
    },
    /// A Rust type the derive macro cannot see into (another derived or
    /// generated type, a type parameter, `Box<Self>`): encoded and decoded
    /// through its own `Encode`/`Decode` impls; its schema is composed when
    /// the program runs ([`SchemaSource::Composed`]).
    External {
        /// The Rust type, as source text.
        rust: String,
    },
    /// A Rust type other than the one this IR maps `avro` to, stored as
    /// `avro` through a conversion (derive only: `u8` as `int`,
    /// `VecDeque<T>` as `array`, `[u8; 16]` as `fixed`).
    Conv(Box<Conv>),
}

/// A Rust type stored as an Avro type it is not the default mapping of.
#[derive(Debug, Clone, PartialEq)]
pub struct Conv {
    /// How the value is written (never `Conv` itself).
    pub avro: Ty,
    /// The Rust type, as source text.
    pub rust: String,
    /// How it converts.
    pub kind: ConvKind,
}

/// How a [`Conv`] value becomes its Avro type and back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConvKind {
    /// An integer that `From` widens into the Avro `int`/`long` and
    /// `TryFrom` checks on the way back (`u8`, `i16`, `u32`).
    Widen,
    /// An integer stored as `long` only by request (`u64`, `usize`,
    /// `i128`): checked both ways, an error rather than a truncation.
    Checked,
    /// A string type other than `String` (`Cow<str>`, `Box<str>`, `&str`):
    /// borrowed as `&str` to write, converted `From<String>` when read
    /// (a reference is only read borrowed). Over `bytes`: a `&[u8]`.
    Str,
    /// A sequence other than `Vec` (`VecDeque`): written through `iter()`,
    /// read into a `Vec` and converted.
    Seq,
    /// A map other than the configured one (`BTreeMap`, `IndexMap`):
    /// written through `iter()`, read into itself (`reserve` when it has it).
    Map {
        /// Whether the map type has `reserve`.
        reserves: bool,
    },
    /// A type converted to and from one of the runtime's logical types
    /// (chrono's `NaiveDate`, `DateTime<Utc>`, ...): `From` into the
    /// runtime type to write, `TryFrom` back when read (a value out of the
    /// Rust type's range is a decode error).
    Via,
    /// A byte array `[u8; N]` as `fixed` of size N.
    ByteArray {
        /// N.
        size: usize,
    },
}

/// Logical types and the lossless runtime types they map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogicalTy {
    /// `date` on `int`: days since the epoch.
    Date,
    /// `time-millis` on `int`.
    TimeMillis,
    /// `time-micros` on `long`.
    TimeMicros,
    /// `timestamp-millis` on `long`.
    TimestampMillis,
    /// `timestamp-micros` on `long`.
    TimestampMicros,
    /// `timestamp-nanos` on `long`.
    TimestampNanos,
    /// `local-timestamp-millis` on `long`.
    LocalTimestampMillis,
    /// `local-timestamp-micros` on `long`.
    LocalTimestampMicros,
    /// `local-timestamp-nanos` on `long`.
    LocalTimestampNanos,
    /// `uuid` on `string`.
    UuidString,
    /// `uuid` on `fixed(16)`.
    UuidFixed,
    /// `decimal` on `bytes`.
    DecimalBytes {
        /// Digits after the point.
        scale: u32,
    },
    /// `decimal` on `fixed`.
    DecimalFixed {
        /// The fixed type's size in bytes.
        size: usize,
        /// Digits after the point.
        scale: u32,
    },
    /// `duration` on `fixed(12)`.
    Duration,
}

/// A record field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    /// Rust spelling (`r#type`, `first_name`).
    pub ident: String,
    /// The field's Avro name.
    pub avro_name: String,
    /// Its type.
    pub ty: Ty,
    /// The schema's `doc`.
    pub doc: Option<String>,
    /// The schema's default, validated by the parser.
    pub default: Option<Value>,
}

/// An enum symbol or a union branch.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantDef {
    /// The Rust variant's ident.
    pub ident: String,
    /// Enum symbol, or the union branch's name (`int`, `com.example.Foo`).
    pub avro_name: String,
    /// For union variants: the branch type (`None` for `null`).
    pub ty: Option<Ty>,
}

/// What a generated type is.
#[derive(Debug, Clone, PartialEq)]
pub enum DefKind {
    /// A record: a struct.
    Record {
        /// Fields in schema order.
        fields: Vec<FieldDef>,
    },
    /// An enum: a unit-only Rust enum.
    Enum {
        /// Symbols in schema order.
        variants: Vec<VariantDef>,
        /// Index of the schema's `default` symbol.
        default: Option<usize>,
    },
    /// A fixed: a newtype over `[u8; size]`.
    Fixed {
        /// Bytes.
        size: usize,
    },
    /// A union other than `["null", T]`: one variant per branch, in order.
    Union {
        /// One per branch.
        variants: Vec<VariantDef>,
    },
    /// A newtype over a top-level schema that is not a named type.
    Wrapper {
        /// The wrapped type.
        ty: Ty,
    },
}

/// One generated Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Module path: the Avro namespace, one snake-case ident per component.
    pub module: Vec<String>,
    /// The type's Rust ident.
    pub ident: String,
    /// The Avro full name (or a description for unions and wrappers).
    pub avro_name: String,
    /// The schema's `doc`.
    pub doc: Option<String>,
    /// What it is.
    pub kind: DefKind,
    /// The schema this type stands for; `None` for the enums generated for
    /// unions inside records, which are not Avro types of their own.
    pub schema: Option<SchemaText>,
}

/// Self-contained schema texts above this size are not written into the
/// generated source but built on first use from the embedded sources: every
/// type repeats the definitions it uses, which grows quadratically with
/// nesting (one corpus schema would otherwise generate 260 MB of source).
pub const INLINE_SCHEMA_LIMIT: usize = 16 * 1024;

/// A type's schema, as the generated `AvroSchema` impl provides it.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaText {
    /// CRC-64-AVRO of the canonical form.
    pub fingerprint: u64,
    /// Where the text comes from.
    pub source: SchemaSource,
}

/// How the generated code obtains a schema text.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaSource {
    /// Full JSON and Parsing Canonical Form, as literals.
    Inline {
        /// The schema JSON.
        json: String,
        /// Its Parsing Canonical Form.
        canonical: String,
    },
    /// Built at run time from [`Ir::sources`].
    Embedded(SchemaTarget),
    /// Composed at run time (derive): `template` is schema JSON in which
    /// `{"$hole": i}` stands for the schema of the Rust type `holes[i]`.
    Composed {
        /// Schema JSON with `{"$hole": i}` placeholders.
        template: String,
        /// The Rust types whose schemas fill the holes.
        holes: Vec<String>,
    },
}

/// Which schema of the embedded sources a type stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaTarget {
    /// A named type, by full name.
    Named(String),
    /// Index into the set's top-level schemas.
    Root(usize),
}

/// The whole program to emit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ir {
    /// Every generated type; [`DefId`]s index it.
    pub types: Vec<TypeDef>,
    /// The type that stands for each top-level schema: (source index, type).
    pub roots: Vec<(usize, DefId)>,
    /// The schema sources, embedded when some schema text is too large to inline.
    pub sources: Vec<String>,
    /// The name (usually the path) of the schema source each type comes
    /// from, for the generated docs; types without an entry have no source
    /// file (a derived type, say).
    pub origins: BTreeMap<DefId, String>,
}

impl Ir {
    /// Whether generated code needs the embedded sources.
    pub fn embeds_sources(&self) -> bool {
        self.types.iter().any(|t| {
            matches!(
                t.schema,
                Some(SchemaText {
                    source: SchemaSource::Embedded(_),
                    ..
                })
            )
        })
    }
}

impl Ir {
    /// Builds the IR for every named type of `set`, plus a type per source
    /// whose top-level schema is not a named type (named after the source's
    /// file stem).
    pub fn lower(set: &SchemaSet) -> Result<Ir, CodegenError> {
        Self::lower_with(set, false)
    }

    /// As [`Ir::lower`]; with `flat`, every type goes in one module.
    pub fn lower_with(set: &SchemaSet, flat: bool) -> Result<Ir, CodegenError> {
        let mut l = Lowering {
            set,
            ir: Ir::default(),
            named: HashMap::new(),
            taken: HashMap::new(),
            source: None,
        };
        // Declare every named type first so fields can point at them.
        let declared: Vec<(TypeId, Vec<String>)> = set
            .types
            .iter()
            .enumerate()
            // a logical fixed maps to a runtime type
            .filter(|(_, t)| {
                !matches!(
                    t.kind,
                    NamedKind::Fixed {
                        logical: Some(_),
                        ..
                    }
                )
            })
            .map(|(id, t)| {
                let module = if flat {
                    Vec::new()
                } else {
                    module_of(t.name.namespace.as_deref())
                };
                (id, module)
            })
            .collect();
        let mut idents: HashMap<TypeId, String> = HashMap::new();
        let mut by_module: BTreeMap<&[String], Vec<TypeId>> = BTreeMap::new();
        for (id, module) in &declared {
            by_module.entry(module.as_slice()).or_default().push(*id);
        }
        for ids in by_module.values() {
            let spellings: Vec<Vec<String>> = ids
                .iter()
                .map(|&id| {
                    let n = &set.types[id].name;
                    vec![
                        type_name(&n.name),
                        verbatim(&n.name),
                        verbatim(&n.fullname().replace('.', "_")),
                    ]
                })
                .collect();
            let names = unique_names(&spellings).map_err(|(a, b)| {
                CodegenError::Collision(format!(
                    "types {a} and {b} both become the same Rust type name"
                ))
            })?;
            idents.extend(ids.iter().copied().zip(names));
        }
        for (id, module) in declared {
            let t = &set.types[id];
            l.source = Some(t.origin.source);
            let ident = idents.remove(&id).expect("named above");
            l.claim(&module, &ident, &t.name.fullname())?;
            let schema = l.schema_text(&Schema::Named(id), SchemaTarget::Named(t.name.fullname()));
            let def = l.def(
                module,
                ident,
                t.name.fullname(),
                t.doc.clone(),
                DefKind::Fixed { size: 0 },
                Some(schema),
            );
            l.named.insert(id, def);
        }
        for (id, t) in set.types.iter().enumerate() {
            let Some(&def) = l.named.get(&id) else {
                continue;
            };
            l.source = Some(t.origin.source);
            let module = l.ir.types[def].module.clone();
            let owner = l.ir.types[def].ident.clone();
            let kind = match &t.kind {
                NamedKind::Record { fields, .. } => {
                    let spellings: Vec<Vec<String>> = fields
                        .iter()
                        .map(|f| vec![field_name(&f.name), verbatim(&f.name)])
                        .collect();
                    let idents = unique_names(&spellings).map_err(|(a, b)| {
                        CodegenError::Collision(format!(
                            "fields {a} and {b} of {} both become the same Rust field",
                            t.name
                        ))
                    })?;
                    let mut out: Vec<FieldDef> = Vec::with_capacity(fields.len());
                    for (f, ident) in fields.iter().zip(idents) {
                        let ctx = format!("{owner}{}", type_name(&f.name));
                        let ty = l.ty(&f.schema, &module, &ctx)?;
                        out.push(FieldDef {
                            ident,
                            avro_name: f.name.clone(),
                            ty,
                            doc: f.doc.clone(),
                            default: f.default.clone(),
                        });
                    }
                    DefKind::Record { fields: out }
                }
                NamedKind::Enum { symbols, default } => {
                    let spellings: Vec<Vec<String>> = symbols
                        .iter()
                        .map(|s| vec![type_name(s), verbatim(s)])
                        .collect();
                    let idents = unique_names(&spellings).map_err(|(a, b)| {
                        CodegenError::Collision(format!(
                            "symbols {a} and {b} of enum {} both become the same Rust variant",
                            t.name
                        ))
                    })?;
                    let variants: Vec<VariantDef> = symbols
                        .iter()
                        .zip(idents)
                        .map(|(s, ident)| VariantDef {
                            ident,
                            avro_name: s.clone(),
                            ty: None,
                        })
                        .collect();
                    let default = default
                        .as_ref()
                        .and_then(|d| symbols.iter().position(|s| s == d));
                    DefKind::Enum { variants, default }
                }
                NamedKind::Fixed { size, .. } => DefKind::Fixed { size: *size },
            };
            l.ir.types[def].kind = kind;
        }
        for (root_index, root) in set.roots.iter().enumerate() {
            l.source = Some(root.source);
            if let Schema::Named(id) = &root.schema {
                if let Some(&def) = l.named.get(id) {
                    l.ir.roots.push((root.source, def));
                    continue;
                }
            }
            let stem = source_stem(&set.sources[root.source].name);
            let ident = type_name(&stem);
            if root.schema.as_option().is_none() {
                if let Schema::Union(branches) = &root.schema {
                    let def = l.union_def(branches, &[], ident)?;
                    l.ir.types[def].schema =
                        Some(l.schema_text(&root.schema, SchemaTarget::Root(root_index)));
                    l.ir.roots.push((root.source, def));
                    continue;
                }
            }
            let ident = l.fresh(&[], &ident.replace("r#", ""));
            let ty = l.ty(&root.schema, &[], &ident)?;
            let schema = l.schema_text(&root.schema, SchemaTarget::Root(root_index));
            let def = l.def(
                Vec::new(),
                ident,
                format!("top-level schema of {stem}"),
                None,
                DefKind::Wrapper { ty },
                Some(schema),
            );
            l.ir.roots.push((root.source, def));
        }
        let mut ir = l.ir;
        ir.sources = set.sources.iter().map(|s| s.text.clone()).collect();
        ir.box_recursion();
        ir.box_large_union_variants();
        ir.box_large_in_containers();
        Ok(ir)
    }

    /// Boxes every reference to a record that can reach the referring type
    /// again by value (not through a `Vec` or map), which is exactly where a
    /// type would otherwise have infinite size.
    fn box_recursion(&mut self) {
        let n = self.types.len();
        let mut edges: Vec<Vec<DefId>> = vec![Vec::new(); n];
        for (i, t) in self.types.iter().enumerate() {
            for ty in t.direct_tys() {
                by_value_defs(ty, &mut edges[i]);
            }
        }
        let is_record: Vec<bool> = self
            .types
            .iter()
            .map(|t| matches!(t.kind, DefKind::Record { .. } | DefKind::Wrapper { .. }))
            .collect();
        let component = components(&edges);
        for i in 0..n {
            let mut tys: Vec<&mut Ty> = match &mut self.types[i].kind {
                DefKind::Record { fields } => fields.iter_mut().map(|f| &mut f.ty).collect(),
                DefKind::Union { variants } => {
                    variants.iter_mut().filter_map(|v| v.ty.as_mut()).collect()
                }
                DefKind::Wrapper { ty } => vec![ty],
                _ => Vec::new(),
            };
            // `id` reaches back to `i` (through `i -> id`) exactly when the
            // two are in one strongly connected component.
            for ty in tys.iter_mut() {
                mark_boxes(ty, &mut |id| is_record[id] && component[id] == component[i]);
            }
        }
    }
}

/// Union variants whose payload is estimated above this many bytes are
/// boxed, so a union of big records stays small (and its decoder's stack
/// frame too: a 122-branch union of records was 13 KB and overflowed a test
/// thread's stack in debug builds).
pub const UNION_VARIANT_BOX_LIMIT: usize = 256;

/// Generated types inside an option, array or map estimated above this many
/// bytes (and above [`CONTAINER_BOX_RATIO`] times their smallest encoding)
/// are boxed; see `Ir::box_large_in_containers`.
pub const CONTAINER_BOX_LIMIT: usize = 64;

/// See [`CONTAINER_BOX_LIMIT`].
pub const CONTAINER_BOX_RATIO: usize = 8;

impl Ir {
    fn box_large_union_variants(&mut self) {
        let mut memo = vec![None; self.types.len()];
        for i in 0..self.types.len() {
            let DefKind::Union { variants } = &self.types[i].kind else {
                continue;
            };
            let boxes: Vec<bool> = variants
                .iter()
                .map(|v| match &v.ty {
                    Some(Ty::Def { id, boxed: false }) => {
                        self.estimated_size(
                            &Ty::Def {
                                id: *id,
                                boxed: false,
                            },
                            &mut memo,
                            &mut Vec::new(),
                        ) > UNION_VARIANT_BOX_LIMIT
                    }
                    _ => false,
                })
                .collect();
            if let DefKind::Union { variants } = &mut self.types[i].kind {
                for (v, b) in variants.iter_mut().zip(boxes) {
                    if let Some(Ty::Def { boxed, .. }) = &mut v.ty {
                        *boxed |= b;
                    }
                }
            }
        }
    }

    /// Boxes generated types inside options, arrays and maps whose Rust
    /// value is much larger than their smallest encoding: a `null` in
    /// `["null", fixed(4096)]` is one byte of input and must not cost 4 KB of
    /// memory (nor a block of a million of them 4 GB), so hostile input
    /// keeps memory within a small multiple of its size. A type is boxed
    /// there when its estimated size is over [`CONTAINER_BOX_LIMIT`] bytes
    /// and over [`CONTAINER_BOX_RATIO`] times its smallest encoding (one
    /// byte for an option's `null`), so `Vec<[u8; 4096]>` stays unboxed
    /// (each item takes 4096 bytes of input).
    fn box_large_in_containers(&mut self) {
        let mut memo = vec![None; self.types.len()];
        let sizes: Vec<(usize, usize)> = (0..self.types.len())
            .map(|id| {
                let def = Ty::Def { id, boxed: false };
                let size = self.estimated_size(&def, &mut memo, &mut Vec::new());
                (size, self.min_encoded_size(&def, &mut Vec::new()))
            })
            .collect();
        let heavy = |id: DefId, min_input: usize| {
            let (size, min) = sizes[id];
            size > CONTAINER_BOX_LIMIT && size > CONTAINER_BOX_RATIO * min.min(min_input).max(1)
        };
        fn walk(ty: &mut Ty, min_input: usize, heavy: &dyn Fn(DefId, usize) -> bool) {
            match ty {
                Ty::Def { id, boxed } if min_input != usize::MAX => *boxed |= heavy(*id, min_input),
                Ty::Option { inner, .. } => walk(inner, 1, heavy),
                Ty::Array(items) | Ty::Map(items) => walk(items, usize::MAX - 1, heavy),
                _ => {}
            }
        }
        for t in &mut self.types {
            let tys: Vec<&mut Ty> = match &mut t.kind {
                DefKind::Record { fields } => fields.iter_mut().map(|f| &mut f.ty).collect(),
                DefKind::Union { variants } => {
                    variants.iter_mut().filter_map(|v| v.ty.as_mut()).collect()
                }
                DefKind::Wrapper { ty } => vec![ty],
                _ => Vec::new(),
            };
            for ty in tys {
                walk(ty, usize::MAX, &heavy);
            }
        }
    }

    /// The fewest bytes a value of `ty` takes on the wire (0 where a
    /// recursive type refers back to one being measured).
    fn min_encoded_size(&self, ty: &Ty, visiting: &mut Vec<DefId>) -> usize {
        match ty {
            Ty::Null => 0,
            Ty::Float => 4,
            Ty::Double => 8,
            Ty::Logical(LogicalTy::UuidFixed) => 16,
            Ty::Logical(LogicalTy::Duration) => 12,
            Ty::Logical(LogicalTy::DecimalFixed { size, .. }) => *size,
            Ty::Def { id, .. } => {
                if visiting.contains(id) {
                    return 0;
                }
                visiting.push(*id);
                let n = match &self.types[*id].kind {
                    DefKind::Record { fields } => fields
                        .iter()
                        .map(|f| self.min_encoded_size(&f.ty, visiting))
                        .fold(0usize, usize::saturating_add),
                    DefKind::Fixed { size } => *size,
                    DefKind::Wrapper { ty } => self.min_encoded_size(ty, visiting),
                    DefKind::Enum { .. } | DefKind::Union { .. } => 1,
                };
                visiting.pop();
                n
            }
            _ => 1,
        }
    }

    /// A rough size in bytes of the Rust value of `ty` (64-bit targets).
    pub fn estimated_size(
        &self,
        ty: &Ty,
        memo: &mut Vec<Option<usize>>,
        visiting: &mut Vec<DefId>,
    ) -> usize {
        match ty {
            Ty::Null => 0,
            Ty::Bool => 1,
            Ty::Int | Ty::Float => 4,
            Ty::Long | Ty::Double => 8,
            Ty::Bytes | Ty::String | Ty::Array(_) => 24,
            Ty::Map(_) => 48,
            Ty::Logical(l) => match l {
                LogicalTy::Date | LogicalTy::TimeMillis => 4,
                LogicalTy::UuidString | LogicalTy::UuidFixed => 16,
                LogicalTy::DecimalBytes { .. } | LogicalTy::DecimalFixed { .. } => 24,
                LogicalTy::Duration => 12,
                _ => 8,
            },
            Ty::Option { inner, .. } => 8 + self.estimated_size(inner, memo, visiting),
            Ty::External { .. } => 8,
            Ty::Conv(c) => self.estimated_size(&c.avro, memo, visiting),
            Ty::Def { boxed: true, .. } => 8,
            Ty::Def { id, boxed: false } => {
                if let Some(n) = memo[*id] {
                    return n;
                }
                if visiting.contains(id) {
                    return 8;
                }
                visiting.push(*id);
                let n = match &self.types[*id].kind {
                    DefKind::Record { fields } => fields
                        .iter()
                        .map(|f| self.estimated_size(&f.ty, memo, visiting))
                        .sum(),
                    DefKind::Enum { .. } => 1,
                    DefKind::Fixed { size } => *size,
                    DefKind::Wrapper { ty } => self.estimated_size(ty, memo, visiting),
                    DefKind::Union { variants } => {
                        8 + variants
                            .iter()
                            .filter_map(|v| v.ty.as_ref())
                            .map(|t| self.estimated_size(t, memo, visiting))
                            .map(|n| if n > UNION_VARIANT_BOX_LIMIT { 8 } else { n })
                            .max()
                            .unwrap_or(0)
                    }
                };
                visiting.pop();
                memo[*id] = Some(n);
                n
            }
        }
    }
}

impl Ir {
    /// Per type: whether a value of it can contain another value of it
    /// (through any reference: field, option, array, map, union). Decoders
    /// of these types count their nesting, so hostile input cannot overflow
    /// the stack.
    pub fn recursive_types(&self) -> Vec<bool> {
        fn refs(ty: &Ty, out: &mut Vec<DefId>) {
            match ty {
                Ty::Def { id, .. } => out.push(*id),
                Ty::Option { inner: t, .. } | Ty::Array(t) | Ty::Map(t) => refs(t, out),
                _ => {}
            }
        }
        let edges: Vec<Vec<DefId>> = self
            .types
            .iter()
            .map(|t| {
                let mut out = Vec::new();
                for ty in t.direct_tys() {
                    refs(ty, &mut out);
                }
                out
            })
            .collect();
        // A type reaches itself when it refers to itself or shares its
        // strongly connected component with another type.
        let component = components(&edges);
        let mut size = vec![0usize; edges.len()];
        for &c in &component {
            size[c] += 1;
        }
        (0..self.types.len())
            .map(|t| size[component[t]] > 1 || edges[t].contains(&t))
            .collect()
    }
}

impl TypeDef {
    fn direct_tys(&self) -> Vec<&Ty> {
        match &self.kind {
            DefKind::Record { fields } => fields.iter().map(|f| &f.ty).collect(),
            DefKind::Union { variants } => variants.iter().filter_map(|v| v.ty.as_ref()).collect(),
            DefKind::Wrapper { ty } => vec![ty],
            _ => Vec::new(),
        }
    }
}

/// The strongly connected component of every type along `edges` (a type's
/// references, per type): two types reach each other exactly when they are
/// in one component. Tarjan's algorithm, with an explicit stack (schemas
/// nest deeper than the thread's stack allows recursion), in time linear in
/// the types and references (a search per type was quadratic: a sixth of
/// whole-corpus codegen).
fn components(edges: &[Vec<DefId>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low) = (vec![UNSEEN; n], vec![0; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let mut component = vec![UNSEEN; n];
    let (mut next, mut components) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (type, how many of its references are visited)
        let mut calls = vec![(root, 0usize)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, visited)) = calls.last() {
            if let Some(&w) = edges[v].get(visited) {
                calls.last_mut().expect("a call").1 += 1;
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(u, _)) = calls.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = components;
                    if w == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

fn by_value_defs(ty: &Ty, out: &mut Vec<DefId>) {
    match ty {
        Ty::Def { id, .. } => {
            out.push(*id);
        }
        Ty::Option { inner, .. } => by_value_defs(inner, out),
        _ => {}
    }
}

fn mark_boxes(ty: &mut Ty, needs_box: &mut dyn FnMut(DefId) -> bool) {
    match ty {
        Ty::Def { id, boxed } => *boxed = needs_box(*id),
        Ty::Option { inner, .. } => mark_boxes(inner, needs_box),
        _ => {}
    }
}

/// `com.example` → `["com", "example"]` (snake case, keywords escaped).
pub fn module_of(namespace: Option<&str>) -> Vec<String> {
    namespace
        .map(|ns| ns.split('.').map(field_name).collect())
        .unwrap_or_default()
}

/// `schemas/user-event.avsc` → `user-event`.
fn source_stem(name: &str) -> String {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match file.split_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_owned(),
        _ => file.to_owned(),
    }
}

struct Lowering<'a> {
    set: &'a SchemaSet,
    ir: Ir,
    named: HashMap<TypeId, DefId>,
    /// Rust names taken per module, with what took them.
    taken: HashMap<Vec<String>, BTreeMap<String, String>>,
    /// The source whose types are being lowered.
    source: Option<usize>,
}

impl Lowering<'_> {
    fn claim(&mut self, module: &[String], ident: &str, what: &str) -> Result<(), CodegenError> {
        let names = self.taken.entry(module.to_vec()).or_default();
        if let Some(prev) = names.get(ident) {
            return Err(CodegenError::Collision(format!(
                "{prev} and {what} both become the Rust type `{}{ident}`",
                module.iter().map(|m| format!("{m}::")).collect::<String>()
            )));
        }
        names.insert(ident.to_owned(), what.to_owned());
        Ok(())
    }

    /// A free name in `module` starting from `base` (for generated unions).
    fn fresh(&mut self, module: &[String], base: &str) -> String {
        let names = self.taken.entry(module.to_vec()).or_default();
        let mut candidate = base.to_owned();
        let mut n = 1;
        while names.contains_key(&candidate) {
            candidate = if n == 1 {
                format!("{base}Union")
            } else {
                format!("{base}Union{n}")
            };
            n += 1;
        }
        names.insert(candidate.clone(), format!("the union {candidate}"));
        candidate
    }

    fn def(
        &mut self,
        module: Vec<String>,
        ident: String,
        avro_name: String,
        doc: Option<String>,
        kind: DefKind,
        schema: Option<SchemaText>,
    ) -> DefId {
        self.ir.types.push(TypeDef {
            module,
            ident,
            avro_name,
            doc,
            kind,
            schema,
        });
        let id = self.ir.types.len() - 1;
        if let Some(source) = self.source {
            self.ir
                .origins
                .insert(id, self.set.sources[source].name.clone());
        }
        id
    }

    fn schema_text(&self, schema: &Schema, target: SchemaTarget) -> SchemaText {
        let canonical = self.set.canonical_form(schema);
        let fingerprint = avro_schema::fingerprint64(canonical.as_bytes());
        // The full JSON is never shorter than the canonical form: skip
        // building it when the canonical form alone is over the limit.
        let json =
            (canonical.len() <= INLINE_SCHEMA_LIMIT).then(|| self.set.to_json(schema).to_string());
        let source = match json {
            Some(json) if json.len() + canonical.len() <= INLINE_SCHEMA_LIMIT => {
                SchemaSource::Inline { json, canonical }
            }
            _ => SchemaSource::Embedded(target),
        };
        SchemaText {
            fingerprint,
            source,
        }
    }

    fn union_def(
        &mut self,
        branches: &[Schema],
        module: &[String],
        name: String,
    ) -> Result<DefId, CodegenError> {
        // `name` is built from other idents, which may be raw (`r#type`).
        let ident = self.fresh(module, &name.replace("r#", ""));
        let names: Vec<(String, String)> = branches.iter().map(|b| self.branch_name(b)).collect();
        let spellings: Vec<Vec<String>> = names
            .iter()
            .map(|(short, full)| {
                vec![
                    type_name(short),
                    type_name(&full.replace('.', "_")),
                    verbatim(&full.replace('.', "_")),
                ]
            })
            .collect();
        let idents = unique_names(&spellings).map_err(|(a, b)| {
            CodegenError::Collision(format!(
                "union branches {a} and {b} of {ident} both become the same Rust variant"
            ))
        })?;
        let mut variants: Vec<VariantDef> = Vec::with_capacity(branches.len());
        for ((b, (_, avro_name)), vident) in branches.iter().zip(names).zip(idents) {
            let ty = match b {
                Schema::Primitive {
                    ty: Primitive::Null,
                    ..
                } => None,
                _ => Some(self.ty(b, module, &format!("{ident}{vident}"))?),
            };
            variants.push(VariantDef {
                ident: vident,
                avro_name,
                ty,
            });
        }
        Ok(self.def(
            module.to_vec(),
            ident.clone(),
            format!("union {ident}"),
            None,
            DefKind::Union { variants },
            None,
        ))
    }

    /// The variant name and the Avro branch name (the JSON-encoding key).
    fn branch_name(&self, b: &Schema) -> (String, String) {
        match b {
            Schema::Primitive { ty, logical, .. } => {
                let v = match logical {
                    Some(l) => type_name(l.name()),
                    None => type_name(ty.name()),
                };
                (v, ty.name().to_owned())
            }
            Schema::Array { .. } => ("Array".into(), "array".into()),
            Schema::Map { .. } => ("Map".into(), "map".into()),
            Schema::Union(_) => ("Union".into(), "union".into()),
            Schema::Named(id) => {
                let t = self.set.get(*id);
                (t.name.name.clone(), t.name.fullname())
            }
        }
    }

    fn ty(&mut self, s: &Schema, module: &[String], ctx: &str) -> Result<Ty, CodegenError> {
        Ok(match s {
            Schema::Primitive { ty, logical, .. } => match (ty, logical) {
                (_, Some(l)) => Ty::Logical(logical_ty(*l, None)),
                (Primitive::Null, _) => Ty::Null,
                (Primitive::Boolean, _) => Ty::Bool,
                (Primitive::Int, _) => Ty::Int,
                (Primitive::Long, _) => Ty::Long,
                (Primitive::Float, _) => Ty::Float,
                (Primitive::Double, _) => Ty::Double,
                (Primitive::Bytes, _) => Ty::Bytes,
                (Primitive::String, _) => Ty::String,
            },
            Schema::Array { items, .. } => {
                Ty::Array(Box::new(self.ty(items, module, &format!("{ctx}Item"))?))
            }
            Schema::Map { values, .. } => {
                Ty::Map(Box::new(self.ty(values, module, &format!("{ctx}Value"))?))
            }
            Schema::Union(branches) => match s.as_option() {
                Some((null_index, inner)) => Ty::Option {
                    null_index,
                    inner: Box::new(self.ty(inner, module, ctx)?),
                    branch: self.branch_name(inner).1,
                },
                None => Ty::Def {
                    id: self.union_def(branches, module, ctx.to_owned())?,
                    boxed: false,
                },
            },
            Schema::Named(id) => match self.named.get(id) {
                Some(&def) => Ty::Def {
                    id: def,
                    boxed: false,
                },
                None => match &self.set.get(*id).kind {
                    NamedKind::Fixed {
                        size,
                        logical: Some(l),
                    } => Ty::Logical(logical_ty(*l, Some(*size))),
                    _ => unreachable!("every named type but a logical fixed has a definition"),
                },
            },
        })
    }
}

fn logical_ty(l: Logical, fixed_size: Option<usize>) -> LogicalTy {
    match (l, fixed_size) {
        (Logical::Date, _) => LogicalTy::Date,
        (Logical::TimeMillis, _) => LogicalTy::TimeMillis,
        (Logical::TimeMicros, _) => LogicalTy::TimeMicros,
        (Logical::TimestampMillis, _) => LogicalTy::TimestampMillis,
        (Logical::TimestampMicros, _) => LogicalTy::TimestampMicros,
        (Logical::TimestampNanos, _) => LogicalTy::TimestampNanos,
        (Logical::LocalTimestampMillis, _) => LogicalTy::LocalTimestampMillis,
        (Logical::LocalTimestampMicros, _) => LogicalTy::LocalTimestampMicros,
        (Logical::LocalTimestampNanos, _) => LogicalTy::LocalTimestampNanos,
        (Logical::Uuid, None) => LogicalTy::UuidString,
        (Logical::Uuid, Some(_)) => LogicalTy::UuidFixed,
        (Logical::Decimal { scale, .. }, None) => LogicalTy::DecimalBytes { scale },
        (Logical::Decimal { scale, .. }, Some(size)) => LogicalTy::DecimalFixed { size, scale },
        (Logical::Duration, _) => LogicalTy::Duration,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use avro_schema::Source;

    #[test]
    fn components_group_the_types_that_reach_each_other() {
        // 0 -> 1 -> 2 -> 0 (a cycle), 2 -> 3, 3 -> 3 (itself), 4 alone, 5 -> 4.
        let edges = vec![vec![1], vec![2], vec![0, 3], vec![3], vec![], vec![4]];
        let c = components(&edges);
        assert!(c[0] == c[1] && c[1] == c[2]);
        let others = [c[3], c[4], c[5]];
        assert!(others.iter().all(|&x| x != c[0]));
        assert!(c[3] != c[4] && c[4] != c[5] && c[3] != c[5]);
        // A long chain: no recursion limit.
        let chain: Vec<Vec<DefId>> = (0..200_000).map(|i| vec![i + 1]).chain([vec![0]]).collect();
        let c = components(&chain);
        assert!(c.iter().all(|&x| x == c[0]));
    }

    fn field_tys(schema: &str) -> Vec<(String, Ty)> {
        let set = SchemaSet::load(vec![Source::new("t.avsc", schema)]).unwrap();
        let ir = Ir::lower(&set).unwrap();
        let root = ir.roots[0].1;
        let DefKind::Record { fields } = &ir.types[root].kind else {
            panic!("a record")
        };
        fields
            .iter()
            .map(|f| (f.avro_name.clone(), f.ty.clone()))
            .collect()
    }

    fn boxed_def(ty: &Ty) -> Option<bool> {
        match ty {
            Ty::Def { boxed, .. } => Some(*boxed),
            Ty::Option { inner, .. } | Ty::Array(inner) | Ty::Map(inner) => boxed_def(inner),
            _ => None,
        }
    }

    #[test]
    fn large_types_in_options_and_collections_are_boxed_where_input_cannot_pay_for_them() {
        let tys = field_tys(
            r#"{"type":"record","name":"R","fields":[
                {"name":"plain","type":{"type":"fixed","name":"F","size":4096}},
                {"name":"opt","type":["null","F"]},
                {"name":"items","type":{"type":"array","items":"F"}},
                {"name":"opt_items","type":{"type":"map","values":["null","F"]}},
                {"name":"small","type":["null",{"type":"fixed","name":"S","size":16}]},
                {"name":"recs","type":{"type":"array","items":{"type":"record","name":"Wide","fields":[
                    {"name":"a","type":"string"},{"name":"b","type":"string"},{"name":"c","type":"string"},
                    {"name":"d","type":{"type":"map","values":"string"}}]}}}
            ]}"#,
        );
        let boxed: Vec<(String, Option<bool>)> =
            tys.iter().map(|(n, t)| (n.clone(), boxed_def(t))).collect();
        let expect = [
            ("plain", false),    // a field: the input holds all 4096 bytes
            ("opt", true),       // null is 1 byte
            ("items", false),    // each item takes 4096 bytes of input
            ("opt_items", true), // each null item 1 byte (plus its key)
            ("small", false),    // 16 bytes: not worth an allocation
            ("recs", true),      // 120 bytes in memory from 4 bytes of input
        ];
        for ((name, got), (want_name, want)) in boxed.iter().zip(expect) {
            assert_eq!(name, want_name);
            assert_eq!(*got, Some(want), "{name}");
        }
    }
}
