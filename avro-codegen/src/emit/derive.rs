//! Impls for a type the user wrote (`#[derive(AvroSchema)]`, feature
//! `derive`): no type definition, generics and their bounds from the macro,
//! schemas composed at run time where a field's type is one the macro cannot
//! see (the IR types only the derive produces are handled in `conv.rs`). Every field
//! is still written and read by the same `encode_stmts`, `decode_expr` and
//! `resolved_expr` as generated code.

use super::decode::{array_loop, block_count, err_of, item_chain, key_chain, option_match};
use super::types::RecordPieces;
use super::*;

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
    /// `false` when a field holds a reference (`&str`): no `Decode` impl.
    pub decode: bool,
    /// The item's lifetime (`'a`) when a field borrows and the item has one
    /// lifetime parameter: a `DecodeBorrowed<'a>` impl, strings and bytes
    /// pointing into the input.
    pub borrowed: Option<TokenStream>,
    /// The type with its lifetimes `'static`, for the schema cache of a
    /// composed schema (outside the item's generics); `self_ty` when it has
    /// no lifetimes.
    pub static_ty: TokenStream,
    /// Whether values of the type can nest (it refers to itself, or to a
    /// type the macro cannot see through an indirection): decoders count
    /// the depth, as generated decoders of recursive types do.
    pub guard_depth: bool,
    /// Fields of the struct left out of the schema (`skip`), filled from
    /// `Default` when decoding.
    pub skipped: Vec<String>,
    /// Per variant of an enum with data, how the Rust variant holds it.
    pub variants: Vec<VariantShape>,
    /// An enum with data written as a record with a tag enum and a content
    /// union (`None`: a union).
    pub tag_content: Option<TagContent>,
}

/// The record of an enum written with a tag and a content field: the tag
/// is an enum of the variants' symbols, the content a union whose branches
/// variants may share (the tag tells them apart).
#[derive(Debug, Clone)]
pub struct TagContent {
    /// The tag field's name.
    pub tag: String,
    /// The content field's name.
    pub content: String,
    /// Per variant, the content union branch its value is written in.
    pub branches: Vec<usize>,
    /// How many branches the content union has.
    pub count: usize,
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
    /// `V(A, B)` (or `V`, `V(T)` in a union of records): a record (the IR
    /// type `record`) whose fields are the variant's in order.
    Positional {
        /// The IR record of the variant's fields (`field_0`, ...).
        record: DefId,
        /// Per Rust field: whether the record has it (else it is skipped
        /// and filled from `Default`).
        slots: Vec<bool>,
        /// A unit variant (no parentheses).
        unit: bool,
    },
}

impl Emitter<'_> {
    /// Whether a value of `ty` borrows from the input when decoded
    /// borrowed: `&str`, `&[u8]`, `Cow<'a, str>`, a type with a lifetime,
    /// or a collection or option of those.
    fn derive_ty_borrows(ty: &Ty) -> bool {
        match ty {
            Ty::Conv(c) => match c.kind {
                ConvKind::Str => c.rust.contains('\''),
                _ => Self::derive_ty_borrows(&c.avro),
            },
            Ty::External { rust } => rust.contains('\''),
            Ty::Array(t) | Ty::Map(t) | Ty::Option { inner: t, .. } => Self::derive_ty_borrows(t),
            _ => false,
        }
    }

    /// An expression decoding `ty` from `__r` (a `Reader<'a>`) for a
    /// borrowed derived type: strings and bytes borrowed from the input,
    /// other derived types with a lifetime through their `DecodeBorrowed`,
    /// the rest as the owned decoder reads it.
    fn derive_ref_decode(
        &self,
        ty: &Ty,
        chain: &[TokenStream],
        depth: usize,
        from: &[String],
    ) -> TokenStream {
        if !Self::derive_ty_borrows(ty) {
            return self.decode_expr(ty, chain, depth, from);
        }
        let rt = &self.rt;
        let err = err_of(chain);
        match ty {
            Ty::Conv(c) if c.kind == ConvKind::Str => match (&c.avro, c.rust.starts_with('&')) {
                (Ty::Bytes, _) => quote!(__r.read_bytes_ref() #err),
                (_, true) => quote!(__r.read_str() #err),
                (_, false) => {
                    let t = self.conv_tokens(c);
                    quote!(<#t as ::core::convert::From<&str>>::from(__r.read_str() #err))
                }
            },
            Ty::Conv(c) => {
                let inner = self.derive_ref_decode(&c.avro, chain, depth, from);
                self.conv_from(c, inner, &err)
            }
            Ty::External { rust } => {
                let t: TokenStream = rust.parse().unwrap_or_default();
                quote!(<#t as #rt::DecodeBorrowed<'_>>::decode_ref(__r) #err)
            }
            Ty::Array(items) => {
                let min = self.min_size(items, &mut Vec::new());
                let item =
                    self.derive_ref_decode(items, &item_chain(depth, chain), depth + 1, from);
                array_loop(depth, block_count(min, &err), item, None)
            }
            Ty::Map(values) => {
                let min = 1 + self.min_size(values, &mut Vec::new());
                let chain = key_chain(depth, chain);
                let value = self.derive_ref_decode(values, &chain, depth + 1, from);
                self.map_loop(ty, depth, block_count(min, &err), &err, value, from)
            }
            Ty::Option {
                null_index, inner, ..
            } => option_match(
                *null_index,
                &err,
                self.derive_ref_decode(inner, chain, depth + 1, from),
            ),
            _ => self.decode_expr(ty, chain, depth, from),
        }
    }

    /// The plain decoder's `let __f{k} = ...;` of a record's fields, owned
    /// or (`borrowed`) borrowing from the input.
    fn derive_lets(
        &self,
        p: &RecordPieces,
        fields: &[FieldDef],
        from: &[String],
        borrowed: bool,
    ) -> Vec<TokenStream> {
        if !borrowed {
            return p.lets.clone();
        }
        fields
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let local = format_ident!("__f{}", k);
                let avro = &f.avro_name;
                let dec = self.derive_ref_decode(&f.ty, &[quote!(.avro_field(#avro))], 0, from);
                quote!(let #local = #dec;)
            })
            .collect()
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
                    enc, direct_inits, ..
                } = &p;
                let resolved = self.derived_record_resolved(&p, quote!(Self), &skipped);
                (
                    // The generated record's encoder: one `reserve` of the
                    // fields' bound, then the fields.
                    self.record_encode(fields, enc.clone()),
                    quote!(::core::result::Result::Ok(Self { #(#direct_inits,)* #(#skipped,)* })),
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
            DefKind::Union { variants } => self.derive_union(t, variants, d, false)?,
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
        let borrowed_impl = match &d.borrowed {
            Some(lt) => {
                let body = match &t.kind {
                    DefKind::Record { fields } => {
                        let p = self.record_pieces(t, fields, &|fi| quote!(&self.#fi))?;
                        let lets = self.derive_lets(&p, fields, from, true);
                        let inits = &p.inits;
                        let skipped = skipped_inits(&d.skipped);
                        Some(quote! {
                            #(#lets)*
                            ::core::result::Result::Ok(Self { #(#inits,)* #(#skipped,)* })
                        })
                    }
                    DefKind::Wrapper { ty } => {
                        let dec = self.derive_ref_decode(ty, &[], 0, from);
                        Some(quote!(::core::result::Result::Ok(Self(#dec))))
                    }
                    DefKind::Union { variants } => Some(self.derive_union(t, variants, d, true)?.1),
                    DefKind::Enum { .. } | DefKind::Fixed { .. } => None,
                };
                body.map(|body| {
                    let body = if d.guard_depth {
                        quote!(#rt::borrowed::support::nested(__r, |__r| { #body }))
                    } else {
                        body
                    };
                    quote! {
                        #[automatically_derived]
                        impl #impl_generics #rt::DecodeBorrowed<#lt> for #self_ty #where_decode {
                            const AVRO_NAME: &'static str = #avro_short;
                            #[inline]
                            fn decode_ref(__r: &mut #rt::Reader<#lt>) -> ::core::result::Result<Self, #rt::DecodeError> {
                                #body
                            }
                        }
                    }
                })
            }
            None => None,
        };
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
                #[allow(unused_imports)] use #rt::__private::ErrorPath as _;
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
                #borrowed_impl
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
        let RecordPieces {
            inits,
            resolved_inits,
            ..
        } = p;
        self.record_resolved_with(
            p,
            quote!(#ctor { #(#resolved_inits,)* #(#skipped,)* }),
            quote!(#ctor { #(#inits,)* #(#skipped,)* }),
        )
    }

    /// [`Self::derived_record_resolved`] with the value built by `resolved`
    /// from the slots and by `plain` from the plain decoder's locals.
    fn record_resolved_with(
        &self,
        p: &RecordPieces,
        resolved: TokenStream,
        plain: TokenStream,
    ) -> TokenStream {
        let rt = &self.rt;
        let RecordPieces {
            lets, slots, arms, ..
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
                    #resolved
                }
                ::core::option::Option::None => __p.decode_transcoded(
                    __r,
                    |__r: &mut #rt::Reader<'_>| -> ::core::result::Result<Self, #rt::DecodeError> {
                        #(#lets)*
                        ::core::result::Result::Ok(#plain)
                    },
                )?,
            }
        }}
    }

    /// One variant of an enum with data: the pattern that binds its
    /// value, the statements that write it (after the branch index), its
    /// value read by the plain decoder, and the arm of the resolved one
    /// (`(branch, __n) => value`, `branch` matching the reader's index).
    fn derive_variant(
        &self,
        t: &TypeDef,
        v: &VariantDef,
        shape: Option<&VariantShape>,
        branch_pat: &TokenStream,
        borrowed: bool,
    ) -> Result<[TokenStream; 4], CodegenError> {
        let rt = &self.rt;
        let from = &t.module;
        let vi = ident(&v.ident);
        let branch = &v.avro_name;
        let chain = [quote!(.avro_branch(#branch))];
        let record_of = |record: DefId| -> Result<(&TypeDef, &[FieldDef]), CodegenError> {
            let def = &self.ir.types[record];
            match &def.kind {
                DefKind::Record { fields } => Ok((def, fields)),
                _ => Err(CodegenError::Internal(format!(
                    "variant {} is not a record",
                    v.ident
                ))),
            }
        };
        Ok(match (shape, &v.ty) {
            (Some(VariantShape::Struct { record, skipped }), _) => {
                let (def, fields) = record_of(*record)?;
                let p = self.record_pieces(def, fields, &|fi| quote!(#fi))?;
                let bound: Vec<Ident> = fields.iter().map(|f| ident(&f.ident)).collect();
                let skipped: Vec<TokenStream> = skipped
                    .iter()
                    .map(|s| {
                        let s = ident(s);
                        quote!(#s: ::core::default::Default::default())
                    })
                    .collect();
                let RecordPieces { enc, inits, .. } = &p;
                let lets = self.derive_lets(&p, fields, from, borrowed);
                let plain = quote!({
                    #(#lets)*
                    Self::#vi { #(#inits,)* #(#skipped,)* }
                });
                let resolved = self.derived_record_resolved(&p, quote!(Self::#vi), &skipped);
                [
                    quote!(Self::#vi { #(#bound,)* .. }),
                    quote!(#(#enc)*),
                    plain.clone(),
                    quote!((#branch_pat, __p) => if __p.is_identity() { #plain } else { #resolved }),
                ]
            }
            (
                Some(VariantShape::Positional {
                    record,
                    slots,
                    unit,
                }),
                _,
            ) => {
                let (def, fields) = record_of(*record)?;
                let p = self.record_pieces(def, fields, &|fi| quote!(#fi))?;
                let mut pats = Vec::new();
                let mut plain_args = Vec::new();
                let mut resolved_args = Vec::new();
                let mut j = 0;
                for (k, has) in slots.iter().enumerate() {
                    if !*has {
                        pats.push(quote!(_));
                        plain_args.push(quote!(::core::default::Default::default()));
                        resolved_args.push(quote!(::core::default::Default::default()));
                        continue;
                    }
                    let f = &fields[j];
                    let local = format_ident!("__f{}", j);
                    let bound = format_ident!("field_{}", k);
                    pats.push(quote!(#bound));
                    plain_args.push(quote!(#local));
                    let avro = &f.avro_name;
                    resolved_args.push(match &p.defaults[j] {
                        Some(d) => quote!(#local.unwrap_or_else(|| #d)),
                        None => quote!(#rt::resolve::required(#local, #avro)?),
                    });
                    j += 1;
                }
                let ctor = |args: &[TokenStream]| {
                    if *unit {
                        quote!(Self::#vi)
                    } else {
                        quote!(Self::#vi(#(#args),*))
                    }
                };
                let pat = ctor(&pats);
                let (plain_ctor, resolved_ctor) = (ctor(&plain_args), ctor(&resolved_args));
                let lets = self.derive_lets(&p, fields, from, borrowed);
                let plain = quote!({ #(#lets)* #plain_ctor });
                let resolved = self.record_resolved_with(&p, resolved_ctor, plain_ctor);
                let enc = &p.enc;
                [
                    pat,
                    quote!(#(#enc)*),
                    plain.clone(),
                    quote!((#branch_pat, __p) => if __p.is_identity() { #plain } else { #resolved }),
                ]
            }
            (_, None) => [
                quote!(Self::#vi),
                quote!(),
                quote!(Self::#vi),
                quote!((#branch_pat, _) => Self::#vi),
            ],
            (_, Some(ty)) => {
                let dec = if borrowed {
                    self.derive_ref_decode(ty, &chain, 1, from)
                } else {
                    self.decode_expr(ty, &chain, 1, from)
                };
                let res = self.resolved_expr(ty, &quote!(__n), &chain, 1, from);
                [
                    quote!(Self::#vi(__x)),
                    self.encode_stmts(ty, quote!(__x), 1),
                    quote!(Self::#vi(#dec)),
                    quote!((#branch_pat, __n) => Self::#vi(#res)),
                ]
            }
        })
    }

    /// An enum with data as a union: one branch per variant.
    fn derive_union(
        &self,
        t: &TypeDef,
        variants: &[VariantDef],
        d: &DeriveTarget,
        borrowed: bool,
    ) -> Result<(TokenStream, TokenStream, Option<TokenStream>), CodegenError> {
        if let Some(tc) = &d.tag_content {
            return self.derive_tag_content(t, variants, d, tc, borrowed);
        }
        let rt = &self.rt;
        let n = Literal::usize_unsuffixed(variants.len());
        let mut enc_arms = Vec::new();
        let mut dec_arms = Vec::new();
        let mut resolved_arms = Vec::new();
        for (k, v) in variants.iter().enumerate() {
            let idx = byte_lits(&index_bytes(k));
            let pat = if k + 1 == variants.len() {
                quote!(_)
            } else {
                let k = Literal::usize_unsuffixed(k);
                quote!(#k)
            };
            let [bind, body, plain, resolved] =
                self.derive_variant(t, v, d.variants.get(k), &pat, borrowed)?;
            enc_arms.push(quote!(#bind => { __out.extend_from_slice(&[#(#idx),*]); #body }));
            dec_arms.push(quote!(#pat => #plain));
            resolved_arms.push(resolved);
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

    /// An enum with data as a record: the tag (an enum of the variants'
    /// symbols), then the content (a union; the branch must be the one the
    /// tag's variant is written in). A writer of another version is read
    /// through the transcoding default of `decode_resolved`: the plan
    /// rewrites its record (fields, symbols, branches) into this one's.
    fn derive_tag_content(
        &self,
        t: &TypeDef,
        variants: &[VariantDef],
        d: &DeriveTarget,
        tc: &TagContent,
        borrowed: bool,
    ) -> Result<(TokenStream, TokenStream, Option<TokenStream>), CodegenError> {
        let rt = &self.rt;
        let (tag, content) = (&tc.tag, &tc.content);
        let n = Literal::usize_unsuffixed(variants.len());
        let m = Literal::usize_unsuffixed(tc.count);
        let mut enc_arms = Vec::new();
        let mut dec_arms = Vec::new();
        for (k, v) in variants.iter().enumerate() {
            let b = tc.branches.get(k).copied().unwrap_or_default();
            let mut idx = index_bytes(k);
            idx.extend(index_bytes(b));
            let idx = byte_lits(&idx);
            let pat = if k + 1 == variants.len() {
                quote!(_)
            } else {
                let k = Literal::usize_unsuffixed(k);
                quote!(#k)
            };
            let [bind, body, plain, _] =
                self.derive_variant(t, v, d.variants.get(k), &quote!(_), borrowed)?;
            enc_arms.push(quote!(#bind => { __out.extend_from_slice(&[#(#idx),*]); #body }));
            let bl = Literal::usize_unsuffixed(b);
            let msg = format!(
                "the content is written in union branch {{}}, but the tag's variant {{:?}} is written in branch {b}"
            );
            let ident_name = &v.ident;
            dec_arms.push(quote! {
                #pat => {
                    if __b != #bl {
                        return ::core::result::Result::Err(#rt::DecodeError::new(#rt::DecodeErrorKind::Custom(
                            ::std::format!(#msg, __b, #ident_name),
                        )).field(#content));
                    }
                    #plain
                }
            });
        }
        Ok((
            quote!(match self { #(#enc_arms)* }),
            quote! {
                let __tag = __r.read_enum_index(#n).avro_field(#tag)?;
                let __b = __r.read_union_index(#m).avro_field(#content)?;
                ::core::result::Result::Ok(match __tag { #(#dec_arms,)* })
            },
            None,
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
                    let static_ty = if d.static_ty.is_empty() {
                        self_ty
                    } else {
                        &d.static_ty
                    };
                    let build = quote! {
                        || #rt::__private::texts_of(#name, <#static_ty as #rt::AvroSchema>::__avro_schema_in)
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
