//! Object container files (`Obj\x01` header, metadata, sync-marked blocks)
//! read into, and written from, typed values.
//!
//! [`ContainerReader`] streams a file from any `io::Read`: one block in
//! memory at a time, each block's stored and decompressed size bounded by
//! the reader's [`Limits`], every error naming the block and its file
//! offset. [`read_all`] and [`write_all`] are conveniences over the reader
//! and [`ContainerWriter`]. Codecs: see [`Codec`].

mod codec;
mod reader;
mod writer;

use std::collections::HashMap;
use std::fmt;

pub use codec::{compress, decompress, Codec, CodecError};
pub use reader::{Block, ContainerReader, Values};
pub use writer::ContainerWriter;

use crate::decode::Limits;
use crate::error::DecodeError;
use crate::{AvroSchema, Decode, Encode, EncodeError};

/// The four bytes that open every container file.
pub const MAGIC: [u8; 4] = *b"Obj\x01";
/// Largest decompressed block accepted by default (see [`Limits`]).
/// The default cap on one block's decompressed size ([`Limits`]).
pub const MAX_BLOCK_BYTES: usize = Limits::DEFAULT.max_decompressed_bytes;

/// A parsed container header.
#[derive(Debug, Clone)]
pub struct Header {
    /// Every metadata entry, `avro.schema` and `avro.codec` included.
    pub metadata: HashMap<String, Vec<u8>>,
    /// The block compression (`avro.codec`; `null` when absent).
    pub codec: Codec,
    /// The 16-byte marker that ends every block.
    pub sync: [u8; 16],
    /// The writer schema as stored in the file.
    pub schema: String,
}

/// What went wrong reading a container file, and where.
#[derive(Debug)]
#[non_exhaustive]
pub enum ContainerError {
    /// The reader failed.
    Io {
        /// Bytes of the file read before the failure.
        offset: u64,
        /// What the reader said.
        source: std::io::Error,
    },
    /// The header is not a valid container header.
    Header {
        /// Where in the file.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// A block's framing (count, size, sync marker) or compressed data.
    Block {
        /// The block's number (0 = first).
        block: u64,
        /// The file offset of the block's start.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// A block's data decompressed beyond the limit, or did not decompress.
    Codec {
        /// The block's number (0 = first).
        block: u64,
        /// The file offset of the block's start.
        offset: u64,
        /// Why it did not decompress.
        source: CodecError,
    },
    /// A value inside a block did not decode. Its error's byte offset counts
    /// from the start of the block's (decompressed) data.
    Value {
        /// The block's number (0 = first).
        block: u64,
        /// The file offset of the block's start.
        offset: u64,
        /// The value's number within the block (0 = first).
        object: u64,
        /// The decoding error.
        source: DecodeError,
    },
    /// The file's schema cannot be read as the reader type's.
    Schema(String),
}

impl fmt::Display for ContainerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContainerError::Io { offset, source } => {
                write!(f, "I/O error at file offset {offset}: {source}")
            }
            ContainerError::Header { offset, message } => {
                write!(f, "container header (file offset {offset}): {message}")
            }
            ContainerError::Block {
                block,
                offset,
                message,
            } => write!(f, "block {block} (file offset {offset}): {message}"),
            ContainerError::Codec {
                block,
                offset,
                source,
            } => write!(f, "block {block} (file offset {offset}): {source}"),
            ContainerError::Value {
                block,
                offset,
                object,
                source,
            } => write!(
                f,
                "block {block} (file offset {offset}), object {object}: {source}"
            ),
            ContainerError::Schema(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for ContainerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ContainerError::Io { source, .. } => Some(source),
            ContainerError::Codec { source, .. } => Some(source),
            ContainerError::Value { source, .. } => Some(source),
            ContainerError::Header { .. }
            | ContainerError::Block { .. }
            | ContainerError::Schema(_) => None,
        }
    }
}

impl fmt::Display for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "codec {}, schema {}", self.codec.name(), self.schema)
    }
}

/// Reads every value of a container file (a convenience over
/// [`ContainerReader`] with the default [`Limits`]). The file's schema must
/// be `T`'s, or one `T`'s schema can read by resolution.
pub fn read_all<T: Decode + AvroSchema>(file: &[u8]) -> Result<(Header, Vec<T>), ContainerError> {
    read_all_with_limits(file, &Limits::DEFAULT)
}

/// [`read_all`] within `limits`.
pub fn read_all_with_limits<T: Decode + AvroSchema>(
    file: &[u8],
    limits: &Limits,
) -> Result<(Header, Vec<T>), ContainerError> {
    let reader = ContainerReader::with_limits(file, limits)?;
    let header = reader.header().clone();
    let values = reader.values::<T>()?.collect::<Result<Vec<T>, _>>()?;
    Ok((header, values))
}

/// Writes `values` as a container file (blocks of about
/// [`ContainerWriter::DEFAULT_BLOCK_BYTES`]).
pub fn write_all<T: Encode + AvroSchema>(
    values: &[T],
    codec: Codec,
    sync: [u8; 16],
) -> Result<Vec<u8>, EncodeError> {
    let mut w = ContainerWriter::new(Vec::new(), T::schema(), codec, sync)?;
    for v in values {
        w.append(v)?;
    }
    w.finish()
}
