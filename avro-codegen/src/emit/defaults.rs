//! Schema defaults as Rust expressions (for resolved decoding and `Default` impls).

use super::*;

impl Emitter<'_> {
    /// Whether a JSON default belongs to `ty` (used to pick a union branch).
    pub(super) fn accepts(&self, ty: &Ty, v: &Value) -> bool {
        match ty {
            Ty::Null => v.is_null(),
            Ty::Bool => v.is_boolean(),
            Ty::Int | Ty::Long => v.is_i64(),
            Ty::Float | Ty::Double => float_default(v).is_some(),
            Ty::Bytes
            | Ty::String
            | Ty::Logical(LogicalTy::UuidString | LogicalTy::DecimalBytes { .. }) => v.is_string(),
            Ty::Logical(
                LogicalTy::UuidFixed | LogicalTy::Duration | LogicalTy::DecimalFixed { .. },
            ) => v.is_string(),
            Ty::Logical(_) => v.is_i64(),
            Ty::Array(_) => v.is_array(),
            Ty::Map(_) => v.is_object(),
            Ty::Option { inner, .. } => v.is_null() || self.accepts(inner, v),
            Ty::Def { id, .. } => match &self.ir.types[*id].kind {
                DefKind::Record { .. } => v.is_object(),
                DefKind::Enum { variants, .. } => v
                    .as_str()
                    .is_some_and(|s| variants.iter().any(|x| x.avro_name == s)),
                DefKind::Fixed { size } => latin1(v).is_some_and(|b| b.len() == *size),
                DefKind::Union { variants } => variants
                    .iter()
                    .any(|x| x.ty.as_ref().map_or(v.is_null(), |t| self.accepts(t, v))),
                DefKind::Wrapper { ty } => self.accepts(ty, v),
            },
            Ty::External { .. } | Ty::Conv(_) => self.derive_accepts(ty, v),
        }
    }

    /// A Rust expression for the JSON default `v` of `ty`.
    pub(super) fn default_expr(
        &self,
        ty: &Ty,
        v: &Value,
        from: &[String],
    ) -> Result<TokenStream, CodegenError> {
        let rt = &self.rt;
        let bad = || CodegenError::Default(format!("default {v} does not fit {ty:?}"));
        let float = |suffix: &str| -> Result<TokenStream, CodegenError> {
            let f = float_default(v).ok_or_else(bad)?;
            let ty = if suffix == "f32" {
                quote!(f32)
            } else {
                quote!(f64)
            };
            if f.is_nan() {
                return Ok(quote!(#ty::NAN));
            }
            if f.is_infinite() {
                return Ok(if f > 0.0 {
                    quote!(#ty::INFINITY)
                } else {
                    quote!(#ty::NEG_INFINITY)
                });
            }
            Ok(if suffix == "f32" {
                let l = Literal::f32_suffixed(f as f32);
                quote!(#l)
            } else {
                let l = Literal::f64_suffixed(f);
                quote!(#l)
            })
        };
        let bytes_vec = |b: Vec<u8>| {
            let b = byte_lits(&b);
            quote!(::std::vec::Vec::<u8>::from([#(#b),*]))
        };
        Ok(match ty {
            Ty::Null => quote!(()),
            Ty::Bool => {
                let b = v.as_bool().ok_or_else(bad)?;
                quote!(#b)
            }
            Ty::Int => {
                let i = v
                    .as_i64()
                    .and_then(|i| i32::try_from(i).ok())
                    .ok_or_else(bad)?;
                let l = Literal::i32_suffixed(i);
                quote!(#l)
            }
            Ty::Long => {
                let l = Literal::i64_suffixed(v.as_i64().ok_or_else(bad)?);
                quote!(#l)
            }
            Ty::Float => float("f32")?,
            Ty::Double => float("f64")?,
            Ty::Bytes => bytes_vec(latin1(v).ok_or_else(bad)?),
            Ty::String => {
                let s = v.as_str().ok_or_else(bad)?;
                quote!(::std::string::String::from(#s))
            }
            Ty::Logical(l) => {
                let t = self.rust_ty(ty, from);
                match l {
                    LogicalTy::Date | LogicalTy::TimeMillis => {
                        let i = Literal::i32_suffixed(
                            v.as_i64()
                                .and_then(|i| i32::try_from(i).ok())
                                .ok_or_else(bad)?,
                        );
                        quote!(#t(#i))
                    }
                    LogicalTy::UuidString => {
                        let u = uuid::Uuid::parse_str(v.as_str().ok_or_else(bad)?)
                            .map_err(|_| bad())?;
                        let n = Literal::u128_suffixed(u.as_u128());
                        quote!(#rt::Uuid::from_u128(#n))
                    }
                    LogicalTy::UuidFixed => {
                        let b = latin1(v).filter(|b| b.len() == 16).ok_or_else(bad)?;
                        let b = byte_lits(&b);
                        quote!(#rt::Uuid::from_bytes([#(#b),*]))
                    }
                    LogicalTy::DecimalBytes { .. } | LogicalTy::DecimalFixed { .. } => {
                        let b = bytes_vec(latin1(v).ok_or_else(bad)?);
                        quote!(#rt::Decimal::from_be_bytes(#b))
                    }
                    LogicalTy::Duration => {
                        let b = latin1(v).filter(|b| b.len() == 12).ok_or_else(bad)?;
                        let b = byte_lits(&b);
                        quote!(#rt::Duration::from_bytes([#(#b),*]))
                    }
                    _ => {
                        let i = Literal::i64_suffixed(v.as_i64().ok_or_else(bad)?);
                        quote!(#t(#i))
                    }
                }
            }
            Ty::Array(items) => {
                let a = v.as_array().ok_or_else(bad)?;
                let elems = a
                    .iter()
                    .map(|x| self.default_expr(items, x, from))
                    .collect::<Result<Vec<_>, _>>()?;
                let t = self.rust_ty(items, from);
                quote!(<::std::vec::Vec<#t>>::from([#(#elems),*]))
            }
            Ty::Map(values) => {
                let o = v.as_object().ok_or_else(bad)?;
                let map_ty = self.rust_ty(ty, from);
                let mut inserts = Vec::new();
                for (k, x) in o {
                    let e = self.default_expr(values, x, from)?;
                    inserts.push(quote!(__m.insert(::std::string::String::from(#k), #e);));
                }
                quote!({
                    let mut __m: #map_ty = ::core::default::Default::default();
                    #(#inserts)*
                    __m
                })
            }
            Ty::Option { inner, .. } => {
                if v.is_null() {
                    quote!(::core::option::Option::None)
                } else {
                    let e = self.default_expr(inner, v, from)?;
                    quote!(::core::option::Option::Some(#e))
                }
            }
            Ty::Def { id, boxed } => {
                let path = self.path_to(*id, from);
                let def = &self.ir.types[*id];
                let e = match &def.kind {
                    DefKind::Enum { variants, .. } => {
                        let s = v.as_str().ok_or_else(bad)?;
                        let var = variants.iter().find(|x| x.avro_name == s).ok_or_else(bad)?;
                        let var = ident(&var.ident);
                        quote!(#path::#var)
                    }
                    DefKind::Fixed { size } => {
                        let b = latin1(v).filter(|b| b.len() == *size).ok_or_else(bad)?;
                        let b = byte_lits(&b);
                        quote!(#path([#(#b),*]))
                    }
                    DefKind::Record { fields } => {
                        let o = v.as_object().ok_or_else(bad)?;
                        let mut inits = Vec::new();
                        for f in fields {
                            let fv = o.get(&f.avro_name).or(f.default.as_ref()).ok_or_else(bad)?;
                            let e = self.default_expr(&f.ty, fv, &def.module)?;
                            let fi = ident(&f.ident);
                            inits.push(quote!(#fi: #e));
                        }
                        quote!(#path { #(#inits),* })
                    }
                    DefKind::Union { variants } => {
                        let var = variants
                            .iter()
                            .find(|x| x.ty.as_ref().map_or(v.is_null(), |t| self.accepts(t, v)))
                            .ok_or_else(bad)?;
                        let vi = ident(&var.ident);
                        match &var.ty {
                            None => quote!(#path::#vi),
                            Some(t) => {
                                let e = self.default_expr(t, v, &def.module)?;
                                quote!(#path::#vi(#e))
                            }
                        }
                    }
                    DefKind::Wrapper { ty } => {
                        let e = self.default_expr(ty, v, &def.module)?;
                        quote!(#path(#e))
                    }
                };
                if *boxed {
                    quote!(::std::boxed::Box::new(#e))
                } else {
                    e
                }
            }
            Ty::External { .. } | Ty::Conv(_) => self.derive_default_expr(ty, v, from)?,
        })
    }
}
