//! Encoders: the straight-line statements that write a value of each IR type.

use super::*;

impl Emitter<'_> {
    /// Statements that encode the value behind the reference expression `val`.
    pub(super) fn encode_stmts(&self, ty: &Ty, val: TokenStream, depth: usize) -> TokenStream {
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
            // Arrays of numbers: one bulk write of the items.
            Ty::Array(items) if matches!(**items, Ty::Int | Ty::Long | Ty::Float | Ty::Double) => {
                let bulk = match **items {
                    Ty::Int => quote!(write_ints),
                    Ty::Long => quote!(write_longs),
                    Ty::Float => quote!(write_floats),
                    _ => quote!(write_doubles),
                };
                let a = format_ident!("__a{}", depth);
                quote! {
                    let #a = #val;
                    if !#a.is_empty() {
                        #enc::write_block_start(__out, #a.len());
                        #enc::#bulk(__out, #a);
                    }
                    #enc::write_block_end(__out);
                }
            }
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
            // `["null", T]` of a scalar or named type: the runtime's
            // `Option<T>` writer (the same match, inlined).
            Ty::Option {
                null_index: 0,
                inner,
                ..
            } if self.field_scalar(inner) => {
                quote!(#rt::field::FieldWrite::write(#val, __out)?;)
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
            Ty::External { .. } | Ty::Conv(_) => self.derive_encode(ty, val, depth),
        }
    }

    /// An array or map as one block (when not empty) and the end marker:
    /// `body` runs for each item bound to `pattern`.
    pub(super) fn encode_block(
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
}

impl Emitter<'_> {
    /// A record's encoder: the fields' statements, after one `reserve` of
    /// an upper bound of what they write (fixed-size parts exactly, the
    /// largest varint for numbers, strings and bytes by their lengths;
    /// nested records, collections and unions reserve for themselves or
    /// grow the vector as they go).
    pub(super) fn record_encode(
        &self,
        fields: &[FieldDef],
        stmts: Vec<TokenStream>,
    ) -> TokenStream {
        let rt = &self.rt;
        let mut fixed = 0usize;
        let mut lens = Vec::new();
        for f in fields {
            let fi = ident(&f.ident);
            self.encode_bound(&f.ty, quote!(self.#fi), &mut fixed, &mut lens);
        }
        if fixed == 0 && lens.is_empty() {
            return quote!(#(#stmts)*);
        }
        let fixed = Literal::usize_unsuffixed(fixed);
        quote! {
            #rt::encode::reserve(__out, #fixed #(+ #lens)*);
            #(#stmts)*
        }
    }

    /// Adds an upper bound of the bytes `val` (a place of type `ty`)
    /// encodes to: a constant to `fixed`, lengths read at run time to `lens`.
    pub(super) fn encode_bound(
        &self,
        ty: &Ty,
        val: TokenStream,
        fixed: &mut usize,
        lens: &mut Vec<TokenStream>,
    ) {
        *fixed += match ty {
            Ty::Null => 0,
            Ty::Bool => 1,
            Ty::Int => 5,
            Ty::Long => 10,
            Ty::Float => 4,
            Ty::Double => 8,
            Ty::Bytes | Ty::String => {
                lens.push(quote!(#val.len()));
                10
            }
            Ty::Logical(l) => match l {
                LogicalTy::Date | LogicalTy::TimeMillis => 5,
                LogicalTy::UuidString => 37,
                LogicalTy::UuidFixed => 16,
                LogicalTy::DecimalBytes { .. } => {
                    lens.push(quote!(#val.as_be_bytes().len()));
                    10
                }
                LogicalTy::DecimalFixed { size, .. } => *size,
                LogicalTy::Duration => 12,
                _ => 10,
            },
            Ty::Option { inner, .. } => match &**inner {
                // Some: the branch index and the value; None takes less.
                Ty::Bool | Ty::Int | Ty::Long | Ty::Float | Ty::Double => {
                    let mut n = 0;
                    self.encode_bound(inner, val, &mut n, lens);
                    1 + n
                }
                Ty::String | Ty::Bytes => {
                    lens.push(quote!(#val.as_ref().map_or(0, |__s| __s.len())));
                    11
                }
                _ => 0,
            },
            Ty::Def { id, .. } => match &self.ir.types[*id].kind {
                DefKind::Enum { .. } => 10,
                DefKind::Fixed { size } => *size,
                _ => 0,
            },
            // Other types' sizes are not known here: they grow the buffer themselves.
            Ty::Array(_) | Ty::Map(_) | Ty::External { .. } | Ty::Conv(_) => 0,
        };
    }
}
