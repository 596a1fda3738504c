//! Message framings around an Avro binary body.
//!
//! * Confluent wire format: magic byte `0`, the 4-byte big-endian schema id
//!   the registry assigned, then the body.
//! * Single-object encoding (Avro specification): `C3 01`, the schema's
//!   CRC-64-AVRO fingerprint as 8 little-endian bytes, then the body.
//!
//! Reading a Confluent frame, three ways:
//!
//! ```
//! # use avro_runtime::framing::*;
//! # use avro_runtime::{AvroSchema, Decode, DecodeError, Encode, EncodeError, Reader};
//! # #[derive(Debug, PartialEq)] struct Name(String);
//! # impl Encode for Name { fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
//! #   avro_runtime::encode::write_str(out, &self.0); Ok(()) } }
//! # impl Decode for Name { fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> { Ok(Name(r.read_string()?)) } }
//! # impl AvroSchema for Name {
//! #   fn schema() -> &'static str { "\"string\"" } fn canonical_form() -> &'static str { "\"string\"" } }
//! # let message = to_confluent(7, &Name("hi".into())).unwrap();
//! // The id is known in advance (the reader's own registration):
//! let value: Name = from_confluent(&message, 7)?;
//! // Any id: the value and the id it was written with (to look the writer up):
//! let (id, value): (u32, Name) = from_confluent_with_id(&message)?;
//! // One of the ids this reader accepts (its schema's versions that are
//! // byte-compatible with it, say):
//! let (id, value): (u32, Name) = from_confluent_accepting(&message, &[7, 12])?;
//! # assert_eq!((id, value), (7, Name("hi".into())));
//! # Ok::<(), DecodeError>(())
//! ```

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
    from_confluent_accepting(message, &[expected_id]).map(|(_, value)| value)
}

/// Decodes a Confluent-framed message as `T` and returns the schema id it
/// was written with beside the value. The body is read with `T`'s own
/// schema whatever the id: use it when every id the topic carries is known
/// to be `T`'s schema, or check the id afterwards; to refuse unknown ids
/// before decoding, see [`from_confluent_accepting`].
pub fn from_confluent_with_id<T: Decode + AvroSchema>(
    message: &[u8],
) -> Result<(u32, T), DecodeError> {
    let (id, body) = split_confluent(message)?;
    Ok((id, decode_body(body)?))
}

/// Decodes a Confluent-framed message whose schema id is one of `accepted`
/// (the ids under which `T`'s schema, or schemas with the same encoding,
/// were registered), and returns the id with the value. Another id is a
/// framing error naming it and the accepted ones; the body is not read.
pub fn from_confluent_accepting<T: Decode + AvroSchema>(
    message: &[u8],
    accepted: &[u32],
) -> Result<(u32, T), DecodeError> {
    let (id, body) = split_confluent(message)?;
    if !accepted.contains(&id) {
        let expected = match accepted {
            [one] => format!("expected {one}"),
            _ => format!("expected one of {accepted:?}"),
        };
        return Err(framing(format!(
            "message was written with schema id {id}, {expected}"
        )));
    }
    Ok((id, decode_body(body)?))
}

/// The body of a Confluent frame as `T` (a raw top-level `bytes` body
/// taken whole).
fn decode_body<T: Decode + AvroSchema>(body: &[u8]) -> Result<T, DecodeError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Reader;

    #[derive(Debug, PartialEq)]
    struct Name(String);
    impl Encode for Name {
        fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
            crate::encode::write_str(out, &self.0);
            Ok(())
        }
    }
    impl Decode for Name {
        fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
            Ok(Name(r.read_string()?))
        }
    }
    impl AvroSchema for Name {
        fn schema() -> &'static str {
            "\"string\""
        }
        fn canonical_form() -> &'static str {
            "\"string\""
        }
    }

    #[test]
    fn confluent_reads_return_or_check_the_id() {
        let message = to_confluent(7, &Name("hi".into())).unwrap();
        let hi = || Name("hi".into());
        assert_eq!(from_confluent_with_id::<Name>(&message).unwrap(), (7, hi()));
        assert_eq!(
            from_confluent_accepting::<Name>(&message, &[3, 7]).unwrap(),
            (7, hi())
        );
        let err = from_confluent_accepting::<Name>(&message, &[3, 4])
            .unwrap_err()
            .to_string();
        assert!(err.contains("schema id 7, expected one of [3, 4]"), "{err}");
        let err = from_confluent::<Name>(&message, 8).unwrap_err().to_string();
        assert!(err.contains("schema id 7, expected 8"), "{err}");
        assert_eq!(from_confluent::<Name>(&message, 7).unwrap(), hi());
        // A frame too short for an id is an error, not a panic.
        assert!(from_confluent_with_id::<Name>(&[0, 0, 0]).is_err());
    }
}
