//! `cargo avro register`: local schema files registered under subjects
//! (`POST /subjects/{s}/versions`), with references to types registered
//! under other subjects; prints the ids.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use avro_registry::{RegisterRequest, Schema as Registered, SchemaReference, Version};
use avro_runtime::schema::Schema;
use serde_json::json;

use crate::cli::Format;
use crate::input::{registry_text, SchemaArgs};
use crate::output::{emit, Status};
use crate::registry_args::{explain, Registry, RegistryArgs};

#[derive(Debug, clap::Args)]
#[command(
    about = "Register schema files under registry subjects and print their ids",
    long_about = "Register schema files under registry subjects and print each schema's id. The \
subject is --subject (every file under it, in the order given: a history), or per file the topic \
naming strategy (--topic T: T-value, T-key with --key) or the record naming strategy \
(--record-name: the schema's full name). A schema already registered under the subject gets its \
id back. A schema using types registered under other subjects names them with --reference (the \
file is checked locally against those registered types before it is sent).\n\n\
A lone .avsc is sent as written; a schema picked from a .avpr or .avdl (--name), or one using \
types from -I files, is sent as one self-contained JSON document.",
    after_help = "Examples:
  cargo avro register schemas/order.avsc --subject orders-value
  cargo avro register v1/user.avsc v2/user.avsc --subject users-value     # a history, in order
  cargo avro register schemas/*.avsc --record-name --format json
  cargo avro register order.avsc --topic orders --reference shop.Address=addresses-value:1"
)]
pub struct Args {
    /// Schema files (.avsc; .avpr or .avdl with --name).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The subject to register every file under.
    #[arg(long, short = 's', value_name = "SUBJECT", group = "strategy")]
    pub subject: Option<String>,

    /// Topic naming strategy: the subject is TOPIC-value (TOPIC-key with --key).
    #[arg(long, value_name = "TOPIC", group = "strategy")]
    pub topic: Option<String>,

    /// With --topic: the key's subject, TOPIC-key.
    #[arg(long, requires = "topic")]
    pub key: bool,

    /// Record naming strategy: each file's subject is its schema's full name.
    #[arg(long, group = "strategy")]
    pub record_name: bool,

    /// `NAME=SUBJECT[:VERSION]`: the type NAME (its full name) is the one
    /// registered under SUBJECT (default: its latest version). Repeatable.
    #[arg(long = "reference", value_name = "NAME=SUBJECT[:VERSION]")]
    pub references: Vec<String>,

    /// Ask the registry to normalize the schema first (same id for the same
    /// canonical form).
    #[arg(long)]
    pub normalize: bool,

    #[command(flatten)]
    pub schema_args: SchemaArgs,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `NAME=SUBJECT[:VERSION]`, the version pinned to a number (latest asked for).
fn reference(text: &str, reg: &Registry) -> Result<SchemaReference> {
    let bad = || {
        anyhow!("--reference {text:?}: expected NAME=SUBJECT[:VERSION], e.g. shop.Address=addresses-value:1")
    };
    let (name, target) = text.split_once('=').ok_or_else(bad)?;
    let (subject, version) = match target.rsplit_once(':') {
        Some((s, v)) => (
            s,
            crate::registry_args::parse_version(v)
                .map_err(|e| anyhow!("--reference {text:?}: {e}"))?,
        ),
        None => (target, Version::Latest),
    };
    if name.is_empty() || subject.is_empty() {
        return Err(bad());
    }
    let version = match version {
        Version::Number(n) => n,
        Version::Latest => {
            reg.client
                .version(subject, Version::Latest)
                .map_err(explain)
                .with_context(|| format!("--reference {text}: the latest version of {subject}"))?
                .version
        }
    };
    Ok(SchemaReference {
        name: name.to_owned(),
        subject: subject.to_owned(),
        version: version as i32,
    })
}

fn subject_for(args: &Args, file: &Path, full_name: Option<String>) -> Result<String> {
    if let Some(s) = &args.subject {
        return Ok(s.clone());
    }
    if let Some(t) = &args.topic {
        return Ok(format!("{t}-{}", if args.key { "key" } else { "value" }));
    }
    if args.record_name {
        return full_name.ok_or_else(|| {
            anyhow!(
                "{}: --record-name needs a named schema (record, enum or fixed) at the top",
                file.display()
            )
        });
    }
    bail!("give the subject: --subject SUBJECT, --topic TOPIC or --record-name")
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    // Arguments are checked before any request.
    if args.subject.is_none() && args.topic.is_none() && !args.record_name {
        bail!("give the subject: --subject SUBJECT, --topic TOPIC or --record-name");
    }
    let reg = args.registry.connect()?;
    let references: Vec<SchemaReference> = args
        .references
        .iter()
        .map(|r| reference(r, &reg))
        .collect::<Result<_>>()?;
    let mut done = Vec::new();
    for file in &args.files {
        let (text, full_name) = if references.is_empty() {
            let (text, set, schema) = registry_text(file, &args.schema_args)?;
            let full_name = match schema {
                Schema::Named(id) => Some(set.get(id).name.fullname()),
                _ => None,
            };
            (text, full_name)
        } else {
            // The file uses registered types: parse it with them.
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let parsed = reg.parse(
                &Registered::avro(text.clone()).with_references(references.clone()),
                &file.display().to_string(),
            )?;
            let full_name = match parsed.root {
                Schema::Named(id) => Some(parsed.set.get(id).name.fullname()),
                _ => None,
            };
            (text.trim().to_owned(), full_name)
        };
        let subject = subject_for(args, file, full_name)?;
        let request =
            RegisterRequest::from(Registered::avro(text).with_references(references.clone()));
        let id = reg
            .client
            .register(&subject, &request, args.normalize)
            .map_err(explain)
            .with_context(|| {
                format!(
                    "cannot register {} under {subject} at {}",
                    file.display(),
                    reg.url
                )
            })?;
        if format == Format::Human {
            say!("{}: {subject} id {id}", file.display());
        }
        done.push(json!({"file": file.display().to_string(), "subject": subject, "id": id}));
    }
    emit(format, || json!(done), || {});
    Ok(Status::Ok)
}
