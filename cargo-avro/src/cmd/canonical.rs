//! `cargo avro canonical`: a schema's Parsing Canonical Form.

use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;

use crate::cli::Format;
use crate::input::SchemaArgs;
use crate::output::{emit, Status};
use crate::registry_args::{file_or_id, RegistryArgs};

#[derive(Debug, clap::Args)]
#[command(
    about = "Print a schema's Parsing Canonical Form",
    after_help = "Examples:
  cargo avro canonical schemas/user.avsc
  cargo avro canonical api.avpr --name com.acme.Order
  cargo avro canonical order.avsc -I schemas/common/     # order.avsc refers to types defined there
  cargo avro canonical --id 7 --registry http://localhost:8081"
)]
pub struct Args {
    /// The schema file (.avsc, .avdl with a main schema, or .avpr/.avdl with --name).
    #[arg(required_unless_present = "id", conflicts_with = "id")]
    pub schema: Option<PathBuf>,

    /// A schema id in the registry instead of a file.
    #[arg(long, value_name = "ID")]
    pub id: Option<u32>,

    #[command(flatten)]
    pub schema_args: SchemaArgs,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let (key, label, parsed) = file_or_id(
        args.schema.as_deref(),
        args.id,
        &args.schema_args,
        &args.registry,
    )?;
    let canonical = parsed.canonical_form();
    emit(
        format,
        || json!({key: label, "canonical": canonical}),
        || say!("{canonical}"),
    );
    Ok(Status::Ok)
}
