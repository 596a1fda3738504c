//! The IR types only `#[derive(AvroSchema)]` produces (`Ty::External`, a
//! Rust type the macro cannot see; `Ty::Conv`, a Rust type stored as an Avro
//! one): how the shared encoders, decoders, defaults and JSON writers handle
//! them. Always compiled, since those emitters match on every `Ty`; the
//! derive's own impls are in `derive.rs`, behind the `derive` feature.

use super::decode::err_of;
use super::*;
use crate::ir::Conv;

impl Emitter<'_> {
    pub(super) fn conv_tokens(&self, c: &Conv) -> TokenStream {
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
            (ConvKind::Str, Ty::Bytes) => quote!(#enc::write_bytes(__out, &**#val);),
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
        let err = err_of(chain);
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
                let plain = self.pinned(&c.avro, plain, from);
                self.conv_from(c, plain, &err)
            }
        }
    }

    /// The Rust value of a conversion from the Avro value `avro_val`.
    pub(super) fn conv_from(
        &self,
        c: &Conv,
        avro_val: TokenStream,
        err: &TokenStream,
    ) -> TokenStream {
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
        let err = err_of(chain);
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
                let resolved = self.pinned(&c.avro, resolved, from);
                let converted = self.conv_from(c, resolved, &err);
                quote!(if #node.is_identity() { #plain } else { #converted })
            }
            _ => {
                let resolved = self.resolved_expr(&c.avro, node, chain, depth, from);
                let resolved = self.pinned(&c.avro, resolved, from);
                self.conv_from(c, resolved, &err)
            }
        }
    }

    /// `expr` with its type pinned to the Rust type of `avro`: a conversion
    /// takes it by a generic `From` or `FromIterator`, which would leave the
    /// runtime's generic reads (`Field::read`, `field::resolve`) unresolved.
    pub(super) fn pinned(&self, avro: &Ty, expr: TokenStream, from: &[String]) -> TokenStream {
        let t = self.rust_ty(avro, from);
        quote!(::core::convert::identity::<#t>(#expr))
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
