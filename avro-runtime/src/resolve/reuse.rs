//! Resolved decoding for the consumer's hot loop: into an existing value
//! ([`decode_into_with_plan`]) and into a borrowed value
//! ([`decode_ref_with_plan`]).
//!
//! A borrowed value must point into bytes that outlive it. Where the plan
//! is identity (the writer's bytes are the reader's encoding) it borrows
//! from the message itself; elsewhere the datum is first transcoded into
//! the reader's encoding in `scratch` (a buffer the caller keeps, so its
//! capacity is reused) and the value borrows from that.

use super::Plan;
use crate::borrowed::DecodeBorrowed;
use crate::decode::{Decode, Reader};
use crate::error::{DecodeError, PathSegment};

/// Decodes `bytes`, written with the plan's writer schema, into `value`
/// (whose type's schema is the plan's reader schema), reusing its capacity
/// where the plan changes nothing (see [`Decode::decode_resolved_into`]).
pub fn decode_into_with_plan<T: Decode>(
    value: &mut T,
    plan: &Plan,
    bytes: &[u8],
) -> Result<(), DecodeError> {
    let mut r = Reader::new(bytes);
    value
        .decode_resolved_into(&mut r, plan.root())
        .map_err(|e| e.push(PathSegment::Root(T::AVRO_NAME)))?;
    r.finish()
}

/// Decodes `bytes`, written with the plan's writer schema, as the borrowed
/// type `T` (whose schema is the plan's reader schema): straight from
/// `bytes` where the plan is identity, else from the datum transcoded into
/// `scratch` (cleared first).
pub fn decode_ref_with_plan<'a, T: DecodeBorrowed<'a>>(
    plan: &Plan,
    bytes: &'a [u8],
    scratch: &'a mut Vec<u8>,
) -> Result<T, DecodeError> {
    let root = |e: DecodeError| e.push(PathSegment::Root(T::AVRO_NAME));
    let input: &'a [u8] = if plan.is_identity() {
        bytes
    } else {
        scratch.clear();
        let mut r = Reader::new(bytes);
        plan.transcode(&mut r, scratch).map_err(root)?;
        r.finish()?;
        scratch
    };
    let mut r = Reader::new(input);
    let v = T::decode_ref(&mut r).map_err(root)?;
    r.finish()?;
    Ok(v)
}
