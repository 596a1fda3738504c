//! Small helpers that generated resolved decoders (`Decode::decode_resolved`)
//! call instead of repeating the same code in every record: the field path
//! added to an error once per record loop rather than once per read.

use crate::error::DecodeError;

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
