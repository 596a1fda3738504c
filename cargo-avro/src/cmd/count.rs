//! `cargo avro count`: how many datums a container file holds.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::json;

use crate::cli::Format;
use crate::data::open_container;
use crate::input::read_input;
use crate::output::{emit, Status};

#[derive(Debug, clap::Args)]
#[command(
    about = "Count the datums of a container file (block counts; sync markers checked)",
    after_help = "Examples:
  cargo avro count users.avro"
)]
pub struct Args {
    /// The container file (`-` for stdin).
    pub input: PathBuf,
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let bytes = read_input(&args.input)?;
    let c = open_container(&args.input, &bytes)?;
    let (mut count, mut blocks) = (0u64, 0u64);
    for b in c.reader.blocks() {
        let b = b.with_context(|| args.input.display().to_string())?;
        count += b.count;
        blocks += 1;
    }
    emit(
        format,
        || json!({"file": args.input.display().to_string(), "count": count, "blocks": blocks}),
        || say!("{count}"),
    );
    Ok(Status::Ok)
}
