//! Plain decoders: expressions that read a value of each IR type written with the reader's own schema.

use super::*;

/// The error path of an item of the array read at `depth` (its index is
/// `__i<depth>`, see [`array_loop`]) in front of `chain`.
pub(super) fn item_chain(depth: usize, chain: &[TokenStream]) -> Vec<TokenStream> {
    let i = format_ident!("__i{}", depth);
    let mut c = vec![quote!(.avro_index(#i))];
    c.extend_from_slice(chain);
    c
}

/// The error path of a value of the map read at `depth` (its key is
/// `__k<depth>`, see [`Emitter::map_loop`]) in front of `chain`.
pub(super) fn key_chain(depth: usize, chain: &[TokenStream]) -> Vec<TokenStream> {
    let k = format_ident!("__k{}", depth);
    let mut c = vec![quote!(.avro_key(&#k))];
    c.extend_from_slice(chain);
    c
}

/// The `?` after a read, with the error path `chain` (segments innermost
/// first, each an `avro_*` method of the runtime's `ErrorPath`) added to an
/// error on the way out.
pub(super) fn err_of(chain: &[TokenStream]) -> TokenStream {
    quote!(#(#chain)* ?)
}

/// An option spelled out: the union index (`err` after it), `None` for the
/// `null` branch at `null_index`, else `Some(inner)`.
pub(super) fn option_match(
    null_index: usize,
    err: &TokenStream,
    inner: TokenStream,
) -> TokenStream {
    let null_index = Literal::usize_unsuffixed(null_index);
    quote! {
        match __r.read_union_index(2) #err {
            #null_index => ::core::option::Option::None,
            _ => ::core::option::Option::Some(#inner),
        }
    }
}

/// The block count read straight from the input, for items of at least
/// `min` bytes (the `count` of [`array_loop`] and [`Emitter::map_loop`]).
pub(super) fn block_count(
    min: usize,
    err: &TokenStream,
) -> impl FnOnce(TokenStream) -> TokenStream + '_ {
    let min = Literal::usize_unsuffixed(min);
    move |so_far| quote!(__r.read_block_count(#min, #so_far) #err)
}

/// The loop that reads the blocks of the array at nesting `depth` into a
/// `Vec`: `count` reads the next block count given the items read so far
/// (an expression, for the limit on a whole collection: see
/// `Reader::read_block_count`), `item` one item (its index is `__i<depth>`);
/// `item_ty`, where given, pins the item type (see [`Emitter::pinned_item`]).
pub(super) fn array_loop(
    depth: usize,
    count: impl FnOnce(TokenStream) -> TokenStream,
    item: TokenStream,
    item_ty: Option<TokenStream>,
) -> TokenStream {
    let v = format_ident!("__v{}", depth);
    let n = format_ident!("__n{}", depth);
    let i = format_ident!("__i{}", depth);
    let annotation = item_ty.map(|t| quote!(: ::std::vec::Vec<#t>));
    let count = count(quote!(#v.len()));
    quote! {{
        let mut #v #annotation = ::std::vec::Vec::new();
        loop {
            let #n = #count;
            if #n == 0 { break; }
            __r.reserve(&mut #v, #n);
            for _ in 0..#n {
                let #i = #v.len();
                #v.push(#item);
            }
        }
        #v
    }}
}

impl Emitter<'_> {
    /// The item type to write on an array whose items hold named types:
    /// those are read by `Decode::decode` with the type inferred from
    /// where the value goes, and an array that a derived type converts
    /// (`FromIterator<_>`) would leave it open. `None` otherwise.
    pub(super) fn pinned_item(&self, items: &Ty, from: &[String]) -> Option<TokenStream> {
        fn has_def(ty: &Ty) -> bool {
            match ty {
                Ty::Def { .. } => true,
                Ty::Array(t) | Ty::Map(t) | Ty::Option { inner: t, .. } => has_def(t),
                _ => false,
            }
        }
        has_def(items).then(|| self.rust_ty(items, from))
    }

    /// An expression that decodes a value of `ty` from `__r`, mapping errors
    /// through `chain` (path segments, innermost first).
    pub(super) fn decode_expr(
        &self,
        ty: &Ty,
        chain: &[TokenStream],
        depth: usize,
        from: &[String],
    ) -> TokenStream {
        let rt = &self.rt;
        let err = err_of(chain);
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
                let min = self.min_size(items, &mut Vec::new());
                // Blocks of floats and doubles are read in one bounds check, of
                // longs and ints in one loop with the whole varint decoder inline.
                let bulk = match **items {
                    Ty::Double => Some(quote!(read_doubles_into)),
                    Ty::Float => Some(quote!(read_floats_into)),
                    Ty::Long => Some(quote!(read_longs_into)),
                    Ty::Int => Some(quote!(read_ints_into)),
                    _ => None,
                };
                if let Some(bulk) = bulk {
                    let (v, n) = (format_ident!("__v{}", depth), format_ident!("__n{}", depth));
                    let min = Literal::usize_unsuffixed(min);
                    return quote! {{
                        let mut #v = ::std::vec::Vec::new();
                        loop {
                            let #n = __r.read_block_count(#min, #v.len()) #err;
                            if #n == 0 { break; }
                            __r.reserve(&mut #v, #n);
                            __r.#bulk(#n, &mut #v) #err;
                        }
                        #v
                    }};
                }
                let item = self.decode_expr(items, &item_chain(depth, chain), depth + 1, from);
                let pinned = self.pinned_item(items, from);
                array_loop(depth, block_count(min, &err), item, pinned)
            }
            Ty::Map(values) => self.map_decode(ty, values, chain, depth, from),
            // `["null", T]` of a scalar or named type: the runtime's
            // `Option<T>::read` (the same union match, inlined).
            Ty::Option {
                null_index: 0,
                inner,
                ..
            } if self.field_scalar(inner) => {
                quote!(#rt::field::Field::read(__r) #err)
            }
            Ty::Option {
                null_index, inner, ..
            } => option_match(
                *null_index,
                &err,
                self.decode_expr(inner, chain, depth + 1, from),
            ),
            // The type is inferred from where the value goes (a field, a
            // variant, a collection): no path to spell out.
            Ty::Def { .. } => quote!(#rt::Decode::decode(__r) #err),
            Ty::External { .. } | Ty::Conv(_) => self.derive_decode(ty, chain, depth, from),
        }
    }

    /// An expression that reads a map of `values` into the map type `ty`
    /// (a `Ty::Map`, or a derived field's own map type).
    pub(super) fn map_decode(
        &self,
        ty: &Ty,
        values: &Ty,
        chain: &[TokenStream],
        depth: usize,
        from: &[String],
    ) -> TokenStream {
        let err = err_of(chain);
        let min = 1 + self.min_size(values, &mut Vec::new());
        let value = self.decode_expr(values, &key_chain(depth, chain), depth + 1, from);
        self.map_loop(ty, depth, block_count(min, &err), &err, value, from)
    }

    /// The loop that reads the blocks of the map at nesting `depth`:
    /// `count` reads the next block count given the items read so far (as
    /// for [`array_loop`]), `value` one value (after its key `__k<depth>`).
    pub(super) fn map_loop(
        &self,
        ty: &Ty,
        depth: usize,
        count: impl FnOnce(TokenStream) -> TokenStream,
        err: &TokenStream,
        value: TokenStream,
        from: &[String],
    ) -> TokenStream {
        let m = format_ident!("__m{}", depth);
        let n = format_ident!("__n{}", depth);
        let k = format_ident!("__k{}", depth);
        let x = format_ident!("__x{}", depth);
        let map_ty = self.rust_ty(ty, from);
        // Reserve from the block count where the map type can, capped by
        // the reader's limit on one reservation.
        let (reserves, avro_map) = match ty {
            Ty::Conv(c) => (matches!(c.kind, ConvKind::Map { reserves: true }), &c.avro),
            _ => (self.map_reserves(), ty),
        };
        let reserve = if let (true, Ty::Map(values)) = (reserves, avro_map) {
            let vt = self.rust_ty(values, from);
            quote!(#m.reserve(__r.reserve_count::<(::std::string::String, #vt)>(#n));)
        } else {
            quote!()
        };
        // Items read, not the map's length: a duplicate key counts too.
        let read = format_ident!("{}t", n);
        let count = count(quote!(#read));
        quote! {{
            let mut #m: #map_ty = ::core::default::Default::default();
            let mut #read = 0usize;
            loop {
                let #n = #count;
                if #n == 0 { break; }
                #read += #n;
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
}
