//! One module per subcommand: its `Args` (clap derive, with examples in
//! `--help`) and a `run` that calls the libraries and prints.
//!
//! Adding a subcommand (the registry's `pull`, `register`, `subjects`,
//! `versions`, `get`, `config`; the IDL's `idl`, `idl2schemata`): a module
//! here with `Args` and `run(&Args, Format) -> anyhow::Result<Status>`, a
//! variant in [`crate::cli::Command`], and an arm in [`run`].

pub mod canonical;
pub mod check;
pub mod completions;
pub mod count;
pub mod fingerprint;
pub mod fromjson;
pub mod generate;
pub mod getmeta;
pub mod getschema;
pub mod pull;
pub mod random;
pub mod tojson;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::output::Status;

/// Runs the chosen subcommand.
pub fn run(cli: &Cli) -> Result<Status> {
    let f = cli.format;
    match &cli.command {
        Command::Generate(a) => generate::run(a, f),
        Command::Check(a) => check::run(a, f),
        Command::Pull(a) => pull::run(a, f),
        Command::Canonical(a) => canonical::run(a, f),
        Command::Fingerprint(a) => fingerprint::run(a, f),
        Command::Tojson(a) => tojson::run(a, f),
        Command::Fromjson(a) => fromjson::run(a, f),
        Command::Getschema(a) => getschema::run(a, f),
        Command::Getmeta(a) => getmeta::run(a, f),
        Command::Count(a) => count::run(a, f),
        Command::Random(a) => random::run(a, f),
        Command::Completions(a) => completions::run(a),
    }
}
