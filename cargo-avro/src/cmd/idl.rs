//! `cargo avro idl`: an Avro IDL file (with its imports) → its protocol as
//! `.avpr` JSON, or the main schema of a schema-syntax file as `.avsc` JSON,
//! as `avro-tools idl` prints it.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use avro_runtime::schema::idl::{self, IdlDocument};
use serde_json::json;

use crate::cli::Format;
use crate::input::{idl_options, write_output};
use crate::output::{emit, Status};

#[derive(Debug, clap::Args)]
#[command(
    about = "Convert an Avro IDL file to protocol (.avpr) or schema (.avsc) JSON",
    long_about = "Convert an Avro IDL (.avdl) file and the files it imports to JSON, as avro-tools \
idl does: a protocol becomes .avpr JSON, a file in the schema syntax (`schema T;`) its main schema \
as .avsc JSON. Imports are found beside the importing file, then in each --import-path directory \
in order. Errors name file:line:col.",
    after_help = "Examples:
  cargo avro idl schemas/shop.avdl                    # to stdout
  cargo avro idl schemas/shop.avdl shop.avpr --import-path ../common
  cat shop.avdl | cargo avro idl - -"
)]
pub struct Args {
    /// The IDL file (`-` for stdin; its imports are then relative to the
    /// current directory).
    pub input: PathBuf,

    /// Where to write the JSON (default and `-`: stdout).
    pub output: Option<PathBuf>,

    /// A directory searched for imports not found beside the importing
    /// file. Repeatable.
    #[arg(long = "import-path", short = 'I', value_name = "DIR")]
    pub import_paths: Vec<PathBuf>,
}

/// Reads `input` (or stdin for `-`) with its imports.
pub fn read_document(input: &Path, import_paths: &[PathBuf]) -> Result<IdlDocument> {
    let options = idl_options(import_paths);
    let doc = if input == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read stdin")?;
        idl::parse_str("<stdin>.avdl", &text, &options)?
    } else {
        idl::parse_file(input, &options)?
    };
    for w in &doc.warnings {
        crate::output::warn_idl(w);
    }
    Ok(doc)
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let doc = read_document(&args.input, &args.import_paths)?;
    let value = doc.to_json();
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    match &args.output {
        Some(out) if out != Path::new("-") => {
            write_output(out, text.as_bytes())?;
            let kind = if doc.protocol_name().is_some() {
                "protocol"
            } else {
                "schema"
            };
            emit(
                format,
                || {
                    json!({
                        "input": args.input.display().to_string(),
                        "output": out.display().to_string(),
                        "kind": kind,
                    })
                },
                || say!("wrote {} ({kind})", out.display()),
            );
        }
        // The document is the output, whatever the format.
        _ => write_output(Path::new("-"), text.as_bytes())?,
    }
    Ok(Status::Ok)
}
