//! Message framings around an Avro binary body.
//!
//! * Confluent wire format: magic byte `0`, the 4-byte big-endian schema id
//!   the registry assigned, then the body.
//! * Single-object encoding (Avro specification): `C3 01`, the schema's
//!   CRC-64-AVRO fingerprint as 8 little-endian bytes, then the body.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::{AvroSchema, Decode, Encode, EncodeError};

/// The magic byte that opens a Confluent-framed message.
pub const CONFLUENT_MAGIC: u8 = 0;
/// The two bytes that open a single-object encoded message.
pub const SINGLE_OBJECT_MAGIC: [u8; 2] = [0xC3, 0x01];

/// Confluent's serializers write a value of the top-level schema `"bytes"`
/// raw, without the Avro length prefix; we do the same to interoperate.
const RAW_BYTES_CANONICAL: &str = "\"bytes\"";

/// `0x00` + schema id (big-endian) + body.
pub fn to_confluent<T: Encode + AvroSchema + ?Sized>(
    schema_id: u32,
    value: &T,
) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(64);
    out.push(CONFLUENT_MAGIC);
    out.extend_from_slice(&schema_id.to_be_bytes());
    value.encode(&mut out)?;
    if T::canonical_form() == RAW_BYTES_CANONICAL {
        let prefix = {
            let mut r = crate::Reader::new(&out[5..]);
            // The encoder just wrote a valid length; this cannot fail.
            r.read_len().map(|_| r.position()).unwrap_or(0)
        };
        out.drain(5..5 + prefix);
    }
    Ok(out)
}

/// Splits a Confluent-framed message into its schema id and body.
pub fn split_confluent(message: &[u8]) -> Result<(u32, &[u8]), DecodeError> {
    if message.len() < 5 {
        return Err(framing(format!(
            "Confluent frame needs at least 5 bytes (magic + schema id), got {}",
            message.len()
        )));
    }
    if message[0] != CONFLUENT_MAGIC {
        return Err(framing(format!(
            "Confluent frame must start with magic byte 0x00, found {:#04x}",
            message[0]
        )));
    }
    let id = u32::from_be_bytes([message[1], message[2], message[3], message[4]]);
    Ok((id, &message[5..]))
}

/// Decodes a Confluent-framed message whose schema id must be `expected_id`
/// (the reader has no resolution plan for another writer schema).
pub fn from_confluent<T: Decode + AvroSchema>(
    message: &[u8],
    expected_id: u32,
) -> Result<T, DecodeError> {
    let (id, body) = split_confluent(message)?;
    if id != expected_id {
        return Err(framing(format!(
            "message was written with schema id {id}, expected {expected_id}"
        )));
    }
    if T::canonical_form() == RAW_BYTES_CANONICAL {
        let mut framed = Vec::with_capacity(body.len() + 10);
        crate::encode::write_bytes(&mut framed, body);
        return crate::from_slice(&framed);
    }
    crate::from_slice(body)
}

/// `C3 01` + fingerprint (little-endian) + body.
pub fn to_single_object<T: Encode + AvroSchema + ?Sized>(
    value: &T,
) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(&SINGLE_OBJECT_MAGIC);
    out.extend_from_slice(&T::fingerprint().to_le_bytes());
    value.encode(&mut out)?;
    Ok(out)
}

/// Splits a single-object encoded message into the writer's fingerprint and body.
pub fn split_single_object(message: &[u8]) -> Result<(u64, &[u8]), DecodeError> {
    if message.len() < 10 {
        return Err(framing(format!(
            "single-object encoding needs at least 10 bytes (C3 01 + fingerprint), got {}",
            message.len()
        )));
    }
    if message[..2] != SINGLE_OBJECT_MAGIC {
        return Err(framing(format!(
            "single-object encoding must start with C3 01, found {:02X} {:02X}",
            message[0], message[1]
        )));
    }
    let mut fp = [0u8; 8];
    fp.copy_from_slice(&message[2..10]);
    Ok((u64::from_le_bytes(fp), &message[10..]))
}

/// Decodes a single-object message written with `T`'s own schema.
pub fn from_single_object<T: Decode + AvroSchema>(message: &[u8]) -> Result<T, DecodeError> {
    let (fp, body) = split_single_object(message)?;
    if fp != T::fingerprint() {
        return Err(framing(format!(
            "message fingerprint {fp:016x} is not the reader schema's {:016x}",
            T::fingerprint()
        )));
    }
    crate::from_slice(body)
}

#[cold]
fn framing(msg: String) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Framing(msg))
}
