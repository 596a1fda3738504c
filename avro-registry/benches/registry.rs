//! The registry path with warm caches against the bare codec, on the
//! `event` workload of ../shared/bench: serializing is framing + a cached id
//! lookup + encoding, deserializing is framing + a cached plan lookup +
//! decoding. (Cold registration and lookup against a real server are timed
//! in tests/real_registry.rs.)
//!
//! Each pair is timed in alternating rounds and each side keeps its fastest
//! round: on a shared, loaded machine the minimum is the stable statistic,
//! and alternating exposes both sides to the same load.
//! `cargo bench -p avro-registry --bench registry`.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use avro_registry::{Deserializer, MockRegistry, Serializer};

include!(concat!(env!("OUT_DIR"), "/bench_types.rs"));

use event::bench::Event;

/// Polls a future that is ready at once (a warm cache never waits).
fn now<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("a warm cache waited"),
    }
}

const ROUNDS: usize = 300;
const ITERS: u32 = 2_000;

fn round(f: &mut dyn FnMut()) -> Duration {
    let t = Instant::now();
    for _ in 0..ITERS {
        f();
    }
    t.elapsed() / ITERS
}

fn pair(name: &str, bare: &mut dyn FnMut(), registry: &mut dyn FnMut()) {
    let (mut b, mut r) = (Duration::MAX, Duration::MAX);
    for _ in 0..ROUNDS {
        b = b.min(round(bare));
        r = r.min(round(registry));
    }
    println!(
        "{name:<44} bare {:>8.1?}  registry {:>8.1?}  ratio {:.3}",
        b,
        r,
        r.as_secs_f64() / b.as_secs_f64()
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` lists benchmarks; there is nothing to list
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/event");
    let datum = std::fs::read(dir.join("datum.bin")).expect("../shared/bench/event/datum.bin");
    let event: Event = avro_runtime::from_slice(&datum).unwrap();

    let registry = MockRegistry::new();
    let serializer = Serializer::<Event, _>::new(registry.clone()).unwrap();
    let framed = now(serializer.serialize("events", &event)).unwrap();
    let deserializer = Deserializer::<Event, _>::new(registry).unwrap();
    let back = now(deserializer.deserialize(&framed)).unwrap();
    assert_eq!(avro_runtime::to_vec(&back).unwrap(), datum);

    println!(
        "event workload ({} bytes), warm caches, fastest of {ROUNDS} rounds of {ITERS}:",
        datum.len()
    );
    pair(
        "encode: to_vec vs Serializer::serialize",
        &mut || {
            black_box(avro_runtime::to_vec(black_box(&event)).unwrap());
        },
        &mut || {
            black_box(now(serializer.serialize("events", black_box(&event))).unwrap());
        },
    );
    pair(
        "encode: to_vec vs Serializer::serialize_cached",
        &mut || {
            black_box(avro_runtime::to_vec(black_box(&event)).unwrap());
        },
        &mut || {
            black_box(
                serializer
                    .serialize_cached("events", black_box(&event))
                    .unwrap()
                    .unwrap(),
            );
        },
    );
    pair(
        "decode: from_slice vs Deserializer::deserialize",
        &mut || {
            black_box(avro_runtime::from_slice::<Event>(black_box(&datum)).unwrap());
        },
        &mut || {
            black_box(now(deserializer.deserialize(black_box(&framed))).unwrap());
        },
    );
    pair(
        "decode: from_slice vs Deserializer::deserialize_cached",
        &mut || {
            black_box(avro_runtime::from_slice::<Event>(black_box(&datum)).unwrap());
        },
        &mut || {
            black_box(
                deserializer
                    .deserialize_cached(black_box(&framed))
                    .unwrap()
                    .unwrap(),
            );
        },
    );
}
