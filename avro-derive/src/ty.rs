//! Rust field types → what Avro makes of them: a small tree ([`FieldType`])
//! built once per field, rendered both as avro-codegen IR ([`Ty`]) and as
//! schema JSON. Errors name the type and say what to write instead.

use std::collections::HashSet;

use avro_codegen::ir::{Conv, ConvKind, LogicalTy, Ty};
use quote::ToTokens;
use serde_json::{json, Map, Value};
use syn::{GenericArgument, PathArguments, Type};

use crate::attr::Attrs;
use crate::ctxt::Ctxt;

/// What a Rust type is in Avro.
#[derive(Clone)]
pub enum FieldType {
    /// A primitive or logical type: its IR type and its schema JSON.
    Plain(Ty, Value),
    /// A Rust type written as `inner` through a conversion.
    Conv {
        kind: ConvKind,
        rust: String,
        inner: Box<FieldType>,
    },
    Array(Box<FieldType>),
    Map(Box<FieldType>),
    /// `Option<T>`: `null` first unless the default is not null.
    Option(Box<FieldType>, usize),
    /// `[u8; N]` as a named fixed.
    ByteArray {
        rust: String,
        size: usize,
        name: String,
    },
    /// The type being derived (`Self`, `Box<Self>`): a reference by name.
    SelfRef {
        rust: String,
    },
    /// A type the macro cannot see into: its own impls, its schema at run time.
    External {
        rust: String,
        schema_of: String,
    },
}

/// The context a field type is lowered in.
pub struct TypeCx<'a> {
    pub cx: &'a Ctxt,
    /// Idents that mean the derived type itself (`Self`, its name).
    pub self_names: Vec<String>,
    /// The derived type's Avro full name.
    pub self_fullname: String,
    pub namespace: Option<String>,
    /// Type parameters of the item.
    pub type_params: Vec<String>,
    /// The runtime's path from `#[avro(crate = "...")]`, if given: its types
    /// (`crate::reexport::avro::Uuid`) are the runtime's too.
    pub runtime_crate: Option<String>,
}

fn last_segment(ty: &Type) -> Option<(&syn::PathSegment, &syn::Path)> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| (s, &p.path)),
        Type::Group(g) => last_segment(&g.elem),
        Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

fn generic_args(seg: &syn::PathSegment) -> Vec<&Type> {
    match &seg.arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn text(ty: &impl ToTokens) -> String {
    ty.to_token_stream().to_string()
}

/// A path that names a type of the runtime's logical types: a bare name,
/// or one under `avro_runtime` / `uuid` / `logical`.
fn runtime_path(path: &syn::Path, runtime_crate: Option<&str>) -> bool {
    let n = path.segments.len();
    let prefix: Vec<String> = path
        .segments
        .iter()
        .take(n - 1)
        .map(|s| s.ident.to_string())
        .collect();
    let overridden = runtime_crate.is_some_and(|c| {
        let c: Vec<&str> = c
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        c == prefix
    });
    n == 1
        || overridden
        || prefix
            .iter()
            .any(|s| s == "avro_runtime" || s == "uuid" || s == "logical")
}

impl TypeCx<'_> {
    /// Lowers a field's type (with the field's attributes); `None` after an error.
    pub fn field(&self, ty: &Type, a: &Attrs) -> Option<FieldType> {
        let ft = self.lower(ty, a, true)?;
        Some(self.logical(ft, ty, a))
    }

    fn unsupported(&self, ty: &Type, what: &str) -> Option<FieldType> {
        self.cx.error_spanned_by(ty, what);
        None
    }

    fn lower(&self, ty: &Type, a: &Attrs, top: bool) -> Option<FieldType> {
        let plain = |t: Ty, name: &str| FieldType::Plain(t, Value::String(name.into()));
        if let Type::Reference(r) = ty {
            if let Type::Path(p) = &*r.elem {
                if p.path.is_ident("str") {
                    return Some(FieldType::Conv {
                        kind: ConvKind::Str,
                        rust: text(ty),
                        inner: Box::new(plain(Ty::String, "string")),
                    });
                }
            }
            if let Type::Slice(sl) = &*r.elem {
                if matches!(&*sl.elem, Type::Path(p) if p.path.is_ident("u8")) {
                    if a.bytes.is_none() {
                        return self.unsupported(
                            ty,
                            "a `&[u8]` field is Avro `bytes` only when told: add #[avro(bytes)] (an array of ints cannot be borrowed)",
                        );
                    }
                    // A byte slice: `Str` over `bytes` (borrowed to write, borrowed when read).
                    return Some(FieldType::Conv {
                        kind: ConvKind::Str,
                        rust: text(ty),
                        inner: Box::new(plain(Ty::Bytes, "bytes")),
                    });
                }
            }
            return self.unsupported(
                ty,
                "references other than `&str` and `&[u8]` (with #[avro(bytes)]) cannot be decoded into: use an owned type (`String`, `Vec<T>`, `Box<T>`)",
            );
        }
        if let Type::Array(arr) = ty {
            let is_u8 = matches!(&*arr.elem, Type::Path(p) if p.path.is_ident("u8"));
            let size = match &arr.len {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(n),
                    ..
                }) => n.base10_parse::<usize>().ok(),
                _ => None,
            };
            return match (is_u8, size) {
                (true, Some(size)) => {
                    if let Some(f) = a.fixed.as_ref().and_then(|f| f.value.size.as_ref()) {
                        if f.value != size {
                            self.cx.error_spanned_by(
                                &f.tokens,
                                format!("`fixed(size = {})` does not match the array's length {size}", f.value),
                            );
                        }
                    }
                    let name = a
                        .fixed
                        .as_ref()
                        .and_then(|f| f.value.name.as_ref())
                        .map(|n| n.value.clone())
                        .unwrap_or_else(|| format!("Fixed{size}"));
                    Some(FieldType::ByteArray {
                        rust: text(ty),
                        size,
                        name,
                    })
                }
                (true, None) => self.unsupported(
                    ty,
                    "the length of a `[u8; N]` field must be an integer literal (it is the fixed type's size)",
                ),
                (false, _) => self.unsupported(
                    ty,
                    "Avro has no fixed-length arrays of other types: use `Vec<T>` (an Avro array), or `[u8; N]` for a fixed",
                ),
            };
        }
        let Some((seg, path)) = last_segment(ty) else {
            return self.unsupported(
                ty,
                "this type has no Avro schema: use a struct, an enum, a primitive, `Option`, `Vec`, a map with `String` keys, or a type that implements `AvroSchema`",
            );
        };
        let name = seg.ident.to_string();
        let args = generic_args(seg);
        let bare = path.segments.len() == 1 && args.is_empty();
        if self.self_names.contains(&name) && path.segments.len() == 1 {
            if top {
                return self.unsupported(
                    ty,
                    "a type cannot contain itself by value: use `Box<Self>`, `Option<Box<Self>>` or `Vec<Self>`",
                );
            }
            return Some(FieldType::SelfRef { rust: text(ty) });
        }
        if bare && self.type_params.contains(&name) {
            return Some(FieldType::External {
                rust: name.clone(),
                schema_of: name,
            });
        }
        let widen = |avro: Ty, avro_name: &str| FieldType::Conv {
            kind: ConvKind::Widen,
            rust: name.clone(),
            inner: Box::new(plain(avro, avro_name)),
        };
        if args.is_empty() && (path.segments.len() == 1 || name == "String") {
            match name.as_str() {
                "bool" => return Some(plain(Ty::Bool, "boolean")),
                "i32" => return Some(plain(Ty::Int, "int")),
                "i64" => return Some(plain(Ty::Long, "long")),
                "f32" => return Some(plain(Ty::Float, "float")),
                "f64" => return Some(plain(Ty::Double, "double")),
                "String" => return Some(plain(Ty::String, "string")),
                "i8" | "i16" | "u8" | "u16" => return Some(widen(Ty::Int, "int")),
                "u32" => return Some(widen(Ty::Long, "long")),
                "u64" | "usize" | "isize" | "i128" | "u128" => {
                    if a.long.is_some() {
                        return Some(FieldType::Conv {
                            kind: ConvKind::Checked,
                            rust: name.clone(),
                            inner: Box::new(plain(Ty::Long, "long")),
                        });
                    }
                    return self.unsupported(
                        ty,
                        format!(
                            "`{name}` does not fit Avro `long` (64-bit signed): add #[avro(long)] to store it as `long` (values out of range are an encode error, never truncated), or use `i64`"
                        )
                        .as_str(),
                    );
                }
                "char" => {
                    return self.unsupported(
                        ty,
                        "Avro has no character type: use `String`, or `u32` for the code point",
                    )
                }
                _ => {}
            }
        }
        if let Some(ft) = self.chrono(ty, path, &name, &args, a) {
            return ft;
        }
        if runtime_path(path, self.runtime_crate.as_deref()) && args.is_empty() {
            let logical =
                |l: LogicalTy, schema: Value| Some(FieldType::Plain(Ty::Logical(l), schema));
            match name.as_str() {
                "Uuid" => {
                    return logical(
                        LogicalTy::UuidString,
                        json!({"type":"string","logicalType":"uuid"}),
                    )
                }
                "Date" => {
                    return logical(LogicalTy::Date, json!({"type":"int","logicalType":"date"}))
                }
                "TimeMillis" => {
                    return logical(
                        LogicalTy::TimeMillis,
                        json!({"type":"int","logicalType":"time-millis"}),
                    )
                }
                "TimeMicros" => {
                    return logical(
                        LogicalTy::TimeMicros,
                        json!({"type":"long","logicalType":"time-micros"}),
                    )
                }
                "TimestampMillis" => {
                    return logical(
                        LogicalTy::TimestampMillis,
                        json!({"type":"long","logicalType":"timestamp-millis"}),
                    )
                }
                "TimestampMicros" => {
                    return logical(
                        LogicalTy::TimestampMicros,
                        json!({"type":"long","logicalType":"timestamp-micros"}),
                    )
                }
                "TimestampNanos" => {
                    return logical(
                        LogicalTy::TimestampNanos,
                        json!({"type":"long","logicalType":"timestamp-nanos"}),
                    )
                }
                "LocalTimestampMillis" => {
                    return logical(
                        LogicalTy::LocalTimestampMillis,
                        json!({"type":"long","logicalType":"local-timestamp-millis"}),
                    )
                }
                "LocalTimestampMicros" => {
                    return logical(
                        LogicalTy::LocalTimestampMicros,
                        json!({"type":"long","logicalType":"local-timestamp-micros"}),
                    )
                }
                "LocalTimestampNanos" => {
                    return logical(
                        LogicalTy::LocalTimestampNanos,
                        json!({"type":"long","logicalType":"local-timestamp-nanos"}),
                    )
                }
                "Duration" => {
                    let name = a
                        .fixed
                        .as_ref()
                        .and_then(|f| f.value.name.as_ref())
                        .map(|n| n.value.clone())
                        .unwrap_or_else(|| "Duration".into());
                    return logical(
                        LogicalTy::Duration,
                        json!({"type":"fixed","name":name,"size":12,"logicalType":"duration"}),
                    );
                }
                "Decimal" => return self.decimal(ty, a),
                _ => {}
            }
        }
        let one = |what: &str| -> Option<&Type> {
            if args.len() == 1 {
                Some(args[0])
            } else {
                self.cx
                    .error_spanned_by(ty, format!("`{name}` needs one type argument ({what})"));
                None
            }
        };
        match name.as_str() {
            "Option" => {
                let inner = self.lower(one("the value type")?, a, false)?;
                if matches!(inner, FieldType::Option(..)) {
                    return self.unsupported(
                        ty,
                        "`Option<Option<T>>` would be a union inside a union, which Avro forbids: use one `Option`",
                    );
                }
                Some(FieldType::Option(Box::new(inner), 0))
            }
            "Vec" => {
                let item = one("the item type")?;
                if a.bytes.is_some() && matches!(item, Type::Path(p) if p.path.is_ident("u8")) {
                    return Some(plain(Ty::Bytes, "bytes"));
                }
                let inner = self.lower(item, &Attrs::default(), false)?;
                Some(FieldType::Array(Box::new(inner)))
            }
            "VecDeque" | "LinkedList" | "BTreeSet" | "HashSet" | "IndexSet" => {
                let inner = self.lower(one("the item type")?, &Attrs::default(), false)?;
                Some(FieldType::Conv {
                    kind: ConvKind::Seq,
                    rust: text(ty),
                    inner: Box::new(FieldType::Array(Box::new(inner))),
                })
            }
            "HashMap" | "BTreeMap" | "IndexMap" => {
                if args.len() < 2 {
                    return self.unsupported(ty, "a map needs its key and value types");
                }
                let key_ok = matches!(last_segment(args[0]), Some((k, _)) if k.ident == "String" && k.arguments.is_empty());
                if !key_ok {
                    self.cx.error_spanned_by(
                        args[0],
                        "Avro map keys are strings: use `String` as the key type",
                    );
                    return None;
                }
                let inner = self.lower(args[1], &Attrs::default(), false)?;
                let map = FieldType::Map(Box::new(inner));
                // A std HashMap with the default hasher is the emitter's own map type.
                if name == "HashMap" && args.len() == 2 {
                    return Some(map);
                }
                Some(FieldType::Conv {
                    kind: ConvKind::Map {
                        reserves: name != "BTreeMap",
                    },
                    rust: text(ty),
                    inner: Box::new(map),
                })
            }
            "Box" | "Rc" | "Arc" => {
                let inner_ty = one("the boxed type")?;
                if name == "Box" {
                    if let Type::Path(p) = inner_ty {
                        if p.path.is_ident("str") {
                            return Some(FieldType::Conv {
                                kind: ConvKind::Str,
                                rust: text(ty),
                                inner: Box::new(plain(Ty::String, "string")),
                            });
                        }
                    }
                }
                match self.lower(inner_ty, a, false)? {
                    FieldType::SelfRef { .. } if name == "Box" => {
                        Some(FieldType::SelfRef { rust: text(ty) })
                    }
                    FieldType::External { schema_of, .. } if name == "Box" => {
                        Some(FieldType::External {
                            rust: text(ty),
                            schema_of,
                        })
                    }
                    _ => self.unsupported(
                        ty,
                        "only `Box<T>` of a struct or enum type is supported here: write the inner type without the box",
                    ),
                }
            }
            "Cow" => Some(FieldType::Conv {
                kind: ConvKind::Str,
                rust: text(ty),
                inner: Box::new(plain(Ty::String, "string")),
            }),
            _ => {
                if !path.segments.iter().all(|s| {
                    s.arguments.is_empty()
                        || matches!(s.arguments, PathArguments::AngleBracketed(_))
                }) {
                    return self.unsupported(ty, "function-like type paths have no Avro schema");
                }
                Some(FieldType::External {
                    rust: text(ty),
                    schema_of: text(ty),
                })
            }
        }
    }

    fn decimal(&self, ty: &Type, a: &Attrs) -> Option<FieldType> {
        let Some(precision) = &a.precision else {
            self.cx.error_spanned_by(
                ty,
                "a `Decimal` field needs its precision: add #[avro(precision = N, scale = M)]",
            );
            return None;
        };
        let scale = a.scale.as_ref().map_or(0, |s| s.value);
        if precision.value == 0 || scale > precision.value {
            self.cx.error_spanned_by(
                &precision.tokens,
                "decimal precision must be at least 1 and at least the scale",
            );
            return None;
        }
        match a.fixed.as_ref().and_then(|f| f.value.size.as_ref()) {
            Some(size) => {
                let name = a
                    .fixed
                    .as_ref()
                    .and_then(|f| f.value.name.as_ref())
                    .map(|n| n.value.clone())
                    .unwrap_or_else(|| format!("Decimal{}", size.value));
                Some(FieldType::Plain(
                    Ty::Logical(LogicalTy::DecimalFixed {
                        size: size.value,
                        scale,
                    }),
                    json!({"type":"fixed","name":name,"size":size.value,"logicalType":"decimal","precision":precision.value,"scale":scale}),
                ))
            }
            None => Some(FieldType::Plain(
                Ty::Logical(LogicalTy::DecimalBytes { scale }),
                json!({"type":"bytes","logicalType":"decimal","precision":precision.value,"scale":scale}),
            )),
        }
    }

    /// `#[avro(logical = "...")]` on a field of the logical type's
    /// underlying Rust type: the schema carries the annotation, the value
    /// is stored as is.
    /// chrono's date and time types (bare, or under a `chrono` path),
    /// stored as the logical type `#[avro(logical = "...")]` picks among
    /// those the type converts to, microseconds by default; `None` for any
    /// other type. The runtime's `chrono` feature provides the conversions.
    fn chrono(
        &self,
        ty: &Type,
        path: &syn::Path,
        name: &str,
        args: &[&Type],
        a: &Attrs,
    ) -> Option<Option<FieldType>> {
        let n = path.segments.len();
        if n > 1
            && !path
                .segments
                .iter()
                .take(n - 1)
                .any(|s| s.ident == "chrono")
        {
            return None;
        }
        let choices: &[(&str, LogicalTy, &str)] = match name {
            "NaiveDate" if args.is_empty() => &[("date", LogicalTy::Date, "int")],
            "NaiveTime" if args.is_empty() => &[
                ("time-micros", LogicalTy::TimeMicros, "long"),
                ("time-millis", LogicalTy::TimeMillis, "int"),
            ],
            "NaiveDateTime" if args.is_empty() => &[
                (
                    "local-timestamp-micros",
                    LogicalTy::LocalTimestampMicros,
                    "long",
                ),
                (
                    "local-timestamp-millis",
                    LogicalTy::LocalTimestampMillis,
                    "long",
                ),
            ],
            "DateTime" => {
                let utc = args.len() == 1
                    && matches!(args[0], Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Utc"));
                if !utc {
                    return Some(self.unsupported(
                        ty,
                        "only `DateTime<Utc>` has an Avro timestamp type: convert other time zones to `Utc` (Avro timestamps are instants), or use `NaiveDateTime` for a local timestamp",
                    ));
                }
                &[
                    ("timestamp-micros", LogicalTy::TimestampMicros, "long"),
                    ("timestamp-millis", LogicalTy::TimestampMillis, "long"),
                ]
            }
            _ => return None,
        };
        let chosen = match &a.logical {
            None => &choices[0],
            Some(l) => match choices.iter().find(|c| c.0 == l.value) {
                Some(c) => c,
                None => {
                    let names: Vec<&str> = choices.iter().map(|c| c.0).collect();
                    self.cx.error_spanned_by(
                        &l.tokens,
                        format!(
                            "`{name}` is stored as {}; logical type {:?} does not fit it",
                            names.join(" or "),
                            l.value
                        ),
                    );
                    return Some(None);
                }
            },
        };
        let (logical_name, logical, underlying) = *chosen;
        Some(Some(FieldType::Conv {
            kind: ConvKind::Via,
            rust: text(ty),
            inner: Box::new(FieldType::Plain(
                Ty::Logical(logical),
                json!({"type": underlying, "logicalType": logical_name}),
            )),
        }))
    }

    fn logical(&self, ft: FieldType, ty: &Type, a: &Attrs) -> FieldType {
        let Some(l) = &a.logical else { return ft };
        // A chrono type (or an `Option` of one) took its logical type
        // from the attribute already.
        let mut inner = &ft;
        while let FieldType::Option(i, _) = inner {
            inner = i;
        }
        if matches!(
            inner,
            FieldType::Conv {
                kind: ConvKind::Via,
                ..
            }
        ) {
            return ft;
        }
        let underlying = match l.value.as_str() {
            "date" | "time-millis" => Some("int"),
            "time-micros"
            | "timestamp-millis"
            | "timestamp-micros"
            | "timestamp-nanos"
            | "local-timestamp-millis"
            | "local-timestamp-micros"
            | "local-timestamp-nanos" => Some("long"),
            "uuid" => Some("string"),
            _ => None,
        };
        let Some(underlying) = underlying else {
            self.cx.error_spanned_by(
                &l.tokens,
                format!("unknown logical type {:?}: expected date, time-millis, time-micros, timestamp-millis, timestamp-micros, timestamp-nanos, local-timestamp-millis, local-timestamp-micros, local-timestamp-nanos or uuid (decimal: a `Decimal` field with precision and scale)", l.value),
            );
            return ft;
        };
        match ft {
            FieldType::Plain(t, Value::String(s)) if s == underlying => {
                FieldType::Plain(t, json!({"type": s, "logicalType": l.value}))
            }
            other => {
                self.cx.error_spanned_by(
                    ty,
                    format!("logical type {:?} annotates `{underlying}`; this field's type is not stored as `{underlying}`", l.value),
                );
                other
            }
        }
    }
}

impl FieldType {
    /// The IR type.
    pub fn ty(&self) -> Ty {
        match self {
            FieldType::Plain(t, _) => t.clone(),
            FieldType::Conv { kind, rust, inner } => Ty::Conv(Box::new(Conv {
                avro: inner.ty(),
                rust: rust.clone(),
                kind: *kind,
            })),
            FieldType::Array(i) => Ty::Array(Box::new(i.ty())),
            FieldType::Map(i) => Ty::Map(Box::new(i.ty())),
            FieldType::Option(i, null_index) => Ty::Option {
                null_index: *null_index,
                inner: Box::new(i.ty()),
                branch: i.branch_name(),
            },
            FieldType::ByteArray { rust, size, .. } => Ty::Conv(Box::new(Conv {
                avro: Ty::Bytes,
                rust: rust.clone(),
                kind: ConvKind::ByteArray { size: *size },
            })),
            FieldType::SelfRef { rust } | FieldType::External { rust, .. } => {
                Ty::External { rust: rust.clone() }
            }
        }
    }

    /// The Avro JSON-encoding branch name (for `ToAvroJson`).
    fn branch_name(&self) -> String {
        match self {
            FieldType::Plain(_, Value::String(s)) => s.clone(),
            FieldType::Plain(_, v) => v["type"].as_str().unwrap_or("").to_owned(),
            FieldType::Conv { inner, .. } => inner.branch_name(),
            FieldType::Array(_) => "array".into(),
            FieldType::Map(_) => "map".into(),
            FieldType::Option(i, _) => i.branch_name(),
            FieldType::ByteArray { name, .. } => name.clone(),
            FieldType::SelfRef { rust } | FieldType::External { rust, .. } => rust.clone(),
        }
    }

    /// Whether the type holds a value the macro cannot see through an
    /// indirection (a cycle through other types would pass there).
    pub fn indirect_external(&self, under: bool) -> bool {
        match self {
            FieldType::External { rust, .. } => under || rust.starts_with("Box"),
            FieldType::Conv { inner, .. } => inner.indirect_external(true),
            FieldType::Array(i) | FieldType::Map(i) => i.indirect_external(true),
            FieldType::Option(i, _) => i.indirect_external(under),
            _ => false,
        }
    }

    /// The Rust integer type of a field stored as int/long by conversion.
    pub fn narrow_int(&self) -> Option<&str> {
        match self {
            FieldType::Conv {
                kind: ConvKind::Widen | ConvKind::Checked,
                rust,
                ..
            } => Some(rust),
            _ => None,
        }
    }

    pub fn refers_to_self(&self) -> bool {
        match self {
            FieldType::SelfRef { .. } => true,
            FieldType::Conv { inner, .. }
            | FieldType::Array(inner)
            | FieldType::Map(inner)
            | FieldType::Option(inner, _) => inner.refers_to_self(),
            _ => false,
        }
    }

    /// Whether a value of the type can point into the decoded input: a
    /// reference, a `Cow<'a, str>`, another type with a lifetime.
    pub fn borrows(&self) -> bool {
        match self {
            FieldType::Conv { rust, inner, .. } => rust.contains('\'') || inner.borrows(),
            FieldType::Array(i) | FieldType::Map(i) | FieldType::Option(i, _) => i.borrows(),
            FieldType::External { rust, .. } => rust.contains('\''),
            _ => false,
        }
    }

    /// Whether the type holds a reference (`&str`, `&[u8]`) or another type
    /// with a lifetime, which owned decoding cannot produce.
    pub fn holds_ref(&self) -> bool {
        match self {
            FieldType::Conv { rust, inner, .. } => rust.starts_with('&') || inner.holds_ref(),
            FieldType::Array(i) | FieldType::Map(i) | FieldType::Option(i, _) => i.holds_ref(),
            FieldType::External { rust, .. } => rust.contains('\''),
            _ => false,
        }
    }

    pub fn has_external(&self) -> bool {
        match self {
            FieldType::External { .. } => true,
            FieldType::Conv { inner, .. }
            | FieldType::Array(inner)
            | FieldType::Map(inner)
            | FieldType::Option(inner, _) => inner.has_external(),
            _ => false,
        }
    }

    /// The Rust `Default` of the type as a JSON default, for the std types
    /// whose default the macro knows (`#[avro(default)]`, `#[serde(default)]`).
    pub fn natural_default(&self) -> Option<Value> {
        match self {
            FieldType::Plain(t, _) => match t {
                Ty::Bool => Some(json!(false)),
                Ty::Int | Ty::Long => Some(json!(0)),
                Ty::Float | Ty::Double => Some(json!(0.0)),
                Ty::String | Ty::Bytes => Some(json!("")),
                _ => None,
            },
            FieldType::Conv { kind, inner, .. } => match kind {
                // chrono's `Default`s are the epoch and midnight: 0.
                ConvKind::Widen | ConvKind::Checked | ConvKind::Via => Some(json!(0)),
                _ => inner.natural_default(),
            },
            FieldType::Array(_) => Some(json!([])),
            FieldType::Map(_) => Some(json!({})),
            FieldType::Option(..) => Some(Value::Null),
            FieldType::ByteArray { size, .. } => Some(Value::String("\u{0}".repeat(*size))),
            _ => None,
        }
    }

    /// The schema JSON: named types defined at their first use in
    /// `defined`, then referenced by full name; holes for external types.
    pub fn schema(
        &self,
        tcx: &TypeCx,
        defined: &mut HashSet<String>,
        holes: &mut Vec<String>,
    ) -> Value {
        match self {
            FieldType::Plain(_, v) => named_once(v.clone(), tcx, defined),
            FieldType::Conv { inner, .. } => inner.schema(tcx, defined, holes),
            FieldType::Array(i) => json!({"type":"array","items": i.schema(tcx, defined, holes)}),
            FieldType::Map(i) => json!({"type":"map","values": i.schema(tcx, defined, holes)}),
            FieldType::Option(i, null_index) => {
                let inner = i.schema(tcx, defined, holes);
                if *null_index == 0 {
                    json!(["null", inner])
                } else {
                    json!([inner, "null"])
                }
            }
            FieldType::ByteArray { name, size, .. } => named_once(
                json!({"type":"fixed","name":name,"size":size}),
                tcx,
                defined,
            ),
            FieldType::SelfRef { .. } => Value::String(tcx.self_fullname.clone()),
            FieldType::External { schema_of, .. } => {
                let i = holes
                    .iter()
                    .position(|h| h == schema_of)
                    .unwrap_or_else(|| {
                        holes.push(schema_of.clone());
                        holes.len() - 1
                    });
                avro_schema::compose::hole(i)
            }
        }
    }
}

/// A named schema object (fixed) defined once per item: later uses refer
/// to it by full name.
fn named_once(v: Value, tcx: &TypeCx, defined: &mut HashSet<String>) -> Value {
    let Some(name) = v.get("name").and_then(Value::as_str) else {
        return v;
    };
    let full = match &tcx.namespace {
        Some(ns) if !name.contains('.') => format!("{ns}.{name}"),
        _ => name.to_owned(),
    };
    if defined.insert(full.clone()) {
        v
    } else {
        Value::String(full)
    }
}

/// Adds the custom properties to a schema object (or wraps a primitive
/// name in one).
pub fn with_props(v: Value, props: &Map<String, Value>) -> Value {
    if props.is_empty() {
        return v;
    }
    let mut m = match v {
        Value::Object(m) => m,
        Value::String(s) => {
            let mut m = Map::new();
            m.insert("type".into(), Value::String(s));
            m
        }
        other => return other,
    };
    m.extend(props.clone());
    Value::Object(m)
}
