//! rdkafka glue (feature `rdkafka`): what every consumer and producer over
//! rdkafka would otherwise write again. A message's value or key read into
//! its type whether the schema id is in the frame (`0x00` + id + body) or in
//! a `__value_schema_id` / `__key_schema_id` header (bare body); tombstones
//! as `None`; UTF-8 keys with an error that says where; and the header
//! framing on the producer side. The core crate does not depend on rdkafka.
//!
//! ```no_run
//! # #[derive(Debug)] struct Student;
//! # impl avro_runtime::AvroSchema for Student {
//! #   fn schema() -> &'static str { "\"null\"" } fn canonical_form() -> &'static str { "\"null\"" } }
//! # impl avro_runtime::Decode for Student { fn decode(_: &mut avro_runtime::Reader<'_>) -> Result<Self, avro_runtime::DecodeError> { Ok(Student) } }
//! # async fn run(consumer: rdkafka::consumer::StreamConsumer) -> Result<(), Box<dyn std::error::Error>> {
//! use avro_registry::{kafka, Client, ClientConfig, Deserializer};
//! let students = Deserializer::<Student, _>::new(Client::new(ClientConfig::new("http://registry:8081"))?)?;
//! let msg = consumer.recv().await?;
//! let key: Option<&str> = kafka::str_key(&msg)?;
//! let student: Option<Student> = students.deserialize_value(&msg).await?;   // None: a tombstone
//! # Ok(()) }
//! ```

use std::future::Future;

use avro_runtime::{AvroSchema, Decode, Encode};
use rdkafka::message::{Header, Headers, Message, OwnedHeaders};

use crate::registry::Registry;
use crate::serde::wire::{self, KEY_SCHEMA_ID_HEADER, VALUE_SCHEMA_ID_HEADER};
use crate::serde::{Deserializer, SerdeError, Serializer};

/// The value of the schema id header (`__key_schema_id` with `is_key`,
/// `__value_schema_id` otherwise) among `headers`: the last one when there
/// are several, `None` when absent or null.
pub fn schema_header<H: Headers>(headers: &H, is_key: bool) -> Option<&[u8]> {
    wire::find_schema_header(
        headers.iter().filter_map(|h| Some((h.key, h.value?))),
        is_key,
    )
}

/// The message's key as UTF-8 text (`None` when the message has no key).
pub fn str_key<M: Message>(message: &M) -> Result<Option<&str>, SerdeError> {
    match message.key() {
        None => Ok(None),
        Some(k) => std::str::from_utf8(k).map(Some).map_err(|e| {
            SerdeError::Framing(format!(
                "the key of the message at {}/{} offset {} is not UTF-8 text: {e}",
                message.topic(),
                message.partition(),
                message.offset()
            ))
        }),
    }
}

impl<T: Decode + AvroSchema, R: Registry> Deserializer<T, R> {
    /// Reads the message's value into `T`: from the `__value_schema_id`
    /// header and the bare payload when the header is there, from the
    /// Confluent frame otherwise; `None` for a tombstone (no payload).
    ///
    /// The returned future holds only the payload and header slices, not
    /// the message, so it is `Send` whenever the deserializer is.
    pub fn deserialize_value<'a, M: Message>(
        &'a self,
        message: &'a M,
    ) -> impl Future<Output = Result<Option<T>, SerdeError>> + 'a {
        self.read_part(message.headers(), message.payload(), false)
    }

    /// Reads the message's key into `T` (`__key_schema_id` header or the
    /// Confluent frame); `None` when the message has no key.
    pub fn deserialize_key<'a, M: Message>(
        &'a self,
        message: &'a M,
    ) -> impl Future<Output = Result<Option<T>, SerdeError>> + 'a {
        self.read_part(message.headers(), message.key(), true)
    }

    fn read_part<'a, H: Headers>(
        &'a self,
        headers: Option<&'a H>,
        bytes: Option<&'a [u8]>,
        is_key: bool,
    ) -> impl Future<Output = Result<Option<T>, SerdeError>> + 'a {
        let header = headers.and_then(|h| schema_header(h, is_key));
        async move {
            match bytes {
                None => Ok(None),
                Some(b) => self.deserialize_with_header(header, b).await.map(Some),
            }
        }
    }
}

impl<T: AvroSchema + Encode, R: Registry> Serializer<T, R> {
    /// Serializes `value` for `topic` with the schema id in a header rather
    /// than in the payload: returns `headers` with `__value_schema_id` (or
    /// `__key_schema_id` for a key serializer) appended, holding `0x00` + the
    /// 4-byte big-endian id, and the bare Avro body.
    pub async fn serialize_with_header(
        &self,
        topic: &str,
        value: &T,
        headers: OwnedHeaders,
    ) -> Result<(OwnedHeaders, Vec<u8>), SerdeError> {
        let mut framed = self.serialize(topic, value).await?;
        let name = if self.config().is_key {
            KEY_SCHEMA_ID_HEADER
        } else {
            VALUE_SCHEMA_ID_HEADER
        };
        let headers = headers.insert(Header {
            key: name,
            value: Some(&framed[..5]),
        });
        framed.drain(..5);
        Ok((headers, framed))
    }
}

#[cfg(test)]
mod tests {
    use rdkafka::message::{OwnedMessage, Timestamp};

    use super::*;
    use crate::{MockRegistry, SerializerConfig};

    #[derive(avro_runtime::AvroSchema, Debug, PartialEq)]
    struct Pair {
        a: i32,
        b: String,
    }

    fn message(key: Option<&[u8]>, payload: Option<&[u8]>, h: OwnedHeaders) -> OwnedMessage {
        OwnedMessage::new(
            payload.map(<[u8]>::to_vec),
            key.map(<[u8]>::to_vec),
            "t".into(),
            Timestamp::NotAvailable,
            0,
            7,
            Some(h),
        )
    }

    #[tokio::test]
    async fn values_and_keys_framed_or_with_header() {
        let registry = MockRegistry::new();
        let values = Serializer::<Pair, _>::new(registry.clone()).unwrap();
        let keys = Serializer::<Pair, _>::with_config(
            registry.clone(),
            SerializerConfig {
                is_key: true,
                ..Default::default()
            },
        )
        .unwrap();
        let de = Deserializer::<Pair, _>::new(registry.clone()).unwrap();
        let v = Pair {
            a: 5,
            b: "v".into(),
        };
        let k = Pair {
            a: 6,
            b: "k".into(),
        };

        // Framed value, no headers at all.
        let framed = values.serialize("t", &v).await.unwrap();
        let m = message(None, Some(&framed), OwnedHeaders::new());
        assert_eq!(
            de.deserialize_value(&m).await.unwrap(),
            Some(Pair {
                a: 5,
                b: "v".into()
            })
        );
        assert_eq!(de.deserialize_key(&m).await.unwrap(), None);

        // Value and key with their ids in headers, bare bodies; other headers kept.
        let h = OwnedHeaders::new().insert(Header {
            key: "trace",
            value: Some("x"),
        });
        let (h, body) = values.serialize_with_header("t", &v, h).await.unwrap();
        let (h, key_body) = keys.serialize_with_header("t", &k, h).await.unwrap();
        let id = values.schema_id("t").await.unwrap();
        assert_eq!(body, &framed[5..]);
        let mut id_header = vec![0u8];
        id_header.extend_from_slice(&id.to_be_bytes());
        assert_eq!(schema_header(&h, false), Some(&id_header[..]));
        assert_eq!(h.count(), 3);
        assert_eq!(h.get(0).key, "trace");
        let m = message(Some(&key_body), Some(&body), h);
        assert_eq!(de.deserialize_value(&m).await.unwrap().unwrap().b, "v");
        assert_eq!(de.deserialize_key(&m).await.unwrap().unwrap().b, "k");

        // A tombstone.
        let m = message(None, None, OwnedHeaders::new());
        assert_eq!(de.deserialize_value(&m).await.unwrap(), None);

        // A bare body without its header is read as a frame and refused.
        let m = message(None, Some(&body), OwnedHeaders::new());
        let e = de.deserialize_value(&m).await.unwrap_err();
        assert!(matches!(e, SerdeError::WrongMagic { .. }), "{e}");
    }

    #[test]
    fn headers_null_values_and_keys() {
        let h = OwnedHeaders::new()
            .insert(Header::<&[u8]> {
                key: VALUE_SCHEMA_ID_HEADER,
                value: Some(&[0, 0, 0, 0, 1]),
            })
            .insert(Header::<&[u8]> {
                key: VALUE_SCHEMA_ID_HEADER,
                value: None,
            });
        // A null header value names no schema; the earlier one still counts.
        assert_eq!(schema_header(&h, false), Some(&[0u8, 0, 0, 0, 1][..]));
        assert_eq!(schema_header(&h, true), None);

        let m = message(Some("ключ".as_bytes()), None, OwnedHeaders::new());
        assert_eq!(str_key(&m).unwrap(), Some("ключ"));
        let m = message(None, None, OwnedHeaders::new());
        assert_eq!(str_key(&m).unwrap(), None);
        let m = message(Some(&[0xff, 0x00]), None, OwnedHeaders::new());
        let e = str_key(&m).unwrap_err().to_string();
        assert!(e.contains("t/0 offset 7") && e.contains("not UTF-8"), "{e}");
    }
}
