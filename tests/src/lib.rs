//! Harness for the workspace's integration tests: the code `build.rs`
//! generated from ../shared (interop vectors and the corpus) and the checks
//! run on each case. The tests themselves live in `tests/`.

pub mod interop;
pub mod jsoncmp;
pub mod random;

use avro_runtime::json::ToAvroJson;
use avro_runtime::{Decode, Encode};

/// Decodes `bytes` as `T` (all of it), re-encodes, and gives the value's Avro JSON.
pub type RoundTrip = fn(&[u8]) -> Result<(Vec<u8>, serde_json::Value), String>;

pub fn round_trip<T: Encode + Decode + ToAvroJson>(
    bytes: &[u8],
) -> Result<(Vec<u8>, serde_json::Value), String> {
    let v: T = avro_runtime::from_slice(bytes).map_err(|e| e.to_string())?;
    let again = avro_runtime::to_vec(&v).map_err(|e| e.to_string())?;
    Ok((again, v.to_avro_json()))
}

include!("../../support/shared_dir.rs");

/// A check over one case directory: a summary of what passed, or what failed.
pub type CaseCheck = fn(&std::path::Path) -> Result<String, String>;

/// One interop vector directory and the check generated for its root type.
pub struct InteropCase {
    pub name: &'static str,
    pub check: CaseCheck,
    pub round_trip: RoundTrip,
    /// For resolution cases (with a reader.avsc): reads datums.bin with the
    /// type generated from reader.avsc and compares with resolved.json.
    pub resolved: Option<CaseCheck>,
}

/// The type generated from a compatible pair's reader schema (or why none
/// could be generated).
pub struct TypedReader {
    pub id: &'static str,
    pub check: Result<ResolvedCheck, &'static str>,
}

/// Reads writer bytes through a plan with a generated type; see [`resolved_agrees`].
pub type ResolvedCheck = fn(&avro_runtime::resolve::Plan, &[u8]) -> Result<(), String>;

/// The generated resolved decoder (`decode_with_plan`, reading the writer's
/// bytes straight into `R`) against the reference path (the datum
/// transcoded into the reader's encoding, then decoded): both succeed with
/// the same value (compared by encoding, so NaNs compare), or both fail.
pub fn resolved_agrees<R: Encode + Decode>(
    plan: &avro_runtime::resolve::Plan,
    bytes: &[u8],
) -> Result<(), String> {
    use avro_runtime::resolve::{decode_transcoded, decode_with_plan};
    let direct = decode_with_plan::<R>(plan, bytes).map(|v| avro_runtime::to_vec(&v));
    let reference = decode_transcoded::<R>(plan, bytes).map(|v| avro_runtime::to_vec(&v));
    match (direct, reference) {
        (Ok(Ok(a)), Ok(Ok(b))) if a == b => Ok(()),
        (Err(_), Err(_)) => Ok(()),
        (a, b) => Err(format!(
            "generated resolved decoder gave {a:02x?}, the transcoding reference {b:02x?}"
        )),
    }
}

/// What the generated code of a top-level schema says about itself.
#[derive(Debug, Clone, Copy)]
pub struct RootType {
    pub rust_type: &'static str,
    pub schema: fn() -> &'static str,
    pub canonical_form: fn() -> &'static str,
    pub fingerprint: fn() -> u64,
    pub round_trip: RoundTrip,
}

impl RootType {
    pub const fn of<T: avro_runtime::AvroSchema + Encode + Decode + ToAvroJson>(
        rust_type: &'static str,
    ) -> Self {
        RootType {
            rust_type,
            schema: T::schema,
            canonical_form: T::canonical_form,
            fingerprint: T::fingerprint,
            round_trip: round_trip::<T>,
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
    /// Code generated from Avro IDL: one entry per top-level schema of the
    /// file (its named types, then its main schema), the file read (a copy
    /// of a file of Java's IDL test suite is read in ../shared/idl, where the
    /// files it imports are) and the import search path it was read with.
    /// Tests that read the file as JSON skip these.
    Idl {
        roots: &'static [RootType],
        read: &'static str,
        search_paths: &'static [&'static str],
    },
}

/// One corpus file (path relative to corpus/) and its dependencies.
#[derive(Debug, Clone, Copy)]
pub struct CorpusCase {
    pub file: &'static str,
    pub deps: &'static [&'static str],
    pub outcome: Outcome,
}

include!(concat!(env!("OUT_DIR"), "/generated.rs"));
