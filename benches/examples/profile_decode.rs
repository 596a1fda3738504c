//! A loop for a profiler (valgrind --tool=callgrind is repeatable on a
//! loaded machine): decodes the student workload's datum N times with
//! `ours` or `independent` (first argument), so that instruction counts per
//! record can be compared.
//!
//! `cargo build --release -p avro-benches --example profile_decode`, then
//! `valgrind --tool=callgrind target/release/examples/profile_decode ours 100000`.
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "ours".into());
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let datum = std::fs::read(avro_benches::shared_dir().join("bench/student/datum.bin")).unwrap();
    let mut total = 0usize;
    for _ in 0..n {
        total += match which.as_str() {
            "ours" => avro_runtime::from_slice::<avro_benches::workloads::student::Student>(
                black_box(&datum),
            )
            .unwrap()
            .name
            .len(),
            _ => avro_benches::plain::decode_student(black_box(&datum))
                .unwrap()
                .name
                .len(),
        };
    }
    println!("{total}");
}
