//! The [`Decode`] trait, the [`Reader`] generated decoders pull from, and the
//! [`Limits`] a reader enforces.
//!
//! Every read checks the remaining input first: a length or block count larger
//! than what is left is an error before anything is allocated. Each datum has
//! a budget on its reader: items that may encode to zero bytes (`null`, empty
//! records) are counted against [`Limits::max_zero_byte_items`], since the
//! input cannot bound them, and a reservation for a block of items is capped
//! at [`Limits::max_reserve_bytes`] (the collection grows normally past it),
//! so memory stays a small multiple of the input and CPU linear in it,
//! whatever the schema.

use crate::error::{DecodeError, DecodeErrorKind};

/// A value that reads itself from Avro binary.
pub trait Decode: Sized {
    /// The name used as the root of error paths (`Order` in `Order.items[3]`).
    const AVRO_NAME: &'static str = "value";

    /// The fewest bytes a value encodes to (0 where it may be empty), which
    /// bounds an array's or map's block count by the input left (see
    /// [`Reader::read_block_count`]); generated types give their schema's.
    const MIN_BYTES: usize = 0;

    /// Reads one value written with this type's own schema.
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

    /// A decoder generated for one writer schema declared at build time
    /// (avro-build's `Config::known_writer`), found by that schema's
    /// fingerprint (CRC-64-AVRO of its canonical form): straight-line code
    /// that reads the writer's bytes into this type, with no plan to walk.
    /// `None` (the default) for writers not declared: callers fall back to
    /// [`Decode::decode_resolved`]. [`crate::resolve::decode_with_plan`],
    /// and so `Resolver` and the registry's deserializer, ask here first.
    #[inline]
    fn known_writer(writer_fingerprint: u64) -> Option<KnownWriterDecoder<Self>> {
        let _ = writer_fingerprint;
        None
    }

    /// Decodes into `self`, reusing what it already holds (the capacity of
    /// its strings, vectors and maps), so that a loop decoding many values
    /// into one reaches a steady state without allocation (prost's `merge`
    /// idea, but a replacement: nothing of the previous value is left).
    /// Generated records override it; this default decodes and assigns. On
    /// error `self` holds a valid value of unspecified content.
    #[inline]
    fn decode_into(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        *self = Self::decode(r)?;
        Ok(())
    }

    /// [`Decode::decode_into`] for data written with another schema,
    /// following `plan` (see [`Decode::decode_resolved`]): where the plan
    /// changes nothing the value is reused, otherwise it is decoded through
    /// the plan and assigned.
    #[inline]
    fn decode_resolved_into(
        &mut self,
        r: &mut Reader<'_>,
        plan: crate::resolve::PlanNode<'_>,
    ) -> Result<(), DecodeError> {
        if plan.is_identity() {
            self.decode_into(r)
        } else {
            *self = Self::decode_resolved(r, plan)?;
            Ok(())
        }
    }
}

/// A decoder specialized to one known writer schema (see
/// [`Decode::known_writer`]).
pub type KnownWriterDecoder<T> = fn(&mut Reader<'_>) -> Result<T, DecodeError>;

impl<T: Decode> Decode for Box<T> {
    const AVRO_NAME: &'static str = T::AVRO_NAME;
    const MIN_BYTES: usize = T::MIN_BYTES;
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
    #[inline]
    fn decode_into(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        T::decode_into(self, r)
    }
    #[inline]
    fn decode_resolved_into(
        &mut self,
        r: &mut Reader<'_>,
        plan: crate::resolve::PlanNode<'_>,
    ) -> Result<(), DecodeError> {
        T::decode_resolved_into(self, r, plan)
    }
}

/// The default of [`Limits::max_zero_byte_items`]: items whose encoding may
/// be empty, per datum.
pub const MAX_ZERO_SIZE_ITEMS: u64 = 1 << 20;

/// How deeply values of recursive types may nest before decoding stops with
/// [`DecodeErrorKind::TooDeep`] (the default of [`Limits::max_depth`]). Each
/// level takes at least one byte of input, so without a limit a few
/// megabytes of hostile input would overflow the stack; 1024 levels fit the
/// 2 MiB stack of a spawned thread.
pub const MAX_DEPTH: u32 = 1024;

/// What one datum (and one container file) may make a decoder do, in the
/// spirit of Apache Avro Java's `org.apache.avro.limits.*` system
/// properties (`SystemLimitException`): lengths of strings and bytes, items
/// per collection block, items that take no input (AVRO-4241), the size of
/// a container block before and after decompression. Exceeding one is an
/// error naming the limit, never an abort.
///
/// `Limits::default()` accepts everything valid that fits in memory the
/// input can justify; lower the limits for untrusted input of known shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest `string`, in bytes. Default: 2^31 - 9 (Java's array limit).
    pub max_string_len: usize,
    /// Longest `bytes` value. Default: 2^31 - 9.
    pub max_bytes_len: usize,
    /// Most items in one array or map, counted over all its blocks (as
    /// Java's `org.apache.avro.limits.collectionItems.maxLength`: the items
    /// already read plus the next block's). Default: 2^31 - 9. (Items that
    /// take input are also bounded by the input left.)
    pub max_collection_items: u64,
    /// Items whose encoding may take zero bytes (`null`, empty records,
    /// `fixed(0)`), counted over one datum: the input cannot bound them, so
    /// without a limit 4 KB of block counts would decode 10^9 items.
    /// Default: [`MAX_ZERO_SIZE_ITEMS`] (2^20).
    pub max_zero_byte_items: u64,
    /// Nesting of recursive types. Default: [`MAX_DEPTH`].
    pub max_depth: u32,
    /// Largest single reservation made from a block count, in bytes; a
    /// collection grows normally past it. Default: 1 MiB.
    pub max_reserve_bytes: usize,
    /// Largest container block as stored (compressed). Default: 64 MiB.
    pub max_block_bytes: usize,
    /// Largest container block after decompression. Default: 200 MiB
    /// (Java's `org.apache.avro.limits.decompress.maxLength` default).
    pub max_decompressed_bytes: usize,
}

impl Limits {
    /// The defaults (see each field).
    pub const DEFAULT: Limits = Limits {
        max_string_len: (i32::MAX - 8) as usize,
        max_bytes_len: (i32::MAX - 8) as usize,
        max_collection_items: (i32::MAX - 8) as u64,
        max_zero_byte_items: MAX_ZERO_SIZE_ITEMS,
        max_depth: MAX_DEPTH,
        max_reserve_bytes: 1 << 20,
        max_block_bytes: 64 << 20,
        max_decompressed_bytes: 200 << 20,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// A cursor over Avro binary input, with the budget of the datum it reads.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Values of recursive types being decoded (see [`Limits::max_depth`]).
    depth: u32,
    /// Zero-byte items this datum may still decode.
    zero_items_left: u64,
    limits: Limits,
}

impl<'a> Reader<'a> {
    /// A reader with the default [`Limits`].
    #[inline]
    pub fn new(data: &'a [u8]) -> Self {
        Self::with_limits(data, &Limits::DEFAULT)
    }

    /// A reader enforcing `limits`.
    #[inline]
    pub fn with_limits(data: &'a [u8], limits: &Limits) -> Self {
        Reader {
            data,
            pos: 0,
            depth: 0,
            zero_items_left: limits.max_zero_byte_items,
            limits: *limits,
        }
    }

    /// The limits this reader enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Starts the budget of a new datum (a reader over a container block
    /// reads many): the zero-byte item count starts again.
    #[inline]
    pub fn start_datum(&mut self) {
        self.zero_items_left = self.limits.max_zero_byte_items;
    }

    /// Enters a value of a recursive type: fails past [`Limits::max_depth`]
    /// levels. Generated decoders call it (and [`Reader::leave`]) around
    /// each value of a type that can contain itself.
    #[inline]
    pub fn enter(&mut self) -> Result<(), DecodeError> {
        if self.depth >= self.limits.max_depth {
            return Err(self.fail(DecodeErrorKind::TooDeep(self.limits.max_depth), self.pos));
        }
        self.depth += 1;
        Ok(())
    }

    /// Leaves a value entered with [`Reader::enter`].
    #[inline]
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// `read(self)` inside [`Reader::enter`] and [`Reader::leave`]: how
    /// generated decoders read a value of a recursive type.
    #[inline(always)]
    pub fn nested<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        self.enter()?;
        let v = read(self);
        self.leave();
        v
    }

    /// Bytes not yet read.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Bytes consumed so far (the offset errors report).
    #[inline]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The bytes not yet read.
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

    /// Reads one raw byte.
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
    ///
    /// Always inlined, and only the one-byte case (most lengths, counts,
    /// indexes and small ints): a call per field cost student's decode 15%
    /// of its instructions (callgrind) when the two-byte case was inline
    /// too and the compiler declined to inline the whole.
    #[inline(always)]
    pub fn read_long(&mut self) -> Result<i64, DecodeError> {
        if let Some(&b) = self.data.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(((b >> 1) as i64) ^ -((b & 1) as i64));
            }
        }
        self.read_long_slow()
    }

    /// A varint of more than one byte (or none left): read over the input
    /// slice (at most ten bytes), not byte by byte through [`Reader::read_byte`].
    #[inline(never)]
    fn read_long_slow(&mut self) -> Result<i64, DecodeError> {
        match self.read_long_window() {
            Some(v) => Ok(v),
            None => self.read_long_checked(),
        }
    }

    /// A varint read byte by byte with every check: the end of the input,
    /// overlong and overflowing varints (errors say which).
    #[inline(never)]
    fn read_long_checked(&mut self) -> Result<i64, DecodeError> {
        let start = self.pos;
        let rest = &self.data[start.min(self.data.len())..];
        let mut n: u64 = 0;
        for (i, &b) in rest.iter().take(10).enumerate() {
            // The tenth byte holds bit 63 only.
            if i == 9 && b > 1 {
                return Err(self.fail(DecodeErrorKind::VarintOverflow, start));
            }
            n |= ((b & 0x7f) as u64) << (7 * i);
            if b < 0x80 {
                self.pos = start + i + 1;
                return Ok(((n >> 1) as i64) ^ -((n & 1) as i64));
            }
        }
        // Ten bytes cannot all continue (the tenth is at most 1): the input ended.
        self.pos = self.data.len();
        Err(self.eof(1))
    }

    /// Reads an Avro `int` (zig-zag varint of at most 5 bytes).
    #[inline(always)]
    pub fn read_int(&mut self) -> Result<i32, DecodeError> {
        let start = self.pos;
        let v = self.read_long()?;
        i32::try_from(v).map_err(|_| self.fail(DecodeErrorKind::IntOutOfRange(v), start))
    }

    /// Reads an Avro `boolean` (one byte, 0 or 1; anything else is an error).
    #[inline]
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        let start = self.pos;
        match self.read_byte()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(self.fail(DecodeErrorKind::InvalidBool(b), start)),
        }
    }

    /// Reads an Avro `float` (4 bytes, little-endian IEEE 754).
    #[inline]
    pub fn read_float(&mut self) -> Result<f32, DecodeError> {
        let b = self.take(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Reads an Avro `double` (8 bytes, little-endian IEEE 754).
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

    /// `n` longs appended to `out` (an array block of longs; an error's path
    /// gets the item's index, `out.len()`): the whole
    /// varint decoder inlined in one loop, where a field site keeps only the
    /// one-byte case inline (timestamps and ids take 5 to 9 bytes).
    #[inline]
    pub fn read_longs_into(&mut self, n: usize, out: &mut Vec<i64>) -> Result<(), DecodeError> {
        for _ in 0..n {
            let v = self.read_long_inline().map_err(|e| e.index(out.len()))?;
            out.push(v);
        }
        Ok(())
    }

    /// `n` ints appended to `out` (an array block of ints), as
    /// [`Reader::read_longs_into`].
    #[inline]
    pub fn read_ints_into(&mut self, n: usize, out: &mut Vec<i32>) -> Result<(), DecodeError> {
        for _ in 0..n {
            let start = self.pos;
            let v = self
                .read_long_inline()
                .and_then(|v| {
                    i32::try_from(v)
                        .map_err(|_| self.fail(DecodeErrorKind::IntOutOfRange(v), start))
                })
                .map_err(|e| e.index(out.len()))?;
            out.push(v);
        }
        Ok(())
    }

    /// A varint of any length, decoded inline (the bulk readers' loop body).
    #[inline(always)]
    fn read_long_inline(&mut self) -> Result<i64, DecodeError> {
        match self.read_long_window() {
            Some(v) => Ok(v),
            None => self.read_long_checked(),
        }
    }

    /// A varint decoded from a ten-byte window of the input, when ten bytes
    /// are left: no bounds check per byte (the loop unrolls). `None` near
    /// the end of the input or for an overlong or overflowing varint (then
    /// nothing is consumed).
    #[inline(always)]
    fn read_long_window(&mut self) -> Option<i64> {
        let start = self.pos;
        let w = self.data.get(start..start + 10)?;
        let mut n: u64 = 0;
        for (i, &b) in w.iter().enumerate() {
            n |= ((b & 0x7f) as u64) << (7 * i);
            if b < 0x80 {
                if i == 9 && b > 1 {
                    return None;
                }
                self.pos = start + i + 1;
                return Some(((n >> 1) as i64) ^ -((n & 1) as i64));
            }
        }
        None
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
        self.read_len_within(usize::MAX, "length")
    }

    /// A length prefix, checked against `limit` (named `what` in the error)
    /// and the remaining input.
    #[inline]
    fn read_len_within(&mut self, limit: usize, what: &'static str) -> Result<usize, DecodeError> {
        let start = self.pos;
        let len = self.read_long()?;
        if len < 0 {
            return Err(self.fail(DecodeErrorKind::NegativeLength(len), start));
        }
        if len as u64 > limit as u64 {
            return Err(self.fail(
                DecodeErrorKind::LimitExceeded {
                    what,
                    value: len as u64,
                    limit: limit as u64,
                },
                start,
            ));
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
        // Fast path as in `read_str`: a one-byte length, all of it present.
        let data: &'a [u8] = self.data;
        if let Some(&b) = data.get(self.pos) {
            let len = (b >> 1) as usize;
            if b & 0x81 == 0 && len <= self.limits.max_bytes_len {
                let from = self.pos + 1;
                if let Some(v) = data.get(from..from + len) {
                    self.pos = from + len;
                    return Ok(v);
                }
            }
        }
        let len = self.read_len_within(self.limits.max_bytes_len, "bytes length")?;
        self.take(len)
    }

    /// Reads an Avro `bytes` (a length, then that many bytes; the length is
    /// checked against the input left before anything is allocated).
    #[inline]
    pub fn read_bytes(&mut self) -> Result<Vec<u8>, DecodeError> {
        self.read_bytes_ref().map(<[u8]>::to_vec)
    }

    /// A `string` borrowed from the input, UTF-8 validated in place.
    #[inline(always)]
    pub fn read_str(&mut self) -> Result<&'a str, DecodeError> {
        // Fast path: a length that fits one varint byte (under 64 bytes),
        // the whole string present, within the limit and valid UTF-8; any
        // other case takes the checked path below (which reports it).
        let data: &'a [u8] = self.data;
        if let Some(&b) = data.get(self.pos) {
            let len = (b >> 1) as usize;
            if b & 0x81 == 0 && len <= self.limits.max_string_len {
                let from = self.pos + 1;
                if let Some(Ok(s)) = data.get(from..from + len).map(std::str::from_utf8) {
                    self.pos = from + len;
                    return Ok(s);
                }
            }
        }
        self.read_str_checked()
    }

    #[inline(never)]
    fn read_str_checked(&mut self) -> Result<&'a str, DecodeError> {
        let start = self.pos;
        let len = self.read_len_within(self.limits.max_string_len, "string length")?;
        let b = self.take(len)?;
        std::str::from_utf8(b)
            .map_err(|e| self.fail(DecodeErrorKind::InvalidUtf8(e.to_string()), start))
    }

    /// Reads an Avro `string` (as `bytes`, then UTF-8 validated).
    #[inline(always)]
    pub fn read_string(&mut self) -> Result<String, DecodeError> {
        self.read_str().map(str::to_owned)
    }

    /// Reads a `fixed` of `N` bytes.
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
    #[inline(always)]
    pub fn read_union_index(&mut self, branches: usize) -> Result<usize, DecodeError> {
        // Fast path: a one-byte, non-negative index in range.
        if let Some(&b) = self.data.get(self.pos) {
            if b & 0x81 == 0 && ((b >> 1) as usize) < branches {
                self.pos += 1;
                return Ok((b >> 1) as usize);
            }
        }
        self.read_union_index_checked(branches)
    }

    #[inline(never)]
    fn read_union_index_checked(&mut self, branches: usize) -> Result<usize, DecodeError> {
        let start = self.pos;
        let i = self.read_long()?;
        if i < 0 || i as u64 >= branches as u64 {
            return Err(self.fail(DecodeErrorKind::UnionIndex { index: i, branches }, start));
        }
        Ok(i as usize)
    }

    /// An enum symbol index, checked against the number of symbols.
    #[inline(always)]
    pub fn read_enum_index(&mut self, symbols: usize) -> Result<usize, DecodeError> {
        // Fast path: a one-byte, non-negative index in range.
        if let Some(&b) = self.data.get(self.pos) {
            if b & 0x81 == 0 && ((b >> 1) as usize) < symbols {
                self.pos += 1;
                return Ok((b >> 1) as usize);
            }
        }
        self.read_enum_index_checked(symbols)
    }

    #[inline(never)]
    fn read_enum_index_checked(&mut self, symbols: usize) -> Result<usize, DecodeError> {
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
    /// Items that may encode to zero bytes (`null`, empty records) are
    /// counted against the datum's [`Limits::max_zero_byte_items`], so a
    /// hostile count cannot make decoding run for ever.
    ///
    /// `items_before` is how many items of this array or map the earlier
    /// blocks held (0 for the first block): the whole collection is checked
    /// against [`Limits::max_collection_items`], not each block.
    #[inline]
    pub fn read_block_count(
        &mut self,
        item_min_bytes: usize,
        items_before: usize,
    ) -> Result<usize, DecodeError> {
        let start = self.pos;
        let mut count = self.read_long()?;
        if count < 0 {
            count = count
                .checked_neg()
                .ok_or_else(|| self.fail(DecodeErrorKind::InvalidBlockCount(count), start))?;
            let _byte_size = self.read_len()?;
        }
        let n = count as u64;
        let total = n.saturating_add(items_before as u64);
        if total > self.limits.max_collection_items {
            return Err(self.fail(
                DecodeErrorKind::LimitExceeded {
                    what: "array or map item count",
                    value: total,
                    limit: self.limits.max_collection_items,
                },
                start,
            ));
        }
        if item_min_bytes == 0 {
            if n > self.zero_items_left {
                return Err(self.fail(
                    DecodeErrorKind::LimitExceeded {
                        what: "zero-byte items in one datum",
                        value: self.limits.max_zero_byte_items - self.zero_items_left + n,
                        limit: self.limits.max_zero_byte_items,
                    },
                    start,
                ));
            }
            self.zero_items_left -= n;
        } else if n.saturating_mul(item_min_bytes as u64) > self.remaining() as u64 {
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

    /// How many of `n` items of `T` to reserve room for at once: all of
    /// them, up to [`Limits::max_reserve_bytes`]. A block count is already
    /// bounded by the input left, but an item may take far more memory than
    /// its smallest encoding (a 1-byte `null` in an `Option` of a large
    /// type), so one reservation is capped and the collection grows
    /// normally past it.
    #[inline]
    pub fn reserve_count<T>(&self, n: usize) -> usize {
        let size = std::mem::size_of::<T>().max(1);
        n.min(self.limits.max_reserve_bytes / size)
    }

    /// Reserves room in `v` for up to `n` more items (see [`Reader::reserve_count`]).
    #[inline]
    pub fn reserve<T>(&self, v: &mut Vec<T>, n: usize) {
        v.reserve(self.reserve_count::<T>(n));
    }

    /// Fails unless the whole input was read.
    #[inline]
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
    fn bulk_long_and_int_readers_agree_with_read_long_at_every_length() {
        // Every value, at the end of the input and with ten bytes after it
        // (the windowed decoder and the checked one).
        for v in edge_values() {
            let mut b = Vec::new();
            write_long(&mut b, v);
            write_long(&mut b, v);
            for pad in [0usize, 12] {
                let mut b = b.clone();
                b.extend(std::iter::repeat_n(0u8, pad));
                let mut out = Vec::new();
                let mut r = Reader::new(&b);
                r.read_longs_into(2, &mut out).unwrap();
                assert_eq!(out, [v, v]);
                assert_eq!(r.remaining(), pad);
                let mut ints = Vec::new();
                let r = Reader::new(&b).read_ints_into(2, &mut ints);
                match i32::try_from(v) {
                    Ok(i) => assert_eq!(r.map(|()| ints), Ok(vec![i, i])),
                    Err(_) => {
                        let e = r.unwrap_err();
                        assert_eq!(e.kind(), &DecodeErrorKind::IntOutOfRange(v));
                        assert_eq!(e.path(), "[0]");
                    }
                }
            }
        }
        // An overflowing varint in a block is an error naming the item.
        let mut b = Vec::new();
        write_long(&mut b, 7);
        b.extend([0xff; 9]);
        b.push(0x02);
        b.extend([0; 12]);
        let e = Reader::new(&b)
            .read_longs_into(2, &mut Vec::new())
            .unwrap_err();
        assert_eq!(e.kind(), &DecodeErrorKind::VarintOverflow);
        assert_eq!(e.path(), "[1]");
    }

    #[test]
    fn one_byte_union_and_enum_indexes_are_checked_against_their_range() {
        assert_eq!(Reader::new(&[0x02]).read_union_index(2), Ok(1));
        assert_eq!(Reader::new(&[0x04]).read_enum_index(3), Ok(2));
        for bad in [[0x04u8], [0x01]] {
            let e = Reader::new(&bad).read_union_index(2).unwrap_err();
            assert!(
                matches!(e.kind(), DecodeErrorKind::UnionIndex { .. }),
                "{e}"
            );
            let e = Reader::new(&bad).read_enum_index(2).unwrap_err();
            assert!(matches!(e.kind(), DecodeErrorKind::EnumIndex { .. }), "{e}");
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

    #[test]
    fn zero_byte_items_are_counted_per_datum_not_per_block() {
        use crate::encode::write_long;
        let limits = Limits {
            max_zero_byte_items: 1000,
            ..Limits::DEFAULT
        };
        // Blocks of 600 nulls: the first fits, the second goes past 1000.
        let mut b = Vec::new();
        write_long(&mut b, 600);
        write_long(&mut b, 600);
        let mut r = Reader::with_limits(&b, &limits);
        assert_eq!(r.read_block_count(0, 0).unwrap(), 600);
        let e = r.read_block_count(0, 0).unwrap_err();
        assert_eq!(
            e.kind(),
            &DecodeErrorKind::LimitExceeded {
                what: "zero-byte items in one datum",
                value: 1200,
                limit: 1000
            }
        );
        // A new datum starts again.
        let mut r = Reader::with_limits(&b, &limits);
        r.read_block_count(0, 0).unwrap();
        r.start_datum();
        assert_eq!(r.read_block_count(0, 0).unwrap(), 600);
    }

    #[test]
    fn a_block_count_of_i64_min_is_reported_as_what_it_is() {
        let mut b = Vec::new();
        crate::encode::write_long(&mut b, i64::MIN);
        let e = Reader::new(&b).read_block_count(1, 0).unwrap_err();
        assert_eq!(e.kind(), &DecodeErrorKind::InvalidBlockCount(i64::MIN));
        assert!(e.to_string().contains("-9223372036854775808"), "{e}");
    }

    #[test]
    fn string_and_bytes_lengths_obey_their_limits() {
        let limits = Limits {
            max_string_len: 2,
            max_bytes_len: 3,
            ..Limits::DEFAULT
        };
        let abc = [0x06, b'a', b'b', b'c'];
        let e = Reader::with_limits(&abc, &limits).read_str().unwrap_err();
        assert!(
            e.to_string()
                .contains("string length 3 exceeds the limit of 2"),
            "{e}"
        );
        assert_eq!(
            Reader::with_limits(&abc, &limits).read_bytes().unwrap(),
            b"abc"
        );
    }

    #[test]
    fn one_reservation_is_capped_in_bytes() {
        let r = Reader::new(&[]);
        let cap = Limits::DEFAULT.max_reserve_bytes;
        assert_eq!(r.reserve_count::<[u8; 4096]>(1_000_000), cap / 4096);
        assert_eq!(r.reserve_count::<u8>(10), 10);
        let mut v: Vec<[u8; 4096]> = Vec::new();
        r.reserve(&mut v, 1_000_000);
        assert!(v.capacity() * 4096 <= 2 * cap);
    }
}
