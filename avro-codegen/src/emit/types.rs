//! Type definitions (structs, enums, newtypes) with their attributes and derives, and how each kind's parts are put together into one item.

use super::docs::doc_lines;
use super::*;
use proc_macro2::TokenTree;

/// A record's per-field pieces (see [`Emitter::record_pieces`]).
#[derive(Default)]
pub(super) struct RecordPieces {
    pub defs: Vec<TokenStream>,
    pub enc: Vec<TokenStream>,
    pub lets: Vec<TokenStream>,
    pub inits: Vec<TokenStream>,
    /// `field: <decode expression>`: the plain decoder's struct literal
    /// (fields are evaluated in the order written, which is the schema's).
    pub direct_inits: Vec<TokenStream>,
    pub slots: Vec<TokenStream>,
    pub arms: Vec<TokenStream>,
    pub resolved_inits: Vec<TokenStream>,
    pub default_vals: Vec<TokenStream>,
    /// Each field's default expression, if it has one.
    pub defaults: Vec<Option<TokenStream>>,
    /// The constructor's arguments (required fields) and initialisers.
    pub new_args: Vec<TokenStream>,
    pub new_inits: Vec<TokenStream>,
}

impl Emitter<'_> {
    /// The `type_attribute`s that apply to `t`.
    fn matching_attrs<'o>(&'o self, t: &TypeDef) -> impl Iterator<Item = &'o str> {
        let avro_name = t.avro_name.clone();
        self.opts
            .type_attributes
            .iter()
            .filter(move |(matcher, _)| {
                matcher == "."
                    || avro_name == *matcher
                    || avro_name.starts_with(&format!("{matcher}."))
            })
            .map(|(_, attr)| attr.as_str())
    }

    /// The trait names the user's `type_attribute`s derive on `t` (so that
    /// the generator does not derive them a second time).
    pub(super) fn user_derives(&self, t: &TypeDef) -> Vec<String> {
        let mut out = Vec::new();
        for attr in self.matching_attrs(t) {
            let Ok(tokens) = attr.parse::<TokenStream>() else {
                continue; // reported by extra_type_attrs
            };
            // `#[derive(a::B, C)]`: the last segment of each path.
            for tt in tokens {
                let TokenTree::Group(g) = tt else { continue };
                let mut inner = g.stream().into_iter();
                let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(list))) =
                    (inner.next(), inner.next())
                else {
                    continue;
                };
                if name != "derive" {
                    continue;
                }
                let mut last = None;
                for tt in list.stream() {
                    match tt {
                        TokenTree::Ident(i) => last = Some(i.to_string()),
                        TokenTree::Punct(p) if p.as_char() == ',' => out.extend(last.take()),
                        _ => {}
                    }
                }
                out.extend(last);
            }
        }
        out
    }

    pub(super) fn extra_type_attrs(&self, t: &TypeDef) -> Result<TokenStream, CodegenError> {
        let mut out = TokenStream::new();
        for attr in self.matching_attrs(t) {
            out.extend(parse_tokens(attr, "type attribute")?);
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
    pub(super) fn serde_with(&self, ty: &Ty) -> TokenStream {
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

    pub(super) fn serde_rename(&self, ident_str: &str, avro: &str) -> TokenStream {
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
        let doc = self.type_doc(id);
        let extra_attrs = self.extra_type_attrs(t)?;
        let schema_impl = self.schema_impl(t);
        let avro_short = t
            .avro_name
            .rsplit('.')
            .next()
            .unwrap_or(&t.avro_name)
            .to_owned();
        // Avro docs are free text: rustdoc must not read them as links or
        // HTML (`rustdoc::all`). Split so that each attribute fits one
        // formatted line.
        let allow = quote! {
            #[allow(clippy::all, clippy::pedantic, clippy::nursery, rustdoc::all)]
            #[allow(unused_qualifications, non_camel_case_types)]
        };

        let compact = match &t.kind {
            DefKind::Record { fields } => self.compact_record(id, fields)?,
            DefKind::Union { variants } => self.compact_union(id, variants)?,
            DefKind::Enum { variants, default } => self.compact_enum(id, variants, *default)?,
            _ => None,
        };
        // A definition and its template invocation (see `compact.rs`).
        let templated = |definition: TokenStream, invocation: TokenStream| {
            let borrowed = self.borrowed_item(id);
            quote! {
                #doc
                #allow
                #extra_attrs
                #definition

                #invocation
                #borrowed
            }
        };
        if let Some((definition, invocation)) = compact {
            return Ok(templated(definition, invocation));
        }
        let json_impl = self.json_impl(t);
        let parts = match &t.kind {
            DefKind::Record { fields } => self.record(id, fields)?,
            DefKind::Enum { variants, default } => {
                let vs: Vec<TokenStream> = variants
                    .iter()
                    .map(|v| {
                        let i = ident(&v.ident);
                        let r = self.serde_rename(&v.ident, &v.avro_name);
                        let doc = Self::symbol_doc(v);
                        quote!(#doc #r #i)
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
                let definition = quote! {
                    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                    #transparent
                    pub struct #name(#with pub [u8; #n]);
                };
                if let Some(invocation) = self.compact_newtype(id)? {
                    return Ok(templated(definition, invocation));
                }
                ItemParts {
                    definition,
                    encode: quote!(#rt::encode::write_fixed(__out, &self.0);),
                    decode: quote!(::core::result::Result::Ok(Self(__r.read_fixed::<#n>()?))),
                    // Fixed reads only as the same fixed: identity.
                    decode_resolved: None,
                    extra: quote!(),
                }
            }
            DefKind::Union { variants } => self.union(id, variants)?,
            DefKind::Wrapper { ty } => {
                let rty = self.rust_ty(ty, from);
                let with = self.serde_with(ty);
                let derives = self.value_derives(id);
                let definition = quote! {
                    #[derive(Debug, Clone, PartialEq #derives)]
                    pub struct #name(#with pub #rty);
                };
                if let Some(invocation) = self.compact_newtype(id)? {
                    return Ok(templated(definition, invocation));
                }
                let enc = self.encode_stmts(ty, quote!(&self.0), 0);
                let dec = self.decode_expr(ty, &[], 0, from);
                let resolved = self.resolved_expr(ty, &quote!(__p), &[], 0, from);
                ItemParts {
                    definition,
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
        let (known_writer, known_fns) = self.known_writers(id)?;
        // The smallest encoding, which bounds the block counts of arrays
        // and maps of this type read through `Field` (0 is the default).
        let min = self.min_size(&Ty::Def { id, boxed: false }, &mut Vec::new());
        let min_bytes = (min > 0).then(|| {
            let min = Literal::usize_unsuffixed(min);
            quote!(const MIN_BYTES: usize = #min;)
        });
        let decode_body = self.depth_guarded(id, decode_body);
        let decode_into = self.decode_into_method(id);
        let borrowed = self.borrowed_item(id);
        let decode_resolved = decode_resolved.map(|body| {
            let body = self.depth_guarded(id, body);
            quote! {
                #[inline]
                fn decode_resolved(__r: &mut #rt::Reader<'_>, __p: #rt::resolve::PlanNode<'_>) -> ::core::result::Result<Self, #rt::DecodeError> {
                    #body
                }
            }
        });
        // The impls need fewer lints allowed than the definition (no
        // user text in their docs, unless a known writer's note quotes a schema).
        let impl_allow = if known_writer.is_empty() {
            quote! {
                #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
                #[allow(unused_qualifications, unreachable_code)]
            }
        } else {
            quote!(#allow #[allow(unreachable_code)])
        };
        let impls = self.short.block(
            rt,
            impl_allow,
            quote! {
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
                    #min_bytes
                    #[inline]
                    fn decode(__r: &mut #rt::Reader<'_>) -> ::core::result::Result<Self, #rt::DecodeError> {
                        #decode_body
                    }
                    #decode_resolved
                    #known_writer
                    #decode_into
                }
                #known_fns
                #extra
                #json_impl
            },
        );
        Ok(quote! {
            #doc
            #allow
            #extra_attrs
            #definition

            #impls
            #borrowed
        })
    }

    /// A record field's definition in its struct (docs, serde attributes).
    pub(super) fn field_def(&self, f: &FieldDef, ty: &TokenStream) -> TokenStream {
        let fi = ident(&f.ident);
        let doc = Self::field_doc(f);
        let rename = self.serde_rename(&f.ident, &f.avro_name);
        let with = self.serde_with(&f.ty);
        quote!(#doc #rename #with pub #fi: #ty)
    }

    /// A field's schema default as a Rust expression, if it has one.
    pub(super) fn field_default(
        &self,
        t: &TypeDef,
        f: &FieldDef,
    ) -> Result<Option<TokenStream>, CodegenError> {
        let Some(d) = &f.default else {
            return Ok(None);
        };
        self.default_expr(&f.ty, d, &t.module)
            .map(Some)
            .map_err(|e| {
                CodegenError::Default(format!("field {:?} of {}: {e}", f.avro_name, t.avro_name))
            })
    }

    /// `Default` for a record wherever its constructor needs no argument:
    /// every field has a schema default or is optional (then `None`). Not
    /// where a field is required: the schema gives it no value to invent.
    pub(super) fn record_default_impl(
        &self,
        t: &TypeDef,
        fields: &[FieldDef],
        has_args: bool,
    ) -> TokenStream {
        let name = ident(&t.ident);
        let user_default = self.user_derives(t).iter().any(|d| d == "Default");
        if fields.is_empty() || has_args || user_default {
            return quote!();
        }
        quote! {
            impl ::core::default::Default for #name {
                /// Every field set to its schema default (`None` for an optional field without one).
                fn default() -> Self { Self::new() }
            }
        }
    }

    /// Each field's pieces of a record's impls: `access` gives the
    /// reference expression of a field to encode (`&self.name`, or a
    /// binding of a struct variant's field).
    pub(super) fn record_pieces(
        &self,
        t: &TypeDef,
        fields: &[FieldDef],
        access: &dyn Fn(&Ident) -> TokenStream,
    ) -> Result<RecordPieces, CodegenError> {
        let rt = &self.rt;
        let from = &t.module;
        let mut p = RecordPieces::default();
        for (k, f) in fields.iter().enumerate() {
            let fi = ident(&f.ident);
            let ty = self.rust_ty(&f.ty, from);
            p.defs.push(self.field_def(f, &ty));
            p.enc.push(self.encode_stmts(&f.ty, access(&fi), 0));
            let local = format_ident!("__f{}", k);
            let avro = &f.avro_name;
            let chain = [quote!(.avro_field(#avro))];
            let dec = self.decode_expr(&f.ty, &chain, 0, from);
            p.lets.push(quote!(let #local = #dec;));
            p.inits.push(quote!(#fi: #local));
            p.direct_inits.push(quote!(#fi: #dec));

            // The slot's type is inferred from the struct field it fills
            // (struct variants of derived enums; records use `record_resolved`).
            p.slots
                .push(quote!(let mut #local = ::core::option::Option::None;));
            let resolved = self.resolved_expr(&f.ty, &quote!(__n), &chain, 0, from);
            let kl = Literal::usize_unsuffixed(k);
            p.arms.push(quote!(::core::option::Option::Some(#kl) => #local = ::core::option::Option::Some(#resolved)));
            // Each default once: for the resolved decoder, the constructor and the Default impl.
            let default = self.field_default(t, f)?;
            p.resolved_inits.push(match &default {
                Some(default) => quote!(#fi: #local.unwrap_or_else(|| #default)),
                // A plan never leaves a field without default unfilled.
                None => quote!(#fi: #rt::resolve::required(#local, #avro)?),
            });
            match (&default, &f.ty) {
                (Some(default), _) => p.new_inits.push(quote!(#fi: #default)),
                (None, Ty::Option { .. }) => {
                    p.new_inits.push(quote!(#fi: ::core::option::Option::None));
                }
                (None, _) => {
                    p.new_args.push(quote!(#fi: #ty));
                    p.new_inits.push(quote!(#fi));
                }
            }
            if let Some(default) = &default {
                p.default_vals.push(quote!(#fi: #default));
            }
            p.defaults.push(default);
        }
        Ok(p)
    }

    pub(super) fn record(&self, id: DefId, fields: &[FieldDef]) -> Result<ItemParts, CodegenError> {
        let t = &self.ir.types[id];
        let name = ident(&t.ident);
        let from = &t.module;
        let RecordPieces {
            defs,
            enc,
            direct_inits,
            defaults,
            new_args,
            new_inits,
            ..
        } = self.record_pieces(t, fields, &|fi| quote!(&self.#fi))?;
        let new_doc = doc_lines(&format!(
            "A `{}` from its fields without schema default (in schema order); the others take their defaults (`None` where optional without one).",
            t.ident.trim_start_matches("r#")
        ));
        let constructor = quote! {
            impl #name {
                #new_doc
                #[must_use]
                // dead_code: a binary crate that never calls it must not warn.
                #[allow(clippy::too_many_arguments, dead_code)]
                pub fn new(#(#new_args),*) -> Self {
                    Self { #(#new_inits,)* }
                }
            }
        };
        let default_impl = self.record_default_impl(t, fields, !new_args.is_empty());
        let decode_resolved = self.record_resolved(fields, &defaults, from);
        let derives = self.value_derives(id);
        Ok(ItemParts {
            definition: quote! {
                #[derive(Debug, Clone, PartialEq #derives)]
                pub struct #name { #(#defs,)* }
            },
            encode: self.record_encode(fields, enc),
            decode: quote!(::core::result::Result::Ok(Self { #(#direct_inits,)* })),
            decode_resolved: Some(decode_resolved),
            extra: quote!(#default_impl #constructor),
        })
    }

    /// A union of more than `null` and one type: an enum, one variant per
    /// branch. Each branch is read in one arm of a function shared by the
    /// decoders (`__branch`, given the branch's plan where it reads another
    /// writer's data, none for its own: one line per branch), and
    /// an error is given its branch's name once, from a table (`__NAMES`),
    /// instead of at every arm.
    pub(super) fn union(
        &self,
        id: DefId,
        variants: &[VariantDef],
    ) -> Result<ItemParts, CodegenError> {
        let t = &self.ir.types[id];
        let rt = &self.rt;
        let name = ident(&t.ident);
        let from = &t.module;
        let n = Literal::usize_unsuffixed(variants.len());
        let mut defs = Vec::new();
        let mut enc_arms = Vec::new();
        let mut arms = Vec::new();
        let mut names = Vec::new();
        for (k, v) in variants.iter().enumerate() {
            let vi = ident(&v.ident);
            let rename = self.serde_rename(&v.ident, &v.avro_name);
            let doc = Self::branch_doc(v);
            let idx = byte_lits(&index_bytes(k));
            let pat = if k + 1 == variants.len() {
                quote!(_)
            } else {
                let k = Literal::usize_unsuffixed(k);
                quote!(#k)
            };
            names.push(v.avro_name.as_str());
            match &v.ty {
                None => {
                    defs.push(quote!(#doc #rename #vi));
                    enc_arms.push(quote!(Self::#vi => __out.extend_from_slice(&[#(#idx),*]),));
                    arms.push(quote!(#pat => #name::#vi));
                }
                Some(ty) => {
                    let rty = self.rust_ty(ty, from);
                    let with = self.serde_with(ty);
                    defs.push(quote!(#doc #rename #vi(#with #rty)));
                    if self.field_scalar(ty) {
                        let k = Literal::usize_unsuffixed(k);
                        enc_arms.push(
                            quote!(Self::#vi(__x) => #rt::field::write_branch(__out, #k, __x)?,),
                        );
                    } else {
                        let body = self.encode_stmts(ty, quote!(__x), 1);
                        enc_arms.push(
                            quote!(Self::#vi(__x) => { __out.extend_from_slice(&[#(#idx),*]); #body }),
                        );
                    }
                    // Field types in one generic call; others as a match
                    // on whether there is a plan.
                    let read = if self.field_scalar(ty) {
                        quote!(#rt::field::read_or_resolve(__r, __n)?)
                    } else {
                        let dec = self.decode_expr(ty, &[], 1, from);
                        let res = self.resolved_expr(ty, &quote!(__n), &[], 1, from);
                        quote! {
                            match __n {
                                ::core::option::Option::None => #dec,
                                ::core::option::Option::Some(__n) => #res,
                            }
                        }
                    };
                    arms.push(quote!(#pat => #name::#vi(#read)));
                }
            }
        }
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
        let derives = self.value_derives(id);
        let result = quote!(::core::result::Result<#name, #rt::DecodeError>);
        Ok(ItemParts {
            definition: quote! {
                #[derive(Debug, Clone, PartialEq #derives)]
                pub enum #name { #(#defs,)* }
            },
            encode: quote!(match self { #(#enc_arms)* }),
            decode: quote! {
                let __i = __r.read_union_index(#n)?;
                __branch(__r, __i, ::core::option::Option::None).avro_branch(__NAMES[__i])
            },
            // The plan maps each writer branch (or a non-union writer value)
            // to a reader branch.
            decode_resolved: Some(quote! {
                if __p.is_identity() {
                    return <Self as #rt::Decode>::decode(__r);
                }
                let (__i, __n) = __p.union_branch(__r)?;
                __branch(__r, __i, ::core::option::Option::Some(__n)).avro_branch(__NAMES[__i])
            }),
            extra: quote! {
                const __NAMES: &[&str] = &[#(#names),*];
                #[inline(always)]
                fn __branch(__r: &mut #rt::Reader<'_>, __i: usize, __n: ::core::option::Option<#rt::resolve::PlanNode<'_>>) -> #result {
                    ::core::result::Result::Ok(match __i { #(#arms,)* })
                }
            },
        })
    }
}
