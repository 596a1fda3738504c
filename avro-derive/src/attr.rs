//! Typed attributes of the container, its variants and its fields, parsed
//! once from `#[avro(...)]`, the `serde` attributes that change the wire
//! (`rename`, `rename_all`, `skip`, `default`, `alias`) and doc comments.
//! A repeated or unknown `avro` key, a value of the wrong kind and an
//! `avro` value that contradicts a `serde` one are errors with spans.

use proc_macro2::TokenStream;
use quote::ToTokens;
use serde_json::Value;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitInt, LitStr};

use crate::ctxt::Ctxt;

/// Where an attribute list sits: each accepts its own keys.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Container,
    Variant,
    Field,
}

impl Level {
    fn keys(self) -> &'static [&'static str] {
        match self {
            Level::Container => &[
                "name",
                "rename",
                "namespace",
                "rename_all",
                "doc",
                "alias",
                "default",
                "crate",
                "property",
                "repr",
                "tag",
                "content",
            ],
            Level::Variant => &["rename", "alias", "default", "doc", "property"],
            Level::Field => &[
                "rename",
                "alias",
                "default",
                "skip",
                "doc",
                "logical",
                "fixed",
                "precision",
                "scale",
                "bytes",
                "long",
                "property",
            ],
        }
    }

    fn what(self) -> &'static str {
        match self {
            Level::Container => "a struct or enum",
            Level::Variant => "a variant",
            Level::Field => "a field",
        }
    }
}

/// One attribute value with the tokens it came from (for spans).
pub struct Spanned<T> {
    pub value: T,
    pub tokens: TokenStream,
}

/// A field's or variant's default.
pub enum DefaultAttr {
    /// `default = "<JSON>"`.
    Json(Value),
    /// `#[avro(default)]` / `#[serde(default)]` on a field: the Rust
    /// `Default` of the field's type, which the macro knows for std types.
    /// On a variant: the enum's default symbol.
    Flag,
}

#[derive(Default)]
pub struct Fixed {
    pub size: Option<Spanned<usize>>,
    pub name: Option<Spanned<String>>,
}

#[derive(Default)]
pub struct Attrs {
    pub name: Option<Spanned<String>>,
    pub namespace: Option<Spanned<String>>,
    pub rename_all: Option<Spanned<String>>,
    pub doc: Option<String>,
    pub aliases: Vec<Spanned<String>>,
    pub default: Option<Spanned<DefaultAttr>>,
    pub skip: Option<Spanned<()>>,
    pub krate: Option<Spanned<String>>,
    pub logical: Option<Spanned<String>>,
    pub fixed: Option<Spanned<Fixed>>,
    pub precision: Option<Spanned<u32>>,
    pub scale: Option<Spanned<u32>>,
    pub bytes: Option<Spanned<()>>,
    pub long: Option<Spanned<()>>,
    pub props: Vec<(Spanned<String>, Value)>,
    /// How an enum with data is written: `repr = "..."`.
    pub repr: Option<Spanned<String>>,
    /// The tag and content field names of `repr = "record_tag_content"`
    /// (also serde's `tag` and `content`).
    pub tag: Option<Spanned<String>>,
    pub content: Option<Spanned<String>>,
    /// `#[serde(untagged)]`: a bare union.
    pub untagged: Option<Spanned<()>>,
    /// Whether `tag`/`content` came from `#[avro(...)]` (serde's on a
    /// struct are serde's business).
    pub avro_tag_content: bool,
}

fn set<T>(cx: &Ctxt, slot: &mut Option<Spanned<T>>, key: &str, value: T, tokens: TokenStream) {
    if slot.is_some() {
        cx.error_spanned_by(
            &tokens,
            format!("duplicate avro attribute `{key}`: give it once"),
        );
    } else {
        *slot = Some(Spanned { value, tokens });
    }
}

fn lit_str(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    meta.value()?.parse::<LitStr>()
}

fn json(cx: &Ctxt, lit: &LitStr) -> Option<Value> {
    match serde_json::from_str(&lit.value()) {
        Ok(v) => Some(v),
        Err(e) => {
            cx.error_spanned_by(
                lit,
                format!(
                    "not JSON ({e}): write the value as JSON text, e.g. \"1\", \"null\" or \"\\\"text\\\"\""
                ),
            );
            None
        }
    }
}

/// `Spanned` from a literal.
fn spanned_str(lit: &LitStr) -> Spanned<String> {
    Spanned {
        value: lit.value(),
        tokens: lit.to_token_stream(),
    }
}

/// The doc comment of `attrs`: lines joined, one leading space trimmed.
fn doc_comment(attrs: &[Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for a in attrs {
        if !a.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &a.meta {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
            {
                let v = s.value();
                lines.push(v.strip_prefix(' ').unwrap_or(&v).trim_end().to_owned());
            }
        }
    }
    let doc = lines.join("\n").trim().to_owned();
    (!doc.is_empty()).then_some(doc)
}

impl Attrs {
    /// Parses the `avro`, `serde` and doc attributes of one level.
    pub fn parse(cx: &Ctxt, attrs: &[Attribute], level: Level) -> Attrs {
        let mut a = Attrs {
            doc: doc_comment(attrs),
            ..Attrs::default()
        };
        let mut serde = SerdeAttrs::default();
        for attr in attrs {
            if attr.path().is_ident("avro") {
                let r = attr.parse_nested_meta(|meta| a.parse_avro(cx, meta, level));
                if let Err(e) = r {
                    cx.syn_error(e);
                }
            } else if attr.path().is_ident("serde") {
                let r = attr.parse_nested_meta(|meta| serde.parse(cx, meta, level));
                if let Err(e) = r {
                    cx.syn_error(e);
                }
            }
        }
        a.merge_serde(cx, serde);
        a
    }

    fn parse_avro(&mut self, cx: &Ctxt, meta: ParseNestedMeta, level: Level) -> syn::Result<()> {
        let path = meta.path.clone();
        let key = path
            .get_ident()
            .map(|i| i.to_string().trim_start_matches("r#").to_owned())
            .unwrap_or_default();
        if !level.keys().contains(&key.as_str()) {
            let all = [Level::Container, Level::Variant, Level::Field];
            let elsewhere = all.iter().find(|l| l.keys().contains(&key.as_str()));
            let msg = match elsewhere {
                Some(l) => format!(
                    "avro attribute `{key}` does not apply to {}, only to {}",
                    level.what(),
                    l.what()
                ),
                None => format!(
                    "unknown avro attribute `{key}`; {} takes: {}",
                    level.what(),
                    level.keys().join(", ")
                ),
            };
            cx.error_spanned_by(&path, msg);
            // Skip its value so the rest of the list still parses.
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                let _: proc_macro2::TokenTree = meta.input.parse()?;
            }
            return Ok(());
        }
        let tokens = path.to_token_stream();
        match key.as_str() {
            "name" | "rename" => {
                let l = lit_str(&meta)?;
                set(cx, &mut self.name, &key, l.value(), l.to_token_stream());
            }
            "namespace" => {
                let l = lit_str(&meta)?;
                set(
                    cx,
                    &mut self.namespace,
                    &key,
                    l.value(),
                    l.to_token_stream(),
                );
            }
            "rename_all" => {
                let l = lit_str(&meta)?;
                set(
                    cx,
                    &mut self.rename_all,
                    &key,
                    l.value(),
                    l.to_token_stream(),
                );
            }
            "doc" => self.doc = Some(lit_str(&meta)?.value()),
            "alias" => self.aliases.push(spanned_str(&lit_str(&meta)?)),
            "crate" => {
                let l = lit_str(&meta)?;
                set(cx, &mut self.krate, &key, l.value(), l.to_token_stream());
            }
            "repr" | "tag" | "content" => {
                let l = lit_str(&meta)?;
                self.avro_tag_content |= key != "repr";
                let slot = match key.as_str() {
                    "repr" => &mut self.repr,
                    "tag" => &mut self.tag,
                    _ => &mut self.content,
                };
                set(cx, slot, &key, l.value(), l.to_token_stream());
            }
            "logical" => {
                let l = lit_str(&meta)?;
                set(cx, &mut self.logical, &key, l.value(), l.to_token_stream());
            }
            "default" => {
                if meta.input.peek(syn::Token![=]) {
                    let l = lit_str(&meta)?;
                    let v = if level == Level::Container {
                        Some(Value::String(l.value()))
                    } else {
                        json(cx, &l)
                    };
                    if let Some(v) = v {
                        set(
                            cx,
                            &mut self.default,
                            &key,
                            DefaultAttr::Json(v),
                            l.to_token_stream(),
                        );
                    }
                } else {
                    set(cx, &mut self.default, &key, DefaultAttr::Flag, tokens);
                }
            }
            "skip" => set(cx, &mut self.skip, &key, (), tokens),
            "bytes" => set(cx, &mut self.bytes, &key, (), tokens),
            "long" => set(cx, &mut self.long, &key, (), tokens),
            "precision" | "scale" => {
                let l: LitInt = meta.value()?.parse()?;
                let n: u32 = l.base10_parse()?;
                let slot = if key == "precision" {
                    &mut self.precision
                } else {
                    &mut self.scale
                };
                set(cx, slot, &key, n, l.to_token_stream());
            }
            "fixed" => {
                let mut f = Fixed::default();
                if meta.input.peek(syn::token::Paren) {
                    meta.parse_nested_meta(|m| {
                        if m.path.is_ident("size") {
                            let l: LitInt = m.value()?.parse()?;
                            f.size = Some(Spanned {
                                value: l.base10_parse()?,
                                tokens: l.to_token_stream(),
                            });
                        } else if m.path.is_ident("name") {
                            f.name = Some(spanned_str(&m.value()?.parse()?));
                        } else {
                            cx.error_spanned_by(
                                &m.path,
                                "unknown key in `fixed(...)`: expected `size = N` or `name = \"...\"`",
                            );
                        }
                        Ok(())
                    })?;
                }
                set(cx, &mut self.fixed, &key, f, tokens);
            }
            "property" => {
                let mut name = None;
                let mut value = None;
                meta.parse_nested_meta(|m| {
                    if m.path.is_ident("name") {
                        name = Some(spanned_str(&m.value()?.parse()?));
                    } else if m.path.is_ident("value") {
                        let l: LitStr = m.value()?.parse()?;
                        value = json(cx, &l);
                    } else {
                        cx.error_spanned_by(
                            &m.path,
                            "unknown key in `property(...)`: expected `name = \"...\"` and `value = \"<JSON>\"`",
                        );
                    }
                    Ok(())
                })?;
                match (name, value) {
                    (Some(n), Some(v)) => self.props.push((n, v)),
                    _ => cx.error_spanned_by(
                        &path,
                        "`property` needs `name = \"...\"` and `value = \"<JSON>\"`",
                    ),
                }
            }
            _ => unreachable!("every key of Level::keys is handled"),
        }
        Ok(())
    }

    /// Takes the serde attributes that change the wire, unless an avro
    /// attribute says the same; different values are an error.
    fn merge_serde(&mut self, cx: &Ctxt, serde: SerdeAttrs) {
        fn merge<T: PartialEq>(
            cx: &Ctxt,
            key: &str,
            avro: &mut Option<Spanned<T>>,
            serde: Option<Spanned<T>>,
        ) {
            let Some(s) = serde else { return };
            match avro {
                None => *avro = Some(s),
                Some(a) if a.value == s.value => {}
                Some(a) => {
                    cx.error_spanned_by(
                        &a.tokens,
                        format!("#[avro({key})] contradicts #[serde({key})]: give one of them, or the same value to both"),
                    );
                    cx.error_spanned_by(&s.tokens, format!("#[serde({key})] is here"));
                }
            }
        }
        merge(cx, "rename", &mut self.name, serde.rename);
        merge(cx, "rename_all", &mut self.rename_all, serde.rename_all);
        merge(cx, "skip", &mut self.skip, serde.skip);
        merge(cx, "tag", &mut self.tag, serde.tag);
        merge(cx, "content", &mut self.content, serde.content);
        self.untagged = serde.untagged;
        self.aliases.extend(serde.aliases);
        if let Some(d) = serde.default {
            match &self.default {
                None => self.default = Some(d),
                Some(Spanned {
                    value: DefaultAttr::Flag,
                    ..
                }) => {}
                Some(a) => {
                    cx.error_spanned_by(
                        &a.tokens,
                        "#[avro(default = ...)] contradicts #[serde(default)], which fills the field from `Default::default()`: give one of them",
                    );
                }
            }
        }
        if serde.bytes.is_some() && self.bytes.is_none() {
            self.bytes = serde.bytes;
        }
    }
}

impl PartialEq for DefaultAttr {
    fn eq(&self, other: &Self) -> bool {
        matches!((self, other), (DefaultAttr::Flag, DefaultAttr::Flag))
    }
}

/// The serde attributes that change what goes on the wire.
#[derive(Default)]
struct SerdeAttrs {
    rename: Option<Spanned<String>>,
    rename_all: Option<Spanned<String>>,
    skip: Option<Spanned<()>>,
    default: Option<Spanned<DefaultAttr>>,
    aliases: Vec<Spanned<String>>,
    /// `with = "serde_bytes"`.
    bytes: Option<Spanned<()>>,
    /// Container `tag`, `content` and `untagged`: how serde writes an enum.
    tag: Option<Spanned<String>>,
    content: Option<Spanned<String>>,
    untagged: Option<Spanned<()>>,
}

impl SerdeAttrs {
    fn parse(&mut self, cx: &Ctxt, meta: ParseNestedMeta, level: Level) -> syn::Result<()> {
        let tokens = meta.path.to_token_stream();
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        match key.as_str() {
            "rename" | "rename_all" => {
                let value = if meta.input.peek(syn::Token![=]) {
                    Some(lit_str(&meta)?)
                } else {
                    // rename(serialize = "..", deserialize = "..")
                    let mut ser: Option<LitStr> = None;
                    let mut de: Option<LitStr> = None;
                    meta.parse_nested_meta(|m| {
                        let l: LitStr = m.value()?.parse()?;
                        if m.path.is_ident("serialize") {
                            ser = Some(l);
                        } else {
                            de = Some(l);
                        }
                        Ok(())
                    })?;
                    match (ser, de) {
                        (Some(s), Some(d)) if s.value() != d.value() => {
                            cx.error_spanned_by(
                                &tokens,
                                format!("serde {key}s this differently for serializing and deserializing; Avro has one name: give #[avro({key} = \"...\")]"),
                            );
                            None
                        }
                        (s, d) => s.or(d),
                    }
                };
                if let Some(l) = value {
                    let slot = if key == "rename" {
                        &mut self.rename
                    } else {
                        &mut self.rename_all
                    };
                    *slot = Some(spanned_str(&l));
                }
            }
            "alias" => self.aliases.push(spanned_str(&lit_str(&meta)?)),
            "tag" | "content" if level == Level::Container => {
                let l = spanned_str(&lit_str(&meta)?);
                if key == "tag" {
                    self.tag = Some(l);
                } else {
                    self.content = Some(l);
                }
            }
            "untagged" if level == Level::Container => {
                self.untagged = Some(Spanned { value: (), tokens })
            }
            "skip" => self.skip = Some(Spanned { value: (), tokens }),
            "default" if level != Level::Container => {
                if meta.input.peek(syn::Token![=]) {
                    // A function: its value is not known here; no Avro default.
                    let _: LitStr = lit_str(&meta)?;
                } else {
                    self.default = Some(Spanned {
                        value: DefaultAttr::Flag,
                        tokens,
                    });
                }
            }
            "with" => {
                let l = lit_str(&meta)?;
                if l.value() == "serde_bytes" || l.value().ends_with("::serde_bytes") {
                    self.bytes = Some(Spanned {
                        value: (),
                        tokens: l.to_token_stream(),
                    });
                }
            }
            _ => {
                // Not about the wire format Avro sees: skip its value.
                if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                } else if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                    let _: proc_macro2::TokenTree = meta.input.parse()?;
                }
            }
        }
        Ok(())
    }
}

/// A serde case name applied to a Rust identifier (`rename_all`), as
/// serde applies it: fields are snake_case to begin with, variants
/// PascalCase.
pub fn apply_case(rule: &str, ident: &str, is_variant: bool) -> Option<String> {
    let pascal_field = |f: &str| -> String {
        let mut out = String::new();
        let mut up = true;
        for c in f.chars() {
            if c == '_' {
                up = true;
            } else if up {
                out.extend(c.to_uppercase());
                up = false;
            } else {
                out.push(c);
            }
        }
        out
    };
    let snake_variant = |v: &str| -> String {
        let mut out = String::new();
        for (i, c) in v.char_indices() {
            if i > 0 && c.is_uppercase() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    };
    let lower_first = |s: String| -> String {
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_lowercase().chain(c).collect(),
            None => s,
        }
    };
    Some(if is_variant {
        match rule {
            "PascalCase" => ident.to_owned(),
            "lowercase" => ident.to_ascii_lowercase(),
            "UPPERCASE" => ident.to_ascii_uppercase(),
            "camelCase" => lower_first(ident.to_owned()),
            "snake_case" => snake_variant(ident),
            "SCREAMING_SNAKE_CASE" => snake_variant(ident).to_ascii_uppercase(),
            "kebab-case" => snake_variant(ident).replace('_', "-"),
            "SCREAMING-KEBAB-CASE" => snake_variant(ident).to_ascii_uppercase().replace('_', "-"),
            _ => return None,
        }
    } else {
        match rule {
            "lowercase" | "snake_case" => ident.to_owned(),
            "UPPERCASE" | "SCREAMING_SNAKE_CASE" => ident.to_ascii_uppercase(),
            "PascalCase" => pascal_field(ident),
            "camelCase" => lower_first(pascal_field(ident)),
            "kebab-case" => ident.replace('_', "-"),
            "SCREAMING-KEBAB-CASE" => ident.to_ascii_uppercase().replace('_', "-"),
            _ => return None,
        }
    })
}

pub const CASES: &str = "lowercase, UPPERCASE, PascalCase, camelCase, snake_case, SCREAMING_SNAKE_CASE, kebab-case, SCREAMING-KEBAB-CASE";

/// Whether `s` is a valid Avro name (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn valid_name(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(f) if f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}
