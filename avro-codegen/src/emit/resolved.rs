//! Resolved decoders: expressions that read a value through a resolution plan (`PlanNode`), for data written with another schema.

use super::decode::{array_loop, err_of, item_chain, key_chain};
use super::*;

impl Emitter<'_> {
    /// An expression that decodes a value of `ty` written with another
    /// schema, following the plan node in the variable `node` (a
    /// `PlanNode`): promotions read the writer's type, records go through
    /// their own `decode_resolved`, collections and options recurse, and the
    /// rest is decoded directly where the node is identity or transcoded.
    pub(super) fn resolved_expr(
        &self,
        ty: &Ty,
        node: &TokenStream,
        chain: &[TokenStream],
        depth: usize,
        from: &[String],
    ) -> TokenStream {
        let rt = &self.rt;
        // An empty chain adds no path (a record field's is added once by
        // its record loop).
        let err = err_of(chain);
        let plain = || self.decode_expr(ty, chain, depth, from);
        // One generic call where the runtime's `Field` reads the type (every
        // primitive and generated type, and options, arrays and maps of
        // them): what is left below are logical types and the collections
        // and options that hold them.
        if self.field_ty(ty) {
            return quote!(#rt::field::resolve(__r, #node) #err);
        }
        match ty {
            // Nothing is promoted to these: the writer has the same type
            // (perhaps as a union branch), read as is.
            Ty::Logical(
                LogicalTy::Date
                | LogicalTy::TimeMillis
                | LogicalTy::UuidFixed
                | LogicalTy::DecimalFixed { .. }
                | LogicalTy::Duration,
            ) => {
                let plain = plain();
                quote!({ #node.direct(__r) #err; #plain })
            }
            // Logical types over long and bytes take the promotions to them.
            Ty::Logical(
                LogicalTy::TimeMicros
                | LogicalTy::TimestampMillis
                | LogicalTy::TimestampMicros
                | LogicalTy::TimestampNanos
                | LogicalTy::LocalTimestampMillis
                | LogicalTy::LocalTimestampMicros
                | LogicalTy::LocalTimestampNanos,
            ) => {
                let t = self.rust_ty(ty, from);
                quote!(#t(#node.read_long(__r) #err))
            }
            Ty::Logical(LogicalTy::DecimalBytes { .. }) => {
                quote!(#rt::Decimal::from_be_bytes(#node.read_bytes(__r) #err))
            }
            Ty::Array(items) => {
                let c = format_ident!("__c{}", depth);
                let chain = item_chain(depth, chain);
                let item = self.resolved_expr(items, &quote!(#c), &chain, depth + 1, from);
                let pinned = self.pinned_item(items, from);
                let read = array_loop(
                    depth,
                    |so_far| quote!(#node.block_count(__r, #so_far) #err),
                    item,
                    pinned,
                );
                let plain = plain();
                quote! {
                    if #node.is_identity() { #plain } else {
                        let #node = #node.writer_branch(__r) #err;
                        let #c = #node.items() #err;
                        #read
                    }
                }
            }
            Ty::Map(values) => {
                let c = format_ident!("__c{}", depth);
                let chain = key_chain(depth, chain);
                let value = self.resolved_expr(values, &quote!(#c), &chain, depth + 1, from);
                let read = self.map_loop(
                    ty,
                    depth,
                    |so_far| quote!(#node.block_count(__r, #so_far) #err),
                    &err,
                    value,
                    from,
                );
                let plain = plain();
                quote! {
                    if #node.is_identity() { #plain } else {
                        let #node = #node.writer_branch(__r) #err;
                        let #c = #node.items() #err;
                        #read
                    }
                }
            }
            Ty::Option {
                null_index, inner, ..
            } => {
                // One branch read through the plan whether or not it is
                // identity (no second, plain copy of the inner decoder), by
                // the runtime's `PlanNode::option`; the error path is added
                // once, around the whole option.
                let null_index = Literal::usize_unsuffixed(*null_index);
                let c = format_ident!("__c{}", depth);
                let read = if self.field_ty(inner) {
                    quote!(#rt::field::Field::resolve)
                } else {
                    let inner = self.resolved_expr(inner, &quote!(#c), &[], depth + 1, from);
                    quote!(|__r, #c| ::core::result::Result::Ok(#inner))
                };
                quote!(#node.option(__r, #null_index, #read) #err)
            }
            Ty::External { .. } | Ty::Conv(_) => self.derive_resolved(ty, node, chain, depth, from),
            _ => {
                let plain = plain();
                quote! {
                    #node.decode_transcoded(__r, |__r: &mut #rt::Reader<'_>| -> ::core::result::Result<_, #rt::DecodeError> {
                        ::core::result::Result::Ok(#plain)
                    }) #err
                }
            }
        }
    }
}

impl Emitter<'_> {
    /// The body of a record's `decode_resolved(__r, __p)`: a slot per reader
    /// field, filled in the writer's order by the runtime's record loop
    /// (`resolve_support::record`, which also takes identity plans, writers
    /// that are not records, skipped fields and the field path of an error);
    /// only the read of each field is generated here. Reader fields the
    /// writer lacks take `defaults` (a Rust expression per field, `None`: no
    /// default).
    pub(super) fn record_resolved(
        &self,
        fields: &[FieldDef],
        defaults: &[Option<TokenStream>],
        from: &[String],
    ) -> TokenStream {
        let rt = &self.rt;
        let mut slots = Vec::new();
        let mut arms = Vec::new();
        let mut inits = Vec::new();
        let mut names = Vec::new();
        for (k, (f, default)) in fields.iter().zip(defaults).enumerate() {
            let fi = ident(&f.ident);
            let local = format_ident!("__f{}", k);
            let avro = &f.avro_name;
            // The slot's type is inferred from the struct field it fills.
            slots.push(quote!(let mut #local = ::core::option::Option::None;));
            let resolved = self.resolved_expr(&f.ty, &quote!(__n), &[], 0, from);
            let kl = Literal::usize_unsuffixed(k);
            arms.push(quote!(#kl => #local = ::core::option::Option::Some(#resolved)));
            names.push(avro);
            inits.push(match default {
                Some(default) => quote!(#fi: #local.unwrap_or_else(|| #default)),
                // A plan never leaves a field without default unfilled.
                None => quote!(#fi: #rt::resolve::required(#local, #avro)?),
            });
        }
        quote! {
            // Before the slots: the common writer = reader case pays nothing more.
            if __p.is_identity() {
                return <Self as #rt::Decode>::decode(__r);
            }
            #(#slots)*
            let __whole = #rt::resolve_support::record(__r, __p, &[#(#names),*], |__r, __t, __n| {
                match __t {
                    #(#arms,)*
                    _ => {}
                }
                ::core::result::Result::Ok(())
            })?;
            if let ::core::option::Option::Some(__v) = __whole {
                return ::core::result::Result::Ok(__v);
            }
            ::core::result::Result::Ok(Self { #(#inits,)* })
        }
    }
}
