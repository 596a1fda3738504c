//! Small helpers that generated resolved decoders (`Decode::decode_resolved`)
//! call instead of repeating the same code in every record: the record loop
//! over the plan's writer fields ([`record`]), and the field path added to
//! an error once per record loop rather than once per read ([`in_field`]).

use crate::decode::{Decode, Reader};
use crate::error::DecodeError;
use crate::resolve::PlanNode;

/// The record loop of a generated `decode_resolved`: where the plan is
/// identity, `T` is read by its own decoder, and where the writer value is
/// not a record the plan transcodes it (`Ok(Some(value))` either way);
/// otherwise each writer field, in the writer's order, is read by `field`
/// (given the reader field's index and the field's plan) or skipped, and
/// `Ok(None)` says the caller's slots are filled. An error names the reader
/// field (`names`, in reader order) it happened in.
#[inline(always)]
pub fn record<'p, T: Decode>(
    r: &mut Reader<'_>,
    p: PlanNode<'p>,
    names: &[&'static str],
    mut field: impl FnMut(&mut Reader<'_>, usize, PlanNode<'p>) -> Result<(), DecodeError>,
) -> Result<Option<T>, DecodeError> {
    if p.is_identity() {
        return T::decode(r).map(Some);
    }
    let p = p.writer_branch(r)?;
    let Some(fields) = p.record_fields() else {
        return p.decode_transcoded(r, T::decode).map(Some);
    };
    for (t, n) in fields {
        let read = match t {
            Some(k) => field(r, k, n),
            None => n.skip(r),
        };
        if let Err(e) = read {
            return Err(in_field(e, t, names));
        }
    }
    Ok(None)
}

/// Adds the reader field a record loop was filling when `e` happened:
/// `target` is the reader field's index (`None`: a writer-only field being
/// skipped, which has no reader name), `names` the reader's field names in
/// order.
#[cold]
#[inline(never)]
pub fn in_field(e: DecodeError, target: Option<usize>, names: &[&'static str]) -> DecodeError {
    match target.and_then(|t| names.get(t)) {
        Some(name) => e.field(name),
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DecodeErrorKind;

    #[test]
    fn names_the_reader_field_or_nothing_for_a_skipped_one() {
        let e = || DecodeError::new(DecodeErrorKind::Custom("x".into()));
        let names = ["a", "b"];
        assert_eq!(
            in_field(e(), Some(1), &names).to_string(),
            e().field("b").to_string()
        );
        assert_eq!(in_field(e(), None, &names).to_string(), e().to_string());
    }
}
