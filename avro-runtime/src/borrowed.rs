//! Zero-copy decoding: [`DecodeBorrowed`], implemented by the borrowed types
//! generated with `Options::borrowed` (`EventRef<'a>` beside `Event`: `&'a
//! str` for strings, `&'a [u8]` for bytes and decimals, `Vec` for arrays,
//! a `Vec` of `(&'a str, value)` pairs for maps), [`Borrowable`] linking an
//! owned type to its borrowed one, and [`from_slice_ref`].
//!
//! A borrowed value points into the input: decoding allocates only for the
//! arrays and maps it collects, and UTF-8 is validated in place. Maps keep
//! the wire order and every entry (duplicates included, the last one wins
//! when converted to the owned type, as the owned decoder does).

use crate::decode::{Limits, Reader};
use crate::error::{DecodeError, PathSegment};

/// A value that decodes from Avro binary by borrowing from the input.
pub trait DecodeBorrowed<'a>: Sized {
    /// The name used as the root of error paths (as [`Decode::AVRO_NAME`](crate::Decode::AVRO_NAME)).
    const AVRO_NAME: &'static str = "value";

    /// Decodes one value, borrowing strings and bytes from the reader's input.
    fn decode_ref(r: &mut Reader<'a>) -> Result<Self, DecodeError>;
}

/// An owned generated type and its borrowed counterpart (`Event` and
/// `EventRef<'a>`; a type with nothing to borrow is its own).
pub trait Borrowable: Sized {
    /// The borrowed type.
    type Ref<'a>: DecodeBorrowed<'a> + crate::Encode;

    /// The owned value of a borrowed one (strings and bytes copied).
    fn from_ref(value: &Self::Ref<'_>) -> Self;
}

impl<'a, T: DecodeBorrowed<'a>> DecodeBorrowed<'a> for Box<T> {
    const AVRO_NAME: &'static str = T::AVRO_NAME;
    #[inline]
    fn decode_ref(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        T::decode_ref(r).map(Box::new)
    }
}

/// Decodes one borrowed value that must span all of `bytes`.
#[inline]
pub fn from_slice_ref<'a, T: DecodeBorrowed<'a>>(bytes: &'a [u8]) -> Result<T, DecodeError> {
    from_slice_ref_with_limits(bytes, &Limits::DEFAULT)
}

/// [`from_slice_ref`] within `limits`.
#[inline]
pub fn from_slice_ref_with_limits<'a, T: DecodeBorrowed<'a>>(
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<T, DecodeError> {
    let mut r = Reader::with_limits(bytes, limits);
    let v = T::decode_ref(&mut r).map_err(|e| e.push(PathSegment::Root(T::AVRO_NAME)))?;
    r.finish()?;
    Ok(v)
}

/// Support for generated borrowed decoders (not a stable API).
#[doc(hidden)]
pub mod support {
    use super::*;

    /// Wraps a decode of a recursive type: counts the nesting on the
    /// reader (see [`Reader::enter`]).
    #[inline]
    pub fn nested<'a, T>(
        r: &mut Reader<'a>,
        f: impl FnOnce(&mut Reader<'a>) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        r.enter()?;
        let v = f(r);
        r.leave();
        v
    }

    /// A `fixed` of `n` bytes borrowed from the input.
    #[inline]
    pub fn read_fixed_ref<'a>(r: &mut Reader<'a>, n: usize) -> Result<&'a [u8], DecodeError> {
        r.take(n)
    }
}
