//! The [`Encode`] trait and the write helpers generated code calls.
//!
//! Everything writes straight into a `Vec<u8>`: varints are assembled on the
//! stack and copied once, strings and bytes are one `extend_from_slice`.

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
    let mut n = ((v << 1) ^ (v >> 63)) as u64;
    if n < 0x80 {
        out.push(n as u8);
        return;
    }
    let mut buf = [0u8; 10];
    let mut i = 0;
    while n >= 0x80 {
        buf[i] = (n as u8) | 0x80;
        n >>= 7;
        i += 1;
    }
    buf[i] = n as u8;
    out.extend_from_slice(&buf[..=i]);
}

/// An `int`: zig-zag varint.
#[inline]
pub fn write_int(out: &mut Vec<u8>, v: i32) {
    write_long(out, v as i64)
}

/// A `boolean`: one byte, 0 or 1.
#[inline]
pub fn write_bool(out: &mut Vec<u8>, v: bool) {
    out.push(v as u8);
}

/// A `float`: 4 bytes, little-endian IEEE 754.
#[inline]
pub fn write_float(out: &mut Vec<u8>, v: f32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A `double`: 8 bytes, little-endian IEEE 754.
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

/// A `string`: its UTF-8 length, then the bytes.
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

/// The zero count that ends an array or map.
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
