//! `Decode::decode_into` overrides: records, newtypes and unions decode into
//! the value they already hold, reusing the capacity of its strings, bytes,
//! vectors and maps (through `avro_runtime::reuse`), and leave nothing of the
//! previous value behind.

use super::decode::err_of;
use super::*;

impl Emitter<'_> {
    /// The `decode_into` method of type `id`'s `Decode` impl, or nothing
    /// where the trait's default (decode and assign) is as good.
    pub(super) fn decode_into_method(&self, id: DefId) -> TokenStream {
        let t = &self.ir.types[id];
        let rt = &self.rt;
        let from = &t.module;
        let body = match &t.kind {
            DefKind::Record { fields } => {
                if !fields.iter().any(|f| self.reusable(&f.ty)) {
                    return quote!();
                }
                let stmts = fields.iter().map(|f| {
                    let fi = ident(&f.ident);
                    let avro = &f.avro_name;
                    let chain = [quote!(.avro_field(#avro))];
                    if self.reusable(&f.ty) {
                        self.decode_in_place(&f.ty, quote!(&mut self.#fi), &chain, 0, from)
                    } else {
                        let v = self.decode_expr(&f.ty, &chain, 0, from);
                        quote!(self.#fi = #v;)
                    }
                });
                quote!(#(#stmts)*)
            }
            DefKind::Wrapper { ty } => {
                if !self.reusable(ty) {
                    return quote!();
                }
                self.decode_in_place(ty, quote!(&mut self.0), &[], 0, from)
            }
            DefKind::Union { variants } => {
                let any = variants
                    .iter()
                    .any(|v| v.ty.as_ref().is_some_and(|t| self.reusable(t)));
                if !any {
                    return quote!();
                }
                // The branch the value already holds is decoded into; any
                // other is read fresh by the union's `__branch` (see
                // `Emitter::union`), an error named from its `__NAMES`.
                let n = Literal::usize_unsuffixed(variants.len());
                let arms = variants.iter().enumerate().filter_map(|(k, v)| {
                    let ty = v.ty.as_ref().filter(|t| self.reusable(t))?;
                    let vi = ident(&v.ident);
                    let k = Literal::usize_unsuffixed(k);
                    if self.field_scalar(ty) {
                        return Some(quote!((#k, Self::#vi(__x)) => #rt::field::Field::read_into(__x, __r)?,));
                    }
                    let into = self.decode_in_place(ty, quote!(__x), &[], 1, from);
                    Some(quote!((#k, Self::#vi(__x)) => { #into }))
                });
                quote! {
                    let __i = __r.read_union_index(#n)?;
                    (|| -> ::core::result::Result<(), #rt::DecodeError> {
                        match (__i, &mut *self) {
                            #(#arms)*
                            (_, __s) => *__s = __branch(__r, __i, ::core::option::Option::None)?,
                        }
                        ::core::result::Result::Ok(())
                    })()
                    .avro_branch(__NAMES[__i])?;
                }
            }
            DefKind::Enum { .. } | DefKind::Fixed { .. } => return quote!(),
        };
        let body = if self.recursive[id] {
            quote! {
                __r.nested(|__r| {
                    #body
                    ::core::result::Result::Ok(())
                })
            }
        } else {
            quote!(#body ::core::result::Result::Ok(()))
        };
        // A union of one branch matches its only variant always.
        let allow = match &t.kind {
            DefKind::Union { variants } if variants.len() == 1 => {
                quote!(#[allow(irrefutable_let_patterns)])
            }
            _ => quote!(),
        };
        quote! {
            #[inline]
            #allow
            fn decode_into(&mut self, __r: &mut #rt::Reader<'_>) -> ::core::result::Result<(), #rt::DecodeError> {
                #body
            }
        }
    }

    /// Whether decoding into an existing value of `ty` can reuse something
    /// it holds.
    fn reusable(&self, ty: &Ty) -> bool {
        match ty {
            Ty::String | Ty::Bytes | Ty::Array(_) | Ty::Map(_) => true,
            Ty::Logical(LogicalTy::DecimalBytes { .. } | LogicalTy::DecimalFixed { .. }) => true,
            Ty::Option { inner, .. } => self.reusable(inner),
            Ty::Def { id, .. } => matches!(
                self.ir.types[*id].kind,
                DefKind::Record { .. } | DefKind::Wrapper { .. } | DefKind::Union { .. }
            ),
            _ => false,
        }
    }

    /// Whether the configured map type is one `avro_runtime::reuse::map_into` updates in place.
    fn map_reusable(&self) -> bool {
        let m = self.opts.map_type.trim_end();
        m.ends_with("HashMap") || m.ends_with("BTreeMap") || m.ends_with("IndexMap")
    }

    /// Statements that decode a value of `ty` into `*place` (`place`: an
    /// expression of type `&mut T`), errors mapped through `chain`.
    fn decode_in_place(
        &self,
        ty: &Ty,
        place: TokenStream,
        chain: &[TokenStream],
        depth: usize,
        from: &[String],
    ) -> TokenStream {
        let rt = &self.rt;
        let err = err_of(chain);
        let fresh = || self.decode_expr(ty, chain, depth, from);
        match ty {
            Ty::String => quote!(#rt::reuse::read_string_into(__r, #place) #err;),
            Ty::Bytes => quote!(#rt::reuse::read_bytes_into(__r, #place) #err;),
            Ty::Logical(LogicalTy::DecimalBytes { .. }) => {
                quote!((#place).set_be_bytes(__r.read_bytes_ref() #err);)
            }
            Ty::Logical(LogicalTy::DecimalFixed { size, .. }) => {
                let n = Literal::usize_unsuffixed(*size);
                quote!((#place).set_be_bytes(__r.take(#n) #err);)
            }
            Ty::Array(items) => {
                let a = format_ident!("__a{}", depth);
                let n = format_ident!("__n{}", depth);
                let min = Literal::usize_unsuffixed(self.min_size(items, &mut Vec::new()));
                let bulk = match **items {
                    Ty::Double => Some(quote!(read_doubles_into)),
                    Ty::Float => Some(quote!(read_floats_into)),
                    Ty::Long => Some(quote!(read_longs_into)),
                    Ty::Int => Some(quote!(read_ints_into)),
                    _ => None,
                };
                if let Some(bulk) = bulk {
                    return quote! {{
                        let #a = #place;
                        #a.clear();
                        loop {
                            let #n = __r.read_block_count(#min, #a.len()) #err;
                            if #n == 0 { break; }
                            __r.reserve(#a, #n);
                            __r.#bulk(#n, #a) #err;
                        }
                    }};
                }
                let new = self.decode_expr(items, &[], depth + 1, from);
                if !self.reusable(items) {
                    // Items that hold nothing to reuse: cleared and pushed
                    // (the vector's capacity is kept).
                    let i = format_ident!("__i{}", depth);
                    let item = self.decode_expr(items, &[quote!(.avro_index(#i))], depth + 1, from);
                    return quote! {{
                        let #a = #place;
                        #a.clear();
                        loop {
                            let #n = __r.read_block_count(#min, #a.len()) #err;
                            if #n == 0 { break; }
                            __r.reserve(#a, #n);
                            for _ in 0..#n {
                                let #i = #a.len();
                                #a.push(#item);
                            }
                        }
                    }};
                }
                let x = format_ident!("__x{}", depth);
                let into = self.decode_in_place(items, quote!(#x), &[], depth + 1, from);
                quote! {
                    #rt::reuse::vec_into(
                        __r,
                        #place,
                        #min,
                        |__r| ::core::result::Result::Ok(#new),
                        |__r, #x| { #into ::core::result::Result::Ok(()) },
                    ) #err;
                }
            }
            Ty::Map(values) if self.map_reusable() => {
                let min = Literal::usize_unsuffixed(self.min_size(values, &mut Vec::new()));
                let new = self.decode_expr(values, &[], depth + 1, from);
                let x = format_ident!("__x{}", depth);
                let into = if self.reusable(values) {
                    self.decode_in_place(values, quote!(#x), &[], depth + 1, from)
                } else {
                    quote!(*#x = #new;)
                };
                quote! {
                    #rt::reuse::map_into(
                        __r,
                        #place,
                        #min,
                        |__r| ::core::result::Result::Ok(#new),
                        |__r, #x| { #into ::core::result::Result::Ok(()) },
                    ) #err;
                }
            }
            // `["null", T]` of a scalar or named type: the runtime's
            // `Option<T>::read_into`.
            Ty::Option {
                null_index: 0,
                inner,
                ..
            } if self.field_scalar(inner) => {
                quote!(#rt::field::Field::read_into(#place, __r) #err;)
            }
            Ty::Option {
                null_index, inner, ..
            } if self.reusable(inner) => {
                let null_index = Literal::usize_unsuffixed(*null_index);
                let o = format_ident!("__o{}", depth);
                let x = format_ident!("__x{}", depth);
                let into = self.decode_in_place(inner, quote!(#x), chain, depth + 1, from);
                let new = self.decode_expr(inner, chain, depth + 1, from);
                quote! {{
                    let #o = #place;
                    match __r.read_union_index(2) #err {
                        #null_index => *#o = ::core::option::Option::None,
                        _ => {
                            if let ::core::option::Option::Some(#x) = #o.as_mut() {
                                #into
                            } else {
                                *#o = ::core::option::Option::Some(#new);
                            }
                        }
                    }
                }}
            }
            Ty::Def { id, .. }
                if matches!(
                    self.ir.types[*id].kind,
                    DefKind::Record { .. } | DefKind::Wrapper { .. } | DefKind::Union { .. }
                ) =>
            {
                quote!(#rt::Decode::decode_into(#place, __r) #err;)
            }
            _ => {
                let v = fresh();
                quote!(*(#place) = #v;)
            }
        }
    }
}
