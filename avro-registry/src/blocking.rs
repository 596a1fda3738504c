//! The blocking facade: the same client, serializer and deserializer, each
//! call run to completion on a small runtime the facade owns. For programs
//! without async (build scripts, CLIs); async code uses the types at the
//! crate root instead (blocking inside a runtime is refused with an error,
//! not a panic).

use std::sync::Arc;

use avro_runtime::{AvroSchema, Decode, Encode};

use crate::client::Client as AsyncClient;
use crate::config::{config_error, ClientConfig};
use crate::error::Error;
use crate::registry::Registry;
use crate::serde::{wire::SchemaRef, Deserializer as AsyncDeserializer};
use crate::serde::{SerdeError, Serializer as AsyncSerializer, SerializerConfig};
use crate::types::{
    CompatibilityLevel, CompatibilityResult, Mode, RegisterRequest, Schema, SubjectVersion,
    SubjectVersionRef, Version,
};

/// Runs futures to completion for the blocking types.
#[derive(Clone)]
pub struct Runner(Arc<tokio::runtime::Runtime>);

impl Runner {
    /// A current-thread runtime with timers and I/O.
    pub fn new() -> Result<Runner, Error> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|rt| Runner(Arc::new(rt)))
            .map_err(|e| config_error(format!("cannot start the blocking runtime: {e}")))
    }

    /// Runs `f` to completion; an error when called from inside an async runtime.
    pub fn run<F: std::future::Future>(&self, f: F) -> Result<F::Output, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(config_error(
                "the blocking API was called from async code; use the async Client there",
            ));
        }
        Ok(self.0.block_on(f))
    }
}

/// A blocking Schema Registry client over any [`Registry`] (the HTTP
/// [`Client`](crate::Client) by default, or a [`MockRegistry`](crate::MockRegistry)).
#[derive(Clone)]
pub struct Client<R = AsyncClient> {
    inner: R,
    runner: Runner,
}

impl Client<AsyncClient> {
    /// A blocking HTTP client for `config`.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        Client::over(AsyncClient::new(config)?)
    }
}

macro_rules! blocking {
    ($( $(#[$doc:meta])* fn $name:ident(&self $(, $arg:ident : $ty:ty)*) -> $ret:ty; )*) => {
        $(
            $(#[$doc])*
            pub fn $name(&self $(, $arg: $ty)*) -> Result<$ret, Error> {
                self.runner.run(self.inner.$name($($arg),*))?
            }
        )*
    };
}

impl<R: Registry> Client<R> {
    /// A blocking client over `registry`.
    pub fn over(registry: R) -> Result<Self, Error> {
        Ok(Client {
            inner: registry,
            runner: Runner::new()?,
        })
    }

    /// The async registry underneath.
    pub fn inner(&self) -> &R {
        &self.inner
    }

    /// The runtime the calls run on.
    pub fn runner(&self) -> &Runner {
        &self.runner
    }

    blocking! {
        /// `GET /schemas/ids/{id}`.
        fn schema_by_id(&self, id: u32) -> Schema;
        /// `GET /schemas/guids/{guid}`.
        fn schema_by_guid(&self, guid: &str) -> Schema;
        /// `GET /schemas/ids/{id}/schema`.
        fn raw_schema_by_id(&self, id: u32) -> String;
        /// `GET /schemas/ids/{id}/subjects`.
        fn subjects_for_id(&self, id: u32) -> Vec<String>;
        /// `GET /schemas/ids/{id}/versions`.
        fn versions_for_id(&self, id: u32) -> Vec<SubjectVersionRef>;
        /// `GET /schemas`.
        fn schemas(&self) -> Vec<SubjectVersion>;
        /// `GET /subjects`.
        fn subjects(&self) -> Vec<String>;
        /// `GET /subjects/{s}/versions`.
        fn versions(&self, subject: &str) -> Vec<u32>;
        /// `GET /subjects/{s}/versions/{v}`.
        fn version(&self, subject: &str, version: Version) -> SubjectVersion;
        /// `GET /subjects/{s}/versions/{v}/schema`.
        fn raw_schema(&self, subject: &str, version: Version) -> String;
        /// `GET /subjects/{s}/versions/{v}/referencedby`.
        fn referenced_by(&self, subject: &str, version: Version) -> Vec<u32>;
        /// `POST /subjects/{s}/versions`.
        fn register(&self, subject: &str, request: &RegisterRequest, normalize: bool) -> u32;
        /// `POST /subjects/{s}`.
        fn lookup(&self, subject: &str, schema: &Schema, normalize: bool, deleted: bool) -> SubjectVersion;
        /// `DELETE /subjects/{s}`.
        fn delete_subject(&self, subject: &str, permanent: bool) -> Vec<u32>;
        /// `DELETE /subjects/{s}/versions/{v}`.
        fn delete_version(&self, subject: &str, version: Version, permanent: bool) -> u32;
        /// `GET /config[/{s}]`.
        fn compatibility(&self, subject: Option<&str>) -> CompatibilityLevel;
        /// `PUT /config[/{s}]`.
        fn set_compatibility(&self, subject: Option<&str>, level: CompatibilityLevel) -> CompatibilityLevel;
        /// `DELETE /config[/{s}]`.
        fn delete_compatibility(&self, subject: Option<&str>) -> CompatibilityLevel;
        /// `GET /mode[/{s}]`.
        fn mode(&self, subject: Option<&str>) -> Mode;
        /// `PUT /mode[/{s}]`.
        fn set_mode(&self, subject: Option<&str>, mode: Mode, force: bool) -> Mode;
        /// `POST /compatibility/subjects/{s}/versions/{v}`.
        fn test_compatibility(&self, subject: &str, version: Version, schema: &Schema, verbose: bool) -> CompatibilityResult;
    }
}

/// The blocking [`Serializer`](crate::Serializer).
pub struct Serializer<T, R = AsyncClient> {
    inner: AsyncSerializer<T, R>,
    runner: Runner,
}

impl<T: AvroSchema + Encode, R: Registry + Clone> Serializer<T, R> {
    /// A serializer configured by `config`, over `client`'s registry.
    pub fn new(client: &Client<R>, config: SerializerConfig) -> Result<Self, SerdeError> {
        Ok(Serializer {
            inner: AsyncSerializer::with_config(client.inner.clone(), config)?,
            runner: client.runner.clone(),
        })
    }

    /// Frames and encodes `value` for `topic`.
    pub fn serialize(&self, topic: &str, value: &T) -> Result<Vec<u8>, SerdeError> {
        if let Some(r) = self.inner.serialize_cached(topic, value) {
            return r;
        }
        self.runner.run(self.inner.serialize(topic, value))?
    }
}

/// The blocking [`Deserializer`](crate::Deserializer).
pub struct Deserializer<T, R = AsyncClient> {
    inner: AsyncDeserializer<T, R>,
    runner: Runner,
}

impl<T: Decode + AvroSchema, R: Registry + Clone> Deserializer<T, R> {
    /// A deserializer into `T` over `client`'s registry.
    pub fn new(client: &Client<R>) -> Result<Self, SerdeError> {
        Ok(Deserializer {
            inner: AsyncDeserializer::new(client.inner.clone())?,
            runner: client.runner.clone(),
        })
    }

    /// Decodes a framed message.
    pub fn deserialize(&self, message: &[u8]) -> Result<T, SerdeError> {
        self.runner.run(self.inner.deserialize(message))?
    }

    /// Decodes a message with the schema id or GUID in a header (or framed, without one).
    pub fn deserialize_with_header(
        &self,
        schema_header: Option<&[u8]>,
        payload: &[u8],
    ) -> Result<T, SerdeError> {
        self.runner
            .run(self.inner.deserialize_with_header(schema_header, payload))?
    }

    /// Decodes `body`, written with the schema `schema` names.
    pub fn decode(&self, schema: SchemaRef, body: &[u8]) -> Result<T, SerdeError> {
        self.runner.run(self.inner.decode(schema, body))?
    }
}
