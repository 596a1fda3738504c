//! `cargo avro check`: is a schema compatible with previous schema files at
//! a compatibility level (Confluent's `test-local-compatibility`)?

use std::path::{Path, PathBuf};

use anyhow::Result;
use avro_runtime::compat::{check_schemas, CompatibilityLevel, Direction, Problem};
use avro_runtime::schema::{locate, SchemaSet};
use serde_json::json;

use crate::cli::Format;
use crate::input::{load_schema, SchemaArgs};
use crate::output::{emit, verdict, Status};

#[derive(Debug, clap::Args)]
#[command(
    about = "Check that a schema is compatible with previous versions at a level",
    long_about = "Check that a schema may follow previous versions under a compatibility level, \
as Confluent Schema Registry decides it (and as its maven plugin's test-local-compatibility does): \
BACKWARD (the new schema reads data written with the latest previous one), FORWARD (the latest \
previous schema reads data of the new one), FULL (both), their _TRANSITIVE forms (against every \
previous version, not just the latest) and NONE. Every problem is listed with the previous version, \
the direction and the place in the reading schema (file:line:col).\n\n\
Exit 0 when compatible, 1 when not, 2 when a file is unreadable or not a valid schema.",
    after_help = "Examples:
  cargo avro check schemas/user.avsc --previous v1/user.avsc v2/user.avsc
  cargo avro check user.avsc --previous old/user.avsc --level FULL_TRANSITIVE --format json
  cargo avro check schemas/student.avsc --locked --remote   # the subject it is bound to in avro.toml"
)]
pub struct Args {
    /// The new schema file.
    pub schema: PathBuf,

    /// Previous versions, oldest first.
    #[arg(long, short = 'p', required_unless_present = "locked", num_args = 1.., value_name = "FILE")]
    pub previous: Vec<PathBuf>,

    /// Against the locked history of the subject the schema is bound to in
    /// avro.toml (`[[bind]]`), at the subject's level (see `cargo avro pull`).
    #[arg(long, conflicts_with = "previous")]
    pub locked: bool,

    /// With --locked: also ask the registry for its verdict (POST /compatibility/...).
    #[arg(long, requires = "locked")]
    pub remote: bool,

    /// With --locked: the configuration file (default ./avro.toml or ./Cargo.toml).
    #[arg(long, requires = "locked", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,
    /// FULL_TRANSITIVE or NONE (any case).
    #[arg(long, short = 'l', default_value = "BACKWARD", value_parser = parse_level)]
    pub level: CompatibilityLevel,

    #[command(flatten)]
    pub schema_args: SchemaArgs,
}

fn parse_level(s: &str) -> Result<CompatibilityLevel, String> {
    s.parse()
}

/// Where a problem sits: the file whose schema reads, and the line and
/// column of the location there (only when the schema is the file's
/// top-level one, which locations are relative to).
fn place(problem: &Problem, args: &Args) -> (PathBuf, Option<(usize, usize)>) {
    let reader = match problem.direction {
        Direction::NewReadsPrevious => args.schema.clone(),
        Direction::PreviousReadsNew => args.previous[problem.version_index].clone(),
    };
    let pos = (args.schema_args.name.is_none())
        .then(|| std::fs::read_to_string(&reader).ok())
        .flatten()
        .map(|text| locate(&text, &problem.incompatibility.location));
    (reader, pos)
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

pub fn run(args: &Args, format: Format) -> Result<Status> {
    if args.locked {
        return super::pull::check_locked(
            &args.schema,
            args.config.as_deref(),
            args.remote,
            format,
        );
    }
    let new = load_schema(&args.schema, &args.schema_args)?;
    let previous: Vec<(SchemaSet, _)> = args
        .previous
        .iter()
        .map(|p| load_schema(p, &args.schema_args))
        .collect::<Result<_>>()?;
    let refs: Vec<_> = previous.iter().map(|(s, r)| (s, r)).collect();
    let report = check_schemas(args.level, (&new.0, &new.1), &refs);
    let problems = report.problems;
    for w in &report.warnings {
        crate::output::warn(&format!(
            "version {} ({}): {} at {}: {}",
            w.version_index + 1,
            args.previous[w.version_index].display(),
            direction(w.direction),
            if w.location.is_empty() {
                "/"
            } else {
                &w.location
            },
            w.message
        ));
    }
    let compatible = problems.is_empty();
    emit(
        format,
        || {
            json!({
                "compatible": compatible,
                "level": args.level.as_str(),
                "schema": show(&args.schema),
                "previous": args.previous.iter().map(|p| show(p)).collect::<Vec<_>>(),
                "problems": problems.iter().map(|p| {
                    let (reader, pos) = place(p, args);
                    json!({
                        "version": p.version_index + 1,
                        "previous": show(&args.previous[p.version_index]),
                        "direction": direction(p.direction),
                        "kind": p.incompatibility.kind.as_str(),
                        "location": p.incompatibility.location,
                        "file": show(&reader),
                        "line": pos.map(|x| x.0),
                        "column": pos.map(|x| x.1),
                        "message": p.incompatibility.message,
                    })
                }).collect::<Vec<_>>(),
            })
        },
        || {
            let against = if args.level == CompatibilityLevel::None {
                "anything (level NONE)".to_owned()
            } else {
                format!(
                    "{} previous schema(s) at level {}",
                    args.previous.len(),
                    args.level
                )
            };
            if compatible {
                say!(
                    "{}: {} with {against}",
                    verdict(true, "compatible"),
                    args.schema.display()
                );
                return;
            }
            say!(
                "{}: {} with {against}: {} problem(s)",
                verdict(false, "incompatible"),
                args.schema.display(),
                problems.len()
            );
            for p in &problems {
                let (reader, pos) = place(p, args);
                let who = match p.direction {
                    Direction::NewReadsPrevious => "the new schema cannot read data written with",
                    Direction::PreviousReadsNew => "data of the new schema cannot be read by",
                };
                let at = match pos {
                    Some((l, c)) => format!("{}:{l}:{c}", reader.display()),
                    None => reader.display().to_string(),
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
                    args.previous[p.version_index].display()
                );
            }
        },
    );
    Ok(if compatible {
        Status::Ok
    } else {
        Status::Failed
    })
}
