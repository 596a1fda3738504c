//! A bounded map of answers with one request in flight per key: when many
//! tasks ask for the same key at once, one of them asks the registry and the
//! others wait for its answer. Failures are not cached (the next caller
//! tries again); entries may expire after a time to live.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

type Cell<V> = Arc<OnceCell<(V, Instant)>>;

pub(crate) struct FlightCache<K, V> {
    map: Mutex<HashMap<K, Cell<V>>>,
    capacity: usize,
    ttl: Option<Duration>,
}

impl<K: Hash + Eq + Clone, V: Clone> FlightCache<K, V> {
    pub fn new(capacity: usize, ttl: Option<Duration>) -> Self {
        FlightCache {
            map: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
            ttl,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Cell<V>>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fresh(&self, at: Instant) -> bool {
        match self.ttl {
            Some(ttl) => at.elapsed() < ttl,
            None => true,
        }
    }

    /// The cached value, if any and fresh.
    pub fn get(&self, key: &K) -> Option<V> {
        let map = self.lock();
        let (v, at) = map.get(key)?.get()?;
        self.fresh(*at).then(|| v.clone())
    }

    /// The value for `key`: cached, or being fetched by another caller (then
    /// awaited), or fetched with `fetch` now.
    pub async fn get_or_fetch<E, F, Fut>(&self, key: &K, fetch: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let cell = {
            let mut map = self.lock();
            match map.get(key) {
                Some(cell) => match cell.get() {
                    Some((v, at)) if self.fresh(*at) => return Ok(v.clone()),
                    Some(_) => {
                        let cell = Cell::default();
                        map.insert(key.clone(), cell.clone());
                        cell
                    }
                    None => cell.clone(),
                },
                None => {
                    if map.len() >= self.capacity {
                        // Drop finished entries; ones in flight stay so their
                        // waiters still share one request.
                        map.retain(|_, c| c.get().is_none());
                    }
                    let cell = Cell::default();
                    map.insert(key.clone(), cell.clone());
                    cell
                }
            }
        };
        let (v, _) = cell
            .get_or_try_init(|| async { fetch().await.map(|v| (v, Instant::now())) })
            .await?;
        Ok(v.clone())
    }

    /// Stores a value fetched another way.
    pub fn insert(&self, key: K, value: V) {
        let mut map = self.lock();
        if map.len() >= self.capacity && !map.contains_key(&key) {
            map.retain(|_, c| c.get().is_none());
        }
        map.insert(
            key,
            Arc::new(OnceCell::new_with(Some((value, Instant::now())))),
        );
    }

    /// Forgets the entries `keep` says no to.
    pub fn retain(&self, mut keep: impl FnMut(&K) -> bool) {
        self.lock().retain(|k, _| keep(k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn one_fetch_for_many_concurrent_callers_and_errors_are_not_kept() {
        let cache = Arc::new(FlightCache::<u32, String>::new(10, None));
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (cache, calls) = (cache.clone(), calls.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_fetch(&1, || async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok::<_, ()>("one".to_owned())
                    })
                    .await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), "one");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        let r: Result<String, &str> = cache.get_or_fetch(&2, || async { Err("down") }).await;
        assert_eq!(r, Err("down"));
        let r: Result<String, &str> = cache
            .get_or_fetch(&2, || async { Ok("up".to_owned()) })
            .await;
        assert_eq!(r.unwrap(), "up");
    }

    #[tokio::test]
    async fn entries_expire_and_capacity_is_bounded() {
        let cache = FlightCache::<u32, u32>::new(3, Some(Duration::from_millis(30)));
        cache.insert(1, 10);
        assert_eq!(cache.get(&1), Some(10));
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(cache.get(&1), None);
        let v: Result<u32, ()> = cache.get_or_fetch(&1, || async { Ok(11) }).await;
        assert_eq!(v, Ok(11));
        for k in 2..20 {
            cache.insert(k, k);
        }
        assert!(cache.lock().len() <= 3);
    }
}
