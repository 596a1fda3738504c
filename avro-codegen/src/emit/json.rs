//! The Avro JSON encoding (`ToAvroJson` impls), when `Options::json` asks for it.

use super::*;

impl Emitter<'_> {
    /// An expression giving the Avro JSON encoding of the value behind `val`.
    pub(super) fn json_expr(&self, ty: &Ty, val: TokenStream, depth: usize) -> TokenStream {
        let rt = &self.rt;
        let j = quote!(#rt::json);
        match ty {
            Ty::Null => quote!({ let _ = #val; #j::Value::Null }),
            Ty::Bool | Ty::Int | Ty::Long => quote!(#j::Value::from(*#val)),
            Ty::Float | Ty::Double => quote!(#j::float(*#val as f64)),
            Ty::Bytes => quote!(#j::latin1(#val)),
            Ty::String => quote!(#j::Value::String(::std::string::String::clone(#val))),
            Ty::Logical(l) => match l {
                LogicalTy::UuidString => quote!(#j::Value::String((#val).hyphenated().to_string())),
                LogicalTy::UuidFixed => quote!(#j::latin1((#val).as_bytes())),
                LogicalTy::DecimalBytes { .. } => quote!(#j::latin1((#val).as_be_bytes())),
                LogicalTy::DecimalFixed { size, .. } => {
                    let n = Literal::usize_unsuffixed(*size);
                    quote!(match (#val).to_fixed::<#n>() {
                        ::core::option::Option::Some(__b) => #j::latin1(&__b),
                        ::core::option::Option::None => #j::latin1((#val).as_be_bytes()),
                    })
                }
                LogicalTy::Duration => quote!(#j::latin1(&(#val).to_bytes())),
                _ => quote!(#j::Value::from((#val).0)),
            },
            Ty::Array(items) => {
                let x = format_ident!("__x{}", depth);
                let inner = self.json_expr(items, quote!(#x), depth + 1);
                quote!(#j::Value::Array((#val).iter().map(|#x| #inner).collect()))
            }
            Ty::Map(values) => {
                let x = format_ident!("__x{}", depth);
                let k = format_ident!("__k{}", depth);
                let inner = self.json_expr(values, quote!(#x), depth + 1);
                quote!(#j::Value::Object((#val).iter().map(|(#k, #x)| (::std::string::String::clone(#k), #inner)).collect()))
            }
            Ty::Option { inner, branch, .. } => {
                let x = format_ident!("__x{}", depth);
                let inner = self.json_expr(inner, quote!(#x), depth + 1);
                quote!(match #val {
                    ::core::option::Option::None => #j::Value::Null,
                    ::core::option::Option::Some(#x) => #j::branch(#branch, #inner),
                })
            }
            Ty::Def { .. } | Ty::External { .. } => quote!(#j::ToAvroJson::to_avro_json(#val)),
            Ty::Conv(c) => self.derive_json(c, val, depth),
        }
    }

    pub(super) fn json_impl(&self, t: &TypeDef) -> TokenStream {
        if !self.opts.json {
            return quote!();
        }
        let rt = &self.rt;
        let j = quote!(#rt::json);
        let name = ident(&t.ident);
        let body = match &t.kind {
            DefKind::Record { fields } => {
                let inserts = fields.iter().map(|f| {
                    let fi = ident(&f.ident);
                    let avro = &f.avro_name;
                    let e = self.json_expr(&f.ty, quote!(&self.#fi), 0);
                    quote!(__m.insert(::std::string::String::from(#avro), #e);)
                });
                quote!({
                    let mut __m = #j::Map::new();
                    #(#inserts)*
                    #j::Value::Object(__m)
                })
            }
            DefKind::Enum { variants, .. } => {
                let arms = variants.iter().map(|v| {
                    let vi = ident(&v.ident);
                    let s = &v.avro_name;
                    quote!(Self::#vi => #s)
                });
                quote!(#j::Value::String(::std::string::String::from(match *self { #(#arms,)* })))
            }
            DefKind::Fixed { .. } => quote!(#j::latin1(&self.0)),
            DefKind::Wrapper { ty } => self.json_expr(ty, quote!(&self.0), 0),
            DefKind::Union { variants } => {
                let arms = variants.iter().map(|v| {
                    let vi = ident(&v.ident);
                    let b = &v.avro_name;
                    match &v.ty {
                        None => quote!(Self::#vi => #j::Value::Null),
                        Some(ty) => {
                            let e = self.json_expr(ty, quote!(__x), 1);
                            quote!(Self::#vi(__x) => #j::branch(#b, #e))
                        }
                    }
                });
                if variants.is_empty() {
                    quote!(match *self {})
                } else {
                    quote!(match self { #(#arms,)* })
                }
            }
        };
        quote! {
            impl #j::ToAvroJson for #name {
                fn to_avro_json(&self) -> #j::Value { #body }
            }
        }
    }
}
