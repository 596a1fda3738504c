//! Reading what commands take: schema files (with the files they reference)
//! and data files or stdin; writing output files atomically.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use avro_runtime::schema::idl::{self, IdlOptions};
use avro_runtime::schema::{Schema, SchemaSet, Source};
use clap::Args as ClapArgs;

/// Options of every command that reads one schema file.
#[derive(Debug, Clone, ClapArgs)]
pub struct SchemaArgs {
    /// More schema files or directories (every *.avsc / *.avpr under them)
    /// that define named types the schema refers to; for an .avdl file,
    /// directories searched for its imports.
    #[arg(long = "import", short = 'I', value_name = "PATH")]
    pub imports: Vec<PathBuf>,

    /// Use this named type of the file (full name, e.g. `com.acme.Order`)
    /// instead of its top-level schema; needed for a protocol (.avpr).
    #[arg(long, value_name = "FULLNAME")]
    pub name: Option<String>,
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Loads `file` with `args.imports` into one set and picks its schema: the
/// file's top-level schema, or the named type `args.name`.
pub fn load_schema(file: &Path, args: &SchemaArgs) -> Result<(SchemaSet, Schema)> {
    if is_idl(file) {
        return load_idl(file, args);
    }
    let mut paths = vec![file.to_owned()];
    for p in &args.imports {
        if p.is_dir() {
            // JSON schemas only: a .avsc or .avpr cannot import IDL.
            paths.extend(
                avro_build::schema_files(p)?
                    .into_iter()
                    .filter(|f| !is_idl(f)),
            );
        } else {
            paths.push(p.clone());
        }
    }
    let mut seen = Vec::new();
    let mut sources = Vec::new();
    for p in paths {
        let key = p.canonicalize().unwrap_or_else(|_| p.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let text = read_text(&p)?;
        sources.push(Source::new(p.display().to_string(), text));
    }
    let set = SchemaSet::load(sources)?;
    for w in &set.warnings {
        crate::output::warn(w);
    }
    let schema = match &args.name {
        Some(name) => named(&set, name, file)?,
        None => {
            let roots: Vec<&Schema> = set
                .roots
                .iter()
                .filter(|r| r.source == 0)
                .map(|r| &r.schema)
                .collect();
            match roots.as_slice() {
                [one] => (*one).clone(),
                _ => bail!(
                    "{} has {} top-level schemas (a protocol?): pick one with --name FULLNAME",
                    file.display(),
                    roots.len()
                ),
            }
        }
    };
    Ok((set, schema))
}

/// Whether `path` is Avro IDL (`.avdl`).
pub fn is_idl(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "avdl")
}

/// The named type `name` of `set`, or an error listing the names it has.
fn named(set: &SchemaSet, name: &str, file: &Path) -> Result<Schema> {
    match set.lookup(name) {
        Some(id) => Ok(Schema::Named(id)),
        None => {
            let mut names: Vec<String> = set.types.iter().map(|t| t.name.fullname()).collect();
            names.sort();
            bail!(
                "no named type {name:?} in {} (it defines: {})",
                file.display(),
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            )
        }
    }
}

/// IDL options whose import search path is `dirs` (for `-I` on an `.avdl`,
/// directories are searched for imports; files are searched beside them).
pub fn idl_options(dirs: &[PathBuf]) -> IdlOptions {
    let mut o = IdlOptions::new();
    for d in dirs {
        if d.is_dir() {
            o = o.search_path(d);
        } else if let Some(parent) = d.parent() {
            o = o.search_path(parent);
        }
    }
    o
}

/// An `.avdl` file with its imports: the named type `args.name`, else the
/// main schema of a file in the schema syntax.
fn load_idl(file: &Path, args: &SchemaArgs) -> Result<(SchemaSet, Schema)> {
    let doc = idl::parse_file(file, &idl_options(&args.imports))?;
    for w in &doc.warnings {
        crate::output::warn_idl(w);
    }
    let schema = match &args.name {
        Some(name) => named(&doc.set, name, file)?,
        None => match doc.main_schema() {
            Some(s) => s,
            None => bail!(
                "{} has no main schema (a protocol, or no `schema` declaration): pick a named \
                 type with --name FULLNAME",
                file.display()
            ),
        },
    };
    Ok((doc.set, schema))
}

/// The schema text to send to a registry for `file`: the file as written
/// when it is one `.avsc` on its own, else the chosen schema as one
/// self-contained JSON document (types from imports inlined).
pub fn registry_text(file: &Path, args: &SchemaArgs) -> Result<(String, SchemaSet, Schema)> {
    let (set, schema) = load_schema(file, args)?;
    let standalone = file.extension().is_some_and(|e| e == "avsc")
        && args.imports.is_empty()
        && args.name.is_none();
    let text = if standalone {
        read_text(file)?.trim().to_owned()
    } else {
        set.to_json(&schema).to_string()
    };
    Ok((text, set, schema))
}

/// The bytes of `path`, or of stdin for `-`.
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read stdin")?;
        Ok(buf)
    } else {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
    }
}

/// Writes `bytes` to `path` atomically (a temporary file renamed over it),
/// or to stdout for `-`.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    if path == Path::new("-") {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        out.write_all(bytes).context("cannot write stdout")?;
        out.flush().context("cannot write stdout")?;
        return Ok(());
    }
    avro_build::write_if_changed(path, bytes)?;
    Ok(())
}
