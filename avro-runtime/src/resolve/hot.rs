//! [`HotSlots`]: the first few writers a consumer meets, found per message
//! without a lock. `Resolver` keeps its plans by id and by text in them, and
//! avro-registry's `Deserializer` its plans by schema id or GUID.
//!
//! A consumer meets a handful of writer schemas, so the common case costs a
//! short scan (an atomic load and a compare per slot) instead of a lock, a
//! hash and reference-count updates; on a multi-threaded consumer it also
//! writes no shared cache line per message. Writers past the first
//! [`HOT_SLOTS`] belong in the caller's own (bounded) cache.

use std::sync::OnceLock;

/// Slots in a [`HotSlots`] table.
pub const HOT_SLOTS: usize = 8;

/// Up to [`HOT_SLOTS`] key-value pairs, each set once for the table's life
/// and read without a lock. Slots fill in order with no gaps (a writer
/// moves past an empty slot only after failing to set it, that is after
/// another thread has filled it) and no duplicate keys (a writer that
/// loses a slot checks whether the winner stored its key), so a scan stops
/// at the first empty slot. Memory is bounded: at most [`HOT_SLOTS`] values
/// are pinned.
pub struct HotSlots<K, V> {
    slots: [OnceLock<(K, V)>; HOT_SLOTS],
}

impl<K, V> Default for HotSlots<K, V> {
    fn default() -> Self {
        HotSlots {
            slots: std::array::from_fn(|_| OnceLock::new()),
        }
    }
}

impl<K, V> HotSlots<K, V> {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value stored under the key `is_key` accepts.
    #[inline]
    pub fn find(&self, is_key: impl Fn(&K) -> bool) -> Option<&V> {
        for slot in &self.slots {
            match slot.get() {
                Some((k, v)) if is_key(k) => return Some(v),
                Some(_) => {}
                None => return None,
            }
        }
        None
    }

    /// Stores `value` under `key` in the first free slot, unless `key`
    /// (as `is_key` recognises it) has one or every slot is taken.
    pub fn offer(&self, key: K, value: V, is_key: impl Fn(&K) -> bool) {
        let mut pair = (key, value);
        for slot in &self.slots {
            match slot.get() {
                Some((k, _)) if is_key(k) => return,
                Some(_) => continue,
                None => match slot.set(pair) {
                    Ok(()) => return,
                    // Another thread filled it: with this key, or move on.
                    Err(back) => {
                        if slot.get().is_some_and(|(k, _)| is_key(k)) {
                            return;
                        }
                        pair = back;
                    }
                },
            }
        }
    }

    /// The keys stored, in slot order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.slots.iter().map_while(|s| s.get().map(|(k, _)| k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn slots_fill_in_order_once_per_key_and_stop_when_full() {
        let hot = HotSlots::<u64, String>::new();
        assert_eq!(hot.find(|k| *k == 1), None);
        for k in 0..2 * HOT_SLOTS as u64 {
            hot.offer(k, format!("v{k}"), |x| *x == k);
            hot.offer(k, "again".into(), |x| *x == k);
        }
        assert_eq!(
            hot.keys().copied().collect::<Vec<_>>(),
            (0..HOT_SLOTS as u64).collect::<Vec<_>>()
        );
        assert_eq!(hot.find(|k| *k == 3).map(String::as_str), Some("v3"));
        assert_eq!(hot.find(|k| *k == HOT_SLOTS as u64), None);
    }

    #[test]
    fn racing_threads_leave_no_gap_and_no_duplicate() {
        for _ in 0..50 {
            let hot = Arc::new(HotSlots::<u64, u64>::new());
            let threads: Vec<_> = (0..4u64)
                .map(|t| {
                    let hot = hot.clone();
                    std::thread::spawn(move || {
                        for i in 0..3 * HOT_SLOTS as u64 {
                            let k = (i + t) % (HOT_SLOTS as u64 + 2);
                            hot.offer(k, k * 10, |x| *x == k);
                            if let Some(v) = hot.find(|x| *x == k) {
                                assert_eq!(*v, k * 10);
                            }
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
            let mut keys: Vec<u64> = hot.keys().copied().collect();
            assert_eq!(keys.len(), HOT_SLOTS, "a gap or an empty slot");
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), HOT_SLOTS, "a key stored twice");
        }
    }
}
