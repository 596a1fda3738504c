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
    pub reuse: ReuseCheck,
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
    /// The borrowed type and `decode_into` against the owned decode.
    pub reuse: ReuseCheck,
}

impl RootType {
    pub const fn of<
        T: avro_runtime::AvroSchema + Encode + Decode + ToAvroJson + avro_runtime::Borrowable,
    >(
        rust_type: &'static str,
    ) -> Self {
        RootType {
            rust_type,
            schema: T::schema,
            canonical_form: T::canonical_form,
            fingerprint: T::fingerprint,
            round_trip: round_trip::<T>,
            reuse: reuse_agrees::<T>,
        }
    }
}

/// Checks a sequence of datums through the borrowed type and `decode_into`;
/// gives how many decoded.
pub type ReuseCheck = fn(&[&[u8]]) -> Result<usize, String>;

/// Over `datums` in order: the borrowed decode succeeds exactly where the
/// owned one does, its `to_owned()` equals the owned value and it
/// re-encodes to the input (where the owned value does); decoding each datum into one reused value
/// (which held the previous datum's value) equals decoding it afresh, so
/// nothing of the previous value is left (values compared by encoding, so
/// NaNs compare).
pub fn reuse_agrees<T: Encode + Decode + avro_runtime::Borrowable>(
    datums: &[&[u8]],
) -> Result<usize, String> {
    use avro_runtime::{from_slice, from_slice_into, from_slice_ref, to_vec};
    let enc = |v: &T| to_vec(v).map_err(|e| format!("encode: {e}"));
    let mut reused: Option<T> = None;
    let mut decoded = 0;
    for (i, bytes) in datums.iter().enumerate() {
        let owned = from_slice::<T>(bytes);
        let borrowed = from_slice_ref::<T::Ref<'_>>(bytes);
        match (&owned, &borrowed) {
            (Ok(o), Ok(b)) => {
                let want = enc(o)?;
                if enc(&T::from_ref(b))? != want {
                    return Err(format!("datum {i} {bytes:02x?}: to_owned() of the borrowed decode differs from the owned decode"));
                }
                // Where the owned value re-encodes to the input (canonical
                // varints, no duplicate map key), so must the borrowed one.
                let again = to_vec(b).map_err(|e| format!("encode borrowed: {e}"))?;
                if want == *bytes && again != *bytes {
                    return Err(format!(
                        "datum {i} {bytes:02x?}: the borrowed value re-encodes as {again:02x?}"
                    ));
                }
                decoded += 1;
            }
            (Err(_), Err(_)) => {}
            (o, b) => {
                return Err(format!(
                    "datum {i} {bytes:02x?}: owned decode {:?}, borrowed decode {:?}",
                    o.as_ref().err().map(ToString::to_string),
                    b.as_ref().err().map(ToString::to_string)
                ))
            }
        }
        match (&mut reused, owned) {
            (None, Ok(o)) => reused = Some(o),
            (None, Err(_)) => {}
            (Some(r), owned) => {
                let into = from_slice_into(r, bytes);
                match (into, owned) {
                    (Ok(()), Ok(o)) => {
                        if enc(r)? != enc(&o)? {
                            return Err(format!("datum {i} {bytes:02x?}: decode_into the previous value gave {:02x?}, from_slice {:02x?}", enc(r)?, enc(&o)?));
                        }
                    }
                    (Err(_), Err(_)) => {}
                    (a, b) => {
                        return Err(format!(
                            "datum {i} {bytes:02x?}: decode_into {:?}, from_slice {:?}",
                            a.err().map(|e| e.to_string()),
                            b.err().map(|e| e.to_string())
                        ))
                    }
                }
            }
        }
    }
    Ok(decoded)
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
