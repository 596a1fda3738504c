//! The consumer's hot loop through the registry: [`Deserializer::deserialize_into`]
//! (into a value reused from message to message) and
//! [`Deserializer::deserialize_ref`] (a borrowed value pointing into the
//! message), both through the same per-writer plan cache as
//! [`Deserializer::deserialize`].

use avro_runtime::resolve::{decode_into_with_plan, decode_ref_with_plan};
use avro_runtime::{AvroSchema, Borrowable, Decode, DecodeBorrowed, DecodeError, Reader};

use super::{Deserializer, WriterPlan};
use crate::registry::Registry;
use crate::serde::wire::{self, SchemaRef};
use crate::serde::SerdeError;

fn decode_error(schema: SchemaRef) -> impl FnOnce(DecodeError) -> SerdeError {
    move |source| SerdeError::Decode {
        schema: schema.to_string(),
        source,
    }
}

impl<T: Decode + AvroSchema, R: Registry> Deserializer<T, R> {
    /// Decodes a framed message into `value`, reusing the capacity of its
    /// strings, vectors and maps where the writer's schema reads without
    /// change (see `Decode::decode_resolved_into`). On error `value` holds
    /// a valid value of unspecified content.
    pub async fn deserialize_into(&self, message: &[u8], value: &mut T) -> Result<(), SerdeError> {
        let (schema, body) = wire::split(message)?;
        let plan = self.plan(schema).await?;
        let result = if plan.raw_bytes {
            decode_into_with_plan(value, &plan.plan, &framed(body))
        } else {
            decode_into_with_plan(value, &plan.plan, body)
        };
        result.map_err(decode_error(schema))
    }
}

impl<T: Decode + AvroSchema + Borrowable, R: Registry> Deserializer<T, R> {
    /// Decodes a framed message as `T`'s borrowed type, pointing into
    /// `message` where the writer's schema is the reader's encoding, else
    /// into `scratch`, which holds the message transcoded into the
    /// reader's encoding (keep one buffer and pass it every time).
    pub async fn deserialize_ref<'a>(
        &self,
        message: &'a [u8],
        scratch: &'a mut Vec<u8>,
    ) -> Result<T::Ref<'a>, SerdeError> {
        let (schema, body) = wire::split(message)?;
        let plan = self.plan(schema).await?;
        let result = if plan.raw_bytes {
            decode_raw_bytes::<T::Ref<'a>>(&plan, body, scratch)
        } else {
            decode_ref_with_plan::<T::Ref<'a>>(&plan.plan, body, scratch)
        };
        result.map_err(decode_error(schema))
    }
}

/// Confluent writes a top-level `"bytes"` value without its length: the
/// body with its length put back.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 10);
    avro_runtime::encode::write_bytes(&mut out, body);
    out
}

/// A borrowed top-level `"bytes"` value: the body framed (and transcoded
/// where the plan says) into `scratch`, and read from there.
fn decode_raw_bytes<'a, B: DecodeBorrowed<'a>>(
    plan: &WriterPlan,
    body: &[u8],
    scratch: &'a mut Vec<u8>,
) -> Result<B, DecodeError> {
    let framed = framed(body);
    scratch.clear();
    if plan.plan.is_identity() {
        scratch.extend_from_slice(&framed);
    } else {
        let mut r = Reader::new(&framed);
        plan.plan.transcode(&mut r, scratch)?;
        r.finish()?;
    }
    let mut r = Reader::new(scratch);
    let v = B::decode_ref(&mut r)?;
    r.finish()?;
    Ok(v)
}
