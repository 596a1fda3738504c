//! Schema errors and warnings ([`SchemaError`], [`Diagnostics`]) with what
//! a compiler-style renderer needs (byte span, label, help, note, related
//! places), and how they are made: at a JSON pointer, at a JSON syntax
//! error, with a "did you mean" found by edit distance.

use std::fmt;
use std::ops::Range;

use super::{locate, Source};

/// An invalid schema (or, with [`Severity::Warning`], a valid but suspicious
/// one): where (`file:line:col`, JSON pointer, byte span) and what, with the
/// extras a compiler-style renderer shows (label, help, note, related places).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// The source's name (usually its path).
    pub source_name: String,
    /// 1-based line of the offending value.
    pub line: usize,
    /// 1-based column (in characters) of the offending value.
    pub column: usize,
    /// JSON pointer of the offending value (`/fields/1/type`); empty for the
    /// document or a JSON syntax error.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// Byte range of the offending value (or token) in the source text.
    pub span: Range<usize>,
    /// Error or warning.
    pub severity: Severity,
    /// Label, help, note and related places (boxed: errors stay small).
    pub detail: Box<Detail>,
}

/// What a compiler-style renderer shows of a [`SchemaError`] beyond its
/// message and place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detail {
    /// A short label under the caret (`unknown type`, `remove this comma`).
    pub label: Option<String>,
    /// A suggestion (`did you mean \`Superpower\`?`).
    pub help: Option<String>,
    /// Background (the specification's rule, what the value is read as).
    pub note: Option<String>,
    /// Other places that explain this one (the first definition of a name).
    pub related: Vec<Related>,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.source_name, self.line, self.column, self.message
        )?;
        if !self.pointer.is_empty() {
            write!(f, " (at {})", self.pointer)?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaError {}

/// How bad a [`SchemaError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// The schema set cannot be used.
    #[default]
    Error,
    /// Valid, but probably not what the author meant.
    Warning,
}

/// A secondary place of a [`SchemaError`], with its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The source's name.
    pub source_name: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Byte range in that source's text.
    pub span: Range<usize>,
    /// What is there (`first defined here`).
    pub label: String,
}

impl SchemaError {
    /// With a label under the caret.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.detail.label = Some(label.into());
        self
    }

    /// With a `help:` line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.detail.help = Some(help.into());
        self
    }

    /// With a `note:` line.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.detail.note = Some(note.into());
        self
    }

    /// As a warning.
    #[must_use]
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

/// Everything [`SchemaSet::load_all`](crate::SchemaSet::load_all) found wrong with a group of sources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// Every error found (at least one when returned as an error).
    pub errors: Vec<SchemaError>,
    /// Warnings found on the way (misspelled keys and logical types, ...).
    pub warnings: Vec<SchemaError>,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

pub(crate) fn make_error(src: &Source, pointer: &str, message: String) -> SchemaError {
    // JSON made from IDL: the place is the IDL file's line and column (the
    // JSON text and its pointer are nothing the author wrote).
    if let Some(map) = &src.positions {
        let (line, column) = map.locate(pointer);
        return SchemaError {
            source_name: src.name.clone(),
            line,
            column,
            pointer: String::new(),
            message,
            span: 0..0,
            severity: Severity::Error,
            detail: Box::default(),
        };
    }
    let span = locate::span(&src.text, pointer);
    let (line, column) = locate::line_col(&src.text, span.start);
    SchemaError {
        source_name: src.name.clone(),
        line,
        column,
        pointer: pointer.to_owned(),
        message,
        span,
        severity: Severity::Error,
        detail: Box::default(),
    }
}

/// An error at byte `offset` of `src` (no JSON pointer: a syntax error).
fn error_at_offset(src: &Source, offset: usize, len: usize, message: String) -> SchemaError {
    let text = &src.text;
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let mut end = (offset + len).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let (line, column) = locate::line_col(text, offset);
    SchemaError {
        span: offset..end,
        line,
        column,
        ..make_error(src, "", message)
    }
}

/// A JSON syntax error, said the way a schema author needs it: an empty
/// file as such, a trailing comma at the comma.
pub(crate) fn json_error(src: &Source, e: &serde_json::Error) -> SchemaError {
    if src.text.trim().is_empty() {
        return error_at_offset(src, 0, 0, "file is empty".into())
            .with_label("expected a schema here")
            .with_note(
                "a schema file holds one JSON schema: a type name, an object or a union array",
            );
    }
    let offset = locate::offset_of(&src.text, e.line(), e.column());
    let message = e.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned();
    if message == "trailing comma" {
        let comma = src.text[..offset.min(src.text.len())]
            .rfind(',')
            .unwrap_or(offset);
        return error_at_offset(src, comma, 1, "trailing comma".into())
            .with_label("remove this comma")
            .with_note("JSON allows no comma after the last element of an array or object");
    }
    if message.starts_with("EOF while parsing") {
        return error_at_offset(
            src,
            src.text.trim_end().len(),
            0,
            format!("invalid JSON: {message}"),
        )
        .with_label("the document ends here");
    }
    let near = src
        .text
        .get(offset.saturating_sub(2)..(offset + 2).min(src.text.len()))
        .unwrap_or("");
    let help = (near.contains("//") || near.contains("/*"))
        .then_some("JSON has no comments: remove it, or say it in a \"doc\"");
    let err = error_at_offset(
        src,
        offset.saturating_sub(1),
        1,
        format!("invalid JSON: {message}"),
    )
    .with_label(message.clone());
    match help {
        Some(h) => err.with_help(h),
        None => err,
    }
}

/// The candidate closest to `word` by edit distance, if close enough to be
/// a likely misspelling (at most a third of the word's length, and 2 or
/// fewer edits for short words).
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_never_split_a_char_or_panic() {
        // Every text of up to four pieces, multi-byte chars among them: the
        // error's span stays on char boundaries (the renderer slices by it).
        let pieces = [
            "é", "€", "{", "}", "[", "]", "\"", ":", ",", "1", "x", " ", "\n", "/",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer.into_iter().filter(|t| t.chars().count() <= 4));
            texts.sort();
            texts.dedup();
        }
        let mut checked = 0;
        for text in &texts {
            let Err(e) = serde_json::from_str::<serde_json::Value>(text) else {
                continue;
            };
            let err = json_error(&Source::new("s.avsc", text.as_str()), &e);
            assert!(
                text.is_char_boundary(err.span.start) && text.is_char_boundary(err.span.end),
                "{text:?}: {err:?}"
            );
            assert!(err.line >= 1 && err.column >= 1, "{text:?}: {err:?}");
            checked += 1;
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn suggestions_need_a_close_candidate() {
        assert_eq!(
            did_you_mean("Superpowr", ["Superpower", "Hero"]),
            Some("Superpower")
        );
        assert_eq!(did_you_mean("feilds", ["fields", "name"]), Some("fields"));
        assert_eq!(did_you_mean("x", ["fields", "name"]), None);
        assert_eq!(did_you_mean("avro.java.string", ["logicalType"]), None);
    }
}
