//! Schema errors and warnings rendered the way rustc renders its own: the
//! source line, a caret under the offending JSON value with a label, and
//! `help:`/`note:` lines (annotate-snippets, the renderer rustc uses).
//!
//! ```text
//! error: unknown type "Superpowr": it is neither a primitive type nor ...
//!  --> schemas/hero.avsc:4:35
//!   |
//! 4 |     {"name": "power", "type": "Superpowr"}
//!   |                               ^^^^^^^^^^^ unknown type
//!   |
//!   = help: did you mean `Superpower`?
//! ```

use annotate_snippets::{Level, Renderer, Snippet};
use avro_codegen::Severity;
use avro_codegen::{SchemaError, Source};

/// One diagnostic, rendered without colour. `sources` are the texts the
/// diagnostic's places refer to (by name); a place whose source is not
/// among them is shown as `file:line:col` only.
pub fn render(diagnostic: &SchemaError, sources: &[Source]) -> String {
    let text_of = |name: &str| {
        sources
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.text.as_str())
    };
    let level = match diagnostic.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let detail = &diagnostic.detail;
    let label = detail.label.as_deref().unwrap_or("");
    let primary_text = text_of(&diagnostic.source_name);
    let at = format!(
        "at {}:{}:{}",
        diagnostic.source_name, diagnostic.line, diagnostic.column
    );
    // Related places in sources we do not have: named, not shown.
    let unplaced: Vec<String> = detail
        .related
        .iter()
        .filter(|r| text_of(&r.source_name).is_none())
        .map(|r| format!("{}: {}:{}:{}", r.label, r.source_name, r.line, r.column))
        .collect();
    let mut message = level.title(&diagnostic.message);
    let mut related_texts = Vec::new();
    match primary_text {
        Some(text) => {
            let mut snippet = Snippet::source(text)
                .origin(&diagnostic.source_name)
                .fold(true)
                .annotation(level.span(clamp(text, &diagnostic.span)).label(label));
            for r in &detail.related {
                if r.source_name == diagnostic.source_name {
                    snippet =
                        snippet.annotation(Level::Info.span(clamp(text, &r.span)).label(&r.label));
                } else {
                    related_texts.push(r);
                }
            }
            message = message.snippet(snippet);
        }
        None => related_texts.extend(&detail.related),
    }
    for r in related_texts {
        if let Some(text) = text_of(&r.source_name) {
            message = message.snippet(
                Snippet::source(text)
                    .origin(&r.source_name)
                    .fold(true)
                    .annotation(Level::Info.span(clamp(text, &r.span)).label(&r.label)),
            );
        }
    }
    if primary_text.is_none() {
        message = message.footer(Level::Note.title(&at));
    }
    for u in &unplaced {
        message = message.footer(Level::Note.title(u));
    }
    if let Some(help) = &detail.help {
        message = message.footer(Level::Help.title(help));
    }
    if let Some(note) = &detail.note {
        message = message.footer(Level::Note.title(note));
    }
    let renderer = Renderer::plain();
    let out = renderer.render(message).to_string();
    out
}

/// Every error, then every warning, each rendered, separated by blank
/// lines, with a closing summary line (`error: 3 schema errors`).
pub fn render_all(errors: &[SchemaError], warnings: &[SchemaError], sources: &[Source]) -> String {
    let mut out = String::new();
    for d in warnings.iter().chain(errors) {
        out.push_str(&render(d, sources));
        out.push_str("\n\n");
    }
    let plural = |n: usize, what: &str| {
        if n == 1 {
            format!("1 {what}")
        } else {
            format!("{n} {what}s")
        }
    };
    match (errors.len(), warnings.len()) {
        (0, 0) => {}
        (0, w) => out.push_str(&format!("warning: {}\n", plural(w, "schema warning"))),
        (e, 0) => out.push_str(&format!(
            "error: could not generate code: {}\n",
            plural(e, "schema error")
        )),
        (e, w) => out.push_str(&format!(
            "error: could not generate code: {}; {}\n",
            plural(e, "schema error"),
            plural(w, "warning")
        )),
    }
    out
}

/// For a diagnostic that names a line and column of a file but no span in a
/// text we hold (errors of the IDL reader, whose positions are in the
/// `.avdl` file): reads the file, points the span at the token that starts
/// at that line and column, and returns the file as a [`Source`] to render
/// with. `None` when the file cannot be read or the place is not in it.
pub fn place_in_file(diagnostic: &mut SchemaError) -> Option<Source> {
    let text = std::fs::read_to_string(&diagnostic.source_name).ok()?;
    diagnostic.span = token_span(&text, diagnostic.line, diagnostic.column)?;
    Some(Source::new(diagnostic.source_name.clone(), text))
}

/// The byte range of the token at 1-based `line` and `column` (in
/// characters): an identifier (letters, digits, `_`, `.`), a quoted string,
/// or one character (empty at the end of a line); `None` past the last line.
/// For diagnostics that know a place but no span (the IDL reader's).
pub fn token_span(text: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let line_text = text[line_start..].split('\n').next().unwrap_or("");
    let (col_off, first) = match line_text.char_indices().nth(column.saturating_sub(1)) {
        Some(c) => c,
        None => {
            let end = line_start + line_text.len();
            return Some(end..end);
        }
    };
    let start = line_start + col_off;
    let rest = &text[start..];
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let len = if ident(first) {
        rest.find(|c: char| !ident(c)).unwrap_or(rest.len())
    } else if first == '"' {
        rest[1..].find(['"', '\n']).map_or(rest.len(), |i| {
            i + 1 + usize::from(rest[1 + i..].starts_with('"'))
        })
    } else {
        first.len_utf8()
    };
    Some(start..start + len)
}

/// `span` made safe to slice `text` with (inside it, on char boundaries).
fn clamp(text: &str, span: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}
