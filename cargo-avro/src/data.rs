//! What the data commands share: opening container files, writing JSON
//! lines to stdout (a closed pipe ends output quietly), container writers
//! with a fresh sync marker, codec names.

use std::io::{BufWriter, ErrorKind, Write};
use std::path::Path;

use anyhow::{Context, Result};
use avro_runtime::container::{Codec, ContainerReader, ContainerWriter, Header};
use avro_runtime::generic::RawDatum;
use avro_runtime::schema::{Schema, SchemaSet};
use md5::{Digest, Md5};

/// A container file's header, writer schema and blocks.
pub struct Container<'a> {
    pub header: Header,
    pub set: SchemaSet,
    pub schema: Schema,
    /// Gives the blocks, decompressed, each checked for its sync marker.
    pub reader: ContainerReader<&'a [u8]>,
}

/// Parses the header of the container file `bytes` read from `path`.
pub fn open_container<'a>(path: &Path, bytes: &'a [u8]) -> Result<Container<'a>> {
    let reader = ContainerReader::new(bytes)
        .with_context(|| format!("{}: not a readable container file", path.display()))?;
    let header = reader.header().clone();
    let (set, schema) = SchemaSet::parse_str(&header.schema).with_context(|| {
        format!(
            "{}: the schema in the file's header is invalid",
            path.display()
        )
    })?;
    Ok(Container {
        header,
        set,
        schema,
        reader,
    })
}

/// Block compression, as named on the command line and in `avro.codec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CodecArg {
    Null,
    Deflate,
}

impl From<CodecArg> for Codec {
    fn from(c: CodecArg) -> Codec {
        match c {
            CodecArg::Null => Codec::Null,
            CodecArg::Deflate => Codec::Deflate,
        }
    }
}

/// Encoded datums gathered into a container file in memory.
pub struct DatumWriter(ContainerWriter<Vec<u8>>);

impl DatumWriter {
    pub fn push(&mut self, datum: &[u8]) -> Result<()> {
        Ok(self.0.append(&RawDatum(datum))?)
    }

    pub fn finish(self) -> Result<Vec<u8>> {
        Ok(self.0.finish()?)
    }
}

/// A container writer with a sync marker unique to this run and output.
pub fn container_writer(schema_json: &str, codec: CodecArg, out: &Path) -> Result<DatumWriter> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut h = Md5::new();
    h.update(nanos.to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(out.display().to_string().as_bytes());
    h.update(schema_json.as_bytes());
    let sync: [u8; 16] = h.finalize().into();
    Ok(DatumWriter(ContainerWriter::new(
        Vec::new(),
        schema_json,
        codec.into(),
        sync,
    )?))
}

/// Lines of output on stdout; a reader that went away (`| head`) stops the
/// command without an error.
pub struct Lines {
    out: BufWriter<std::io::StdoutLock<'static>>,
    closed: bool,
}

impl Lines {
    pub fn new() -> Self {
        Lines {
            out: BufWriter::new(std::io::stdout().lock()),
            closed: false,
        }
    }

    /// Whether the reader went away (further lines are dropped).
    pub fn closed(&self) -> bool {
        self.closed
    }

    pub fn line(&mut self, text: &str) -> Result<()> {
        if self.closed {
            return Ok(());
        }
        match writeln!(self.out, "{text}") {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            r => r.context("cannot write stdout"),
        }
    }

    pub fn finish(mut self) -> Result<()> {
        match self.out.flush() {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
            r => r.context("cannot write stdout"),
        }
    }
}
