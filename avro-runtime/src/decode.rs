//! The [`Decode`] trait and the [`Reader`] generated decoders pull from.
//!
//! Every read checks the remaining input first: a length or block count larger
//! than what is left is an error before anything is allocated, so hostile input
//! cannot make a decoder allocate more than the input's size.

use crate::error::{DecodeError, DecodeErrorKind};

/// A value that reads itself from Avro binary.
pub trait Decode: Sized {
    /// The name used as the root of error paths (`Order` in `Order.items[3]`).
    const AVRO_NAME: &'static str = "value";

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// Decodes a value written with another schema, following `plan` (a
    /// node of a [`Plan`](crate::resolve::Plan) made with this type's own
    /// schema as the reader). Generated types override it to read the
    /// writer's bytes directly: fields in the writer's order, dropped fields
    /// skipped, missing ones set to their defaults, promotions applied. This
    /// default rewrites the value into this type's encoding first, then
    /// decodes that, which is always right and slower.
    #[inline]
    fn decode_resolved(
        r: &mut Reader<'_>,
        plan: crate::resolve::PlanNode<'_>,
    ) -> Result<Self, DecodeError> {
        plan.decode_transcoded(r, Self::decode)
    }
}

impl<T: Decode> Decode for Box<T> {
    const AVRO_NAME: &'static str = T::AVRO_NAME;
    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        T::decode(r).map(Box::new)
    }
    #[inline]
    fn decode_resolved(
        r: &mut Reader<'_>,
        plan: crate::resolve::PlanNode<'_>,
    ) -> Result<Self, DecodeError> {
        T::decode_resolved(r, plan).map(Box::new)
    }
}

/// Largest block count accepted for items whose encoding may be empty.
pub const MAX_ZERO_SIZE_ITEMS: u64 = 1 << 20;

/// How deeply values of recursive types may nest before decoding stops with
/// [`DecodeErrorKind::TooDeep`]. Each level takes at least one byte of input,
/// so without a limit a few megabytes of hostile input would overflow the
/// stack; 1024 levels fit the 2 MiB stack of a spawned thread.
pub const MAX_DEPTH: u32 = 1024;

/// A cursor over Avro binary input.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Values of recursive types being decoded (see [`MAX_DEPTH`]).
    depth: u32,
}

impl<'a> Reader<'a> {
    #[inline]
    pub fn new(data: &'a [u8]) -> Self {
        Reader {
            data,
            pos: 0,
            depth: 0,
        }
    }

    /// Enters a value of a recursive type: fails past [`MAX_DEPTH`] levels.
    /// Generated decoders call it (and [`Reader::leave`]) around each value
    /// of a type that can contain itself.
    #[inline]
    pub fn enter(&mut self) -> Result<(), DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.fail(DecodeErrorKind::TooDeep(MAX_DEPTH), self.pos));
        }
        self.depth += 1;
        Ok(())
    }

    /// Leaves a value entered with [`Reader::enter`].
    #[inline]
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Bytes not yet read.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    #[inline]
    pub fn position(&self) -> usize {
        self.pos
    }

    #[inline]
    pub fn rest(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }

    #[cold]
    fn eof(&self, needed: u64) -> DecodeError {
        DecodeError::at(
            DecodeErrorKind::UnexpectedEof {
                needed,
                remaining: self.remaining(),
            },
            self.pos,
        )
    }

    #[cold]
    fn fail(&self, kind: DecodeErrorKind, at: usize) -> DecodeError {
        DecodeError::at(kind, at)
    }

    #[inline]
    pub fn read_byte(&mut self) -> Result<u8, DecodeError> {
        match self.data.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.eof(1)),
        }
    }

    /// Takes the next `n` bytes.
    #[inline]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(self.eof(n as u64));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// A zig-zag varint `long`.
    #[inline]
    pub fn read_long(&mut self) -> Result<i64, DecodeError> {
        // One-byte fast path: most lengths, counts, indexes and small ints.
        if let Some(&b) = self.data.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(((b >> 1) as i64) ^ -((b & 1) as i64));
            }
        }
        self.read_long_slow()
    }

    #[inline]
    fn read_long_slow(&mut self) -> Result<i64, DecodeError> {
        let start = self.pos;
        let mut n: u64 = 0;
        let mut shift = 0u32;
        loop {
            let b = self.read_byte()?;
            if shift == 63 && b > 1 {
                return Err(self.fail(DecodeErrorKind::VarintOverflow, start));
            }
            n |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                break;
            }
            shift += 7;
            if shift > 63 {
                return Err(self.fail(DecodeErrorKind::VarintOverflow, start));
            }
        }
        Ok(((n >> 1) as i64) ^ -((n & 1) as i64))
    }

    #[inline]
    pub fn read_int(&mut self) -> Result<i32, DecodeError> {
        let start = self.pos;
        let v = self.read_long()?;
        i32::try_from(v).map_err(|_| self.fail(DecodeErrorKind::IntOutOfRange(v), start))
    }

    #[inline]
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        let start = self.pos;
        match self.read_byte()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(self.fail(DecodeErrorKind::InvalidBool(b), start)),
        }
    }

    #[inline]
    pub fn read_float(&mut self) -> Result<f32, DecodeError> {
        let b = self.take(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    #[inline]
    pub fn read_double(&mut self) -> Result<f64, DecodeError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    /// `n` doubles appended to `out` in one bounds check (an array block of doubles).
    #[inline]
    pub fn read_doubles_into(&mut self, n: usize, out: &mut Vec<f64>) -> Result<(), DecodeError> {
        let bytes = self.take(n.checked_mul(8).ok_or_else(|| self.eof(u64::MAX))?)?;
        out.extend(bytes.chunks_exact(8).map(|c| {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            f64::from_le_bytes(a)
        }));
        Ok(())
    }

    /// `n` floats appended to `out` in one bounds check (an array block of floats).
    #[inline]
    pub fn read_floats_into(&mut self, n: usize, out: &mut Vec<f32>) -> Result<(), DecodeError> {
        let bytes = self.take(n.checked_mul(4).ok_or_else(|| self.eof(u64::MAX))?)?;
        out.extend(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        Ok(())
    }

    /// A length prefix, checked against the remaining input.
    #[inline]
    pub fn read_len(&mut self) -> Result<usize, DecodeError> {
        let start = self.pos;
        let len = self.read_long()?;
        if len < 0 {
            return Err(self.fail(DecodeErrorKind::NegativeLength(len), start));
        }
        if len as u64 > self.remaining() as u64 {
            return Err(self.fail(
                DecodeErrorKind::LengthTooLarge {
                    len,
                    remaining: self.remaining(),
                },
                start,
            ));
        }
        Ok(len as usize)
    }

    /// `bytes` borrowed from the input.
    #[inline]
    pub fn read_bytes_ref(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.read_len()?;
        self.take(len)
    }

    #[inline]
    pub fn read_bytes(&mut self) -> Result<Vec<u8>, DecodeError> {
        self.read_bytes_ref().map(<[u8]>::to_vec)
    }

    /// A `string` borrowed from the input, UTF-8 validated in place.
    #[inline]
    pub fn read_str(&mut self) -> Result<&'a str, DecodeError> {
        let start = self.pos;
        let b = self.read_bytes_ref()?;
        std::str::from_utf8(b)
            .map_err(|e| self.fail(DecodeErrorKind::InvalidUtf8(e.to_string()), start))
    }

    #[inline]
    pub fn read_string(&mut self) -> Result<String, DecodeError> {
        self.read_str().map(str::to_owned)
    }

    #[inline]
    pub fn read_fixed<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let b = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(b);
        Ok(a)
    }

    /// A string `uuid`.
    pub fn read_uuid_string(&mut self) -> Result<uuid::Uuid, DecodeError> {
        let start = self.pos;
        let s = self.read_str()?;
        uuid::Uuid::parse_str(s)
            .map_err(|_| self.fail(DecodeErrorKind::InvalidUuid(s.to_owned()), start))
    }

    /// A union branch index, checked against the number of branches.
    #[inline]
    pub fn read_union_index(&mut self, branches: usize) -> Result<usize, DecodeError> {
        let start = self.pos;
        let i = self.read_long()?;
        if i < 0 || i as u64 >= branches as u64 {
            return Err(self.fail(DecodeErrorKind::UnionIndex { index: i, branches }, start));
        }
        Ok(i as usize)
    }

    /// An enum symbol index, checked against the number of symbols.
    #[inline]
    pub fn read_enum_index(&mut self, symbols: usize) -> Result<usize, DecodeError> {
        let start = self.pos;
        let i = self.read_long()?;
        if i < 0 || i as u64 >= symbols as u64 {
            return Err(self.fail(DecodeErrorKind::EnumIndex { index: i, symbols }, start));
        }
        Ok(i as usize)
    }

    /// The item count of the next array or map block; 0 ends the array or map.
    /// A negative count (followed by the block's byte size) is returned as its
    /// absolute value.
    ///
    /// `item_min_bytes` is the smallest encoding of one item (the generator
    /// knows it from the schema): a count whose items cannot fit in the
    /// remaining input is rejected before the caller reserves space for it.
    /// Items that may encode to zero bytes (`null`, empty records) are capped
    /// at [`MAX_ZERO_SIZE_ITEMS`] per block so a hostile count cannot hang.
    #[inline]
    pub fn read_block_count(&mut self, item_min_bytes: usize) -> Result<usize, DecodeError> {
        let start = self.pos;
        let mut count = self.read_long()?;
        if count < 0 {
            count = count
                .checked_neg()
                .ok_or_else(|| self.fail(DecodeErrorKind::NegativeLength(count), start))?;
            let _byte_size = self.read_len()?;
        }
        let fits = if item_min_bytes == 0 {
            count as u64 <= MAX_ZERO_SIZE_ITEMS
        } else {
            (count as u64).saturating_mul(item_min_bytes as u64) <= self.remaining() as u64
        };
        if !fits {
            return Err(self.fail(
                DecodeErrorKind::BlockCountTooLarge {
                    count,
                    remaining: self.remaining(),
                },
                start,
            ));
        }
        Ok(count as usize)
    }

    /// Fails unless the whole input was read.
    pub fn finish(&self) -> Result<(), DecodeError> {
        if self.remaining() != 0 {
            return Err(self.fail(DecodeErrorKind::TrailingBytes(self.remaining()), self.pos));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::write_long;

    /// Values at every varint length boundary, both signs.
    fn edge_values() -> Vec<i64> {
        let mut v = vec![0, 1, -1, i64::MAX, i64::MIN, i64::MAX - 1, i64::MIN + 1];
        for bits in 1..63 {
            let p = 1i64 << bits;
            v.extend([p - 1, p, p + 1, -p, -p - 1, -p + 1]);
        }
        v
    }

    #[test]
    fn varints_round_trip_at_every_length_with_or_without_bytes_after() {
        for v in edge_values() {
            let mut exact = Vec::new();
            write_long(&mut exact, v);
            // Exactly the varint ...
            let mut r = Reader::new(&exact);
            assert_eq!(r.read_long().unwrap(), v);
            assert_eq!(r.position(), exact.len());
            // ... and followed by other bytes, which it must not read.
            let mut padded = exact.clone();
            padded.extend_from_slice(&[0xff; 12]);
            let mut r = Reader::new(&padded);
            assert_eq!(r.read_long().unwrap(), v, "{v} with padding");
            assert_eq!(r.position(), exact.len());
        }
    }

    #[test]
    fn overlong_and_truncated_varints_are_errors() {
        // A tenth byte above 1 overflows 64 bits; an eleventh byte is too long.
        let too_big: Vec<u8> = [0xff; 9].into_iter().chain([0x02]).collect();
        let too_long: Vec<u8> = [0x80; 10].into_iter().chain([0x00]).collect();
        for bad in [too_big, too_long] {
            for pad in [0usize, 12] {
                let mut b = bad.clone();
                b.extend(std::iter::repeat_n(0u8, pad));
                let e = Reader::new(&b).read_long().unwrap_err();
                assert_eq!(e.kind(), &DecodeErrorKind::VarintOverflow, "{b:02x?}");
                assert_eq!(e.offset(), Some(0));
            }
        }
        // Truncated in the middle of a varint.
        let e = Reader::new(&[0x80, 0x80]).read_long().unwrap_err();
        assert!(matches!(e.kind(), DecodeErrorKind::UnexpectedEof { .. }));
    }
}
