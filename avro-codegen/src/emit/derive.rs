//! Impls for a type the user wrote (`#[derive(AvroSchema)]`): no type
//! definition, generics and their bounds from the macro, schemas composed at
//! run time where a field's type is one the macro cannot see, and the IR
//! types only the derive produces (`Ty::External`, `Ty::Conv`). Every field
//! is still written and read by the same `encode_stmts`, `decode_expr` and
//! `resolved_expr` as generated code.

use super::types::RecordPieces;
use super::*;
use crate::ir::Conv;

/// What the derive macro knows about the item beyond the IR.
#[derive(Debug, Clone, Default)]
pub struct DeriveTarget {
    /// The type the impls are for: `Student`, `Node<T>`.
    pub self_ty: TokenStream,
    /// `<T: Bound>` after `impl`.
    pub impl_generics: TokenStream,
    /// Where clause (with `where`) of the `AvroSchema` impl.
    pub where_schema: TokenStream,
    /// Where clause of the `Encode` impl.
    pub where_encode: TokenStream,
    /// Where clause of the `Decode` impl.
    pub where_decode: TokenStream,
    /// Generic types cache their composed schema per instantiation.
    pub generic: bool,
    /// `false` when a field borrows (`&str`): no `Decode` impl.
    pub decode: bool,
    /// Whether values of the type can nest (it refers to itself, or to a
    /// type the macro cannot see through an indirection): decoders count
    /// the depth, as generated decoders of recursive types do.
    pub guard_depth: bool,
    /// Fields of the struct left out of the schema (`skip`), filled from
    /// `Default` when decoding.
    pub skipped: Vec<String>,
    /// Per variant of an enum with data, how the Rust variant holds it.
    pub variants: Vec<VariantShape>,
}

/// How a Rust enum variant holds its union branch's value.
#[derive(Debug, Clone)]
pub enum VariantShape {
    /// `V`: the `null` branch.
    Unit,
    /// `V(T)`: the branch is `T`'s schema.
    Newtype,
    /// `V { .. }`: a record (the IR type `record`), its fields bound by
    /// name; `skipped` fields are filled from `Default`.
    Struct {
        /// The IR record of the variant's fields.
        record: DefId,
        /// Fields left out of the schema.
        skipped: Vec<String>,
    },
}

impl Emitter<'_> {
    fn conv_tokens(&self, c: &Conv) -> TokenStream {
        c.rust.parse().unwrap_or_default()
    }

    pub(super) fn derive_encode(&self, ty: &Ty, val: TokenStream, depth: usize) -> TokenStream {
        let rt = &self.rt;
        let enc = quote!(#rt::encode);
        let Ty::Conv(c) = ty else {
            return quote!(#rt::Encode::encode(#val, __out)?;);
        };
        match (&c.kind, &c.avro) {
            (ConvKind::Widen, Ty::Int) => quote!(#enc::write_int(__out, i32::from(*#val));),
            (ConvKind::Widen, _) => quote!(#enc::write_long(__out, i64::from(*#val));),
            (ConvKind::Checked, _) => {
                quote!(#enc::write_long(__out, #rt::__private::to_long(*#val)?);)
            }
            (ConvKind::Str, _) => quote!(#enc::write_str(__out, &**#val);),
            (ConvKind::Via, avro) => {
                let (t, a) = (self.conv_tokens(c), self.rust_ty(avro, &[]));
                let v = format_ident!("__via{}", depth);
                let write = self.encode_stmts(avro, quote!(&#v), depth + 1);
                quote!({ let #v = <#a as ::core::convert::From<#t>>::from(*#val); #write })
            }
            (ConvKind::ByteArray { .. }, _) => quote!(#enc::write_fixed(__out, #val);),
            // Written through `is_empty`, `len` and `iter`, which these have.
            // Item by item: the bulk writers of number arrays take a slice,
            // which a `VecDeque` is not.
            (ConvKind::Seq, Ty::Array(items)) => {
                let x = format_ident!("__x{}", depth);
                let inner = self.encode_stmts(items, quote!(#x), depth + 1);
                self.encode_block(val, quote!(#x), inner, depth)
            }
            (ConvKind::Seq | ConvKind::Map { .. }, avro) => self.encode_stmts(avro, val, depth),
        }
    }

    pub(super) fn derive_decode(
        &self,
        ty: &Ty,
        chain: &[TokenStream],
        depth: usize,
        from: &[String],
    ) -> TokenStream {
        let rt = &self.rt;
        let err = quote!(.map_err(|__e| __e #(#chain)*)?);
        let t = self.rust_ty(ty, from);
        let Ty::Conv(c) = ty else {
            return quote!(<#t as #rt::Decode>::decode(__r) #err);
        };
        match (&c.kind, &c.avro) {
            (ConvKind::Map { .. }, Ty::Map(values)) => {
                self.map_decode(ty, values, chain, depth, from)
            }
            (ConvKind::ByteArray { size }, _) => {
                let n = Literal::usize_unsuffixed(*size);
                quote!(__r.read_fixed::<#n>() #err)
            }
            _ => {
                let plain = self.decode_expr(&c.avro, chain, depth, from);
                self.conv_from(c, plain, &err)
            }
        }
    }

    /// The Rust value of a conversion from the Avro value `avro_val`.
    fn conv_from(&self, c: &Conv, avro_val: TokenStream, err: &TokenStream) -> TokenStream {
        let rt = &self.rt;
        let t = self.conv_tokens(c);
        match c.kind {
            ConvKind::Widen | ConvKind::Checked => {
                let name = &c.rust;
                quote!(#rt::__private::narrow::<#t>(i64::from(#avro_val), #name) #err)
            }
            ConvKind::Str => {
                quote!(<#t as ::core::convert::From<::std::string::String>>::from(#avro_val))
            }
            ConvKind::Seq | ConvKind::Map { .. } => {
                quote!(<#t as ::core::iter::FromIterator<_>>::from_iter(#avro_val))
            }
            ConvKind::ByteArray { .. } => avro_val,
            ConvKind::Via => {
                let name = &c.rust;
                quote!(#rt::__private::via::<#t, _>(#avro_val, #name) #err)
            }
        }
    }

    pub(super) fn derive_resolved(
        &self,
        ty: &Ty,
        node: &TokenStream,
        chain: &[TokenStream],
        depth: usize,
        from: &[String],
    ) -> TokenStream {
        let rt = &self.rt;
        let err = quote!(.map_err(|__e| __e #(#chain)*)?);
        let t = self.rust_ty(ty, from);
        let Ty::Conv(c) = ty else {
            return quote!(<#t as #rt::Decode>::decode_resolved(__r, #node) #err);
        };
        let plain = self.derive_decode(ty, chain, depth, from);
        match c.kind {
            ConvKind::ByteArray { .. } => quote!({ #node.direct(__r) #err; #plain }),
            // Read into the map type directly when nothing changes, else
            // through the resolved reader of the standard map.
            ConvKind::Map { .. } => {
                let resolved = self.resolved_expr(&c.avro, node, chain, depth, from);
                let converted = self.conv_from(c, resolved, &err);
                quote!(if #node.is_identity() { #plain } else { #converted })
            }
            _ => {
                let resolved = self.resolved_expr(&c.avro, node, chain, depth, from);
                self.conv_from(c, resolved, &err)
            }
        }
    }

    pub(super) fn derive_accepts(&self, ty: &Ty, v: &Value) -> bool {
        match ty {
            Ty::Conv(c) => match c.kind {
                ConvKind::Widen | ConvKind::Checked => v
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| v.as_u64().map(i128::from))
                    .is_some_and(|i| int_fits(&c.rust, i)),
                ConvKind::ByteArray { size } => latin1(v).is_some_and(|b| b.len() == size),
                ConvKind::Via => self.accepts(&c.avro, v) && via_in_range(&c.avro, v),
                _ => self.accepts(&c.avro, v),
            },
            // Checked when the program composes the schema.
            _ => true,
        }
    }

    pub(super) fn derive_default_expr(
        &self,
        ty: &Ty,
        v: &Value,
        from: &[String],
    ) -> Result<TokenStream, CodegenError> {
        let rt = &self.rt;
        let t = self.rust_ty(ty, from);
        let Ty::Conv(c) = ty else {
            // The macro cannot see this type's schema: the default is
            // encoded with it and decoded when first needed. The composed
            // schema was validated (defaults included) when the reader's
            // plan was made, so this cannot fail.
            let json = v.to_string();
            return Ok(quote! {
                #rt::__private::default_value::<#t>(#json)
                    .unwrap_or_else(|__e| ::core::panic!("{}", __e))
            });
        };
        if !self.derive_accepts(ty, v) {
            return Err(CodegenError::Default(format!(
                "default {v} does not fit {}",
                c.rust
            )));
        }
        Ok(match c.kind {
            ConvKind::Widen | ConvKind::Checked => {
                let n = v
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| v.as_u64().map(i128::from))
                    .unwrap_or_default();
                let l = Literal::i128_unsuffixed(n);
                quote!({ let __v: #t = #l; __v })
            }
            ConvKind::ByteArray { .. } => {
                let b = byte_lits(&latin1(v).unwrap_or_default());
                quote!([#(#b),*])
            }
            ConvKind::Str => {
                let s = v.as_str().unwrap_or_default();
                quote!(<#t as ::core::convert::From<&str>>::from(#s))
            }
            ConvKind::Seq | ConvKind::Map { .. } => {
                let e = self.default_expr(&c.avro, v, from)?;
                quote!(<#t as ::core::iter::FromIterator<_>>::from_iter(#e))
            }
            // In range: checked by `derive_accepts` when the macro expanded.
            ConvKind::Via => {
                let e = self.default_expr(&c.avro, v, from)?;
                let name = &c.rust;
                quote!(#rt::__private::via::<#t, _>(#e, #name).unwrap_or_else(|__e| ::core::panic!("{}", __e)))
            }
        })
    }

    pub(super) fn derive_json(&self, c: &Conv, val: TokenStream, depth: usize) -> TokenStream {
        let rt = &self.rt;
        let j = quote!(#rt::json);
        match c.kind {
            ConvKind::Widen => quote!(#j::Value::from(*#val)),
            ConvKind::Checked => {
                quote!(#j::Value::from(#rt::__private::to_long(*#val).unwrap_or_default()))
            }
            ConvKind::Str => quote!(#j::Value::String(::std::string::String::from(&**#val))),
            ConvKind::ByteArray { .. } => quote!(#j::latin1(#val)),
            ConvKind::Seq | ConvKind::Map { .. } => self.json_expr(&c.avro, val, depth),
            ConvKind::Via => {
                let (t, a) = (self.conv_tokens(c), self.rust_ty(&c.avro, &[]));
                let v = format_ident!("__via{}", depth);
                let inner = self.json_expr(&c.avro, quote!(&#v), depth + 1);
                quote!({ let #v = <#a as ::core::convert::From<#t>>::from(*#val); #inner })
            }
        }
    }

    /// The `AvroSchema`, `Encode` and `Decode` impls of the derived type
    /// `id` (no definition: the user wrote it).
    pub fn derive_impls(&self, id: DefId, d: &DeriveTarget) -> Result<TokenStream, CodegenError> {
        let t = &self.ir.types[id];
        let rt = &self.rt;
        let from = &t.module;
        let skipped_inits = |skipped: &[String]| -> Vec<TokenStream> {
            skipped
                .iter()
                .map(|s| {
                    let s = ident(s);
                    quote!(#s: ::core::default::Default::default())
                })
                .collect()
        };
        let (encode, decode, decode_resolved) = match &t.kind {
            DefKind::Record { fields } => {
                let p = self.record_pieces(t, fields, &|fi| quote!(&self.#fi))?;
                let skipped = skipped_inits(&d.skipped);
                let RecordPieces {
                    enc, lets, inits, ..
                } = &p;
                let resolved = self.derived_record_resolved(&p, quote!(Self), &skipped);
                (
                    quote!(#(#enc)*),
                    quote! {
                        #(#lets)*
                        ::core::result::Result::Ok(Self { #(#inits,)* #(#skipped,)* })
                    },
                    Some(quote! {
                        if __p.is_identity() {
                            return <Self as #rt::Decode>::decode(__r);
                        }
                        ::core::result::Result::Ok(#resolved)
                    }),
                )
            }
            DefKind::Wrapper { ty } => {
                let enc = self.encode_stmts(ty, quote!(&self.0), 0);
                let dec = self.decode_expr(ty, &[], 0, from);
                let res = self.resolved_expr(ty, &quote!(__p), &[], 0, from);
                (
                    enc,
                    quote!(::core::result::Result::Ok(Self(#dec))),
                    Some(quote!(::core::result::Result::Ok(Self(#res)))),
                )
            }
            DefKind::Fixed { size } => {
                let n = Literal::usize_unsuffixed(*size);
                (
                    quote!(#rt::encode::write_fixed(__out, &self.0);),
                    quote!(::core::result::Result::Ok(Self(__r.read_fixed::<#n>()?))),
                    None,
                )
            }
            DefKind::Enum { variants, .. } => {
                let n = Literal::usize_unsuffixed(variants.len());
                let mut enc_arms = Vec::new();
                let mut arms = Vec::new();
                for (k, v) in variants.iter().enumerate() {
                    let vi = ident(&v.ident);
                    let idx = byte_lits(&index_bytes(k));
                    enc_arms.push(quote!(Self::#vi => __out.extend_from_slice(&[#(#idx),*])));
                    arms.push(if k + 1 == variants.len() {
                        quote!(_ => Self::#vi)
                    } else {
                        let k = Literal::usize_unsuffixed(k);
                        quote!(#k => Self::#vi)
                    });
                }
                (
                    quote!(match self { #(#enc_arms,)* }),
                    quote!(::core::result::Result::Ok(match __r.read_enum_index(#n)? { #(#arms,)* })),
                    Some(quote! {
                        if __p.is_identity() {
                            return <Self as #rt::Decode>::decode(__r);
                        }
                        ::core::result::Result::Ok(match __p.enum_index(__r)? { #(#arms,)* })
                    }),
                )
            }
            DefKind::Union { variants } => self.derive_union(t, variants, d)?,
        };
        let guard = |body: TokenStream| {
            if d.guard_depth {
                quote! {
                    __r.enter()?;
                    let __v = (|__r: &mut #rt::Reader<'_>| -> ::core::result::Result<Self, #rt::DecodeError> { #body })(__r);
                    __r.leave();
                    __v
                }
            } else {
                body
            }
        };
        let decode = guard(decode);
        let decode_resolved = decode_resolved.map(|body| {
            let body = guard(body);
            quote! {
                #[inline]
                fn decode_resolved(__r: &mut #rt::Reader<'_>, __p: #rt::resolve::PlanNode<'_>) -> ::core::result::Result<Self, #rt::DecodeError> {
                    #body
                }
            }
        });
        let schema_impl = self.derive_schema_impl(t, d);
        let DeriveTarget {
            self_ty,
            impl_generics,
            where_encode,
            where_decode,
            ..
        } = d;
        let avro_short = t.avro_name.rsplit('.').next().unwrap_or(&t.avro_name);
        let decode_impl = d.decode.then(|| {
            quote! {
                #[automatically_derived]
                impl #impl_generics #rt::Decode for #self_ty #where_decode {
                    const AVRO_NAME: &'static str = #avro_short;
                    #[inline]
                    fn decode(__r: &mut #rt::Reader<'_>) -> ::core::result::Result<Self, #rt::DecodeError> {
                        #decode
                    }
                    #decode_resolved
                }
            }
        });
        Ok(quote! {
            #[allow(clippy::all, clippy::pedantic, clippy::nursery, unused_qualifications, non_camel_case_types, unreachable_code, unused_variables)]
            const _: () = {
                #schema_impl
                #[automatically_derived]
                impl #impl_generics #rt::Encode for #self_ty #where_encode {
                    #[inline]
                    fn encode(&self, __out: &mut ::std::vec::Vec<u8>) -> ::core::result::Result<(), #rt::EncodeError> {
                        #encode
                        ::core::result::Result::Ok(())
                    }
                }
                #decode_impl
            };
        })
    }

    /// The value of a record read through the plan node `__p` (not
    /// identity): fields in the writer's order into slots, then `ctor {..}`.
    fn derived_record_resolved(
        &self,
        p: &RecordPieces,
        ctor: TokenStream,
        skipped: &[TokenStream],
    ) -> TokenStream {
        let rt = &self.rt;
        let RecordPieces {
            lets,
            inits,
            slots,
            arms,
            resolved_inits,
            ..
        } = p;
        quote! {{
            let __p = __p.writer_branch(__r)?;
            match __p.record_fields() {
                ::core::option::Option::Some(__fields) => {
                    #(#slots)*
                    for (__t, __n) in __fields {
                        match __t {
                            #(#arms,)*
                            _ => __n.skip(__r)?,
                        }
                    }
                    #ctor { #(#resolved_inits,)* #(#skipped,)* }
                }
                ::core::option::Option::None => __p.decode_transcoded(
                    __r,
                    |__r: &mut #rt::Reader<'_>| -> ::core::result::Result<Self, #rt::DecodeError> {
                        #(#lets)*
                        ::core::result::Result::Ok(#ctor { #(#inits,)* #(#skipped,)* })
                    },
                )?,
            }
        }}
    }

    /// An enum with data as a union: one branch per variant.
    fn derive_union(
        &self,
        t: &TypeDef,
        variants: &[VariantDef],
        d: &DeriveTarget,
    ) -> Result<(TokenStream, TokenStream, Option<TokenStream>), CodegenError> {
        let rt = &self.rt;
        let from = &t.module;
        let n = Literal::usize_unsuffixed(variants.len());
        let mut enc_arms = Vec::new();
        let mut dec_arms = Vec::new();
        let mut resolved_arms = Vec::new();
        for (k, v) in variants.iter().enumerate() {
            let vi = ident(&v.ident);
            let idx = byte_lits(&index_bytes(k));
            let pat = if k + 1 == variants.len() {
                quote!(_)
            } else {
                let k = Literal::usize_unsuffixed(k);
                quote!(#k)
            };
            let branch = &v.avro_name;
            let chain = [quote!(.branch(#branch))];
            match (d.variants.get(k), &v.ty) {
                (Some(VariantShape::Struct { record, skipped }), _) => {
                    let rt_def = &self.ir.types[*record];
                    let DefKind::Record { fields } = &rt_def.kind else {
                        return Err(CodegenError::Internal(format!(
                            "variant {} is not a record",
                            v.ident
                        )));
                    };
                    let p = self.record_pieces(rt_def, fields, &|fi| quote!(#fi))?;
                    let bound: Vec<Ident> = fields.iter().map(|f| ident(&f.ident)).collect();
                    let skipped = skipped.iter().map(|s| {
                        let s = ident(s);
                        quote!(#s: ::core::default::Default::default())
                    });
                    let skipped: Vec<TokenStream> = skipped.collect();
                    let RecordPieces {
                        enc, lets, inits, ..
                    } = &p;
                    enc_arms.push(quote! {
                        Self::#vi { #(#bound,)* .. } => {
                            __out.extend_from_slice(&[#(#idx),*]);
                            #(#enc)*
                        }
                    });
                    let plain = quote!({
                        #(#lets)*
                        Self::#vi { #(#inits,)* #(#skipped,)* }
                    });
                    dec_arms.push(quote!(#pat => #plain));
                    let resolved = self.derived_record_resolved(&p, quote!(Self::#vi), &skipped);
                    resolved_arms.push(quote! {
                        (#pat, __p) => if __p.is_identity() { #plain } else { #resolved }
                    });
                }
                (_, None) => {
                    enc_arms.push(quote!(Self::#vi => { __out.extend_from_slice(&[#(#idx),*]); }));
                    dec_arms.push(quote!(#pat => Self::#vi));
                    resolved_arms.push(quote!((#pat, _) => Self::#vi));
                }
                (_, Some(ty)) => {
                    let body = self.encode_stmts(ty, quote!(__x), 1);
                    enc_arms.push(
                        quote!(Self::#vi(__x) => { __out.extend_from_slice(&[#(#idx),*]); #body }),
                    );
                    let dec = self.decode_expr(ty, &chain, 1, from);
                    dec_arms.push(quote!(#pat => Self::#vi(#dec)));
                    let res = self.resolved_expr(ty, &quote!(__n), &chain, 1, from);
                    resolved_arms.push(quote!((#pat, __n) => Self::#vi(#res)));
                }
            }
        }
        Ok((
            quote!(match self { #(#enc_arms)* }),
            quote!(::core::result::Result::Ok(match __r.read_union_index(#n)? { #(#dec_arms,)* })),
            Some(quote! {
                if __p.is_identity() {
                    return <Self as #rt::Decode>::decode(__r);
                }
                ::core::result::Result::Ok(match __p.union_branch(__r)? { #(#resolved_arms,)* })
            }),
        ))
    }

    /// `AvroSchema` for a derived type: literals when the macro saw the
    /// whole schema, else composed on first use and cached (per
    /// instantiation for generic types).
    fn derive_schema_impl(&self, t: &TypeDef, d: &DeriveTarget) -> TokenStream {
        let rt = &self.rt;
        let DeriveTarget {
            self_ty,
            impl_generics,
            where_schema,
            ..
        } = d;
        let Some(text) = &t.schema else {
            return quote!();
        };
        match &text.source {
            SchemaSource::Inline { json, canonical } => {
                let fp = Literal::u64_suffixed(text.fingerprint);
                quote! {
                    #[automatically_derived]
                    impl #impl_generics #rt::AvroSchema for #self_ty #where_schema {
                        #[inline]
                        fn fingerprint() -> u64 { #fp }
                        fn schema() -> &'static str { #json }
                        fn canonical_form() -> &'static str { #canonical }
                    }
                }
            }
            SchemaSource::Composed { template, holes } => {
                let holes = holes.iter().map(|h| {
                    let h: TokenStream = h.parse().unwrap_or_default();
                    quote!(|__n: &mut #rt::__private::Names| <#h as #rt::AvroSchema>::__avro_schema_in(__n))
                });
                let name = &t.avro_name;
                let build = quote! {
                    || #rt::__private::texts_of(#name, <Self as #rt::AvroSchema>::__avro_schema_in)
                };
                let (prelude, texts) = if d.generic {
                    (quote!(), quote!(#rt::__private::texts_for::<Self>(#build)))
                } else {
                    let build = quote! {
                        || #rt::__private::texts_of(#name, <#self_ty as #rt::AvroSchema>::__avro_schema_in)
                    };
                    (
                        quote! {
                            fn __avro_texts() -> &'static #rt::__private::Texts {
                                static TEXTS: ::std::sync::OnceLock<#rt::__private::Texts> = ::std::sync::OnceLock::new();
                                TEXTS.get_or_init(#build)
                            }
                        },
                        quote!(__avro_texts()),
                    )
                };
                quote! {
                    #prelude
                    #[automatically_derived]
                    impl #impl_generics #rt::AvroSchema for #self_ty #where_schema {
                        #[inline]
                        fn fingerprint() -> u64 { #texts.fingerprint }
                        fn schema() -> &'static str { #texts.json.as_str() }
                        fn canonical_form() -> &'static str { #texts.canonical.as_str() }
                        fn __avro_schema_in(__names: &mut #rt::__private::Names) -> #rt::__private::Value {
                            #rt::__private::compose(#template, __names, &[#(#holes),*])
                        }
                    }
                }
            }
            // Generated types only.
            SchemaSource::Embedded(_) => quote!(),
        }
    }
}

/// Whether `i` fits the Rust integer type named `rust`.
fn int_fits(rust: &str, i: i128) -> bool {
    let (lo, hi): (i128, i128) = match rust {
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX.into()),
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        // Stored as long: the default is a long.
        "u64" | "usize" | "u128" => (0, i64::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    };
    lo <= i && i <= hi
}

/// Whether a JSON default of a logical type converts into the chrono type
/// it stands for (chrono's dates span about ±262,000 years, times one day).
fn via_in_range(avro: &Ty, v: &Value) -> bool {
    let Some(n) = v.as_i64() else { return false };
    match avro {
        Ty::Logical(LogicalTy::Date) => n.unsigned_abs() < 95_000_000,
        Ty::Logical(LogicalTy::TimeMillis) => (0..86_400_000).contains(&n),
        Ty::Logical(LogicalTy::TimeMicros) => (0..86_400_000_000).contains(&n),
        Ty::Logical(LogicalTy::TimestampMillis | LogicalTy::LocalTimestampMillis) => {
            n.unsigned_abs() < 8_000_000_000_000_000
        }
        _ => true,
    }
}
