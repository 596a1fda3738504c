//! Object container files (`Obj\x01` header, metadata, sync-marked blocks)
//! read into, and written from, typed values.
//!
//! Codecs: `null` and `deflate`. A decompressed block is capped at
//! [`MAX_BLOCK_BYTES`] so a hostile file cannot make the reader allocate
//! without bound.

use std::collections::HashMap;

use crate::error::{DecodeError, DecodeErrorKind};
use crate::schema::SchemaSet;
use crate::{AvroSchema, Decode, Encode, EncodeError, Reader};

/// The four bytes that open every container file.
pub const MAGIC: [u8; 4] = *b"Obj\x01";
/// Largest decompressed block accepted.
pub const MAX_BLOCK_BYTES: usize = 256 << 20;

/// Block compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Null,
    Deflate,
}

impl Codec {
    /// The name written as `avro.codec`.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Null => "null",
            Codec::Deflate => "deflate",
        }
    }
}

#[cold]
fn bad(msg: impl Into<String>) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Container(msg.into()))
}

/// A parsed container header.
#[derive(Debug, Clone)]
pub struct Header {
    pub metadata: HashMap<String, Vec<u8>>,
    pub codec: Codec,
    pub sync: [u8; 16],
    /// The writer schema as stored in the file.
    pub schema: String,
}

/// Reads the header (magic, metadata, sync marker) from the start of a
/// container file; `r` is left at the first block.
pub fn read_header(r: &mut Reader<'_>) -> Result<Header, DecodeError> {
    if r.take(4)
        .map_err(|_| bad("file is shorter than the 4-byte magic"))?
        != MAGIC
    {
        return Err(bad(
            "not an Avro container file: it does not start with Obj\\x01",
        ));
    }
    let mut metadata = HashMap::new();
    loop {
        let n = r.read_block_count(2)?;
        if n == 0 {
            break;
        }
        for _ in 0..n {
            let k = r.read_string()?;
            let v = r.read_bytes()?;
            metadata.insert(k, v);
        }
    }
    let sync = r.read_fixed::<16>()?;
    let codec = match metadata.get("avro.codec").map(Vec::as_slice) {
        None | Some(b"null") => Codec::Null,
        Some(b"deflate") => Codec::Deflate,
        Some(other) => {
            return Err(bad(format!(
                "unsupported codec {:?} (supported: null, deflate)",
                String::from_utf8_lossy(other)
            )))
        }
    };
    let schema = metadata
        .get("avro.schema")
        .ok_or_else(|| bad("header has no avro.schema"))?;
    let schema = String::from_utf8(schema.clone()).map_err(|_| bad("avro.schema is not UTF-8"))?;
    Ok(Header {
        metadata,
        codec,
        sync,
        schema,
    })
}

/// Reads every value of a container file written with `T`'s schema (same
/// Parsing Canonical Form; reading with another writer schema needs
/// resolution).
pub fn read_all<T: Decode + AvroSchema>(file: &[u8]) -> Result<(Header, Vec<T>), DecodeError> {
    let mut r = Reader::new(file);
    let header = read_header(&mut r)?;
    let (set, root) = SchemaSet::parse_str(&header.schema)
        .map_err(|e| bad(format!("the file's schema is invalid: {e}")))?;
    let canonical = set.canonical_form(&root);
    if canonical != T::canonical_form() {
        // Some writers drop an explicit empty namespace from the embedded
        // schema; named types still match by unqualified name (as in the
        // specification's resolution rules) and the layout is the same.
        let (own, own_root) = SchemaSet::parse_str(T::schema())
            .map_err(|e| bad(format!("the reader's schema is invalid: {e}")))?;
        if set.unqualified_canonical_form(&root) != own.unqualified_canonical_form(&own_root) {
            return Err(bad(format!(
                "the file was written with schema {canonical}, not the reader's {}",
                T::canonical_form()
            )));
        }
    }
    let mut values = Vec::new();
    let mut block_index = 0usize;
    while r.remaining() > 0 {
        let count = r.read_block_count(0)?;
        let size = r.read_len()?;
        let raw = r.take(size)?;
        let data;
        let body: &[u8] = match header.codec {
            Codec::Null => raw,
            Codec::Deflate => {
                data = miniz_oxide::inflate::decompress_to_vec_with_limit(raw, MAX_BLOCK_BYTES)
                    .map_err(|e| {
                        bad(format!(
                            "block {block_index}: deflate data is corrupt: {e:?}"
                        ))
                    })?;
                &data
            }
        };
        let mut br = Reader::new(body);
        for i in 0..count {
            let v = T::decode(&mut br).map_err(|e| {
                e.push(crate::PathSegment::Root(T::AVRO_NAME))
                    .push(crate::PathSegment::Index(values.len()))
                    .push(crate::PathSegment::Key(format!(
                        "block {block_index} item {i}"
                    )))
            })?;
            values.push(v);
        }
        br.finish()?;
        if r.read_fixed::<16>()? != header.sync {
            return Err(bad(format!(
                "block {block_index}: sync marker does not match the header's"
            )));
        }
        block_index += 1;
    }
    Ok((header, values))
}

/// Writes `values` as a container file with one block.
pub fn write_all<T: Encode + AvroSchema>(
    values: &[T],
    codec: Codec,
    sync: [u8; 16],
) -> Result<Vec<u8>, EncodeError> {
    use crate::encode::{write_bytes, write_long, write_str};
    let mut out = Vec::new();
    out.extend_from_slice(&MAGIC);
    write_long(&mut out, 2);
    write_str(&mut out, "avro.codec");
    write_str(&mut out, codec.name());
    write_str(&mut out, "avro.schema");
    write_str(&mut out, T::schema());
    write_long(&mut out, 0);
    out.extend_from_slice(&sync);
    if !values.is_empty() {
        let mut body = Vec::new();
        for v in values {
            v.encode(&mut body)?;
        }
        if codec == Codec::Deflate {
            body = miniz_oxide::deflate::compress_to_vec(&body, 6);
        }
        write_long(&mut out, values.len() as i64);
        write_bytes(&mut out, &body);
        out.extend_from_slice(&sync);
    }
    Ok(out)
}
