//! The Kafka side: a typed [`Serializer`] (subject from a name strategy,
//! schema id registered, looked up, taken from the latest version or fixed,
//! then cached; Confluent framing) and [`Deserializer`] (id or GUID from the
//! frame or a header, writer schema fetched once, decoded into the reader's
//! type through a resolution plan cached per schema).

mod deserializer;
mod serializer;
pub mod wire;

pub use deserializer::Deserializer;
pub use serializer::{IdStrategy, Serializer, SerializerConfig};

use avro_runtime::schema::{Schema as Model, SchemaSet};
use avro_runtime::{DecodeError, EncodeError};

use crate::error::Error;

/// Why a message could not be serialized or deserialized.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SerdeError {
    /// The message is shorter than its framing.
    #[error("message of {len} bytes is too short: {framing} needs at least {need}")]
    ShortBuffer {
        /// The message's length.
        len: usize,
        /// The bytes the framing needs.
        need: usize,
        /// Which framing.
        framing: &'static str,
    },
    /// The first byte is neither `0x00` nor `0x01`.
    #[error("unknown magic byte {found:#04x}: a registry-framed message starts with 0x00 (schema id) or 0x01 (schema GUID); is this message Avro from a registry serializer?")]
    WrongMagic {
        /// The byte found.
        found: u8,
    },
    /// Another framing problem.
    #[error("{0}")]
    Framing(String),
    /// The registry does not know the writer schema the message names.
    #[error("the message's writer schema ({schema}) is not in the registry: {source}")]
    UnknownSchema {
        /// Which schema (`id 7`, `GUID ...`).
        schema: String,
        /// The registry's answer.
        #[source]
        source: Error,
    },
    /// The registry failed.
    #[error(transparent)]
    Registry(#[from] Error),
    /// The subject could not be named.
    #[error("subject name strategy: {0}")]
    Strategy(String),
    /// The schema the registry holds for the subject is not the type's.
    #[error("{0}")]
    SchemaMismatch(String),
    /// The reader's type cannot read data of the writer schema.
    #[error("cannot read data written with schema {schema} as {reader}: {reason}")]
    Incompatible {
        /// The writer schema (`id 7`).
        schema: String,
        /// The reader type's Avro name.
        reader: &'static str,
        /// Every incompatibility.
        reason: String,
    },
    /// The body does not decode.
    #[error("decoding a message written with schema {schema}: {source}")]
    Decode {
        /// The writer schema (`id 7`).
        schema: String,
        /// What went wrong, with the field path.
        #[source]
        source: DecodeError,
    },
    /// The value does not encode.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

/// How the subject a schema is registered under is named (Confluent's
/// `key.subject.name.strategy` / `value.subject.name.strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubjectNameStrategy {
    /// `<topic>-key` or `<topic>-value` (the default).
    #[default]
    TopicName,
    /// The record's full name (`school.Student`): one subject per type, across topics.
    RecordName,
    /// `<topic>-<record full name>`: several types per topic.
    TopicRecordName,
}

impl SubjectNameStrategy {
    /// The subject for `topic`; `record` is the type's full name (`None` for
    /// a schema that is not a named type, which the record strategies refuse).
    pub fn subject(
        self,
        topic: &str,
        is_key: bool,
        record: Option<&str>,
    ) -> Result<String, SerdeError> {
        let record = || {
            record.ok_or_else(|| {
                SerdeError::Strategy(format!(
                    "{self:?} needs a named type (record, enum or fixed) at the top of the schema"
                ))
            })
        };
        Ok(match self {
            SubjectNameStrategy::TopicName => {
                format!("{topic}-{}", if is_key { "key" } else { "value" })
            }
            SubjectNameStrategy::RecordName => record()?.to_owned(),
            SubjectNameStrategy::TopicRecordName => format!("{topic}-{}", record()?),
        })
    }
}

/// A type's own schema, parsed once (the reader side of every plan).
pub(crate) fn parse_own<T: avro_runtime::AvroSchema>() -> Result<(SchemaSet, Model), SerdeError> {
    SchemaSet::parse_str(T::schema()).map_err(|e| {
        SerdeError::SchemaMismatch(format!("the type's own schema does not parse: {e}"))
    })
}

/// The full name of a schema's top-level named type.
pub(crate) fn record_name(set: &SchemaSet, root: &Model) -> Option<String> {
    match root {
        Model::Named(id) => Some(set.get(*id).name.fullname()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_name_strategies() {
        use SubjectNameStrategy::*;
        let rec = Some("school.Student");
        assert_eq!(TopicName.subject("t", false, rec).unwrap(), "t-value");
        assert_eq!(TopicName.subject("t", true, None).unwrap(), "t-key");
        assert_eq!(
            RecordName.subject("t", false, rec).unwrap(),
            "school.Student"
        );
        assert_eq!(
            TopicRecordName.subject("t", true, rec).unwrap(),
            "t-school.Student"
        );
        assert!(matches!(
            RecordName.subject("t", false, None),
            Err(SerdeError::Strategy(_))
        ));
    }
}
