//! `cargo avro random`: random valid data for a schema.

use std::path::PathBuf;

use anyhow::{anyhow, Result};
use avro_runtime::generic::{datum_to_json, random_datum, Rng};
use avro_runtime::Reader;
use serde_json::json;

use crate::cli::Format;
use crate::data::{container_writer, CodecArg, Lines};
use crate::input::{load_schema, write_output, SchemaArgs};
use crate::output::{emit, Status};

#[derive(Debug, clap::Args)]
#[command(
    about = "Generate random valid data for a schema (container file or JSON lines)",
    long_about = "Generate random valid data for a schema: edge values of numbers, strings with \
multi-byte characters, every union branch and enum symbol. With -o, a container file; without, \
JSON lines on stdout. The same --seed gives the same data.",
    after_help = "Examples:
  cargo avro random user.avsc -n 1000 -o users.avro
  cargo avro random user.avsc -n 3 --seed 7"
)]
pub struct Args {
    /// The schema file.
    pub schema: PathBuf,

    /// How many datums.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub count: u64,

    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Output container file (`-` for stdout); JSON lines on stdout without it.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[arg(long, value_enum, default_value_t = CodecArg::Null)]
    pub codec: CodecArg,

    #[command(flatten)]
    pub schema_args: SchemaArgs,
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let (set, schema) = load_schema(&args.schema, &args.schema_args)?;
    let mut rng = Rng::new(args.seed);
    let mut datum = Vec::new();
    let mut next = |datum: &mut Vec<u8>| -> Result<()> {
        datum.clear();
        random_datum(&set, &schema, &mut rng, datum)
            .map_err(|e| anyhow!("{}: {e}", args.schema.display()))
    };
    match &args.output {
        None => {
            let mut lines = Lines::new();
            for _ in 0..args.count {
                next(&mut datum)?;
                let v = datum_to_json(&set, &schema, &mut Reader::new(&datum))?;
                lines.line(&v.to_string())?;
                if lines.closed() {
                    break;
                }
            }
            lines.finish()?;
        }
        Some(out) => {
            let mut w = container_writer(&set.to_json(&schema).to_string(), args.codec, out)?;
            for _ in 0..args.count {
                next(&mut datum)?;
                w.push(&datum)?;
            }
            let bytes = w.finish()?;
            write_output(out, &bytes)?;
            if out != std::path::Path::new("-") {
                emit(
                    format,
                    || json!({"output": out.display().to_string(), "datums": args.count, "bytes": bytes.len()}),
                    || say!("wrote {} random datum(s) to {}", args.count, out.display()),
                );
            }
        }
    }
    Ok(Status::Ok)
}
