//! Block codecs of object container files: the specification's `null`,
//! `deflate`, `snappy` (with its CRC-32 trailer), `zstandard`, `bzip2` and
//! `xz`, each but the first two behind a cargo feature of the same name
//! (`snappy`, `zstandard`, `bzip2`, `xz`). Decompression stops at a limit
//! instead of allocating what a hostile block claims.

use std::fmt;
use std::io::{self, Read};

/// Block compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Codec {
    /// No compression.
    Null,
    /// Raw deflate (RFC 1951, no zlib header), as the specification says.
    Deflate,
    /// Snappy, each block followed by the big-endian CRC-32 of its
    /// uncompressed data (feature `snappy`).
    Snappy,
    /// Zstandard (feature `zstandard`).
    Zstandard,
    /// bzip2 (feature `bzip2`).
    Bzip2,
    /// xz (feature `xz`).
    Xz,
}

impl Codec {
    /// Every codec the specification names.
    pub const ALL: [Codec; 6] = [
        Codec::Null,
        Codec::Deflate,
        Codec::Snappy,
        Codec::Zstandard,
        Codec::Bzip2,
        Codec::Xz,
    ];

    /// The name in the `avro.codec` metadata.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Null => "null",
            Codec::Deflate => "deflate",
            Codec::Snappy => "snappy",
            Codec::Zstandard => "zstandard",
            Codec::Bzip2 => "bzip2",
            Codec::Xz => "xz",
        }
    }

    /// The codec of an `avro.codec` name, supported by this build or not.
    pub fn from_name(name: &str) -> Option<Codec> {
        Codec::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Whether this build reads and writes the codec (its feature is on).
    pub fn is_supported(self) -> bool {
        match self {
            Codec::Null | Codec::Deflate => true,
            Codec::Snappy => cfg!(feature = "snappy"),
            Codec::Zstandard => cfg!(feature = "zstandard"),
            Codec::Bzip2 => cfg!(feature = "bzip2"),
            Codec::Xz => cfg!(feature = "xz"),
        }
    }

    /// The codecs this build supports.
    pub fn supported() -> Vec<Codec> {
        Codec::ALL
            .into_iter()
            .filter(|c| c.is_supported())
            .collect()
    }
}

/// Why a block did not decompress. Never carries the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    /// The block decompressed beyond the limit (the number of bytes).
    TooLarge(usize),
    /// The compressed data is not valid for its codec.
    Invalid {
        /// The codec's name.
        codec: &'static str,
        /// What the decompressor said.
        reason: String,
    },
    /// A snappy block's trailing CRC-32 does not match its data.
    Checksum {
        /// The checksum stored after the block.
        found: u32,
        /// The CRC-32 of the decompressed data.
        computed: u32,
    },
    /// The codec's feature is not compiled in.
    Unsupported(&'static str),
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::TooLarge(limit) => {
                write!(f, "decompressed size exceeds the limit of {limit} bytes")
            }
            CodecError::Invalid { codec, reason } => write!(f, "{codec} data is invalid: {reason}"),
            CodecError::Checksum { found, computed } => write!(
                f,
                "snappy block checksum {found:#010x} does not match the data's CRC-32 {computed:#010x}"
            ),
            CodecError::Unsupported(codec) => write!(
                f,
                "codec {codec} is not supported by this build (enable the avro-runtime feature of that name)"
            ),
        }
    }
}

impl std::error::Error for CodecError {}

fn invalid(codec: Codec, reason: impl ToString) -> CodecError {
    CodecError::Invalid {
        codec: codec.name(),
        reason: reason.to_string(),
    }
}

/// Reads all of `r` into a vector, failing once more than `limit` bytes come.
#[allow(dead_code)]
fn read_limited(codec: Codec, r: impl Read, limit: usize) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    let mut r = r.take(limit as u64 + 1);
    r.read_to_end(&mut out).map_err(|e| invalid(codec, e))?;
    if out.len() > limit {
        return Err(CodecError::TooLarge(limit));
    }
    Ok(out)
}

/// Decompresses one block, refusing to produce more than `limit` bytes.
pub fn decompress(codec: Codec, raw: &[u8], limit: usize) -> Result<Vec<u8>, CodecError> {
    match codec {
        Codec::Null => {
            if raw.len() > limit {
                return Err(CodecError::TooLarge(limit));
            }
            Ok(raw.to_vec())
        }
        Codec::Deflate => {
            use miniz_oxide::inflate::{decompress_to_vec_with_limit, TINFLStatus};
            decompress_to_vec_with_limit(raw, limit).map_err(|e| match e.status {
                TINFLStatus::HasMoreOutput => CodecError::TooLarge(limit),
                status => invalid(codec, format!("{status:?}")),
            })
        }
        #[cfg(feature = "snappy")]
        Codec::Snappy => {
            let Some(split) = raw.len().checked_sub(4) else {
                return Err(invalid(codec, "block is shorter than its 4-byte CRC-32"));
            };
            let (data, crc) = raw.split_at(split);
            let len = snap::raw::decompress_len(data).map_err(|e| invalid(codec, e))?;
            if len > limit {
                return Err(CodecError::TooLarge(limit));
            }
            let out = snap::raw::Decoder::new()
                .decompress_vec(data)
                .map_err(|e| invalid(codec, e))?;
            let found = u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]]);
            let computed = crc32fast::hash(&out);
            if found != computed {
                return Err(CodecError::Checksum { found, computed });
            }
            Ok(out)
        }
        #[cfg(feature = "zstandard")]
        Codec::Zstandard => {
            let d = zstd::stream::read::Decoder::new(raw).map_err(|e| invalid(codec, e))?;
            read_limited(codec, d, limit)
        }
        #[cfg(feature = "bzip2")]
        Codec::Bzip2 => read_limited(codec, bzip2::read::BzDecoder::new(raw), limit),
        #[cfg(feature = "xz")]
        Codec::Xz => read_limited(codec, liblzma::read::XzDecoder::new(raw), limit),
        #[allow(unreachable_patterns)]
        other => Err(CodecError::Unsupported(other.name())),
    }
}

/// Compresses one block.
pub fn compress(codec: Codec, data: &[u8]) -> io::Result<Vec<u8>> {
    match codec {
        Codec::Null => Ok(data.to_vec()),
        Codec::Deflate => Ok(miniz_oxide::deflate::compress_to_vec(data, 6)),
        #[cfg(feature = "snappy")]
        Codec::Snappy => {
            let mut out = snap::raw::Encoder::new()
                .compress_vec(data)
                .map_err(io::Error::other)?;
            out.extend_from_slice(&crc32fast::hash(data).to_be_bytes());
            Ok(out)
        }
        #[cfg(feature = "zstandard")]
        Codec::Zstandard => zstd::stream::encode_all(data, 0),
        #[cfg(feature = "bzip2")]
        Codec::Bzip2 => {
            let mut out = Vec::new();
            bzip2::read::BzEncoder::new(data, bzip2::Compression::default())
                .read_to_end(&mut out)?;
            Ok(out)
        }
        #[cfg(feature = "xz")]
        Codec::Xz => {
            let mut out = Vec::new();
            liblzma::read::XzEncoder::new(data, 6).read_to_end(&mut out)?;
            Ok(out)
        }
        #[allow(unreachable_patterns)]
        other => Err(io::Error::other(CodecError::Unsupported(other.name()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_supported_codec_round_trips_and_enforces_the_limit() {
        let data: Vec<u8> = (0..50_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        for codec in Codec::supported() {
            let packed = compress(codec, &data).unwrap();
            assert_eq!(
                decompress(codec, &packed, data.len()).unwrap(),
                data,
                "{codec:?}"
            );
            let e = decompress(codec, &packed, data.len() - 1).unwrap_err();
            assert_eq!(e, CodecError::TooLarge(data.len() - 1), "{codec:?}");
            assert_eq!(
                e.to_string(),
                format!(
                    "decompressed size exceeds the limit of {} bytes",
                    data.len() - 1
                )
            );
        }
    }
}
