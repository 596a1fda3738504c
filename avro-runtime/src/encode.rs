//! The [`Encode`] trait and the write helpers generated code calls.
//!
//! Everything writes straight into a `Vec<u8>`: varint bytes are pushed one
//! at a time (measured against a stack buffer copied with
//! `extend_from_slice`, which took up to twice as long: BENCHMARKS.md,
//! issue 17), strings and bytes are one `extend_from_slice`. Arrays of
//! numbers have bulk writers that size the output once. Generated record
//! encoders call [`reserve`] once with an upper bound of the record's size.

use crate::error::EncodeError;

/// A value that writes its Avro binary encoding.
pub trait Encode {
    /// Appends the Avro binary encoding of `self` to `out`.
    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError>;
}

impl<T: Encode + ?Sized> Encode for Box<T> {
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        (**self).encode(out)
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        (**self).encode(out)
    }
}

/// Zig-zag varint of a `long` (also used for `int`, lengths, counts, indexes).
#[inline]
pub fn write_long(out: &mut Vec<u8>, v: i64) {
    write_varint(out, ((v << 1) ^ (v >> 63)) as u64);
}

/// An unsigned varint, one byte pushed at a time.
#[inline]
pub fn write_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Makes room for `n` more bytes (a record's upper bound, computed by the
/// generated encoder), so the pushes that follow do not grow the vector.
#[inline]
pub fn reserve(out: &mut Vec<u8>, n: usize) {
    out.reserve(n);
}

/// The items of a non-empty `array<long>` block (the count is written by
/// the caller): the output is grown once to the largest size they can take
/// and cut back to what they took.
pub fn write_longs(out: &mut Vec<u8>, vals: &[i64]) {
    let start = out.len();
    out.resize(start + vals.len() * 10, 0);
    let buf = &mut out[start..];
    let mut p = 0;
    for &v in vals {
        let mut n = ((v << 1) ^ (v >> 63)) as u64;
        while n >= 0x80 {
            buf[p] = (n as u8) | 0x80;
            n >>= 7;
            p += 1;
        }
        buf[p] = n as u8;
        p += 1;
    }
    out.truncate(start + p);
}

/// The items of a non-empty `array<int>` block (see [`write_longs`]).
pub fn write_ints(out: &mut Vec<u8>, vals: &[i32]) {
    let start = out.len();
    out.resize(start + vals.len() * 5, 0);
    let buf = &mut out[start..];
    let mut p = 0;
    for &v in vals {
        let mut n = ((v << 1) ^ (v >> 31)) as u32;
        while n >= 0x80 {
            buf[p] = (n as u8) | 0x80;
            n >>= 7;
            p += 1;
        }
        buf[p] = n as u8;
        p += 1;
    }
    out.truncate(start + p);
}

/// The items of a non-empty `array<double>` block: 8 little-endian bytes
/// each, written into space made once.
pub fn write_doubles(out: &mut Vec<u8>, vals: &[f64]) {
    let start = out.len();
    out.resize(start + vals.len() * 8, 0);
    for (c, v) in out[start..].chunks_exact_mut(8).zip(vals) {
        c.copy_from_slice(&v.to_le_bytes());
    }
}

/// The items of a non-empty `array<float>` block (see [`write_doubles`]).
pub fn write_floats(out: &mut Vec<u8>, vals: &[f32]) {
    let start = out.len();
    out.resize(start + vals.len() * 4, 0);
    for (c, v) in out[start..].chunks_exact_mut(4).zip(vals) {
        c.copy_from_slice(&v.to_le_bytes());
    }
}

#[inline]
pub fn write_int(out: &mut Vec<u8>, v: i32) {
    write_long(out, v as i64)
}

#[inline]
pub fn write_bool(out: &mut Vec<u8>, v: bool) {
    out.push(v as u8);
}

#[inline]
pub fn write_float(out: &mut Vec<u8>, v: f32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[inline]
pub fn write_double(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// `bytes` and `string`: a length, then the bytes.
#[inline]
pub fn write_bytes(out: &mut Vec<u8>, v: &[u8]) {
    write_long(out, v.len() as i64);
    out.extend_from_slice(v);
}

#[inline]
pub fn write_str(out: &mut Vec<u8>, v: &str) {
    write_bytes(out, v.as_bytes())
}

/// A fixed: the bytes, no length.
#[inline]
pub fn write_fixed(out: &mut Vec<u8>, v: &[u8]) {
    out.extend_from_slice(v);
}

/// The count that opens a non-empty array or map block; the caller writes the
/// items and then [`write_block_end`].
#[inline]
pub fn write_block_start(out: &mut Vec<u8>, len: usize) {
    write_long(out, len as i64);
}

#[inline]
pub fn write_block_end(out: &mut Vec<u8>) {
    out.push(0);
}

/// A string `uuid`: the 36-character lower-case hyphenated form.
#[inline]
pub fn write_uuid_string(out: &mut Vec<u8>, v: &uuid::Uuid) {
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let s = v.hyphenated().encode_lower(&mut buf);
    write_str(out, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bulk writers write what the one-value writers write, for values
    /// of every varint length.
    #[test]
    fn bulk_writers_match_one_by_one() {
        let longs: Vec<i64> = (0..64)
            .flat_map(|s| {
                let p = 1i64 << s;
                [p, p.wrapping_neg(), p.wrapping_sub(1)]
            })
            .chain([0, i64::MIN, i64::MAX])
            .collect();
        let ints: Vec<i32> = longs.iter().map(|v| *v as i32).collect();
        let doubles: Vec<f64> = longs.iter().map(|v| *v as f64 / 3.0).collect();
        let floats: Vec<f32> = doubles.iter().map(|v| *v as f32).collect();
        let (mut a, mut b) = (vec![7u8], vec![7u8]);
        write_longs(&mut a, &longs);
        write_ints(&mut a, &ints);
        write_doubles(&mut a, &doubles);
        write_floats(&mut a, &floats);
        longs.iter().for_each(|v| write_long(&mut b, *v));
        ints.iter().for_each(|v| write_int(&mut b, *v));
        doubles.iter().for_each(|v| write_double(&mut b, *v));
        floats.iter().for_each(|v| write_float(&mut b, *v));
        assert_eq!(a, b);
    }

    #[test]
    fn varints_have_their_known_bytes() {
        let mut out = Vec::new();
        for v in [0i64, -1, 1, -64, 64, i64::MAX, i64::MIN] {
            write_long(&mut out, v);
        }
        let mut want = vec![0x00, 0x01, 0x02, 0x7f, 0x80, 0x01];
        want.extend([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
        want.extend([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
        assert_eq!(out, want);
    }
}
