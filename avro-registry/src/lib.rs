//! A Confluent Schema Registry client and the typed Kafka serializer pair.
//!
//! * [`Client`]: async (tokio, reqwest with rustls) client of any
//!   Confluent-compatible registry, with retries, failover across URLs,
//!   basic or bearer auth, custom CAs, and caches shared by its clones;
//!   [`blocking::Client`] is the same code for programs without async.
//! * [`MockRegistry`]: the same [`Registry`] trait in memory, enforcing
//!   compatibility levels with the runtime's own checker: for unit tests.
//! * [`Serializer`] / [`Deserializer`]: a generated or derived type to
//!   Confluent-framed bytes and back, the consumer reading older or newer
//!   writers' data through a resolution plan cached per schema id.
//! * [`Error`]: every Confluent error code typed ([`ErrorCode`]), with the
//!   URL, subject and version involved, never the credentials.
//!
//! ```no_run
//! # #[derive(Debug)] struct Student;
//! # impl avro_runtime::AvroSchema for Student {
//! #   fn schema() -> &'static str { "\"null\"" } fn canonical_form() -> &'static str { "\"null\"" } }
//! # impl avro_runtime::Encode for Student { fn encode(&self, _: &mut Vec<u8>) -> Result<(), avro_runtime::EncodeError> { Ok(()) } }
//! # impl avro_runtime::Decode for Student { fn decode(_: &mut avro_runtime::Reader<'_>) -> Result<Self, avro_runtime::DecodeError> { Ok(Student) } }
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use avro_registry::{Client, ClientConfig, Deserializer, Serializer};
//! let client = Client::new(ClientConfig::new("http://localhost:8081"))?;
//! let producer = Serializer::<Student, _>::new(client.clone())?;
//! let bytes = producer.serialize("students", &Student).await?;   // 0x00 + id + body
//! let consumer = Deserializer::<Student, _>::new(client)?;
//! let student: Student = consumer.deserialize(&bytes).await?;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod blocking;
mod cache;
mod client;
mod config;
mod error;
mod http;
#[cfg(feature = "rdkafka")]
pub mod kafka;
mod mock;
pub mod references;
mod registry;
pub mod serde;
mod types;

pub use client::Client;
pub use config::{Auth, ClientConfig};
pub use error::{Context, Error, ErrorCode, ErrorKind};
pub use http::CONTENT_TYPE_V1;
pub use mock::MockRegistry;
pub use registry::Registry;
pub use serde::{
    Deserializer, IdStrategy, SerdeError, Serializer, SerializerConfig, SubjectNameStrategy,
};
pub use types::{
    CompatibilityLevel, CompatibilityResult, Mode, RegisterRequest, RegisteredId, Schema,
    SchemaReference, SchemaType, SubjectVersion, SubjectVersionRef, Version,
};
