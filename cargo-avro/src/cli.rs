//! The command line: global options and one subcommand per module of
//! [`crate::cmd`].

use clap::{Parser, Subcommand, ValueEnum};

use crate::cmd;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  a check failed: incompatible schema (check), stale files (generate --check)
  2  usage or input error: bad arguments, unreadable or invalid files, a registry
     that cannot be reached or refuses the request";

#[derive(Debug, Parser)]
#[command(
    name = "cargo-avro",
    bin_name = "cargo avro",
    version,
    about = "Avro for Rust projects: generate code, check compatibility, talk to a schema registry, convert IDL, fingerprint schemas, convert and inspect data",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    /// Output for people (default) or JSON for machines.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    #[command(subcommand)]
    pub command: Command,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(visible_alias = "codegen")]
    Generate(cmd::generate::Args),
    Check(cmd::check::Args),
    Register(cmd::register::Args),
    Subjects(cmd::subjects::Args),
    Versions(cmd::versions::Args),
    Get(cmd::get::Args),
    Config(cmd::config::Args),
    Pull(cmd::pull::Args),
    Canonical(cmd::canonical::Args),
    Fingerprint(cmd::fingerprint::Args),
    Tojson(cmd::tojson::Args),
    Fromjson(cmd::fromjson::Args),
    Getschema(cmd::getschema::Args),
    Getmeta(cmd::getmeta::Args),
    Count(cmd::count::Args),
    Random(cmd::random::Args),
    Idl(cmd::idl::Args),
    Idl2schemata(cmd::idl2schemata::Args),
    Completions(cmd::completions::Args),
}
