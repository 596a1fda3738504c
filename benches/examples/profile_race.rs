//! A short interleaved race (benches/src/race.rs) of our generated codecs
//! against the independent hand-written ones (benches/src/plain.rs), for
//! working on the generated code: owned decode, borrowed decode,
//! `decode_into`, encode, each as a ratio to its baseline.
//!
//! `cargo run --release -p avro-benches --example profile_race -- [workload,...] [rounds]`
//! (default: every workload, 300 rounds of ~1 ms turns). The full
//! comparison with every other library is `cargo bench -p avro-benches`.
use std::hint::black_box;
use std::time::Duration;

use avro_benches::race::Race;
use avro_benches::{hand, plain, workloads as w};
use avro_runtime::{Decode, Encode};

fn datum(name: &str) -> &'static [u8] {
    let path = avro_benches::shared_dir().join(format!("bench/{name}/datum.bin"));
    Box::leak(std::fs::read(path).unwrap().into_boxed_slice())
}

/// Adds our codecs and the baselines for one workload.
#[allow(clippy::too_many_arguments)]
fn add<T, V>(
    race: &mut Race<'static>,
    d: &'static [u8],
    plain_dec: fn(&[u8]) -> Option<T>,
    hand_dec: fn(&[u8]) -> Option<T>,
    plain_ref: fn(&'static [u8]) -> Option<V>,
    plain_enc: fn(&T, &mut Vec<u8>),
    hand_enc: fn(&T, &mut Vec<u8>),
    borrowed: bool,
) where
    T: Decode + Encode + avro_runtime::Borrowable + PartialEq + std::fmt::Debug + 'static,
    V: 'static,
{
    let value: T = avro_runtime::from_slice(d).unwrap();
    assert_eq!(plain_dec(d).as_ref(), Some(&value));
    race.add("decode", "ours", move || {
        avro_runtime::from_slice::<T>(black_box(d)).unwrap()
    });
    race.add("decode", "independent", move || {
        plain_dec(black_box(d)).unwrap()
    });
    race.add("decode", "hand_written", move || {
        hand_dec(black_box(d)).unwrap()
    });
    if borrowed {
        race.add("decode", "ours_borrowed", move || {
            avro_runtime::from_slice_ref::<T::Ref<'static>>(black_box(d)).unwrap()
        });
    }
    race.add("decode", "independent_borrowed", move || {
        plain_ref(black_box(d)).unwrap()
    });
    let mut into: T = avro_runtime::from_slice(d).unwrap();
    race.add("decode", "ours_decode_into", move || {
        avro_runtime::from_slice_into(&mut into, black_box(d)).unwrap();
        black_box(&into);
    });
    let v1 = avro_runtime::from_slice::<T>(d).unwrap();
    let mut out = Vec::with_capacity(d.len() * 2);
    race.add("encode", "ours", move || {
        out.clear();
        black_box(&v1).encode(&mut out).unwrap();
        black_box(out.len())
    });
    let v2 = avro_runtime::from_slice::<T>(d).unwrap();
    let mut out = Vec::with_capacity(d.len() * 2);
    race.add("encode", "independent", move || {
        out.clear();
        plain_enc(black_box(&v2), &mut out);
        black_box(out.len())
    });
    let v3 = avro_runtime::from_slice::<T>(d).unwrap();
    let mut out = Vec::with_capacity(d.len() * 2);
    race.add("encode", "hand_written", move || {
        out.clear();
        hand_enc(black_box(&v3), &mut out);
        black_box(out.len())
    });
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only: Vec<String> = args
        .first()
        .map(|a| a.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let rounds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(300);
    let wanted = |n: &str| only.is_empty() || only.iter().any(|o| o == n);
    for name in ["student", "event", "numeric", "strings", "order"] {
        if !wanted(name) {
            continue;
        }
        let d = datum(name);
        let mut race = Race::new();
        match name {
            "student" => add::<w::student::Student, _>(
                &mut race,
                d,
                |b| plain::decode_student(b).ok(),
                |b| hand::decode_student(b).ok(),
                |b| plain::decode_student_ref(b).ok(),
                plain::encode_student,
                hand::encode_student,
                true,
            ),
            "event" => add::<w::event::Event, _>(
                &mut race,
                d,
                |b| plain::decode_event(b).ok(),
                |b| hand::decode_event(b).ok(),
                |b| plain::decode_event_ref(b).ok(),
                plain::encode_event,
                hand::encode_event,
                true,
            ),
            "numeric" => add::<w::numeric::Series, _>(
                &mut race,
                d,
                |b| plain::decode_series(b).ok(),
                |b| hand::decode_series(b).ok(),
                |b| plain::decode_series(b).ok(),
                plain::encode_series,
                hand::encode_series,
                true,
            ),
            "strings" => add::<w::strings::Doc, _>(
                &mut race,
                d,
                |b| plain::decode_doc(b).ok(),
                |b| hand::decode_doc(b).ok(),
                |b| plain::decode_doc_ref(b).ok(),
                plain::encode_doc,
                hand::encode_doc,
                true,
            ),
            _ => add::<w::order::Order, _>(
                &mut race,
                d,
                |b| plain::decode_order(b).ok(),
                |b| hand::decode_order(b).ok(),
                |b| plain::decode_order_ref(b).ok(),
                plain::encode_order,
                hand::encode_order,
                true,
            ),
        }
        let t = race.run(rounds, Duration::from_millis(1));
        let get = |op: &str, c: &str| {
            t.iter()
                .find(|x| x.op == op && x.codec == c)
                .map(|x| x.ns)
                .unwrap_or(f64::NAN)
        };
        let best = |op: &str| get(op, "independent").min(get(op, "hand_written"));
        for x in &t {
            eprintln!("{name:>8} {:>6} {:<22} {:>9.0} ns", x.op, x.codec, x.ns);
        }
        println!(
            "{name:>8}: owned {:.3} (vs independent {:.3})  borrowed {:.3}  into/from_slice {:.3}  encode {:.3}",
            get("decode", "ours") / best("decode"),
            get("decode", "ours") / get("decode", "independent"),
            get("decode", "ours_borrowed") / get("decode", "independent_borrowed"),
            get("decode", "ours_decode_into") / get("decode", "ours"),
            get("encode", "ours") / best("encode"),
        );
    }
}
