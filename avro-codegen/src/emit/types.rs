//! Type definitions (structs, enums, newtypes) with their attributes and derives, and how each kind's parts are put together into one item.

use super::*;

impl Emitter<'_> {
    pub(super) fn doc_attr(doc: &Option<String>) -> TokenStream {
        match doc {
            Some(d) => {
                let d = format!(" {}", d.trim());
                quote!(#[doc = #d])
            }
            None => quote!(),
        }
    }

    pub(super) fn extra_type_attrs(&self, t: &TypeDef) -> Result<TokenStream, CodegenError> {
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

    pub(super) fn record(
        &self,
        t: &TypeDef,
        fields: &[FieldDef],
    ) -> Result<ItemParts, CodegenError> {
        let name = ident(&t.ident);
        let from = &t.module;
        let mut defs = Vec::new();
        let mut enc = Vec::new();
        let mut lets = Vec::new();
        let mut inits = Vec::new();
        let mut defaults = Vec::new();
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
            if let Some(default) = &default {
                default_vals.push(quote!(#fi: #default));
            }
            defaults.push(default);
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
        let decode_resolved = self.record_resolved(fields, &defaults, from);
        Ok(ItemParts {
            definition: quote! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct #name { #(#defs,)* }
            },
            encode: self.record_encode(fields, enc),
            decode: quote! {
                #(#lets)*
                ::core::result::Result::Ok(Self { #(#inits,)* })
            },
            decode_resolved: Some(decode_resolved),
            extra: default_impl,
        })
    }

    pub(super) fn union(
        &self,
        t: &TypeDef,
        variants: &[VariantDef],
    ) -> Result<ItemParts, CodegenError> {
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
