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
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended inside a value.
    UnexpectedEof {
        /// Bytes the read needed.
        needed: u64,
        /// Bytes that were left.
        remaining: usize,
    },
    /// A varint runs past 10 bytes or past 64 bits.
    VarintOverflow,
    /// A varint read as `int` holds a value outside `i32`.
    IntOutOfRange(i64),
    /// A `bytes`/`string` length is negative.
    NegativeLength(i64),
    /// A length claims more bytes than the input holds (checked before any
    /// allocation).
    LengthTooLarge {
        /// The length read.
        len: i64,
        /// Bytes left in the input.
        remaining: usize,
    },
    /// An array/map block claims more items than the input could hold.
    BlockCountTooLarge {
        /// The item count read.
        count: i64,
        /// Bytes left in the input.
        remaining: usize,
    },
    /// A block count of `i64::MIN` (its absolute value does not fit).
    InvalidBlockCount(i64),
    /// A configured [`Limits`](crate::decode::Limits) bound was crossed.
    LimitExceeded {
        /// Which limit (e.g. `collection items`).
        what: &'static str,
        /// The value that crossed it.
        value: u64,
        /// The limit.
        limit: u64,
    },
    /// A `string` is not valid UTF-8 (the validator's message).
    InvalidUtf8(String),
    /// A `boolean` byte other than 0 or 1.
    InvalidBool(u8),
    /// A union branch index outside the union.
    UnionIndex {
        /// The index read.
        index: i64,
        /// How many branches the union has.
        branches: usize,
    },
    /// An enum index outside the symbols.
    EnumIndex {
        /// The index read.
        index: i64,
        /// How many symbols the enum has.
        symbols: usize,
    },
    /// A `uuid` string that is not a UUID.
    InvalidUuid(String),
    /// Recursive types nested beyond the depth limit.
    TooDeep(u32),
    /// A resolution plan made for another reader type was used.
    PlanMismatch(&'static str),
    /// Bytes left after a value that should fill the input.
    TrailingBytes(usize),
    /// A Confluent or single-object frame is malformed or of another schema.
    Framing(String),
    /// A container file problem reported through a decode error.
    Container(String),
    /// Any other failure (e.g. from a hand-written `Decode`).
    Custom(String),
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DecodeErrorKind::*;
        match self {
            UnexpectedEof { needed, remaining } => write!(
                f,
                "unexpected end of input: needed {needed} more byte(s), {remaining} left"
            ),
            VarintOverflow => f.write_str("varint is longer than 10 bytes or overflows 64 bits"),
            IntOutOfRange(v) => write!(f, "int value {v} does not fit in 32 bits"),
            NegativeLength(len) => write!(f, "negative length {len}"),
            LengthTooLarge { len, remaining } => write!(
                f,
                "length {len} is larger than the {remaining} byte(s) left in the input"
            ),
            BlockCountTooLarge { count, remaining } => write!(
                f,
                "block count {count} is larger than the {remaining} byte(s) left in the input"
            ),
            InvalidBlockCount(count) => write!(
                f,
                "invalid block count {count}: a negative count's absolute value must fit in 64 bits"
            ),
            LimitExceeded { what, value, limit } => {
                write!(f, "{what} {value} exceeds the limit of {limit}")
            }
            InvalidUtf8(message) => write!(f, "invalid UTF-8 in string: {message}"),
            InvalidBool(byte) => write!(f, "invalid boolean byte {byte:#04x} (expected 0 or 1)"),
            UnionIndex { index, branches } => write!(
                f,
                "union branch index {index} out of range (the union has {branches} branches)"
            ),
            EnumIndex { index, symbols } => write!(
                f,
                "enum symbol index {index} out of range (the enum has {symbols} symbols)"
            ),
            InvalidUuid(text) => write!(f, "invalid uuid string {text:?}"),
            TooDeep(levels) => write!(f, "data nests deeper than {levels} levels of recursive types"),
            PlanMismatch(reader) => write!(
                f,
                "the resolution plan does not fit the reader type here ({reader}); the plan must be made with the reader type's own schema"
            ),
            TrailingBytes(n) => write!(f, "{n} trailing byte(s) after the value"),
            Framing(message) | Container(message) | Custom(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for DecodeErrorKind {}

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
    /// An error of `kind` with no offset or path yet.
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

    /// What went wrong.
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

    /// Adds the field `name` to the path.
    #[cold]
    pub fn field(self, name: &'static str) -> Self {
        self.push(PathSegment::Field(name))
    }

    /// Adds an array index to the path.
    #[cold]
    pub fn index(self, index: usize) -> Self {
        self.push(PathSegment::Index(index))
    }

    /// Adds a map key to the path.
    #[cold]
    pub fn key(self, key: &str) -> Self {
        self.push(PathSegment::Key(key.to_owned()))
    }

    /// Adds a union branch to the path.
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// A decimal's unscaled value needs more bytes than its `fixed` has.
    DecimalOverflow {
        /// Bytes the two's-complement value needs.
        needed: usize,
        /// The fixed type's size.
        size: usize,
    },
    /// The writer failed.
    Io(String),
    /// A value outside what its Avro type can hold.
    OutOfRange {
        /// The value, printed.
        value: String,
        /// The Avro type.
        schema: &'static str,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::DecimalOverflow { needed, size } => write!(
                f,
                "decimal value needs {needed} bytes but the fixed type holds {size}"
            ),
            EncodeError::Io(message) => write!(f, "I/O error: {message}"),
            EncodeError::OutOfRange { value, schema } => {
                write!(f, "value {value} does not fit Avro {schema}")
            }
        }
    }
}

impl std::error::Error for EncodeError {}
