//! Container files block by block, datums left as bytes: for tools that do
//! not have a generated type for the file's schema.

use std::borrow::Cow;

use crate::container::{read_header, Codec, Header, MAGIC, MAX_BLOCK_BYTES};
use crate::encode::{write_bytes, write_long, write_str};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::Reader;

/// Uncompressed bytes at which [`ContainerWriter`] ends a block (64 KiB, as
/// Avro Java's default sync interval).
pub const DEFAULT_BLOCK_BYTES: usize = 64 << 10;

#[cold]
fn bad(msg: String) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Container(msg))
}

/// One data block: its datum count and its decompressed datums.
#[derive(Debug, Clone)]
pub struct RawBlock<'a> {
    /// Position of the block in the file, from 0.
    pub index: usize,
    /// How many datums the block says it holds.
    pub count: usize,
    /// The datums, concatenated (decompressed).
    pub data: Cow<'a, [u8]>,
}

/// The blocks of a container file, in order; see [`read_container`].
#[derive(Debug, Clone)]
pub struct Blocks<'a> {
    r: Reader<'a>,
    codec: Codec,
    sync: [u8; 16],
    index: usize,
    failed: bool,
}

/// Reads a container file's header; the blocks follow lazily, each checked
/// for its sync marker and decompressed (at most [`MAX_BLOCK_BYTES`]).
pub fn read_container(file: &[u8]) -> Result<(Header, Blocks<'_>), DecodeError> {
    let mut r = Reader::new(file);
    let header = read_header(&mut r)?;
    let blocks = Blocks {
        r,
        codec: header.codec,
        sync: header.sync,
        index: 0,
        failed: false,
    };
    Ok((header, blocks))
}

impl<'a> Blocks<'a> {
    fn block(&mut self) -> Result<RawBlock<'a>, DecodeError> {
        let index = self.index;
        let at = |e: DecodeError| bad(format!("block {index}: {e}"));
        let count = self.r.read_block_count(0).map_err(at)?;
        let size = self.r.read_len().map_err(at)?;
        let raw = self.r.take(size).map_err(at)?;
        let data = match self.codec {
            Codec::Null => Cow::Borrowed(raw),
            Codec::Deflate => Cow::Owned(
                miniz_oxide::inflate::decompress_to_vec_with_limit(raw, MAX_BLOCK_BYTES).map_err(
                    |e| {
                        bad(format!(
                            "block {index}: deflate data is corrupt or too large: {e:?}"
                        ))
                    },
                )?,
            ),
        };
        if self.r.read_fixed::<16>().map_err(at)? != self.sync {
            return Err(bad(format!(
                "block {index}: sync marker does not match the header's"
            )));
        }
        self.index += 1;
        Ok(RawBlock { index, count, data })
    }
}

impl<'a> Iterator for Blocks<'a> {
    type Item = Result<RawBlock<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.r.remaining() == 0 {
            return None;
        }
        let b = self.block();
        self.failed = b.is_err();
        Some(b)
    }
}

/// Writes a container file from encoded datums, ending a block every
/// `block_bytes` uncompressed bytes.
#[derive(Debug)]
pub struct ContainerWriter {
    out: Vec<u8>,
    codec: Codec,
    sync: [u8; 16],
    block: Vec<u8>,
    count: usize,
    block_bytes: usize,
}

impl ContainerWriter {
    /// Starts a file with `schema` (the JSON written as `avro.schema`), the
    /// codec, the sync marker and extra metadata (keys starting `avro.` are
    /// reserved by the specification; `avro.schema` and `avro.codec` are
    /// always written from the arguments).
    pub fn new(schema: &str, codec: Codec, sync: [u8; 16], metadata: &[(String, Vec<u8>)]) -> Self {
        let mut out = Vec::new();
        out.extend_from_slice(&MAGIC);
        let extra: Vec<_> = metadata
            .iter()
            .filter(|(k, _)| k != "avro.schema" && k != "avro.codec")
            .collect();
        write_long(&mut out, 2 + extra.len() as i64);
        write_str(&mut out, "avro.codec");
        write_str(&mut out, codec.name());
        write_str(&mut out, "avro.schema");
        write_str(&mut out, schema);
        for (k, v) in extra {
            write_str(&mut out, k);
            write_bytes(&mut out, v);
        }
        write_long(&mut out, 0);
        out.extend_from_slice(&sync);
        ContainerWriter {
            out,
            codec,
            sync,
            block: Vec::new(),
            count: 0,
            block_bytes: DEFAULT_BLOCK_BYTES,
        }
    }

    /// Uncompressed bytes at which a block ends (at least one datum per block).
    pub fn block_bytes(mut self, n: usize) -> Self {
        self.block_bytes = n.max(1);
        self
    }

    /// Appends one encoded datum.
    pub fn push(&mut self, datum: &[u8]) {
        self.block.extend_from_slice(datum);
        self.count += 1;
        if self.block.len() >= self.block_bytes {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.count == 0 {
            return;
        }
        let body = match self.codec {
            Codec::Null => std::mem::take(&mut self.block),
            Codec::Deflate => {
                let b = miniz_oxide::deflate::compress_to_vec(&self.block, 6);
                self.block.clear();
                b
            }
        };
        write_long(&mut self.out, self.count as i64);
        write_bytes(&mut self.out, &body);
        self.out.extend_from_slice(&self.sync);
        self.count = 0;
    }

    /// Ends the last block and returns the file.
    pub fn finish(mut self) -> Vec<u8> {
        self.flush();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_round_trip_with_both_codecs() {
        for codec in [Codec::Null, Codec::Deflate] {
            let mut w = ContainerWriter::new(
                "\"long\"",
                codec,
                [7; 16],
                &[("user.k".into(), b"v".to_vec())],
            )
            .block_bytes(3);
            for v in [1u8, 2, 3, 4, 5] {
                w.push(&[v * 2]);
            }
            let file = w.finish();
            let (header, blocks) = read_container(&file).unwrap();
            assert_eq!(header.schema, "\"long\"");
            assert_eq!(header.metadata["user.k"], b"v");
            let blocks: Vec<_> = blocks.collect::<Result<_, _>>().unwrap();
            assert_eq!(blocks.len(), 2, "{codec:?}");
            let data: Vec<u8> = blocks.iter().flat_map(|b| b.data.iter().copied()).collect();
            assert_eq!(data, [2, 4, 6, 8, 10]);
            assert_eq!(blocks.iter().map(|b| b.count).sum::<usize>(), 5);
        }
    }

    #[test]
    fn a_wrong_sync_marker_is_reported_with_its_block() {
        let mut w = ContainerWriter::new("\"long\"", Codec::Null, [7; 16], &[]);
        w.push(&[2]);
        let mut file = w.finish();
        let n = file.len();
        file[n - 1] ^= 1;
        let (_, mut blocks) = read_container(&file).unwrap();
        let e = blocks.next().unwrap().unwrap_err();
        assert!(e.to_string().contains("block 0: sync marker"), "{e}");
        assert!(blocks.next().is_none());
    }
}
