//! Prints the generated token stream as Rust source, in place of
//! prettyplease.
//!
//! prettyplease needs syn with its `full` feature: that pair was the
//! largest part of the tool chain a user's build script compiles before it
//! can generate anything (about 7 s of CPU on the 2-core reference machine,
//! and the chain is serial). The code this crate generates is narrow:
//! items, attributes, impls with plain bodies, and mostly template macro
//! invocations, whose bodies prettyplease could only flow as words anyway.
//! This printer formats exactly that:
//!
//! - items and statements one per line, four spaces per brace level;
//!   `,` ends a line directly inside braces (fields, variants, match arms);
//! - `#[doc = "…"]` as `///…`, other attributes on their own line;
//! - parentheses and brackets inline, or one element per line when the
//!   inline form would pass column 100 (fn signatures, long attribute lists);
//! - a macro invoked with braces has its body flowed as words at column 100,
//!   never splitting a token (a schema literal is one token);
//! - spacing as rustfmt writes it: `a: T`, `Vec<T>`, `&mut x`, `x.y()?`,
//!   `|x| x + 1`, `<T as Trait>::f`.
//!
//! Only whitespace is chosen here: the tokens come out exactly as they went
//! in (`same_tokens` in the tests checks that on the golden schemas and on
//! hand-written samples of every construct).

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// The column the printer tries not to pass.
const WIDTH: usize = 100;

/// Rust source for `tokens`, a sequence of items.
pub(crate) fn items(tokens: TokenStream) -> String {
    let toks = lex(tokens);
    let mut w = Writer::new(None);
    w.seq(&toks, Ctx::Block);
    w.finish()
}

/// One token, with joint punctuation merged into operators and `'a` into
/// one word.
#[derive(Debug)]
enum Tok {
    Word(String, Word),
    Op(String),
    Group(Delimiter, Vec<Tok>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Word {
    Ident,
    /// A keyword that is not a path segment (`self`, `Self`, `super` and
    /// `crate` count as identifiers).
    Keyword,
    Literal,
    Lifetime,
}

/// Operators that tokens marked joint may form. Anything else is printed
/// one character at a time.
const OPERATORS: &[&str] = &[
    "<<=", ">>=", "...", "..=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=",
    "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>", "..",
];

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
];

fn lex(tokens: TokenStream) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut puncts: Vec<(char, Spacing)> = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Punct(p) if p.as_char() == '\'' && p.spacing() == Spacing::Joint => {
                flush_puncts(&mut puncts, &mut out);
                match iter.next() {
                    Some(TokenTree::Ident(i)) => {
                        out.push(Tok::Word(format!("'{i}"), Word::Lifetime))
                    }
                    Some(other) => {
                        out.push(Tok::Op("'".into()));
                        out.extend(lex(other.into()));
                    }
                    None => out.push(Tok::Op("'".into())),
                }
            }
            TokenTree::Punct(p) => {
                puncts.push((p.as_char(), p.spacing()));
                if p.spacing() == Spacing::Alone {
                    flush_puncts(&mut puncts, &mut out);
                }
            }
            other => {
                flush_puncts(&mut puncts, &mut out);
                match other {
                    TokenTree::Group(g) if g.delimiter() == Delimiter::None => {
                        out.extend(lex(g.stream()));
                    }
                    TokenTree::Group(g) => out.push(Tok::Group(g.delimiter(), lex(g.stream()))),
                    TokenTree::Ident(i) => {
                        let s = i.to_string();
                        let kind = if KEYWORDS.contains(&s.as_str()) {
                            Word::Keyword
                        } else {
                            Word::Ident
                        };
                        out.push(Tok::Word(s, kind));
                    }
                    TokenTree::Literal(l) => out.push(Tok::Word(l.to_string(), Word::Literal)),
                    TokenTree::Punct(_) => unreachable!(),
                }
            }
        }
    }
    flush_puncts(&mut puncts, &mut out);
    out
}

/// Splits a run of joint punctuation into the longest known operators.
fn flush_puncts(puncts: &mut Vec<(char, Spacing)>, out: &mut Vec<Tok>) {
    let chars: String = puncts.drain(..).map(|(c, _)| c).collect();
    let mut rest = chars.as_str();
    while !rest.is_empty() {
        let op = OPERATORS.iter().find(|op| rest.starts_with(**op)).map_or(
            &rest[..rest.chars().next().map_or(1, char::len_utf8)],
            |op| op,
        );
        out.push(Tok::Op(op.to_owned()));
        rest = &rest[op.len()..];
    }
}

/// Where a sequence of tokens sits.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    /// Directly inside braces (or at the top): `;` and `,` end a line.
    Block,
    /// Inside parentheses or brackets, or an attribute.
    Inline,
}

/// What was printed last, for the space before the next token.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Prev {
    /// Start of a line or of the output.
    Start,
    /// `(` or `[` (or `{` in a flowed macro body).
    Open,
    Close,
    Word(Word),
    /// `pub`, which takes `(crate)` without a space.
    Pub,
    /// `::`, `.`, `#`, a unary operator, a generic `<`, a closure's opening `|`,
    /// `!` of a macro: no space after.
    Tight,
    /// `,`, `;`, `:`, a binary operator, a closure's closing `|`: a space after.
    Spaced,
    /// The `>` that closes generic arguments (`Vec<T>`).
    GenericClose,
    /// The `>` that closes `impl<…>` parameters: a space after.
    ParamsClose,
}

impl Prev {
    /// Whether an operand (not an operator) comes next: `-x`, `&x`, `*x`,
    /// `!x`, `|x| …` and `<T as U>::f` start an operand.
    fn wants_operand(self) -> bool {
        matches!(
            self,
            Prev::Start | Prev::Open | Prev::Spaced | Prev::Tight | Prev::Word(Word::Keyword)
        )
    }
}

struct Writer {
    out: String,
    line: String,
    indent: usize,
    /// In a flowed macro body: the width at which lines wrap.
    flow: Option<usize>,
    prev: Prev,
}

impl Writer {
    fn new(flow: Option<usize>) -> Self {
        Writer {
            out: String::new(),
            line: String::new(),
            indent: 0,
            flow,
            prev: Prev::Start,
        }
    }

    fn finish(mut self) -> String {
        self.newline();
        self.out
    }

    fn column(&self) -> usize {
        self.indent * 4 + self.line.chars().count()
    }

    fn newline(&mut self) {
        let line = self.line.trim_end();
        if !line.is_empty() {
            for _ in 0..self.indent {
                self.out.push_str("    ");
            }
            self.out.push_str(line);
            self.out.push('\n');
        }
        self.line.clear();
        self.prev = Prev::Start;
    }

    /// Appends `text`, after a space when `space`; in a flowed body a token
    /// that would pass the width starts a new line (only where a space would
    /// be: `a::b` stays whole).
    fn put(&mut self, text: &str, space: bool, next: Prev) {
        if let Some(width) = self.flow.filter(|w| *w != usize::MAX) {
            if space && !self.line.is_empty() && self.column() + 1 + text.len() > width {
                self.newline();
            }
        }
        if space && !self.line.is_empty() {
            self.line.push(' ');
        }
        self.line.push_str(text);
        self.prev = next;
    }

    /// Prints `toks`, one level of nesting.
    fn seq(&mut self, toks: &[Tok], ctx: Ctx) {
        // Open generic `<`s at this level: true for `impl<…>` parameters.
        let mut generics: Vec<bool> = Vec::new();
        let mut closure_open = false;
        // A method chain broken onto further lines, one level deeper, until
        // the statement ends.
        let mut hanging = false;
        let mut i = 0;
        while i < toks.len() {
            let next = toks.get(i + 1);
            match &toks[i] {
                Tok::Op(op) if op == "#" => {
                    let (inner, group) = match (next, toks.get(i + 2)) {
                        (Some(Tok::Op(bang)), Some(Tok::Group(Delimiter::Bracket, g)))
                            if bang == "!" =>
                        {
                            (true, Some(g))
                        }
                        (Some(Tok::Group(Delimiter::Bracket, g)), _) => (false, Some(g)),
                        _ => (false, None),
                    };
                    match group {
                        Some(g) if self.flow.is_none() => {
                            self.attribute(g, inner);
                            i += if inner { 3 } else { 2 };
                            continue;
                        }
                        _ => {
                            let space = self.space_before_word();
                            self.put("#", space, Prev::Tight);
                        }
                    }
                }
                // `call(…)` + `.method(…)` past the width: the chain goes on
                // on the next line.
                Tok::Op(op) if op == "." && self.flow.is_none() && self.prev == Prev::Close => {
                    let rest = &toks[i + 1..];
                    let segment = flat_width(&rest[..line_end(rest, true)]);
                    if self.column() + 1 + segment > WIDTH {
                        self.newline();
                        if !hanging {
                            hanging = true;
                            self.indent += 1;
                        }
                    }
                    self.put(".", false, Prev::Tight);
                }
                // `let x: Long<Type> =` + a value past the width: the value
                // goes on the next line.
                Tok::Op(op) if op == "=" && self.flow.is_none() && !hanging => {
                    let rest = &toks[i + 1..];
                    let value = &rest[..line_end(rest, false)];
                    self.put("=", true, Prev::Spaced);
                    if !has_block(value) && self.column() + 1 + flat_width(value) > WIDTH {
                        self.newline();
                        hanging = true;
                        self.indent += 1;
                    }
                }
                Tok::Op(op) if hanging && (op == ";" || op == ",") && generics.is_empty() => {
                    self.op(op, ctx, false, &mut generics, &mut closure_open);
                    self.newline();
                    hanging = false;
                    self.indent -= 1;
                }
                Tok::Op(op) => {
                    // `fn name<T>`: a lower-case name that takes generics.
                    let fn_name = i >= 2 && matches!(&toks[i - 2], Tok::Word(w, _) if w == "fn");
                    self.op(op, ctx, fn_name, &mut generics, &mut closure_open);
                }
                Tok::Word(text, kind) => {
                    let space = self.space_before_word();
                    let prev = if text == "pub" {
                        Prev::Pub
                    } else {
                        Prev::Word(*kind)
                    };
                    self.put(text, space, prev);
                }
                Tok::Group(delim, inner) => {
                    let macro_call = i > 0
                        && matches!(&toks[i - 1], Tok::Op(b) if b == "!")
                        && i > 1
                        && matches!(&toks[i - 2], Tok::Word(_, Word::Ident));
                    // What must follow on the same line: up to the next block,
                    // `;`, `,` or method call (a signature's `-> Result<…>`).
                    let tail = if self.flow.is_none() && *delim != Delimiter::Brace {
                        let rest = &toks[i + 1..];
                        let end = line_end(rest, true);
                        let brace = usize::from(end < rest.len()) * 2;
                        flat_width(&rest[..end]) + brace
                    } else {
                        0
                    };
                    self.group(*delim, inner, macro_call, tail);
                    if *delim == Delimiter::Brace && ctx == Ctx::Block && self.flow.is_none() {
                        let continues = match next {
                            Some(Tok::Op(op)) => {
                                matches!(op.as_str(), "," | ";" | "." | "?" | "=>" | "=")
                            }
                            Some(Tok::Word(w, _)) => w == "else" || w == "as",
                            _ => false,
                        };
                        if !continues {
                            self.newline();
                        }
                    }
                }
            }
            i += 1;
        }
        if hanging {
            self.newline();
            self.indent -= 1;
        }
    }

    /// The space before an identifier, literal or lifetime.
    fn space_before_word(&self) -> bool {
        !matches!(self.prev, Prev::Start | Prev::Open | Prev::Tight)
    }

    fn op(
        &mut self,
        op: &str,
        ctx: Ctx,
        fn_name: bool,
        generics: &mut Vec<bool>,
        closure_open: &mut bool,
    ) {
        let prev = self.prev;
        let block_end = ctx == Ctx::Block && self.flow.is_none();
        match op {
            "," | ";" => {
                self.put(op, false, Prev::Spaced);
                if block_end && generics.is_empty() {
                    self.newline();
                }
            }
            ":" | "?" => {
                let after = if op == ":" { Prev::Spaced } else { Prev::Close };
                self.put(op, false, after);
            }
            "." | ".." | "..=" => self.put(op, false, Prev::Tight),
            "::" => {
                let space = matches!(
                    prev,
                    Prev::Word(Word::Keyword) | Prev::Spaced | Prev::ParamsClose | Prev::Pub
                );
                self.put(op, space, Prev::Tight);
            }
            "!" => {
                // `name!(…)` or `!x`.
                let space = !matches!(prev, Prev::Word(Word::Ident)) && self.space_before_op();
                self.put(op, space, Prev::Tight);
            }
            "<" => {
                let generic = match prev {
                    Prev::Word(Word::Ident) => {
                        fn_name
                            || self
                                .last_word()
                                .is_some_and(|w| w.starts_with(char::is_uppercase))
                    }
                    p => p.wants_operand(),
                };
                if generic {
                    let params = matches!(prev, Prev::Word(Word::Keyword))
                        && self.last_word().as_deref() == Some("impl");
                    generics.push(params);
                    let space = matches!(prev, Prev::Spaced | Prev::Word(Word::Keyword)) && !params;
                    self.put(op, space, Prev::Tight);
                } else {
                    self.put(op, true, Prev::Spaced);
                }
            }
            ">" | ">>" if !generics.is_empty() => {
                let mut params = false;
                for _ in 0..op.len() {
                    params = generics.pop().unwrap_or(false);
                }
                let after = if params {
                    Prev::ParamsClose
                } else {
                    Prev::GenericClose
                };
                self.put(op, false, after);
            }
            "|" | "||" if prev.wants_operand() && !*closure_open => {
                // A closure's parameters: `|x|` or `||`.
                let space = self.space_before_op();
                if op == "|" {
                    *closure_open = true;
                    self.put(op, space, Prev::Tight);
                } else {
                    self.put(op, space, Prev::Spaced);
                }
            }
            "|" if *closure_open => {
                *closure_open = false;
                self.put(op, false, Prev::Spaced);
            }
            "&" | "*" | "-" if prev.wants_operand() => {
                let space = self.space_before_op();
                self.put(op, space, Prev::Tight);
            }
            "#" | "$" => {
                let space = self.space_before_op();
                self.put(op, space, Prev::Tight);
            }
            _ => {
                // A binary operator: `=`, `->`, `=>`, `+`, `==`, ...
                self.put(op, !matches!(prev, Prev::Start), Prev::Spaced);
            }
        }
    }

    /// The space before a prefix operator (`&`, `!`, `|`, `#`).
    fn space_before_op(&self) -> bool {
        !matches!(self.prev, Prev::Start | Prev::Open | Prev::Tight)
    }

    /// The identifier or keyword the current line ends with.
    fn last_word(&self) -> Option<String> {
        let start = self
            .line
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '#'))
            .map_or(0, |i| i + 1);
        Some(self.line[start..].to_owned()).filter(|w| !w.is_empty())
    }

    fn group(&mut self, delim: Delimiter, inner: &[Tok], macro_call: bool, tail: usize) {
        let prev = self.prev;
        match delim {
            Delimiter::Brace => {
                let space = !matches!(prev, Prev::Start | Prev::Open);
                if inner.is_empty() {
                    self.put("{}", space, Prev::Close);
                } else if self.flow.is_some() {
                    self.put("{", space, Prev::Spaced);
                    self.seq(inner, Ctx::Block);
                    self.put("}", true, Prev::Close);
                } else if macro_call {
                    self.put("{", space, Prev::Start);
                    self.newline();
                    self.indent += 1;
                    let mut body = Writer::new(Some(WIDTH));
                    body.indent = self.indent;
                    body.seq(inner, Ctx::Block);
                    body.newline();
                    self.out.push_str(&body.out);
                    self.indent -= 1;
                    self.put("}", false, Prev::Close);
                } else {
                    self.put("{", space, Prev::Start);
                    self.newline();
                    self.indent += 1;
                    self.seq(inner, Ctx::Block);
                    self.newline();
                    self.indent -= 1;
                    self.put("}", false, Prev::Close);
                }
            }
            Delimiter::Parenthesis | Delimiter::Bracket => {
                let (open, close) = if delim == Delimiter::Parenthesis {
                    ("(", ")")
                } else {
                    ("[", "]")
                };
                let space = match prev {
                    Prev::Word(Word::Ident) | Prev::Close | Prev::GenericClose => false,
                    Prev::Pub => delim == Delimiter::Bracket,
                    Prev::Word(Word::Literal) => false,
                    Prev::Tight | Prev::Start | Prev::Open => false,
                    _ => true,
                };
                let extra = open.len() + close.len() + 1 + tail;
                if self.flow.is_none() && !macro_call && !self.fits(inner, extra) {
                    // After a name a list takes a trailing comma even with
                    // one element (`f(x,)`); a bare `(x,)` would be a tuple.
                    let list = matches!(prev, Prev::Word(Word::Ident) | Prev::GenericClose);
                    let trailing = list || split_commas(inner).len() > 1 || ends_with_comma(inner);
                    self.vertical(open, close, inner, space, trailing);
                    return;
                }
                self.put(open, space, Prev::Open);
                self.seq(inner, Ctx::Inline);
                self.put(close, false, Prev::Close);
            }
            Delimiter::None => self.seq(inner, Ctx::Inline),
        }
    }

    /// Whether `inner` printed on this line stays within the width. Groups
    /// holding a block never count as too wide: the block breaks instead.
    fn fits(&self, inner: &[Tok], extra: usize) -> bool {
        inner.is_empty() || has_block(inner) || self.column() + extra + flat_width(inner) <= WIDTH
    }

    /// `(`, then each comma-separated element on its own line, then `)`;
    /// the caller says whether the last element takes a comma (rustfmt's
    /// style, but `(x,)` would turn a parenthesized `x` into a tuple).
    fn vertical(&mut self, open: &str, close: &str, inner: &[Tok], space: bool, trailing: bool) {
        self.put(open, space, Prev::Open);
        self.newline();
        self.indent += 1;
        let elements = split_commas(inner);
        let last = elements.len().saturating_sub(1);
        for (n, element) in elements.into_iter().enumerate() {
            self.seq(element, Ctx::Inline);
            if n < last || trailing {
                self.put(",", false, Prev::Spaced);
            }
            self.newline();
        }
        self.indent -= 1;
        self.put(close, false, Prev::Close);
    }

    /// `#[…]` on its own line; `#[doc = "text"]` as `///text`.
    fn attribute(&mut self, inner: &[Tok], inner_attr: bool) {
        self.newline();
        if !inner_attr {
            if let [Tok::Word(doc, Word::Ident), Tok::Op(eq), Tok::Word(lit, Word::Literal)] = inner
            {
                if doc == "doc" && eq == "=" {
                    if let Some(text) = unescape(lit).filter(|t| !t.contains('\n')) {
                        self.line = format!("///{text}");
                        self.newline();
                        return;
                    }
                }
            }
        }
        self.put(if inner_attr { "#![" } else { "#[" }, false, Prev::Open);
        if !self.fits(inner, 1) {
            // `#[allow(` and one lint per line.
            if let [Tok::Word(name, _), Tok::Group(Delimiter::Parenthesis, list)] = inner {
                self.put(name, false, Prev::Word(Word::Ident));
                self.vertical("(", ")", list, false, ends_with_comma(list));
                self.put("]", false, Prev::Close);
                self.newline();
                return;
            }
        }
        self.seq(inner, Ctx::Inline);
        self.put("]", false, Prev::Close);
        self.newline();
    }
}

fn ends_with_comma(toks: &[Tok]) -> bool {
    matches!(toks.last(), Some(Tok::Op(c)) if c == ",")
}

/// Where the line that `toks` continues ends: before the next block, `;`
/// or `,` outside generics, or (with `dot`) `.`.
fn line_end(toks: &[Tok], dot: bool) -> usize {
    let mut depth = 0usize;
    toks.iter()
        .position(|t| match t {
            Tok::Group(Delimiter::Brace, _) => true,
            Tok::Op(op) => match op.as_str() {
                "<" => {
                    depth += 1;
                    false
                }
                ">" | ">>" => {
                    depth = depth.saturating_sub(op.len());
                    false
                }
                "," => depth == 0,
                ";" => true,
                "." => dot,
                _ => false,
            },
            _ => false,
        })
        .unwrap_or(toks.len())
}

/// The width of `toks` printed on one line.
fn flat_width(toks: &[Tok]) -> usize {
    if toks.is_empty() {
        return 0;
    }
    let mut probe = Writer::new(Some(usize::MAX));
    probe.prev = Prev::Open;
    probe.seq(toks, Ctx::Inline);
    probe.line.chars().count()
}

/// `toks` split at the commas outside `<…>` (a parameter's `HashMap<K, V>`
/// stays whole).
fn split_commas(toks: &[Tok]) -> Vec<&[Tok]> {
    let (mut out, mut start, mut depth) = (Vec::new(), 0, 0usize);
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Op(op) if op == "<" => depth += 1,
            Tok::Op(op) if op == ">" || op == ">>" => depth = depth.saturating_sub(op.len()),
            Tok::Op(op) if op == "," && depth == 0 => {
                out.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&toks[start..]);
    out.retain(|e| !e.is_empty());
    out
}

fn has_block(toks: &[Tok]) -> bool {
    toks.iter().any(|t| match t {
        Tok::Group(Delimiter::Brace, inner) => !inner.is_empty(),
        Tok::Group(_, inner) => has_block(inner),
        _ => false,
    })
}

/// The text of a plain string literal (`"…"` with Rust escapes), or None
/// for any other literal.
fn unescape(lit: &str) -> Option<String> {
    if let Some(raw) = lit.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw[hashes..].strip_prefix('"')?;
        let body = body.strip_suffix(&raw[..hashes])?.strip_suffix('"')?;
        return Some(body.to_owned()).filter(|t| !t.chars().any(|c| c.is_control() && c != '\t'));
    }
    let body = lit.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'u' => {
                let rest = chars.as_str().strip_prefix('{')?;
                let end = rest.find('}')?;
                out.push(char::from_u32(u32::from_str_radix(&rest[..end], 16).ok()?)?);
                chars = rest[end + 1..].chars();
            }
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from(u8::from_str_radix(&hex, 16).ok()?));
            }
            _ => return None,
        }
    }
    // Control characters would end or garble a `///` line.
    (!out.chars().any(|c| c.is_control() && c != '\t')).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// Printing changed whitespace only: the printed source lexes back to
    /// the same tokens.
    pub(crate) fn same_tokens(tokens: TokenStream) -> String {
        let printed = items(tokens.clone());
        let back: TokenStream = printed.parse().expect("printed source lexes");
        assert_eq!(shape(back), shape(tokens), "printed:\n{printed}");
        printed
    }

    /// The tokens without spacing, string literals by value (`///` and
    /// `#[doc]` escape differently), and without trailing commas (which the
    /// printer may add to a list it breaks into lines).
    fn shape(tokens: TokenStream) -> Vec<String> {
        let mut out = Vec::new();
        for tt in tokens {
            match tt {
                TokenTree::Group(g) => {
                    out.push(format!("{:?}", g.delimiter()));
                    out.extend(shape(g.stream()));
                    if out.last().is_some_and(|t| t == ",") {
                        out.pop();
                    }
                    out.push("end".into());
                }
                TokenTree::Literal(l) => {
                    let text = l.to_string();
                    out.push(unescape(&text).map_or(text, |v| format!("str {v:?}")));
                }
                other => out.push(other.to_string()),
            }
        }
        out
    }

    #[test]
    fn items_and_spacing() {
        let printed = same_tokens(quote! {
            /// A type.
            #[derive(Debug, Clone)]
            pub struct Node<'a> {
                /// A field.
                pub left: ::core::option::Option<::std::boxed::Box<Node<'a>>>,
                pub bytes: &'a [u8],
                pub hash: [u8; 4],
            }
            pub struct Hash(pub [u8; 4]);
            pub(crate) enum E { A(i32), B { x: u8 } }
            impl<'a> ::avro_runtime::DecodeBorrowed<'a> for Node<'a> {
                const NAME: &'static str = "Node";
                #[inline]
                fn f(r: &mut ::avro_runtime::Reader<'a>) -> ::core::result::Result<Self, E> {
                    let x = <Self as ::avro_runtime::Decode>::decode(r)?;
                    let v: Vec<u8> = (0..n).map(|i| i * 2 - 1).collect::<Vec<_>>();
                    if a < b && !c { return Err(E::A(-1)); } else if x.0 >= 2 { g(|| 1, &*y) }
                    match x { E::A(v) => v, E::B { x } => { h(x); 0 } }
                    ::std::println!("{}", x);
                }
            }
            const _: () = { use ::avro_runtime::__private::ErrorPath as _; };
        });
        let expected = r#"/// A type.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// A field.
    pub left: ::core::option::Option<::std::boxed::Box<Node<'a>>>,
    pub bytes: &'a [u8],
    pub hash: [u8; 4],
}
pub struct Hash(pub [u8; 4]);
pub(crate) enum E {
    A(i32),
    B {
        x: u8
    }
}
impl<'a> ::avro_runtime::DecodeBorrowed<'a> for Node<'a> {
    const NAME: &'static str = "Node";
    #[inline]
    fn f(r: &mut ::avro_runtime::Reader<'a>) -> ::core::result::Result<Self, E> {
        let x = <Self as ::avro_runtime::Decode>::decode(r)?;
        let v: Vec<u8> = (0..n).map(|i| i * 2 - 1).collect::<Vec<_>>();
        if a < b && !c {
            return Err(E::A(-1));
        } else if x.0 >= 2 {
            g(|| 1, &*y)
        }
        match x {
            E::A(v) => v,
            E::B {
                x
            } => {
                h(x);
                0
            }
        }
        ::std::println!("{}", x);
    }
}
const _: () = {
    use ::avro_runtime::__private::ErrorPath as _;
};
"#;
        assert_eq!(printed, expected);
    }

    #[test]
    fn long_lists_go_one_per_line() {
        let printed = same_tokens(quote! {
            #[allow(clippy::all, clippy::pedantic, clippy::nursery, unused_qualifications, non_camel_case_types, unreachable_code)]
            const _: () = {
                fn decode_ref(reader_with_a_long_name: &mut ::avro_runtime::Reader<'a>) -> ::core::result::Result<Self, ::avro_runtime::DecodeError> { x }
            };
        });
        assert!(
            printed.starts_with("#[allow(\n    clippy::all,\n"),
            "{printed}"
        );
        assert!(
            printed.contains("    fn decode_ref(\n        reader_with_a_long_name: &mut ::avro_runtime::Reader<'a>,\n    ) -> ::core::result::Result<Self, ::avro_runtime::DecodeError> {\n"),
            "{printed}"
        );
        assert!(printed.lines().all(|l| l.len() <= WIDTH), "{printed}");
    }

    #[test]
    fn macro_bodies_flow_without_splitting_tokens() {
        let schema = format!("r#\"{}\"#", "{\"doc\": \"a b c\"}".repeat(12));
        let schema: TokenStream = schema.parse().unwrap();
        let words = (0..40).map(|i| quote::format_ident!("w{i}"));
        let printed = same_tokens(quote! {
            ::avro_runtime::__private::record! { T "T" schema[1u64 #schema lazy] fields { #(#words;)* } extra {} }
        });
        let lines: Vec<&str> = printed.lines().collect();
        assert_eq!(lines[0], "::avro_runtime::__private::record! {");
        assert_eq!(*lines.last().unwrap(), "}");
        assert!(
            lines[2].starts_with("    r#\""),
            "the literal is one token on its own line: {printed}"
        );
        for l in &lines[3..lines.len() - 1] {
            assert!(
                l.len() <= WIDTH && l.starts_with("    "),
                "{l:?} in\n{printed}"
            );
        }
    }

    #[test]
    fn doc_text_is_unescaped_or_kept_as_an_attribute() {
        let printed = same_tokens(quote! {
            #[doc = " Quotes \" and \\ and é and \u{1F600}."]
            #[doc = "two\nlines"]
            struct S;
        });
        assert_eq!(
            printed,
            "/// Quotes \" and \\ and é and \u{1F600}.\n#[doc = \"two\\nlines\"]\nstruct S;\n"
        );
    }
}
