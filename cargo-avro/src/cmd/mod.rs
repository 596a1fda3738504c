//! One module per subcommand: its `Args` (clap derive, with examples in
//! `--help`) and a `run` that calls the libraries and prints.
//!
//! Adding a subcommand: a module here with `Args` and
//! `run(&Args, Format) -> anyhow::Result<Status>`, a variant in
//! [`crate::cli::Command`], and an arm in [`run`]. Registry subcommands
//! flatten [`crate::registry_args::RegistryArgs`] into their `Args`.

pub mod canonical;
pub mod check;
pub mod completions;
pub mod config;
pub mod count;
pub mod fingerprint;
pub mod fromjson;
pub mod generate;
pub mod get;
pub mod getmeta;
pub mod getschema;
pub mod idl;
pub mod idl2schemata;
pub mod pull;
pub mod random;
pub mod register;
pub mod subjects;
pub mod tojson;
pub mod versions;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::output::Status;

/// Runs the chosen subcommand.
pub fn run(cli: &Cli) -> Result<Status> {
    let f = cli.format;
    match &cli.command {
        Command::Generate(a) => generate::run(a, f),
        Command::Check(a) => check::run(a, f),
        Command::Register(a) => register::run(a, f),
        Command::Subjects(a) => subjects::run(a, f),
        Command::Versions(a) => versions::run(a, f),
        Command::Get(a) => get::run(a, f),
        Command::Config(a) => config::run(a, f),
        Command::Pull(a) => pull::run(a, f),
        Command::Canonical(a) => canonical::run(a, f),
        Command::Fingerprint(a) => fingerprint::run(a, f),
        Command::Tojson(a) => tojson::run(a, f),
        Command::Fromjson(a) => fromjson::run(a, f),
        Command::Getschema(a) => getschema::run(a, f),
        Command::Getmeta(a) => getmeta::run(a, f),
        Command::Count(a) => count::run(a, f),
        Command::Random(a) => random::run(a, f),
        Command::Idl(a) => idl::run(a, f),
        Command::Idl2schemata(a) => idl2schemata::run(a, f),
        Command::Completions(a) => completions::run(a),
    }
}
