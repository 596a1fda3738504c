//! The item → avro-codegen IR and schema template: records from structs,
//! enums from unit-only enums, unions from enums with data, newtypes; the
//! checks that need the whole item (names that collide, union branches of
//! one type, enum defaults, defaults against their field's schema).

use std::collections::{HashMap, HashSet};

use avro_codegen::ir::{DefKind, FieldDef, Ir, SchemaSource, SchemaText, TypeDef, VariantDef};
use avro_codegen::{DeriveTarget, Options, TagContent, VariantShape};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use serde_json::{json, Map, Value};
use syn::{Data, DeriveInput, Fields};

use crate::attr::{apply_case, valid_name, Attrs, DefaultAttr, Level, Spanned, CASES};
use crate::ctxt::Ctxt;
use crate::ty::{with_props, FieldType, TypeCx};

/// The impls for `input`, or every error found in it.
pub fn expand(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let out = Expander::new(&cx, input).and_then(|mut e| e.run());
    match (cx.check(), out) {
        (Ok(()), Some(tokens)) => tokens,
        (Err(errors), _) => errors,
        (Ok(()), None) => quote!(::core::compile_error!(
            "avro-derive failed without saying why (a bug)"
        );),
    }
}

struct Expander<'a> {
    cx: &'a Ctxt,
    input: &'a DeriveInput,
    attrs: Attrs,
    tcx: TypeCx<'a>,
    avro_name: String,
    ir: Ir,
    /// Named types defined so far in the template (full names).
    defined: HashSet<String>,
    holes: Vec<String>,
    guard_depth: bool,
    borrows: bool,
    /// A field holds a reference (or a type with a lifetime): no owned `Decode`.
    holds_ref: bool,
}

fn rust_name(ident: &syn::Ident) -> String {
    ident.to_string().trim_start_matches("r#").to_owned()
}

impl<'a> Expander<'a> {
    fn new(cx: &'a Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = Attrs::parse(cx, &input.attrs, Level::Container);
        let avro_name = match &attrs.name {
            Some(n) => {
                if !valid_name(&n.value) {
                    cx.error_spanned_by(&n.tokens, format!("{:?} is not a valid Avro name: letters, digits and `_`, not starting with a digit", n.value));
                }
                n.value.clone()
            }
            None => rust_name(&input.ident),
        };
        let namespace = attrs.namespace.as_ref().and_then(|n| {
            if n.value.is_empty() {
                return None;
            }
            if !n.value.split('.').all(valid_name) {
                cx.error_spanned_by(
                    &n.tokens,
                    format!(
                        "{:?} is not a valid Avro namespace: names separated by dots",
                        n.value
                    ),
                );
            }
            Some(n.value.clone())
        });
        if let Some(r) = &attrs.rename_all {
            if apply_case(&r.value, "x", false).is_none() {
                cx.error_spanned_by(
                    &r.tokens,
                    format!(
                        "unknown rename_all rule {:?}; expected one of {CASES}",
                        r.value
                    ),
                );
            }
        }
        let self_fullname = match &namespace {
            Some(ns) => format!("{ns}.{avro_name}"),
            None => avro_name.clone(),
        };
        let type_params = input
            .generics
            .type_params()
            .map(|p| p.ident.to_string())
            .collect();
        Some(Expander {
            cx,
            input,
            tcx: TypeCx {
                cx,
                self_names: vec!["Self".into(), input.ident.to_string()],
                self_fullname,
                namespace,
                type_params,
                runtime_crate: attrs.krate.as_ref().map(|k| k.value.clone()),
            },
            attrs,
            avro_name,
            ir: Ir::default(),
            defined: HashSet::new(),
            holes: Vec::new(),
            guard_depth: false,
            borrows: false,
            holds_ref: false,
        })
    }

    fn fullname(&self, name: &str) -> String {
        match &self.tcx.namespace {
            Some(ns) => format!("{ns}.{name}"),
            None => name.to_owned(),
        }
    }

    /// A named schema object's header: type, name, namespace, doc, aliases.
    fn named_header(&self, kind: &str, name: &str, a: &Attrs) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("type".into(), kind.into());
        m.insert("name".into(), name.into());
        if let Some(ns) = &self.tcx.namespace {
            m.insert("namespace".into(), ns.clone().into());
        }
        if let Some(d) = &a.doc {
            m.insert("doc".into(), d.clone().into());
        }
        let aliases: Vec<Value> = a
            .aliases
            .iter()
            .map(|s| {
                if !s.value.split('.').all(valid_name) {
                    self.cx.error_spanned_by(
                        &s.tokens,
                        format!("{:?} is not a valid Avro name", s.value),
                    );
                }
                Value::String(s.value.clone())
            })
            .collect();
        if !aliases.is_empty() {
            m.insert("aliases".into(), Value::Array(aliases));
        }
        m
    }

    fn props(&self, a: &Attrs, reserved: &[&str]) -> Map<String, Value> {
        let mut m = Map::new();
        for (name, v) in &a.props {
            if reserved.contains(&name.value.as_str()) {
                self.cx.error_spanned_by(
                    &name.tokens,
                    format!("{:?} is an attribute of the schema itself, not a custom property: use the avro attribute for it", name.value),
                );
            }
            m.insert(name.value.clone(), v.clone());
        }
        m
    }

    fn run(&mut self) -> Option<TokenStream> {
        let input = self.input;
        let mut target = DeriveTarget::default();
        if !matches!(input.data, Data::Enum(_)) {
            self.repr_on_non_enum();
        }
        let (kind, schema) = match &input.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(named) => {
                    let (fields, schema_fields, skipped) = self.fields(
                        named.named.iter(),
                        self.attrs.rename_all.as_ref().map(|r| r.value.clone()),
                    );
                    target.skipped = skipped;
                    let mut m = self.named_header("record", &self.avro_name, &self.attrs);
                    m.insert("fields".into(), Value::Array(schema_fields));
                    m.extend(self.props(
                        &self.attrs,
                        &["type", "name", "namespace", "doc", "aliases", "fields"],
                    ));
                    self.defined.insert(self.tcx.self_fullname.clone());
                    (DefKind::Record { fields }, Value::Object(m))
                }
                Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                    let f = &u.unnamed[0];
                    let fa = Attrs::parse(self.cx, &f.attrs, Level::Field);
                    let ft = self.tcx.field(&f.ty, &fa)?;
                    self.check_borrow(&f.ty, &ft);
                    self.note(&ft);
                    if let FieldType::ByteArray { size, .. } = ft {
                        // A newtype over bytes: a fixed named after the struct.
                        let mut m = self.named_header("fixed", &self.avro_name, &self.attrs);
                        m.insert("size".into(), json!(size));
                        m.extend(self.props(
                            &self.attrs,
                            &["type", "name", "namespace", "doc", "aliases", "size"],
                        ));
                        (DefKind::Fixed { size }, Value::Object(m))
                    } else {
                        if let Some(n) = self.attrs.namespace.as_ref().or(self.attrs.name.as_ref())
                        {
                            self.cx.error_spanned_by(&n.tokens, "a newtype stands for its inner type's schema, which has no name of its own here: remove the name/namespace (a `[u8; N]` newtype is a named fixed)");
                        }
                        let schema = ft.schema(&self.tcx, &mut self.defined, &mut self.holes);
                        (
                            DefKind::Wrapper { ty: ft.ty() },
                            with_props(schema, &self.props(&self.attrs, &[])),
                        )
                    }
                }
                _ => {
                    self.cx.error_spanned_by(
                        &input.ident,
                        "Avro cannot express this shape: a struct needs named fields (a record) or exactly one unnamed field (a newtype)",
                    );
                    return None;
                }
            },
            Data::Enum(e) => {
                if e.variants.is_empty() {
                    self.cx.error_spanned_by(
                        &input.ident,
                        "an enum without variants has no values: Avro cannot express it",
                    );
                    return None;
                }
                let unit_only = e.variants.iter().all(|v| matches!(v.fields, Fields::Unit));
                match self.repr(unit_only)? {
                    Repr::Enum => self.unit_enum(e)?,
                    repr => self.union(e, &mut target, repr)?,
                }
            }
            Data::Union(u) => {
                self.cx.error_spanned_by(
                    u.union_token,
                    "Rust unions have no Avro schema: use an enum",
                );
                return None;
            }
        };
        if self.cx.has_errors() {
            return None;
        }
        let source = if self.holes.is_empty() {
            match avro_schema::compose::texts(&schema) {
                Ok(t) => SchemaText {
                    fingerprint: t.fingerprint,
                    source: SchemaSource::Inline {
                        json: t.json,
                        canonical: t.canonical,
                    },
                },
                Err(e) => {
                    self.cx.error_spanned_by(
                        &input.ident,
                        format!("the derived schema is invalid: {}", e.message),
                    );
                    return None;
                }
            }
        } else {
            SchemaText {
                fingerprint: 0,
                source: SchemaSource::Composed {
                    template: schema.to_string(),
                    holes: self.holes.clone(),
                },
            }
        };
        let item = TypeDef {
            module: Vec::new(),
            ident: input.ident.to_string(),
            avro_name: self.avro_name.clone(),
            doc: None,
            kind,
            schema: Some(source),
        };
        self.ir.types.insert(0, item);
        // Struct-variant records were pushed first: shift their ids.
        for v in &mut target.variants {
            if let VariantShape::Struct { record, .. } | VariantShape::Positional { record, .. } = v
            {
                *record += 1;
            }
        }
        self.finish_target(&mut target);
        let opts = Options {
            runtime_crate: self
                .attrs
                .krate
                .as_ref()
                .map_or_else(|| "::avro_runtime".to_owned(), |k| k.value.clone()),
            ..Options::default()
        };
        match avro_codegen::derive_impls(&self.ir, 0, &opts, &target) {
            Ok(t) => Some(t),
            Err(e) => {
                let span_at = self.attrs.krate.as_ref().map(|k| k.tokens.clone());
                match span_at {
                    Some(t) => self.cx.error_spanned_by(t, e),
                    None => self.cx.error_spanned_by(&input.ident, e),
                }
                None
            }
        }
    }

    fn note(&mut self, ft: &FieldType) {
        self.guard_depth |= ft.refers_to_self() || ft.indirect_external(false);
        self.borrows |= ft.borrows();
        self.holds_ref |= ft.holds_ref();
    }

    /// A borrowing field of an item with a lifetime must borrow for that
    /// lifetime: the borrowed decoder ties every borrowed value to the
    /// input's. (Without a lifetime parameter, `&'static str` fields make
    /// an encode-only type, as before.)
    fn check_borrow(&self, ty: &syn::Type, ft: &FieldType) {
        if !ft.borrows() {
            return;
        }
        let lts: Vec<String> = self
            .input
            .generics
            .lifetimes()
            .map(|l| l.lifetime.ident.to_string())
            .collect();
        match lts.as_slice() {
            [] => {}
            [lt] => {
                for (name, tokens) in lifetimes_in(ty.to_token_stream()) {
                    if name != *lt {
                        self.cx.error_spanned_by(tokens, format!("`'{name}` is not the item's lifetime: the borrowed decoder (`DecodeBorrowed<'{lt}>`) can only tie a borrowed field to the input's lifetime `'{lt}`: write `'{lt}` here, or use an owned type (`String`, `Vec<u8>`)"));
                    }
                }
            }
            _ => self.cx.error_spanned_by(ty, format!("the borrowed decoder ties every borrowed field to one input lifetime, and this item has {}: give it one lifetime parameter", lts.iter().map(|l| format!("'{l}")).collect::<Vec<_>>().join(", "))),
        }
    }

    fn finish_target(&self, t: &mut DeriveTarget) {
        let input = self.input;
        let rt: TokenStream = self
            .attrs
            .krate
            .as_ref()
            .map_or_else(|| "::avro_runtime".to_owned(), |k| k.value.clone())
            .parse()
            .unwrap_or_default();
        let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
        let ident = &input.ident;
        t.self_ty = quote!(#ident #ty_generics);
        t.impl_generics = impl_generics.to_token_stream();
        let params: Vec<&syn::Ident> = input.generics.type_params().map(|p| &p.ident).collect();
        let existing: Vec<TokenStream> = where_clause
            .map(|w| w.predicates.iter().map(|p| p.to_token_stream()).collect())
            .unwrap_or_default();
        let clause = |bound: TokenStream| {
            let preds = params.iter().map(|p| quote!(#p: #bound));
            let all: Vec<TokenStream> = existing.iter().cloned().chain(preds).collect();
            if all.is_empty() {
                quote!()
            } else {
                quote!(where #(#all,)*)
            }
        };
        t.where_schema = clause(quote!(#rt::AvroSchema + 'static));
        t.where_encode = clause(quote!(#rt::Encode));
        t.where_decode = clause(quote!(#rt::Decode));
        t.generic = !params.is_empty();
        t.decode = !self.holds_ref;
        let lifetimes: Vec<&syn::Lifetime> =
            input.generics.lifetimes().map(|l| &l.lifetime).collect();
        if let ([lt], true) = (lifetimes.as_slice(), self.borrows) {
            t.borrowed = Some(lt.to_token_stream());
        }
        // The type in a context without the item's generics (the cache of a
        // composed schema): lifetimes as `'static`.
        let statics = input.generics.lifetimes().map(|_| quote!('static));
        t.static_ty = if params.is_empty() && !lifetimes.is_empty() {
            quote!(#ident<#(#statics),*>)
        } else {
            t.self_ty.clone()
        };
        t.guard_depth = self.guard_depth;
    }

    /// Record fields: IR fields, schema field objects, skipped idents.
    fn fields<'f>(
        &mut self,
        fields: impl Iterator<Item = &'f syn::Field>,
        rename_all: Option<String>,
    ) -> (Vec<FieldDef>, Vec<Value>, Vec<String>) {
        let mut out = Vec::new();
        let mut schemas = Vec::new();
        let mut skipped = Vec::new();
        let mut seen: HashMap<String, ()> = HashMap::new();
        for (k, f) in fields.enumerate() {
            // Unnamed fields (of tuple variants) are `field_0`, `field_1`, ...
            let (ident, rust, ident_tokens) = match &f.ident {
                Some(i) => (i.to_string(), rust_name(i), i.to_token_stream()),
                None => (
                    format!("field_{k}"),
                    format!("field_{k}"),
                    f.ty.to_token_stream(),
                ),
            };
            let fa = Attrs::parse(self.cx, &f.attrs, Level::Field);
            if fa.skip.is_some() {
                skipped.push(ident);
                continue;
            }
            let name = match (&fa.name, &rename_all) {
                (Some(n), _) => n.value.clone(),
                (None, Some(rule)) => apply_case(rule, &rust, false).unwrap_or(rust.clone()),
                (None, None) => rust.clone(),
            };
            let name_tokens = fa
                .name
                .as_ref()
                .map_or_else(|| ident_tokens.clone(), |n| n.tokens.clone());
            if !valid_name(&name) {
                self.cx.error_spanned_by(&name_tokens, format!("{name:?} is not a valid Avro field name: letters, digits and `_`, not starting with a digit (rename it with #[avro(rename = \"...\")])"));
            }
            if seen.insert(name.clone(), ()).is_some() {
                self.cx.error_spanned_by(
                    &name_tokens,
                    format!("two fields have the Avro name {name:?}: rename one of them"),
                );
            }
            let Some(mut ft) = self.tcx.field(&f.ty, &fa) else {
                continue;
            };
            self.check_borrow(&f.ty, &ft);
            let default = match &fa.default {
                Some(d) => match &d.value {
                    DefaultAttr::Json(v) => Some((v.clone(), d.tokens.clone())),
                    DefaultAttr::Flag => match ft.natural_default() {
                        Some(v) => Some((v, d.tokens.clone())),
                        None => {
                            self.cx.error_spanned_by(&d.tokens, "the macro does not know this type's `Default` as an Avro value: give it as JSON, #[avro(default = \"...\")]");
                            None
                        }
                    },
                },
                None => {
                    matches!(ft, FieldType::Option(..)).then(|| (Value::Null, TokenStream::new()))
                }
            };
            if let (FieldType::Option(inner, idx), Some((d, _))) = (&mut ft, &default) {
                if !d.is_null() {
                    *idx = 1;
                    let _ = inner;
                }
            }
            self.note(&ft);
            let schema = ft.schema(&self.tcx, &mut self.defined, &mut self.holes);
            if let Some((d, tokens)) = &default {
                self.check_default(&ft, &name, d, tokens, &f.ty);
            }
            let mut m = Map::new();
            m.insert("name".into(), name.clone().into());
            m.insert("type".into(), schema);
            if let Some(doc) = &fa.doc {
                m.insert("doc".into(), doc.clone().into());
            }
            if let Some((d, _)) = &default {
                m.insert("default".into(), d.clone());
            }
            let aliases: Vec<Value> = fa
                .aliases
                .iter()
                .map(|a| {
                    if !valid_name(&a.value) {
                        self.cx.error_spanned_by(
                            &a.tokens,
                            format!("{:?} is not a valid Avro field name", a.value),
                        );
                    }
                    Value::String(a.value.clone())
                })
                .collect();
            if !aliases.is_empty() {
                m.insert("aliases".into(), Value::Array(aliases));
            }
            m.extend(self.props(&fa, &["name", "type", "doc", "default", "aliases", "order"]));
            schemas.push(Value::Object(m));
            out.push(FieldDef {
                ident: ident.to_string(),
                avro_name: name,
                ty: ft.ty(),
                doc: fa.doc.clone(),
                default: default.map(|(d, _)| d),
            });
        }
        (out, schemas, skipped)
    }

    /// A default must be valid for its field's schema: checked here with
    /// the schema model's own check when the field's schema is all known,
    /// else when the program composes the schema.
    fn check_default(
        &self,
        ft: &FieldType,
        name: &str,
        d: &Value,
        tokens: &TokenStream,
        ty: &syn::Type,
    ) {
        if ft.has_external() {
            return;
        }
        let at = || -> TokenStream {
            if tokens.is_empty() {
                ty.to_token_stream()
            } else {
                tokens.clone()
            }
        };
        if let Some(rust) = ft.narrow_int() {
            let fits = d
                .as_i64()
                .map(i128::from)
                .or_else(|| d.as_u64().map(i128::from))
                .is_some_and(|i| int_fits(rust, i));
            if !fits {
                self.cx.error_spanned_by(
                    at(),
                    format!("default {d} does not fit the field's type `{rust}`"),
                );
                return;
            }
        }
        let mut defined = HashSet::new();
        let mut holes = Vec::new();
        let schema = ft.schema(&self.tcx, &mut defined, &mut holes);
        let probe = json!({"type":"record","name": self.tcx.self_fullname,
            "fields":[{"name": name,"type": schema.clone(),"default": d}]});
        if let Err(e) = avro_schema::SchemaSet::parse_str(&probe.to_string()) {
            let why = e.message;
            self.cx.error_spanned_by(
                at(),
                format!("default {d} does not fit the field's schema {schema}: {why}"),
            );
        }
    }

    fn variant_name(&self, v: &syn::Variant, va: &Attrs) -> String {
        match (&va.name, &self.attrs.rename_all) {
            (Some(n), _) => n.value.clone(),
            (None, Some(rule)) => apply_case(&rule.value, &rust_name(&v.ident), true)
                .unwrap_or_else(|| rust_name(&v.ident)),
            (None, None) => rust_name(&v.ident),
        }
    }

    fn unit_enum(&mut self, e: &syn::DataEnum) -> Option<(DefKind, Value)> {
        let mut variants = Vec::new();
        let mut symbols = Vec::new();
        let mut default = None;
        let mut seen = HashSet::new();
        for v in &e.variants {
            let va = Attrs::parse(self.cx, &v.attrs, Level::Variant);
            let name = self.variant_name(v, &va);
            let at = va
                .name
                .as_ref()
                .map_or_else(|| v.ident.to_token_stream(), |n| n.tokens.clone());
            if !valid_name(&name) {
                self.cx
                    .error_spanned_by(&at, format!("{name:?} is not a valid Avro enum symbol"));
            }
            if !seen.insert(name.clone()) {
                self.cx.error_spanned_by(
                    &at,
                    format!("two variants have the Avro symbol {name:?}: rename one of them"),
                );
            }
            if let Some(d) = &va.default {
                if let DefaultAttr::Json(_) = d.value {
                    self.cx.error_spanned_by(&d.tokens, "on a variant, write #[avro(default)] (no value) to make it the enum's default");
                } else if default.replace(symbols.len()).is_some() {
                    self.cx
                        .error_spanned_by(&d.tokens, "only one variant can be the enum's default");
                }
            }
            symbols.push(Value::String(name.clone()));
            variants.push(VariantDef {
                ident: v.ident.to_string(),
                avro_name: name,
                ty: None,
            });
        }
        if let Some(d) = &self.attrs.default {
            match &d.value {
                DefaultAttr::Json(Value::String(s)) => match variants.iter().position(|v| &v.avro_name == s) {
                    Some(i) if default.is_none() || default == Some(i) => default = Some(i),
                    Some(_) => self.cx.error_spanned_by(&d.tokens, "the enum's default is given twice, differently"),
                    None => self.cx.error_spanned_by(
                        &d.tokens,
                        format!("default {s:?} names no variant; the symbols are {}", variants.iter().map(|v| v.avro_name.as_str()).collect::<Vec<_>>().join(", ")),
                    ),
                },
                _ => self.cx.error_spanned_by(&d.tokens, "an enum's default is a symbol: #[avro(default = \"SYMBOL\")], or #[avro(default)] on the variant"),
            }
        }
        let mut m = self.named_header("enum", &self.avro_name, &self.attrs);
        m.insert("symbols".into(), Value::Array(symbols));
        if let Some(d) = default {
            m.insert("default".into(), variants[d].avro_name.clone().into());
        }
        m.extend(self.props(
            &self.attrs,
            &[
                "type",
                "name",
                "namespace",
                "doc",
                "aliases",
                "symbols",
                "default",
            ],
        ));
        self.defined.insert(self.tcx.self_fullname.clone());
        Some((DefKind::Enum { variants, default }, Value::Object(m)))
    }

    /// `repr`, `tag` or `content` on a struct: errors (they are about enums).
    fn repr_on_non_enum(&self) {
        for (key, a) in [
            ("repr", &self.attrs.repr),
            ("tag", &self.attrs.tag),
            ("content", &self.attrs.content),
        ] {
            if let Some(a) = a {
                // serde's `tag` on a struct adds a field serde writes; not ours to judge.
                if key == "repr" || self.attrs.avro_tag_content {
                    self.cx.error_spanned_by(&a.tokens, format!("`{key}` is about how an enum with data is written; a struct is always a record: remove it"));
                }
            }
        }
    }

    /// How the enum is written: `repr`, or serde's `tag`/`content`/`untagged`,
    /// else an Avro enum for unit-only enums and a bare union for the rest.
    fn repr(&self, unit_only: bool) -> Option<Repr> {
        let a = &self.attrs;
        let tagged = |tag: &Spanned<String>, content: &Spanned<String>| -> Option<Repr> {
            for n in [tag, content] {
                if !valid_name(&n.value) {
                    self.cx.error_spanned_by(&n.tokens, format!("{:?} is not a valid Avro field name: letters, digits and `_`, not starting with a digit", n.value));
                }
            }
            if tag.value == content.value {
                self.cx.error_spanned_by(&content.tokens, format!("the tag and the content are both named {:?}: the record's two fields need two names, e.g. tag = \"type\", content = \"value\"", tag.value));
            }
            Some(Repr::TagContent {
                tag: tag.value.clone(),
                content: content.value.clone(),
                tag_tokens: tag.tokens.clone(),
            })
        };
        let no_tag = |what: &str| {
            for t in [&a.tag, &a.content].into_iter().flatten() {
                self.cx.error_spanned_by(&t.tokens, format!("`tag` and `content` name the fields of repr = \"record_tag_content\", not of {what}: remove them or write repr = \"record_tag_content\""));
            }
        };
        let Some(r) = &a.repr else {
            return match (&a.tag, &a.content) {
                (Some(t), Some(c)) => tagged(t, c),
                (Some(t), None) => {
                    self.cx.error_spanned_by(&t.tokens, "an internally tagged enum (a tag without content) is not supported: add content = \"...\" for a record with tag and content fields");
                    None
                }
                (None, Some(c)) => {
                    self.cx.error_spanned_by(
                        &c.tokens,
                        "`content` needs a `tag` too: add tag = \"...\"",
                    );
                    None
                }
                (None, None) if unit_only && a.untagged.is_none() => Some(Repr::Enum),
                (None, None) => Some(Repr::BareUnion),
            };
        };
        let repr = match r.value.as_str() {
            "enum" if unit_only => {
                no_tag("an Avro enum");
                Repr::Enum
            }
            "enum" => {
                self.cx.error_spanned_by(&r.tokens, "an Avro enum has only symbols, and this enum has variants with data: write repr = \"bare_union\", \"union_of_records\" or \"record_tag_content\"");
                return None;
            }
            "bare_union" => {
                no_tag("a bare union");
                Repr::BareUnion
            }
            "union_of_records" => {
                no_tag("a union of records");
                if let Some(u) = &a.untagged {
                    self.cx.error_spanned_by(&u.tokens, "#[serde(untagged)] writes a bare union: remove it, or write repr = \"bare_union\"");
                }
                Repr::UnionOfRecords
            }
            "record_tag_content" => match (&a.tag, &a.content) {
                (Some(t), Some(c)) => return tagged(t, c),
                _ => {
                    self.cx.error_spanned_by(&r.tokens, "repr = \"record_tag_content\" needs the two field names: add tag = \"...\", content = \"...\" (or serde's)");
                    return None;
                }
            },
            other => {
                self.cx.error_spanned_by(&r.tokens, format!("unknown representation {other:?}; expected \"bare_union\" (a union, one branch per variant), \"union_of_records\" (a union of one record per variant), \"record_tag_content\" (a record with a tag enum and a content union) or \"enum\" (unit variants only)"));
                return None;
            }
        };
        if !matches!(repr, Repr::BareUnion) {
            if let Some(u) = &a.untagged {
                if matches!(repr, Repr::Enum) {
                    self.cx.error_spanned_by(&u.tokens, "#[serde(untagged)] writes a bare union, not an Avro enum: remove one of them");
                }
            }
        }
        Some(repr)
    }

    /// A variant written as a record named after it: its named fields, or
    /// its unnamed ones as `field_0`, `field_1`, ... (a unit variant: none).
    fn variant_record<'f>(
        &mut self,
        v: &syn::Variant,
        va: &Attrs,
        name: &str,
        fields: impl Iterator<Item = &'f syn::Field>,
        extra: &[&str],
    ) -> (usize, Vec<String>, Value, String) {
        let full = self.fullname(name);
        if !valid_name(name) {
            let at = va
                .name
                .as_ref()
                .map_or_else(|| v.ident.to_token_stream(), |n| n.tokens.clone());
            self.cx
                .error_spanned_by(at, format!("{name:?} is not a valid Avro record name"));
        }
        let (fields, schema_fields, skipped) = self.fields(fields, None);
        let mut m = self.named_header("record", name, va);
        m.insert("fields".into(), Value::Array(schema_fields));
        for p in extra {
            m.insert((*p).into(), Value::Bool(true));
        }
        m.extend(self.props(
            va,
            &["type", "name", "namespace", "doc", "aliases", "fields"],
        ));
        self.defined.insert(full.clone());
        self.ir.types.push(TypeDef {
            module: Vec::new(),
            ident: v.ident.to_string(),
            avro_name: full.clone(),
            doc: va.doc.clone(),
            kind: DefKind::Record { fields },
            schema: None,
        });
        (self.ir.types.len() - 1, skipped, Value::Object(m), full)
    }

    /// An enum with data: a union (bare, or of records) or a record with
    /// a tag enum and a content union.
    fn union(
        &mut self,
        e: &syn::DataEnum,
        target: &mut DeriveTarget,
        repr: Repr,
    ) -> Option<(DefKind, Value)> {
        if let Some(d) = &self.attrs.default {
            self.cx.error_spanned_by(
                &d.tokens,
                "a union has no default of its own: give the default on the field that holds it",
            );
        }
        let records = matches!(repr, Repr::UnionOfRecords);
        let tag_content = matches!(repr, Repr::TagContent { .. });
        if tag_content {
            // The record is named: its content can refer to it.
            self.defined.insert(self.tcx.self_fullname.clone());
        }
        let mut variants = Vec::new();
        let mut branches = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut branch_of = Vec::new();
        let mut symbols = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut seen_symbols = HashSet::new();
        for v in &e.variants {
            let va = Attrs::parse(self.cx, &v.attrs, Level::Variant);
            if let Some(d) = &va.default {
                self.cx.error_spanned_by(&d.tokens, "a variant of an enum with data is a union branch, which has no default: give the default on the field that holds the enum");
            }
            let name = self.variant_name(v, &va);
            if tag_content {
                let at = va
                    .name
                    .as_ref()
                    .map_or_else(|| v.ident.to_token_stream(), |n| n.tokens.clone());
                if !valid_name(&name) {
                    self.cx.error_spanned_by(
                        &at,
                        format!("{name:?} is not a valid Avro enum symbol (the tag's)"),
                    );
                }
                if !seen_symbols.insert(name.clone()) {
                    self.cx.error_spanned_by(
                        &at,
                        format!("two variants have the tag symbol {name:?}: rename one of them"),
                    );
                }
                symbols.push(Value::String(name.clone()));
            }
            let unnamed = match &v.fields {
                Fields::Unnamed(u) => u.unnamed.len(),
                _ => 0,
            };
            let (shape, ty, schema, key) = match &v.fields {
                Fields::Unit if !records => (
                    VariantShape::Unit,
                    None,
                    Value::String("null".into()),
                    "null".to_owned(),
                ),
                Fields::Unnamed(u) if unnamed == 1 && !records => {
                    let f = &u.unnamed[0];
                    let fa = Attrs::parse(self.cx, &f.attrs, Level::Field);
                    let Some(ft) = self.tcx.field(&f.ty, &fa) else {
                        continue;
                    };
                    self.check_borrow(&f.ty, &ft);
                    if let FieldType::Option(..) = ft {
                        self.cx.error_spanned_by(&f.ty, "an `Option` inside a union would be a union inside a union, which Avro forbids: make it a unit variant for null");
                        continue;
                    }
                    if ft.refers_to_self() && !tag_content {
                        self.cx.error_spanned_by(&f.ty, "a union has no name to refer to itself by: wrap the enum in a struct and refer to that, or write repr = \"record_tag_content\" (a named record)");
                        continue;
                    }
                    self.note(&ft);
                    let schema = ft.schema(&self.tcx, &mut self.defined, &mut self.holes);
                    let key = branch_key(&schema, &self.tcx.namespace);
                    (VariantShape::Newtype, Some(ft.ty()), schema, key)
                }
                Fields::Named(named) => {
                    let (record, skipped, schema, full) =
                        self.variant_record(v, &va, &name, named.named.iter(), &[]);
                    (VariantShape::Struct { record, skipped }, None, schema, full)
                }
                other => {
                    // A tuple variant (or, in a union of records, a unit or
                    // newtype one): a record of `field_0`, `field_1`, ...
                    let extra: &[&str] = match (other, unnamed) {
                        (Fields::Unit, _) => &[],
                        (_, 1) => &[TUPLE_PROP, UNION_OF_RECORDS_PROP],
                        _ => &[TUPLE_PROP],
                    };
                    let (record, skipped, schema, full) =
                        self.variant_record(v, &va, &name, other.iter(), extra);
                    let slots = (0..unnamed)
                        .map(|k| !skipped.contains(&format!("field_{k}")))
                        .collect();
                    let unit = matches!(other, Fields::Unit);
                    (
                        VariantShape::Positional {
                            record,
                            slots,
                            unit,
                        },
                        None,
                        schema,
                        full,
                    )
                }
            };
            if tag_content {
                let b = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
                    keys.push(key.clone());
                    branches.push(schema);
                    keys.len() - 1
                });
                branch_of.push(b);
            } else {
                if let Some(prev) = seen.insert(key.clone(), v.ident.to_string()) {
                    self.cx.error_spanned_by(
                        &v.ident,
                        format!("variants {prev} and {} would both be union branches of Avro type {key}, which a union cannot hold twice: change one of them, or write #[avro(repr = \"union_of_records\")] (a record per variant) or repr = \"record_tag_content\" (a tag tells them apart)", v.ident),
                    );
                }
                branches.push(schema);
            }
            let ty = match &shape {
                VariantShape::Struct { record, .. } | VariantShape::Positional { record, .. } => {
                    Some(avro_codegen::ir::Ty::Def {
                        id: *record + 1,
                        boxed: false,
                    })
                }
                _ => ty,
            };
            target.variants.push(shape);
            variants.push(VariantDef {
                ident: v.ident.to_string(),
                avro_name: key,
                ty,
            });
        }
        let Repr::TagContent {
            tag,
            content,
            tag_tokens,
        } = repr
        else {
            return Some((DefKind::Union { variants }, Value::Array(branches)));
        };
        // `null` first, so that the content's default (null, for unit
        // variants) is valid: a union's default is of its first branch.
        if let Some(p) = keys.iter().position(|k| k == "null").filter(|p| *p > 0) {
            let null = branches.remove(p);
            branches.insert(0, null);
            for b in &mut branch_of {
                if *b == p {
                    *b = 0;
                } else if *b < p {
                    *b += 1;
                }
            }
        }
        let has_null = keys.iter().any(|k| k == "null");
        let tag_full = self.fullname(&tag);
        if tag_full == self.tcx.self_fullname || self.defined.contains(&tag_full) {
            self.cx.error_spanned_by(&tag_tokens, format!("the tag's enum is named after the tag field, {tag:?}, which is already the name of {}: choose another tag name (or rename the variant)", if tag_full == self.tcx.self_fullname { "this record" } else { "a variant's record" }));
        }
        self.defined.insert(tag_full);
        let mut tag_enum = self.named_header("enum", &tag, &Attrs::default());
        tag_enum.insert("symbols".into(), Value::Array(symbols));
        let mut content_field = Map::new();
        content_field.insert("name".into(), content.clone().into());
        content_field.insert("type".into(), Value::Array(branches.clone()));
        if has_null {
            content_field.insert("default".into(), Value::Null);
        }
        let mut m = self.named_header("record", &self.avro_name, &self.attrs);
        m.insert(
            "fields".into(),
            json!([{"name": tag, "type": Value::Object(tag_enum)}, Value::Object(content_field)]),
        );
        m.extend(self.props(
            &self.attrs,
            &["type", "name", "namespace", "doc", "aliases", "fields"],
        ));
        target.tag_content = Some(TagContent {
            tag,
            content,
            branches: branch_of,
            count: branches.len(),
        });
        Some((DefKind::Union { variants }, Value::Object(m)))
    }
}

/// The custom properties apache-avro-derive puts on the records of tuple
/// variants (and of newtype variants in a union of records); kept, so that
/// the full JSON is the same as theirs.
const TUPLE_PROP: &str = "org.apache.avro.rust.tuple";
const UNION_OF_RECORDS_PROP: &str = "org.apache.avro.rust.union_of_records";

/// How an enum is written.
enum Repr {
    /// An Avro enum (unit variants only).
    Enum,
    /// A union, one branch per variant: unit → null, `V(T)` → T, others a record.
    BareUnion,
    /// A union of one record per variant, named after it.
    UnionOfRecords,
    /// A record with a tag enum and a content union.
    TagContent {
        tag: String,
        content: String,
        tag_tokens: TokenStream,
    },
}

/// What a union branch is, for the rule that a union holds each type once:
/// the type name, or the full name of a named type.
fn branch_key(schema: &Value, ns: &Option<String>) -> String {
    let qualify = |n: &str| match ns {
        Some(ns) if !n.contains('.') => format!("{ns}.{n}"),
        _ => n.to_owned(),
    };
    match schema {
        Value::String(s) => match s.as_str() {
            "null" | "boolean" | "int" | "long" | "float" | "double" | "bytes" | "string" => {
                s.clone()
            }
            other => other.to_owned(),
        },
        Value::Object(m) => match m.get("type").and_then(Value::as_str) {
            Some("record" | "enum" | "fixed" | "error") => {
                qualify(m.get("name").and_then(Value::as_str).unwrap_or(""))
            }
            Some(t) => t.to_owned(),
            None => match m.get(avro_schema::compose::HOLE_KEY) {
                Some(i) => format!("the type of hole {i}"),
                None => String::new(),
            },
        },
        _ => String::new(),
    }
}

/// The lifetimes named in `tokens` (`'a` is a `'` joined to an ident),
/// each with its tokens for the span.
fn lifetimes_in(tokens: TokenStream) -> Vec<(String, TokenStream)> {
    let mut out = Vec::new();
    let mut prev: Option<proc_macro2::Punct> = None;
    for tt in tokens {
        match &tt {
            proc_macro2::TokenTree::Group(g) => out.extend(lifetimes_in(g.stream())),
            proc_macro2::TokenTree::Ident(i) => {
                if let Some(p) = prev.take() {
                    out.push((i.to_string(), quote!(#p #i)));
                }
            }
            _ => {}
        }
        prev = match tt {
            proc_macro2::TokenTree::Punct(p) if p.as_char() == '\'' => Some(p),
            _ => None,
        };
    }
    out
}

/// Whether `i` fits the Rust integer type `rust` (those stored as int/long
/// through a conversion).
fn int_fits(rust: &str, i: i128) -> bool {
    let (lo, hi): (i128, i128) = match rust {
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" | "u128" => (0, i64::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    };
    lo <= i && i <= hi
}
