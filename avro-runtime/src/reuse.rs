//! Decoding into values that already exist: [`from_slice_into`] and the
//! helpers generated [`Decode::decode_into`] overrides call to reuse the
//! capacity a value holds (strings, bytes, vectors, maps) and leave nothing
//! of the previous value behind (shorter arrays are truncated, keys the new
//! map lacks are removed, a `None` replaces a `Some`).
//!
//! A consumer that decodes every message into one value reaches a steady
//! state with no allocation once the value has grown to the messages' sizes.

use crate::decode::{Decode, Limits, Reader};
use crate::error::{DecodeError, PathSegment};

/// Decodes `bytes` (one whole value) into `value`, reusing its capacity.
/// On error `value` holds a valid value of unspecified content.
#[inline]
pub fn from_slice_into<T: Decode>(value: &mut T, bytes: &[u8]) -> Result<(), DecodeError> {
    from_slice_into_with_limits(value, bytes, &Limits::DEFAULT)
}

/// [`from_slice_into`] within `limits`.
pub fn from_slice_into_with_limits<T: Decode>(
    value: &mut T,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(), DecodeError> {
    let mut r = Reader::with_limits(bytes, limits);
    value
        .decode_into(&mut r)
        .map_err(|e| e.push(PathSegment::Root(T::AVRO_NAME)))?;
    r.finish()
}

/// Reads a `string` into `s` (its capacity reused).
#[inline]
pub fn read_string_into(r: &mut Reader<'_>, s: &mut String) -> Result<(), DecodeError> {
    let v = r.read_str()?;
    s.clear();
    s.push_str(v);
    Ok(())
}

/// Reads `bytes` into `b` (its capacity reused).
#[inline]
pub fn read_bytes_into(r: &mut Reader<'_>, b: &mut Vec<u8>) -> Result<(), DecodeError> {
    let v = r.read_bytes_ref()?;
    b.clear();
    b.extend_from_slice(v);
    Ok(())
}

/// Reads an array into `v`: items already there are decoded into with
/// `into`, further ones made with `new`, and what is left over from a
/// longer previous array is dropped. `item_min` is the smallest encoding
/// of one item (see [`Reader::read_block_count`]).
#[inline]
pub fn vec_into<'a, T>(
    r: &mut Reader<'a>,
    v: &mut Vec<T>,
    item_min: usize,
    mut new: impl FnMut(&mut Reader<'a>) -> Result<T, DecodeError>,
    mut into: impl FnMut(&mut Reader<'a>, &mut T) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let mut len = 0usize;
    loop {
        let n = r.read_block_count(item_min, len)?;
        if n == 0 {
            break;
        }
        if len + n > v.len() {
            let more = len + n - v.len();
            v.reserve(r.reserve_count::<T>(more));
        }
        for _ in 0..n {
            if let Some(x) = v.get_mut(len) {
                into(r, x).map_err(|e| e.index(len))?;
            } else {
                let x = new(r).map_err(|e| e.index(len))?;
                v.push(x);
            }
            len += 1;
        }
    }
    v.truncate(len);
    Ok(())
}

/// A map type [`map_into`] can update in place: the std `HashMap` (any
/// hasher), `BTreeMap` and `IndexMap` (whose order follows the input).
pub trait ReuseMap<V> {
    /// Whether the map keeps insertion order (then it must match the input's).
    const ORDERED: bool = false;
    /// How many entries the map holds.
    fn entries(&self) -> usize;
    /// The value under `key`, to decode into.
    fn value_mut(&mut self, key: &str) -> Option<&mut V>;
    /// Inserts (or replaces) `key`.
    fn put(&mut self, key: String, value: V);
    /// Removes every entry, keeping the capacity.
    fn clear_all(&mut self);
    /// Removes the entries whose key is not in `sorted_keys` (sorted).
    fn keep_only(&mut self, sorted_keys: &[&str]);
    /// Whether the keys, in the map's order, are `keys` (only asked of ordered maps).
    fn in_order(&self, keys: &[&str]) -> bool;
    /// Room for `_n` more entries, where the map type can reserve.
    fn reserve_more(&mut self, _n: usize) {}
}

impl<V, S: std::hash::BuildHasher> ReuseMap<V> for std::collections::HashMap<String, V, S> {
    fn entries(&self) -> usize {
        self.len()
    }
    fn value_mut(&mut self, key: &str) -> Option<&mut V> {
        self.get_mut(key)
    }
    fn put(&mut self, key: String, value: V) {
        self.insert(key, value);
    }
    fn clear_all(&mut self) {
        self.clear();
    }
    fn keep_only(&mut self, sorted_keys: &[&str]) {
        self.retain(|k, _| sorted_keys.binary_search(&k.as_str()).is_ok());
    }
    fn in_order(&self, _: &[&str]) -> bool {
        true
    }
    fn reserve_more(&mut self, n: usize) {
        self.reserve(n);
    }
}

impl<V> ReuseMap<V> for std::collections::BTreeMap<String, V> {
    fn entries(&self) -> usize {
        self.len()
    }
    fn value_mut(&mut self, key: &str) -> Option<&mut V> {
        self.get_mut(key)
    }
    fn put(&mut self, key: String, value: V) {
        self.insert(key, value);
    }
    fn clear_all(&mut self) {
        self.clear();
    }
    fn keep_only(&mut self, sorted_keys: &[&str]) {
        self.retain(|k, _| sorted_keys.binary_search(&k.as_str()).is_ok());
    }
    fn in_order(&self, _: &[&str]) -> bool {
        true
    }
}

impl<V, S: std::hash::BuildHasher> ReuseMap<V> for indexmap::IndexMap<String, V, S> {
    const ORDERED: bool = true;
    fn entries(&self) -> usize {
        self.len()
    }
    fn value_mut(&mut self, key: &str) -> Option<&mut V> {
        self.get_mut(key)
    }
    fn put(&mut self, key: String, value: V) {
        self.insert(key, value);
    }
    fn clear_all(&mut self) {
        self.clear();
    }
    fn keep_only(&mut self, sorted_keys: &[&str]) {
        self.retain(|k, _| sorted_keys.binary_search(&k.as_str()).is_ok());
    }
    fn in_order(&self, keys: &[&str]) -> bool {
        self.keys().map(String::as_str).eq(keys.iter().copied())
    }
    fn reserve_more(&mut self, n: usize) {
        self.reserve(n);
    }
}

/// Keys of one map as read, on the stack for small maps (no allocation),
/// spilling to the heap past [`KEYS_ON_STACK`].
struct Keys<'a> {
    stack: [&'a str; KEYS_ON_STACK],
    n: usize,
    heap: Vec<&'a str>,
}

/// Maps of up to this many entries are updated in place without allocating.
pub const KEYS_ON_STACK: usize = 32;

impl<'a> Keys<'a> {
    fn push(&mut self, k: &'a str) {
        if self.n < KEYS_ON_STACK {
            self.stack[self.n] = k;
        } else {
            if self.heap.is_empty() {
                self.heap.extend_from_slice(&self.stack);
            }
            self.heap.push(k);
        }
        self.n += 1;
    }
    fn as_mut_slice(&mut self) -> &mut [&'a str] {
        if self.n <= KEYS_ON_STACK {
            &mut self.stack[..self.n]
        } else {
            &mut self.heap
        }
    }
}

/// Reads a map into `m`: values under keys already there are decoded into
/// with `into` (the key's `String` kept), new keys inserted with values from
/// `new`, and keys the input lacks removed. Duplicate keys in the input or
/// an order an ordered map does not have make it start again from an empty
/// map (reading the map's bytes a second time), so the result is always what
/// decoding into a new map gives. `value_min` is the smallest encoding of one
/// value.
pub fn map_into<'a, V, M: ReuseMap<V>>(
    r: &mut Reader<'a>,
    m: &mut M,
    value_min: usize,
    mut new: impl FnMut(&mut Reader<'a>) -> Result<V, DecodeError>,
    mut into: impl FnMut(&mut Reader<'a>, &mut V) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let start = r.clone();
    let mut keys = Keys {
        stack: [""; KEYS_ON_STACK],
        n: 0,
        heap: Vec::new(),
    };
    loop {
        let n = r.read_block_count(1 + value_min, keys.n)?;
        if n == 0 {
            break;
        }
        for _ in 0..n {
            let k = r.read_str()?;
            match m.value_mut(k) {
                Some(x) => into(r, x).map_err(|e| e.key(k))?,
                None => {
                    let x = new(r).map_err(|e| e.key(k))?;
                    m.put(k.to_owned(), x);
                }
            }
            keys.push(k);
        }
    }
    let total = keys.n;
    if M::ORDERED {
        // The map's keys, in order, are the input's: nothing stale, no
        // duplicate (a map's keys are distinct), the input's order.
        if m.entries() == total && m.in_order(keys.as_mut_slice()) {
            return Ok(());
        }
        return map_fresh(&start, r, m, value_min, new);
    }
    let sorted = keys.as_mut_slice();
    sorted.sort_unstable();
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return map_fresh(&start, r, m, value_min, new);
    }
    // Every key read is in the map, once: any other entry is stale.
    if m.entries() > total {
        m.keep_only(sorted);
    }
    Ok(())
}

/// Reads the map at `start` again into an emptied `m`; `r` ends where the
/// first reading ended.
#[cold]
fn map_fresh<'a, V, M: ReuseMap<V>>(
    start: &Reader<'a>,
    r: &mut Reader<'a>,
    m: &mut M,
    value_min: usize,
    mut new: impl FnMut(&mut Reader<'a>) -> Result<V, DecodeError>,
) -> Result<(), DecodeError> {
    m.clear_all();
    let mut again = start.clone();
    let mut read = 0usize;
    loop {
        let n = again.read_block_count(1 + value_min, read)?;
        if n == 0 {
            break;
        }
        read += n;
        m.reserve_more(again.reserve_count::<(String, V)>(n));
        for _ in 0..n {
            let k = again.read_str()?;
            let x = new(&mut again).map_err(|e| e.key(k))?;
            m.put(k.to_owned(), x);
        }
    }
    *r = again;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{write_long, write_str};
    use std::collections::{BTreeMap, HashMap};

    fn map_bytes(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut b = Vec::new();
        if !entries.is_empty() {
            write_long(&mut b, entries.len() as i64);
            for (k, v) in entries {
                write_str(&mut b, k);
                write_str(&mut b, v);
            }
        }
        write_long(&mut b, 0);
        b
    }

    fn read_into<M: ReuseMap<String>>(m: &mut M, bytes: &[u8]) {
        let mut r = Reader::new(bytes);
        map_into(m, &mut r, bytes);
        r.finish().unwrap();
        fn map_into<M: ReuseMap<String>>(m: &mut M, r: &mut Reader<'_>, _: &[u8]) {
            super::map_into(r, m, 1, |r| r.read_string(), read_string_into).unwrap();
        }
    }

    #[test]
    fn maps_lose_stale_keys_and_take_the_last_of_duplicates() {
        let seq: &[&[(&str, &str)]] = &[
            &[("a", "1"), ("b", "2"), ("c", "3")],
            &[("a", "4"), ("c", "5")],
            &[("a", "6"), ("a", "7")],
            &[],
            &[("x", "8"), ("a", "9")],
            &[("a", "1"), ("x", "2"), ("a", "3")],
        ];
        let mut h: HashMap<String, String> = HashMap::new();
        let mut t: BTreeMap<String, String> = BTreeMap::new();
        let mut i: indexmap::IndexMap<String, String> = indexmap::IndexMap::new();
        for entries in seq {
            let bytes = map_bytes(entries);
            read_into(&mut h, &bytes);
            read_into(&mut t, &bytes);
            read_into(&mut i, &bytes);
            let mut want: indexmap::IndexMap<String, String> = indexmap::IndexMap::new();
            for (k, v) in *entries {
                want.insert(k.to_string(), v.to_string());
            }
            assert_eq!(h, want.clone().into_iter().collect(), "{entries:?}");
            assert_eq!(t, want.clone().into_iter().collect(), "{entries:?}");
            assert!(i.iter().eq(want.iter()), "{entries:?}: {i:?}");
        }
    }

    #[test]
    fn vectors_are_truncated_and_strings_replaced() {
        let mut v: Vec<String> = Vec::new();
        for items in [&["abc", "de", "f"][..], &["x"], &[], &["1", "2"]] {
            let mut b = Vec::new();
            if !items.is_empty() {
                write_long(&mut b, items.len() as i64);
                for s in items {
                    write_str(&mut b, s);
                }
            }
            write_long(&mut b, 0);
            let mut r = Reader::new(&b);
            vec_into(&mut r, &mut v, 1, |r| r.read_string(), read_string_into).unwrap();
            assert_eq!(v, items);
        }
    }
}
