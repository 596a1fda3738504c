//! `cargo avro`: the command line over avro-build, avro-codegen,
//! avro-registry and the runtime. Argument parsing and output only; the
//! work is in the libraries.
//!
//! Exit codes: 0 ok, 1 a check failed (incompatible schema, stale generated
//! files), 2 usage or input error (bad arguments, unreadable or invalid files).
#![forbid(unsafe_code)]

#[macro_use]
mod output;
mod cli;
mod cmd;
mod data;
mod input;
mod registry_args;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::output::Status;

fn main() -> ExitCode {
    let cli = Cli::parse_from(cargo_args(std::env::args_os()));
    let result = cmd::run(&cli);
    match result {
        Ok(Status::Ok) => ExitCode::from(0),
        Ok(Status::Failed) => ExitCode::from(1),
        Err(e) => {
            output::print_error(&e);
            ExitCode::from(2)
        }
    }
}

/// `cargo avro x` runs `cargo-avro avro x`: drop that `avro` so the binary
/// also works when called directly as `cargo-avro x`.
fn cargo_args(args: impl Iterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut args: Vec<_> = args.collect();
    if args.get(1).is_some_and(|a| a == "avro") {
        args.remove(1);
    }
    args
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        // clap's own checks of every subcommand (unique names, valid groups
        // and requirements), which otherwise fire only when one is used.
        crate::cli::Cli::command().debug_assert();
    }
}
