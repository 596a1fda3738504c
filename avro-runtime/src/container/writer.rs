//! [`ContainerWriter`]: values appended into blocks of about a set size,
//! each compressed with the file's codec and written to any `io::Write`.

use std::io::Write;

use super::{compress, Codec, MAGIC};
use crate::encode::{write_long, write_str};
use crate::{Encode, EncodeError};

/// Writes a container file block by block.
pub struct ContainerWriter<W: Write> {
    out: W,
    codec: Codec,
    sync: [u8; 16],
    block: Vec<u8>,
    count: u64,
    block_bytes: usize,
}

fn io(e: std::io::Error) -> EncodeError {
    EncodeError::Io(e.to_string())
}

impl<W: Write> ContainerWriter<W> {
    /// Uncompressed bytes gathered before a block is written.
    pub const DEFAULT_BLOCK_BYTES: usize = 64 << 10;

    /// Writes the header (schema, codec, sync marker) to `out`.
    pub fn new(
        mut out: W,
        schema: &str,
        codec: Codec,
        sync: [u8; 16],
    ) -> Result<Self, EncodeError> {
        if !codec.is_supported() {
            return Err(EncodeError::Io(format!(
                "codec {} is not supported by this build (enable the avro-runtime feature of that name)",
                codec.name()
            )));
        }
        let mut head = Vec::new();
        head.extend_from_slice(&MAGIC);
        write_long(&mut head, 2);
        write_str(&mut head, "avro.codec");
        write_str(&mut head, codec.name());
        write_str(&mut head, "avro.schema");
        write_str(&mut head, schema);
        write_long(&mut head, 0);
        head.extend_from_slice(&sync);
        out.write_all(&head).map_err(io)?;
        Ok(ContainerWriter {
            out,
            codec,
            sync,
            block: Vec::new(),
            count: 0,
            block_bytes: Self::DEFAULT_BLOCK_BYTES,
        })
    }

    /// Sets the uncompressed size at which a block is written.
    pub fn block_bytes(mut self, bytes: usize) -> Self {
        self.block_bytes = bytes.max(1);
        self
    }

    /// Appends one value, writing the block once it is large enough.
    pub fn append<T: Encode + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        value.encode(&mut self.block)?;
        self.count += 1;
        if self.block.len() >= self.block_bytes {
            self.flush_block()?;
        }
        Ok(())
    }

    /// Writes the values gathered so far as one block.
    pub fn flush_block(&mut self) -> Result<(), EncodeError> {
        if self.count == 0 {
            return Ok(());
        }
        let body = compress(self.codec, &self.block).map_err(io)?;
        let mut head = Vec::with_capacity(20);
        write_long(&mut head, self.count as i64);
        write_long(&mut head, body.len() as i64);
        self.out.write_all(&head).map_err(io)?;
        self.out.write_all(&body).map_err(io)?;
        self.out.write_all(&self.sync).map_err(io)?;
        self.block.clear();
        self.count = 0;
        Ok(())
    }

    /// Writes the last block and gives the output back.
    pub fn finish(mut self) -> Result<W, EncodeError> {
        self.flush_block()?;
        self.out.flush().map_err(io)?;
        Ok(self.out)
    }
}
