//! Schema references: a schema that uses types registered under other
//! subjects is fetched with all its references, recursively (each
//! `(subject, version)` once, cycles stopped), and parsed together with them
//! through the runtime's multi-source [`SchemaSet`].

use std::collections::HashSet;

use avro_runtime::schema::{self as model, SchemaSet, Source};

use crate::error::{Context, Error, ErrorKind};
use crate::registry::Registry;
use crate::types::{Schema, SchemaReference, SchemaType, Version};

/// More references than this is taken for a loop or a hostile registry.
const MAX_REFERENCES: usize = 10_000;

/// A registered schema parsed with its references.
#[derive(Debug, Clone)]
pub struct ParsedSchema {
    /// Every named type of the schema and its references.
    pub set: SchemaSet,
    /// The schema itself.
    pub root: model::Schema,
}

impl ParsedSchema {
    /// The schema as one self-contained JSON text (referenced types inlined).
    pub fn to_json(&self) -> String {
        self.set.to_json(&self.root).to_string()
    }

    /// Its Parsing Canonical Form.
    pub fn canonical_form(&self) -> String {
        self.set.canonical_form(&self.root)
    }

    /// Its CRC-64-AVRO fingerprint.
    pub fn fingerprint(&self) -> u64 {
        self.set.fingerprint(&self.root)
    }
}

fn version_of(r: &SchemaReference) -> Version {
    if r.version < 1 {
        Version::Latest
    } else {
        Version::Number(r.version as u32)
    }
}

fn schema_error(message: String, what: &str) -> Error {
    Error::new(
        ErrorKind::Schema(message),
        Context {
            method: "PARSE",
            url: what.to_owned(),
            ..Context::default()
        },
    )
}

/// Parses `main` after the referenced `sources` (dependencies first).
pub(crate) fn parse_with(
    sources: Vec<Source>,
    main: &Schema,
    what: &str,
) -> Result<ParsedSchema, Error> {
    if main.schema_type != SchemaType::Avro {
        return Err(schema_error(
            format!("{:?} schema, not Avro", main.schema_type),
            what,
        ));
    }
    let (set, root) = SchemaSet::load_main(sources, Source::new(what, main.schema.clone()))
        .map_err(|e| schema_error(e.to_string(), what))?;
    let root = root.ok_or_else(|| schema_error("the schema defines no type".into(), what))?;
    Ok(ParsedSchema { set, root })
}

/// Fetches every schema `schema` references, recursively, and parses them together.
pub async fn load_schema<R: Registry + ?Sized>(
    registry: &R,
    schema: &Schema,
    what: &str,
) -> Result<ParsedSchema, Error> {
    let mut pending: Vec<SchemaReference> = schema.references.iter().rev().cloned().collect();
    let mut seen = HashSet::new();
    let mut fetched = Vec::new();
    while let Some(r) = pending.pop() {
        if !seen.insert((r.subject.clone(), r.version)) {
            continue;
        }
        if seen.len() > MAX_REFERENCES {
            return Err(schema_error(
                format!("more than {MAX_REFERENCES} references"),
                what,
            ));
        }
        let v = registry.version(&r.subject, version_of(&r)).await?;
        pending.extend(v.references.iter().rev().cloned());
        fetched.push(v);
    }
    // Dependencies first: the order they were found in, reversed.
    let sources = fetched
        .iter()
        .rev()
        .map(|v| Source::new(format!("{} v{}", v.subject, v.version), v.schema.clone()))
        .collect();
    parse_with(sources, schema, what)
}
