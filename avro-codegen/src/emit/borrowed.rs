//! Borrowed types (`Options::borrowed`): beside each record, union and
//! newtype that holds strings, bytes, decimals or maps, a `<Name>Ref<'a>`
//! whose strings are `&'a str`, bytes and decimals `&'a [u8]` (a decimal's
//! big-endian two's-complement bytes), arrays `Vec`s of borrowed items and
//! maps `Vec<(&'a str, V)>` in wire order; with `DecodeBorrowed<'a>`
//! (zero-copy decoding), `Encode` (filter and forward without copying),
//! `AvroSchema` (the owned type's) and `to_owned()`. The owned type
//! implements `Borrowable`; a type with nothing to borrow (enums, fixed,
//! records of numbers) is its own borrowed type.

use super::decode::{array_loop, block_count, err_of, item_chain, option_match};
use super::*;

/// Per type: whether it holds something to borrow (see the module doc),
/// through fields, options, arrays, union branches and named types.
pub(super) fn borrows_per_type(ir: &Ir) -> Vec<bool> {
    fn leaf(ty: &Ty, refs: &mut Vec<DefId>) -> bool {
        match ty {
            Ty::String | Ty::Bytes | Ty::Map(_) => true,
            Ty::Logical(LogicalTy::DecimalBytes { .. } | LogicalTy::DecimalFixed { .. }) => true,
            Ty::Array(t) | Ty::Option { inner: t, .. } => leaf(t, refs),
            Ty::Def { id, .. } => {
                refs.push(*id);
                false
            }
            _ => false,
        }
    }
    let (mut borrows, refs): (Vec<bool>, Vec<Vec<DefId>>) = ir
        .types
        .iter()
        .map(|t| {
            let mut refs = Vec::new();
            let tys: Vec<&Ty> = match &t.kind {
                DefKind::Record { fields } => fields.iter().map(|f| &f.ty).collect(),
                DefKind::Union { variants } => {
                    variants.iter().filter_map(|v| v.ty.as_ref()).collect()
                }
                DefKind::Wrapper { ty } => vec![ty],
                DefKind::Enum { .. } | DefKind::Fixed { .. } => Vec::new(),
            };
            let mut own = false;
            for ty in tys {
                own |= leaf(ty, &mut refs);
            }
            (own, refs)
        })
        .unzip();
    loop {
        let mut changed = false;
        for (i, r) in refs.iter().enumerate() {
            if !borrows[i] && r.iter().any(|&j| borrows[j]) {
                borrows[i] = true;
                changed = true;
            }
        }
        if !changed {
            return borrows;
        }
    }
}

/// Per type: the ident of its borrowed type (`<Name>Ref`, with more `Ref`
/// while that names another type of the module).
pub(super) fn ref_names(ir: &Ir, borrows: &[bool]) -> Vec<Option<String>> {
    let taken: std::collections::HashSet<(&[String], &str)> = ir
        .types
        .iter()
        .map(|t| (t.module.as_slice(), t.ident.trim_start_matches("r#")))
        .collect();
    ir.types
        .iter()
        .zip(borrows)
        .map(|(t, &b)| {
            b.then(|| {
                let mut name = format!("{}Ref", t.ident.trim_start_matches("r#"));
                while taken.contains(&(t.module.as_slice(), name.as_str())) {
                    name.push_str("Ref");
                }
                name
            })
        })
        .collect()
}

impl Emitter<'_> {
    fn ty_borrows(&self, ty: &Ty) -> bool {
        match ty {
            Ty::String | Ty::Bytes | Ty::Map(_) => true,
            Ty::Logical(LogicalTy::DecimalBytes { .. } | LogicalTy::DecimalFixed { .. }) => true,
            Ty::Array(t) | Ty::Option { inner: t, .. } => self.ty_borrows(t),
            Ty::Def { id, .. } => self.borrows[*id],
            _ => false,
        }
    }

    /// Path from `from` to the borrowed type of `id` (without lifetime).
    fn ref_path(&self, id: DefId, from: &[String]) -> TokenStream {
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
        let name = format_ident!("{}", self.ref_names[id].as_deref().unwrap_or("_"));
        quote!(#(#supers)* #(#down)* #name)
    }

    /// The borrowed Rust type of `ty` (lifetime `'a`).
    fn ref_ty(&self, ty: &Ty, from: &[String]) -> TokenStream {
        if !self.ty_borrows(ty) {
            return self.rust_ty(ty, from);
        }
        match ty {
            Ty::String => quote!(&'a str),
            Ty::Bytes | Ty::Logical(_) => quote!(&'a [u8]),
            Ty::Array(items) => {
                let i = self.ref_ty(items, from);
                quote!(::std::vec::Vec<#i>)
            }
            Ty::Map(values) => {
                let v = self.ref_ty(values, from);
                quote!(::std::vec::Vec<(&'a str, #v)>)
            }
            Ty::Option { inner, .. } => {
                let i = self.ref_ty(inner, from);
                quote!(::core::option::Option<#i>)
            }
            Ty::Def { id, boxed } => {
                let p = self.ref_path(*id, from);
                if *boxed {
                    quote!(::std::boxed::Box<#p<'a>>)
                } else {
                    quote!(#p<'a>)
                }
            }
            _ => self.rust_ty(ty, from),
        }
    }

    /// An expression decoding the borrowed form of `ty` from `__r` (a `Reader<'a>`).
    fn ref_decode(
        &self,
        ty: &Ty,
        chain: &[TokenStream],
        depth: usize,
        from: &[String],
    ) -> TokenStream {
        if !self.ty_borrows(ty) {
            return self.decode_expr(ty, chain, depth, from);
        }
        let rt = &self.rt;
        let err = err_of(chain);
        match ty {
            Ty::String => quote!(__r.read_str() #err),
            Ty::Bytes | Ty::Logical(LogicalTy::DecimalBytes { .. }) => {
                quote!(__r.read_bytes_ref() #err)
            }
            Ty::Logical(LogicalTy::DecimalFixed { size, .. }) => {
                let n = Literal::usize_unsuffixed(*size);
                quote!(__r.take(#n) #err)
            }
            Ty::Array(items) => {
                let min = self.min_size(items, &mut Vec::new());
                let item = self.ref_decode(items, &item_chain(depth, chain), depth + 1, from);
                array_loop(depth, block_count(min, &err), item, None)
            }
            Ty::Map(values) => {
                let m = format_ident!("__m{}", depth);
                let n = format_ident!("__n{}", depth);
                let k = format_ident!("__k{}", depth);
                let min = Literal::usize_unsuffixed(1 + self.min_size(values, &mut Vec::new()));
                let mut inner_chain = vec![quote!(.avro_key(#k))];
                inner_chain.extend_from_slice(chain);
                let value = self.ref_decode(values, &inner_chain, depth + 1, from);
                quote! {{
                    let mut #m = ::std::vec::Vec::new();
                    loop {
                        let #n = __r.read_block_count(#min, #m.len()) #err;
                        if #n == 0 { break; }
                        __r.reserve(&mut #m, #n);
                        for _ in 0..#n {
                            let #k = __r.read_str() #err;
                            #m.push((#k, #value));
                        }
                    }
                    #m
                }}
            }
            Ty::Option {
                null_index, inner, ..
            } => option_match(
                *null_index,
                &err,
                self.ref_decode(inner, chain, depth + 1, from),
            ),
            Ty::Def { .. } => {
                let t = self.ref_ty(ty, from);
                quote!(<#t as #rt::DecodeBorrowed<'a>>::decode_ref(__r) #err)
            }
            _ => self.decode_expr(ty, chain, depth, from),
        }
    }

    /// Statements encoding the borrowed value behind the reference `val`.
    fn ref_encode(&self, ty: &Ty, val: TokenStream, depth: usize) -> TokenStream {
        if !self.ty_borrows(ty) {
            return self.encode_stmts(ty, val, depth);
        }
        let rt = &self.rt;
        let enc = quote!(#rt::encode);
        match ty {
            Ty::String => quote!(#enc::write_str(__out, #val);),
            Ty::Bytes | Ty::Logical(LogicalTy::DecimalBytes { .. }) => {
                quote!(#enc::write_bytes(__out, #val);)
            }
            Ty::Logical(LogicalTy::DecimalFixed { size, .. }) => {
                // A borrowed fixed decimal was read as `size` bytes; one
                // built by hand must have that size too.
                let n = Literal::usize_unsuffixed(*size);
                quote! {
                    if (#val).len() != #n {
                        return ::core::result::Result::Err(#rt::EncodeError::DecimalOverflow {
                            needed: (#val).len(),
                            size: #n,
                        });
                    }
                    #enc::write_fixed(__out, #val);
                }
            }
            Ty::Array(items) => {
                let x = format_ident!("__x{}", depth);
                let inner = self.ref_encode(items, quote!(#x), depth + 1);
                self.encode_block(val, quote!(#x), inner, depth)
            }
            Ty::Map(values) => {
                let x = format_ident!("__x{}", depth);
                let k = format_ident!("__k{}", depth);
                let inner = self.ref_encode(values, quote!(#x), depth + 1);
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
                let inner = self.ref_encode(inner, quote!(#x), depth + 1);
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
            _ => quote!(#rt::Encode::encode(#val, __out)?;),
        }
    }

    /// An expression giving the owned value of the borrowed one behind the reference `val`.
    fn ref_to_owned(
        &self,
        ty: &Ty,
        val: TokenStream,
        depth: usize,
        from: &[String],
    ) -> TokenStream {
        if !self.ty_borrows(ty) {
            return quote!(::core::clone::Clone::clone(#val));
        }
        let rt = &self.rt;
        match ty {
            Ty::String => quote!(::std::string::String::from(*#val)),
            Ty::Bytes => quote!(<[u8]>::to_vec(*#val)),
            Ty::Logical(_) => quote!(#rt::Decimal::from_be_bytes(<[u8]>::to_vec(*#val))),
            Ty::Array(items) => {
                let x = format_ident!("__x{}", depth);
                let inner = self.ref_to_owned(items, quote!(#x), depth + 1, from);
                quote!((#val).iter().map(|#x| #inner).collect::<::std::vec::Vec<_>>())
            }
            Ty::Map(values) => {
                let m = format_ident!("__m{}", depth);
                let k = format_ident!("__k{}", depth);
                let x = format_ident!("__x{}", depth);
                let map_ty = self.rust_ty(ty, from);
                let inner = self.ref_to_owned(values, quote!(#x), depth + 1, from);
                let reserve = if self.map_reserves() {
                    quote!(#m.reserve((#val).len());)
                } else {
                    quote!()
                };
                quote! {{
                    let mut #m: #map_ty = ::core::default::Default::default();
                    #reserve
                    for (#k, #x) in (#val).iter() {
                        #m.insert(::std::string::String::from(*#k), #inner);
                    }
                    #m
                }}
            }
            Ty::Option { inner, .. } => {
                let x = format_ident!("__x{}", depth);
                let inner = self.ref_to_owned(inner, quote!(#x), depth + 1, from);
                quote!((#val).as_ref().map(|#x| #inner))
            }
            Ty::Def { id, boxed } => {
                let owned = self.path_to(*id, from);
                if *boxed {
                    quote!(::std::boxed::Box::new(<#owned as #rt::Borrowable>::from_ref(&**#val)))
                } else {
                    quote!(<#owned as #rt::Borrowable>::from_ref(#val))
                }
            }
            _ => quote!(::core::clone::Clone::clone(#val)),
        }
    }

    /// The borrowed type of `id` and its impls, with `Borrowable` on the
    /// owned type (nothing unless `Options::borrowed`).
    pub(super) fn borrowed_item(&self, id: DefId) -> TokenStream {
        if !self.opts.borrowed {
            return quote!();
        }
        let t = &self.ir.types[id];
        let rt = &self.rt;
        let name = ident(&t.ident);
        let from = &t.module;
        let avro_short = t.avro_name.rsplit('.').next().unwrap_or(&t.avro_name);
        let allow = quote!(#[allow(clippy::all, clippy::pedantic, clippy::nursery, unused_qualifications, non_camel_case_types, unreachable_code)]);
        if !self.borrows[id] {
            return quote! {
                #allow
                const _: () = {
                    #[allow(unused_imports)] use #rt::__private::ErrorPath as _;
                    impl<'a> #rt::DecodeBorrowed<'a> for #name {
                        const AVRO_NAME: &'static str = #avro_short;
                        #[inline]
                        fn decode_ref(__r: &mut #rt::Reader<'a>) -> ::core::result::Result<Self, #rt::DecodeError> {
                            <Self as #rt::Decode>::decode(__r)
                        }
                    }
                    impl #rt::Borrowable for #name {
                        type Ref<'a> = #name;
                        #[inline]
                        fn from_ref(__v: &Self) -> Self {
                            ::core::clone::Clone::clone(__v)
                        }
                    }
                };
            };
        }
        let ref_name = format_ident!("{}", self.ref_names[id].as_deref().unwrap_or("_"));
        let doc = format!(
            " The borrowed form of `{}`: strings and bytes point into the decoded input (`{}::from_slice_ref`); `to_owned()` copies it into a `{}`.",
            t.ident.trim_start_matches("r#"),
            self.opts.runtime_crate.trim_start_matches("::"),
            t.ident.trim_start_matches("r#"),
        );
        let (definition, decode, encode, owned) = match &t.kind {
            DefKind::Record { fields } => {
                let mut defs = Vec::new();
                let mut lets = Vec::new();
                let mut inits = Vec::new();
                let mut encs = Vec::new();
                let mut owns = Vec::new();
                for (k, f) in fields.iter().enumerate() {
                    let fi = ident(&f.ident);
                    let ty = self.ref_ty(&f.ty, from);
                    let fdoc = format!(" The field `{}`.", f.avro_name);
                    defs.push(quote!(#[doc = #fdoc] pub #fi: #ty));
                    let local = format_ident!("__f{}", k);
                    let avro = &f.avro_name;
                    let dec = self.ref_decode(&f.ty, &[quote!(.avro_field(#avro))], 0, from);
                    lets.push(quote!(let #local = #dec;));
                    inits.push(quote!(#fi: #local));
                    encs.push(self.ref_encode(&f.ty, quote!(&self.#fi), 0));
                    let o = self.ref_to_owned(&f.ty, quote!(&self.#fi), 0, from);
                    owns.push(quote!(#fi: #o));
                }
                (
                    quote!(pub struct #ref_name<'a> { #(#defs,)* }),
                    quote!(#(#lets)* ::core::result::Result::Ok(Self { #(#inits,)* })),
                    quote!(#(#encs)*),
                    quote!(#name { #(#owns,)* }),
                )
            }
            DefKind::Wrapper { ty } => {
                let rty = self.ref_ty(ty, from);
                let dec = self.ref_decode(ty, &[], 0, from);
                let o = self.ref_to_owned(ty, quote!(&self.0), 0, from);
                (
                    quote!(pub struct #ref_name<'a>(#[doc = " The value."] pub #rty);),
                    quote!(::core::result::Result::Ok(Self(#dec))),
                    self.ref_encode(ty, quote!(&self.0), 0),
                    quote!(#name(#o)),
                )
            }
            DefKind::Union { variants } => {
                let n = Literal::usize_unsuffixed(variants.len());
                let mut defs = Vec::new();
                let mut dec_arms = Vec::new();
                let mut enc_arms = Vec::new();
                let mut own_arms = Vec::new();
                for (k, v) in variants.iter().enumerate() {
                    let vi = ident(&v.ident);
                    let vdoc = format!(" The branch `{}`.", v.avro_name);
                    let idx = byte_lits(&index_bytes(k));
                    let pat = if k + 1 == variants.len() {
                        quote!(_)
                    } else {
                        let k = Literal::usize_unsuffixed(k);
                        quote!(#k)
                    };
                    match &v.ty {
                        None => {
                            defs.push(quote!(#[doc = #vdoc] #vi));
                            dec_arms.push(quote!(#pat => Self::#vi));
                            enc_arms.push(
                                quote!(Self::#vi => { __out.extend_from_slice(&[#(#idx),*]); }),
                            );
                            own_arms.push(quote!(Self::#vi => #name::#vi));
                        }
                        Some(ty) => {
                            let rty = self.ref_ty(ty, from);
                            defs.push(quote!(#[doc = #vdoc] #vi(#rty)));
                            let branch = &v.avro_name;
                            let dec =
                                self.ref_decode(ty, &[quote!(.avro_branch(#branch))], 1, from);
                            dec_arms.push(quote!(#pat => Self::#vi(#dec)));
                            let body = self.ref_encode(ty, quote!(__x), 1);
                            enc_arms.push(quote!(Self::#vi(__x) => { __out.extend_from_slice(&[#(#idx),*]); #body }));
                            let o = self.ref_to_owned(ty, quote!(__x), 1, from);
                            own_arms.push(quote!(Self::#vi(__x) => #name::#vi(#o)));
                        }
                    }
                }
                (
                    quote!(pub enum #ref_name<'a> { #(#defs,)* }),
                    quote!(::core::result::Result::Ok(match __r.read_union_index(#n)? { #(#dec_arms,)* })),
                    quote!(match self { #(#enc_arms)* }),
                    quote!(match self { #(#own_arms,)* }),
                )
            }
            DefKind::Enum { .. } | DefKind::Fixed { .. } => return quote!(),
        };
        let decode = if self.recursive[id] {
            quote!(#rt::borrowed::support::nested(__r, |__r| { #decode }))
        } else {
            decode
        };
        let to_owned_doc = format!(
            " The owned `{}` (strings and bytes copied).",
            t.ident.trim_start_matches("r#")
        );
        // The owned type's schema, where it has one (not the unions inside records).
        let schema_impl = if t.schema.is_some() {
            quote! {
                impl #rt::AvroSchema for #ref_name<'_> {
                    fn schema() -> &'static str { <#name as #rt::AvroSchema>::schema() }
                    fn canonical_form() -> &'static str { <#name as #rt::AvroSchema>::canonical_form() }
                    fn fingerprint() -> u64 { <#name as #rt::AvroSchema>::fingerprint() }
                }
            }
        } else {
            quote!()
        };
        quote! {
            #[doc = #doc]
            #allow
            #[derive(Debug, Clone, PartialEq)]
            #definition

            #allow
            const _: () = {
                #[allow(unused_imports)] use #rt::__private::ErrorPath as _;
                impl<'a> #rt::DecodeBorrowed<'a> for #ref_name<'a> {
                    const AVRO_NAME: &'static str = #avro_short;
                    #[inline]
                    fn decode_ref(__r: &mut #rt::Reader<'a>) -> ::core::result::Result<Self, #rt::DecodeError> {
                        #decode
                    }
                }
                impl #rt::Encode for #ref_name<'_> {
                    #[inline]
                    fn encode(&self, __out: &mut ::std::vec::Vec<u8>) -> ::core::result::Result<(), #rt::EncodeError> {
                        #encode
                        ::core::result::Result::Ok(())
                    }
                }
                #schema_impl
                impl #rt::Borrowable for #name {
                    type Ref<'a> = #ref_name<'a>;
                    #[inline]
                    fn from_ref(__v: &#ref_name<'_>) -> Self {
                        __v.to_owned()
                    }
                }
            };

            #allow
            impl #ref_name<'_> {
                #[doc = #to_owned_doc]
                #[must_use]
                pub fn to_owned(&self) -> #name {
                    #owned
                }
            }
        }
    }
}
