//! Errors of encoding and decoding values.
//!
//! A [`DecodeError`] is one boxed allocation, so `Result<T, DecodeError>` stays
//! pointer-sized on the happy path. The field path (`Order.items[3].price`) is
//! built on the way *out* of a failed decode: each generated decoder appends its
//! own segment when an error passes through it, so a successful decode pays
//! nothing for paths.

use std::fmt;

/// One step of the path to the value that failed to decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// The root type (a record's name, or `value` for an anonymous schema).
    Root(&'static str),
    /// A record field.
    Field(&'static str),
    /// An array element.
    Index(usize),
    /// A map value.
    Key(String),
    /// A union branch.
    Branch(&'static str),
}

/// What went wrong while decoding, without the location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    #[error("unexpected end of input: needed {needed} more byte(s), {remaining} left")]
    UnexpectedEof { needed: u64, remaining: usize },
    #[error("varint is longer than 10 bytes or overflows 64 bits")]
    VarintOverflow,
    #[error("int value {0} does not fit in 32 bits")]
    IntOutOfRange(i64),
    #[error("negative length {0}")]
    NegativeLength(i64),
    #[error("length {len} is larger than the {remaining} byte(s) left in the input")]
    LengthTooLarge { len: i64, remaining: usize },
    #[error("block count {count} is larger than the {remaining} byte(s) left in the input")]
    BlockCountTooLarge { count: i64, remaining: usize },
    #[error("invalid block count {0}: a negative count's absolute value must fit in 64 bits")]
    InvalidBlockCount(i64),
    #[error("{what} {value} exceeds the limit of {limit}")]
    LimitExceeded {
        what: &'static str,
        value: u64,
        limit: u64,
    },
    #[error("invalid UTF-8 in string: {0}")]
    InvalidUtf8(String),
    #[error("invalid boolean byte {0:#04x} (expected 0 or 1)")]
    InvalidBool(u8),
    #[error("union branch index {index} out of range (the union has {branches} branches)")]
    UnionIndex { index: i64, branches: usize },
    #[error("enum symbol index {index} out of range (the enum has {symbols} symbols)")]
    EnumIndex { index: i64, symbols: usize },
    #[error("invalid uuid string {0:?}")]
    InvalidUuid(String),
    #[error("data nests deeper than {0} levels of recursive types")]
    TooDeep(u32),
    #[error("the resolution plan does not fit the reader type here ({0}); the plan must be made with the reader type's own schema")]
    PlanMismatch(&'static str),
    #[error("{0} trailing byte(s) after the value")]
    TrailingBytes(usize),
    #[error("{0}")]
    Framing(String),
    #[error("{0}")]
    Container(String),
    #[error("{0}")]
    Custom(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: DecodeErrorKind,
    /// Byte offset in the input where the failing read started.
    offset: Option<usize>,
    /// Innermost segment first (appended while unwinding).
    path: Vec<PathSegment>,
}

/// A decode failure: what went wrong, at which byte, and in which field.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError(Box<Inner>);

impl DecodeError {
    #[cold]
    pub fn new(kind: DecodeErrorKind) -> Self {
        DecodeError(Box::new(Inner {
            kind,
            offset: None,
            path: Vec::new(),
        }))
    }

    #[cold]
    pub(crate) fn at(kind: DecodeErrorKind, offset: usize) -> Self {
        let mut e = Self::new(kind);
        e.0.offset = Some(offset);
        e
    }

    pub fn kind(&self) -> &DecodeErrorKind {
        &self.0.kind
    }

    /// Byte offset in the input where the failing read started, when known.
    pub fn offset(&self) -> Option<usize> {
        self.0.offset
    }

    /// Adds a path segment; called by generated code as the error leaves a field.
    #[cold]
    pub fn push(mut self, segment: PathSegment) -> Self {
        self.0.path.push(segment);
        self
    }

    #[cold]
    pub fn field(self, name: &'static str) -> Self {
        self.push(PathSegment::Field(name))
    }

    #[cold]
    pub fn index(self, index: usize) -> Self {
        self.push(PathSegment::Index(index))
    }

    #[cold]
    pub fn key(self, key: &str) -> Self {
        self.push(PathSegment::Key(key.to_owned()))
    }

    #[cold]
    pub fn branch(self, name: &'static str) -> Self {
        self.push(PathSegment::Branch(name))
    }

    /// The path as a person reads it, outermost first: `Order.items[3].price`.
    pub fn path(&self) -> String {
        // Deeply nested data (a long recursive list) would give a path of
        // thousands of segments: keep the outermost and innermost ones.
        const HEAD: usize = 24;
        const TAIL: usize = 8;
        let mut s = String::new();
        let n = self.0.path.len();
        for (k, seg) in self.0.path.iter().rev().enumerate() {
            if n > HEAD + TAIL + 1 && k >= HEAD && k < n - TAIL {
                if k == HEAD {
                    s.push_str(&format!(" …({} more)… ", n - HEAD - TAIL));
                }
                continue;
            }
            match seg {
                PathSegment::Root(n) => s.push_str(n),
                PathSegment::Field(n) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(n);
                }
                PathSegment::Index(i) => {
                    s.push('[');
                    s.push_str(&i.to_string());
                    s.push(']');
                }
                PathSegment::Key(k) => {
                    s.push_str(&format!("[{k:?}]"));
                }
                PathSegment::Branch(b) => {
                    s.push_str(&format!("<{b}>"));
                }
            }
        }
        s
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        if path.is_empty() {
            write!(f, "decode error")?;
        } else {
            write!(f, "decode error at {path}")?;
        }
        if let Some(o) = self.0.offset {
            write!(f, " (byte {o})")?;
        }
        write!(f, ": {}", self.0.kind)
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for DecodeError {}

/// An encode failure: a value the schema cannot represent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    #[error("decimal value needs {needed} bytes but the fixed type holds {size}")]
    DecimalOverflow { needed: usize, size: usize },
    #[error("I/O error: {0}")]
    Io(String),
}
