//! How results and errors are printed: human text or JSON, colour only on
//! a terminal (and never with `NO_COLOR`), and the exit status.

use std::io::{IsTerminal, Write};

use avro_runtime::schema::{SchemaError, Source};
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

/// A schema error's byte span: its own, or for an error that only knows its
/// line and column (IDL syntax errors), the word or character there.
fn span_of(e: &SchemaError, text: &str) -> std::ops::Range<usize> {
    if !e.span.is_empty() || e.line == 0 {
        return e.span.clone();
    }
    avro_build::diagnostics::token_span(text, e.line, e.column).unwrap_or(text.len()..text.len())
}

/// `errors` rendered as build.rs renders them (source line, caret, help),
/// the texts read from the files they name; spans filled in from line and
/// column where the error has none.
fn render_schema_errors(
    errors: &[SchemaError],
    warnings: &[SchemaError],
    sources: &[Source],
    summary: bool,
) -> String {
    let mut sources = sources.to_vec();
    let mut fix = |e: &SchemaError| {
        if !sources.iter().any(|s| s.name == e.source_name) {
            if let Ok(text) = std::fs::read_to_string(&e.source_name) {
                sources.push(Source::new(e.source_name.clone(), text));
            }
        }
        let mut e = e.clone();
        if let Some(s) = sources.iter().find(|s| s.name == e.source_name) {
            e.span = span_of(&e, &s.text);
        }
        e
    };
    let errors: Vec<SchemaError> = errors.iter().map(&mut fix).collect();
    let warnings: Vec<SchemaError> = warnings.iter().map(&mut fix).collect();
    if summary {
        avro_build::diagnostics::render_all(&errors, &warnings, &sources)
    } else {
        let mut out = String::new();
        for e in warnings.iter().chain(&errors) {
            out.push_str(&avro_build::diagnostics::render(e, &sources));
            out.push('\n');
        }
        out
    }
}

/// The schema error in `e`'s chain, rendered, and the messages of the
/// layers above it.
fn rendered(e: &anyhow::Error) -> Option<(String, Vec<String>)> {
    let mut above = Vec::new();
    for cause in e.chain() {
        if let Some(avro_build::Error::Schema {
            diagnostics,
            sources,
        }) = cause.downcast_ref::<avro_build::Error>()
        {
            let text =
                render_schema_errors(&diagnostics.errors, &diagnostics.warnings, sources, true);
            return Some((text, above));
        }
        if let Some(se) = cause.downcast_ref::<SchemaError>() {
            let text = render_schema_errors(std::slice::from_ref(se), &[], &[], false);
            // Wrappers that display the error itself (IdlError) say nothing new.
            let own = se.to_string();
            above.retain(|a| !a.contains(&own));
            return Some((text, above));
        }
        above.push(cause.to_string());
    }
    None
}

/// `error: ...` on stderr, with the causes; a schema error rendered as
/// build.rs renders it (the source line and a caret under the place).
pub fn print_error(e: &anyhow::Error) {
    let on = colour(std::io::stderr().is_terminal());
    let mut err = std::io::stderr().lock();
    if let Some((text, above)) = rendered(e) {
        let _ = write!(err, "{text}");
        for a in above {
            // A layer that only repeats the schema error says nothing new.
            if !text.contains(a.as_str()) {
                let _ = writeln!(err, "{} {a}", paint("note:", "1", on));
            }
        }
        return;
    }
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

/// An IDL warning (`file:line:col: message`) on stderr.
pub fn warn_idl(w: &avro_runtime::schema::idl::IdlWarning) {
    warn(&format!(
        "{}:{}:{}: {}",
        w.file, w.line, w.column, w.message
    ));
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

#[cfg(test)]
mod tests {
    use super::span_of;
    use avro_runtime::schema::SchemaError;

    fn at(line: usize, column: usize) -> SchemaError {
        SchemaError {
            source_name: "t.avdl".into(),
            line,
            column,
            pointer: String::new(),
            message: "m".into(),
            span: 0..0,
            severity: avro_runtime::schema::Severity::Error,
            detail: Box::default(),
        }
    }

    #[test]
    fn spans_from_line_and_column_cover_the_word_or_literal_there() {
        let text = "protocol P {\n  import idl \"é.avdl\";\n  Adress a;\n}";
        let word = span_of(&at(3, 3), text);
        assert_eq!(&text[word], "Adress");
        let literal = span_of(&at(2, 14), text);
        assert_eq!(&text[literal], "\"é.avdl\"");
        let brace = span_of(&at(4, 1), text);
        assert_eq!(&text[brace], "}");
        // Past the end of a line or the text: nothing to underline, no panic.
        assert!(span_of(&at(9, 1), text).is_empty());
        assert_eq!(span_of(&at(1, 40), text), 12..12);
    }
}
