//! Records, unions, Avro enums, fixed types and top-level newtypes as one
//! invocation each of the runtime's templates (`record!`, `union!`,
//! `enumeration!`, `newtype!`; see
//! `avro_runtime::record`): the definition is written out, and its impls are
//! the template filled with what differs per type (issue 17: a few times the
//! schema's size instead of twenty). The expansion is the code the other
//! emitters write (`record`, `union`, `record_encode`, `record_resolved`,
//! `decode_into_method`), each field or branch read and written by one
//! generic `Field`/`FieldWrite` call (or, for a field whose Rust type does
//! not say its Avro type, a module of the runtime's `field`: `[T, "null"]`,
//! `uuid`, `decimal`, and these two in a union with `null`); types with
//! other fields or branches (`uuid` or `decimal` in a collection, derived
//! conversions), with known writers, or under `Options::expand_records` are
//! written out by those emitters.

use super::*;

impl Emitter<'_> {
    /// The `schema [...]` input of type `id`'s invocation (see
    /// [`Self::compact_schema`]), or `None` where the type is written out:
    /// where the options ask for that, where a generated type takes the
    /// templates' alias name `__g` (the written-out form's alias steps
    /// aside), where the type has known-writer decoders, or for derived types.
    fn compact_input(&self, id: DefId) -> Result<Option<TokenStream>, CodegenError> {
        if self.opts.expand_records
            || self.short.alias_name() != "__g"
            || !self.known_writers(id)?.0.is_empty()
        {
            return Ok(None);
        }
        Ok(self.compact_schema(&self.ir.types[id]))
    }

    /// The `schema [...]` input of the macros: fingerprint, schema text and
    /// canonical form (`same` or `lazy`), or the `AvroSchema` impl
    /// written out for schemas embedded in a schema set; nothing for a type
    /// without a schema of its own (a union inside a record); `None` for
    /// derived types (whose texts are composed).
    fn compact_schema(&self, t: &TypeDef) -> Option<TokenStream> {
        let Some(text) = t.schema.as_ref() else {
            return Some(quote!());
        };
        Some(match &text.source {
            SchemaSource::Composed { .. } => return None,
            SchemaSource::Inline { json, canonical } => {
                let fp = Literal::u64_suffixed(text.fingerprint);
                let json_lit = schema::raw_str(json);
                // The canonical form is built from the schema text on first
                // use (`lazy`, a `OnceLock` per type in the template) rather
                // than stored a second time: for small schemas it was a
                // sixth of the output.
                let canonical = if canonical == json {
                    quote!(same)
                } else {
                    quote!(lazy)
                };
                quote!(#fp #json_lit #canonical)
            }
            SchemaSource::Embedded(_) => {
                let items = self.schema_impl(t);
                quote!({ #items })
            }
        })
    }

    /// The struct and the `record!` invocation of record `id`, or `None`
    /// where the record is written out instead (see the module doc).
    pub(super) fn compact_record(
        &self,
        id: DefId,
        fields: &[FieldDef],
    ) -> Result<Option<(TokenStream, TokenStream)>, CodegenError> {
        let t = &self.ir.types[id];
        // `field_codec` is `None` for every `Field` type, so each field is
        // one or the other.
        if !fields
            .iter()
            .all(|f| self.field_ty(&f.ty) || self.field_codec(&f.ty).is_some())
        {
            return Ok(None);
        }
        let Some(schema) = self.compact_input(id)? else {
            return Ok(None);
        };
        let rt = &self.rt;
        let name = ident(&t.ident);
        let from = &t.module;
        let avro_short = t.avro_name.rsplit('.').next().unwrap_or(&t.avro_name);
        let min = Literal::usize_unsuffixed(
            self.min_size(&Ty::Def { id, boxed: false }, &mut Vec::new()),
        );
        let nested = self.recursive[id].then(|| quote!(nested));
        let (mut defs, mut entries, mut args, mut others) = (vec![], vec![], vec![], vec![]);
        let (mut fixed, mut lens) = (0usize, Vec::new());
        for (k, f) in fields.iter().enumerate() {
            let fi = ident(&f.ident);
            let ty = self.rust_ty(&f.ty, from);
            defs.push(self.field_def(f, &ty));
            // Fields whose Rust type does not say their Avro type are read
            // and written by a module of `field` (`[T, "null"]`, uuid, decimal).
            let codec = self.field_codec(&f.ty).map(|(c, size)| {
                let c = format_ident!("{c}");
                let size = size.map(Literal::usize_unsuffixed);
                quote!([#c #size])
            });
            let had = lens.len();
            self.encode_bound(&f.ty, quote!(), &mut fixed, &mut lens);
            if lens.len() > had {
                lens.truncate(had);
                lens.push(quote!(#fi #codec));
            }
            let default = self.field_default(t, f)?;
            let k = Literal::usize_unsuffixed(k);
            let avro = &f.avro_name;
            entries.push(quote!(#k #fi #avro [#default] #codec;));
            match (default, &f.ty) {
                (Some(d), _) => others.push(quote!(#fi: #d)),
                (None, Ty::Option { .. }) => others.push(quote!(#fi: ::core::option::Option::None)),
                (None, _) => args.push(quote!(#fi: #ty)),
            }
        }
        let reserve = (fixed > 0 || !lens.is_empty()).then(|| {
            let fixed = Literal::usize_unsuffixed(fixed);
            quote!(reserve #fixed (#(#lens)*);)
        });
        let default_impl = self.record_default_impl(t, fields, !args.is_empty());
        let json_impl = self.json_impl(t);
        let derives = self.value_derives(id);
        let definition = quote! {
            #[derive(Debug, Clone, PartialEq #derives)]
            pub struct #name { #(#defs,)* }
        };
        let input = self.short.rewrite(quote! {
            #name #avro_short min #min [#nested]
            schema [#schema]
            #reserve
            fields { #(#entries)* }
            new (#(#args),*) { #(#others),* }
            extra { #default_impl #json_impl }
        });
        Ok(Some((
            definition,
            quote!(#rt::__private::record! { #input }),
        )))
    }
}

impl Emitter<'_> {
    /// The enum and the `union!` invocation of union `id`, or `None` where
    /// it is written out (a branch that is not `null` or a `Field` type, or
    /// no branch).
    pub(super) fn compact_union(
        &self,
        id: DefId,
        variants: &[VariantDef],
    ) -> Result<Option<(TokenStream, TokenStream)>, CodegenError> {
        let t = &self.ir.types[id];
        if variants.is_empty()
            || !variants
                .iter()
                .all(|v| v.ty.as_ref().is_none_or(|ty| self.field_ty(ty)))
        {
            return Ok(None);
        }
        let Some(schema) = self.compact_input(id)? else {
            return Ok(None);
        };
        let rt = &self.rt;
        let name = ident(&t.ident);
        let from = &t.module;
        let (mut defs, mut entries) = (Vec::new(), Vec::new());
        for (k, v) in variants.iter().enumerate() {
            let vi = ident(&v.ident);
            let rename = self.serde_rename(&v.ident, &v.avro_name);
            let doc = Self::branch_doc(v);
            let kind = match &v.ty {
                None => {
                    defs.push(quote!(#doc #rename #vi));
                    quote!(unit)
                }
                Some(ty) => {
                    let rty = self.rust_ty(ty, from);
                    let with = self.serde_with(ty);
                    defs.push(quote!(#doc #rename #vi(#with #rty)));
                    quote!(value)
                }
            };
            let bytes = byte_lits(&index_bytes(k));
            let kl = Literal::usize_unsuffixed(k);
            let avro = &v.avro_name;
            entries.push(quote!(#kl #vi #avro #kind [#(#bytes),*];));
        }
        let last = entries.pop();
        let n = Literal::usize_unsuffixed(variants.len());
        let avro_name = t.avro_name.rsplit('.').next().unwrap_or(&t.avro_name);
        let nested = self.recursive[id].then(|| quote!(nested));
        let json_impl = self.json_impl(t);
        let derives = self.value_derives(id);
        let definition = quote! {
            #[derive(Debug, Clone, PartialEq #derives)]
            pub enum #name { #(#defs,)* }
        };
        let input = self.short.rewrite(quote! {
            #name #avro_name #n [#nested]
            schema [#schema]
            branches { #(#entries)* }
            last #last
            extra { #json_impl }
        });
        Ok(Some((
            definition,
            quote!(#rt::__private::union! { #input }),
        )))
    }
}

impl Emitter<'_> {
    /// The enum and the `enumeration!` invocation of Avro enum `id` (with a
    /// symbol at least), or `None` where it is written out.
    pub(super) fn compact_enum(
        &self,
        id: DefId,
        variants: &[VariantDef],
        default: Option<usize>,
    ) -> Result<Option<(TokenStream, TokenStream)>, CodegenError> {
        let t = &self.ir.types[id];
        if variants.is_empty() {
            return Ok(None);
        }
        let Some(schema) = self.compact_input(id)? else {
            return Ok(None);
        };
        let rt = &self.rt;
        let name = ident(&t.ident);
        let mut defs = Vec::new();
        let mut symbols = Vec::new();
        for (k, v) in variants.iter().enumerate() {
            let vi = ident(&v.ident);
            let r = self.serde_rename(&v.ident, &v.avro_name);
            let doc = Self::symbol_doc(v);
            defs.push(quote!(#doc #r #vi));
            let k = Literal::usize_unsuffixed(k);
            symbols.push(quote!(#k #vi;));
        }
        symbols.pop();
        let last = ident(&variants[variants.len() - 1].ident);
        let n = Literal::usize_unsuffixed(variants.len());
        let avro_short = t.avro_name.rsplit('.').next().unwrap_or(&t.avro_name);
        let default_impl = default.map(|d| {
            let i = ident(&variants[d].ident);
            quote! {
                impl ::core::default::Default for #name {
                    fn default() -> Self { Self::#i }
                }
            }
        });
        let json_impl = self.json_impl(t);
        let definition = quote! {
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #name { #(#defs,)* }
        };
        let input = self.short.rewrite(quote! {
            #name #avro_short #n
            schema [#schema]
            symbols { #(#symbols)* } last #last;
            extra { #default_impl #json_impl }
        });
        Ok(Some((
            definition,
            quote!(#rt::__private::enumeration! { #input }),
        )))
    }
}

impl Emitter<'_> {
    /// The module of `avro_runtime::field` that reads and writes a record
    /// field of type `ty` whose Rust type does not say its Avro type, with
    /// its size parameter for `decimal` over `fixed`: `[T, "null"]` around a
    /// `Field` type (`null_second`), `uuid` over string or fixed, `decimal`
    /// over bytes or fixed, and these in a union with `null`
    /// (`null_first_uuid_string`, ...). `None` for the others.
    fn field_codec(&self, ty: &Ty) -> Option<(String, Option<usize>)> {
        fn logical(ty: &Ty) -> Option<(&'static str, Option<usize>)> {
            match ty {
                Ty::Logical(LogicalTy::UuidString) => Some(("uuid_string", None)),
                Ty::Logical(LogicalTy::UuidFixed) => Some(("uuid_fixed", None)),
                Ty::Logical(LogicalTy::DecimalBytes { .. }) => Some(("decimal_bytes", None)),
                Ty::Logical(LogicalTy::DecimalFixed { size, .. }) => {
                    Some(("decimal_fixed", Some(*size)))
                }
                _ => None,
            }
        }
        match ty {
            Ty::Option {
                null_index: 1,
                inner,
                ..
            } if self.field_ty(inner) => Some(("null_second".to_owned(), None)),
            Ty::Option {
                null_index, inner, ..
            } => {
                let (base, size) = logical(inner)?;
                let order = if *null_index == 0 { "first" } else { "second" };
                Some((format!("null_{order}_{base}"), size))
            }
            _ => logical(ty).map(|(base, size)| (base.to_owned(), size)),
        }
    }

    /// The `newtype!` invocation of an Avro fixed or of a top-level schema
    /// that is not a named type (a `Field` type wrapped), or `None` where
    /// the impls are written out. The definition stays with the caller.
    pub(super) fn compact_newtype(&self, id: DefId) -> Result<Option<TokenStream>, CodegenError> {
        let t = &self.ir.types[id];
        let kind = match &t.kind {
            DefKind::Fixed { size } => {
                let n = Literal::usize_unsuffixed(*size);
                quote!(fixed #n)
            }
            DefKind::Wrapper { ty } if self.field_ty(ty) => quote!(field),
            _ => return Ok(None),
        };
        let Some(schema) = self.compact_input(id)? else {
            return Ok(None);
        };
        let rt = &self.rt;
        let name = ident(&t.ident);
        let avro_short = t.avro_name.rsplit('.').next().unwrap_or(&t.avro_name);
        let min = Literal::usize_unsuffixed(
            self.min_size(&Ty::Def { id, boxed: false }, &mut Vec::new()),
        );
        let json_impl = self.json_impl(t);
        let input = self.short.rewrite(quote! {
            #name #avro_short min #min
            schema [#schema]
            #kind
            extra { #json_impl }
        });
        Ok(Some(quote!(#rt::__private::newtype! { #input })))
    }
}
