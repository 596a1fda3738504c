//! Rustdoc of generated items: the schema's own `doc` where it has one, and
//! always a line saying which Avro name, kind and schema file the item comes
//! from, so that `cargo doc` answers "what did my schema become?" and a crate
//! with `#![deny(missing_docs)]` accepts the generated code.

use super::*;

/// Doc attributes for `text`, one per line. Avro docs are free text, not
/// Markdown written for rustdoc: leading indentation is dropped (four spaces
/// would start a code block that `cargo test` compiles as a doctest) and
/// fenced blocks are marked `text` for the same reason.
pub(super) fn doc_lines(text: &str) -> TokenStream {
    let mut out = TokenStream::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let mut line = line.trim().to_owned();
        if line.starts_with("```") {
            if !in_fence {
                line = "```text".to_owned();
            }
            in_fence = !in_fence;
        }
        let line = format!(" {line}");
        out.extend(quote!(#[doc = #line]));
    }
    if in_fence {
        out.extend(quote!(#[doc = " ```"]));
    }
    out
}

/// The Avro `doc` (if any), a blank line, then `generated`.
fn with_avro_doc(avro: Option<&str>, generated: &str) -> TokenStream {
    match avro.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => doc_lines(&format!("{d}\n\n{generated}")),
        None => doc_lines(generated),
    }
}

impl Emitter<'_> {
    /// ` (from `schemas/user.avsc`)`, when the type has a source file.
    fn source_file_note(&self, id: DefId) -> String {
        match self.ir.origins.get(&id) {
            Some(file) => format!(" (from `{file}`)"),
            None => String::new(),
        }
    }

    /// The doc of the type `id`.
    pub(super) fn type_doc(&self, id: DefId) -> TokenStream {
        let t = &self.ir.types[id];
        let from = self.source_file_note(id);
        let generated = match &t.kind {
            DefKind::Record { .. } => format!("Avro record `{}`{from}.", t.avro_name),
            DefKind::Enum { variants, default } => {
                let default = default
                    .map(|d| format!(" Default: `{}`.", variants[d].avro_name))
                    .unwrap_or_default();
                format!("Avro enum `{}`{from}.{default}", t.avro_name)
            }
            DefKind::Fixed { size } => {
                format!("Avro fixed `{}` of {size} bytes{from}.", t.avro_name)
            }
            DefKind::Union { variants } => {
                let branches: Vec<String> = variants
                    .iter()
                    .map(|v| format!("`{}`", v.avro_name))
                    .collect();
                let what = if self.ir.roots.iter().any(|&(_, root)| root == id) {
                    "The top-level schema, a union"
                } else {
                    "An Avro union"
                };
                format!(
                    "{what} of {}{from}: one variant per branch, in branch order.",
                    branches.join(", ")
                )
            }
            DefKind::Wrapper { .. } => {
                format!("The {}{from}, which is not a named type.", t.avro_name)
            }
        };
        with_avro_doc(t.doc.as_deref(), &generated)
    }

    /// The doc of a record field: its Avro name (the record's full name is
    /// in the struct's doc, not repeated at every field) and default.
    pub(super) fn field_doc(f: &FieldDef) -> TokenStream {
        let default = match &f.default {
            Some(d) => format!(" Schema default: `{d}`."),
            None => String::new(),
        };
        let generated = format!("Avro field `{}`.{default}", f.avro_name);
        with_avro_doc(f.doc.as_deref(), &generated)
    }

    /// The doc of an enum symbol's variant.
    pub(super) fn symbol_doc(v: &VariantDef) -> TokenStream {
        doc_lines(&format!("Avro symbol `{}`.", v.avro_name))
    }

    /// The doc of a union branch's variant.
    pub(super) fn branch_doc(v: &VariantDef) -> TokenStream {
        match v.ty {
            None => doc_lines("The `null` branch."),
            Some(_) => doc_lines(&format!("The `{}` branch.", v.avro_name)),
        }
    }
}
