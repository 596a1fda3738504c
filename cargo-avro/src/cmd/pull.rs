//! `cargo avro pull [--update]`: the configured registry subjects into the
//! cache and `avro.lock` (avro-build's `Config::pull`); and `cargo avro
//! check --locked`, a bound schema against its subject's locked history
//! (`Config::check_compatibility`, and the registry's verdict with
//! `--remote`). The configuration is `avro.toml` or `[package.metadata.avro]`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use avro_build::{Config, Progress, PullOptions};
use serde_json::json;

use crate::cli::Format;
use crate::output::{emit, verdict, Status};

#[derive(Debug, clap::Args)]
#[command(
    about = "Fetch the configured registry subjects into the cache and avro.lock",
    long_about = "Fetch every registry subject the project configures (avro.toml, or \
[package.metadata.avro] in Cargo.toml) with its history and references into the cache \
directory, and write avro.lock: per subject the version, id, CRC-64-AVRO and SHA-256 of the \
canonical form, references and every version seen. Builds then read only these, offline; \
commit both.\n\n\
Without --update, subjects already locked stay at their version (a pull adds new subjects, \
drops removed ones and restores the cache); --update moves `latest` subjects to the \
registry's newest version. A failed pull leaves the previous lock and cache untouched.\n\n\
Credentials come from the environment variables avro.toml names (user_info_env, token_env).",
    after_help = "Examples:
  cargo avro pull                      # lock what is configured, restore the cache
  cargo avro pull --update             # move `latest` subjects to the newest version
  cargo avro pull --url http://localhost:8081 --config other/avro.toml"
)]
pub struct Args {
    /// Move subjects at `latest` to the registry's newest version.
    #[arg(long)]
    pub update: bool,

    /// The configuration file (default: ./avro.toml, else ./Cargo.toml's
    /// [package.metadata.avro]).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The registry URL, instead of the configuration's.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

/// The project's configuration: `file`, or avro.toml / Cargo.toml here.
pub fn load_config(file: Option<&Path>) -> Result<Config> {
    match file {
        Some(f) => Config::from_file(f).with_context(|| format!("reading {}", f.display())),
        None => match Config::from_project(".")? {
            Some((config, _)) => Ok(config),
            None => bail!(
                "no avro.toml here, and no [package.metadata.avro] in ./Cargo.toml: \
                 write one (see `cargo avro pull --help`) or pass --config"
            ),
        },
    }
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let mut config = load_config(args.config.as_deref())?;
    if let Some(url) = &args.url {
        let mut settings = config.registry_settings().cloned().unwrap_or_default();
        settings.url = url.clone();
        config.registry(settings);
    }
    if config.subjects().is_empty() {
        bail!("the configuration names no registry subjects ([subjects.<name>] or [[bind]])");
    }
    let human = format == Format::Human;
    let terminal = std::io::stderr().is_terminal();
    let mut progress = |p: Progress<'_>| {
        if human && p.total > 1 {
            if terminal {
                eprint!("\r\x1b[2K[{}/{}] {}", p.index, p.total, p.subject);
                if p.index == p.total {
                    eprintln!();
                }
            } else {
                eprintln!("[{}/{}] {}", p.index, p.total, p.subject);
            }
        }
    };
    let report = config.pull(
        PullOptions {
            update: args.update,
        },
        &mut progress,
    )?;
    emit(
        format,
        || {
            json!({
                "lock": report.lock_path.display().to_string(),
                "lock_changed": report.lock_changed,
                "subjects": report.subjects.iter().map(|s| json!({
                    "subject": s.name,
                    "version": s.version,
                    "id": s.id,
                    "previous": s.previous,
                    "history": s.history,
                })).collect::<Vec<_>>(),
                "written": report.written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "removed": report.removed.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            })
        },
        || {
            for s in &report.subjects {
                let change = match s.previous {
                    None => " (new)".to_owned(),
                    Some(p) if p != s.version => format!(" (was v{p})"),
                    Some(_) => String::new(),
                };
                say!("{}: v{} (id {}){change}", s.name, s.version, s.id);
            }
            say!(
                "{} {}; {} cache file(s) written, {} removed",
                report.lock_path.display(),
                if report.lock_changed {
                    "updated"
                } else {
                    "unchanged"
                },
                report.written.len(),
                report.removed.len()
            );
        },
    );
    Ok(Status::Ok)
}

/// `cargo avro check <schema> --locked [--remote]`: the bindings of
/// `schema` in the configuration checked against the locked history.
pub fn check_locked(
    schema: &Path,
    config_file: Option<&Path>,
    remote: bool,
    format: Format,
) -> Result<Status> {
    let mut config = load_config(config_file)?;
    let same = |a: &Path| {
        a == schema || matches!((a.canonicalize(), schema.canonicalize()), (Ok(x), Ok(y)) if x == y)
    };
    let bound: Vec<_> = config
        .bindings()
        .iter()
        .filter(|b| same(&b.file))
        .cloned()
        .collect();
    if bound.is_empty() {
        bail!(
            "{} is not bound to a subject in the configuration (add [[bind]] schema = {:?} subject = \"...\" to avro.toml)",
            schema.display(),
            schema.display().to_string()
        );
    }
    // Only this file's bindings.
    config.retain_bindings(|b| bound.contains(b));
    let report = config.check_compatibility()?;
    let remote_verdicts = if remote {
        Some(config.check_compatibility_remote()?)
    } else {
        None
    };
    let remote_ok = remote_verdicts.iter().flatten().all(|r| r.compatible);
    let compatible = report.is_compatible() && remote_ok;
    emit(
        format,
        || {
            json!({
                "compatible": compatible,
                "schema": schema.display().to_string(),
                "checked": report.checked.iter().map(|(_, subject, level, versions)| json!({
                    "subject": subject, "level": level.as_str(), "versions": versions,
                })).collect::<Vec<_>>(),
                "problems": report.problems.iter().map(|p| json!({
                    "subject": p.subject,
                    "version": p.version,
                    "id": p.id,
                    "level": p.level.as_str(),
                    "kind": p.problem.incompatibility.kind.as_str(),
                    "location": p.problem.incompatibility.location,
                    "file": p.diagnostic.source_name,
                    "line": p.diagnostic.line,
                    "column": p.diagnostic.column,
                    "message": p.problem.incompatibility.message,
                })).collect::<Vec<_>>(),
                "remote": remote_verdicts.as_ref().map(|v| v.iter().map(|r| json!({
                    "subject": r.subject, "compatible": r.compatible, "messages": r.messages,
                })).collect::<Vec<_>>()),
            })
        },
        || {
            if !report.is_compatible() {
                eprint!("{}", report.render());
            }
            for (_, subject, level, versions) in &report.checked {
                let ok = !report.problems.iter().any(|p| &p.subject == subject);
                say!(
                    "{}: {} against the locked history of {subject} (v{}) at {level}",
                    verdict(ok, if ok { "compatible" } else { "incompatible" }),
                    schema.display(),
                    versions
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", v"),
                );
            }
            for r in remote_verdicts.iter().flatten() {
                say!(
                    "{}: the registry's verdict for {}{}",
                    verdict(
                        r.compatible,
                        if r.compatible {
                            "compatible"
                        } else {
                            "incompatible"
                        }
                    ),
                    r.subject,
                    if r.messages.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", r.messages.join("; "))
                    }
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
