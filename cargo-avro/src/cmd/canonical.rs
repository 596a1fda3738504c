//! `cargo avro canonical`: a schema's Parsing Canonical Form.

use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;

use crate::cli::Format;
use crate::input::{load_schema, SchemaArgs};
use crate::output::{emit, Status};

#[derive(Debug, clap::Args)]
#[command(
    about = "Print a schema's Parsing Canonical Form",
    after_help = "Examples:
  cargo avro canonical schemas/user.avsc
  cargo avro canonical api.avpr --name com.acme.Order
  cargo avro canonical order.avsc -I schemas/common/     # order.avsc refers to types defined there"
)]
pub struct Args {
    /// The schema file (.avsc, or .avpr with --name).
    pub schema: PathBuf,

    #[command(flatten)]
    pub schema_args: SchemaArgs,
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let (set, schema) = load_schema(&args.schema, &args.schema_args)?;
    let canonical = set.canonical_form(&schema);
    emit(
        format,
        || json!({"file": args.schema.display().to_string(), "canonical": canonical}),
        || say!("{canonical}"),
    );
    Ok(Status::Ok)
}
