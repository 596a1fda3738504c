//! Emits Rust tokens from the [`Ir`]: type definitions and the specialized
//! `AvroSchema`, `Encode` and `Decode` impls.
//!
//! The impls are straight-line code per type: a record's encoder writes each
//! field with the runtime's write helpers, arrays and maps are inlined loops,
//! and only named types go through a trait call. Every path in the output is
//! fully qualified (`::core::option::Option`), so user code that shadows
//! `Option`, `Vec` or `Result` cannot break it.

mod borrowed;
mod compact;
mod conv;
mod decode;
mod defaults;
#[cfg(feature = "derive")]
mod derive;
mod docs;
mod encode;
mod json;
mod known;
mod resolved;
mod reuse;
mod schema;
mod short;
mod types;

#[cfg(feature = "derive")]
pub use derive::{DeriveTarget, TagContent, VariantShape};

// The parts live in the files above, one concern each (all `impl Emitter`);
// this file holds the shared state and the type-mapping helpers they all use.

use avro_schema::float_default;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::ident::ident;
use crate::ir::{
    ConvKind, DefId, DefKind, FieldDef, Ir, LogicalTy, SchemaSource, SchemaTarget, Ty, TypeDef,
    VariantDef,
};
use crate::{CodegenError, Options};

/// A type's pieces, put together by [`Emitter::item`].
struct ItemParts {
    definition: TokenStream,
    encode: TokenStream,
    decode: TokenStream,
    /// The body of `decode_resolved(__r, __p)`, where the type overrides it.
    decode_resolved: Option<TokenStream>,
    /// `Default` and other impls.
    extra: TokenStream,
}

pub(crate) struct Emitter<'a> {
    pub ir: &'a Ir,
    pub opts: &'a Options,
    rt: TokenStream,
    map: TokenStream,
    /// Per type: whether its values can nest (see [`Ir::recursive_types`]).
    recursive: Vec<bool>,
    /// Per type: what its values contain anywhere inside (see [`Contents`]).
    contents: Vec<Contents>,
    /// Per type: whether it has a borrowed form (see `borrowed.rs`), and its name.
    borrows: Vec<bool>,
    ref_names: Vec<Option<String>>,
    /// Shortens the paths inside each type's block of impls.
    short: short::Shortener,
}

/// What a type's values can contain, through fields, options, arrays, maps,
/// union branches and named types: it decides which traits a generated type
/// can derive (`f32`/`f64` are not `Eq` or `Hash`; the std and indexmap maps
/// are not `Hash`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Contents {
    pub float: bool,
    pub map: bool,
}

fn parse_tokens(s: &str, what: &str) -> Result<TokenStream, CodegenError> {
    s.parse()
        .map_err(|e| CodegenError::Option(format!("{what} {s:?} is not valid Rust: {e}")))
}

fn byte_lits(bytes: &[u8]) -> Vec<Literal> {
    bytes.iter().map(|b| Literal::u8_suffixed(*b)).collect()
}

/// Bytes of a JSON default for `bytes`/`fixed`: each char U+0000..U+00FF is a byte.
fn latin1(v: &Value) -> Option<Vec<u8>> {
    v.as_str()?
        .chars()
        .map(|c| u8::try_from(c as u32).ok())
        .collect()
}

/// Zig-zag varint of a small non-negative index, as the bytes to push.
fn index_bytes(i: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut n = (i as u64) << 1; // zig-zag of a non-negative number
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
    out
}

impl<'a> Emitter<'a> {
    pub fn new(ir: &'a Ir, opts: &'a Options) -> Result<Self, CodegenError> {
        let rt = parse_tokens(&opts.runtime_crate, "runtime crate path")?;
        let borrows = borrowed::borrows_per_type(ir);
        let taken: Vec<&str> = ir
            .types
            .iter()
            .map(|t| t.ident.trim_start_matches("r#"))
            .collect();
        Ok(Emitter {
            ir,
            opts,
            map: parse_tokens(&opts.map_type, "map type")?,
            recursive: ir.recursive_types(),
            contents: contents_per_type(ir),
            ref_names: borrowed::ref_names(ir, &borrows),
            borrows,
            short: short::Shortener::new(&rt, &taken),
            rt,
        })
    }

    /// Derives beyond `Debug, Clone, PartialEq` for a record, union or
    /// newtype: `Eq` without floats inside, `Hash` without floats or
    /// unhashable maps inside; minus what the user's `type_attribute`s
    /// already derive.
    fn value_derives(&self, id: DefId) -> TokenStream {
        let c = self.contents[id];
        let user = self.user_derives(&self.ir.types[id]);
        let map_hashes = self.opts.map_type.trim_end().ends_with("BTreeMap");
        let mut out = Vec::new();
        if !c.float && !user.iter().any(|d| d == "Eq") {
            out.push(quote!(Eq));
        }
        if !c.float && (!c.map || map_hashes) && !user.iter().any(|d| d == "Hash") {
            out.push(quote!(Hash));
        }
        quote!(#(, #out)*)
    }

    /// Whether the configured map type has `reserve` (the std and indexmap
    /// hash maps do; `BTreeMap` does not).
    fn map_reserves(&self) -> bool {
        let m = self.opts.map_type.trim_end();
        m.ends_with("HashMap") || m.ends_with("IndexMap")
    }

    /// Whether values of `ty` are read by the runtime's generic
    /// `avro_runtime::field::Field` (one copy per Rust type in the user's
    /// program instead of code spelled out per field): primitives, strings,
    /// bytes, generated types, `["null", T]` options, arrays and (where the
    /// configured map type is the std or indexmap one) maps of these.
    /// Logical types are, except `uuid` and `decimal`: one Rust type stands
    /// for two Avro ones there.
    pub(super) fn field_ty(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Null
            | Ty::Bool
            | Ty::Int
            | Ty::Long
            | Ty::Float
            | Ty::Double
            | Ty::String
            | Ty::Bytes
            | Ty::Def { .. } => true,
            Ty::Option {
                null_index: 0,
                inner,
                ..
            }
            | Ty::Array(inner) => self.field_ty(inner),
            Ty::Map(values) => self.field_map() && self.field_ty(values),
            // One Avro type per Rust type; not `uuid` and `decimal`, which
            // have two each (string or fixed, bytes or fixed).
            Ty::Logical(l) => !matches!(
                l,
                LogicalTy::UuidString
                    | LogicalTy::UuidFixed
                    | LogicalTy::DecimalBytes { .. }
                    | LogicalTy::DecimalFixed { .. }
            ),
            Ty::Option { .. } | Ty::External { .. } | Ty::Conv(_) => false,
        }
    }

    /// [`Self::field_ty`] and not a collection: what options and union
    /// branches read and write through `Field` (array and map loops stay
    /// generated, with their items' exact smallest size and bulk reads).
    pub(super) fn field_scalar(&self, ty: &Ty) -> bool {
        self.field_ty(ty) && !matches!(ty, Ty::Array(_) | Ty::Map(_))
    }

    /// Whether the configured map type is one `Field` is implemented for
    /// (the std `HashMap` and `BTreeMap`, indexmap's `IndexMap`).
    fn field_map(&self) -> bool {
        let m: String = self.opts.map_type.split_whitespace().collect();
        let m = m.trim_start_matches("::");
        [
            "std::collections::HashMap",
            "std::collections::BTreeMap",
            "indexmap::IndexMap",
        ]
        .contains(&m)
    }

    /// Path from `from` (a module) to the generated type `id`.
    fn path_to(&self, id: DefId, from: &[String]) -> TokenStream {
        let t = &self.ir.types[id];
        let common = from
            .iter()
            .zip(&t.module)
            .take_while(|(a, b)| a == b)
            .count();
        let supers = (common..from.len()).map(|_| quote!(super::));
        let down = t.module[common..].iter().map(|m| {
            let m = ident(m);
            quote!(#m::)
        });
        let name = ident(&t.ident);
        quote!(#(#supers)* #(#down)* #name)
    }

    pub fn rust_ty(&self, ty: &Ty, from: &[String]) -> TokenStream {
        let rt = &self.rt;
        match ty {
            Ty::Null => quote!(()),
            Ty::Bool => quote!(bool),
            Ty::Int => quote!(i32),
            Ty::Long => quote!(i64),
            Ty::Float => quote!(f32),
            Ty::Double => quote!(f64),
            Ty::Bytes => quote!(::std::vec::Vec<u8>),
            Ty::String => quote!(::std::string::String),
            Ty::Logical(l) => match l {
                LogicalTy::Date => quote!(#rt::Date),
                LogicalTy::TimeMillis => quote!(#rt::TimeMillis),
                LogicalTy::TimeMicros => quote!(#rt::TimeMicros),
                LogicalTy::TimestampMillis => quote!(#rt::TimestampMillis),
                LogicalTy::TimestampMicros => quote!(#rt::TimestampMicros),
                LogicalTy::TimestampNanos => quote!(#rt::TimestampNanos),
                LogicalTy::LocalTimestampMillis => quote!(#rt::LocalTimestampMillis),
                LogicalTy::LocalTimestampMicros => quote!(#rt::LocalTimestampMicros),
                LogicalTy::LocalTimestampNanos => quote!(#rt::LocalTimestampNanos),
                LogicalTy::UuidString | LogicalTy::UuidFixed => quote!(#rt::Uuid),
                LogicalTy::DecimalBytes { .. } | LogicalTy::DecimalFixed { .. } => {
                    quote!(#rt::Decimal)
                }
                LogicalTy::Duration => quote!(#rt::Duration),
            },
            Ty::Array(items) => {
                let i = self.rust_ty(items, from);
                quote!(::std::vec::Vec<#i>)
            }
            Ty::Map(values) => {
                let v = self.rust_ty(values, from);
                let map = &self.map;
                quote!(#map<::std::string::String, #v>)
            }
            Ty::Option { inner, .. } => {
                let i = self.rust_ty(inner, from);
                quote!(::core::option::Option<#i>)
            }
            Ty::Def { id, boxed } => {
                let p = self.path_to(*id, from);
                if *boxed {
                    quote!(::std::boxed::Box<#p>)
                } else {
                    p
                }
            }
            // Checked by the derive macro, which wrote the text.
            Ty::External { rust } => rust.parse().unwrap_or_default(),
            Ty::Conv(c) => c.rust.parse().unwrap_or_default(),
        }
    }

    /// The smallest number of bytes one value of `ty` encodes to.
    fn min_size(&self, ty: &Ty, visiting: &mut Vec<DefId>) -> usize {
        match ty {
            Ty::Null => 0,
            Ty::Float => 4,
            Ty::Double => 8,
            Ty::Logical(LogicalTy::UuidFixed) => 16,
            Ty::Logical(LogicalTy::Duration) => 12,
            Ty::Logical(LogicalTy::DecimalFixed { size, .. }) => *size,
            // Its encoding may be empty, for all the macro knows.
            Ty::External { .. } => 0,
            Ty::Conv(c) => match c.kind {
                ConvKind::ByteArray { size } => size,
                _ => self.min_size(&c.avro, visiting),
            },
            Ty::Def { id, .. } => {
                if visiting.contains(id) {
                    return 0;
                }
                visiting.push(*id);
                let n = match &self.ir.types[*id].kind {
                    DefKind::Record { fields } => {
                        fields.iter().map(|f| self.min_size(&f.ty, visiting)).sum()
                    }
                    DefKind::Fixed { size } => *size,
                    DefKind::Wrapper { ty } => self.min_size(ty, visiting),
                    DefKind::Enum { .. } | DefKind::Union { .. } => 1,
                };
                visiting.pop();
                n
            }
            _ => 1,
        }
    }

    /// Wraps a decode body so that values of a recursive type count their
    /// nesting on the reader (hostile input cannot overflow the stack).
    fn depth_guarded(&self, t_id: DefId, body: TokenStream) -> TokenStream {
        if !self.recursive[t_id] {
            return body;
        }
        quote!(__r.nested(|__r| { #body }))
    }
}

/// Per type, what its values contain anywhere inside (see [`Contents`]):
/// each type's own leaves, then merged along references until nothing
/// changes (recursive types included).
fn contents_per_type(ir: &Ir) -> Vec<Contents> {
    fn leaves(ty: &Ty, own: &mut Contents, refs: &mut Vec<DefId>) {
        match ty {
            Ty::Float | Ty::Double => own.float = true,
            Ty::Map(values) => {
                own.map = true;
                leaves(values, own, refs);
            }
            Ty::Array(items) | Ty::Option { inner: items, .. } => leaves(items, own, refs),
            Ty::Def { id, .. } => refs.push(*id),
            _ => {}
        }
    }
    let (mut contents, refs): (Vec<Contents>, Vec<Vec<DefId>>) = ir
        .types
        .iter()
        .map(|t| {
            let (mut own, mut refs) = (Contents::default(), Vec::new());
            let tys: Vec<&Ty> = match &t.kind {
                DefKind::Record { fields } => fields.iter().map(|f| &f.ty).collect(),
                DefKind::Union { variants } => {
                    variants.iter().filter_map(|v| v.ty.as_ref()).collect()
                }
                DefKind::Wrapper { ty } => vec![ty],
                DefKind::Enum { .. } | DefKind::Fixed { .. } => Vec::new(),
            };
            for ty in tys {
                leaves(ty, &mut own, &mut refs);
            }
            (own, refs)
        })
        .unzip();
    loop {
        let mut changed = false;
        for (i, r) in refs.iter().enumerate() {
            for &j in r {
                let merged = Contents {
                    float: contents[i].float || contents[j].float,
                    map: contents[i].map || contents[j].map,
                };
                if merged != contents[i] {
                    contents[i] = merged;
                    changed = true;
                }
            }
        }
        if !changed {
            return contents;
        }
    }
}
