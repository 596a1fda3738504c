//! What the parser makes of one IDL file: declarations with their source
//! positions, type names already qualified (IDL resolves a name against the
//! namespace in force where it is written, so the parser can), and
//! properties as JSON.

use serde_json::Value;

use super::Pos;
use crate::{Order, Primitive, Props};

/// A type as written in IDL.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    /// A primitive; `date`, `decimal(p,s)` and the like carry their logical
    /// type as properties, as JSON does.
    Prim {
        ty: Primitive,
        props: Props,
        pos: Pos,
    },
    /// A reference to a named type, by full name.
    Ref {
        name: String,
        pos: Pos,
    },
    Array {
        items: Box<Ty>,
        props: Props,
        pos: Pos,
    },
    Map {
        values: Box<Ty>,
        props: Props,
        pos: Pos,
    },
    Union {
        branches: Vec<Ty>,
        pos: Pos,
    },
    /// `T?`: a union of `null` and `T`; `null` goes last when a field's
    /// default is not null.
    Nullable {
        inner: Box<Ty>,
        pos: Pos,
    },
}

impl Ty {
    pub fn pos(&self) -> Pos {
        match self {
            Ty::Prim { pos, .. }
            | Ty::Ref { pos, .. }
            | Ty::Array { pos, .. }
            | Ty::Map { pos, .. }
            | Ty::Union { pos, .. }
            | Ty::Nullable { pos, .. } => *pos,
        }
    }
}

/// A record field or message parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldDecl {
    pub name: String,
    pub pos: Pos,
    pub doc: Option<String>,
    pub ty: Ty,
    pub default: Option<(Value, Pos)>,
    pub order: Option<Order>,
    pub aliases: Vec<String>,
    pub props: Props,
}

impl FieldDecl {
    /// The field's type with `T?` resolved: `[T, "null"]` when the default
    /// is not null (Java's `fixOptionalSchema`).
    pub fn null_last(&self) -> bool {
        matches!(&self.default, Some((v, _)) if !v.is_null())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DeclKind {
    Record {
        is_error: bool,
        fields: Vec<FieldDecl>,
    },
    Enum {
        symbols: Vec<(String, Pos)>,
        default: Option<(String, Pos)>,
    },
    Fixed {
        size: i64,
        size_pos: Pos,
    },
}

/// A record, error, enum or fixed declaration.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NamedDecl {
    pub name: String,
    pub namespace: Option<String>,
    pub pos: Pos,
    pub name_pos: Pos,
    pub doc: Option<String>,
    pub aliases: Vec<String>,
    pub props: Props,
    pub kind: DeclKind,
}

impl NamedDecl {
    pub fn fullname(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Message {
    pub name: String,
    pub pos: Pos,
    pub doc: Option<String>,
    pub props: Props,
    pub request: Vec<FieldDecl>,
    pub response: Ty,
    pub errors: Vec<(String, Pos)>,
    pub one_way: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImportKind {
    Idl,
    Protocol,
    Schema,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Import {
        kind: ImportKind,
        path: String,
        pos: Pos,
    },
    Type(NamedDecl),
    Message(Message),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProtocolHeader {
    pub name: String,
    pub namespace: Option<String>,
    pub doc: Option<String>,
    pub props: Props,
}

/// One parsed IDL file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ast {
    pub protocol: Option<ProtocolHeader>,
    pub main_schema: Option<Ty>,
    pub items: Vec<Item>,
    /// (position, message) of every out-of-place documentation comment and
    /// other things worth telling the author.
    pub warnings: Vec<(Pos, String)>,
}
