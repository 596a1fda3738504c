//! Emits Rust tokens from the [`Ir`]: type definitions and the specialized
//! `AvroSchema`, `Encode` and `Decode` impls.
//!
//! The impls are straight-line code per type: a record's encoder writes each
//! field with the runtime's write helpers, arrays and maps are inlined loops,
//! and only named types go through a trait call. Every path in the output is
//! fully qualified (`::core::option::Option`), so user code that shadows
//! `Option`, `Vec` or `Result` cannot break it.

use avro_runtime::schema::float_default;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::ident::ident;
use crate::ir::{
    DefId, DefKind, FieldDef, Ir, LogicalTy, SchemaSource, SchemaTarget, Ty, TypeDef, VariantDef,
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

/// The loop that reads an array's blocks into a `Vec`: `count` reads the
/// next block count, `item` one item (its index is `i`).
fn array_loop(
    v: &Ident,
    n: &Ident,
    i: &Ident,
    count: TokenStream,
    item: TokenStream,
) -> TokenStream {
    quote! {{
        let mut #v = ::std::vec::Vec::new();
        loop {
            let #n = #count;
            if #n == 0 { break; }
            #v.reserve(#n);
            for _ in 0..#n {
                let #i = #v.len();
                #v.push(#item);
            }
        }
        #v
    }}
}

/// Zig-zag varint of a small non-negative index, as the bytes to push.
fn index_bytes(i: usize) -> Vec<u8> {
    let mut out = Vec::new();
    avro_runtime::encode::write_long(&mut out, i as i64);
    out
}

impl<'a> Emitter<'a> {
    pub fn new(ir: &'a Ir, opts: &'a Options) -> Result<Self, CodegenError> {
        Ok(Emitter {
            ir,
            opts,
            rt: parse_tokens(&opts.runtime_crate, "runtime crate path")?,
            map: parse_tokens(&opts.map_type, "map type")?,
            recursive: ir.recursive_types(),
        })
    }

    /// Whether the configured map type has `reserve` (the std and indexmap
    /// hash maps do; `BTreeMap` does not).
    fn map_reserves(&self) -> bool {
        let m = self.opts.map_type.trim_end();
        m.ends_with("HashMap") || m.ends_with("IndexMap")
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

    /// Statements that encode the value behind the reference expression `val`.
    fn encode_stmts(&self, ty: &Ty, val: TokenStream, depth: usize) -> TokenStream {
        let rt = &self.rt;
        let enc = quote!(#rt::encode);
        match ty {
            Ty::Null => quote!(let _ = #val;),
            Ty::Bool => quote!(#enc::write_bool(__out, *#val);),
            Ty::Int => quote!(#enc::write_int(__out, *#val);),
            Ty::Long => quote!(#enc::write_long(__out, *#val);),
            Ty::Float => quote!(#enc::write_float(__out, *#val);),
            Ty::Double => quote!(#enc::write_double(__out, *#val);),
            Ty::Bytes => quote!(#enc::write_bytes(__out, #val);),
            Ty::String => quote!(#enc::write_str(__out, #val);),
            Ty::Logical(l) => match l {
                LogicalTy::Date | LogicalTy::TimeMillis => {
                    quote!(#enc::write_int(__out, (#val).0);)
                }
                LogicalTy::TimeMicros
                | LogicalTy::TimestampMillis
                | LogicalTy::TimestampMicros
                | LogicalTy::TimestampNanos
                | LogicalTy::LocalTimestampMillis
                | LogicalTy::LocalTimestampMicros
                | LogicalTy::LocalTimestampNanos => quote!(#enc::write_long(__out, (#val).0);),
                LogicalTy::UuidString => quote!(#enc::write_uuid_string(__out, #val);),
                LogicalTy::UuidFixed => quote!(#enc::write_fixed(__out, (#val).as_bytes());),
                LogicalTy::DecimalBytes { .. } => {
                    quote!(#enc::write_bytes(__out, (#val).as_be_bytes());)
                }
                LogicalTy::DecimalFixed { size, .. } => {
                    let n = Literal::usize_unsuffixed(*size);
                    quote! {
                        match (#val).to_fixed::<#n>() {
                            ::core::option::Option::Some(__b) => #enc::write_fixed(__out, &__b),
                            ::core::option::Option::None => {
                                return ::core::result::Result::Err(#rt::EncodeError::DecimalOverflow {
                                    needed: (#val).as_be_bytes().len(),
                                    size: #n,
                                })
                            }
                        }
                    }
                }
                LogicalTy::Duration => quote!(#enc::write_fixed(__out, &(#val).to_bytes());),
            },
            Ty::Array(items) => {
                let x = format_ident!("__x{}", depth);
                let inner = self.encode_stmts(items, quote!(#x), depth + 1);
                self.encode_block(val, quote!(#x), inner, depth)
            }
            Ty::Map(values) => {
                let x = format_ident!("__x{}", depth);
                let k = format_ident!("__k{}", depth);
                let inner = self.encode_stmts(values, quote!(#x), depth + 1);
                self.encode_block(
                    val,
                    quote!((#k, #x)),
                    quote!(#enc::write_str(__out, #k); #inner),
                    depth,
                )
            }
            Ty::Option {
                null_index, inner, ..
            } => {
                let x = format_ident!("__x{}", depth);
                let null_b = byte_lits(&index_bytes(*null_index));
                let some_b = byte_lits(&index_bytes(1 - *null_index));
                let inner = self.encode_stmts(inner, quote!(#x), depth + 1);
                quote! {
                    match #val {
                        ::core::option::Option::None => __out.push(#(#null_b)*),
                        ::core::option::Option::Some(#x) => {
                            __out.push(#(#some_b)*);
                            #inner
                        }
                    }
                }
            }
            Ty::Def { .. } => quote!(#rt::Encode::encode(#val, __out)?;),
        }
    }

    /// An array or map as one block (when not empty) and the end marker:
    /// `body` runs for each item bound to `pattern`.
    fn encode_block(
        &self,
        val: TokenStream,
        pattern: TokenStream,
        body: TokenStream,
        depth: usize,
    ) -> TokenStream {
        let rt = &self.rt;
        let a = format_ident!("__a{}", depth);
        quote! {
            let #a = #val;
            if !#a.is_empty() {
                #rt::encode::write_block_start(__out, #a.len());
                for #pattern in #a.iter() { #body }
            }
            #rt::encode::write_block_end(__out);
        }
    }

    /// An expression that decodes a value of `ty` from `__r`, mapping errors
    /// through `chain` (path segments, innermost first).
    fn decode_expr(
        &self,
        ty: &Ty,
        chain: &[TokenStream],
        depth: usize,
        from: &[String],
    ) -> TokenStream {
        let rt = &self.rt;
        let err = quote!(.map_err(|__e| __e #(#chain)*)?);
        let read = |m: TokenStream| quote!(__r.#m #err);
        match ty {
            Ty::Null => quote!(()),
            Ty::Bool => read(quote!(read_bool())),
            Ty::Int => read(quote!(read_int())),
            Ty::Long => read(quote!(read_long())),
            Ty::Float => read(quote!(read_float())),
            Ty::Double => read(quote!(read_double())),
            Ty::Bytes => read(quote!(read_bytes())),
            Ty::String => read(quote!(read_string())),
            Ty::Logical(l) => {
                let ty_tokens = self.rust_ty(ty, from);
                match l {
                    LogicalTy::Date | LogicalTy::TimeMillis => {
                        let v = read(quote!(read_int()));
                        quote!(#ty_tokens(#v))
                    }
                    LogicalTy::TimeMicros
                    | LogicalTy::TimestampMillis
                    | LogicalTy::TimestampMicros
                    | LogicalTy::TimestampNanos
                    | LogicalTy::LocalTimestampMillis
                    | LogicalTy::LocalTimestampMicros
                    | LogicalTy::LocalTimestampNanos => {
                        let v = read(quote!(read_long()));
                        quote!(#ty_tokens(#v))
                    }
                    LogicalTy::UuidString => read(quote!(read_uuid_string())),
                    LogicalTy::UuidFixed => {
                        let v = read(quote!(read_fixed::<16>()));
                        quote!(#rt::Uuid::from_bytes(#v))
                    }
                    LogicalTy::DecimalBytes { .. } => {
                        let v = read(quote!(read_bytes()));
                        quote!(#rt::Decimal::from_be_bytes(#v))
                    }
                    LogicalTy::DecimalFixed { size, .. } => {
                        let n = Literal::usize_unsuffixed(*size);
                        let v = read(quote!(read_fixed::<#n>()));
                        quote!(#rt::Decimal::from_be_bytes(#v.to_vec()))
                    }
                    LogicalTy::Duration => {
                        let v = read(quote!(read_fixed::<12>()));
                        quote!(#rt::Duration::from_bytes(#v))
                    }
                }
            }
            Ty::Array(items) => {
                let v = format_ident!("__v{}", depth);
                let n = format_ident!("__n{}", depth);
                let i = format_ident!("__i{}", depth);
                let min = Literal::usize_unsuffixed(self.min_size(items, &mut Vec::new()));
                let mut inner_chain = vec![quote!(.index(#i))];
                inner_chain.extend_from_slice(chain);
                let item = self.decode_expr(items, &inner_chain, depth + 1, from);
                // Blocks of floats and doubles are read in one bounds check.
                let bulk = match **items {
                    Ty::Double => Some(quote!(read_doubles_into)),
                    Ty::Float => Some(quote!(read_floats_into)),
                    _ => None,
                };
                if let Some(bulk) = bulk {
                    return quote! {{
                        let mut #v = ::std::vec::Vec::new();
                        loop {
                            let #n = __r.read_block_count(#min) #err;
                            if #n == 0 { break; }
                            #v.reserve(#n);
                            __r.#bulk(#n, &mut #v) #err;
                        }
                        #v
                    }};
                }
                array_loop(&v, &n, &i, quote!(__r.read_block_count(#min) #err), item)
            }
            Ty::Map(values) => {
                let m = format_ident!("__m{}", depth);
                let n = format_ident!("__n{}", depth);
                let k = format_ident!("__k{}", depth);
                let x = format_ident!("__x{}", depth);
                let min = Literal::usize_unsuffixed(1 + self.min_size(values, &mut Vec::new()));
                let mut inner_chain = vec![quote!(.key(&#k))];
                inner_chain.extend_from_slice(chain);
                let value = self.decode_expr(values, &inner_chain, depth + 1, from);
                self.map_loop(
                    ty,
                    [&m, &n, &k, &x],
                    quote!(__r.read_block_count(#min) #err),
                    &err,
                    value,
                    from,
                )
            }
            Ty::Option {
                null_index, inner, ..
            } => {
                let null_index = Literal::usize_unsuffixed(*null_index);
                let inner = self.decode_expr(inner, chain, depth + 1, from);
                quote! {
                    match __r.read_union_index(2) #err {
                        #null_index => ::core::option::Option::None,
                        _ => ::core::option::Option::Some(#inner),
                    }
                }
            }
            Ty::Def { .. } => {
                let t = self.rust_ty(ty, from);
                quote!(<#t as #rt::Decode>::decode(__r) #err)
            }
        }
    }

    /// The loop that reads a map's blocks: `count` reads the next block
    /// count, `value` one value (after its key `k`).
    fn map_loop(
        &self,
        ty: &Ty,
        [m, n, k, x]: [&Ident; 4],
        count: TokenStream,
        err: &TokenStream,
        value: TokenStream,
        from: &[String],
    ) -> TokenStream {
        let map_ty = self.rust_ty(ty, from);
        // Reserve from the block count where the map type can.
        let reserve = if self.map_reserves() {
            quote!(#m.reserve(#n);)
        } else {
            quote!()
        };
        quote! {{
            let mut #m: #map_ty = ::core::default::Default::default();
            loop {
                let #n = #count;
                if #n == 0 { break; }
                #reserve
                for _ in 0..#n {
                    let #k = __r.read_string() #err;
                    let #x = #value;
                    #m.insert(#k, #x);
                }
            }
            #m
        }}
    }

    /// An expression that decodes a value of `ty` written with another
    /// schema, following the plan node in the variable `node` (a
    /// `PlanNode`): promotions read the writer's type, records go through
    /// their own `decode_resolved`, collections and options recurse, and the
    /// rest is decoded directly where the node is identity or transcoded.
    fn resolved_expr(
        &self,
        ty: &Ty,
        node: &TokenStream,
        chain: &[TokenStream],
        depth: usize,
        from: &[String],
    ) -> TokenStream {
        let rt = &self.rt;
        let err = quote!(.map_err(|__e| __e #(#chain)*)?);
        let plain = || self.decode_expr(ty, chain, depth, from);
        match ty {
            Ty::Long => quote!(#node.read_long(__r) #err),
            Ty::Float => quote!(#node.read_float(__r) #err),
            Ty::Double => quote!(#node.read_double(__r) #err),
            Ty::String => quote!(#node.read_string(__r) #err),
            Ty::Bytes => quote!(#node.read_bytes(__r) #err),
            Ty::Def { .. } => {
                let t = self.rust_ty(ty, from);
                quote!(<#t as #rt::Decode>::decode_resolved(__r, #node) #err)
            }
            // Nothing is promoted to these: the writer has the same type
            // (perhaps as a union branch), read as is.
            Ty::Null
            | Ty::Bool
            | Ty::Int
            | Ty::Logical(
                LogicalTy::Date
                | LogicalTy::TimeMillis
                | LogicalTy::UuidFixed
                | LogicalTy::DecimalFixed { .. }
                | LogicalTy::Duration,
            ) => {
                let plain = plain();
                quote!({ #node.direct(__r) #err; #plain })
            }
            // Logical types over long and bytes take the promotions to them.
            Ty::Logical(
                LogicalTy::TimeMicros
                | LogicalTy::TimestampMillis
                | LogicalTy::TimestampMicros
                | LogicalTy::TimestampNanos
                | LogicalTy::LocalTimestampMillis
                | LogicalTy::LocalTimestampMicros
                | LogicalTy::LocalTimestampNanos,
            ) => {
                let t = self.rust_ty(ty, from);
                quote!(#t(#node.read_long(__r) #err))
            }
            Ty::Logical(LogicalTy::DecimalBytes { .. }) => {
                quote!(#rt::Decimal::from_be_bytes(#node.read_bytes(__r) #err))
            }
            Ty::Array(items) => {
                let v = format_ident!("__v{}", depth);
                let n = format_ident!("__n{}", depth);
                let i = format_ident!("__i{}", depth);
                let c = format_ident!("__c{}", depth);
                let mut inner_chain = vec![quote!(.index(#i))];
                inner_chain.extend_from_slice(chain);
                let item = self.resolved_expr(items, &quote!(#c), &inner_chain, depth + 1, from);
                let read = array_loop(&v, &n, &i, quote!(#node.block_count(__r) #err), item);
                let plain = plain();
                quote! {
                    if #node.is_identity() { #plain } else {
                        let #node = #node.writer_branch(__r) #err;
                        let #c = #node.items() #err;
                        #read
                    }
                }
            }
            Ty::Map(values) => {
                let m = format_ident!("__m{}", depth);
                let n = format_ident!("__n{}", depth);
                let k = format_ident!("__k{}", depth);
                let x = format_ident!("__x{}", depth);
                let c = format_ident!("__c{}", depth);
                let mut inner_chain = vec![quote!(.key(&#k))];
                inner_chain.extend_from_slice(chain);
                let value = self.resolved_expr(values, &quote!(#c), &inner_chain, depth + 1, from);
                let read = self.map_loop(
                    ty,
                    [&m, &n, &k, &x],
                    quote!(#node.block_count(__r) #err),
                    &err,
                    value,
                    from,
                );
                let plain = plain();
                quote! {
                    if #node.is_identity() { #plain } else {
                        let #node = #node.writer_branch(__r) #err;
                        let #c = #node.items() #err;
                        #read
                    }
                }
            }
            Ty::Option {
                null_index, inner, ..
            } => {
                let null_index = Literal::usize_unsuffixed(*null_index);
                let c = format_ident!("__c{}", depth);
                let inner = self.resolved_expr(inner, &quote!(#c), chain, depth + 1, from);
                let plain = plain();
                quote! {
                    if #node.is_identity() { #plain } else {
                        match #node.union_branch(__r) #err {
                            (#null_index, _) => ::core::option::Option::None,
                            (_, #c) => ::core::option::Option::Some(#inner),
                        }
                    }
                }
            }
            _ => {
                let plain = plain();
                quote! {
                    #node.decode_transcoded(__r, |__r: &mut #rt::Reader<'_>| -> ::core::result::Result<_, #rt::DecodeError> {
                        ::core::result::Result::Ok(#plain)
                    }) #err
                }
            }
        }
    }

    /// Wraps a decode body so that values of a recursive type count their
    /// nesting on the reader (hostile input cannot overflow the stack).
    fn depth_guarded(&self, t_id: DefId, body: TokenStream) -> TokenStream {
        if !self.recursive[t_id] {
            return body;
        }
        let rt = &self.rt;
        quote! {
            __r.enter()?;
            let __v = (|__r: &mut #rt::Reader<'_>| -> ::core::result::Result<Self, #rt::DecodeError> { #body })(__r);
            __r.leave();
            __v
        }
    }

    /// Whether a JSON default belongs to `ty` (used to pick a union branch).
    fn accepts(&self, ty: &Ty, v: &Value) -> bool {
        match ty {
            Ty::Null => v.is_null(),
            Ty::Bool => v.is_boolean(),
            Ty::Int | Ty::Long => v.is_i64(),
            Ty::Float | Ty::Double => float_default(v).is_some(),
            Ty::Bytes
            | Ty::String
            | Ty::Logical(LogicalTy::UuidString | LogicalTy::DecimalBytes { .. }) => v.is_string(),
            Ty::Logical(
                LogicalTy::UuidFixed | LogicalTy::Duration | LogicalTy::DecimalFixed { .. },
            ) => v.is_string(),
            Ty::Logical(_) => v.is_i64(),
            Ty::Array(_) => v.is_array(),
            Ty::Map(_) => v.is_object(),
            Ty::Option { inner, .. } => v.is_null() || self.accepts(inner, v),
            Ty::Def { id, .. } => match &self.ir.types[*id].kind {
                DefKind::Record { .. } => v.is_object(),
                DefKind::Enum { variants, .. } => v
                    .as_str()
                    .is_some_and(|s| variants.iter().any(|x| x.avro_name == s)),
                DefKind::Fixed { size } => latin1(v).is_some_and(|b| b.len() == *size),
                DefKind::Union { variants } => variants
                    .iter()
                    .any(|x| x.ty.as_ref().map_or(v.is_null(), |t| self.accepts(t, v))),
                DefKind::Wrapper { ty } => self.accepts(ty, v),
            },
        }
    }

    /// A Rust expression for the JSON default `v` of `ty`.
    fn default_expr(
        &self,
        ty: &Ty,
        v: &Value,
        from: &[String],
    ) -> Result<TokenStream, CodegenError> {
        let rt = &self.rt;
        let bad = || CodegenError::Default(format!("default {v} does not fit {ty:?}"));
        let float = |suffix: &str| -> Result<TokenStream, CodegenError> {
            let f = float_default(v).ok_or_else(bad)?;
            let ty = if suffix == "f32" {
                quote!(f32)
            } else {
                quote!(f64)
            };
            if f.is_nan() {
                return Ok(quote!(#ty::NAN));
            }
            if f.is_infinite() {
                return Ok(if f > 0.0 {
                    quote!(#ty::INFINITY)
                } else {
                    quote!(#ty::NEG_INFINITY)
                });
            }
            Ok(if suffix == "f32" {
                let l = Literal::f32_suffixed(f as f32);
                quote!(#l)
            } else {
                let l = Literal::f64_suffixed(f);
                quote!(#l)
            })
        };
        let bytes_vec = |b: Vec<u8>| {
            let b = byte_lits(&b);
            quote!(::std::vec::Vec::<u8>::from([#(#b),*]))
        };
        Ok(match ty {
            Ty::Null => quote!(()),
            Ty::Bool => {
                let b = v.as_bool().ok_or_else(bad)?;
                quote!(#b)
            }
            Ty::Int => {
                let i = v
                    .as_i64()
                    .and_then(|i| i32::try_from(i).ok())
                    .ok_or_else(bad)?;
                let l = Literal::i32_suffixed(i);
                quote!(#l)
            }
            Ty::Long => {
                let l = Literal::i64_suffixed(v.as_i64().ok_or_else(bad)?);
                quote!(#l)
            }
            Ty::Float => float("f32")?,
            Ty::Double => float("f64")?,
            Ty::Bytes => bytes_vec(latin1(v).ok_or_else(bad)?),
            Ty::String => {
                let s = v.as_str().ok_or_else(bad)?;
                quote!(::std::string::String::from(#s))
            }
            Ty::Logical(l) => {
                let t = self.rust_ty(ty, from);
                match l {
                    LogicalTy::Date | LogicalTy::TimeMillis => {
                        let i = Literal::i32_suffixed(
                            v.as_i64()
                                .and_then(|i| i32::try_from(i).ok())
                                .ok_or_else(bad)?,
                        );
                        quote!(#t(#i))
                    }
                    LogicalTy::UuidString => {
                        let u = avro_runtime::Uuid::parse_str(v.as_str().ok_or_else(bad)?)
                            .map_err(|_| bad())?;
                        let n = Literal::u128_suffixed(u.as_u128());
                        quote!(#rt::Uuid::from_u128(#n))
                    }
                    LogicalTy::UuidFixed => {
                        let b = latin1(v).filter(|b| b.len() == 16).ok_or_else(bad)?;
                        let b = byte_lits(&b);
                        quote!(#rt::Uuid::from_bytes([#(#b),*]))
                    }
                    LogicalTy::DecimalBytes { .. } | LogicalTy::DecimalFixed { .. } => {
                        let b = bytes_vec(latin1(v).ok_or_else(bad)?);
                        quote!(#rt::Decimal::from_be_bytes(#b))
                    }
                    LogicalTy::Duration => {
                        let b = latin1(v).filter(|b| b.len() == 12).ok_or_else(bad)?;
                        let b = byte_lits(&b);
                        quote!(#rt::Duration::from_bytes([#(#b),*]))
                    }
                    _ => {
                        let i = Literal::i64_suffixed(v.as_i64().ok_or_else(bad)?);
                        quote!(#t(#i))
                    }
                }
            }
            Ty::Array(items) => {
                let a = v.as_array().ok_or_else(bad)?;
                let elems = a
                    .iter()
                    .map(|x| self.default_expr(items, x, from))
                    .collect::<Result<Vec<_>, _>>()?;
                let t = self.rust_ty(items, from);
                quote!(<::std::vec::Vec<#t>>::from([#(#elems),*]))
            }
            Ty::Map(values) => {
                let o = v.as_object().ok_or_else(bad)?;
                let map_ty = self.rust_ty(ty, from);
                let mut inserts = Vec::new();
                for (k, x) in o {
                    let e = self.default_expr(values, x, from)?;
                    inserts.push(quote!(__m.insert(::std::string::String::from(#k), #e);));
                }
                quote!({
                    let mut __m: #map_ty = ::core::default::Default::default();
                    #(#inserts)*
                    __m
                })
            }
            Ty::Option { inner, .. } => {
                if v.is_null() {
                    quote!(::core::option::Option::None)
                } else {
                    let e = self.default_expr(inner, v, from)?;
                    quote!(::core::option::Option::Some(#e))
                }
            }
            Ty::Def { id, boxed } => {
                let path = self.path_to(*id, from);
                let def = &self.ir.types[*id];
                let e = match &def.kind {
                    DefKind::Enum { variants, .. } => {
                        let s = v.as_str().ok_or_else(bad)?;
                        let var = variants.iter().find(|x| x.avro_name == s).ok_or_else(bad)?;
                        let var = ident(&var.ident);
                        quote!(#path::#var)
                    }
                    DefKind::Fixed { size } => {
                        let b = latin1(v).filter(|b| b.len() == *size).ok_or_else(bad)?;
                        let b = byte_lits(&b);
                        quote!(#path([#(#b),*]))
                    }
                    DefKind::Record { fields } => {
                        let o = v.as_object().ok_or_else(bad)?;
                        let mut inits = Vec::new();
                        for f in fields {
                            let fv = o.get(&f.avro_name).or(f.default.as_ref()).ok_or_else(bad)?;
                            let e = self.default_expr(&f.ty, fv, &def.module)?;
                            let fi = ident(&f.ident);
                            inits.push(quote!(#fi: #e));
                        }
                        quote!(#path { #(#inits),* })
                    }
                    DefKind::Union { variants } => {
                        let var = variants
                            .iter()
                            .find(|x| x.ty.as_ref().map_or(v.is_null(), |t| self.accepts(t, v)))
                            .ok_or_else(bad)?;
                        let vi = ident(&var.ident);
                        match &var.ty {
                            None => quote!(#path::#vi),
                            Some(t) => {
                                let e = self.default_expr(t, v, &def.module)?;
                                quote!(#path::#vi(#e))
                            }
                        }
                    }
                    DefKind::Wrapper { ty } => {
                        let e = self.default_expr(ty, v, &def.module)?;
                        quote!(#path(#e))
                    }
                };
                if *boxed {
                    quote!(::std::boxed::Box::new(#e))
                } else {
                    e
                }
            }
        })
    }

    /// An expression giving the Avro JSON encoding of the value behind `val`.
    fn json_expr(&self, ty: &Ty, val: TokenStream, depth: usize) -> TokenStream {
        let rt = &self.rt;
        let j = quote!(#rt::json);
        match ty {
            Ty::Null => quote!({ let _ = #val; #j::Value::Null }),
            Ty::Bool | Ty::Int | Ty::Long => quote!(#j::Value::from(*#val)),
            Ty::Float | Ty::Double => quote!(#j::float(*#val as f64)),
            Ty::Bytes => quote!(#j::latin1(#val)),
            Ty::String => quote!(#j::Value::String(::std::string::String::clone(#val))),
            Ty::Logical(l) => match l {
                LogicalTy::UuidString => quote!(#j::Value::String((#val).hyphenated().to_string())),
                LogicalTy::UuidFixed => quote!(#j::latin1((#val).as_bytes())),
                LogicalTy::DecimalBytes { .. } => quote!(#j::latin1((#val).as_be_bytes())),
                LogicalTy::DecimalFixed { size, .. } => {
                    let n = Literal::usize_unsuffixed(*size);
                    quote!(match (#val).to_fixed::<#n>() {
                        ::core::option::Option::Some(__b) => #j::latin1(&__b),
                        ::core::option::Option::None => #j::latin1((#val).as_be_bytes()),
                    })
                }
                LogicalTy::Duration => quote!(#j::latin1(&(#val).to_bytes())),
                _ => quote!(#j::Value::from((#val).0)),
            },
            Ty::Array(items) => {
                let x = format_ident!("__x{}", depth);
                let inner = self.json_expr(items, quote!(#x), depth + 1);
                quote!(#j::Value::Array((#val).iter().map(|#x| #inner).collect()))
            }
            Ty::Map(values) => {
                let x = format_ident!("__x{}", depth);
                let k = format_ident!("__k{}", depth);
                let inner = self.json_expr(values, quote!(#x), depth + 1);
                quote!(#j::Value::Object((#val).iter().map(|(#k, #x)| (::std::string::String::clone(#k), #inner)).collect()))
            }
            Ty::Option { inner, branch, .. } => {
                let x = format_ident!("__x{}", depth);
                let inner = self.json_expr(inner, quote!(#x), depth + 1);
                quote!(match #val {
                    ::core::option::Option::None => #j::Value::Null,
                    ::core::option::Option::Some(#x) => #j::branch(#branch, #inner),
                })
            }
            Ty::Def { .. } => quote!(#j::ToAvroJson::to_avro_json(#val)),
        }
    }

    fn json_impl(&self, t: &TypeDef) -> TokenStream {
        if !self.opts.json {
            return quote!();
        }
        let rt = &self.rt;
        let j = quote!(#rt::json);
        let name = ident(&t.ident);
        let body = match &t.kind {
            DefKind::Record { fields } => {
                let inserts = fields.iter().map(|f| {
                    let fi = ident(&f.ident);
                    let avro = &f.avro_name;
                    let e = self.json_expr(&f.ty, quote!(&self.#fi), 0);
                    quote!(__m.insert(::std::string::String::from(#avro), #e);)
                });
                quote!({
                    let mut __m = #j::Map::new();
                    #(#inserts)*
                    #j::Value::Object(__m)
                })
            }
            DefKind::Enum { variants, .. } => {
                let arms = variants.iter().map(|v| {
                    let vi = ident(&v.ident);
                    let s = &v.avro_name;
                    quote!(Self::#vi => #s)
                });
                quote!(#j::Value::String(::std::string::String::from(match *self { #(#arms,)* })))
            }
            DefKind::Fixed { .. } => quote!(#j::latin1(&self.0)),
            DefKind::Wrapper { ty } => self.json_expr(ty, quote!(&self.0), 0),
            DefKind::Union { variants } => {
                let arms = variants.iter().map(|v| {
                    let vi = ident(&v.ident);
                    let b = &v.avro_name;
                    match &v.ty {
                        None => quote!(Self::#vi => #j::Value::Null),
                        Some(ty) => {
                            let e = self.json_expr(ty, quote!(__x), 1);
                            quote!(Self::#vi(__x) => #j::branch(#b, #e))
                        }
                    }
                });
                if variants.is_empty() {
                    quote!(match *self {})
                } else {
                    quote!(match self { #(#arms,)* })
                }
            }
        };
        quote! {
            impl #j::ToAvroJson for #name {
                fn to_avro_json(&self) -> #j::Value { #body }
            }
        }
    }

    fn schema_impl(&self, t: &TypeDef) -> TokenStream {
        let Some(text) = &t.schema else {
            return quote!();
        };
        let rt = &self.rt;
        let name = ident(&t.ident);
        let fp = Literal::u64_suffixed(text.fingerprint);
        let (prelude, schema, canonical) = match &text.source {
            SchemaSource::Inline { json, canonical } => {
                (quote!(), quote!(#json), quote!(#canonical))
            }
            SchemaSource::Embedded(target) => {
                let supers = t.module.iter().map(|_| quote!(super::));
                let set = quote!(#(#supers)* __avro_schema_set());
                let build = match target {
                    SchemaTarget::Named(n) => quote!(#rt::schema::__private::named(#set, #n)),
                    SchemaTarget::Root(i) => {
                        let i = Literal::usize_unsuffixed(*i);
                        quote!(#rt::schema::__private::root(#set, #i))
                    }
                };
                (
                    quote! {
                        fn __texts() -> &'static (::std::string::String, ::std::string::String) {
                            static TEXTS: ::std::sync::OnceLock<(::std::string::String, ::std::string::String)> =
                                ::std::sync::OnceLock::new();
                            TEXTS.get_or_init(|| #build)
                        }
                    },
                    quote!(__texts().0.as_str()),
                    quote!(__texts().1.as_str()),
                )
            }
        };
        quote! {
            #prelude
            impl #rt::AvroSchema for #name {
                const FINGERPRINT: u64 = #fp;
                fn schema() -> &'static str { #schema }
                fn canonical_form() -> &'static str { #canonical }
            }
        }
    }

    /// The root module's accessor for the embedded schema sources.
    pub fn embedded_sources(&self) -> TokenStream {
        let rt = &self.rt;
        let sources = &self.ir.sources;
        quote! {
            #[doc(hidden)]
            pub fn __avro_schema_set() -> &'static #rt::schema::SchemaSet {
                static SET: ::std::sync::OnceLock<#rt::schema::SchemaSet> = ::std::sync::OnceLock::new();
                SET.get_or_init(|| #rt::schema::__private::load(&[#(#sources),*]))
            }
        }
    }

    fn doc_attr(doc: &Option<String>) -> TokenStream {
        match doc {
            Some(d) => {
                let d = format!(" {}", d.trim());
                quote!(#[doc = #d])
            }
            None => quote!(),
        }
    }

    fn extra_type_attrs(&self, t: &TypeDef) -> Result<TokenStream, CodegenError> {
        let mut out = TokenStream::new();
        for (matcher, attr) in &self.opts.type_attributes {
            if matcher == "."
                || t.avro_name == *matcher
                || t.avro_name.starts_with(&format!("{matcher}."))
            {
                out.extend(parse_tokens(attr, "type attribute")?);
            }
        }
        if self.opts.serde {
            let rt = &self.rt;
            let krate = format!("{}::serde", self.opts.runtime_crate);
            out.extend(quote! {
                #[derive(#rt::serde::Serialize, #rt::serde::Deserialize)]
                #[serde(crate = #krate)]
            });
        }
        Ok(out)
    }

    /// With serde, `bytes` values (and optional ones) go through
    /// `serde_bytes`, so binary serde formats see bytes rather than a
    /// sequence of numbers. (Bytes nested in arrays or maps stay sequences:
    /// a field attribute cannot reach them.)
    fn serde_with(&self, ty: &Ty) -> TokenStream {
        let bytes = match ty {
            Ty::Bytes => true,
            Ty::Option { inner, .. } => matches!(**inner, Ty::Bytes),
            _ => false,
        };
        if self.opts.serde && bytes {
            let path = format!("{}::serde_bytes", self.opts.runtime_crate);
            quote!(#[serde(with = #path)])
        } else {
            quote!()
        }
    }

    fn serde_rename(&self, ident_str: &str, avro: &str) -> TokenStream {
        if self.opts.serde && ident_str.trim_start_matches("r#") != avro {
            quote!(#[serde(rename = #avro)])
        } else {
            quote!()
        }
    }

    /// The definition and impls of one type.
    pub fn item(&self, id: DefId) -> Result<TokenStream, CodegenError> {
        let t = &self.ir.types[id];
        let rt = &self.rt;
        let name = ident(&t.ident);
        let from = &t.module;
        let doc = Self::doc_attr(&t.doc);
        let extra_attrs = self.extra_type_attrs(t)?;
        let schema_impl = self.schema_impl(t);
        let avro_short = t
            .avro_name
            .rsplit('.')
            .next()
            .unwrap_or(&t.avro_name)
            .to_owned();
        let allow = quote!(#[allow(clippy::all, clippy::pedantic, clippy::nursery, unused_qualifications, non_camel_case_types, unreachable_code)]);

        let json_impl = self.json_impl(t);
        let parts = match &t.kind {
            DefKind::Record { fields } => self.record(t, fields)?,
            DefKind::Enum { variants, default } => {
                let vs: Vec<TokenStream> = variants
                    .iter()
                    .map(|v| {
                        let i = ident(&v.ident);
                        let r = self.serde_rename(&v.ident, &v.avro_name);
                        quote!(#r #i)
                    })
                    .collect();
                let n = Literal::usize_unsuffixed(variants.len());
                let arms: Vec<TokenStream> = variants
                    .iter()
                    .enumerate()
                    .map(|(k, v)| {
                        let i = ident(&v.ident);
                        if k + 1 == variants.len() {
                            quote!(_ => Self::#i)
                        } else {
                            let k = Literal::usize_unsuffixed(k);
                            quote!(#k => Self::#i)
                        }
                    })
                    .collect();
                let default_impl = default.map(|d| {
                    let i = ident(&variants[d].ident);
                    quote! {
                        impl ::core::default::Default for #name {
                            fn default() -> Self { Self::#i }
                        }
                    }
                });
                let (decode, decode_resolved) = if variants.is_empty() {
                    // Always an error: an enum without symbols has no values.
                    (
                        quote! {
                            __r.read_enum_index(0)?;
                            ::core::result::Result::Err(#rt::DecodeError::new(#rt::DecodeErrorKind::Custom("an enum without symbols has no values".into())))
                        },
                        None,
                    )
                } else {
                    (
                        quote!(::core::result::Result::Ok(match __r.read_enum_index(#n)? { #(#arms,)* })),
                        // The plan maps writer symbols to reader indexes.
                        Some(quote! {
                            if __p.is_identity() {
                                return <Self as #rt::Decode>::decode(__r);
                            }
                            ::core::result::Result::Ok(match __p.enum_index(__r)? { #(#arms,)* })
                        }),
                    )
                };
                ItemParts {
                    definition: quote! {
                        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                        pub enum #name { #(#vs,)* }
                    },
                    encode: if variants.is_empty() {
                        quote!(match *self {})
                    } else {
                        quote!(#rt::encode::write_long(__out, *self as i64);)
                    },
                    decode,
                    decode_resolved,
                    extra: default_impl.unwrap_or_default(),
                }
            }
            DefKind::Fixed { size } => {
                let n = Literal::usize_unsuffixed(*size);
                // With serde: the bytes themselves, not a newtype around a
                // tuple of numbers.
                let (transparent, with) = if self.opts.serde {
                    let path = format!("{}::serde_fixed", self.opts.runtime_crate);
                    (
                        quote!(#[serde(transparent)]),
                        quote!(#[serde(with = #path)]),
                    )
                } else {
                    (quote!(), quote!())
                };
                ItemParts {
                    definition: quote! {
                        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                        #transparent
                        pub struct #name(#with pub [u8; #n]);
                    },
                    encode: quote!(#rt::encode::write_fixed(__out, &self.0);),
                    decode: quote!(::core::result::Result::Ok(Self(__r.read_fixed::<#n>()?))),
                    // Fixed reads only as the same fixed: identity.
                    decode_resolved: None,
                    extra: quote!(),
                }
            }
            DefKind::Union { variants } => self.union(t, variants)?,
            DefKind::Wrapper { ty } => {
                let rty = self.rust_ty(ty, from);
                let enc = self.encode_stmts(ty, quote!(&self.0), 0);
                let dec = self.decode_expr(ty, &[], 0, from);
                let resolved = self.resolved_expr(ty, &quote!(__p), &[], 0, from);
                let with = self.serde_with(ty);
                ItemParts {
                    definition: quote! {
                        #[derive(Debug, Clone, PartialEq)]
                        pub struct #name(#with pub #rty);
                    },
                    encode: enc,
                    decode: quote!(::core::result::Result::Ok(Self(#dec))),
                    decode_resolved: Some(quote!(::core::result::Result::Ok(Self(#resolved)))),
                    extra: quote!(),
                }
            }
        };
        let ItemParts {
            definition,
            encode: encode_body,
            decode: decode_body,
            decode_resolved,
            extra,
        } = parts;
        let decode_body = self.depth_guarded(id, decode_body);
        let decode_resolved = decode_resolved.map(|body| {
            let body = self.depth_guarded(id, body);
            quote! {
                #[inline]
                fn decode_resolved(__r: &mut #rt::Reader<'_>, __p: #rt::resolve::PlanNode<'_>) -> ::core::result::Result<Self, #rt::DecodeError> {
                    #body
                }
            }
        });
        Ok(quote! {
            #doc
            #allow
            #extra_attrs
            #definition

            #allow
            const _: () = {
                #schema_impl
                impl #rt::Encode for #name {
                    #[inline]
                    fn encode(&self, __out: &mut ::std::vec::Vec<u8>) -> ::core::result::Result<(), #rt::EncodeError> {
                        #encode_body
                        ::core::result::Result::Ok(())
                    }
                }
                impl #rt::Decode for #name {
                    const AVRO_NAME: &'static str = #avro_short;
                    #[inline]
                    fn decode(__r: &mut #rt::Reader<'_>) -> ::core::result::Result<Self, #rt::DecodeError> {
                        #decode_body
                    }
                    #decode_resolved
                }
                #extra
                #json_impl
            };
        })
    }

    fn record(&self, t: &TypeDef, fields: &[FieldDef]) -> Result<ItemParts, CodegenError> {
        let rt = &self.rt;
        let name = ident(&t.ident);
        let from = &t.module;
        let mut defs = Vec::new();
        let mut enc = Vec::new();
        let mut lets = Vec::new();
        let mut inits = Vec::new();
        // decode_resolved: a slot per reader field, filled in the writer's order.
        let mut slots = Vec::new();
        let mut arms = Vec::new();
        let mut resolved_inits = Vec::new();
        let mut default_vals = Vec::new();
        for (k, f) in fields.iter().enumerate() {
            let fi = ident(&f.ident);
            let ty = self.rust_ty(&f.ty, from);
            let doc = Self::doc_attr(&f.doc);
            let rename = self.serde_rename(&f.ident, &f.avro_name);
            let with = self.serde_with(&f.ty);
            defs.push(quote!(#doc #rename #with pub #fi: #ty));
            enc.push(self.encode_stmts(&f.ty, quote!(&self.#fi), 0));
            let local = format_ident!("__f{}", k);
            let avro = &f.avro_name;
            let chain = [quote!(.field(#avro))];
            let dec = self.decode_expr(&f.ty, &chain, 0, from);
            lets.push(quote!(let #local = #dec;));
            inits.push(quote!(#fi: #local));

            // The slot's type is inferred from the struct field it fills.
            slots.push(quote!(let mut #local = ::core::option::Option::None;));
            let resolved = self.resolved_expr(&f.ty, &quote!(__n), &chain, 0, from);
            let kl = Literal::usize_unsuffixed(k);
            arms.push(quote!(::core::option::Option::Some(#kl) => #local = ::core::option::Option::Some(#resolved)));
            // Each default once: for the resolved decoder and the Default impl.
            let default = match &f.default {
                Some(d) => Some(self.default_expr(&f.ty, d, from).map_err(|e| {
                    CodegenError::Default(format!(
                        "field {:?} of {}: {e}",
                        f.avro_name, t.avro_name
                    ))
                })?),
                None => None,
            };
            resolved_inits.push(match &default {
                Some(default) => quote!(#fi: #local.unwrap_or_else(|| #default)),
                // A plan never leaves a field without default unfilled.
                None => quote!(#fi: #rt::resolve::required(#local, #avro)?),
            });
            if let Some(default) = default {
                default_vals.push(quote!(#fi: #default));
            }
        }
        let default_impl = if !fields.is_empty() && default_vals.len() == fields.len() {
            quote! {
                impl ::core::default::Default for #name {
                    /// Every field set to its schema default.
                    fn default() -> Self { Self { #(#default_vals,)* } }
                }
            }
        } else {
            quote!()
        };
        let decode_resolved = quote! {
            if __p.is_identity() {
                return <Self as #rt::Decode>::decode(__r);
            }
            let __p = __p.writer_branch(__r)?;
            let __fields = match __p.record_fields() {
                ::core::option::Option::Some(__fields) => __fields,
                ::core::option::Option::None => {
                    return __p.decode_transcoded(__r, <Self as #rt::Decode>::decode);
                }
            };
            #(#slots)*
            for (__t, __n) in __fields {
                match __t {
                    #(#arms,)*
                    _ => __n.skip(__r)?,
                }
            }
            ::core::result::Result::Ok(Self { #(#resolved_inits,)* })
        };
        Ok(ItemParts {
            definition: quote! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct #name { #(#defs,)* }
            },
            encode: quote!(#(#enc)*),
            decode: quote! {
                #(#lets)*
                ::core::result::Result::Ok(Self { #(#inits,)* })
            },
            decode_resolved: Some(decode_resolved),
            extra: default_impl,
        })
    }

    fn union(&self, t: &TypeDef, variants: &[VariantDef]) -> Result<ItemParts, CodegenError> {
        let name = ident(&t.ident);
        let from = &t.module;
        let n = Literal::usize_unsuffixed(variants.len());
        let mut defs = Vec::new();
        let mut enc_arms = Vec::new();
        let mut dec_arms = Vec::new();
        let mut resolved_arms = Vec::new();
        for (k, v) in variants.iter().enumerate() {
            let vi = ident(&v.ident);
            let rename = self.serde_rename(&v.ident, &v.avro_name);
            let idx = byte_lits(&index_bytes(k));
            let pat = if k + 1 == variants.len() {
                quote!(_)
            } else {
                let k = Literal::usize_unsuffixed(k);
                quote!(#k)
            };
            match &v.ty {
                None => {
                    defs.push(quote!(#rename #vi));
                    enc_arms.push(quote!(Self::#vi => { __out.extend_from_slice(&[#(#idx),*]); }));
                    dec_arms.push(quote!(#pat => Self::#vi));
                    resolved_arms.push(quote!((#pat, _) => Self::#vi));
                }
                Some(ty) => {
                    let rty = self.rust_ty(ty, from);
                    let with = self.serde_with(ty);
                    defs.push(quote!(#rename #vi(#with #rty)));
                    let body = self.encode_stmts(ty, quote!(__x), 1);
                    enc_arms.push(
                        quote!(Self::#vi(__x) => { __out.extend_from_slice(&[#(#idx),*]); #body }),
                    );
                    let branch = &v.avro_name;
                    let dec = self.decode_expr(ty, &[quote!(.branch(#branch))], 1, from);
                    dec_arms.push(quote!(#pat => Self::#vi(#dec)));
                    let res =
                        self.resolved_expr(ty, &quote!(__n), &[quote!(.branch(#branch))], 1, from);
                    resolved_arms.push(quote!((#pat, __n) => Self::#vi(#res)));
                }
            }
        }
        let rt = &self.rt;
        if variants.is_empty() {
            return Ok(ItemParts {
                definition: quote! {
                    #[derive(Debug, Clone, PartialEq)]
                    pub enum #name {}
                },
                encode: quote!(match *self {}),
                decode: quote! {
                    __r.read_union_index(0)?;
                    ::core::result::Result::Err(#rt::DecodeError::new(#rt::DecodeErrorKind::Custom("an empty union has no values".into())))
                },
                decode_resolved: None,
                extra: quote!(),
            });
        }
        Ok(ItemParts {
            definition: quote! {
                #[derive(Debug, Clone, PartialEq)]
                pub enum #name { #(#defs,)* }
            },
            encode: quote!(match self { #(#enc_arms)* }),
            decode: quote!(::core::result::Result::Ok(match __r.read_union_index(#n)? { #(#dec_arms,)* })),
            // The plan maps each writer branch (or a non-union writer value)
            // to a reader branch.
            decode_resolved: Some(quote! {
                if __p.is_identity() {
                    return <Self as #rt::Decode>::decode(__r);
                }
                ::core::result::Result::Ok(match __p.union_branch(__r)? { #(#resolved_arms,)* })
            }),
            extra: quote!(),
        })
    }
}
