//! Decoders specialized per known writer schema (issue 13): for a reader
//! type with writer schemas declared in [`Options::known_writers`], straight
//! code that reads each writer's bytes into the reader type (fields in the
//! writer's order, dropped fields skipped, defaults filled in, promotions and
//! enum symbols mapped at build time), with no plan to walk at run time.
//! `Decode::known_writer` hands them out by writer fingerprint; shapes left
//! to the plan-driven decoder are named in its doc comment.

use std::cell::RefCell;
use std::collections::HashMap;

use avro_schema::{NamedKind, Primitive, Schema, SchemaSet, TypeId};

use super::decode::{array_loop, block_count, err_of, item_chain, key_chain, option_match};
use super::*;

/// Why a writer gets no specialized decoder.
enum Why {
    /// The reader cannot read the writer's data: a build error.
    Incompatible(String),
    /// A shape left to the plan-driven decoder.
    Unsupported(String),
}

type Spec<T> = Result<T, Why>;

fn unsupported<T>(what: &str) -> Spec<T> {
    Err(Why::Unsupported(what.to_owned()))
}

/// A union branch the reader cannot read fails only when data takes it (the
/// plan's per-datum rule): inside a union, leave the pair to the plan.
fn in_union<T>(r: Spec<T>) -> Spec<T> {
    r.map_err(|w| match w {
        Why::Incompatible(m) => Why::Unsupported(format!("inside a union: {m}")),
        other => other,
    })
}

/// One writer schema being specialized for one reader type.
struct Writer<'e, 'a> {
    em: &'e Emitter<'a>,
    wset: &'e SchemaSet,
    rset: &'e SchemaSet,
    /// The module the functions are generated in (the reader type's).
    from: &'e [String],
    /// Name prefix of this writer's functions.
    prefix: String,
    /// One function per (reader record, writer record) pair.
    fns: RefCell<Vec<TokenStream>>,
    memo: RefCell<HashMap<(DefId, TypeId), Ident>>,
    /// Writer named types being skipped (a recursive one is refused).
    skipping: RefCell<Vec<TypeId>>,
}

impl Emitter<'_> {
    /// For type `id`: the `known_writer` method of its `Decode` impl and the
    /// functions it hands out (empty when no writer is declared for it).
    pub(super) fn known_writers(
        &self,
        id: DefId,
    ) -> Result<(TokenStream, TokenStream), CodegenError> {
        let t = &self.ir.types[id];
        let texts: Vec<&String> = self
            .opts
            .known_writers
            .iter()
            .filter(|(reader, _)| *reader == t.avro_name)
            .map(|(_, w)| w)
            .collect();
        if texts.is_empty() {
            return Ok((quote!(), quote!()));
        }
        let rt = &self.rt;
        let reader_json = self.reader_json(t).ok_or_else(|| {
            CodegenError::Option(format!(
                "known writers of {}: its schema text is not available to the generator",
                t.avro_name
            ))
        })?;
        let (rset, rroot) = SchemaSet::parse_str(&reader_json)?;
        let self_ty = Ty::Def { id, boxed: false };
        let path = self.rust_ty(&self_ty, &t.module);
        let (mut arms, mut fns, mut notes, mut seen) = (vec![], vec![], vec![], vec![]);
        for (k, text) in texts.iter().enumerate() {
            let (wset, wroot) = SchemaSet::parse_str(text).map_err(|e| {
                CodegenError::Option(format!("known writer {} of {}: {e}", k + 1, t.avro_name))
            })?;
            let fp = wset.fingerprint(&wroot);
            if seen.contains(&fp) {
                continue;
            }
            seen.push(fp);
            let w = Writer {
                em: self,
                wset: &wset,
                rset: &rset,
                from: &t.module,
                prefix: format!("__known{k}"),
                fns: RefCell::new(Vec::new()),
                memo: RefCell::new(HashMap::new()),
                skipping: RefCell::new(Vec::new()),
            };
            match w.read(&wroot, &rroot, &self_ty, &[], 0) {
                Ok(expr) => {
                    let name = format_ident!("__known{}", k);
                    fns.extend(w.fns.into_inner());
                    fns.push(quote! {
                        #[inline]
                        fn #name(__r: &mut #rt::Reader<'_>) -> ::core::result::Result<#path, #rt::DecodeError> {
                            ::core::result::Result::Ok(#expr)
                        }
                    });
                    let fpl = Literal::u64_suffixed(fp);
                    arms.push(quote!(#fpl => ::core::option::Option::Some(#name)));
                }
                Err(Why::Incompatible(m)) => {
                    return Err(CodegenError::Option(format!(
                        "known writer {} of {} (fingerprint {fp}) cannot be read as it: {m}",
                        k + 1,
                        t.avro_name
                    )))
                }
                Err(Why::Unsupported(m)) => notes.push(format!(
                    "Writer fingerprint {fp}: not specialized ({m}); read through the plan."
                )),
            }
        }
        let notes = notes.iter().map(|n| quote!(#[doc = #n]));
        Ok((
            quote! {
                #(#notes)*
                #[inline]
                fn known_writer(__fp: u64) -> ::core::option::Option<#rt::KnownWriterDecoder<Self>> {
                    match __fp {
                        #(#arms,)*
                        _ => ::core::option::Option::None,
                    }
                }
            },
            quote!(#(#fns)*),
        ))
    }

    /// The full JSON of a type's schema, as its `AvroSchema::schema()` gives it.
    fn reader_json(&self, t: &TypeDef) -> Option<String> {
        match &t.schema.as_ref()?.source {
            SchemaSource::Inline { json, .. } => Some(json.clone()),
            SchemaSource::Embedded(target) => {
                let sources: Vec<&str> = self.ir.sources.iter().map(String::as_str).collect();
                let set = avro_schema::__private::load(&sources);
                Some(match target {
                    SchemaTarget::Named(n) => avro_schema::__private::named(&set, n).0,
                    SchemaTarget::Root(i) => avro_schema::__private::root(&set, *i).0,
                })
            }
            SchemaSource::Composed { .. } => None,
        }
    }
}

impl Writer<'_, '_> {
    /// An expression reading a writer value of schema `w` into the reader
    /// type `ty` (reader schema `r`), errors mapped through `chain`.
    fn read(
        &self,
        w: &Schema,
        r: &Schema,
        ty: &Ty,
        chain: &[TokenStream],
        depth: usize,
    ) -> Spec<TokenStream> {
        let em = self.em;
        let from = self.from;
        // The same bytes: the reader's own decoder.
        if self.wset.canonical_form(w) == self.rset.canonical_form(r) {
            return Ok(em.decode_expr(ty, chain, depth, from));
        }
        let err = err_of(chain);
        let mismatch = || {
            Err(Why::Incompatible(format!(
                "the writer's {} is read as {}",
                self.wset.canonical_form(w),
                self.rset.canonical_form(r)
            )))
        };
        match ty {
            Ty::Option {
                null_index, inner, ..
            } => {
                let Schema::Union(rb) = r else {
                    return unsupported("an option without a reader union");
                };
                let rinner = &rb[1 - *null_index];
                match w {
                    Schema::Union(_) => {
                        let Some((wnull, winner)) = w.as_option() else {
                            return unsupported("a writer union read as an option");
                        };
                        let inner = in_union(self.read(winner, rinner, inner, chain, depth + 1))?;
                        Ok(option_match(wnull, &err, inner))
                    }
                    Schema::Primitive {
                        ty: Primitive::Null,
                        ..
                    } => Ok(quote!(::core::option::Option::None)),
                    _ => {
                        let inner = self.read(w, rinner, inner, chain, depth + 1)?;
                        Ok(quote!(::core::option::Option::Some(#inner)))
                    }
                }
            }
            Ty::Long | Ty::Float | Ty::Double | Ty::String | Ty::Bytes => {
                let Schema::Primitive { ty: wp, .. } = w else {
                    return mismatch();
                };
                // The writer's read, and the cast to the reader's type
                // (none where the same bytes are read another way: a string
                // is checked as UTF-8).
                let (read, cast) = match (ty, wp) {
                    (Ty::Long, Primitive::Int) => (quote!(read_int()), Some(quote!(i64))),
                    (Ty::Float, Primitive::Int) => (quote!(read_int()), Some(quote!(f32))),
                    (Ty::Float, Primitive::Long) => (quote!(read_long()), Some(quote!(f32))),
                    (Ty::Double, Primitive::Int) => (quote!(read_int()), Some(quote!(f64))),
                    (Ty::Double, Primitive::Long) => (quote!(read_long()), Some(quote!(f64))),
                    (Ty::Double, Primitive::Float) => (quote!(read_float()), Some(quote!(f64))),
                    (Ty::String, Primitive::Bytes) => (quote!(read_string()), None),
                    (Ty::Bytes, Primitive::String) => (quote!(read_bytes()), None),
                    _ => return mismatch(),
                };
                let v = quote!(__r.#read #err);
                Ok(match cast {
                    Some(t) => quote!(#v as #t),
                    None => v,
                })
            }
            // Logical types over long take an int writer.
            Ty::Logical(
                LogicalTy::TimeMicros
                | LogicalTy::TimestampMillis
                | LogicalTy::TimestampMicros
                | LogicalTy::TimestampNanos
                | LogicalTy::LocalTimestampMillis
                | LogicalTy::LocalTimestampMicros
                | LogicalTy::LocalTimestampNanos,
            ) if matches!(
                w,
                Schema::Primitive {
                    ty: Primitive::Int,
                    ..
                }
            ) =>
            {
                let t = em.rust_ty(ty, from);
                Ok(quote!(#t(__r.read_int() #err as i64)))
            }
            Ty::Array(items) => {
                let (Schema::Array { items: wi, .. }, Schema::Array { items: ri, .. }) = (w, r)
                else {
                    return mismatch();
                };
                let min = self.writer_min(wi, &mut Vec::new());
                let item = self.read(wi, ri, items, &item_chain(depth, chain), depth + 1)?;
                Ok(array_loop(
                    depth,
                    block_count(min, &err),
                    item,
                    em.pinned_item(items, from),
                ))
            }
            Ty::Map(values) => {
                let (Schema::Map { values: wv, .. }, Schema::Map { values: rv, .. }) = (w, r)
                else {
                    return mismatch();
                };
                let min = 1 + self.writer_min(wv, &mut Vec::new());
                let value = self.read(wv, rv, values, &key_chain(depth, chain), depth + 1)?;
                Ok(em.map_loop(ty, depth, block_count(min, &err), &err, value, from))
            }
            Ty::Def { id, boxed } => {
                let (Schema::Named(wid), Schema::Named(rid)) = (w, r) else {
                    return unsupported("a union or non-named type on one side");
                };
                let (wt, rtd) = (self.wset.get(*wid), self.rset.get(*rid));
                // As the plan matches names: the unqualified name, or a
                // reader alias naming the writer's full name.
                if wt.name.name != rtd.name.name && !rtd.aliases.contains(&wt.name) {
                    return Err(Why::Incompatible(format!(
                        "the writer's {} is read as {}",
                        wt.name, rtd.name
                    )));
                }
                let out = match &em.ir.types[*id].kind {
                    DefKind::Record { fields } => {
                        let f = self.record(*id, fields, *wid, *rid)?;
                        quote!(#f(__r) #err)
                    }
                    DefKind::Enum { variants, default } => {
                        self.enumeration(*id, variants, *default, *wid, chain, &err)?
                    }
                    _ => return unsupported("a fixed or union type that differs"),
                };
                Ok(if *boxed {
                    quote!(::std::boxed::Box::new(#out))
                } else {
                    out
                })
            }
            _ => unsupported("a union, fixed or logical type that differs"),
        }
    }

    /// The function reading writer record `wid` into reader record `id`
    /// (generated once per pair).
    fn record(&self, id: DefId, fields: &[FieldDef], wid: TypeId, rid: TypeId) -> Spec<Ident> {
        let em = self.em;
        let rt = &em.rt;
        if let Some(f) = self.memo.borrow().get(&(id, wid)) {
            return Ok(f.clone());
        }
        if em.recursive[id] {
            return unsupported("a recursive type");
        }
        let (
            NamedKind::Record {
                fields: wfields, ..
            },
            NamedKind::Record {
                fields: rfields, ..
            },
        ) = (&self.wset.get(wid).kind, &self.rset.get(rid).kind)
        else {
            return Err(Why::Incompatible(format!(
                "the writer's {} is not a record",
                self.wset.get(wid).name
            )));
        };
        if rfields.len() != fields.len() {
            return unsupported("a record whose fields the generator changed");
        }
        let name = format_ident!("{}_{}", self.prefix, self.memo.borrow().len());
        self.memo.borrow_mut().insert((id, wid), name.clone());
        // The writer field each reader field reads: by name, else by alias.
        let mut source: Vec<Option<usize>> = vec![None; fields.len()];
        for (t, rf) in rfields.iter().enumerate() {
            let by_name = wfields.iter().position(|wf| wf.name == rf.name);
            let by_alias = wfields.iter().position(|wf| rf.aliases.contains(&wf.name));
            source[t] = match (by_name, by_alias) {
                (Some(a), Some(b)) if a != b => {
                    return unsupported("a field matched by name and by alias");
                }
                (a, b) => a.or(b),
            };
        }
        for (t, s) in source.iter().enumerate() {
            if s.is_some() && source[..t].contains(s) {
                return unsupported("two reader fields read one writer field");
            }
        }
        let mut stmts = Vec::new();
        let mut locals: Vec<Option<Ident>> = vec![None; fields.len()];
        for (k, wf) in wfields.iter().enumerate() {
            match source.iter().position(|s| *s == Some(k)) {
                Some(t) => {
                    let local = format_ident!("__w{}", k);
                    let avro = &fields[t].avro_name;
                    let e = self.read(
                        &wf.schema,
                        &rfields[t].schema,
                        &fields[t].ty,
                        &[quote!(.avro_field(#avro))],
                        0,
                    )?;
                    stmts.push(quote!(let #local = #e;));
                    locals[t] = Some(local);
                }
                None => stmts.push(self.skip(&wf.schema, 0)?),
            }
        }
        let mut inits = Vec::new();
        for (f, local) in fields.iter().zip(&locals) {
            let fi = ident(&f.ident);
            inits.push(match (local, &f.default) {
                (Some(l), _) => quote!(#fi: #l),
                (None, Some(d)) => {
                    let d = em
                        .default_expr(&f.ty, d, self.from)
                        .map_err(|e| Why::Unsupported(e.to_string()))?;
                    quote!(#fi: #d)
                }
                (None, None) => {
                    return Err(Why::Incompatible(format!(
                        "reader field {:?} has no default and the writer has no such field",
                        f.avro_name
                    )))
                }
            });
        }
        let path = em.rust_ty(&Ty::Def { id, boxed: false }, self.from);
        self.fns.borrow_mut().push(quote! {
            #[inline]
            fn #name(__r: &mut #rt::Reader<'_>) -> ::core::result::Result<#path, #rt::DecodeError> {
                #(#stmts)*
                ::core::result::Result::Ok(#path { #(#inits,)* })
            }
        });
        Ok(name)
    }

    /// A writer enum read as reader enum `id`: symbols mapped at build time.
    fn enumeration(
        &self,
        id: DefId,
        variants: &[VariantDef],
        default: Option<usize>,
        wid: TypeId,
        chain: &[TokenStream],
        err: &TokenStream,
    ) -> Spec<TokenStream> {
        let rt = &self.em.rt;
        let NamedKind::Enum { symbols, .. } = &self.wset.get(wid).kind else {
            return Err(Why::Incompatible("the writer's type is not an enum".into()));
        };
        if symbols.is_empty() {
            return unsupported("an enum without symbols");
        }
        let path = self.em.rust_ty(&Ty::Def { id, boxed: false }, self.from);
        let arms = symbols.iter().enumerate().map(|(k, s)| {
            let pat = if k + 1 == symbols.len() {
                quote!(_)
            } else {
                let k = Literal::usize_unsuffixed(k);
                quote!(#k)
            };
            match variants
                .iter()
                .position(|v| v.avro_name == *s)
                .or(default)
            {
                Some(j) => {
                    let v = ident(&variants[j].ident);
                    quote!(#pat => #path::#v)
                }
                None => {
                    let msg = format!(
                        "the writer's enum symbol {s:?} is not a reader symbol and the reader enum has no default"
                    );
                    quote!(#pat => return ::core::result::Result::Err(#rt::DecodeError::new(#rt::DecodeErrorKind::Custom(#msg.into())) #(#chain)*))
                }
            }
        });
        let n = Literal::usize_unsuffixed(symbols.len());
        Ok(quote!(match __r.read_enum_index(#n) #err { #(#arms,)* }))
    }

    /// Statements that skip a writer value of schema `w`.
    fn skip(&self, w: &Schema, depth: usize) -> Spec<TokenStream> {
        Ok(match w {
            Schema::Primitive { ty, .. } => match ty {
                Primitive::Null => quote!(),
                Primitive::Boolean => quote!(__r.take(1)?;),
                Primitive::Int | Primitive::Long => quote!(__r.read_long()?;),
                Primitive::Float => quote!(__r.take(4)?;),
                Primitive::Double => quote!(__r.take(8)?;),
                Primitive::Bytes | Primitive::String => quote!(__r.read_bytes_ref()?;),
            },
            Schema::Array { items, .. } => {
                let n = format_ident!("__s{}", depth);
                let min = Literal::usize_unsuffixed(self.writer_min(items, &mut Vec::new()));
                let inner = self.skip(items, depth + 1)?;
                let t = format_ident!("__t{}", depth);
                quote! {
                    let mut #t = 0usize;
                    loop {
                        let #n = __r.read_block_count(#min, #t)?;
                        if #n == 0 { break; }
                        #t += #n;
                        for _ in 0..#n { #inner }
                    }
                }
            }
            Schema::Map { values, .. } => {
                let n = format_ident!("__s{}", depth);
                let min = Literal::usize_unsuffixed(1 + self.writer_min(values, &mut Vec::new()));
                let inner = self.skip(values, depth + 1)?;
                let t = format_ident!("__t{}", depth);
                quote! {
                    let mut #t = 0usize;
                    loop {
                        let #n = __r.read_block_count(#min, #t)?;
                        if #n == 0 { break; }
                        #t += #n;
                        for _ in 0..#n { __r.read_bytes_ref()?; #inner }
                    }
                }
            }
            Schema::Union(branches) => {
                let mut arms = Vec::new();
                for (k, b) in branches.iter().enumerate() {
                    let body = self.skip(b, depth + 1)?;
                    let pat = if k + 1 == branches.len() {
                        quote!(_)
                    } else {
                        let k = Literal::usize_unsuffixed(k);
                        quote!(#k)
                    };
                    arms.push(quote!(#pat => { #body }));
                }
                let n = Literal::usize_unsuffixed(branches.len());
                quote!(match __r.read_union_index(#n)? { #(#arms)* })
            }
            Schema::Named(id) => match &self.wset.get(*id).kind {
                NamedKind::Record { fields, .. } => {
                    if self.skipping.borrow().contains(id) {
                        return unsupported("a recursive writer type the reader drops");
                    }
                    self.skipping.borrow_mut().push(*id);
                    let parts: Spec<Vec<TokenStream>> =
                        fields.iter().map(|f| self.skip(&f.schema, depth)).collect();
                    self.skipping.borrow_mut().pop();
                    let parts = parts?;
                    quote!(#(#parts)*)
                }
                NamedKind::Enum { .. } => quote!(__r.read_long()?;),
                NamedKind::Fixed { size, .. } => {
                    let n = Literal::usize_unsuffixed(*size);
                    quote!(__r.take(#n)?;)
                }
            },
        })
    }

    /// The fewest bytes a writer value of `w` takes (bounds block counts).
    fn writer_min(&self, w: &Schema, visiting: &mut Vec<TypeId>) -> usize {
        match w {
            Schema::Primitive { ty, .. } => match ty {
                Primitive::Null => 0,
                Primitive::Float => 4,
                Primitive::Double => 8,
                _ => 1,
            },
            Schema::Array { .. } | Schema::Map { .. } | Schema::Union(_) => 1,
            Schema::Named(id) => {
                if visiting.contains(id) {
                    return 0;
                }
                visiting.push(*id);
                let n = match &self.wset.get(*id).kind {
                    NamedKind::Record { fields, .. } => fields
                        .iter()
                        .map(|f| self.writer_min(&f.schema, visiting))
                        .sum(),
                    NamedKind::Enum { .. } => 1,
                    NamedKind::Fixed { size, .. } => *size,
                };
                visiting.pop();
                n
            }
        }
    }
}
