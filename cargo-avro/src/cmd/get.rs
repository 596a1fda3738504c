//! `cargo avro get`: one registered schema, by subject and version
//! (`GET /subjects/{s}/versions/{v}`) or by id (`GET /schemas/ids/{id}`).

use anyhow::{bail, Result};
use avro_registry::{SchemaReference, SchemaType, Version};
use serde_json::{json, Value};

use crate::cli::Format;
use crate::output::{emit, Status};
use crate::registry_args::{explain, parse_version, RegistryArgs};

#[derive(Debug, clap::Args)]
#[command(
    about = "Print a registered schema (by subject and version, or by id)",
    long_about = "Print a registered schema with its subject, version, id and references, by \
subject and version (default: the latest) or by schema id. --schema-only prints the schema alone \
(indented), to save it as a .avsc file.",
    after_help = "Examples:
  cargo avro get orders-value                   # the latest version
  cargo avro get orders-value 2 --format json
  cargo avro get --id 7 --schema-only > order.avsc"
)]
pub struct Args {
    /// The subject, e.g. `orders-value`.
    #[arg(required_unless_present = "id", conflicts_with = "id")]
    pub subject: Option<String>,

    /// A version number, or `latest`.
    #[arg(id = "subject_version", value_name = "VERSION", default_value = "latest", value_parser = parse_version)]
    pub version: Version,

    /// A schema id instead of a subject and version.
    #[arg(long, value_name = "ID")]
    pub id: Option<u32>,

    /// Print the schema alone, indented.
    #[arg(long)]
    pub schema_only: bool,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// The schema text indented when it is JSON, else as stored.
pub fn pretty(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_else(|_| text.to_owned()),
        Err(_) => text.to_owned(),
    }
}

fn type_name(t: SchemaType) -> &'static str {
    match t {
        SchemaType::Avro => "AVRO",
        SchemaType::Protobuf => "PROTOBUF",
        SchemaType::Json => "JSON",
        _ => "UNKNOWN",
    }
}

fn references_json(refs: &[SchemaReference]) -> Value {
    json!(refs
        .iter()
        .map(|r| json!({"name": r.name, "subject": r.subject, "version": r.version}))
        .collect::<Vec<_>>())
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let reg = args.registry.connect()?;
    let (head, schema, schema_type, references) = match (&args.subject, args.id) {
        (Some(subject), _) => {
            let v = reg.client.version(subject, args.version).map_err(explain)?;
            let head = json!({"subject": v.subject, "version": v.version, "id": v.id});
            (head, v.schema, v.schema_type, v.references)
        }
        (None, Some(id)) => {
            let s = reg.client.schema_by_id(id).map_err(explain)?;
            (json!({"id": id}), s.schema, s.schema_type, s.references)
        }
        (None, None) => bail!("give a SUBJECT (and VERSION) or --id ID"),
    };
    emit(
        format,
        || {
            let mut m = head.as_object().cloned().unwrap_or_default();
            m.insert("schemaType".into(), type_name(schema_type).into());
            m.insert("references".into(), references_json(&references));
            m.insert("schema".into(), schema.clone().into());
            Value::Object(m)
        },
        || {
            if !args.schema_only {
                let mut line = Vec::new();
                for key in ["subject", "version", "id"] {
                    match &head[key] {
                        Value::Null => {}
                        Value::String(s) => line.push(format!("{key} {s}")),
                        v => line.push(format!("{key} {v}")),
                    }
                }
                if schema_type != SchemaType::Avro {
                    line.push(format!("type {}", type_name(schema_type)));
                }
                say!("{}", line.join("  "));
                for r in &references {
                    say!(
                        "reference {} = subject {} version {}",
                        r.name,
                        r.subject,
                        r.version
                    );
                }
            }
            say!("{}", pretty(&schema));
        },
    );
    Ok(Status::Ok)
}
