//! `cargo avro tojson`: Avro data (a container file, a single-object or
//! Confluent-framed message, or raw datums) → JSON lines in the Avro JSON
//! encoding, optionally read through another (reader) schema.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use avro_runtime::container::MAGIC;
use avro_runtime::framing::{split_confluent, split_single_object, SINGLE_OBJECT_MAGIC};
use avro_runtime::generic::datum_to_json;
use avro_runtime::resolve::{resolve, Plan};
use avro_runtime::schema::{Schema, SchemaSet};
use avro_runtime::Reader;

use crate::cli::Format;
use crate::data::{open_container, Lines};
use crate::input::{load_schema, read_input, SchemaArgs};
use crate::output::Status;
use crate::registry_args::{explain, RegistryArgs};

/// How the input's datums are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Framing {
    /// A container file if it starts with `Obj\x01`, a single-object message
    /// if it starts with `C3 01`; anything else needs --framing.
    Auto,
    /// An object container file (the writer schema is in its header).
    Container,
    /// One single-object message: `C3 01`, the schema's CRC-64-AVRO, the datum.
    SingleObject,
    /// One Confluent message: `00`, a 4-byte schema id, the datum (the
    /// writer schema from --schema, else the registry by that id).
    Confluent,
    /// Datums back to back with no framing, up to the end of the input.
    Raw,
}

#[derive(Debug, clap::Args)]
#[command(
    about = "Print Avro data as JSON lines (Avro JSON encoding)",
    long_about = "Print Avro data as JSON, one datum per line, in the Avro specification's JSON \
encoding (unions as {\"branch\": value}, bytes as one char per byte). The input is a container file \
(its header has the writer schema), or, with --schema giving the writer schema, a single-object \
message, a Confluent-framed message (or its writer schema fetched from the registry by the \
message's schema id) or raw datums. With --reader-schema the data is read as that \
schema through schema resolution (fields added with defaults, dropped, promoted, renamed by alias).",
    after_help = "Examples:
  cargo avro tojson users.avro
  cargo avro tojson users.avro --reader-schema v2/user.avsc --pretty
  cargo avro tojson message.bin --framing confluent --schema user.avsc
  cargo avro tojson message.bin --framing confluent --registry http://localhost:8081
  cat datums.bin | cargo avro tojson - --framing raw --schema user.avsc"
)]
pub struct Args {
    /// The data file (`-` for stdin).
    pub input: PathBuf,

    /// The writer schema, for input that does not carry it (not containers).
    #[arg(long, short = 's', value_name = "FILE")]
    pub schema: Option<PathBuf>,

    /// Read the data as this schema (schema resolution).
    #[arg(long, short = 'r', value_name = "FILE")]
    pub reader_schema: Option<PathBuf>,

    #[arg(long, value_enum, default_value_t = Framing::Auto)]
    pub framing: Framing,

    /// Stop after this many datums. Raw input of a schema whose datums take
    /// no bytes (`null`) needs it; raw input with fewer datums is an error.
    #[arg(long, short = 'n', value_name = "N")]
    pub count: Option<u64>,

    /// Indented JSON instead of one line per datum.
    #[arg(long)]
    pub pretty: bool,

    #[command(flatten)]
    pub schema_args: SchemaArgs,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Turns datums of the writer schema into JSON values, resolving them
/// into the reader schema first when there is one.
struct Printer {
    writer: (SchemaSet, Schema),
    reader: Option<((SchemaSet, Schema), Plan)>,
    pretty: bool,
    lines: Lines,
    buf: Vec<u8>,
    /// Datums printed so far, and the most to print.
    printed: u64,
    limit: u64,
}

impl Printer {
    fn new(writer: (SchemaSet, Schema), args: &Args) -> Result<Self> {
        let reader = match &args.reader_schema {
            None => None,
            Some(path) => {
                let r = load_schema(path, &args.schema_args)?;
                let plan = resolve(&writer.0, &writer.1, &r.0, &r.1).map_err(|errs| {
                    anyhow!(
                        "{} cannot read data written with the writer schema:\n{}",
                        path.display(),
                        errs.iter()
                            .map(|e| format!("  {e}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    )
                })?;
                Some((r, plan))
            }
        };
        Ok(Printer {
            writer,
            reader,
            pretty: args.pretty,
            lines: Lines::new(),
            buf: Vec::new(),
            printed: 0,
            limit: args.count.unwrap_or(u64::MAX),
        })
    }

    /// Whether no more datums are wanted (the limit, or a closed pipe).
    fn done(&self) -> bool {
        self.printed >= self.limit || self.lines.closed()
    }

    /// Reads one datum from `r` and prints it.
    fn datum(&mut self, r: &mut Reader<'_>) -> Result<()> {
        let value = match &self.reader {
            None => datum_to_json(&self.writer.0, &self.writer.1, r)?,
            Some(((rset, rschema), plan)) => {
                self.buf.clear();
                plan.transcode(r, &mut self.buf)?;
                let mut rr = Reader::new(&self.buf);
                let v = datum_to_json(rset, rschema, &mut rr)?;
                rr.finish()?;
                v
            }
        };
        self.printed += 1;
        let text = if self.pretty {
            serde_json::to_string_pretty(&value)?
        } else {
            value.to_string()
        };
        self.lines.line(&text)
    }
}

pub fn run(args: &Args, _format: Format) -> Result<Status> {
    let bytes = read_input(&args.input)?;
    let name = args.input.display().to_string();
    let framing = match args.framing {
        Framing::Auto if bytes.starts_with(&MAGIC) => Framing::Container,
        Framing::Auto if bytes.starts_with(&SINGLE_OBJECT_MAGIC) => Framing::SingleObject,
        Framing::Auto => bail!(
            "{name}: not a container file (no Obj\\x01) nor a single-object message (no C3 01): \
             give --framing confluent (the writer schema from --schema or the registry) or \
             --framing raw with --schema"
        ),
        f => f,
    };
    if framing == Framing::Container {
        if args.schema.is_some() {
            bail!("{name}: a container file carries its writer schema; to read it as another schema use --reader-schema");
        }
        let c = open_container(&args.input, &bytes)?;
        let mut p = Printer::new((c.set, c.schema), args)?;
        for block in c.reader.blocks() {
            let block = block.with_context(|| name.clone())?;
            let mut r = Reader::new(&block.data);
            for i in 0..block.count {
                if p.done() {
                    p.lines.finish()?;
                    return Ok(Status::Ok);
                }
                p.datum(&mut r)
                    .with_context(|| format!("{name}: block {} datum {i}", block.index))?;
            }
            r.finish().with_context(|| {
                format!(
                    "{name}: block {} has bytes after its {} datums",
                    block.index, block.count
                )
            })?;
        }
        p.lines.finish()?;
        return Ok(Status::Ok);
    }
    if framing == Framing::Confluent && args.schema.is_none() {
        // The writer schema is the registry's, by the message's id.
        let (id, body) = split_confluent(&bytes).with_context(|| name.clone())?;
        let reg = args.registry.connect().with_context(|| {
            format!("{name}: a Confluent message's writer schema comes from --schema FILE or the registry")
        })?;
        let s = reg.client.schema_by_id(id).map_err(explain)?;
        let parsed = reg.parse(&s, &format!("schema id {id}"))?;
        let mut p = Printer::new((parsed.set, parsed.root), args)?;
        confluent_body(&mut p, body, &name)?;
        p.lines.finish()?;
        return Ok(Status::Ok);
    }
    let schema_path = args.schema.as_ref().ok_or_else(|| {
        anyhow!("{name}: this input does not carry its schema: give the writer schema with --schema FILE")
    })?;
    let writer = load_schema(schema_path, &args.schema_args)?;
    let mut p = Printer::new(writer, args)?;
    match framing {
        Framing::SingleObject => {
            let (fp, body) = split_single_object(&bytes).with_context(|| name.clone())?;
            let expected = p.writer.0.fingerprint(&p.writer.1);
            if fp != expected {
                bail!(
                    "{name}: the message was written with the schema of fingerprint {fp:016x}, not {} ({expected:016x})",
                    schema_path.display()
                );
            }
            whole(&mut p, body, &name)?;
        }
        Framing::Confluent => {
            let (_id, body) = split_confluent(&bytes).with_context(|| name.clone())?;
            confluent_body(&mut p, body, &name)?;
        }
        _ => {
            let mut r = Reader::new(&bytes);
            let mut i = 0usize;
            let counted = args.count.is_some();
            while !p.done() && (counted || r.remaining() > 0) {
                let at = r.position();
                p.datum(&mut r)
                    .with_context(|| format!("{name}: datum {i} (at byte {at})"))?;
                if r.position() == at && !counted {
                    bail!(
                        "{name}: datums of this schema take no bytes, yet {} byte(s) follow",
                        r.remaining()
                    );
                }
                i += 1;
            }
        }
    }
    p.lines.finish()?;
    Ok(Status::Ok)
}

/// A Confluent message's body: one datum, except that Confluent's
/// serializers write a top-level `bytes` value raw, without the Avro length
/// prefix.
fn confluent_body(p: &mut Printer, body: &[u8], name: &str) -> Result<()> {
    if is_bytes(&p.writer.1) {
        p.lines.line(&avro_runtime::json::latin1(body).to_string())
    } else {
        whole(p, body, name)
    }
}

fn whole(p: &mut Printer, body: &[u8], name: &str) -> Result<()> {
    let mut r = Reader::new(body);
    p.datum(&mut r).with_context(|| name.to_owned())?;
    r.finish().with_context(|| name.to_owned())?;
    Ok(())
}

fn is_bytes(s: &Schema) -> bool {
    matches!(
        s,
        Schema::Primitive {
            ty: avro_runtime::schema::Primitive::Bytes,
            ..
        }
    )
}
