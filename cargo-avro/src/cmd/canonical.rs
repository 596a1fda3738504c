//! `cargo avro canonical`: a schema's Parsing Canonical Form.

use anyhow::Result;
use serde_json::json;

use crate::cli::Format;
use crate::output::{emit, Status};
use crate::registry_args::FileOrId;

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
    #[command(flatten)]
    pub source: FileOrId,
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let (key, label, parsed) = args.source.load()?;
    let canonical = parsed.canonical_form();
    emit(
        format,
        || json!({key: label, "canonical": canonical}),
        || say!("{canonical}"),
    );
    Ok(Status::Ok)
}
