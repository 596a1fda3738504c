//! `cargo avro subjects`: the registry's subjects (`GET /subjects`).

use anyhow::Result;
use serde_json::json;

use crate::cli::Format;
use crate::output::{emit, Status};
use crate::registry_args::{explain, RegistryArgs};

#[derive(Debug, clap::Args)]
#[command(
    about = "List the subjects of a schema registry",
    after_help = "Examples:
  cargo avro subjects --registry http://localhost:8081
  SCHEMA_REGISTRY_URL=http://localhost:8081 cargo avro subjects --prefix orders- --format json"
)]
pub struct Args {
    /// Only subjects starting with this.
    #[arg(long, value_name = "TEXT")]
    pub prefix: Option<String>,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let reg = args.registry.connect()?;
    let mut subjects = reg.client.subjects().map_err(explain)?;
    if let Some(p) = &args.prefix {
        subjects.retain(|s| s.starts_with(p.as_str()));
    }
    subjects.sort();
    emit(
        format,
        || json!(subjects),
        || {
            if subjects.is_empty() {
                crate::output::warn(&format!("no subjects in the registry at {}", reg.url));
            }
            for s in &subjects {
                say!("{s}");
            }
        },
    );
    Ok(Status::Ok)
}
