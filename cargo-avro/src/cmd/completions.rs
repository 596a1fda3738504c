//! `cargo avro completions`: shell completion scripts (clap_complete).

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::output::Status;

#[derive(Debug, clap::Args)]
#[command(
    about = "Print a shell completion script",
    after_help = "Examples:
  cargo avro completions bash > ~/.local/share/bash-completion/completions/cargo-avro
  cargo avro completions zsh > ~/.zfunc/_cargo-avro"
)]
pub struct Args {
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &Args) -> Result<Status> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "cargo-avro", &mut script);
    say!("{}", String::from_utf8_lossy(&script).trim_end());
    Ok(Status::Ok)
}
