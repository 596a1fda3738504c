//! `cargo avro generate` (alias `codegen`): schemas → Rust sources in a
//! directory, for projects that check generated code in; `--check` for CI.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use avro_build::{Config, ModuleLayout};
use serde_json::json;

use crate::cli::Format;
use crate::output::{emit, verdict, warn, Status};

#[derive(Debug, clap::Args)]
#[command(
    about = "Generate Rust sources from .avsc/.avpr/.avdl files into a directory (for checked-in code)",
    long_about = "Generate Rust sources from Avro schemas into a directory, for projects that \
check generated code in. The output is the same as avro-build's in build.rs, except that the \
include file names the module files relative to itself. Files are written atomically and only \
when their content changed; generated files the schemas no longer produce are removed.\n\n\
Include the result with `mod avro { include!(\"avro/avro_generated.rs\"); }` (path relative to \
the including file).",
    after_help = "Examples:
  cargo avro generate                    # as avro.toml says (schemas, locked subjects, output dir)
  cargo avro generate schemas/ -o src/avro
  cargo avro generate schemas/ -o src/avro --check      # CI: exit 1 and list stale files
  cargo avro generate schemas/shop.avdl -o src/avro --import-path ../common   # IDL and its imports
  cargo avro codegen user.avsc order.avsc -o src/avro --map-type ::std::collections::BTreeMap \\
      --type-attribute 'com.acme=#[derive(Eq)]'"
)]
pub struct Args {
    /// Schema files (.avsc, .avpr, .avdl) and directories (every schema
    /// under them). None: the project's configuration (`avro.toml`, or
    /// `[package.metadata.avro]` in `Cargo.toml`, in the current directory
    /// or the one given with --config): its schemas, locked registry
    /// subjects and output settings, as build.rs reads them; flags override.
    #[arg(value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// The configuration file to read instead of looking in the current
    /// directory (`avro.toml` or a `Cargo.toml`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// A directory searched for IDL imports not found beside the importing
    /// file (as avro-build's `import_path`). Repeatable.
    #[arg(long = "import-path", value_name = "DIR")]
    pub import_paths: Vec<PathBuf>,

    /// Directory for the generated files (created if missing); default: the
    /// configuration's `[output] dir`.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Write nothing; exit 1 listing every file that is missing, differs or
    /// is no longer generated.
    #[arg(long)]
    pub check: bool,

    /// Map type for Avro maps, e.g. `::std::collections::BTreeMap`.
    #[arg(long, value_name = "PATH")]
    pub map_type: Option<String>,

    /// Derive serde `Serialize`/`Deserialize` (needs avro-runtime's `serde` feature).
    #[arg(long)]
    pub serde: bool,

    /// Implement `avro_runtime::json::ToAvroJson` (the Avro JSON encoding).
    #[arg(long)]
    pub avro_json: bool,

    /// `MATCHER=ATTRIBUTE`: an attribute for the types whose full name is
    /// MATCHER, or in namespace MATCHER, or every type for `.`. Repeatable.
    #[arg(long = "type-attribute", value_name = "MATCHER=ATTRIBUTE")]
    pub type_attributes: Vec<String>,

    /// Path of the runtime crate in generated code (default `::avro_runtime`).
    #[arg(long, value_name = "PATH")]
    pub runtime_crate: Option<String>,

    /// Put every type in one module instead of one module per namespace.
    #[arg(long)]
    pub flat: bool,

    /// Name of the file that includes every module (default
    /// `avro_generated.rs`, or the configuration's).
    #[arg(long, value_name = "NAME")]
    pub include_file: Option<String>,
}

/// The project's shared configuration, when no inputs are given (or
/// --config names it), and the output directory it sets.
fn project_config(args: &Args) -> Result<Option<(Config, Option<PathBuf>)>> {
    if let Some(path) = &args.config {
        let dir = path.parent().unwrap_or(Path::new("."));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        // `from_project` reads the file by its directory; a file of another
        // name goes through `from_file` (no output directory then).
        let named = path.file_name().and_then(|n| n.to_str());
        if matches!(named, Some("avro.toml" | "Cargo.toml")) {
            if let Some((cfg, file)) = Config::from_project(dir)? {
                let out = file.output.dir.map(|d| dir.join(d));
                return Ok(Some((cfg, out)));
            }
        }
        return Ok(Some((Config::from_file(path)?, None)));
    }
    if !args.inputs.is_empty() {
        return Ok(None);
    }
    match Config::from_project(".")? {
        Some((cfg, file)) => Ok(Some((cfg, file.output.dir))),
        None => bail!(
            "no schemas given and no avro.toml (or [package.metadata.avro] in Cargo.toml) here: \
             name schema files or directories, e.g. `cargo avro generate schemas/ -o src/avro`"
        ),
    }
}

/// The configuration and the output directory.
fn config(args: &Args) -> Result<(Config, PathBuf)> {
    let (mut cfg, configured_out) = match project_config(args)? {
        Some((cfg, out)) => (cfg, out),
        None => (Config::new(), None),
    };
    let Some(out) = args.out.clone().or(configured_out) else {
        bail!("no output directory: pass -o DIR, or set `[output] dir` in avro.toml");
    };
    for p in &args.inputs {
        if p.is_dir() {
            cfg.schema_dir(p);
        } else if p.is_file() {
            cfg.schema_file(p);
        } else {
            bail!("{}: no such file or directory", p.display());
        }
    }
    for d in &args.import_paths {
        cfg.import_path(d);
    }
    cfg.out_dir(&out).quiet(true).relative_includes(true);
    if let Some(name) = &args.include_file {
        cfg.include_file(name);
    }
    // Switches only turn things on over the configuration.
    if args.serde {
        cfg.serde(true);
    }
    if args.avro_json {
        cfg.json(true);
    }
    if let Some(m) = &args.map_type {
        cfg.map_type(m);
    }
    if let Some(r) = &args.runtime_crate {
        cfg.runtime_crate(r);
    }
    if args.flat {
        cfg.module_layout(ModuleLayout::Flat);
    }
    for t in &args.type_attributes {
        let Some((matcher, attribute)) = t.split_once('=') else {
            bail!(
                "--type-attribute {t:?}: expected MATCHER=ATTRIBUTE, e.g. 'com.acme=#[derive(Eq)]'"
            );
        };
        cfg.type_attribute(matcher, attribute);
    }
    Ok((cfg, out))
}

/// Generated files in `dir` (ours: they start with the codegen header) that
/// are not in `keep`.
fn orphans(dir: &Path, keep: &[String]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !keep.iter().any(|k| k == n))
        })
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| t.starts_with(avro_codegen::HEADER)))
        .collect();
    out.sort();
    out
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let (cfg, out) = config(args)?;
    let (files, warnings) = cfg.generate()?;
    for w in &warnings {
        // IDL warnings come as `file:line:col: warning: message`.
        warn(&w.replacen(": warning: ", ": ", 1));
    }
    let names: Vec<String> = files.keys().cloned().collect();
    let orphaned = orphans(&out, &names);
    let show = |p: &Path| p.display().to_string();
    if args.check {
        let mut stale: Vec<(PathBuf, &str)> = Vec::new();
        for (name, content) in &files {
            let path = out.join(name);
            match std::fs::read(&path) {
                Ok(old) if old == content.as_bytes() => {}
                Ok(_) => stale.push((path, "differs")),
                Err(_) => stale.push((path, "missing")),
            }
        }
        stale.extend(orphaned.into_iter().map(|p| (p, "no longer generated")));
        let fresh = stale.is_empty();
        emit(
            format,
            || {
                json!({
                    "up_to_date": fresh,
                    "files": files.keys().map(|n| show(&out.join(n))).collect::<Vec<_>>(),
                    "stale": stale.iter().map(|(p, why)| json!({"file": show(p), "reason": why})).collect::<Vec<_>>(),
                })
            },
            || {
                if fresh {
                    say!(
                        "{}: {} generated file(s) in {}",
                        verdict(true, "up to date"),
                        files.len(),
                        out.display()
                    );
                } else {
                    say!(
                        "{}: {} file(s) in {} do not match the schemas:",
                        verdict(false, "stale"),
                        stale.len(),
                        out.display()
                    );
                    for (p, why) in &stale {
                        say!("  {} ({why})", p.display());
                    }
                    say!("run `cargo avro generate` without --check to update them");
                }
            },
        );
        return Ok(if fresh { Status::Ok } else { Status::Failed });
    }
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut written = Vec::new();
    for (name, content) in &files {
        let path = out.join(name);
        if avro_build::write_if_changed(&path, content.as_bytes())? {
            written.push(path);
        }
    }
    for p in &orphaned {
        std::fs::remove_file(p).with_context(|| format!("cannot remove {}", p.display()))?;
    }
    emit(
        format,
        || {
            json!({
                "files": files.keys().map(|n| show(&out.join(n))).collect::<Vec<_>>(),
                "written": written.iter().map(|p| show(p)).collect::<Vec<_>>(),
                "removed": orphaned.iter().map(|p| show(p)).collect::<Vec<_>>(),
            })
        },
        || {
            for p in &written {
                say!("wrote {}", p.display());
            }
            for p in &orphaned {
                say!("removed {}", p.display());
            }
            say!(
                "{} file(s) in {}: {} written, {} unchanged, {} removed",
                files.len(),
                out.display(),
                written.len(),
                files.len() - written.len(),
                orphaned.len()
            );
        },
    );
    Ok(Status::Ok)
}
