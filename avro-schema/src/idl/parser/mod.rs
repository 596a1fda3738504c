//! The IDL parser: tokens → [`Ast`], by recursive descent over the rules of
//! Avro 1.12's `Idl.g4`, one method per rule. Names are qualified here with
//! the namespace in force (protocol, `namespace x;`, or the enclosing
//! record's), documentation comments attach as Java's `IdlReader` attaches
//! them, and every error says what was expected, what was found, and where.

use serde_json::Value;

use super::ast::{
    Ast, DeclKind, FieldDecl, ImportKind, Item, Message, NamedDecl, ProtocolHeader, Ty,
};
use super::doc::doc_text;
use super::lexer::{lex, DocComment, Kind, Token};
use super::{syntax_error, Pos};
use crate::{Order, Primitive, Props, SchemaError};

mod types;

/// Attributes a schema property may not set: the schema's own keys.
const SCHEMA_RESERVED: &[&str] = &[
    "doc",
    "fields",
    "items",
    "name",
    "namespace",
    "size",
    "symbols",
    "values",
    "type",
    "aliases",
];
const FIELD_RESERVED: &[&str] = &["default", "doc", "name", "order", "type", "aliases"];
const MESSAGE_RESERVED: &[&str] = &["doc", "response", "request", "errors", "one-way"];
const PROTOCOL_RESERVED: &[&str] = &["doc", "namespace", "protocol", "messages", "types"];

/// Names that are IDL type keywords and so cannot name a type.
const TYPE_KEYWORDS: &[&str] = &[
    "boolean",
    "int",
    "long",
    "float",
    "double",
    "bytes",
    "string",
    "null",
    "date",
    "time_ms",
    "timestamp_ms",
    "local_timestamp_ms",
    "uuid",
];

pub(crate) const OUT_OF_PLACE_DOC: &str =
    "ignoring out-of-place documentation comment (did you mean a multiline comment /* ... */?)";

struct Prop {
    name: String,
    value: Value,
    pos: Pos,
}

pub(crate) fn parse(file: &str, src: &str) -> Result<Ast, SchemaError> {
    let lexed = lex(file, src)?;
    let mut p = Parser {
        file,
        src,
        toks: lexed.tokens,
        docs: lexed.docs,
        i: 0,
        next_doc: 0,
        ns: Vec::new(),
        warnings: Vec::new(),
        depth: 0,
    };
    p.file_rule()
}

struct Parser<'a> {
    file: &'a str,
    src: &'a str,
    toks: Vec<Token>,
    docs: Vec<DocComment>,
    i: usize,
    next_doc: usize,
    ns: Vec<Option<String>>,
    warnings: Vec<(Pos, String)>,
    depth: usize,
}

/// Types and JSON values nest at most this deep: deeper input is an error,
/// not a stack overflow, and the JSON written for it stays within
/// serde_json's recursion limit (128).
const MAX_DEPTH: usize = 50;

type R<T> = Result<T, SchemaError>;

impl<'a> Parser<'a> {
    fn peek(&self) -> &Token {
        &self.toks[self.i]
    }

    fn peek_at(&self, k: usize) -> &Token {
        &self.toks[(self.i + k).min(self.toks.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let t = self.toks[self.i].clone();
        if self.i + 1 < self.toks.len() {
            self.i += 1;
        }
        t
    }

    fn text(&self, t: &Token) -> &'a str {
        &self.src[t.start..t.end]
    }

    fn is_kw_tok(&self, t: &Token, kw: &str) -> bool {
        t.kind == Kind::Ident && self.text(t) == kw
    }

    fn is_kw(&self, kw: &str) -> bool {
        self.is_kw_tok(self.peek(), kw)
    }

    fn is_punct(&self, c: char) -> bool {
        self.peek().kind == Kind::Punct(c)
    }

    fn describe(&self, t: &Token) -> String {
        match &t.kind {
            Kind::Eof => "the end of the file".into(),
            Kind::Ident => format!("\"{}\"", self.text(t)),
            Kind::Str(s) => format!("the string {s:?}"),
            Kind::Int(_) | Kind::Float(_) => format!("the number {}", self.text(t)),
            Kind::Punct(c) => format!("'{c}'"),
        }
    }

    #[cold]
    fn err_at(&self, pos: Pos, message: impl Into<String>) -> SchemaError {
        syntax_error(self.file, pos, message.into())
    }

    #[cold]
    fn expected(&self, what: &str) -> SchemaError {
        let t = self.peek();
        self.err_at(
            t.pos,
            format!("expected {what}, found {}", self.describe(t)),
        )
    }

    fn expect_punct(&mut self, c: char, context: &str) -> R<Pos> {
        if self.is_punct(c) {
            Ok(self.bump().pos)
        } else {
            Err(self.expected(&format!("'{c}' {context}")))
        }
    }

    fn expect_kw(&mut self, kw: &str) -> R<Pos> {
        if self.is_kw(kw) {
            Ok(self.bump().pos)
        } else {
            Err(self.expected(&format!("\"{kw}\"")))
        }
    }

    /// Any identifier (keywords included, as the grammar's `identifier`), backquotes removed.
    fn identifier(&mut self, what: &str) -> R<(String, Pos)> {
        if self.peek().kind != Kind::Ident {
            return Err(self.expected(what));
        }
        let t = self.bump();
        Ok((self.text(&t).replace('`', ""), t.pos))
    }

    fn current_ns(&self) -> Option<String> {
        self.ns.last().cloned().flatten()
    }

    fn full_name(&self, id: &str) -> String {
        if id.contains('.') {
            return id.to_owned();
        }
        match self.current_ns() {
            Some(ns) => format!("{ns}.{id}"),
            None => id.to_owned(),
        }
    }

    /// The documentation comment directly before token `start`, warning about
    /// every earlier one not yet attached (Java's `getDocComment`).
    fn doc_comment(&mut self, start: usize) -> Option<String> {
        let from = self.next_doc;
        let mut end = from;
        while end < self.docs.len() && self.docs[end].before <= start {
            end += 1;
        }
        let chosen = (end > from && self.docs[end - 1].before == start).then(|| end - 1);
        for d in &self.docs[from..chosen.unwrap_or(end)] {
            self.warnings.push((d.pos, OUT_OF_PLACE_DOC.to_owned()));
        }
        self.next_doc = end;
        chosen.map(|c| doc_text(&self.docs[c].text))
    }

    // idlFile: protocolDeclaration | namespace? mainSchema? (import | namedSchema)*
    fn file_rule(&mut self) -> R<Ast> {
        let start = self.i;
        let mut props = Vec::new();
        if !(self.is_kw("namespace") || self.is_kw("schema") || self.is_kw("import")) {
            props = self.props()?;
            if self.is_kw("protocol") {
                return self.protocol(start, props);
            }
        }
        let mut ast = Ast {
            protocol: None,
            main_schema: None,
            items: Vec::new(),
            warnings: Vec::new(),
        };
        if props.is_empty() {
            if self.is_kw("namespace") {
                self.bump();
                let (ns, pos) = self.identifier("a namespace after \"namespace\"")?;
                self.check_namespace(&ns, pos)?;
                self.ns.push(Some(ns).filter(|s| !s.is_empty()));
                self.expect_punct(';', "after the namespace")?;
            }
            if self.is_kw("schema") {
                self.bump();
                ast.main_schema = Some(self.full_type()?);
                self.expect_punct(';', "after the main schema")?;
            }
        }
        let mut pending = (!props.is_empty()).then_some((start, props));
        loop {
            let (start, props) = match pending.take() {
                Some(p) => p,
                None => {
                    if self.peek().kind == Kind::Eof {
                        break;
                    }
                    if self.is_kw("import") {
                        ast.items.push(self.import()?);
                        continue;
                    }
                    (self.i, self.props()?)
                }
            };
            if !self.at_named_decl() {
                return Err(self.expected("a declaration (record, error, enum, fixed or import)"));
            }
            ast.items.push(Item::Type(self.named_decl(start, props)?));
        }
        ast.warnings = std::mem::take(&mut self.warnings);
        Ok(ast)
    }

    fn check_namespace(&self, ns: &str, pos: Pos) -> R<()> {
        if ns.contains('-') {
            return Err(self.err_at(
                pos,
                format!("invalid namespace {ns:?}: a namespace is names separated by dots"),
            ));
        }
        Ok(())
    }

    fn protocol(&mut self, start: usize, props: Vec<Prop>) -> R<Ast> {
        let doc = self.doc_comment(start);
        self.expect_kw("protocol")?;
        let (id, id_pos) = self.identifier("a protocol name")?;
        let mut namespace = None;
        let mut out_props = Props::new();
        for p in props {
            if p.name == "namespace" {
                namespace = Some(self.string_prop(&p)?);
            } else {
                self.put_prop(&mut out_props, p, PROTOCOL_RESERVED)?;
            }
        }
        let (name, namespace) = split_name(&id, namespace);
        self.check_type_name(&name, id_pos)?;
        let namespace = namespace.filter(|s| !s.is_empty());
        self.ns.push(namespace.clone());
        self.expect_punct('{', "to open the protocol body")?;
        let mut items = Vec::new();
        loop {
            if self.is_punct('}') {
                self.bump();
                break;
            }
            if self.peek().kind == Kind::Eof {
                return Err(self.expected("'}' to close the protocol body"));
            }
            let next = self.peek_at(1).clone();
            if self.is_kw("import")
                && ["idl", "protocol", "schema"]
                    .iter()
                    .any(|kw| self.is_kw_tok(&next, kw))
            {
                items.push(self.import()?);
                continue;
            }
            let start = self.i;
            let props = self.props()?;
            if self.at_named_decl() {
                items.push(Item::Type(self.named_decl(start, props)?));
            } else {
                items.push(Item::Message(self.message(start, props)?));
            }
        }
        self.ns.pop();
        if self.peek().kind != Kind::Eof {
            return Err(self.expected("the end of the file after the protocol"));
        }
        Ok(Ast {
            protocol: Some(ProtocolHeader {
                name,
                namespace,
                doc,
                props: out_props,
            }),
            main_schema: None,
            items,
            warnings: std::mem::take(&mut self.warnings),
        })
    }

    fn import(&mut self) -> R<Item> {
        self.expect_kw("import")?;
        let kind = if self.is_kw("idl") {
            ImportKind::Idl
        } else if self.is_kw("protocol") {
            ImportKind::Protocol
        } else if self.is_kw("schema") {
            ImportKind::Schema
        } else {
            return Err(self.expected("\"idl\", \"protocol\" or \"schema\" after \"import\""));
        };
        self.bump();
        let Kind::Str(path) = self.peek().kind.clone() else {
            return Err(self.expected("the file to import, as a string"));
        };
        let pos_path = self.bump().pos;
        self.expect_punct(';', "after the import")?;
        Ok(Item::Import {
            kind,
            path,
            pos: pos_path,
        })
    }

    /// Whether a record, error, enum or fixed declaration starts here (and
    /// not a message whose response type happens to be named so).
    fn at_named_decl(&self) -> bool {
        let t = self.peek();
        let next_is_ident = self.peek_at(1).kind == Kind::Ident;
        let after = &self.peek_at(2).kind;
        if self.is_kw_tok(t, "fixed") {
            return next_is_ident
                && *after == Kind::Punct('(')
                && matches!(self.peek_at(3).kind, Kind::Int(_));
        }
        ["record", "error", "enum"]
            .iter()
            .any(|kw| self.is_kw_tok(t, kw))
            && next_is_ident
            && *after == Kind::Punct('{')
    }

    fn check_type_name(&self, name: &str, pos: Pos) -> R<()> {
        if TYPE_KEYWORDS.contains(&name) {
            return Err(self.err_at(
                pos,
                format!("illegal name {name:?}: it is a type keyword (write another name)"),
            ));
        }
        Ok(())
    }

    fn named_decl(&mut self, start: usize, props: Vec<Prop>) -> R<NamedDecl> {
        let doc = self.doc_comment(start);
        let pos = self.toks[start].pos;
        let kw = self.bump();
        let kw = self.text(&kw);
        let (id, name_pos) = self.identifier("a type name")?;
        let mut namespace = self.current_ns();
        let mut aliases = Vec::new();
        let mut out_props = Props::new();
        for p in props {
            match p.name.as_str() {
                "namespace" => namespace = Some(self.string_prop(&p)?),
                "aliases" => aliases = self.aliases_prop(&p)?,
                _ => self.put_prop(&mut out_props, p, SCHEMA_RESERVED)?,
            }
        }
        let (name, namespace) = split_name(&id, namespace);
        let namespace = namespace.filter(|s| !s.is_empty());
        self.check_type_name(&name, name_pos)?;
        let kind = match kw {
            "record" | "error" => {
                self.ns.push(namespace.clone());
                let fields = self.record_body();
                self.ns.pop();
                DeclKind::Record {
                    is_error: kw == "error",
                    fields: fields?,
                }
            }
            "enum" => self.enum_body()?,
            _ => {
                self.expect_punct('(', "before the size of the fixed type")?;
                let t = self.bump();
                let Kind::Int(size) = t.kind else {
                    return Err(self.err_at(
                        t.pos,
                        format!(
                            "expected the size of the fixed type, found {}",
                            self.describe(&t)
                        ),
                    ));
                };
                if !(0..=i64::from(i32::MAX)).contains(&size) {
                    return Err(self.err_at(
                        t.pos,
                        format!("invalid fixed size {size}: expected 0 to {}", i32::MAX),
                    ));
                }
                self.expect_punct(')', "after the size of the fixed type")?;
                self.expect_punct(';', "after the fixed declaration")?;
                DeclKind::Fixed {
                    size,
                    size_pos: t.pos,
                }
            }
        };
        normalize_logical(&mut out_props);
        Ok(NamedDecl {
            name,
            namespace,
            pos,
            name_pos,
            doc,
            aliases,
            props: out_props,
            kind,
        })
    }

    fn record_body(&mut self) -> R<Vec<FieldDecl>> {
        self.expect_punct('{', "to open the record body")?;
        let mut fields = Vec::new();
        loop {
            if self.is_punct('}') {
                self.bump();
                return Ok(fields);
            }
            if self.peek().kind == Kind::Eof {
                return Err(self.expected("a field or '}' to close the record"));
            }
            let start = self.i;
            let doc = self.doc_comment(start);
            let ty = self.full_type()?;
            loop {
                fields.push(self.variable(&ty, doc.clone())?);
                if self.is_punct(',') {
                    self.bump();
                    continue;
                }
                if self.is_punct(';') {
                    self.bump();
                    break;
                }
                return Err(self.expected("';' after the field (or ',' and another field name)"));
            }
        }
    }

    /// A field name with its properties and default (`variableDeclaration`).
    fn variable(&mut self, ty: &Ty, default_doc: Option<String>) -> R<FieldDecl> {
        let start = self.i;
        let doc = self.doc_comment(start).or(default_doc);
        let props = self.props()?;
        let (name, pos) = self.identifier("a field name")?;
        let mut order = None;
        let mut aliases = Vec::new();
        let mut out_props = Props::new();
        for p in props {
            match p.name.as_str() {
                "aliases" => aliases = self.aliases_prop(&p)?,
                "order" => {
                    let s = self.string_prop(&p)?;
                    order = Some(match s.to_ascii_uppercase().as_str() {
                        "ASCENDING" => Order::Ascending,
                        "DESCENDING" => Order::Descending,
                        "IGNORE" => Order::Ignore,
                        _ => {
                            return Err(self.err_at(
                                p.pos,
                                format!("@order(...) must contain \"ascending\", \"descending\" or \"ignore\", found {s:?}"),
                            ))
                        }
                    });
                }
                _ => self.put_prop(&mut out_props, p, FIELD_RESERVED)?,
            }
        }
        let default = if self.is_punct('=') {
            self.bump();
            let pos = self.peek().pos;
            Some((self.json()?, pos))
        } else {
            None
        };
        Ok(FieldDecl {
            name,
            pos,
            doc,
            ty: ty.clone(),
            default,
            order,
            aliases,
            props: out_props,
        })
    }

    fn enum_body(&mut self) -> R<DeclKind> {
        self.expect_punct('{', "to open the enum symbols")?;
        let mut symbols = Vec::new();
        if !self.is_punct('}') {
            loop {
                // Properties of symbols are accepted and ignored, as in Java.
                self.props()?;
                symbols.push(self.identifier("an enum symbol")?);
                if self.is_punct(',') {
                    self.bump();
                    continue;
                }
                break;
            }
        }
        self.expect_punct('}', "after the enum symbols")?;
        let mut default = None;
        if self.is_punct('=') {
            self.bump();
            default = Some(self.identifier("the default symbol after '='")?);
            self.expect_punct(';', "after the enum default")?;
        }
        Ok(DeclKind::Enum { symbols, default })
    }

    fn message(&mut self, start: usize, props: Vec<Prop>) -> R<Message> {
        let doc = self.doc_comment(start);
        let mut out_props = Props::new();
        for p in props {
            self.put_prop(&mut out_props, p, MESSAGE_RESERVED)?;
        }
        let response = if self.is_kw("void") {
            let pos = self.bump().pos;
            Ty::Prim {
                ty: Primitive::Null,
                props: Props::new(),
                pos,
            }
        } else if self.peek().kind == Kind::Ident {
            self.plain_type()?
        } else {
            return Err(self.expected(
                "a declaration or message (record, error, enum, fixed, import, or a response type)",
            ));
        };
        let (name, pos) = self.identifier("a message name")?;
        self.expect_punct('(', "to open the message parameters")?;
        let mut request = Vec::new();
        if !self.is_punct(')') {
            loop {
                let p_start = self.i;
                let doc = self.doc_comment(p_start);
                let ty = self.full_type()?;
                request.push(self.variable(&ty, doc)?);
                if self.is_punct(',') {
                    self.bump();
                    continue;
                }
                break;
            }
        }
        self.expect_punct(')', "after the message parameters")?;
        let mut one_way = false;
        let mut errors = Vec::new();
        if self.is_kw("oneway") {
            self.bump();
            one_way = true;
            if !matches!(
                response,
                Ty::Prim {
                    ty: Primitive::Null,
                    ..
                }
            ) {
                return Err(self.err_at(
                    response.pos(),
                    format!("one-way message {name:?} must return void"),
                ));
            }
        } else if self.is_kw("throws") {
            self.bump();
            loop {
                let (e, epos) = self.identifier("an error type after \"throws\"")?;
                errors.push((self.full_name(&e), epos));
                if self.is_punct(',') {
                    self.bump();
                    continue;
                }
                break;
            }
        }
        self.expect_punct(';', "after the message declaration")?;
        Ok(Message {
            name,
            pos,
            doc,
            props: out_props,
            request,
            response,
            errors,
            one_way,
        })
    }
}

/// `a.b.C` → (`C`, `a.b`); a name without dots keeps the namespace given.
fn split_name(id: &str, namespace: Option<String>) -> (String, Option<String>) {
    match id.rsplit_once('.') {
        Some((ns, name)) => (name.to_owned(), Some(ns.to_owned())),
        None => (id.to_owned(), namespace),
    }
}

/// What Java's `LogicalType.addToSchema` adds to a valid decimal: the scale,
/// 0 when not given.
fn normalize_logical(props: &mut Props) {
    let is_decimal = props.get("logicalType").and_then(Value::as_str) == Some("decimal");
    let precision_ok = props
        .get("precision")
        .and_then(Value::as_i64)
        .is_some_and(|p| (1..=i64::from(i32::MAX)).contains(&p));
    if is_decimal && precision_ok && !props.contains_key("scale") {
        props.insert("scale".into(), 0.into());
    }
}
