//! `cargo avro check`: is a schema compatible with previous versions at a
//! compatibility level? The previous versions are schema files (Confluent's
//! `test-local-compatibility`) or a registry subject's versions (our
//! checker, and with `--remote` the registry's own verdict).

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use avro_registry::{ErrorCode, Schema as Registered, Version};
use avro_runtime::compat::{check_schemas, CompatibilityLevel, Direction, Problem};
use avro_runtime::schema::{locate, Schema, SchemaSet};
use serde_json::{json, Value};

use crate::cli::Format;
use crate::input::{load_schema, registry_text, SchemaArgs};
use crate::output::{emit, verdict, Status};
use crate::registry_args::{explain, Registry, RegistryArgs};

#[derive(Debug, clap::Args)]
#[command(
    about = "Check that a schema is compatible with previous versions at a level",
    long_about = "Check that a schema may follow previous versions under a compatibility level, \
as Confluent Schema Registry decides it (and as its maven plugin's test-local-compatibility does): \
BACKWARD (the new schema reads data written with the latest previous one), FORWARD (the latest \
previous schema reads data of the new one), FULL (both), their _TRANSITIVE forms (against every \
previous version, not just the latest) and NONE. Every problem is listed with the previous version, \
the direction and the place in the reading schema (file:line:col).\n\n\
The previous versions are files (--previous, oldest first) or every version of a registry subject \
(--subject; the level defaults to the subject's). With --remote the registry is asked too \
(POST /compatibility/subjects/{s}/versions/latest, at the subject's own level), and its verdict \
decides the exit code; a disagreement with ours is shown as a warning.\n\n\
Exit 0 when compatible, 1 when not, 2 when a file is unreadable or not a valid schema, or the \
registry cannot be reached.",
    after_help = "Examples:
  cargo avro check schemas/user.avsc --previous v1/user.avsc v2/user.avsc
  cargo avro check user.avsc --previous old/user.avsc --level FULL_TRANSITIVE --format json
  cargo avro check user.avsc --subject users-value --registry http://localhost:8081
  cargo avro check user.avsc --subject users-value --remote
  cargo avro check schemas/student.avsc --locked --remote   # the subject it is bound to in avro.toml"
)]
pub struct Args {
    /// The new schema file.
    pub schema: PathBuf,

    /// Previous versions, oldest first.
    #[arg(
        long,
        short = 'p',
        num_args = 1..,
        value_name = "FILE",
        required_unless_present_any = ["subject", "locked"],
        conflicts_with_all = ["subject", "locked"]
    )]
    pub previous: Vec<PathBuf>,

    /// Check against every version of this registry subject.
    #[arg(long, value_name = "SUBJECT", conflicts_with = "locked")]
    pub subject: Option<String>,

    /// Against the locked history of the subject the schema is bound to in
    /// avro.toml (`[[bind]]`), at the subject's level (see `cargo avro pull`).
    #[arg(long)]
    pub locked: bool,

    /// With --subject or --locked: also ask the registry for its verdict
    /// (POST /compatibility/...); with --subject it decides the exit code.
    #[arg(long)]
    pub remote: bool,

    /// With --locked: the configuration file (default ./avro.toml or ./Cargo.toml).
    #[arg(long, requires = "locked", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,
    /// FULL_TRANSITIVE or NONE (any case). Default: BACKWARD, or with
    /// --subject the subject's level in the registry.
    #[arg(long, short = 'l', value_parser = parse_level)]
    pub level: Option<CompatibilityLevel>,

    #[command(flatten)]
    pub schema_args: SchemaArgs,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

fn parse_level(s: &str) -> Result<CompatibilityLevel, String> {
    s.parse()
}

/// A previous version: its name in messages, its file (when it is one),
/// and the parsed schema.
struct Previous {
    label: String,
    file: Option<PathBuf>,
    set: SchemaSet,
    schema: Schema,
}

/// The registry's answer to `--remote`.
struct Remote {
    compatible: bool,
    messages: Vec<String>,
}

/// Where a problem sits: the file (or registry version) whose schema
/// reads, and the line and column of the location there (only for a file's
/// top-level schema, which locations are relative to).
fn place(
    problem: &Problem,
    args: &Args,
    previous: &[Previous],
) -> (String, Option<(usize, usize)>) {
    let reader: Result<&Path, &str> = match problem.direction {
        Direction::NewReadsPrevious => Ok(&args.schema),
        Direction::PreviousReadsNew => {
            let p = &previous[problem.version_index];
            p.file.as_deref().ok_or(p.label.as_str())
        }
    };
    match reader {
        Err(label) => (label.to_owned(), None),
        Ok(file) => {
            let pos = (args.schema_args.name.is_none() && !crate::input::is_idl(file))
                .then(|| std::fs::read_to_string(file).ok())
                .flatten()
                .map(|text| locate(&text, &problem.incompatibility.location));
            (show(file), pos)
        }
    }
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::NewReadsPrevious => "new_reads_previous",
        Direction::PreviousReadsNew => "previous_reads_new",
    }
}

fn show(p: &Path) -> String {
    p.display().to_string()
}

/// Every version of `subject`, oldest first, parsed with its references.
fn registry_versions(reg: &Registry, subject: &str) -> Result<Vec<Previous>> {
    let versions = match reg.client.versions(subject) {
        Ok(v) => v,
        Err(e) if e.code() == Some(ErrorCode::SubjectNotFound) => Vec::new(),
        Err(e) => return Err(explain(e)),
    };
    let mut out = Vec::new();
    for n in versions {
        let v = reg
            .client
            .version(subject, Version::Number(n))
            .map_err(explain)?;
        let label = format!("{subject} v{n}");
        let parsed = reg.parse(&v.to_schema(), &label)?;
        out.push(Previous {
            label,
            file: None,
            set: parsed.set,
            schema: parsed.root,
        });
    }
    Ok(out)
}

/// The subject's level in the registry (its own, else the global one).
fn registry_level(reg: &Registry, subject: &str) -> Result<CompatibilityLevel> {
    match reg.client.compatibility(Some(subject)) {
        Ok(l) => Ok(l),
        Err(e) if e.code() == Some(ErrorCode::SubjectCompatibilityNotConfigured) => {
            reg.client.compatibility(None).map_err(explain)
        }
        Err(e) => Err(explain(e)),
    }
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    if args.remote && args.subject.is_none() && !args.locked {
        bail!("--remote needs --subject SUBJECT or --locked: it asks the registry about a subject");
    }
    if args.locked {
        return super::pull::check_locked(
            &args.schema,
            args.config.as_deref(),
            args.remote,
            format,
        );
    }
    let new = load_schema(&args.schema, &args.schema_args)?;
    let mut remote = None;
    let (level, previous) = match &args.subject {
        None => {
            let previous: Vec<Previous> = args
                .previous
                .iter()
                .map(|p| {
                    let (set, schema) = load_schema(p, &args.schema_args)?;
                    Ok(Previous {
                        label: show(p),
                        file: Some(p.clone()),
                        set,
                        schema,
                    })
                })
                .collect::<Result<_>>()?;
            (args.level.unwrap_or(CompatibilityLevel::Backward), previous)
        }
        Some(subject) => {
            let reg = args.registry.connect()?;
            let previous = registry_versions(&reg, subject)?;
            let level = match args.level {
                Some(l) => l,
                None => registry_level(&reg, subject)?,
            };
            if args.remote {
                let (text, _, _) = registry_text(&args.schema, &args.schema_args)?;
                remote = Some(ask_registry(&reg, subject, text)?);
            }
            (level, previous)
        }
    };
    if previous.is_empty() && args.subject.is_none() {
        bail!("no previous versions to check against");
    }
    let refs: Vec<_> = previous.iter().map(|p| (&p.set, &p.schema)).collect();
    let report = check_schemas(level, (&new.0, &new.1), &refs);
    let problems = report.problems;
    for w in &report.warnings {
        crate::output::warn(&format!(
            "version {} ({}): {} at {}: {}",
            w.version_index + 1,
            previous[w.version_index].label,
            direction(w.direction),
            if w.location.is_empty() {
                "/"
            } else {
                &w.location
            },
            w.message
        ));
    }
    let ours = problems.is_empty();
    let compatible = remote.as_ref().map_or(ours, |r| r.compatible);
    if let Some(r) = &remote {
        if r.compatible != ours {
            crate::output::warn(&format!(
                "the registry says {}, our checker says {} (at level {level})",
                if r.compatible {
                    "compatible"
                } else {
                    "incompatible"
                },
                if ours { "compatible" } else { "incompatible" },
            ));
        }
    }
    emit(
        format,
        || {
            let mut m = serde_json::Map::new();
            m.insert("compatible".into(), compatible.into());
            m.insert("level".into(), level.as_str().into());
            m.insert("schema".into(), show(&args.schema).into());
            if let Some(s) = &args.subject {
                m.insert("subject".into(), s.clone().into());
            }
            m.insert(
                "previous".into(),
                json!(previous.iter().map(|p| &p.label).collect::<Vec<_>>()),
            );
            m.insert(
                "problems".into(),
                json!(problems
                    .iter()
                    .map(|p| {
                        let (reader, pos) = place(p, args, &previous);
                        json!({
                            "version": p.version_index + 1,
                            "previous": previous[p.version_index].label,
                            "direction": direction(p.direction),
                            "kind": p.incompatibility.kind.as_str(),
                            "location": p.incompatibility.location,
                            "file": reader,
                            "line": pos.map(|x| x.0),
                            "column": pos.map(|x| x.1),
                            "message": p.incompatibility.message,
                        })
                    })
                    .collect::<Vec<_>>()),
            );
            if let Some(r) = &remote {
                m.insert(
                    "registry".into(),
                    json!({"compatible": r.compatible, "messages": r.messages}),
                );
            }
            Value::Object(m)
        },
        || {
            let against = if level == CompatibilityLevel::None {
                "anything (level NONE)".to_owned()
            } else {
                match &args.subject {
                    Some(s) if previous.is_empty() => format!("subject {s} (no versions yet)"),
                    Some(s) => format!(
                        "{} version(s) of subject {s} at level {level}",
                        previous.len()
                    ),
                    None => format!("{} previous schema(s) at level {level}", previous.len()),
                }
            };
            if ours {
                say!(
                    "{}: {} with {against}",
                    verdict(true, "compatible"),
                    args.schema.display()
                );
            } else {
                say!(
                    "{}: {} with {against}: {} problem(s)",
                    verdict(false, "incompatible"),
                    args.schema.display(),
                    problems.len()
                );
            }
            for p in &problems {
                let (reader, pos) = place(p, args, &previous);
                let who = match p.direction {
                    Direction::NewReadsPrevious => "the new schema cannot read data written with",
                    Direction::PreviousReadsNew => "data of the new schema cannot be read by",
                };
                let at = match pos {
                    Some((l, c)) => format!("{reader}:{l}:{c}"),
                    None => reader,
                };
                let loc = match p.incompatibility.location.as_str() {
                    "" => "/",
                    l => l,
                };
                say!(
                    "  {at}: {} at {loc}: {} ({who} version {}, {})",
                    p.incompatibility.kind.as_str(),
                    p.incompatibility.message,
                    p.version_index + 1,
                    previous[p.version_index].label
                );
            }
            if let Some(r) = &remote {
                say!(
                    "registry: {}",
                    if r.compatible {
                        verdict(true, "compatible")
                    } else {
                        verdict(false, "incompatible")
                    }
                );
                for m in &r.messages {
                    say!("  {m}");
                }
            }
        },
    );
    Ok(if compatible {
        Status::Ok
    } else {
        Status::Failed
    })
}

/// The registry's verdict on `text` against the subject (a subject with no
/// versions accepts anything).
fn ask_registry(reg: &Registry, subject: &str, text: String) -> Result<Remote> {
    match reg
        .client
        .test_compatibility(subject, Version::Latest, &Registered::avro(text), true)
    {
        Ok(r) => Ok(Remote {
            compatible: r.is_compatible,
            messages: r.messages,
        }),
        Err(e)
            if matches!(
                e.code(),
                Some(ErrorCode::SubjectNotFound | ErrorCode::VersionNotFound)
            ) =>
        {
            Ok(Remote {
                compatible: true,
                messages: vec![format!("subject {subject} has no versions yet")],
            })
        }
        Err(e) => Err(explain(e)),
    }
}
