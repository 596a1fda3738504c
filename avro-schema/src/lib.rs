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

mod canonical;
mod defaults;
pub mod idl;
mod locate;
mod parse;
mod rabin;

pub use defaults::float_default;
pub use parse::{Root, SchemaError, SchemaSet, Source};
pub use rabin::fingerprint64;

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
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
}

impl Primitive {
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
    Decimal { precision: u32, scale: u32 },
    Uuid,
    Date,
    TimeMillis,
    TimeMicros,
    TimestampMillis,
    TimestampMicros,
    TimestampNanos,
    LocalTimestampMillis,
    LocalTimestampMicros,
    LocalTimestampNanos,
    Duration,
}

impl Logical {
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
    Primitive {
        ty: Primitive,
        logical: Option<Logical>,
        props: Props,
    },
    Array {
        items: Box<Schema>,
        props: Props,
    },
    Map {
        values: Box<Schema>,
        props: Props,
    },
    Union(Vec<Schema>),
    Named(TypeId),
}

impl Schema {
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
    pub name: String,
    pub namespace: Option<String>,
}

impl Name {
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
    #[default]
    Ascending,
    Descending,
    Ignore,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub doc: Option<String>,
    pub aliases: Vec<String>,
    pub default: Option<Value>,
    /// `Some` only when the source wrote an `order` attribute.
    pub order: Option<Order>,
    pub schema: Schema,
    pub props: Props,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NamedKind {
    Record {
        fields: Vec<Field>,
        is_error: bool,
    },
    Enum {
        symbols: Vec<String>,
        default: Option<String>,
    },
    Fixed {
        size: usize,
        logical: Option<Logical>,
    },
}

/// Where a definition came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: usize,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NamedType {
    pub name: Name,
    /// Aliases as full names.
    pub aliases: Vec<Name>,
    pub doc: Option<String>,
    pub kind: NamedKind,
    pub props: Props,
    pub origin: Origin,
}

impl NamedType {
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            NamedKind::Record { is_error: true, .. } => "error",
            NamedKind::Record { .. } => "record",
            NamedKind::Enum { .. } => "enum",
            NamedKind::Fixed { .. } => "fixed",
        }
    }
}
