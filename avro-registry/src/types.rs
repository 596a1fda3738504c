//! The registry's JSON shapes (requests and answers of the REST API) as Rust
//! types, and the small enums around them (versions, modes, schema types).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use avro_runtime::compat::CompatibilityLevel;

/// The format of a registered schema. A registry leaves `schemaType` out for Avro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum SchemaType {
    /// Apache Avro (the default).
    #[default]
    #[serde(rename = "AVRO")]
    Avro,
    /// Protocol Buffers.
    #[serde(rename = "PROTOBUF")]
    Protobuf,
    /// JSON Schema.
    #[serde(rename = "JSON")]
    Json,
    /// A type this client does not know.
    #[serde(other)]
    Unknown,
}

impl SchemaType {
    fn is_avro(&self) -> bool {
        *self == SchemaType::Avro
    }
}

/// A reference from a schema to a type registered under another subject.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SchemaReference {
    /// The name the referring schema uses (for Avro: the referenced type's full name).
    pub name: String,
    /// The subject the referenced schema is registered under.
    pub subject: String,
    /// Its version (`-1`: the latest).
    pub version: i32,
}

/// A schema as the registry stores it: `GET /schemas/ids/{id}` and `/schemas/guids/{guid}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Schema {
    /// The schema text.
    pub schema: String,
    /// Its format.
    #[serde(
        rename = "schemaType",
        default,
        skip_serializing_if = "SchemaType::is_avro"
    )]
    pub schema_type: SchemaType,
    /// The schemas of other subjects it uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<SchemaReference>,
}

impl Schema {
    /// An Avro schema without references.
    pub fn avro(text: impl Into<String>) -> Schema {
        Schema {
            schema: text.into(),
            schema_type: SchemaType::Avro,
            references: Vec::new(),
        }
    }

    /// The schema of a generated or derived type.
    pub fn of<T: avro_runtime::AvroSchema + ?Sized>() -> Schema {
        Schema::avro(T::schema())
    }

    /// The same schema using `references`.
    pub fn with_references(mut self, references: Vec<SchemaReference>) -> Schema {
        self.references = references;
        self
    }
}

/// The body of `POST /subjects/{s}/versions` and `POST /subjects/{s}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegisterRequest {
    /// The schema, its type and references.
    #[serde(flatten)]
    pub schema: Schema,
    /// The id to register it with (registries accept one only in IMPORT mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u32>,
    /// The version to register it as (IMPORT mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
}

impl From<Schema> for RegisterRequest {
    fn from(schema: Schema) -> Self {
        RegisterRequest {
            schema,
            id: None,
            version: None,
        }
    }
}

/// The answer of `POST /subjects/{s}/versions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegisteredId {
    /// The schema's id.
    pub id: u32,
}

/// A version of a subject: `GET /subjects/{s}/versions/{v}`, `POST /subjects/{s}`, `GET /schemas`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SubjectVersion {
    /// The subject.
    pub subject: String,
    /// The schema's id.
    pub id: u32,
    /// The version within the subject.
    pub version: u32,
    /// The schema text.
    pub schema: String,
    /// Its format.
    #[serde(
        rename = "schemaType",
        default,
        skip_serializing_if = "SchemaType::is_avro"
    )]
    pub schema_type: SchemaType,
    /// The schemas of other subjects it uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<SchemaReference>,
}

impl SubjectVersion {
    /// The schema with its type and references.
    pub fn to_schema(&self) -> Schema {
        Schema {
            schema: self.schema.clone(),
            schema_type: self.schema_type,
            references: self.references.clone(),
        }
    }
}

/// One `{subject, version}` pair: `GET /schemas/ids/{id}/versions`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SubjectVersionRef {
    /// The subject.
    pub subject: String,
    /// The version.
    pub version: u32,
}

/// A version of a subject in a request: a number or `latest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// The newest (non-deleted) version.
    Latest,
    /// A version number (from 1).
    Number(u32),
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Latest => f.write_str("latest"),
            Version::Number(n) => write!(f, "{n}"),
        }
    }
}

impl From<u32> for Version {
    fn from(n: u32) -> Self {
        Version::Number(n)
    }
}

/// The answer of `POST /compatibility/subjects/{s}/versions/{v}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CompatibilityResult {
    /// Whether the schema may be registered.
    pub is_compatible: bool,
    /// Why not (with `verbose=true`).
    #[serde(default)]
    pub messages: Vec<String>,
}

/// A registry's or subject's mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Schemas may be registered (the default).
    ReadWrite,
    /// No registration.
    ReadOnly,
    /// No registration, even for subjects with a mode of their own.
    ReadOnlyOverride,
    /// Schemas are registered with the ids and versions given (migrations).
    Import,
}

impl Mode {
    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::ReadWrite => "READWRITE",
            Mode::ReadOnly => "READONLY",
            Mode::ReadOnlyOverride => "READONLY_OVERRIDE",
            Mode::Import => "IMPORT",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Mode, String> {
        Ok(match s.to_ascii_uppercase().as_str() {
            "READWRITE" => Mode::ReadWrite,
            "READONLY" => Mode::ReadOnly,
            "READONLY_OVERRIDE" => Mode::ReadOnlyOverride,
            "IMPORT" => Mode::Import,
            other => {
                return Err(format!(
                    "unknown mode {other:?} (expected READWRITE, READONLY, READONLY_OVERRIDE or IMPORT)"
                ))
            }
        })
    }
}
