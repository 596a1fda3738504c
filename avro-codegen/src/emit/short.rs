//! Short paths in generated impls: the emitters write fully qualified paths
//! (`::core::option::Option::Some`, `::avro_runtime::encode::write_long`),
//! which keeps every piece correct on its own; [`Shortener`] rewrites them,
//! inside one `const _: () = { ... };` block of impls, to an alias that the
//! block imports (`use ::avro_runtime::__private::g as __g;` then
//! `__g::Some`, `__g::encode::write_long`). The alias is scoped to the
//! block, so a user module that shadows `Option`, `Result`, `Vec`, `String`,
//! `Box` or `Default` still cannot change what the generated code means,
//! and its name is chosen to differ from every generated type name.

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;

/// Rewrites absolute paths to the block's alias (see the module doc).
pub(super) struct Shortener {
    alias: Ident,
    /// Each absolute path prefix (as token texts, `::` as two `:`) and the
    /// segments that replace it after the alias; longest first.
    rules: Vec<(Vec<String>, Vec<&'static str>)>,
}

/// Whether a path can start at `tokens[i]`: not after a `::` (the middle
/// of a path), and for an absolute `::` path not right after a type or
/// path segment (`Self::`, `<T as X>::`), where `::` continues a path.
fn path_may_start(tokens: &[TokenTree], i: usize) -> bool {
    let punct = |k: usize| match tokens.get(k) {
        Some(TokenTree::Punct(p)) => Some((p.as_char(), p.spacing())),
        _ => None,
    };
    if i == 0 {
        return true;
    }
    // After `::` (a joint `:` then `:`): the middle of a path.
    if punct(i - 1).map(|p| p.0) == Some(':')
        && i >= 2
        && punct(i - 2) == Some((':', Spacing::Joint))
    {
        return false;
    }
    if punct(i) != Some((':', Spacing::Joint)) {
        return true;
    }
    match &tokens[i - 1] {
        // `as ::x`, `-> ::x` are starts; `Self::x`, `T::x` continue.
        TokenTree::Ident(id) => {
            let s = id.to_string();
            KEYWORDS.contains(&s.as_str())
        }
        TokenTree::Punct(p) if p.as_char() == '>' => {
            // `->` and `=>` end in `>` too.
            i >= 2 && matches!(punct(i - 2), Some(('-' | '=', Spacing::Joint)))
        }
        _ => true,
    }
}

/// Keywords after which `::` starts an absolute path (not `Self`, `self`,
/// `super`, `crate`: those begin a relative one).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "dyn", "else", "enum", "fn", "for", "if", "impl", "in", "let", "loop",
    "match", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "type", "unsafe",
    "use", "where", "while",
];

/// Token texts of a path written as a string (`::core::option::Option::`).
fn texts(ts: &TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    for t in ts.clone() {
        match t {
            TokenTree::Punct(p) => out.push(p.as_char().to_string()),
            TokenTree::Ident(i) => out.push(i.to_string()),
            // A path has no groups or literals.
            other => out.push(other.to_string()),
        }
    }
    out
}

impl Shortener {
    /// `rt`: the runtime crate's path (`Options::runtime_crate`); `taken`:
    /// the names the alias must not take (the generated types').
    pub fn new(rt: &TokenStream, taken: &[&str]) -> Self {
        let mut name = "__g".to_owned();
        let mut k = 0;
        while taken.contains(&name.as_str()) {
            k += 1;
            name = format!("__g{k}");
        }
        let alias = Ident::new(&name, Span::call_site());
        let std_paths: [(&str, &[&'static str]); 12] = [
            ("::core::option::Option::", &[]),
            ("::core::option::Option", &["Option"]),
            ("::core::result::Result::", &[]),
            ("::core::result::Result", &["Result"]),
            ("::core::default::Default", &["Default"]),
            ("::std::vec::Vec", &["Vec"]),
            ("::std::string::String", &["String"]),
            ("::std::boxed::Box", &["Box"]),
            ("::std::sync::OnceLock", &["OnceLock"]),
            ("::core::convert::From", &["From"]),
            ("::core::clone::Clone", &["Clone"]),
            ("::core::iter::Iterator", &["Iterator"]),
        ];
        let mut rules: Vec<(Vec<String>, Vec<&'static str>)> = std_paths
            .iter()
            .map(|(p, to)| {
                let ts: TokenStream = p.parse().expect("a path");
                (texts(&ts), to.to_vec())
            })
            .collect();
        // The runtime crate itself: `#rt ::` becomes `__g ::` (the alias
        // re-exports the crate root).
        let mut rt_texts = texts(rt);
        rt_texts.extend([":".to_owned(), ":".to_owned()]);
        rules.push((rt_texts.clone(), Vec::new()));
        // The generic field reads, re-exported by the alias too.
        rt_texts.extend(["field".to_owned(), ":".to_owned(), ":".to_owned()]);
        rules.push((rt_texts, Vec::new()));
        rules.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        Shortener { alias, rules }
    }

    /// The alias's name (`__g` unless a generated type has it).
    pub fn alias_name(&self) -> String {
        self.alias.to_string()
    }

    /// The `use` that brings the alias into a block.
    pub fn import(&self, rt: &TokenStream) -> TokenStream {
        let alias = &self.alias;
        quote!(use #rt::__private::g as #alias; #[allow(unused_imports)] use #alias::__private::ErrorPath as _;)
    }

    /// `ts` with every known absolute path rewritten to the alias.
    pub fn rewrite(&self, ts: TokenStream) -> TokenStream {
        let mut tokens: Vec<TokenTree> = ts.into_iter().collect();
        let first = self.rules.iter().any(|(p, _)| p[0] != ":");
        // Decided before tokens are moved out (it looks back).
        let may_start: Vec<bool> = (0..tokens.len())
            .map(|i| {
                let candidate = match &tokens[i] {
                    TokenTree::Punct(p) => p.as_char() == ':' && p.spacing() == Spacing::Joint,
                    TokenTree::Ident(_) => first,
                    _ => false,
                };
                candidate && path_may_start(&tokens, i)
            })
            .collect();
        let mut out = TokenStream::new();
        let mut i = 0;
        'outer: while i < tokens.len() {
            // Only a `::` or (for a runtime path like `crate::rt`) an ident
            // can begin a rule's path.
            if may_start[i] {
                for (prefix, to) in &self.rules {
                    let end = i + prefix.len();
                    if end <= tokens.len()
                        && prefix.iter().zip(&tokens[i..end]).all(|(a, t)| match t {
                            TokenTree::Punct(p) => a.len() == 1 && a.starts_with(p.as_char()),
                            TokenTree::Ident(id) => id == a,
                            _ => false,
                        })
                    {
                        let alias = &self.alias;
                        let segs = to.iter().map(|s| Ident::new(s, Span::call_site()));
                        // A prefix ending in `::` continues with the next segment.
                        if prefix.last().map(String::as_str) == Some(":") {
                            out.extend(quote!(#alias #(:: #segs)* ::));
                        } else {
                            out.extend(quote!(#alias #(:: #segs)*));
                        }
                        i = end;
                        continue 'outer;
                    }
                }
            }
            // Moved, not cloned (matching looks ahead only, never back).
            let placeholder = TokenTree::Punct(Punct::new('.', Spacing::Alone));
            match std::mem::replace(&mut tokens[i], placeholder) {
                TokenTree::Group(g) => {
                    let mut ng = Group::new(g.delimiter(), self.rewrite(g.stream()));
                    ng.set_span(g.span());
                    out.extend([TokenTree::Group(ng)]);
                }
                t => out.extend([t]),
            }
            i += 1;
        }
        out
    }

    /// Wraps `body` (impls) in `const _: () = { use ...; body };` with its
    /// paths shortened; `attrs` go on the block.
    pub fn block(&self, rt: &TokenStream, attrs: TokenStream, body: TokenStream) -> TokenStream {
        let import = self.import(rt);
        let body = self.rewrite(body);
        let block = Group::new(Delimiter::Brace, quote!(#import #body));
        quote!(#attrs const _: () = #block;)
    }
}
