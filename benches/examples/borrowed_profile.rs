//! Decodes the event workload's datum borrowed in a loop (for `perf`):
//! `cargo run --release -p avro-benches --example borrowed_profile [ours|plain]`.
use avro_benches::workloads::event::EventRef;

fn main() {
    let path = avro_benches::shared_dir().join("bench/event/datum.bin");
    let datum = std::fs::read(&path).expect("datum.bin");
    let which = std::env::args().nth(1).unwrap_or_else(|| "ours".into());
    let mut n = 0usize;
    for _ in 0..5_000_000 {
        if which == "ours" {
            let v: EventRef<'_> =
                avro_runtime::from_slice_ref(std::hint::black_box(&datum)).unwrap();
            n += v.tags.len();
        } else {
            let v = avro_benches::plain::decode_event_ref(std::hint::black_box(&datum)).unwrap();
            n += v.tags.len();
        }
    }
    println!("{n}");
}
