//! The parser's suggestions: warnings for likely misspellings (attribute
//! keys, logical types), `help` lines for missing keys and unknown names,
//! and the first definition of a duplicate name.

use serde_json::Value;

use super::{
    did_you_mean, locate, logical_for, make_error, Logical, LogicalBase, Origin, Parser, Props,
    Related, SchemaError, Slot, TypeId,
};

impl Parser<'_> {
    /// Warns about keys of `obj` that look like misspellings of the keys
    /// `known` (which it lacks): `feilds` for `fields`. Such keys are
    /// otherwise kept as custom properties, silently.
    pub(super) fn check_keys(
        &mut self,
        obj: &serde_json::Map<String, Value>,
        known: &[&str],
        ptr: &str,
    ) {
        for key in obj.keys() {
            if known.contains(&key.as_str()) {
                continue;
            }
            let absent = known.iter().copied().filter(|k| !obj.contains_key(*k));
            if let Some(meant) = did_you_mean(key, absent) {
                let kptr = format!("{ptr}/{}", key.replace('~', "~0").replace('/', "~1"));
                let mut w = self
                    .err(
                        &kptr,
                        format!("unknown attribute {key:?}, kept as a custom property"),
                    )
                    .with_label("not an Avro attribute")
                    .with_help(format!("did you mean `{meant}`?"))
                    .warning();
                // Point at the key, not its value.
                let text = &self.sources[self.source].text;
                if let Some(k) = text[..w.span.start].rfind(&format!("\"{key}\"")) {
                    w.span = k..k + key.len() + 2;
                    (w.line, w.column) = locate::line_col(text, k);
                }
                self.warnings.push(w);
            }
        }
    }

    /// The logical type named in `props` for `base`, warning when the name
    /// is a likely misspelling of a known one (the value is then read as its
    /// underlying type, as the specification says, which is rarely what the
    /// author meant).
    pub(super) fn logical(
        &mut self,
        props: &Props,
        base: LogicalBase,
        ptr: &str,
    ) -> Option<Logical> {
        let found = logical_for(props, base);
        if found.is_none() {
            if let Some(name) = props.get("logicalType").and_then(Value::as_str) {
                if let Some(meant) = did_you_mean(name, LOGICAL_NAMES.iter().copied()) {
                    let underlying = match base {
                        LogicalBase::Primitive(p) => p.name().to_owned(),
                        LogicalBase::Fixed(n) => format!("fixed({n})"),
                    };
                    let w = self
                        .err(
                            &format!("{ptr}/logicalType"),
                            format!("unknown logical type {name:?}"),
                        )
                        .with_label("not a logical type of the specification")
                        .with_help(format!("did you mean `{meant}`?"))
                        .with_note(format!(
                            "an unknown logical type is ignored: this value is read as a plain `{underlying}`"
                        ))
                        .warning();
                    self.warnings.push(w);
                }
            }
        }
        found
    }

    /// "`obj` has no `key`", with a `help:` naming a key of `obj` that looks
    /// like a misspelling of it.
    pub(super) fn missing(
        &self,
        obj: &serde_json::Map<String, Value>,
        key: &str,
        ptr: &str,
        message: impl Into<String>,
    ) -> SchemaError {
        let err = self
            .err(ptr, message)
            .with_label(format!("no \"{key}\" here"));
        let near = obj.keys().find(|k| did_you_mean(k, [key]).is_some());
        match near {
            Some(k) => err.with_help(format!("the key `{k}` looks like a misspelling of `{key}`")),
            None => err,
        }
    }

    /// Adds "first defined here", at the definition of `first`, to `err`.
    pub(super) fn first_defined_here(&self, err: SchemaError, first: TypeId) -> SchemaError {
        let mut err = err.with_label("defined again here");
        if let Slot::Defined(t) = &self.slots[first] {
            let at = make_error(
                &self.sources[t.origin.source],
                &format!("{}/name", t.origin.pointer),
                String::new(),
            );
            err.detail.related.push(Related {
                source_name: at.source_name,
                line: at.line,
                column: at.column,
                span: at.span,
                label: "first defined here".into(),
            });
        }
        err
    }

    /// "unknown type", with the defined or primitive name it most likely
    /// misspells.
    pub(super) fn unknown_type(
        &self,
        origin: &Origin,
        shown: &str,
        candidates: &[String],
    ) -> SchemaError {
        let err = make_error(
            &self.sources[origin.source],
            &origin.pointer,
            format!(
                "unknown type {shown:?}: it is neither a primitive type nor a named type defined in any schema (looked for {})",
                candidates.join(", ")
            ),
        )
        .with_label("unknown type");
        // Names as the reference would write them: short names of the
        // namespace it is looked up in, full names otherwise.
        let ns = candidates
            .first()
            .filter(|_| candidates.len() > 1)
            .and_then(|c| c.rsplit_once('.'))
            .map(|(ns, _)| ns);
        let mut names: Vec<String> = PRIMITIVE_NAMES.iter().map(|s| s.to_string()).collect();
        for full in self.by_name.keys() {
            match (ns, full.rsplit_once('.')) {
                (Some(ns), Some((tns, short))) if tns == ns => names.push(short.to_owned()),
                _ => names.push(full.clone()),
            }
        }
        names.sort();
        match did_you_mean(shown, names.iter().map(String::as_str)) {
            Some(m) => err.with_help(format!("did you mean `{m}`?")),
            None => err,
        }
    }
}

const PRIMITIVE_NAMES: &[&str] = &[
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

/// The logical types of the specification, for suggestions.
const LOGICAL_NAMES: &[&str] = &[
    "decimal",
    "uuid",
    "date",
    "time-millis",
    "time-micros",
    "timestamp-millis",
    "timestamp-micros",
    "timestamp-nanos",
    "local-timestamp-millis",
    "local-timestamp-micros",
    "local-timestamp-nanos",
    "duration",
];
