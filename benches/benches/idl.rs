//! Avro IDL parsing speed: every `.avdl` of ../shared/idl and
//! ../shared/corpus read with its imports into a `SchemaSet` (discovered
//! from the directories).
//!
//! `AVRO_BENCH_QUICK=1` runs each benchmark briefly (a smoke check).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use avro_runtime::schema::idl::{self, IdlOptions};
use criterion::{criterion_group, criterion_main, Criterion};

fn avdl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            avdl_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "avdl") {
            out.push(p);
        }
    }
}

/// The import search path each file was written for: the IDL suite's
/// `putOnClassPath`, then the directories above the file (as the corpus test).
fn options_for(shared: &Path, file: &Path) -> IdlOptions {
    let mut o = IdlOptions::new().search_path(shared.join("idl/putOnClassPath"));
    let mut dir = file.parent().and_then(Path::parent);
    while let Some(d) = dir.filter(|d| d.starts_with(shared)) {
        o.search_paths.push(d.to_owned());
        dir = d.parent();
    }
    o
}

fn parse_idl(c: &mut Criterion) {
    let shared = avro_benches::shared_dir();
    let mut files = Vec::new();
    avdl_files(&shared.join("idl"), &mut files);
    avdl_files(&shared.join("corpus"), &mut files);
    files.sort();
    let inputs: Vec<(PathBuf, IdlOptions)> = files
        .iter()
        .map(|f| (f.clone(), options_for(&shared, f)))
        .collect();
    let parsed = inputs
        .iter()
        .filter(|(f, o)| idl::parse_file(f, o).is_ok())
        .count();
    println!(
        "idl: {} .avdl files, {parsed} parse (the others fail: must-fail cases and corpus copies whose imports are elsewhere)",
        inputs.len()
    );
    let mut g = c.benchmark_group("idl");
    g.bench_function("every_suite_and_corpus_file", |b| {
        b.iter(|| {
            for (f, o) in &inputs {
                let _ = std::hint::black_box(idl::parse_file(f, o));
            }
        })
    });
    g.finish();
    scaling(c);
}

/// Parse time per record at growing sizes: flat when the reader is linear
/// (issue 14 asks for a linear parser; quadratic name lookups would show as
/// a per-record time growing with `n`).
fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("idl_scaling");
    for n in [250usize, 1_000, 4_000] {
        let text = avro_benches::synthetic_idl_protocol(n);
        let doc = idl::parse_str("scale.avdl", &text, &IdlOptions::new())
            .unwrap_or_else(|e| panic!("the synthetic protocol of {n} records must parse: {e}"));
        assert!(
            doc.set.types.len() >= n,
            "{n} records, {} types",
            doc.set.types.len()
        );
        println!(
            "idl_scaling: {n} records, {} KB of IDL, {} KB of schema JSON",
            text.len() / 1024,
            doc.set.sources[0].text.len() / 1024
        );
        g.throughput(criterion::Throughput::Elements(n as u64));
        g.bench_function(format!("records_{n}"), |b| {
            b.iter(|| std::hint::black_box(idl::parse_str("scale.avdl", &text, &IdlOptions::new())))
        });
    }
    g.finish();
}

fn config() -> Criterion {
    let c = Criterion::default();
    if std::env::var_os("AVRO_BENCH_QUICK").is_some() {
        c.warm_up_time(Duration::from_millis(100))
            .measurement_time(Duration::from_millis(300))
            .sample_size(10)
    } else {
        c.warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
    }
}

criterion_group! { name = benches; config = config(); targets = parse_idl }
criterion_main!(benches);
