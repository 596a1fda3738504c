//! Interleaved timing: every codec of a workload runs in the same process,
//! in turns of about a millisecond, round-robin over many rounds, so that
//! load from other processes on a shared machine falls on all of them
//! alike. Each codec's figure is the median of its per-turn times.
//!
//! Criterion runs one benchmark after another; on a loaded 2-core machine
//! its groups drifted by ±50% between runs, while interleaved medians
//! agree to a few percent (issue 17).

use std::hint::black_box;
use std::time::{Duration, Instant};

/// One timed operation: `run` does one iteration (one record encoded or
/// decoded).
struct Entry<'a> {
    op: &'static str,
    codec: String,
    run: Box<dyn FnMut() + 'a>,
}

/// The codecs of one workload, timed together by [`Race::run`].
#[derive(Default)]
pub struct Race<'a> {
    entries: Vec<Entry<'a>>,
    /// Reads the bench binary's allocation counter (see [`Race::count_allocs`]).
    allocs: Option<fn() -> u64>,
}

/// The result of one codec in a race: nanoseconds per iteration.
#[derive(Debug, Clone)]
pub struct Timing {
    pub op: &'static str,
    pub codec: String,
    /// Median over the rounds.
    pub ns: f64,
    /// First and third quartiles over the rounds (the spread).
    pub p25: f64,
    pub p75: f64,
    pub rounds: usize,
    /// Allocations per iteration after the timing (the codec warmed up),
    /// where the binary counts them.
    pub allocs: Option<f64>,
}

impl<'a> Race<'a> {
    pub fn new() -> Self {
        Race::default()
    }

    /// Adds a codec: `op` is `encode` or `decode`; `f` does one iteration
    /// and returns something the optimiser must not discard.
    pub fn add<R>(&mut self, op: &'static str, codec: &str, mut f: impl FnMut() -> R + 'a) {
        self.entries.push(Entry {
            op,
            codec: codec.to_owned(),
            run: Box::new(move || {
                black_box(f());
            }),
        });
    }

    /// After timing, counts each codec's allocations per iteration with
    /// `counter` (the running total of a counting global allocator).
    pub fn count_allocs(&mut self, counter: fn() -> u64) {
        self.allocs = Some(counter);
    }

    /// Runs `rounds` rounds; in each, every codec runs for about `turn`
    /// (an iteration count calibrated once), the starting codec rotating
    /// from round to round.
    pub fn run(mut self, rounds: usize, turn: Duration) -> Vec<Timing> {
        let n = self.entries.len();
        // Warm up and calibrate: iterations per turn.
        let iters: Vec<u64> = self
            .entries
            .iter_mut()
            .map(|e| {
                let mut k = 1u64;
                loop {
                    let t = Instant::now();
                    for _ in 0..k {
                        (e.run)();
                    }
                    let el = t.elapsed();
                    if el >= turn / 2 || k >= 1 << 30 {
                        let per = el.as_secs_f64() / k as f64;
                        return ((turn.as_secs_f64() / per.max(1e-12)) as u64).max(1);
                    }
                    k *= 2;
                }
            })
            .collect();
        let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); n];
        for r in 0..rounds {
            for j in 0..n {
                let i = (r + j) % n;
                let e = &mut self.entries[i];
                let t = Instant::now();
                for _ in 0..iters[i] {
                    (e.run)();
                }
                samples[i].push(t.elapsed().as_nanos() as f64 / iters[i] as f64);
            }
        }
        let allocs: Vec<Option<f64>> = self
            .entries
            .iter_mut()
            .map(|e| {
                let counter = self.allocs?;
                const ITERS: u64 = 64;
                let before = counter();
                for _ in 0..ITERS {
                    (e.run)();
                }
                Some((counter() - before) as f64 / ITERS as f64)
            })
            .collect();
        self.entries
            .into_iter()
            .zip(samples)
            .zip(allocs)
            .map(|((e, mut s), allocs)| {
                s.sort_by(f64::total_cmp);
                let q = |f: f64| s[((s.len() - 1) as f64 * f).round() as usize];
                Timing {
                    op: e.op,
                    codec: e.codec,
                    ns: q(0.5),
                    p25: q(0.25),
                    p75: q(0.75),
                    rounds,
                    allocs,
                }
            })
            .collect()
    }
}
