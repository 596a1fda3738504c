//! `#[derive(AvroSchema)]` end to end: a producer's type, its schema, its
//! bytes in Confluent framing, read back, and read by a consumer built
//! against a newer version of the type; a consumer that borrows strings
//! from the message instead of copying them; and enums with data in two of
//! their Avro representations.

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

/// A consumer that only looks at a message can borrow from it: the same
/// schema as v1's `Reading` (its name and fields), strings as `&str`
/// pointing into the input (`DecodeBorrowed<'a>`, `from_slice_ref`).
#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "telemetry", name = "Reading")]
pub struct ReadingRef<'a> {
    pub sensor: &'a str,
    pub at: TimestampMillis,
    pub celsius: f32,
    pub status: v1::Status,
    pub labels: HashMap<String, &'a str>,
    pub location: Option<v1::Location>,
}

/// An enum with data, in the default representation: a bare union, one
/// branch per variant (unit → `null`, `Code(i32)` → `int`, a struct
/// variant → a record named after it).
#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "telemetry")]
pub enum Alert {
    Cleared,
    Code(i32),
    Message { text: String, severity: i32 },
}

// The same kind of enum as a record of a tag (an enum of the variant
// names) and a content (a union of the variants' values; variants of one
// type would share a branch, the tag tells them apart).
/// A command sent to a device.
#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(
    namespace = "telemetry",
    repr = "record_tag_content",
    tag = "kind",
    content = "value"
)]
pub enum Command {
    Reboot,
    SetInterval(i32),
    Rename(String),
}

/// `value` encodes, decodes to itself, and its bytes are `expected`.
fn round_trip<T>(value: &T, expected: &[u8]) -> anyhow::Result<()>
where
    T: AvroSchema + avro_runtime::Encode + avro_runtime::Decode + PartialEq + std::fmt::Debug,
{
    let bytes = avro_runtime::to_vec(value)?;
    println!("  {value:?} -> {bytes:02x?}");
    assert_eq!(bytes, expected, "bytes of {value:?}");
    let back: T = avro_runtime::from_slice(&bytes)?;
    assert_eq!(&back, value);
    Ok(())
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

    // A borrowing consumer: same schema, so it reads the v1 body as is;
    // its strings are slices of the message, not copies.
    assert_eq!(ReadingRef::fingerprint(), v1::Reading::fingerprint());
    let view: ReadingRef<'_> = avro_runtime::from_slice_ref(body)?;
    let inside = |s: &str| body.as_ptr_range().contains(&s.as_ptr());
    assert_eq!(view.sensor, reading.sensor);
    assert_eq!(view.labels["site"], "north");
    assert!(inside(view.sensor) && inside(view.labels["site"]));
    assert_eq!(view.location, reading.location);
    println!(
        "borrowed: sensor {:?} at byte {} of the message, not copied",
        view.sensor,
        view.sensor.as_ptr() as usize - message.as_ptr() as usize
    );

    // Enums with data: their schemas, and each variant's bytes.
    println!("Alert schema: {}", Alert::schema());
    round_trip(&Alert::Cleared, &[0x00])?;
    round_trip(&Alert::Code(-3), &[0x02, 0x05])?;
    let alert = Alert::Message {
        text: "hot".into(),
        severity: 2,
    };
    round_trip(&alert, &[0x04, 0x06, b'h', b'o', b't', 0x04])?;
    println!("Command schema: {}", Command::schema());
    // The tag's symbol index, then the content's branch and value.
    round_trip(&Command::Reboot, &[0x00, 0x00])?;
    round_trip(&Command::SetInterval(30), &[0x02, 0x02, 0x3c])?;
    round_trip(
        &Command::Rename("gh-3".into()),
        &[0x04, 0x04, 0x08, b'g', b'h', b'-', b'3'],
    )?;
    Ok(())
}
