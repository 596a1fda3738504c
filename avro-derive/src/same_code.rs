//! One engine, checked on the code itself: the `encode` and `decode`
//! bodies the macro emits for a type equal (paths normalised) those
//! avro-codegen generates for the type's schema, for a fixture record of
//! every field type the macro sees whole and for the benchmark workloads'
//! derived types (`benches/src/derived.rs` against `../shared/bench`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::ToTokens;

/// Spellings of one path in generated code (`__g::` aliases), in derived
/// code (fully qualified) and the short form both become.
const PATHS: &[(&str, &str)] = &[
    (":: avro_runtime :: __private :: g ::", ""),
    ("__g ::", ""),
    // The generic field reads, which the alias re-exports.
    (":: avro_runtime :: field ::", ""),
    (":: avro_runtime ::", ""),
    (":: core :: result :: Result :: Ok", "Ok"),
    (":: core :: result :: Result :: Err", "Err"),
    (":: core :: result :: Result", "Result"),
    (":: core :: option :: Option :: Some", "Some"),
    (":: core :: option :: Option :: None", "None"),
    (":: core :: option :: Option", "Option"),
    (":: std :: vec :: Vec", "Vec"),
    (":: std :: string :: String", "String"),
    (":: std :: boxed :: Box", "Box"),
    (":: std :: collections :: HashMap", "HashMap"),
    (":: core :: default :: Default", "Default"),
    (":: core :: convert :: From", "From"),
    (":: core :: clone :: Clone", "Clone"),
    (":: core :: iter :: Iterator", "Iterator"),
];

/// `tokens` with what is layout in formatted source taken out, at every
/// depth: a comma before a closing delimiter, and the braces around a match
/// arm's single expression (source printers add both where they wrap lines
/// of generated source).
fn layout_free(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Delimiter, Group, Punct, Spacing, TokenTree};
    let is =
        |t: Option<&TokenTree>, c: char| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c);
    let mut out: Vec<TokenTree> = Vec::new();
    let mut input = tokens.into_iter().peekable();
    while let Some(t) = input.next() {
        match t {
            TokenTree::Group(g) => {
                let inner = layout_free(g.stream());
                let arrow =
                    out.len() >= 2 && is(out.get(out.len() - 2), '=') && is(out.last(), '>');
                let single = g.delimiter() == Delimiter::Brace
                    && !inner.is_empty()
                    && !inner
                        .clone()
                        .into_iter()
                        .any(|t| matches!(&t, TokenTree::Punct(p) if p.as_char() == ';'));
                if arrow && single {
                    out.extend(inner);
                    if !is(input.peek(), ',') {
                        out.push(TokenTree::Punct(Punct::new(',', Spacing::Alone)));
                    }
                } else {
                    let mut n = Group::new(g.delimiter(), inner);
                    n.set_span(g.span());
                    out.push(TokenTree::Group(n));
                }
            }
            // A trailing comma in generics (`HashMap<String, String,>`,
            // where a printer broke a long type over lines).
            TokenTree::Punct(p) if p.as_char() == '>' && is(out.last(), ',') => {
                out.pop();
                out.push(TokenTree::Punct(p));
            }
            other => out.push(other),
        }
    }
    if is(out.last(), ',') {
        out.pop();
    }
    out.into_iter().collect()
}

fn normalise(tokens: &impl ToTokens) -> String {
    let mut s = layout_free(tokens.to_token_stream()).to_string();
    for (from, to) in PATHS {
        s = s.replace(from, to);
    }
    // Printed again from tokens: one spacing whatever the replacements left.
    s.parse::<proc_macro2::TokenStream>()
        .expect("normalised tokens lex")
        .to_string()
}

/// Per Avro short name (`AVRO_NAME` of the `Decode` impl), the normalised
/// bodies of its `Encode::encode` and `Decode::decode`.
#[derive(Debug, Default)]
struct Bodies {
    encode: Option<String>,
    decode: Option<String>,
}

/// Every `impl` of a file, those inside `const _: () = { ... };` included.
fn all_impls(file: &syn::File) -> Vec<syn::ItemImpl> {
    fn walk(items: &[syn::Item], out: &mut Vec<syn::ItemImpl>) {
        for item in items {
            match item {
                syn::Item::Impl(i) => out.push(i.clone()),
                syn::Item::Const(c) => {
                    if let syn::Expr::Block(b) = &*c.expr {
                        let nested: Vec<syn::Item> = b
                            .block
                            .stmts
                            .iter()
                            .filter_map(|s| match s {
                                syn::Stmt::Item(i) => Some(i.clone()),
                                _ => None,
                            })
                            .collect();
                        walk(&nested, out);
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        walk(items, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&file.items, &mut out);
    out
}

fn trait_name(i: &syn::ItemImpl) -> Option<String> {
    let (path, _) = i.trait_.as_ref()?;
    Some(path.segments.last()?.ident.to_string())
}

fn self_name(i: &syn::ItemImpl) -> String {
    match &*i.self_ty {
        syn::Type::Path(p) => p.path.segments.last().unwrap().ident.to_string(),
        other => normalise(other),
    }
}

/// The encode and decode bodies of every type in `file`, by Avro short name.
fn bodies(file: &syn::File) -> BTreeMap<String, Bodies> {
    let impls = all_impls(file);
    // Rust type name → Avro short name, from the `Decode` impls.
    let mut avro_names = BTreeMap::new();
    for i in &impls {
        if trait_name(i).as_deref() != Some("Decode") {
            continue;
        }
        for item in &i.items {
            if let syn::ImplItem::Const(c) = item {
                if c.ident == "AVRO_NAME" {
                    if let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) = &c.expr
                    {
                        // Generated unions say `union Name`; derived ones `Name`.
                        let v = s.value();
                        let name = v.strip_prefix("union ").unwrap_or(&v).to_owned();
                        avro_names.insert(self_name(i), name);
                    }
                }
            }
        }
    }
    let mut out: BTreeMap<String, Bodies> = BTreeMap::new();
    for i in &impls {
        let (is_encode, fn_name) = match trait_name(i).as_deref() {
            Some("Encode") => (true, "encode"),
            Some("Decode") => (false, "decode"),
            _ => continue,
        };
        let Some(avro) = avro_names.get(&self_name(i)) else {
            continue;
        };
        for item in &i.items {
            if let syn::ImplItem::Fn(f) = item {
                if f.sig.ident == fn_name {
                    let b = out.entry(avro.clone()).or_default();
                    // Attributes (`#[inline]`) and body.
                    let attrs = &f.attrs;
                    let block = &f.block;
                    let body = Some(normalise(&quote::quote!(#(#attrs)* #block)));
                    if is_encode {
                        b.encode = body;
                    } else {
                        b.decode = body;
                    }
                }
            }
        }
    }
    out
}

fn derived_bodies(source: &str) -> BTreeMap<String, Bodies> {
    let file = syn::parse_file(source).expect("the derived items parse");
    let mut items = Vec::new();
    items_of(&file.items, &mut items);
    let mut tokens = proc_macro2::TokenStream::new();
    for item in &items {
        let input: syn::DeriveInput = syn::parse2(item.to_token_stream()).unwrap();
        tokens.extend(crate::item::expand(&input));
    }
    let expanded: syn::File = syn::parse2(tokens).expect("the expansion parses");
    bodies(&expanded)
}

fn generated_bodies(schema: &str) -> BTreeMap<String, Bodies> {
    let files = avro_codegen::generate_from_sources(
        vec![avro_codegen::Source::new("schema.avsc", schema)],
        // The options benches/build.rs generates the workloads with, records
        // written out (not as the runtime's `record!` template, which the
        // derive does not use: the expansion is the same code).
        &avro_codegen::Options {
            serde: true,
            borrowed: true,
            expand_records: true,
            ..avro_codegen::Options::default()
        },
    )
    .expect("the schema generates");
    let mut out = BTreeMap::new();
    for source in files.values() {
        let file = syn::parse_file(source).expect("generated code parses");
        out.extend(bodies(&file));
    }
    out
}

/// Whether the item's fields hold only types the macro sees whole: no
/// field names another struct or enum of `names` (those are read through
/// their own impls, a designed difference: see the README's Limits).
fn sees_whole(item: &syn::Item, names: &[String]) -> bool {
    let mentions = |ty: &syn::Type| {
        let text = normalise(ty);
        names.iter().any(|n| {
            text.split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == n)
        })
    };
    match item {
        syn::Item::Struct(s) => !s.fields.iter().any(|f| mentions(&f.ty)),
        syn::Item::Enum(e) => e
            .variants
            .iter()
            .all(|v| !v.fields.iter().any(|f| mentions(&f.ty))),
        _ => false,
    }
}

/// Any enum. Of unit variants: the derive writes its index by `match`
/// (the user's enum need not be `Copy`, nor its discriminants the Avro
/// indexes), generated code by `*self as i64`. With data: generated code
/// reads each union branch in one arm of free functions it shares between
/// decoders (`__branch`, `__branch_resolved`), which a derived enum's
/// struct, borrowed and generic variants cannot use, so the derive keeps its
/// union match inline (the same reads per branch).
fn unit_enum(item: &syn::Item) -> bool {
    matches!(item, syn::Item::Enum(_))
}

/// Every struct and enum of `items` that derives `AvroSchema`, modules walked.
fn items_of(items: &[syn::Item], out: &mut Vec<syn::Item>) {
    let derives = |attrs: &[syn::Attribute]| {
        attrs
            .iter()
            .any(|a| a.path().is_ident("derive") && normalise(&a.meta).contains("AvroSchema"))
    };
    for item in items {
        match item {
            syn::Item::Struct(s) if derives(&s.attrs) => out.push(item.clone()),
            syn::Item::Enum(e) if derives(&e.attrs) => out.push(item.clone()),
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    items_of(items, out);
                }
            }
            _ => {}
        }
    }
}

fn avro_short_name(item: &syn::Item) -> String {
    let (attrs, ident) = match item {
        syn::Item::Struct(s) => (&s.attrs, &s.ident),
        syn::Item::Enum(e) => (&e.attrs, &e.ident),
        _ => unreachable!(),
    };
    let mut name = ident.to_string();
    for a in attrs.iter().filter(|a| a.path().is_ident("avro")) {
        let _ = a.parse_nested_meta(|m| {
            if m.path.is_ident("name") {
                name = m.value()?.parse::<syn::LitStr>()?.value();
            } else if m.input.peek(syn::Token![=]) {
                m.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    name
}

fn assert_same(what: &str, generated: &Bodies, derived: &Bodies) {
    for (f, g, d) in [
        ("encode", &generated.encode, &derived.encode),
        ("decode", &generated.decode, &derived.decode),
    ] {
        let g = g
            .as_ref()
            .unwrap_or_else(|| panic!("{what}: no generated {f}"));
        let d = d
            .as_ref()
            .unwrap_or_else(|| panic!("{what}: no derived {f}"));
        if d != g {
            // Where they part, with some context: the bodies are long.
            let at = d
                .char_indices()
                .zip(g.chars())
                .find(|((_, a), b)| a != b)
                .map_or(d.len().min(g.len()), |((i, _), _)| i);
            let from = d[..at].char_indices().rev().nth(200).map_or(0, |(i, _)| i);
            let window = |s: &str| s[from..].chars().take(500).collect::<String>();
            panic!(
                "{what}: the derived {f} is not the generated one; from byte {from}:\n derived:   {}\n generated: {}",
                window(d),
                window(g)
            );
        }
    }
}

#[test]
fn a_record_of_every_visible_field_type_gets_the_generated_code() {
    let derived = derived_bodies(
        r#"
        #[derive(AvroSchema)]
        #[avro(namespace = "same")]
        struct Every {
            b: bool,
            i: i32,
            l: i64,
            f: f32,
            d: f64,
            s: String,
            #[avro(bytes)]
            raw: Vec<u8>,
            maybe_s: Option<String>,
            maybe_l: Option<i64>,
            #[avro(bytes)]
            maybe_raw: Option<Vec<u8>>,
            strings: Vec<String>,
            longs: Vec<i64>,
            doubles: Vec<f64>,
            nested: Vec<Vec<i32>>,
            labels: HashMap<String, String>,
            counts: HashMap<String, Vec<i64>>,
            maybe_list: Option<Vec<String>>,
            id: Uuid,
            at: TimestampMillis,
            day: Date,
            #[avro(precision = 10, scale = 2)]
            price: Decimal,
        }
        "#,
    );
    let schema = r#"{"type": "record", "name": "Every", "namespace": "same", "fields": [
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "s", "type": "string"},
        {"name": "raw", "type": "bytes"},
        {"name": "maybe_s", "type": ["null", "string"], "default": null},
        {"name": "maybe_l", "type": ["null", "long"], "default": null},
        {"name": "maybe_raw", "type": ["null", "bytes"], "default": null},
        {"name": "strings", "type": {"type": "array", "items": "string"}},
        {"name": "longs", "type": {"type": "array", "items": "long"}},
        {"name": "doubles", "type": {"type": "array", "items": "double"}},
        {"name": "nested", "type": {"type": "array", "items": {"type": "array", "items": "int"}}},
        {"name": "labels", "type": {"type": "map", "values": "string"}},
        {"name": "counts", "type": {"type": "map", "values": {"type": "array", "items": "long"}}},
        {"name": "maybe_list", "type": ["null", {"type": "array", "items": "string"}], "default": null},
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}}
    ]}"#;
    let generated = generated_bodies(schema);
    let (g, d) = (&generated["Every"], &derived["Every"]);
    // The record's encoder starts with the one reserve of its fields' bound.
    let enc = d.encode.as_deref().unwrap_or_default();
    assert!(
        enc.starts_with("# [inline] { encode :: reserve (__out"),
        "no reserve: {enc}"
    );
    assert_same("fixture `Every`", g, d);
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Each ../shared/bench workload against its derived types in
/// benches/src/derived.rs (matched by Avro name): every type whose fields
/// the macro sees whole gets the generated encoder and decoder; each
/// workload has at least one such type.
#[test]
fn the_bench_workloads_derived_types_get_the_generated_code() {
    let root = workspace();
    let source = std::fs::read_to_string(root.join("benches/src/derived.rs"))
        .expect("benches/src/derived.rs");
    let derived = derived_bodies(&source);
    let file = syn::parse_file(&source).unwrap();
    let mut items = Vec::new();
    items_of(&file.items, &mut items);
    let rust_names: Vec<String> = items
        .iter()
        .map(|i| match i {
            syn::Item::Struct(s) => s.ident.to_string(),
            syn::Item::Enum(e) => e.ident.to_string(),
            _ => unreachable!(),
        })
        .collect();
    let bench = std::env::var_os("AVRO_SHARED_DIR")
        .map_or_else(|| root.join("../shared"), PathBuf::from)
        .join("bench");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&bench)
        .unwrap_or_else(|e| panic!("{}: {e}", bench.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("schema.avsc").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no workloads in {}", bench.display());
    for dir in dirs {
        let workload = dir.file_name().unwrap().to_string_lossy().into_owned();
        let schema = std::fs::read_to_string(dir.join("schema.avsc")).unwrap();
        let generated = generated_bodies(&schema);
        let mut compared = Vec::new();
        for item in &items {
            let avro = avro_short_name(item);
            let Some(g) = generated.get(&avro) else {
                continue;
            };
            if unit_enum(item) || !sees_whole(item, &rust_names) {
                continue;
            }
            let d = derived
                .get(&avro)
                .unwrap_or_else(|| panic!("{workload}: no derived impls for {avro}"));
            assert_same(&format!("{workload}: {avro}"), g, d);
            compared.push(avro);
        }
        assert!(
            !compared.is_empty(),
            "{workload}: no derived type in benches/src/derived.rs has its fields visible to the macro"
        );
        eprintln!("{workload}: the same code for {compared:?}");
    }
}
