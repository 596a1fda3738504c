//! `#[derive(AvroSchema)]`: an Avro schema, `Encode` and `Decode` for a
//! Rust struct or enum, re-exported by `avro-runtime` (feature `derive`,
//! off by default as serde's is: `features = ["derive"]`).
//!
//! The macro parses the item once (attributes into typed structs, every
//! error collected with its span: `ctxt`, `attr`), lowers it into
//! avro-codegen's IR (`item`, `ty`) and asks avro-codegen's emitter for
//! the impls: the same encoders and decoders generated code uses. The
//! schema is computed here when the macro sees all of it; a field whose
//! type is another derived or generated type (which a macro cannot see)
//! leaves a hole that is filled when the program first asks for the schema.
//!
//! See `README.md` of this crate for the attribute reference.
#![forbid(unsafe_code)]

mod attr;
mod ctxt;
mod item;
mod ty;

use proc_macro::TokenStream;

/// Derives `AvroSchema`, `Encode` and `Decode` (see the crate docs).
#[proc_macro_derive(AvroSchema, attributes(avro))]
pub fn derive_avro_schema(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    item::expand(&input).into()
}
#[cfg(test)]
mod same_code;
