//! Schema resolution: what it takes to read data written with one schema
//! (the writer's) as another (the reader's), per the specification's
//! "Schema Resolution".
//!
//! [`resolve`] gives a [`Plan`] or every incompatibility, each with its kind,
//! its location in the reader schema (`/fields/1/type/items`) and a message.
//! A plan transcodes a writer-schema datum into the reader schema's binary
//! encoding in one pass over the bytes (skipping removed fields, promoting
//! numbers, mapping enum symbols and union branches, writing defaults
//! pre-encoded at plan time); the reader type's generated decoder then reads
//! the result. No value tree is built. [`Resolver`] caches plans per writer
//! fingerprint.
//!
//! Generated types do better than transcoding: their
//! [`Decode::decode_resolved`] walks the plan through [`PlanNode`] and reads
//! the writer's bytes straight into the reader's fields (a record plan lists
//! the writer's fields with the reader field each fills; parts of the plan
//! that change nothing are marked identity and read by the ordinary
//! decoder). Transcoding remains the fallback for the rare shapes the
//! generated code does not specialise, such as a union read as a record.
//!
//! The module's rooms: this file (the entry points, incompatibilities and
//! errors), `plan` (building plans: the resolution rules), `transcode` (the
//! writer-to-reader byte rewriter), `node` (the [`PlanNode`] API generated
//! code calls), `resolver` (the per-writer plan cache) and `hot` (its
//! lock-free slots for the first writers, shared with avro-registry).

use std::fmt;

use crate::error::DecodeError;
use crate::schema::{Schema, SchemaSet};
use crate::Decode;

mod hot;
mod node;
mod plan;
mod resolver;
mod reuse;
mod transcode;

pub use hot::{HotSlots, HOT_SLOTS};
pub use node::{required, PlanNode};
pub use plan::{encode_default, Plan};
pub use resolver::{Resolver, WriterHandle};
pub use reuse::{decode_into_with_plan, decode_ref_with_plan};

/// The kinds of incompatibility, named as Avro Java's `SchemaCompatibility` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncompatibilityKind {
    /// The writer's type cannot be read as the reader's (no promotion).
    TypeMismatch,
    /// Named types whose names (and aliases) differ.
    NameMismatch,
    /// Two `fixed` of different sizes.
    FixedSizeMismatch,
    /// Writer enum symbols the reader lacks, with no reader default.
    MissingEnumSymbols,
    /// A writer union branch the reader cannot read.
    MissingUnionBranch,
    /// A reader field absent from the writer and without a default.
    ReaderFieldMissingDefaultValue,
    /// A reader field matches one writer field by name and another by
    /// alias (Java's resolver throws "matches multiple fields").
    AmbiguousField,
}

impl IncompatibilityKind {
    /// Avro Java's name (`TYPE_MISMATCH`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            IncompatibilityKind::TypeMismatch => "TYPE_MISMATCH",
            IncompatibilityKind::NameMismatch => "NAME_MISMATCH",
            IncompatibilityKind::FixedSizeMismatch => "FIXED_SIZE_MISMATCH",
            IncompatibilityKind::MissingEnumSymbols => "MISSING_ENUM_SYMBOLS",
            IncompatibilityKind::MissingUnionBranch => "MISSING_UNION_BRANCH",
            IncompatibilityKind::ReaderFieldMissingDefaultValue => {
                "READER_FIELD_MISSING_DEFAULT_VALUE"
            }
            IncompatibilityKind::AmbiguousField => "AMBIGUOUS_FIELD",
        }
    }
}

/// One reason the reader cannot read the writer's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incompatibility {
    /// Which rule is broken.
    pub kind: IncompatibilityKind,
    /// JSON-pointer-like path in the reader schema, e.g. `/fields/1/type`.
    pub location: String,
    /// What does not match, in words.
    pub message: String,
}

impl fmt::Display for Incompatibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = if self.location.is_empty() {
            "/"
        } else {
            &self.location
        };
        write!(f, "{} at {loc}: {}", self.kind.as_str(), self.message)
    }
}

/// Resolves `writer` (a schema of `wset`) against `reader` (of `rset`).
pub fn resolve(
    wset: &SchemaSet,
    writer: &Schema,
    rset: &SchemaSet,
    reader: &Schema,
) -> Result<Plan, Vec<Incompatibility>> {
    plan::build(wset, writer, rset, reader, false)
}

/// Resolves for decoding, datum by datum, as the specification's rules read:
/// where the writer has a union and the reader does not, each writer branch
/// the reader can read gets its plan and data in any other branch fails
/// when it comes, naming the branch (Java's resolving decoder does the
/// same). [`resolve`] (and so `compat::check`) still calls such a pair
/// incompatible, as Java's checker and the registry do. The plan is refused
/// only when no writer branch is readable, or for any other incompatibility.
pub fn resolve_for_decoding(
    wset: &SchemaSet,
    writer: &Schema,
    rset: &SchemaSet,
    reader: &Schema,
) -> Result<Plan, Vec<Incompatibility>> {
    plan::build(wset, writer, rset, reader, true)
}

/// Parses both schemas and resolves them: a convenience for schema texts.
pub fn resolve_texts(writer: &str, reader: &str) -> Result<Plan, ResolveError> {
    let (wset, w) = SchemaSet::parse_str(writer)
        .map_err(|e| ResolveError::Schema(format!("writer schema: {e}")))?;
    let (rset, r) = SchemaSet::parse_str(reader)
        .map_err(|e| ResolveError::Schema(format!("reader schema: {e}")))?;
    resolve(&wset, &w, &rset, &r).map_err(ResolveError::Incompatible)
}

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// A schema text did not parse (which one, and why).
    Schema(String),
    /// The schemas parse but the reader cannot read the writer's data.
    Incompatible(Vec<Incompatibility>),
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Schema(message) => write!(f, "{message}"),
            ResolveError::Incompatible(problems) => {
                // One problem a line; the line break after the colon is
                // there even with no problems.
                f.write_str("the reader schema cannot read the writer's data:\n")?;
                for (k, problem) in problems.iter().enumerate() {
                    if k > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "  {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ResolveError {}

/// Decodes `bytes`, written with the plan's writer schema, as `T` (whose
/// schema must be the plan's reader schema): when the writer's bytes are
/// already the reader's ([`Plan::is_identity`]: the same schema, or one
/// that differs only where the encoding does not), through `T`'s ordinary
/// decoder; else through the decoder generated for that writer when `T` has
/// one ([`Decode::known_writer`], looked up by the writer's fingerprint),
/// else through `T`'s plan-driven [`Decode::decode_resolved`].
///
/// The identity case is inlined into the caller, as [`crate::from_slice`]
/// is: a same-schema read through a plan then costs what a plain read does
/// (out of line, the extra call and result copy cost the 7-byte `student`
/// record 10% of its decode).
#[inline(always)]
pub fn decode_with_plan<T: Decode>(plan: &Plan, bytes: &[u8]) -> Result<T, DecodeError> {
    decode_with_plan_as(plan, bytes)
}

/// [`decode_with_plan`] returning the caller's error type (`Resolver`'s
/// [`ResolvedDecodeError`]), with the value written straight into it.
#[inline(always)]
pub(crate) fn decode_with_plan_as<T: Decode, E: From<DecodeError>>(
    plan: &Plan,
    bytes: &[u8],
) -> Result<T, E> {
    if plan.is_identity() {
        return crate::read_whole(bytes, T::decode);
    }
    decode_with_plan_resolving(plan, bytes).map_err(E::from)
}

/// [`decode_with_plan`] for a writer whose bytes are not the reader's.
fn decode_with_plan_resolving<T: Decode>(plan: &Plan, bytes: &[u8]) -> Result<T, DecodeError> {
    match T::known_writer(plan.writer_fingerprint()) {
        Some(known) => crate::read_whole(bytes, known),
        None => decode_with_plan_driven(plan, bytes),
    }
}

/// Decodes `bytes` as [`decode_with_plan`] does, always walking the plan
/// (never a decoder specialized to the writer): the fallback for writers
/// `T` does not know, and the reference the specialized decoders are
/// tested and measured against.
pub fn decode_with_plan_driven<T: Decode>(plan: &Plan, bytes: &[u8]) -> Result<T, DecodeError> {
    crate::read_whole(bytes, |r| T::decode_resolved(r, plan.root()))
}

/// Decodes `bytes` as [`decode_with_plan`] did before generated resolved
/// decoders: the whole datum transcoded into the reader's encoding (unless
/// the plan is identity), then decoded with `T`'s ordinary decoder. Kept as
/// the reference the generated path is tested and measured against.
pub fn decode_transcoded<T: Decode>(plan: &Plan, bytes: &[u8]) -> Result<T, DecodeError> {
    crate::read_whole(bytes, |r| plan.root().decode_transcoded(r, T::decode))
}

/// Why a resolved decode failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvedDecodeError {
    /// No plan could be made for the writer schema.
    Resolve(ResolveError),
    /// The plan was made, the bytes did not decode.
    Decode(DecodeError),
}

// Transparent: the inner error's message and source.
impl fmt::Display for ResolvedDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolvedDecodeError::Resolve(e) => fmt::Display::fmt(e, f),
            ResolvedDecodeError::Decode(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for ResolvedDecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ResolvedDecodeError::Resolve(e) => e.source(),
            ResolvedDecodeError::Decode(e) => e.source(),
        }
    }
}

impl From<ResolveError> for ResolvedDecodeError {
    fn from(e: ResolveError) -> Self {
        ResolvedDecodeError::Resolve(e)
    }
}

impl From<DecodeError> for ResolvedDecodeError {
    fn from(e: DecodeError) -> Self {
        ResolvedDecodeError::Decode(e)
    }
}
