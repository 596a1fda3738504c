//! `cargo avro config`: a registry's compatibility level, global or of a
//! subject: read it (`GET /config[/{s}]`) or set it (`PUT /config[/{s}]`).

use anyhow::Result;
use avro_registry::{CompatibilityLevel, ErrorCode};
use serde_json::json;

use crate::cli::Format;
use crate::output::{emit, Status};
use crate::registry_args::{explain, RegistryArgs};

#[derive(Debug, clap::Args)]
#[command(
    about = "Show or set the compatibility level of a registry or one subject",
    long_about = "Show or set the compatibility level the registry enforces when a schema is \
registered: the global level, or with SUBJECT that subject's (a subject without a level of its \
own follows the global one, and says so). Levels: BACKWARD, BACKWARD_TRANSITIVE, FORWARD, \
FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE (any case).",
    after_help = "Examples:
  cargo avro config                                  # the global level
  cargo avro config orders-value                     # the subject's level
  cargo avro config orders-value --set FULL_TRANSITIVE
  cargo avro config --set BACKWARD                   # the global level"
)]
pub struct Args {
    /// The subject (default: the global level).
    pub subject: Option<String>,

    /// Set the level instead of showing it.
    #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
    pub set: Option<CompatibilityLevel>,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

fn parse_level(s: &str) -> Result<CompatibilityLevel, String> {
    s.parse()
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let reg = args.registry.connect()?;
    let subject = args.subject.as_deref();
    let scope = match subject {
        Some(s) => format!("subject {s}"),
        None => "global".to_owned(),
    };
    if let Some(level) = args.set {
        let now = reg
            .client
            .set_compatibility(subject, level)
            .map_err(explain)?;
        emit(
            format,
            || json!({"subject": subject, "compatibilityLevel": now.as_str()}),
            || say!("{scope}: compatibility level set to {now}"),
        );
        return Ok(Status::Ok);
    }
    let (level, inherited) = match reg.client.compatibility(subject) {
        Ok(l) => (l, false),
        // Confluent: a subject without a level of its own (40408) follows the global one.
        Err(e)
            if subject.is_some()
                && e.code() == Some(ErrorCode::SubjectCompatibilityNotConfigured) =>
        {
            (reg.client.compatibility(None).map_err(explain)?, true)
        }
        Err(e) => return Err(explain(e)),
    };
    emit(
        format,
        || json!({"subject": subject, "compatibilityLevel": level.as_str(), "inherited": inherited}),
        || {
            if inherited {
                say!("{scope}: {level} (the global level; the subject has none of its own)");
            } else {
                say!("{scope}: {level}");
            }
        },
    );
    Ok(Status::Ok)
}
