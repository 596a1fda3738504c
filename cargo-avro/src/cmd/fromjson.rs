//! `cargo avro fromjson`: JSON values in the Avro JSON encoding → a
//! container file (or raw datums).

use std::path::PathBuf;

use anyhow::{Context, Result};
use avro_runtime::generic::json_to_datum;
use serde_json::{json, Value};

use crate::cli::Format;
use crate::data::{container_writer, CodecArg};
use crate::input::{load_schema, read_input, write_output, SchemaArgs};
use crate::output::{emit, Status};

#[derive(Debug, clap::Args)]
#[command(
    about = "Write JSON values (Avro JSON encoding) as an Avro container file",
    long_about = "Read JSON values in the Avro JSON encoding (one per line, or any whitespace between \
them) and write them, encoded with the schema, as an object container file, or with --raw as \
datums back to back. A record field missing from the JSON takes its default. The output file is \
written atomically.",
    after_help = "Examples:
  cargo avro fromjson users.jsonl --schema user.avsc -o users.avro
  cargo avro fromjson users.jsonl --schema user.avsc -o users.avro --codec deflate
  cargo avro tojson old.avro | cargo avro fromjson - --schema user.avsc -o copy.avro"
)]
pub struct Args {
    /// The JSON file (`-` for stdin).
    pub input: PathBuf,

    /// The schema of the values.
    #[arg(long, short = 's', value_name = "FILE")]
    pub schema: PathBuf,

    /// Output file (`-` for stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,

    #[arg(long, value_enum, default_value_t = CodecArg::Null)]
    pub codec: CodecArg,

    /// Write the datums back to back, with no container around them.
    #[arg(long)]
    pub raw: bool,

    #[command(flatten)]
    pub schema_args: SchemaArgs,
}

fn line_of(text: &[u8], offset: usize) -> usize {
    text[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let (set, schema) = load_schema(&args.schema, &args.schema_args)?;
    let text = read_input(&args.input)?;
    let name = args.input.display().to_string();
    let schema_json = set.to_json(&schema).to_string();
    let mut writer = container_writer(&schema_json, args.codec, &args.output)?;
    let mut raw = Vec::new();
    let mut datum = Vec::new();
    let mut stream = serde_json::Deserializer::from_slice(&text).into_iter::<Value>();
    let mut count = 0usize;
    loop {
        let start = stream.byte_offset();
        let Some(value) = stream.next() else { break };
        let value = value.with_context(|| format!("{name}: value {count}: invalid JSON"))?;
        let line = line_of(&text, start + leading_ws(&text[start..]));
        datum.clear();
        json_to_datum(&set, &schema, &value, &mut datum)
            .with_context(|| format!("{name}:{line}: value {count} does not fit the schema"))?;
        if args.raw {
            raw.extend_from_slice(&datum);
        } else {
            writer.push(&datum)?;
        }
        count += 1;
    }
    let bytes = if args.raw { raw } else { writer.finish()? };
    write_output(&args.output, &bytes)?;
    if args.output != std::path::Path::new("-") {
        emit(
            format,
            || json!({"output": args.output.display().to_string(), "datums": count, "bytes": bytes.len()}),
            || {
                say!(
                    "wrote {count} datum(s) to {} ({} bytes)",
                    args.output.display(),
                    bytes.len()
                )
            },
        );
    }
    Ok(Status::Ok)
}

fn leading_ws(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_whitespace()).count()
}
