//! [`ContainerReader`]: a container file streamed from any `io::Read`, one
//! block in memory at a time, as blocks ([`Block`]) or typed values
//! ([`Values`]).

use std::collections::HashMap;
use std::io::{self, Read};

use super::{decompress, Codec, ContainerError, Header, MAGIC};
use crate::decode::Limits;
use crate::resolve::{resolve_for_decoding, Plan};
use crate::schema::SchemaSet;
use crate::{AvroSchema, Decode, PathSegment, Reader};

/// One block, decompressed.
#[derive(Debug, Clone)]
pub struct Block {
    /// Blocks before this one.
    pub index: u64,
    /// File offset of the block's object count.
    pub offset: u64,
    /// Objects in the block.
    pub count: u64,
    /// The block's data, decompressed.
    pub data: Vec<u8>,
}

/// Reads a container file block by block.
pub struct ContainerReader<R: Read> {
    input: R,
    offset: u64,
    header: Header,
    limits: Limits,
    next_block: u64,
    done: bool,
}

impl<R: Read> ContainerReader<R> {
    /// Reads the header, with the default [`Limits`].
    pub fn new(input: R) -> Result<Self, ContainerError> {
        Self::with_limits(input, &Limits::DEFAULT)
    }

    /// Reads the header; blocks and values obey `limits`.
    pub fn with_limits(input: R, limits: &Limits) -> Result<Self, ContainerError> {
        let mut r = ContainerReader {
            input,
            offset: 0,
            header: Header {
                metadata: HashMap::new(),
                codec: Codec::Null,
                sync: [0; 16],
                schema: String::new(),
            },
            limits: *limits,
            next_block: 0,
            done: false,
        };
        r.header = r.read_header()?;
        Ok(r)
    }

    /// The file's header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    fn header_error(&self, message: impl Into<String>) -> ContainerError {
        ContainerError::Header {
            offset: self.offset,
            message: message.into(),
        }
    }

    /// Fills `buf`; `Ok(false)` at a clean end of input before any byte.
    fn read_exact_or_end(&mut self, buf: &mut [u8]) -> Result<bool, ContainerError> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.input.read(&mut buf[filled..]) {
                Ok(0) if filled == 0 => return Ok(false),
                Ok(0) => {
                    return Err(ContainerError::Io {
                        offset: self.offset + filled as u64,
                        source: io::ErrorKind::UnexpectedEof.into(),
                    })
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(ContainerError::Io {
                        offset: self.offset + filled as u64,
                        source: e,
                    })
                }
            }
        }
        self.offset += filled as u64;
        Ok(true)
    }

    fn read_exact(&mut self, buf: &mut [u8]) -> Result<(), ContainerError> {
        if buf.is_empty() || self.read_exact_or_end(buf)? {
            Ok(())
        } else {
            Err(ContainerError::Io {
                offset: self.offset,
                source: io::ErrorKind::UnexpectedEof.into(),
            })
        }
    }

    /// A zig-zag varint; `Ok(None)` at a clean end of input.
    fn read_long(&mut self) -> Result<Option<i64>, ContainerError> {
        let start = self.offset;
        let (mut n, mut shift) = (0u64, 0u32);
        loop {
            let mut b = [0u8];
            if !self.read_exact_or_end(&mut b)? {
                if shift == 0 {
                    return Ok(None);
                }
                return Err(ContainerError::Io {
                    offset: self.offset,
                    source: io::ErrorKind::UnexpectedEof.into(),
                });
            }
            if shift == 63 && b[0] > 1 || shift > 63 {
                return Err(ContainerError::Header {
                    offset: start,
                    message: "varint is longer than 10 bytes or overflows 64 bits".into(),
                });
            }
            n |= u64::from(b[0] & 0x7f) << shift;
            if b[0] < 0x80 {
                return Ok(Some(((n >> 1) as i64) ^ -((n & 1) as i64)));
            }
            shift += 7;
        }
    }

    fn read_sized(&mut self, limit: usize, what: &str) -> Result<Vec<u8>, ContainerError> {
        let at = self.offset;
        let len = self
            .read_long()?
            .ok_or_else(|| self.header_error("truncated"))?;
        if len < 0 || len as u64 > limit as u64 {
            return Err(ContainerError::Header {
                offset: at,
                message: format!(
                    "{what} length {len} is negative or over the limit of {limit} bytes"
                ),
            });
        }
        let mut v = vec![0; len as usize];
        self.read_exact(&mut v)?;
        Ok(v)
    }

    fn read_header(&mut self) -> Result<Header, ContainerError> {
        let mut magic = [0u8; 4];
        if !self.read_exact_or_end(&mut magic)? || magic != MAGIC {
            return Err(
                self.header_error("not an Avro container file: it does not start with Obj\\x01")
            );
        }
        let mut metadata = HashMap::new();
        let limit = self.limits.max_block_bytes;
        loop {
            let at = self.offset;
            let n = self
                .read_long()?
                .ok_or_else(|| self.header_error("truncated metadata"))?;
            if n == 0 {
                break;
            }
            let n = if n < 0 {
                let _size = self.read_long()?;
                n.checked_neg().ok_or_else(|| ContainerError::Header {
                    offset: at,
                    message: format!("invalid metadata count {n}"),
                })?
            } else {
                n
            };
            for _ in 0..n {
                let k = self.read_sized(limit, "metadata key")?;
                let v = self.read_sized(limit, "metadata value")?;
                let k = String::from_utf8(k)
                    .map_err(|_| self.header_error("metadata key is not UTF-8"))?;
                metadata.insert(k, v);
            }
        }
        let mut sync = [0u8; 16];
        self.read_exact(&mut sync)?;
        let codec = match metadata.get("avro.codec").map(Vec::as_slice) {
            None => Codec::Null,
            Some(name) => {
                let name = String::from_utf8_lossy(name);
                match Codec::from_name(&name) {
                    Some(c) if c.is_supported() => c,
                    _ => {
                        return Err(self.header_error(format!(
                            "unsupported codec {name:?} (this build reads: {})",
                            Codec::supported()
                                .iter()
                                .map(|c| c.name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )))
                    }
                }
            }
        };
        let schema = metadata
            .get("avro.schema")
            .ok_or_else(|| self.header_error("header has no avro.schema"))?;
        let schema = String::from_utf8(schema.clone())
            .map_err(|_| self.header_error("avro.schema is not UTF-8"))?;
        Ok(Header {
            metadata,
            codec,
            sync,
            schema,
        })
    }

    /// The next block, decompressed; `None` at the end of the file.
    pub fn next_block(&mut self) -> Result<Option<Block>, ContainerError> {
        if self.done {
            return Ok(None);
        }
        let (index, offset) = (self.next_block, self.offset);
        let block_error = |message: String| ContainerError::Block {
            block: index,
            offset,
            message,
        };
        let Some(count) = self.read_long()? else {
            self.done = true;
            return Ok(None);
        };
        if count < 0 {
            self.done = true;
            return Err(block_error(format!("negative object count {count}")));
        }
        let size = self
            .read_long()?
            .ok_or_else(|| block_error("truncated before the block size".into()))?;
        if size < 0 || size as u64 > self.limits.max_block_bytes as u64 {
            self.done = true;
            return Err(block_error(format!(
                "block size {size} is negative or over the limit of {} bytes",
                self.limits.max_block_bytes
            )));
        }
        let codec = self.header.codec;
        if codec == Codec::Null && size as u64 > self.limits.max_decompressed_bytes as u64 {
            self.done = true;
            return Err(ContainerError::Codec {
                block: index,
                offset,
                source: super::CodecError::TooLarge(self.limits.max_decompressed_bytes),
            });
        }
        let mut raw = Vec::new();
        (&mut self.input)
            .take(size as u64)
            .read_to_end(&mut raw)
            .map_err(|source| ContainerError::Io {
                offset: self.offset,
                source,
            })?;
        self.offset += raw.len() as u64;
        if raw.len() as u64 != size as u64 {
            self.done = true;
            return Err(block_error(format!(
                "block size is {size} bytes but the file ends after {}",
                raw.len()
            )));
        }
        let data = if codec == Codec::Null {
            raw
        } else {
            let data =
                decompress(codec, &raw, self.limits.max_decompressed_bytes).map_err(|source| {
                    self.done = true;
                    ContainerError::Codec {
                        block: index,
                        offset,
                        source,
                    }
                })?;
            drop(raw);
            data
        };
        // Objects beyond one per byte of data must take no bytes: they count
        // against the zero-byte item limit.
        if count as u64 > data.len() as u64 + self.limits.max_zero_byte_items {
            self.done = true;
            return Err(block_error(format!(
                "object count {count} cannot fit in {} bytes of data",
                data.len()
            )));
        }
        let mut sync = [0u8; 16];
        self.read_exact(&mut sync)?;
        if sync != self.header.sync {
            self.done = true;
            return Err(block_error(
                "sync marker does not match the header's".into(),
            ));
        }
        self.next_block += 1;
        Ok(Some(Block {
            index,
            offset,
            count: count as u64,
            data,
        }))
    }

    /// An iterator over the blocks.
    pub fn blocks(self) -> impl Iterator<Item = Result<Block, ContainerError>> {
        let mut me = self;
        std::iter::from_fn(move || me.next_block().transpose())
    }

    /// An iterator over the values, read as `T`: directly where the file's
    /// schema is `T`'s, else through a resolution plan (an error if `T`'s
    /// schema cannot read the file's).
    pub fn values<T: Decode + AvroSchema>(self) -> Result<Values<T, R>, ContainerError> {
        let plan = plan_for::<T>(&self.header.schema)?;
        Ok(Values {
            blocks: self,
            plan,
            block: None,
            pos: 0,
            left: 0,
            object: 0,
            _t: std::marker::PhantomData,
        })
    }
}

/// `None` when the file's schema is `T`'s (same layout), else the plan.
fn plan_for<T: AvroSchema>(schema: &str) -> Result<Option<Plan>, ContainerError> {
    let bad = |m: String| ContainerError::Schema(m);
    let (set, root) = SchemaSet::parse_str(schema)
        .map_err(|e| bad(format!("the file's schema is invalid: {e}")))?;
    if set.canonical_form(&root) == T::canonical_form() {
        return Ok(None);
    }
    let (own, own_root) = SchemaSet::parse_str(T::schema())
        .map_err(|e| bad(format!("the reader's schema is invalid: {e}")))?;
    // Some writers drop an explicit empty namespace from the embedded
    // schema; the layout is the same.
    if set.unqualified_canonical_form(&root) == own.unqualified_canonical_form(&own_root) {
        return Ok(None);
    }
    resolve_for_decoding(&set, &root, &own, &own_root)
        .map(Some)
        .map_err(|e| {
            bad(format!(
                "the reader's schema cannot read the file's schema {}:\n{}",
                set.canonical_form(&root),
                e.iter()
                    .map(|i| format!("  {i}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ))
        })
}

/// The values of a container file, streamed (see [`ContainerReader::values`]).
pub struct Values<T, R: Read> {
    blocks: ContainerReader<R>,
    plan: Option<Plan>,
    block: Option<Block>,
    pos: usize,
    left: u64,
    object: u64,
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<T: Decode, R: Read> Values<T, R> {
    /// The file's header.
    pub fn header(&self) -> &Header {
        self.blocks.header()
    }

    fn next_value(&mut self) -> Result<Option<T>, ContainerError> {
        loop {
            if let Some(block) = &self.block {
                if self.left > 0 {
                    let mut r = Reader::with_limits(&block.data, &self.blocks.limits);
                    let wrap = |source| ContainerError::Value {
                        block: block.index,
                        offset: block.offset,
                        object: block.count - self.left,
                        source,
                    };
                    r.take(self.pos).map_err(wrap)?;
                    let v = match &self.plan {
                        None => T::decode(&mut r),
                        Some(p) => T::decode_resolved(&mut r, p.root()),
                    }
                    .map_err(|e| wrap(e.push(PathSegment::Root(T::AVRO_NAME))))?;
                    self.pos = r.position();
                    self.left -= 1;
                    self.object += 1;
                    return Ok(Some(v));
                }
                if self.pos != block.data.len() {
                    return Err(ContainerError::Block {
                        block: block.index,
                        offset: block.offset,
                        message: format!(
                            "{} byte(s) left after its {} object(s)",
                            block.data.len() - self.pos,
                            block.count
                        ),
                    });
                }
            }
            self.block = None;
            match self.blocks.next_block()? {
                None => return Ok(None),
                Some(b) => {
                    self.pos = 0;
                    self.left = b.count;
                    self.block = Some(b);
                }
            }
        }
    }
}

impl<T: Decode, R: Read> Iterator for Values<T, R> {
    type Item = Result<T, ContainerError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_value() {
            Ok(v) => v.map(Ok),
            Err(e) => {
                // One error ends the stream.
                self.blocks.done = true;
                self.block = None;
                Some(Err(e))
            }
        }
    }
}
