//! How results and errors are printed: human text or JSON, colour only on
//! a terminal (and never with `NO_COLOR`), and the exit status.

use std::io::{IsTerminal, Write};

use serde_json::Value;

use crate::cli::Format;

/// Prints one line on stdout, like `println!`, but a reader that went away
/// (`cargo avro getschema f.avro | head -1`) ends the program quietly with
/// exit 0 instead of a panic.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::line(&format!($($arg)*))
    };
}

/// See [`say!`].
pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let result = writeln!(out, "{text}").and_then(|()| out.flush());
    match result {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("error: cannot write stdout: {e}");
            std::process::exit(2);
        }
    }
}

/// How a command that ran to the end went (errors are `Err` and exit 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Exit 0.
    Ok,
    /// Exit 1: the check the user asked for failed.
    Failed,
}

fn colour(stream_is_terminal: bool) -> bool {
    stream_is_terminal && !matches!(std::env::var_os("NO_COLOR"), Some(v) if !v.is_empty())
}

fn paint(text: &str, code: &str, on: bool) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// `error: ...` on stderr, with the causes.
pub fn print_error(e: &anyhow::Error) {
    let on = colour(std::io::stderr().is_terminal());
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{} {e}", paint("error:", "1;31", on));
    // Library errors often repeat their source's text in their own: print
    // a cause only when it says something new.
    let mut shown = e.to_string();
    for cause in e.chain().skip(1) {
        let text = cause.to_string();
        if !shown.contains(&text) {
            let _ = writeln!(err, "  caused by: {text}");
            shown.push_str(&text);
        }
    }
}

/// `warning: ...` on stderr.
pub fn warn(message: &str) {
    let on = colour(std::io::stderr().is_terminal());
    eprintln!("{} {message}", paint("warning:", "1;33", on));
}

/// A verdict word for a person reading stdout: green or red on a terminal.
pub fn verdict(ok: bool, text: &str) -> String {
    paint(
        text,
        if ok { "1;32" } else { "1;31" },
        colour(std::io::stdout().is_terminal()),
    )
}

/// Prints `json` (one line) in JSON mode, else runs `human`.
pub fn emit(format: Format, json: impl FnOnce() -> Value, human: impl FnOnce()) {
    match format {
        Format::Json => say!("{}", json()),
        Format::Human => human(),
    }
}
