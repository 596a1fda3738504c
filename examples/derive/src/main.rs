//! `#[derive(AvroSchema)]` end to end: a producer's type, its schema, its
//! bytes in Confluent framing, read back, and read by a consumer built
//! against a newer version of the type.

use std::collections::HashMap;

use anyhow::Context;
use avro_runtime::framing::{from_confluent, split_confluent, to_confluent};
use avro_runtime::resolve::Resolver;
use avro_runtime::{AvroSchema, TimestampMillis};

/// What the producer (version 1) writes.
mod v1 {
    use super::*;

    /// A reading of one sensor.
    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "telemetry")]
    pub struct Reading {
        pub sensor: String,
        pub at: TimestampMillis,
        /// Degrees Celsius.
        pub celsius: f32,
        pub status: Status,
        pub labels: HashMap<String, String>,
        pub location: Option<Location>,
    }

    #[derive(AvroSchema, Debug, Clone, Copy, PartialEq)]
    #[avro(namespace = "telemetry", rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum Status {
        Ok,
        Degraded,
        Failed,
    }

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "telemetry")]
    pub struct Location {
        pub lat: f64,
        pub lon: f64,
    }
}

/// What a newer consumer (version 2) expects: a renamed field (the alias
/// reads the old name), a promotion (float → double), a new field with a
/// default, and an enum whose unknown symbols fall back to a default.
mod v2 {
    use super::*;

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "telemetry")]
    pub struct Reading {
        #[avro(alias = "sensor")]
        pub sensor_id: String,
        pub at: TimestampMillis,
        pub celsius: f64,
        pub status: Status,
        pub labels: HashMap<String, String>,
        pub location: Option<super::v1::Location>,
        #[avro(default = "\"unknown\"")]
        pub firmware: String,
    }

    #[derive(AvroSchema, Debug, Clone, Copy, PartialEq)]
    #[avro(namespace = "telemetry", rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum Status {
        #[avro(default)]
        Unknown,
        Ok,
        Failed,
    }
}

fn main() -> anyhow::Result<()> {
    let reading = v1::Reading {
        sensor: "greenhouse-3".into(),
        at: TimestampMillis(1_700_000_000_000),
        celsius: 21.5,
        status: v1::Status::Degraded,
        labels: HashMap::from([("site".into(), "north".into())]),
        location: Some(v1::Location {
            lat: 59.91,
            lon: 10.75,
        }),
    };

    println!("v1 schema: {}", v1::Reading::schema());
    println!("v1 fingerprint: {:016x}", v1::Reading::fingerprint());

    // The id a schema registry would have assigned to the v1 schema.
    let schema_id = 42;
    let message = to_confluent(schema_id, &reading)?;
    println!("{} bytes on the wire: {:02x?}", message.len(), &message[..]);

    // The producer's own type reads it back.
    let same: v1::Reading = from_confluent(&message, schema_id)?;
    assert_eq!(same, reading);

    // A v2 consumer reads the v1 message through a resolution plan: it
    // knows the writer schema from the id (a registry lookup in real life).
    let (id, body) = split_confluent(&message)?;
    let writer_schema = match id {
        42 => v1::Reading::schema(),
        other => anyhow::bail!("unknown schema id {other}"),
    };
    let consumer = Resolver::<v2::Reading>::new();
    let newer = consumer
        .decode(writer_schema, body)
        .context("v2 reading v1")?;
    println!("v2 reads: {newer:?}");
    assert_eq!(newer.sensor_id, "greenhouse-3");
    assert_eq!(newer.celsius, 21.5);
    assert_eq!(newer.status, v2::Status::Unknown); // DEGRADED is not a v2 symbol
    assert_eq!(newer.firmware, "unknown");
    Ok(())
}
