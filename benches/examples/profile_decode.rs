//! A loop for a profiler (valgrind --tool=callgrind is repeatable on a
//! loaded machine): decodes one workload's datum N times with `ours` or
//! `independent`, so that instruction counts per record can be compared.
//!
//! `cargo build --release -p avro-benches --example profile_decode`, then
//! `valgrind --tool=callgrind target/release/examples/profile_decode ours student 100000`.
use std::hint::black_box;

use avro_benches::{plain, workloads as w};

fn run<T>(datum: &[u8], n: usize, decode: impl Fn(&[u8]) -> T) {
    for _ in 0..n {
        black_box(decode(black_box(datum)));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (which, workload) = (args[0].as_str(), args[1].as_str());
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let datum =
        std::fs::read(avro_benches::shared_dir().join(format!("bench/{workload}/datum.bin")))
            .unwrap();
    let ours = which == "ours";
    match workload {
        "student" if ours => run(&datum, n, |b| {
            avro_runtime::from_slice::<w::student::Student>(b).unwrap()
        }),
        "student" => run(&datum, n, |b| plain::decode_student(b).unwrap()),
        "event" if ours => run(&datum, n, |b| {
            avro_runtime::from_slice::<w::event::Event>(b).unwrap()
        }),
        "event" => run(&datum, n, |b| plain::decode_event(b).unwrap()),
        "order" if ours => run(&datum, n, |b| {
            avro_runtime::from_slice::<w::order::Order>(b).unwrap()
        }),
        "order" => run(&datum, n, |b| plain::decode_order(b).unwrap()),
        "numeric" if ours => run(&datum, n, |b| {
            avro_runtime::from_slice::<w::numeric::Series>(b).unwrap()
        }),
        "numeric" => run(&datum, n, |b| plain::decode_series(b).unwrap()),
        "strings" if ours => run(&datum, n, |b| {
            avro_runtime::from_slice::<w::strings::Doc>(b).unwrap()
        }),
        "strings" => run(&datum, n, |b| plain::decode_doc(b).unwrap()),
        "hand" => run(&datum, n, |b| avro_benches::hand::decode_series(b).unwrap()),
        _ => panic!("workloads: student, event, order, numeric, strings"),
    }
}
