//! `cargo avro getschema`: the writer schema in a container file's header.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::cli::Format;
use crate::data::open_container;
use crate::input::read_input;
use crate::output::{emit, Status};

#[derive(Debug, clap::Args)]
#[command(
    about = "Print the schema stored in a container file",
    after_help = "Examples:
  cargo avro getschema users.avro > user.avsc
  cargo avro getschema users.avro --pretty"
)]
pub struct Args {
    /// The container file (`-` for stdin).
    pub input: PathBuf,

    /// Indent the schema (default: exactly as stored).
    #[arg(long)]
    pub pretty: bool,
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let bytes = read_input(&args.input)?;
    let c = open_container(&args.input, &bytes)?;
    let parsed: Value = serde_json::from_str(&c.header.schema)
        .with_context(|| format!("{}: the header's schema is not JSON", args.input.display()))?;
    emit(
        format,
        || json!({"file": args.input.display().to_string(), "schema": parsed}),
        || {
            if args.pretty {
                say!(
                    "{}",
                    serde_json::to_string_pretty(&parsed).unwrap_or_default()
                );
            } else {
                say!("{}", c.header.schema);
            }
        },
    );
    Ok(Status::Ok)
}
