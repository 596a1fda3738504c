//! How a Kafka message names its writer schema: Confluent's `0x00` + 4-byte
//! big-endian id, the newer `0x01` + 16-byte schema GUID, or a bare body
//! with the id or GUID in a `__key_schema_id` / `__value_schema_id` header.
//! Parsing only; no registry access.

use uuid::Uuid;

use super::SerdeError;

/// Magic byte of a message framed with a schema id.
pub const MAGIC_ID: u8 = 0x00;
/// Magic byte of a message framed with a schema GUID.
pub const MAGIC_GUID: u8 = 0x01;
/// The Kafka header that carries a key's schema id or GUID.
pub const KEY_SCHEMA_ID_HEADER: &str = "__key_schema_id";
/// The Kafka header that carries a value's schema id or GUID.
pub const VALUE_SCHEMA_ID_HEADER: &str = "__value_schema_id";

/// The writer schema a message names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaRef {
    /// A registry id.
    Id(u32),
    /// A registry GUID.
    Guid(Uuid),
}

impl std::fmt::Display for SchemaRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SchemaRef::Id(id) => write!(f, "id {id}"),
            SchemaRef::Guid(g) => write!(f, "GUID {g}"),
        }
    }
}

/// Reads the magic byte and the id or GUID after it; returns them and the rest.
pub fn split(message: &[u8]) -> Result<(SchemaRef, &[u8]), SerdeError> {
    let Some(&magic) = message.first() else {
        return Err(SerdeError::ShortBuffer {
            len: 0,
            need: 5,
            framing: "a Confluent frame (magic byte + schema id)",
        });
    };
    match magic {
        MAGIC_ID => {
            if message.len() < 5 {
                return Err(SerdeError::ShortBuffer {
                    len: message.len(),
                    need: 5,
                    framing: "a Confluent frame (0x00 + 4-byte schema id)",
                });
            }
            let id = u32::from_be_bytes([message[1], message[2], message[3], message[4]]);
            Ok((SchemaRef::Id(id), &message[5..]))
        }
        MAGIC_GUID => {
            if message.len() < 17 {
                return Err(SerdeError::ShortBuffer {
                    len: message.len(),
                    need: 17,
                    framing: "a GUID frame (0x01 + 16-byte schema GUID)",
                });
            }
            let mut g = [0u8; 16];
            g.copy_from_slice(&message[1..17]);
            Ok((SchemaRef::Guid(Uuid::from_bytes(g)), &message[17..]))
        }
        found => Err(SerdeError::WrongMagic { found }),
    }
}

/// Reads a `__key_schema_id` / `__value_schema_id` header value (the same
/// magic byte and id or GUID, nothing after them).
pub fn parse_header(value: &[u8]) -> Result<SchemaRef, SerdeError> {
    let (r, rest) = split(value)?;
    if !rest.is_empty() {
        return Err(SerdeError::Framing(format!(
            "schema id header has {} bytes after the {r}",
            rest.len()
        )));
    }
    Ok(r)
}

/// The header value naming a schema by GUID (what Confluent's header serializer writes).
pub fn guid_header(guid: Uuid) -> [u8; 17] {
    let mut h = [0u8; 17];
    h[0] = MAGIC_GUID;
    h[1..].copy_from_slice(guid.as_bytes());
    h
}

/// The value of the schema id header among a message's headers
/// (`__key_schema_id` for keys, `__value_schema_id` for values).
pub fn find_schema_header<'a, I>(headers: I, is_key: bool) -> Option<&'a [u8]>
where
    I: IntoIterator<Item = (&'a str, &'a [u8])>,
{
    let name = if is_key {
        KEY_SCHEMA_ID_HEADER
    } else {
        VALUE_SCHEMA_ID_HEADER
    };
    headers
        .into_iter()
        .filter(|(k, _)| *k == name)
        .last()
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_their_errors() {
        assert_eq!(
            split(&[0, 0, 0, 1, 2, 9]).unwrap(),
            (SchemaRef::Id(258), &[9u8][..])
        );
        let g = Uuid::from_u128(0x8979_1762_2336_4186_9674_299b_90a8_02e2);
        let mut m = guid_header(g).to_vec();
        m.push(7);
        assert_eq!(split(&m).unwrap(), (SchemaRef::Guid(g), &[7u8][..]));
        assert_eq!(parse_header(&guid_header(g)).unwrap(), SchemaRef::Guid(g));
        assert!(matches!(parse_header(&m), Err(SerdeError::Framing(_))));
        assert!(matches!(
            split(&[]),
            Err(SerdeError::ShortBuffer { len: 0, .. })
        ));
        assert!(matches!(
            split(&[0, 1, 2]),
            Err(SerdeError::ShortBuffer {
                len: 3,
                need: 5,
                ..
            })
        ));
        assert!(matches!(
            split(&[1; 10]),
            Err(SerdeError::ShortBuffer { need: 17, .. })
        ));
        let e = split(&[0x7b, 1, 2, 3, 4]).unwrap_err();
        assert!(matches!(e, SerdeError::WrongMagic { found: 0x7b }));
        assert!(e.to_string().contains("0x7b"), "{e}");
        let headers = [
            ("a", &b"x"[..]),
            (VALUE_SCHEMA_ID_HEADER, &[0, 0, 0, 0, 5][..]),
        ];
        assert_eq!(
            find_schema_header(headers, false),
            Some(&[0, 0, 0, 0, 5][..])
        );
        assert_eq!(find_schema_header(headers, true), None);
    }
}
