//! `AvroSchema` impls: schema texts, canonical forms, fingerprints, and the embedded schema sources large texts are built from.

use super::*;

/// Canonical forms longer than this are built from the schema text on
/// first use (a `OnceLock` per type) instead of being stored beside it.
pub(super) const LAZY_CANONICAL: usize = 160;

/// A raw string literal of `s` (`r#"..."#`): JSON's quotes need no escapes.
fn raw_str_lit(s: &str) -> Literal {
    if s.contains('\r') {
        // A raw string cannot hold a bare carriage return.
        return Literal::string(s);
    }
    let mut hashes = String::from("#");
    while s.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{s}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(s))
}

pub(super) fn raw_str(s: &str) -> TokenStream {
    let l = raw_str_lit(s);
    quote!(#l)
}

impl Emitter<'_> {
    pub(super) fn schema_impl(&self, t: &TypeDef) -> TokenStream {
        let Some(text) = &t.schema else {
            return quote!();
        };
        let rt = &self.rt;
        let name = ident(&t.ident);
        let fp = Literal::u64_suffixed(text.fingerprint);
        let (prelude, schema, canonical) = match &text.source {
            // Derived types only (see `derive_impls`).
            SchemaSource::Composed { .. } => return quote!(),
            SchemaSource::Inline { json, canonical } => {
                let schema = raw_str(json);
                let canonical = if canonical == json {
                    quote!(Self::schema())
                } else if canonical.len() > LAZY_CANONICAL {
                    // Built from the schema text on first use rather than
                    // stored a second time.
                    quote! {
                        static C: ::std::sync::OnceLock<::std::string::String> = ::std::sync::OnceLock::new();
                        C.get_or_init(|| #rt::__private::canonical_of(Self::schema()))
                    }
                } else {
                    raw_str(canonical)
                };
                (quote!(), schema, canonical)
            }
            SchemaSource::Embedded(target) => {
                let supers = t.module.iter().map(|_| quote!(super::));
                let set = quote!(#(#supers)* __avro_schema_set());
                let build = match target {
                    SchemaTarget::Named(n) => quote!(#rt::schema::__private::named(#set, #n)),
                    SchemaTarget::Root(i) => {
                        let i = Literal::usize_unsuffixed(*i);
                        quote!(#rt::schema::__private::root(#set, #i))
                    }
                };
                (
                    quote! {
                        fn __texts() -> &'static (::std::string::String, ::std::string::String) {
                            static TEXTS: ::std::sync::OnceLock<(::std::string::String, ::std::string::String)> =
                                ::std::sync::OnceLock::new();
                            TEXTS.get_or_init(|| #build)
                        }
                    },
                    quote!(__texts().0.as_str()),
                    quote!(__texts().1.as_str()),
                )
            }
        };
        quote! {
            #prelude
            impl #rt::AvroSchema for #name {
                #[inline]
                fn fingerprint() -> u64 { #fp }
                fn schema() -> &'static str { #schema }
                fn canonical_form() -> &'static str { #canonical }
            }
        }
    }

    /// The root module's accessor for the embedded schema sources.
    pub fn embedded_sources(&self) -> TokenStream {
        let rt = &self.rt;
        let sources: Vec<Literal> = self.ir.sources.iter().map(|s| raw_str_lit(s)).collect();
        quote! {
            #[doc(hidden)]
            // The sources are raw strings, a line each of theirs.
            #[allow(clippy::too_many_lines)]
            pub fn __avro_schema_set() -> &'static #rt::schema::SchemaSet {
                static SET: ::std::sync::OnceLock<#rt::schema::SchemaSet> = ::std::sync::OnceLock::new();
                SET.get_or_init(|| #rt::schema::__private::load(&[#(#sources),*]))
            }
        }
    }
}
