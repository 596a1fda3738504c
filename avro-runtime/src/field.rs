//! [`Field`]: the Rust types that stand for one Avro schema each (`bool`,
//! `i32`, `i64`, `f32`, `f64`, `String`, `Vec<u8>` as `bytes`, `()` as
//! `null`, `Option<T>` as `["null", T]`, `Vec<T>` as an array, and every
//! [`Decode`] type), read by one generic call.
//!
//! The collection reads and writes are `inline(always)` in optimized builds
//! (left out of line, a record's encoder was 6% slower) and plain `inline`
//! in debug builds, where forcing them into every field that holds a
//! collection only slows compilation.
//!
//! Generated code calls these for the reads whose code would otherwise be
//! spelled out at every field of every type: the plan-driven reads of
//! `decode_resolved` (any of these shapes, through a [`PlanNode`]), and the
//! optional fields of `decode` and `decode_into`. The compiler makes one
//! copy per Rust type used in the program instead of the generator writing
//! one per field, which keeps generated sources small (issue 17) at the
//! same speed: every method is `#[inline]` and does what the generated code
//! did.
//!
//! [`FieldWrite`] is the encoding side, for optional fields and union
//! branches: `Option<T>` of any of these, and every [`Encode`] type.
//!
//! `Option<T>`'s plain reads take the `null` branch first (`["null", T]`,
//! Avro's usual order, and the only one a `null` default allows); the
//! generator reads `[T, "null"]` itself, and resolved reads of either order
//! go through [`PlanNode::option`] with the null branch's index.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use crate::decode::{Decode, Reader};
use crate::encode::{self, Encode};
use crate::error::{DecodeError, EncodeError};
use crate::resolve::PlanNode;
use crate::reuse::{map_into, read_bytes_into, read_string_into, vec_into, ReuseMap};

/// A Rust value with one Avro schema, read plainly or through a resolution
/// plan (see the module doc).
pub trait Field: Sized {
    /// The fewest bytes a value takes (0 where the type cannot say: a
    /// [`Decode`] type's records may be empty), which bounds an array's or
    /// map's block count by the input left (see [`Reader::read_block_count`]).
    const MIN_BYTES: usize;

    /// Whether [`Field::read_into`] reuses something the value holds
    /// (strings, bytes, collections, records, unions): an array of such
    /// items is read into its items in place, others are cleared and pushed.
    const REUSES: bool = false;

    /// Reads a value written with this type's own schema.
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// Reads `n` array items written with their own schema onto `out`, an
    /// item's error naming its index (numbers: one bulk read).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn read_block(r: &mut Reader<'_>, n: usize, out: &mut Vec<Self>) -> Result<(), DecodeError> {
        for _ in 0..n {
            let i = out.len();
            out.push(Self::read(r).map_err(|e| e.index(i))?);
        }
        Ok(())
    }

    /// Reads a value into `self`, reusing what it holds where it can
    /// (strings, bytes, records).
    #[inline]
    fn read_into(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        *self = Self::read(r)?;
        Ok(())
    }

    /// Reads a value written with the plan node's writer schema.
    fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Self, DecodeError>;

    /// Reads `n` array items (plan `p`) onto `out`, an item's error naming
    /// its index; where the plan is identity, by the plain read.
    #[inline]
    fn resolve_block(
        r: &mut Reader<'_>,
        p: PlanNode<'_>,
        n: usize,
        out: &mut Vec<Self>,
    ) -> Result<(), DecodeError> {
        if !p.is_identity() {
            return resolve_items(r, p, n, out);
        }
        for _ in 0..n {
            let i = out.len();
            out.push(Self::read(r).map_err(|e| e.index(i))?);
        }
        Ok(())
    }
}

/// `n` array items read through their (non-identity) plan onto `out`.
#[inline]
fn resolve_items<T: Field>(
    r: &mut Reader<'_>,
    p: PlanNode<'_>,
    n: usize,
    out: &mut Vec<T>,
) -> Result<(), DecodeError> {
    for _ in 0..n {
        let i = out.len();
        out.push(T::resolve(r, p).map_err(|e| e.index(i))?);
    }
    Ok(())
}

/// `T::resolve`, for generated code to call with `T` inferred from the slot
/// it fills.
#[inline(always)]
pub fn resolve<T: Field>(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<T, DecodeError> {
    T::resolve(r, p)
}

/// A value read plainly (`None`: written with its own schema) or through
/// its plan: a generated union reads each branch with one call for both.
#[inline(always)]
pub fn read_or_resolve<T: Field>(
    r: &mut Reader<'_>,
    p: Option<PlanNode<'_>>,
) -> Result<T, DecodeError> {
    match p {
        None => T::read(r),
        Some(p) => T::resolve(r, p),
    }
}

/// The node itself where it is identity (no writer union to read: the
/// common case, asked without a call), else [`PlanNode::writer_branch`].
#[inline(always)]
fn branch<'p>(r: &mut Reader<'_>, p: PlanNode<'p>) -> Result<PlanNode<'p>, DecodeError> {
    if p.is_identity() {
        Ok(p)
    } else {
        p.writer_branch(r)
    }
}

/// A map whose values are read through the plan's value node, into any map
/// type [`ReuseMap`] knows (the std `HashMap` with any hasher, `BTreeMap`,
/// `IndexMap`).
#[inline]
pub fn resolve_map<M: ReuseMap<V> + Default, V: Field>(
    r: &mut Reader<'_>,
    p: PlanNode<'_>,
) -> Result<M, DecodeError> {
    let (values, min) = branch(r, p)?.collection()?;
    let identity = values.is_identity();
    let mut m = M::default();
    let mut read = 0usize;
    loop {
        let n = r.read_block_count(min, read)?;
        if n == 0 {
            return Ok(m);
        }
        read += n;
        m.reserve_more(r.reserve_count::<(String, V)>(n));
        for _ in 0..n {
            let k = r.read_string()?;
            let x = if identity {
                V::read(r)
            } else {
                V::resolve(r, values)
            };
            let x = x.map_err(|e| e.key(&k))?;
            m.put(k, x);
        }
    }
}

/// A map written with its own schema, values read by [`Field::read`].
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn read_map<M: ReuseMap<V> + Default, V: Field>(r: &mut Reader<'_>) -> Result<M, DecodeError> {
    let mut m = M::default();
    let mut read = 0usize;
    loop {
        // A key is at least its one-byte length.
        let n = r.read_block_count(1 + V::MIN_BYTES, read)?;
        if n == 0 {
            return Ok(m);
        }
        read += n;
        m.reserve_more(r.reserve_count::<(String, V)>(n));
        for _ in 0..n {
            let k = r.read_string()?;
            let x = V::read(r).map_err(|e| e.key(&k))?;
            m.put(k, x);
        }
    }
}

/// Identity array blocks of numbers read by the reader's bulk loop (as the
/// generated plain decoders read them).
macro_rules! bulk {
    ($bulk:ident) => {
        #[inline]
        fn read_block(
            r: &mut Reader<'_>,
            n: usize,
            out: &mut Vec<Self>,
        ) -> Result<(), DecodeError> {
            r.$bulk(n, out)
        }
        #[inline]
        fn resolve_block(
            r: &mut Reader<'_>,
            p: PlanNode<'_>,
            n: usize,
            out: &mut Vec<Self>,
        ) -> Result<(), DecodeError> {
            if p.is_identity() {
                return r.$bulk(n, out);
            }
            resolve_items(r, p, n, out)
        }
    };
}
/// Primitives: `direct` ones have nothing promoted to them (the writer's
/// value, perhaps a union branch, must have the reader's type), `promoted`
/// ones are read by the plan node's reader of that type, which takes the
/// promotions to it.
macro_rules! scalars {
    ($($t:ty => $read:ident, $min:expr, $how:ident $(, $bulk:ident)?);* $(;)?) => {$(
        impl Field for $t {
            const MIN_BYTES: usize = $min;
            #[inline(always)]
            fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                r.$read()
            }
            #[inline]
            fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Self, DecodeError> {
                scalars!(@resolve $how, r, p, $read)
            }
            $(bulk!($bulk);)?
        }
    )*};
    (@resolve direct, $r:ident, $p:ident, $read:ident) => {{
        $p.direct($r)?;
        $r.$read()
    }};
    (@resolve promoted, $r:ident, $p:ident, $read:ident) => {
        $p.$read($r)
    };
}
scalars!(
    bool => read_bool, 1, direct;
    i32 => read_int, 1, direct, read_ints_into;
    i64 => read_long, 1, promoted, read_longs_into;
    f32 => read_float, 4, promoted, read_floats_into;
    f64 => read_double, 8, promoted, read_doubles_into;
);

impl Field for () {
    const MIN_BYTES: usize = 0;
    #[inline(always)]
    fn read(_: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(())
    }
    #[inline]
    fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Self, DecodeError> {
        p.direct(r)
    }
}

/// Logical types with one Avro type each (dates, times and timestamps over
/// `int` or `long`, `duration` over `fixed(12)`): read as the generated code
/// read them, promotions to `long` taken on the resolved path. (`uuid` and
/// `decimal` have two Avro types each, so the generator reads them itself.)
macro_rules! logical {
    ($($t:ident($inner:ty) => $read:ident, $write:ident, $how:ident);* $(;)?) => {$(
        impl Field for crate::logical::$t {
            const MIN_BYTES: usize = 1;
            #[inline(always)]
            fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                r.$read().map(Self)
            }
            #[inline]
            fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Self, DecodeError> {
                scalars!(@resolve $how, r, p, $read).map(Self)
            }
        }
        impl FieldWrite for crate::logical::$t {
            #[inline(always)]
            fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
                encode::$write(out, self.0);
                Ok(())
            }
        }
    )*};
}
logical!(
    Date(i32) => read_int, write_int, direct;
    TimeMillis(i32) => read_int, write_int, direct;
    TimeMicros(i64) => read_long, write_long, promoted;
    TimestampMillis(i64) => read_long, write_long, promoted;
    TimestampMicros(i64) => read_long, write_long, promoted;
    TimestampNanos(i64) => read_long, write_long, promoted;
    LocalTimestampMillis(i64) => read_long, write_long, promoted;
    LocalTimestampMicros(i64) => read_long, write_long, promoted;
    LocalTimestampNanos(i64) => read_long, write_long, promoted;
);

impl Field for crate::logical::Duration {
    const MIN_BYTES: usize = 12;
    #[inline(always)]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.read_fixed::<12>().map(Self::from_bytes)
    }
    #[inline]
    fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Self, DecodeError> {
        p.direct(r)?;
        Self::read(r)
    }
}
impl FieldWrite for crate::logical::Duration {
    #[inline(always)]
    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        encode::write_fixed(out, &self.to_bytes());
        Ok(())
    }
}

/// Strings and bytes: read into a value reusing its buffer; a resolved
/// read takes the other one of the two (the specification's promotions).
macro_rules! buffers {
    ($($(#[$doc:meta])* $t:ty => $read:ident, $into:ident);* $(;)?) => {$(
        $(#[$doc])*
        impl Field for $t {
            const MIN_BYTES: usize = 1;
            const REUSES: bool = true;
            #[inline(always)]
            fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                r.$read()
            }
            #[inline]
            fn read_into(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
                $into(r, self)
            }
            #[inline]
            fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Self, DecodeError> {
                p.$read(r)
            }
        }
    )*};
}
buffers!(
    String => read_string, read_string_into;
    /// Avro `bytes` (an array of `int` is `Vec<i32>`, so `Vec<u8>` is free for it).
    Vec<u8> => read_bytes, read_bytes_into;
);

/// Records, enums, fixed types and unions (generated or derived), and boxes
/// of them.
impl<T: Decode> Field for T {
    const MIN_BYTES: usize = T::MIN_BYTES;
    const REUSES: bool = true;
    #[inline(always)]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        T::decode(r)
    }
    #[inline]
    fn read_into(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        self.decode_into(r)
    }
    #[inline]
    fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Self, DecodeError> {
        T::decode_resolved(r, p)
    }
}

/// An option: a union of `null` and one type, `null` at branch `null` (0
/// or 1), `read` reading the value: the body of [`null_second`] and the
/// optional logical codecs (`Option<T>`'s own `Field` spells its hot
/// `read` and `write` out).
#[inline(always)]
fn read_option<T>(
    r: &mut Reader<'_>,
    null: usize,
    read: impl FnOnce(&mut Reader<'_>) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    if r.read_union_index(2)? == null {
        Ok(None)
    } else {
        read(r).map(Some)
    }
}

/// [`read_option`] into `x`, reusing the value it holds (`into`).
#[inline(always)]
fn read_option_into<T>(
    x: &mut Option<T>,
    r: &mut Reader<'_>,
    null: usize,
    read: impl FnOnce(&mut Reader<'_>) -> Result<T, DecodeError>,
    into: impl FnOnce(&mut T, &mut Reader<'_>) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    if r.read_union_index(2)? == null {
        *x = None;
    } else {
        match x {
            Some(v) => into(v, r)?,
            None => *x = Some(read(r)?),
        }
    }
    Ok(())
}

/// Writes an option's union index (`null` at branch `null`), then the
/// value with `write`.
#[inline(always)]
fn write_option<T>(
    x: &Option<T>,
    out: &mut Vec<u8>,
    null: u8,
    write: impl FnOnce(&T, &mut Vec<u8>) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    match x {
        None => {
            out.push(2 * null);
            Ok(())
        }
        Some(v) => {
            out.push(2 * (1 - null));
            write(v, out)
        }
    }
}

/// `["null", T]` (see the module doc for the other order).
impl<T: Field> Field for Option<T> {
    const MIN_BYTES: usize = 1;
    const REUSES: bool = T::REUSES;
    // Spelled out rather than `read_option(r, 0, T::read)`: through the
    // helper, callgrind counted 0.6% more instructions per record on the
    // `event` decode (7569 against 7521).
    #[inline(always)]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.read_union_index(2)? {
            0 => Ok(None),
            _ => T::read(r).map(Some),
        }
    }
    #[inline]
    fn read_into(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        read_option_into(self, r, 0, T::read, T::read_into)
    }
    #[inline]
    fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Self, DecodeError> {
        p.option(r, 0, T::resolve)
    }
}

/// An array: blocks of items (numbers in one bulk read per block).
impl<T: Field> Field for Vec<T> {
    const MIN_BYTES: usize = 1;
    const REUSES: bool = true;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut v = Vec::new();
        loop {
            let n = r.read_block_count(T::MIN_BYTES, v.len())?;
            if n == 0 {
                return Ok(v);
            }
            r.reserve(&mut v, n);
            T::read_block(r, n, &mut v)?;
        }
    }
    /// Items that hold something to reuse are read into in place (see
    /// [`vec_into`]); others are cleared and pushed, the capacity kept.
    #[inline]
    fn read_into(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        if T::REUSES {
            return vec_into(r, self, T::MIN_BYTES, T::read, |r, x| x.read_into(r));
        }
        self.clear();
        loop {
            let n = r.read_block_count(T::MIN_BYTES, self.len())?;
            if n == 0 {
                return Ok(());
            }
            r.reserve(self, n);
            T::read_block(r, n, self)?;
        }
    }
    #[inline]
    fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Self, DecodeError> {
        // Identity or not, the counts are bounded by the writer's items
        // (the plan knows their smallest size); identity items are read
        // plainly by `resolve_block`.
        let (items, min) = branch(r, p)?.collection()?;
        let mut v = Vec::new();
        loop {
            let n = r.read_block_count(min, v.len())?;
            if n == 0 {
                return Ok(v);
            }
            r.reserve(&mut v, n);
            T::resolve_block(r, items, n, &mut v)?;
        }
    }
}

/// The std maps (any hasher) and indexmap's, with string keys.
macro_rules! maps {
    ($([$($generics:tt)*] $t:ty),* $(,)?) => {$(
        impl<$($generics)*> Field for $t {
            const MIN_BYTES: usize = 1;
            const REUSES: bool = true;
            #[cfg_attr(debug_assertions, inline)]
            #[cfg_attr(not(debug_assertions), inline(always))]
            fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                read_map(r)
            }
            /// Values under keys already there are read into (see [`map_into`]).
            #[inline]
            fn read_into(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
                map_into(r, self, V::MIN_BYTES, V::read, |r, x| x.read_into(r))
            }
            #[inline]
            fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Self, DecodeError> {
                resolve_map(r, p)
            }
        }
    )*};
}
maps!(
    [V: Field, S: BuildHasher + Default] HashMap<String, V, S>,
    [V: Field] BTreeMap<String, V>,
    [V: Field, S: BuildHasher + Default] indexmap::IndexMap<String, V, S>,
);

/// A value written in its one Avro schema (see the module doc): the
/// encoding side of [`Field`], for optional fields and union branches.
pub trait FieldWrite {
    /// Appends the Avro binary encoding of `self` to `out`.
    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError>;

    /// The part of an upper bound of the encoding known only at run time
    /// (a string's or bytes' length, also inside an option); a record's
    /// encoder adds the schema's constant part and reserves once.
    #[inline(always)]
    fn var_len(&self) -> usize {
        0
    }

    /// Writes array items (numbers: one bulk write).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn write_block(items: &[Self], out: &mut Vec<u8>) -> Result<(), EncodeError>
    where
        Self: Sized,
    {
        for x in items {
            x.write(out)?;
        }
        Ok(())
    }
}

/// A union branch: its index, then the value.
#[inline(always)]
pub fn write_branch<T: FieldWrite + ?Sized>(
    out: &mut Vec<u8>,
    index: usize,
    value: &T,
) -> Result<(), EncodeError> {
    encode::write_long(out, index as i64);
    value.write(out)
}

/// Primitives, strings and bytes: their writers cannot fail.
macro_rules! writes {
    ($($t:ty => |$out:ident, $v:ident| $body:expr $(, len $len:ident)? $(, bulk $bulk:ident)?);* $(;)?) => {$(
        impl FieldWrite for $t {
            #[inline(always)]
            fn write(&self, $out: &mut Vec<u8>) -> Result<(), EncodeError> {
                let $v = self;
                $body;
                Ok(())
            }
            $(
                #[inline(always)]
                fn var_len(&self) -> usize {
                    self.$len()
                }
            )?
            $(
                #[inline]
                fn write_block(items: &[Self], out: &mut Vec<u8>) -> Result<(), EncodeError> {
                    encode::$bulk(out, items);
                    Ok(())
                }
            )?
        }
    )*};
}
impl FieldWrite for () {
    #[inline(always)]
    fn write(&self, _: &mut Vec<u8>) -> Result<(), EncodeError> {
        Ok(())
    }
}
writes!(
    bool => |out, v| encode::write_bool(out, *v);
    i32 => |out, v| encode::write_int(out, *v), bulk write_ints;
    i64 => |out, v| encode::write_long(out, *v), bulk write_longs;
    f32 => |out, v| encode::write_float(out, *v), bulk write_floats;
    f64 => |out, v| encode::write_double(out, *v), bulk write_doubles;
    String => |out, v| encode::write_str(out, v), len len;
    Vec<u8> => |out, v| encode::write_bytes(out, v), len len;
);

/// An array: one block of the items (when not empty) and the end marker.
impl<T: FieldWrite> FieldWrite for Vec<T> {
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if !self.is_empty() {
            encode::write_block_start(out, self.len());
            T::write_block(self, out)?;
        }
        encode::write_block_end(out);
        Ok(())
    }
}

/// The std maps (any hasher) and indexmap's, with string keys: one block.
macro_rules! map_writes {
    ($([$($generics:tt)*] $t:ty),* $(,)?) => {$(
        impl<$($generics)*> FieldWrite for $t {
            #[cfg_attr(debug_assertions, inline)]
            #[cfg_attr(not(debug_assertions), inline(always))]
            fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
                if !self.is_empty() {
                    encode::write_block_start(out, self.len());
                    for (k, v) in self.iter() {
                        encode::write_str(out, k);
                        v.write(out)?;
                    }
                }
                encode::write_block_end(out);
                Ok(())
            }
        }
    )*};
}
map_writes!(
    [V: FieldWrite, S] HashMap<String, V, S>,
    [V: FieldWrite] BTreeMap<String, V>,
    [V: FieldWrite, S] indexmap::IndexMap<String, V, S>,
);

/// Records, enums, fixed types and unions (generated or derived), and boxes
/// and references of them.
impl<T: Encode> FieldWrite for T {
    #[inline(always)]
    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.encode(out)
    }
}

/// `["null", T]` (see the module doc for the other order).
impl<T: FieldWrite> FieldWrite for Option<T> {
    // Spelled out, as `Field::read` above is (the hot path).
    #[inline(always)]
    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match self {
            None => {
                out.push(0);
                Ok(())
            }
            Some(v) => {
                out.push(2);
                v.write(out)
            }
        }
    }
    #[inline(always)]
    fn var_len(&self) -> usize {
        self.as_ref().map_or(0, T::var_len)
    }
}

/// `[T, "null"]`: an optional field whose value branch comes first (index
/// 0, `null` 1). `Option<T>`'s own `Field` and `FieldWrite` are `["null",
/// T]`; the `record!` template calls these for a field marked
/// `[null_second]`.
pub mod null_second {
    use super::*;

    /// Reads the union index, then the value unless it is `null`.
    #[inline(always)]
    pub fn read<T: Field>(r: &mut Reader<'_>) -> Result<Option<T>, DecodeError> {
        read_option(r, 1, T::read)
    }

    /// [`read`] into `x`, reusing the value it holds.
    #[inline]
    pub fn read_into<T: Field>(x: &mut Option<T>, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        read_option_into(x, r, 1, T::read, T::read_into)
    }

    /// Reads through a plan whose reader union has `null` second.
    #[inline]
    pub fn resolve<T: Field>(
        r: &mut Reader<'_>,
        p: PlanNode<'_>,
    ) -> Result<Option<T>, DecodeError> {
        p.option(r, 1, T::resolve)
    }

    /// Writes the union index, then the value.
    #[inline(always)]
    pub fn write<T: FieldWrite>(x: &Option<T>, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        write_option(x, out, 1, T::write)
    }

    /// The value's variable length (see [`FieldWrite::var_len`]).
    #[inline(always)]
    pub fn var_len<T: FieldWrite>(x: &Option<T>) -> usize {
        x.as_ref().map_or(0, T::var_len)
    }
}

/// A `uuid` field over `string` (its 36-character text).
pub mod uuid_string {
    use super::*;
    use crate::Uuid;

    /// The field's Rust type.
    pub type Value = Uuid;

    /// Reads and parses the text.
    #[inline]
    pub fn read(r: &mut Reader<'_>) -> Result<Uuid, DecodeError> {
        r.read_uuid_string()
    }

    /// [`read`] into `x`.
    #[inline]
    pub fn read_into(x: &mut Uuid, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        *x = r.read_uuid_string()?;
        Ok(())
    }

    /// Reads through a plan (the writer's string or bytes, transcoded).
    #[inline]
    pub fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Uuid, DecodeError> {
        p.decode_transcoded(r, |r: &mut Reader<'_>| r.read_uuid_string())
    }

    /// Writes the hyphenated text.
    #[inline]
    pub fn write(x: &Uuid, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        crate::encode::write_uuid_string(out, x);
        Ok(())
    }

    /// Nothing variable: the text's 37 bytes are in the record's constant bound.
    #[inline(always)]
    pub fn var_len(_: &Uuid) -> usize {
        0
    }
}

/// A `uuid` field over `fixed` of 16 bytes.
pub mod uuid_fixed {
    use super::*;
    use crate::Uuid;

    /// The field's Rust type.
    pub type Value = Uuid;

    /// Reads the 16 bytes.
    #[inline]
    pub fn read(r: &mut Reader<'_>) -> Result<Uuid, DecodeError> {
        Ok(Uuid::from_bytes(r.read_fixed::<16>()?))
    }

    /// [`read`] into `x`.
    #[inline]
    pub fn read_into(x: &mut Uuid, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        *x = read(r)?;
        Ok(())
    }

    /// Reads through a plan: nothing is promoted to a fixed.
    #[inline]
    pub fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Uuid, DecodeError> {
        p.direct(r)?;
        read(r)
    }

    /// Writes the 16 bytes.
    #[inline]
    pub fn write(x: &Uuid, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        crate::encode::write_fixed(out, x.as_bytes());
        Ok(())
    }

    /// Nothing variable.
    #[inline(always)]
    pub fn var_len(_: &Uuid) -> usize {
        0
    }
}

/// A `decimal` field over `bytes` (the two's-complement big-endian
/// unscaled value; the scale is the schema's).
pub mod decimal_bytes {
    use super::*;
    use crate::Decimal;

    /// The field's Rust type.
    pub type Value = Decimal;

    /// Reads the bytes.
    #[inline]
    pub fn read(r: &mut Reader<'_>) -> Result<Decimal, DecodeError> {
        Ok(Decimal::from_be_bytes(r.read_bytes()?))
    }

    /// [`read`] into `x`, reusing its buffer.
    #[inline]
    pub fn read_into(x: &mut Decimal, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        x.set_be_bytes(r.read_bytes_ref()?);
        Ok(())
    }

    /// Reads through a plan (the writer's bytes, or a string promoted).
    #[inline]
    pub fn resolve(r: &mut Reader<'_>, p: PlanNode<'_>) -> Result<Decimal, DecodeError> {
        Ok(Decimal::from_be_bytes(p.read_bytes(r)?))
    }

    /// Writes the bytes.
    #[inline]
    pub fn write(x: &Decimal, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        crate::encode::write_bytes(out, x.as_be_bytes());
        Ok(())
    }

    /// The bytes' length.
    #[inline(always)]
    pub fn var_len(x: &Decimal) -> usize {
        x.as_be_bytes().len()
    }
}

/// A `decimal` field over `fixed` of `N` bytes (sign-extended to `N`).
pub mod decimal_fixed {
    use super::*;
    use crate::Decimal;

    /// The field's Rust type.
    pub type Value = Decimal;

    /// Reads the `N` bytes.
    #[inline]
    pub fn read<const N: usize>(r: &mut Reader<'_>) -> Result<Decimal, DecodeError> {
        Ok(Decimal::from_be_bytes(r.read_fixed::<N>()?.to_vec()))
    }

    /// [`read`] into `x`, reusing its buffer.
    #[inline]
    pub fn read_into<const N: usize>(
        x: &mut Decimal,
        r: &mut Reader<'_>,
    ) -> Result<(), DecodeError> {
        x.set_be_bytes(r.take(N)?);
        Ok(())
    }

    /// Reads through a plan: nothing is promoted to a fixed.
    #[inline]
    pub fn resolve<const N: usize>(
        r: &mut Reader<'_>,
        p: PlanNode<'_>,
    ) -> Result<Decimal, DecodeError> {
        p.direct(r)?;
        read::<N>(r)
    }

    /// Writes the value in `N` bytes, or fails when it needs more.
    #[inline]
    pub fn write<const N: usize>(x: &Decimal, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match x.to_fixed::<N>() {
            Some(b) => {
                crate::encode::write_fixed(out, &b);
                Ok(())
            }
            None => Err(EncodeError::DecimalOverflow {
                needed: x.as_be_bytes().len(),
                size: N,
            }),
        }
    }

    /// Nothing variable.
    #[inline(always)]
    pub fn var_len<const N: usize>(_: &Decimal) -> usize {
        0
    }
}

/// The codecs above inside a union of `null` and the type: `null_first_*`
/// for `["null", T]`, `null_second_*` for `[T, "null"]` (an `Option` of the
/// base codec's value).
macro_rules! optional_codecs {
    ($($name:ident = $base:ident, null at $null:literal $(, const $n:ident)?;)*) => {$(
        #[doc = concat!(
            "`", stringify!($base), "` in a union with `null` at branch ",
            stringify!($null), "."
        )]
        pub mod $name {
            use super::*;

            type Value = Option<super::$base::Value>;

            /// Reads the union index, then the value unless it is `null`.
            #[inline]
            pub fn read<$(const $n: usize)?>(r: &mut Reader<'_>) -> Result<Value, DecodeError> {
                read_option(r, $null, super::$base::read$(::<$n>)?)
            }

            /// [`read`] into `x`, reusing the value it holds.
            #[inline]
            pub fn read_into<$(const $n: usize)?>(
                x: &mut Value,
                r: &mut Reader<'_>,
            ) -> Result<(), DecodeError> {
                let (read, into) = (
                    super::$base::read$(::<$n>)?,
                    super::$base::read_into$(::<$n>)?,
                );
                read_option_into(x, r, $null, read, into)
            }

            /// Reads through a plan whose reader union has `null` there.
            #[inline]
            pub fn resolve<$(const $n: usize)?>(
                r: &mut Reader<'_>,
                p: PlanNode<'_>,
            ) -> Result<Value, DecodeError> {
                p.option(r, $null, super::$base::resolve$(::<$n>)?)
            }

            /// Writes the union index, then the value.
            #[inline]
            pub fn write<$(const $n: usize)?>(x: &Value, out: &mut Vec<u8>) -> Result<(), EncodeError> {
                write_option(x, out, $null, super::$base::write$(::<$n>)?)
            }

            /// The value's variable length.
            #[inline(always)]
            pub fn var_len<$(const $n: usize)?>(x: &Value) -> usize {
                x.as_ref().map_or(0, super::$base::var_len$(::<$n>)?)
            }
        }
    )*};
}

optional_codecs! {
    null_first_uuid_string = uuid_string, null at 0;
    null_second_uuid_string = uuid_string, null at 1;
    null_first_uuid_fixed = uuid_fixed, null at 0;
    null_second_uuid_fixed = uuid_fixed, null at 1;
    null_first_decimal_bytes = decimal_bytes, null at 0;
    null_second_decimal_bytes = decimal_bytes, null at 1;
    null_first_decimal_fixed = decimal_fixed, null at 0, const N;
    null_second_decimal_fixed = decimal_fixed, null at 1, const N;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::resolve_texts;

    fn resolved<T: Field>(writer: &str, reader: &str, bytes: &[u8]) -> Result<T, DecodeError> {
        let plan = resolve_texts(writer, reader).expect("a plan");
        let mut r = Reader::new(bytes);
        let v = T::resolve(&mut r, plan.root())?;
        r.finish()?;
        Ok(v)
    }

    #[test]
    fn options_read_null_first_and_reuse_the_value_they_hold() {
        let mut r = Reader::new(&[2, 4, b'h', b'i', 0]);
        let mut v: Option<String> = Some(String::with_capacity(64));
        v.read_into(&mut r).unwrap();
        assert_eq!(v.as_deref(), Some("hi"));
        assert!(
            v.as_ref().unwrap().capacity() >= 64,
            "the string was replaced"
        );
        v.read_into(&mut r).unwrap();
        assert_eq!(v, None);
        assert!(<Option<i64>>::read(&mut Reader::new(&[4])).is_err());
    }

    #[test]
    fn resolves_promotions_inside_options_arrays_and_maps() {
        // int → long inside an array, int → double as a map value, and a
        // non-union writer into a reader option.
        let a: Vec<i64> = resolved(
            r#"{"type":"array","items":"int"}"#,
            r#"{"type":"array","items":"long"}"#,
            &[4, 2, 4, 0],
        )
        .unwrap();
        assert_eq!(a, [1, 2]);
        let m: BTreeMap<String, f64> = resolved(
            r#"{"type":"map","values":"int"}"#,
            r#"{"type":"map","values":"double"}"#,
            &[2, 2, b'k', 6, 0],
        )
        .unwrap();
        assert_eq!(m, BTreeMap::from([("k".to_owned(), 3.0)]));
        let o: Option<String> = resolved(r#""bytes""#, r#"["null","string"]"#, &[2, b'x']).unwrap();
        assert_eq!(o.as_deref(), Some("x"));
        let o: Option<i64> = resolved(r#"["int","null"]"#, r#"["null","long"]"#, &[2]).unwrap();
        assert_eq!(o, None);
    }

    #[test]
    fn resolved_errors_name_the_item_or_key() {
        let e = resolved::<Vec<String>>(
            r#"{"type":"array","items":"bytes"}"#,
            r#"{"type":"array","items":"string"}"#,
            &[4, 2, b'a', 2, 0xff, 0],
        )
        .unwrap_err();
        assert!(e.to_string().contains("[1]"), "{e}");
        let e = resolved::<HashMap<String, i64>>(
            r#"{"type":"map","values":"int"}"#,
            r#"{"type":"map","values":"long"}"#,
            &[2, 2, b'k'],
        )
        .unwrap_err();
        assert!(e.to_string().contains("k"), "{e}");
    }

    #[test]
    fn uuid_and_decimal_codecs_round_trip_reuse_and_resolve() {
        let id = crate::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        let mut out = Vec::new();
        uuid_string::write(&id, &mut out).unwrap();
        uuid_fixed::write(&id, &mut out).unwrap();
        let d = crate::Decimal::from_be_bytes(vec![0x01, 0x02]);
        decimal_bytes::write(&d, &mut out).unwrap();
        assert_eq!(decimal_bytes::var_len(&d), 2);
        assert_eq!(out.len(), 37 + 16 + 3);
        let mut r = Reader::new(&out);
        assert_eq!(uuid_string::read(&mut r).unwrap(), id);
        assert_eq!(uuid_fixed::read(&mut r).unwrap(), id);
        assert_eq!(decimal_bytes::read(&mut r).unwrap(), d);
        r.finish().unwrap();

        let mut r = Reader::new(&out);
        let (mut u1, mut u2) = (crate::Uuid::nil(), crate::Uuid::nil());
        let mut d2 = crate::Decimal::from_be_bytes(vec![9; 8]);
        uuid_string::read_into(&mut u1, &mut r).unwrap();
        uuid_fixed::read_into(&mut u2, &mut r).unwrap();
        decimal_bytes::read_into(&mut d2, &mut r).unwrap();
        assert_eq!((u1, u2, &d2), (id, id, &d));

        // A plain string writer read as a uuid; bytes as a decimal.
        let plan =
            resolve_texts(r#""string""#, r#"{"type":"string","logicalType":"uuid"}"#).unwrap();
        let text = &out[..37];
        assert_eq!(
            uuid_string::resolve(&mut Reader::new(text), plan.root()).unwrap(),
            id
        );
        let plan = resolve_texts(
            r#""bytes""#,
            r#"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}"#,
        )
        .unwrap();
        assert_eq!(
            decimal_bytes::resolve(&mut Reader::new(&[4, 1, 2]), plan.root()).unwrap(),
            d
        );
        let fixed = r#"{"type":"fixed","name":"U","size":16,"logicalType":"uuid"}"#;
        let plan = resolve_texts(fixed, fixed).unwrap();
        assert_eq!(
            uuid_fixed::resolve(&mut Reader::new(&out[37..53]), plan.root()).unwrap(),
            id
        );
        assert!(uuid_string::read(&mut Reader::new(&[4, b'n', b'o'])).is_err());
    }

    #[test]
    fn decimal_fixed_and_optional_codecs_round_trip_and_refuse_overflow() {
        let d = crate::Decimal::from_be_bytes(vec![0xff, 0x38]); // -200
        let mut out = Vec::new();
        decimal_fixed::write::<4>(&d, &mut out).unwrap();
        assert_eq!(out, [0xff, 0xff, 0xff, 0x38]);
        let big = crate::Decimal::from_be_bytes(vec![1, 0, 0, 0, 0]);
        assert!(matches!(
            decimal_fixed::write::<4>(&big, &mut Vec::new()),
            Err(EncodeError::DecimalOverflow { needed: 5, size: 4 })
        ));
        let back = decimal_fixed::read::<4>(&mut Reader::new(&out)).unwrap();
        assert_eq!(back.as_be_bytes(), [0xff, 0xff, 0xff, 0x38]);

        // ["null", decimal-fixed] and [uuid-string, "null"].
        let mut out = Vec::new();
        null_first_decimal_fixed::write::<4>(&Some(d.clone()), &mut out).unwrap();
        null_first_decimal_fixed::write::<4>(&None, &mut out).unwrap();
        let id = crate::Uuid::from_u128(7);
        null_second_uuid_string::write(&Some(id), &mut out).unwrap();
        null_second_uuid_string::write(&None, &mut out).unwrap();
        assert_eq!(&out[..6], [2, 0xff, 0xff, 0xff, 0x38, 0]);
        assert_eq!(out[6], 0);
        assert_eq!(out[out.len() - 1], 2);
        assert_eq!(null_second_decimal_bytes::var_len(&Some(d.clone())), 2);
        let mut r = Reader::new(&out);
        let first = null_first_decimal_fixed::read::<4>(&mut r)
            .unwrap()
            .unwrap();
        assert_eq!(first.as_be_bytes(), [0xff, 0xff, 0xff, 0x38]);
        assert_eq!(null_first_decimal_fixed::read::<4>(&mut r).unwrap(), None);
        assert_eq!(null_second_uuid_string::read(&mut r).unwrap(), Some(id));
        assert_eq!(null_second_uuid_string::read(&mut r).unwrap(), None);
        r.finish().unwrap();
        let mut x = None;
        null_first_decimal_fixed::read_into::<4>(&mut x, &mut Reader::new(&out)).unwrap();
        assert_eq!(x.unwrap().as_be_bytes(), [0xff, 0xff, 0xff, 0x38]);

        // Resolved: writer ["null", uuid-string] read as reader [uuid-string, "null"].
        let u = r#"{"type":"string","logicalType":"uuid"}"#;
        let plan = resolve_texts(&format!(r#"["null",{u}]"#), &format!(r#"[{u},"null"]"#)).unwrap();
        let mut bytes = vec![2];
        crate::encode::write_uuid_string(&mut bytes, &id);
        let read = |b: &[u8]| null_second_uuid_string::resolve(&mut Reader::new(b), plan.root());
        assert_eq!(read(&bytes).unwrap(), Some(id));
        assert_eq!(read(&[0]).unwrap(), None);
    }

    #[test]
    fn null_second_options_read_write_reuse_and_resolve_with_the_value_first() {
        let mut out = Vec::new();
        null_second::write(&Some(3i32), &mut out).unwrap();
        null_second::write(&None::<i32>, &mut out).unwrap();
        assert_eq!(out, [0, 6, 2]);
        assert_eq!(null_second::var_len(&Some(String::from("ab"))), 2);
        let mut r = Reader::new(&out);
        assert_eq!(null_second::read::<i32>(&mut r).unwrap(), Some(3));
        assert_eq!(null_second::read::<i32>(&mut r).unwrap(), None);
        let mut x = Some(String::from("old"));
        null_second::read_into(&mut x, &mut Reader::new(&[0, 4, b'n', b'w'])).unwrap();
        assert_eq!(x.as_deref(), Some("nw"));
        null_second::read_into(&mut x, &mut Reader::new(&[2])).unwrap();
        assert_eq!(x, None);
        assert!(null_second::read::<i32>(&mut Reader::new(&[4])).is_err());
        // Writer ["null", "int"] read as reader ["long", "null"].
        let plan = resolve_texts(r#"["null","int"]"#, r#"["long","null"]"#).unwrap();
        let read = |bytes: &[u8]| null_second::resolve::<i64>(&mut Reader::new(bytes), plan.root());
        assert_eq!(read(&[2, 6]).unwrap(), Some(3));
        assert_eq!(read(&[0]).unwrap(), None);
    }

    #[test]
    fn writes_options_null_first_and_branches_with_their_index() {
        let mut out = Vec::new();
        Some("hi".to_owned()).write(&mut out).unwrap();
        <Option<i64>>::None.write(&mut out).unwrap();
        write_branch(&mut out, 70, &-1i32).unwrap();
        assert_eq!(out, [2, 4, b'h', b'i', 0, 0x8c, 0x01, 1]);
    }

    #[test]
    fn hostile_counts_are_refused_before_allocating() {
        // A block of a billion strings in three bytes.
        let mut r = Reader::new(&[0x80, 0xa8, 0xd6, 0xb9, 0x07]);
        assert!(<Vec<String>>::read(&mut r).is_err());
        let mut r = Reader::new(&[0x80, 0xa8, 0xd6, 0xb9, 0x07]);
        assert!(<HashMap<String, f64>>::read(&mut r).is_err());
    }
}
