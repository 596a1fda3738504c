//! `cargo avro idl2schemata`: every named type of an Avro IDL file (and its
//! imports) as its own self-contained `.avsc` file in a directory, as
//! `avro-tools idl2schemata` writes them.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::json;

use crate::cli::Format;
use crate::cmd::idl::read_document;
use crate::input::write_output;
use crate::output::{emit, warn, Status};

#[derive(Debug, clap::Args)]
#[command(
    about = "Write each named type of an Avro IDL file as a .avsc file",
    long_about = "Write every named type (record, error, enum, fixed) of an Avro IDL file and the \
files it imports as a self-contained schema file NAME.avsc in a directory, as avro-tools \
idl2schemata does (NAME is the type's simple name; types of different namespaces that share one \
are written as FULL.NAME.avsc instead, with a warning). Files are written atomically and only \
when their content changed.",
    after_help = "Examples:
  cargo avro idl2schemata schemas/shop.avdl schemas/json/
  cargo avro idl2schemata shop.avdl out/ --import-path ../common --format json"
)]
pub struct Args {
    /// The IDL file (`-` for stdin).
    pub input: PathBuf,

    /// The directory for the .avsc files (created if missing; default: the
    /// current directory).
    #[arg(default_value = ".")]
    pub out_dir: PathBuf,

    /// A directory searched for imports not found beside the importing
    /// file. Repeatable.
    #[arg(long = "import-path", short = 'I', value_name = "DIR")]
    pub import_paths: Vec<PathBuf>,
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let doc = read_document(&args.input, &args.import_paths)?;
    let schemata = doc.schemata();
    let simple = |full: &str| full.rsplit('.').next().unwrap_or(full).to_owned();
    let mut uses: HashMap<String, usize> = HashMap::new();
    for (full, _) in &schemata {
        *uses.entry(simple(full)).or_default() += 1;
    }
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("cannot create {}", args.out_dir.display()))?;
    let mut written = Vec::new();
    for (full, schema) in &schemata {
        let name = simple(full);
        let file = if uses[&name] > 1 {
            warn(&format!(
                "several types are named {name}: writing {full} as {full}.avsc"
            ));
            format!("{full}.avsc")
        } else {
            format!("{name}.avsc")
        };
        let path = args.out_dir.join(file);
        let mut text = serde_json::to_string_pretty(schema)?;
        text.push('\n');
        write_output(&path, text.as_bytes())?;
        written.push((full.clone(), path));
    }
    emit(
        format,
        || {
            json!(written
                .iter()
                .map(|(n, p)| json!({"type": n, "file": p.display().to_string()}))
                .collect::<Vec<_>>())
        },
        || {
            if written.is_empty() {
                warn(&format!("{} defines no named type", args.input.display()));
            }
            for (_, p) in &written {
                say!("wrote {}", p.display());
            }
        },
    );
    Ok(Status::Ok)
}
