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
