//! Parses the synthetic IDL protocol of `N` records once (`cargo run
//! --release -p avro-benches --example idl_scale -- N`) and prints the time:
//! a single run to profile or count instructions with
//! `valgrind --tool=callgrind`, which shows whether the IDL reader's cost per
//! record stays flat as the file grows (the benchmark `idl_scaling` times
//! the same input).

use avro_runtime::schema::idl::{self, IdlOptions};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let text = avro_benches::synthetic_idl_protocol(n);
    let t = std::time::Instant::now();
    let doc = idl::parse_str("scale.avdl", &text, &IdlOptions::new()).expect("parses");
    let took = t.elapsed();
    println!(
        "{n} records, {} named types, {} KB of IDL: {:.1} ms, {:.1} µs per record",
        doc.set.types.len(),
        text.len() / 1024,
        took.as_secs_f64() * 1e3,
        took.as_secs_f64() * 1e6 / n as f64
    );
}
