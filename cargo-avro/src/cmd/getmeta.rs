//! `cargo avro getmeta`: a container file's metadata.

use std::path::PathBuf;

use anyhow::{bail, Result};
use serde_json::{Map, Value};

use crate::cli::Format;
use crate::data::open_container;
use crate::input::read_input;
use crate::output::{emit, Status};

#[derive(Debug, clap::Args)]
#[command(
    about = "Print the metadata of a container file (key<TAB>value per line)",
    long_about = "Print the metadata of a container file, one `key<TAB>value` line per entry, sorted \
by key. Values that are not UTF-8 are printed as `hex:` and their bytes in hex.",
    after_help = "Examples:
  cargo avro getmeta users.avro
  cargo avro getmeta users.avro --key avro.codec"
)]
pub struct Args {
    /// The container file (`-` for stdin).
    pub input: PathBuf,

    /// Print only this key's value.
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
}

fn text(v: &[u8]) -> String {
    match std::str::from_utf8(v) {
        Ok(s) => s.to_owned(),
        Err(_) => format!(
            "hex:{}",
            v.iter().map(|b| format!("{b:02x}")).collect::<String>()
        ),
    }
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let bytes = read_input(&args.input)?;
    let c = open_container(&args.input, &bytes)?;
    let mut entries: Vec<(&String, String)> = c
        .header
        .metadata
        .iter()
        .map(|(k, v)| (k, text(v)))
        .collect();
    entries.sort();
    if let Some(key) = &args.key {
        entries.retain(|(k, _)| *k == key);
        if entries.is_empty() {
            bail!("{}: no metadata key {key:?}", args.input.display());
        }
    }
    emit(
        format,
        || {
            Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| ((*k).clone(), Value::String(v.clone())))
                    .collect::<Map<_, _>>(),
            )
        },
        || {
            for (k, v) in &entries {
                if args.key.is_some() {
                    say!("{v}");
                } else {
                    say!("{k}\t{v}");
                }
            }
        },
    );
    Ok(Status::Ok)
}
