//! Harness for the workspace's integration tests: the code `build.rs`
//! generated from ../shared (interop vectors and the corpus) and the checks
//! run on each case. The tests themselves live in `tests/`.

use std::path::PathBuf;

pub mod interop;
pub mod jsoncmp;

/// The shared test material (`AVRO_SHARED_DIR`, or `../shared` next to the repository).
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("AVRO_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared")),
    }
}

/// One interop vector directory and the check generated for its root type.
pub struct InteropCase {
    pub name: &'static str,
    pub check: fn(&std::path::Path) -> Result<String, String>,
}

/// What the generated code of a top-level schema says about itself.
#[derive(Debug, Clone, Copy)]
pub struct RootType {
    pub rust_type: &'static str,
    pub schema: &'static str,
    pub canonical_form: &'static str,
    pub fingerprint: u64,
}

impl RootType {
    pub const fn of<T: avro_runtime::AvroSchema>(rust_type: &'static str) -> Self {
        RootType {
            rust_type,
            schema: T::SCHEMA,
            canonical_form: T::CANONICAL_FORM,
            fingerprint: T::FINGERPRINT,
        }
    }
}

/// What generation did with a corpus file.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    /// Code generated and compiled; one entry per top-level schema of the file.
    Generated(&'static [RootType]),
    /// Generation failed with this error.
    Failed(&'static str),
    /// A format we do not read yet (Avro IDL).
    NotSupported(&'static str),
}

/// One corpus file (path relative to corpus/) and its dependencies.
#[derive(Debug, Clone, Copy)]
pub struct CorpusCase {
    pub file: &'static str,
    pub deps: &'static [&'static str],
    pub outcome: Outcome,
}

include!(concat!(env!("OUT_DIR"), "/generated.rs"));
