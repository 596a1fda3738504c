//! `cargo avro versions`: a subject's versions (`GET /subjects/{s}/versions`).

use anyhow::Result;
use serde_json::json;

use crate::cli::Format;
use crate::output::{emit, Status};
use crate::registry_args::{explain, RegistryArgs};

#[derive(Debug, clap::Args)]
#[command(
    about = "List the versions of a registry subject",
    after_help = "Examples:
  cargo avro versions orders-value --registry http://localhost:8081
  cargo avro versions orders-value --format json"
)]
pub struct Args {
    /// The subject, e.g. `orders-value`.
    pub subject: String,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let reg = args.registry.connect()?;
    let versions = reg.client.versions(&args.subject).map_err(explain)?;
    emit(
        format,
        || json!(versions),
        || {
            if versions.is_empty() {
                crate::output::warn(&format!(
                    "subject {:?} has no versions in the registry at {} (list the subjects with \
                     `cargo avro subjects`)",
                    args.subject, reg.url
                ));
            }
            for v in &versions {
                say!("{v}");
            }
        },
    );
    Ok(Status::Ok)
}
