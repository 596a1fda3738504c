//! One codec of one workload in a loop, for counting instructions per
//! record under callgrind (deterministic, unlike time on a shared machine,
//! and blind to code layout): plain decode (`PLAIN=1`), encode
//! (`ENCODE=1`), the same-schema decode through `Resolver` by schema id
//! (`BY_ID=1`), by the writer's text (`BY_TEXT=1`) or through a writer
//! handle (`HANDLE=1`), or by default the old-writer, newer-reader resolved decode
//! of `ours_evolved`; with `DERIVED=1`, plain decode and encode of the
//! workload's `#[derive(AvroSchema)]` types (benches/src/derived.rs)
//! instead of the generated ones. Compare two commits by running the same command in
//! each, at two loop counts, and dividing the difference:
//!
//! `valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/callgrind_counts event 4000`
//!
//! (`cargo build --release -p avro-benches --example callgrind_counts`).
use avro_benches::workloads as w;
use avro_runtime::AvroSchema;
fn run<
    W: AvroSchema + avro_runtime::Decode + avro_runtime::Encode,
    R: avro_runtime::Decode + AvroSchema + 'static,
>(
    name: &str,
    n: usize,
) {
    let d =
        std::fs::read(avro_benches::shared_dir().join(format!("bench/{name}/datum.bin"))).unwrap();
    let resolver = avro_runtime::resolve::Resolver::<R>::new();
    let plan = resolver.plan_for(W::schema()).unwrap();
    if std::env::var_os("PLAIN").is_some() {
        for _ in 0..n {
            std::hint::black_box(avro_runtime::from_slice::<W>(std::hint::black_box(&d)).unwrap());
        }
        return;
    }
    let same = avro_runtime::resolve::Resolver::<W>::new();
    let handle = same.writer(W::schema()).unwrap();
    for (var, f) in [
        ("BY_ID", &|b: &[u8]| {
            same.decode_with_id(1, W::schema, b).unwrap() as _
        }),
        ("BY_TEXT", &|b: &[u8]| same.decode(W::schema(), b).unwrap()),
        ("HANDLE", &|b: &[u8]| handle.decode(b).unwrap()),
    ] as [(&str, &dyn Fn(&[u8]) -> W); 3]
    {
        if std::env::var_os(var).is_some() {
            for _ in 0..n {
                std::hint::black_box(f(std::hint::black_box(&d)));
            }
            return;
        }
    }
    if std::env::var_os("ENCODE").is_some() {
        let v: W = avro_runtime::from_slice(&d).unwrap();
        let mut out = Vec::new();
        for _ in 0..n {
            out.clear();
            avro_runtime::Encode::encode(std::hint::black_box(&v), &mut out).unwrap();
            std::hint::black_box(&out);
        }
        return;
    }
    for _ in 0..n {
        std::hint::black_box(
            avro_runtime::resolve::decode_with_plan_driven::<R>(&plan, std::hint::black_box(&d))
                .unwrap(),
        );
    }
}
/// Plain decode or encode (`ENCODE=1`) of `T`, a derived type.
fn derived<T: avro_runtime::Decode + avro_runtime::Encode>(name: &str, n: usize) {
    let d =
        std::fs::read(avro_benches::shared_dir().join(format!("bench/{name}/datum.bin"))).unwrap();
    let v: T = avro_runtime::from_slice(&d).unwrap();
    let mut out = Vec::new();
    let encode = std::env::var_os("ENCODE").is_some();
    for _ in 0..n {
        if encode {
            out.clear();
            avro_runtime::Encode::encode(std::hint::black_box(&v), &mut out).unwrap();
            std::hint::black_box(&out);
        } else {
            std::hint::black_box(avro_runtime::from_slice::<T>(std::hint::black_box(&d)).unwrap());
        }
    }
}

fn main() {
    if std::env::var_os("DERIVED").is_some() {
        use avro_benches::derived as dv;
        let which = std::env::args().nth(1).unwrap_or_else(|| "event".into());
        let n: usize = std::env::args()
            .nth(2)
            .map_or(200_000, |s| s.parse().unwrap());
        return match which.as_str() {
            "event" => derived::<dv::event::Event>("event", n),
            "order" => derived::<dv::order::Order>("order", n),
            "student" => derived::<dv::student::Student>("student", n),
            "strings" => derived::<dv::strings::Strings>("strings", n),
            "numeric" => derived::<dv::numeric::Numeric>("numeric", n),
            other => panic!("no workload {other:?}"),
        };
    }
    let which = std::env::args().nth(1).unwrap_or_else(|| "event".into());
    let n: usize = std::env::args()
        .nth(2)
        .map_or(200_000, |s| s.parse().unwrap());
    match which.as_str() {
        "event" => run::<w::event::Event, w::evolved_event::Event>("event", n),
        "order" => run::<w::order::Order, w::evolved_order::Order>("order", n),
        "student" => run::<w::student::Student, w::evolved_student::Student>("student", n),
        "strings" => run::<w::strings::Doc, w::evolved_strings::Doc>("strings", n),
        "numeric" => run::<w::numeric::Series, w::evolved_numeric::Series>("numeric", n),
        other => panic!("no workload {other:?}: event, order, student, strings, numeric"),
    }
}
