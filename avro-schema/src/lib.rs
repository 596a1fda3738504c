//! The schema model: Avro schemas parsed from JSON into named-type tables.
//!
//! Its own crate, re-exported as `avro_runtime::schema`, because both the
//! run time (resolution, compatibility) and the code generator (which the
//! derive macro, a dependency of the runtime, calls) need it: a crate below
//! both breaks what would otherwise be a dependency cycle
//! (runtime → derive → codegen → runtime).
//!
//! This crate owns what every way into the project shares: parsing `.avsc`
//! and `.avpr` text (many files, named types referenced across files in any
//! order), validating names, defaults and logical types, the Parsing Canonical
//! Form, CRC-64-AVRO fingerprints, and writing a schema back as full JSON.
//!
//! We parse ourselves instead of through `apache_avro::Schema` because the
//! generator needs what that model drops or gets wrong: source positions for
//! errors (`file:line:col`), custom properties in source order, aliases that
//! resolution follows, and a canonical form that strips logical types as the
//! specification says (apache-avro 0.22 does not; see ../shared/interop).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod canonical;
pub mod compose;
mod defaults;
mod diagnostic;
pub mod idl;
mod locate;
mod parse;
mod rabin;

pub use defaults::float_default;
pub use parse::{Detail, Diagnostics, Related, Root, SchemaError, SchemaSet, Severity, Source};
pub use rabin::fingerprint64;

/// 1-based (line, column) in schema `text` of the JSON value at `pointer`
/// (`/fields/1/type`, as in [`SchemaError::pointer`] and resolution's
/// incompatibility locations), or of its deepest ancestor that exists.
pub fn locate(text: &str, pointer: &str) -> (usize, usize) {
    locate::position(text, pointer)
}

/// Byte range in schema `text` of the JSON value at `pointer` (as
/// [`locate`] finds it), for a renderer to underline.
pub fn locate_span(text: &str, pointer: &str) -> std::ops::Range<usize> {
    locate::span(text, pointer)
}

/// Support for generated code; not a stable API.
#[doc(hidden)]
pub mod __private {
    use super::{Schema, SchemaSet, Source};

    /// Parses schema sources that avro-codegen validated and embedded.
    pub fn load(sources: &[&str]) -> SchemaSet {
        let sources = sources
            .iter()
            .enumerate()
            .map(|(i, s)| Source::new(format!("<embedded schema {i}>"), *s))
            .collect();
        SchemaSet::load(sources)
            .unwrap_or_else(|e| panic!("avro-codegen embedded a schema that does not parse: {e}"))
    }

    fn texts(set: &SchemaSet, schema: &Schema) -> (String, String) {
        (set.to_json(schema).to_string(), set.canonical_form(schema))
    }

    /// Full JSON and canonical form of a named type of the set.
    pub fn named(set: &SchemaSet, fullname: &str) -> (String, String) {
        let id = set
            .lookup(fullname)
            .unwrap_or_else(|| panic!("avro-codegen embedded no type {fullname}"));
        texts(set, &Schema::Named(id))
    }

    /// Full JSON and canonical form of the set's `index`th top-level schema.
    pub fn root(set: &SchemaSet, index: usize) -> (String, String) {
        texts(set, &set.roots[index].schema)
    }
}

use serde_json::{Map, Value};

/// Custom properties (and unrecognised logical types), in source order.
pub type Props = Map<String, Value>;

/// Index of a named type in its [`SchemaSet`].
pub type TypeId = usize;

/// The eight primitive types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    /// `null`: no value.
    Null,
    /// `boolean`.
    Boolean,
    /// `int`: 32-bit signed.
    Int,
    /// `long`: 64-bit signed.
    Long,
    /// `float`: IEEE 754 single precision.
    Float,
    /// `double`: IEEE 754 double precision.
    Double,
    /// `bytes`: a byte sequence.
    Bytes,
    /// `string`: Unicode text.
    String,
}

impl Primitive {
    /// The type's name in a schema (`"int"`).
    pub fn name(self) -> &'static str {
        match self {
            Primitive::Null => "null",
            Primitive::Boolean => "boolean",
            Primitive::Int => "int",
            Primitive::Long => "long",
            Primitive::Float => "float",
            Primitive::Double => "double",
            Primitive::Bytes => "bytes",
            Primitive::String => "string",
        }
    }

    /// The primitive type named `s`, if `s` names one.
    pub fn from_name(s: &str) -> Option<Self> {
        Some(match s {
            "null" => Primitive::Null,
            "boolean" => Primitive::Boolean,
            "int" => Primitive::Int,
            "long" => Primitive::Long,
            "float" => Primitive::Float,
            "double" => Primitive::Double,
            "bytes" => Primitive::Bytes,
            "string" => Primitive::String,
            _ => return None,
        })
    }
}

/// The logical types of the specification. A logical type that is unknown, or
/// invalid for its underlying type, is not represented here: the schema falls
/// back to its underlying type (the attribute stays in `props`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Logical {
    /// `decimal` on `bytes` or `fixed`: an unscaled two's-complement integer.
    Decimal {
        /// Digits in all (at least 1).
        precision: u32,
        /// Digits after the point (at most `precision`).
        scale: u32,
    },
    /// `uuid` on `string` or `fixed(16)`.
    Uuid,
    /// `date` on `int`: days since 1970-01-01.
    Date,
    /// `time-millis` on `int`: milliseconds after midnight.
    TimeMillis,
    /// `time-micros` on `long`: microseconds after midnight.
    TimeMicros,
    /// `timestamp-millis` on `long`: milliseconds since the Unix epoch, UTC.
    TimestampMillis,
    /// `timestamp-micros` on `long`: microseconds since the Unix epoch, UTC.
    TimestampMicros,
    /// `timestamp-nanos` on `long`: nanoseconds since the Unix epoch, UTC.
    TimestampNanos,
    /// `local-timestamp-millis` on `long`: milliseconds, local time.
    LocalTimestampMillis,
    /// `local-timestamp-micros` on `long`: microseconds, local time.
    LocalTimestampMicros,
    /// `local-timestamp-nanos` on `long`: nanoseconds, local time.
    LocalTimestampNanos,
    /// `duration` on `fixed(12)`: months, days, milliseconds.
    Duration,
}

impl Logical {
    /// The `logicalType` value (`"timestamp-millis"`).
    pub fn name(self) -> &'static str {
        match self {
            Logical::Decimal { .. } => "decimal",
            Logical::Uuid => "uuid",
            Logical::Date => "date",
            Logical::TimeMillis => "time-millis",
            Logical::TimeMicros => "time-micros",
            Logical::TimestampMillis => "timestamp-millis",
            Logical::TimestampMicros => "timestamp-micros",
            Logical::TimestampNanos => "timestamp-nanos",
            Logical::LocalTimestampMillis => "local-timestamp-millis",
            Logical::LocalTimestampMicros => "local-timestamp-micros",
            Logical::LocalTimestampNanos => "local-timestamp-nanos",
            Logical::Duration => "duration",
        }
    }
}

/// A schema node. Named types live in the [`SchemaSet`] and are referred to
/// by [`TypeId`], which is what makes recursive schemas representable.
#[derive(Debug, Clone, PartialEq)]
pub enum Schema {
    /// A primitive type, possibly with a logical type.
    Primitive {
        /// The primitive type.
        ty: Primitive,
        /// Its logical type, when known and valid for `ty`.
        logical: Option<Logical>,
        /// Other attributes (including an unknown `logicalType`).
        props: Props,
    },
    /// `{"type": "array", "items": ...}`.
    Array {
        /// The item schema.
        items: Box<Schema>,
        /// Other attributes.
        props: Props,
    },
    /// `{"type": "map", "values": ...}` (keys are strings).
    Map {
        /// The value schema.
        values: Box<Schema>,
        /// Other attributes.
        props: Props,
    },
    /// A union: its branches in order.
    Union(Vec<Schema>),
    /// A reference to a named type of the set.
    Named(TypeId),
}

impl Schema {
    /// A plain primitive type.
    pub fn primitive(ty: Primitive) -> Self {
        Schema::Primitive {
            ty,
            logical: None,
            props: Props::new(),
        }
    }

    /// `["null", T]` or `[T, "null"]`: the index of `null` and the other branch.
    pub fn as_option(&self) -> Option<(usize, &Schema)> {
        let Schema::Union(branches) = self else {
            return None;
        };
        if branches.len() != 2 {
            return None;
        }
        let is_null = |s: &Schema| {
            matches!(
                s,
                Schema::Primitive {
                    ty: Primitive::Null,
                    ..
                }
            )
        };
        match (is_null(&branches[0]), is_null(&branches[1])) {
            (true, false) => Some((0, &branches[1])),
            (false, true) => Some((1, &branches[0])),
            _ => None,
        }
    }
}

/// A full name: `namespace.name`, or just `name` in the null namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name {
    /// The short name.
    pub name: String,
    /// The namespace; `None` for the null namespace.
    pub namespace: Option<String>,
}

impl Name {
    /// `namespace.name`, or `name` in the null namespace.
    pub fn fullname(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.fullname())
    }
}

/// Sort order of a record field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// `ascending` (the default).
    #[default]
    Ascending,
    /// `descending`.
    Descending,
    /// `ignore`: the field takes no part in sorting.
    Ignore,
}

/// A record field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field name.
    pub name: String,
    /// Its `doc`.
    pub doc: Option<String>,
    /// Its aliases (names older schemas gave it).
    pub aliases: Vec<String>,
    /// Its default value as JSON (validated against `schema`).
    pub default: Option<Value>,
    /// `Some` only when the source wrote an `order` attribute.
    pub order: Option<Order>,
    /// The field's type.
    pub schema: Schema,
    /// Other attributes.
    pub props: Props,
}

/// What a named type is.
#[derive(Debug, Clone, PartialEq)]
pub enum NamedKind {
    /// A record (or a protocol's `error`).
    Record {
        /// The fields, in order.
        fields: Vec<Field>,
        /// Declared with `"type": "error"`.
        is_error: bool,
    },
    /// An enum.
    Enum {
        /// The symbols, in order.
        symbols: Vec<String>,
        /// The symbol readers use for a symbol they do not know.
        default: Option<String>,
    },
    /// A fixed-size byte array.
    Fixed {
        /// Its size in bytes.
        size: usize,
        /// Its logical type (`decimal`, `uuid`, `duration`), when valid.
        logical: Option<Logical>,
    },
}

/// Where a definition came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Index of the source in [`SchemaSet::sources`].
    pub source: usize,
    /// JSON pointer of the definition in it.
    pub pointer: String,
}

/// A record, enum or fixed type of a [`SchemaSet`].
#[derive(Debug, Clone, PartialEq)]
pub struct NamedType {
    /// The full name.
    pub name: Name,
    /// Aliases as full names.
    pub aliases: Vec<Name>,
    /// Its `doc`.
    pub doc: Option<String>,
    /// Record, enum or fixed, with its parts.
    pub kind: NamedKind,
    /// Other attributes.
    pub props: Props,
    /// Where it is defined.
    pub origin: Origin,
}

impl NamedType {
    /// `"record"`, `"error"`, `"enum"` or `"fixed"`.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            NamedKind::Record { is_error: true, .. } => "error",
            NamedKind::Record { .. } => "record",
            NamedKind::Enum { .. } => "enum",
            NamedKind::Fixed { .. } => "fixed",
        }
    }
}
