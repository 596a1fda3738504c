//! Generated code size per corpus file (the MANIFEST's avsc/avpr files with
//! their dependencies, as the codegen benchmark reads them): bytes of Rust
//! out per byte of schema JSON in, the largest ratios, and the whole-corpus
//! generation time (best of three passes). A file's output holds its
//! dependencies' types too, so each file is measured two ways: against its
//! own JSON (issue 17's measure) and against all the JSON read for it; and
//! the share of the output that is indentation is reported beside it.
//!
//! `cargo run --release -p avro-benches --example codegen_size` (writes
//! target/avro-bench-codegen/size.json for the report).
use std::time::Instant;

fn main() {
    let corpus = avro_benches::shared_dir().join("corpus");
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    let mut groups: Vec<(String, Vec<avro_codegen::Source>)> = Vec::new();
    for row in manifest.lines().skip(1) {
        let cells: Vec<&str> = row.split('\t').collect();
        if cells.len() < 10 || cells[5] == "avdl" {
            continue;
        }
        let files = cells[9].split_whitespace().chain(std::iter::once(cells[0]));
        let sources: Option<Vec<_>> = files
            .map(|f| {
                std::fs::read_to_string(corpus.join(f))
                    .ok()
                    .map(|t| avro_codegen::Source::new(f, t))
            })
            .collect();
        if let Some(s) = sources {
            groups.push((cells[0].to_owned(), s));
        }
    }
    let opts = avro_codegen::Options::default();
    let mut rows = Vec::new();
    let mut with_deps: Vec<(usize, usize)> = Vec::new();
    let (mut total_in, mut total_out, mut indent) = (0usize, 0usize, 0usize);
    for (name, sources) in &groups {
        // The file's own JSON (its dependencies are counted as their own
        // rows), and all the JSON the generator reads for it (the output
        // holds the dependencies' types too).
        let input = sources.last().map(|s| s.text.len()).unwrap_or(0);
        let read: usize = sources.iter().map(|s| s.text.len()).sum();
        let Ok(modules) = avro_codegen::generate_from_sources(sources.clone(), &opts) else {
            continue;
        };
        let out: usize = modules.values().map(|s| s.len()).sum();
        // `AVRO_CODEGEN_DUMP=dir`: write each file's generated modules there (to study them).
        if let Some(dir) = std::env::var_os("AVRO_CODEGEN_DUMP") {
            let file = std::path::Path::new(&dir).join(name.replace('/', "_") + ".rs");
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(file, modules.values().cloned().collect::<String>());
        }
        total_in += input;
        total_out += out;
        rows.push((out as f64 / input.max(1) as f64, name.clone(), input, out));
        with_deps.push((read, out));
        indent += modules
            .values()
            .flat_map(|s| s.lines())
            .map(|l| l.len() - l.trim_start().len())
            .sum::<usize>();
    }
    // By the size of the JSON read (file and dependencies): how the ratio
    // falls as schemas grow (each type carries a fixed amount of impls).
    let buckets: Vec<serde_json::Value> = [(0, 300), (300, 1000), (1000, 10_000), (10_000, usize::MAX)]
        .iter()
        .map(|&(lo, hi)| {
            let mut ratios: Vec<f64> = with_deps
                .iter()
                .filter(|(i, _)| *i >= lo && *i < hi)
                .map(|(i, o)| *o as f64 / (*i).max(1) as f64)
                .collect();
            ratios.sort_by(f64::total_cmp);
            let (i, o) = with_deps
                .iter()
                .filter(|(i, _)| *i >= lo && *i < hi)
                .fold((0, 0), |(a, b), (i, o)| (a + i, b + o));
            let median = ratios.get(ratios.len() / 2).copied().unwrap_or(0.0);
            println!(
                "JSON read {lo}..{hi} B: {} files, median {median:.1}x, all {:.1}x, {} over 10x",
                ratios.len(),
                o as f64 / i.max(1) as f64,
                ratios.iter().filter(|r| **r > 10.0).count()
            );
            serde_json::json!({"from_bytes": lo, "to_bytes": if hi == usize::MAX { None } else { Some(hi) },
                "files": ratios.len(), "median_ratio": median, "ratio": o as f64 / i.max(1) as f64,
                "over_10x": ratios.iter().filter(|r| **r > 10.0).count()})
        })
        .collect();
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!(
        "{} files generated; {total_in} B of schema JSON -> {total_out} B of Rust ({:.1}x)",
        rows.len(),
        total_out as f64 / total_in as f64
    );
    println!(
        "indentation: {indent} B ({:.0}% of the output)",
        100.0 * indent as f64 / total_out.max(1) as f64
    );
    let over = rows.iter().filter(|r| r.0 > 10.0).count();
    let mut read_ratios: Vec<f64> = with_deps
        .iter()
        .map(|(i, o)| *o as f64 / (*i).max(1) as f64)
        .collect();
    read_ratios.sort_by(|a, b| b.total_cmp(a));
    let over_read = read_ratios.iter().filter(|r| **r > 10.0).count();
    println!(
        "files over 10x: {over} of own JSON; {over_read} of all JSON read (worst {:.1}x, median {:.1}x)",
        read_ratios.first().copied().unwrap_or(0.0),
        read_ratios.get(read_ratios.len() / 2).copied().unwrap_or(0.0)
    );
    for (ratio, name, i, o) in rows.iter().take(12) {
        println!("{ratio:6.1}x {i:>8} B -> {o:>10} B  {name}");
    }
    // Wall time, and this process's CPU time (on a shared, loaded machine
    // the wall time includes waiting for a core).
    let (mut best, mut best_cpu) = (f64::MAX, f64::MAX);
    // `AVRO_CODEGEN_PASSES=1`: one pass (under a profiler).
    let passes: usize = std::env::var("AVRO_CODEGEN_PASSES")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3);
    for _ in 0..passes {
        let (t, c) = (Instant::now(), cpu_seconds());
        for (_, sources) in &groups {
            let _ =
                std::hint::black_box(avro_codegen::generate_from_sources(sources.clone(), &opts));
        }
        best = best.min(t.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(cpu_seconds() - c);
    }
    println!("whole-corpus codegen: {best:.3} s wall, {best_cpu:.2} s CPU (best of {passes})");
    let largest: Vec<_> = {
        let mut by_size = rows.clone();
        by_size.sort_by_key(|r| std::cmp::Reverse(r.3));
        by_size
            .iter()
            .take(3)
            .map(|(ratio, name, i, o)| serde_json::json!({"file": name, "schema_bytes": i, "rust_bytes": o, "ratio": ratio}))
            .collect()
    };
    let v = serde_json::json!({
        "files": rows.len(),
        "schema_bytes": total_in,
        "rust_bytes": total_out,
        "over_10x": over,
        "over_10x_of_json_read": over_read,
        "worst_ratio_of_json_read": read_ratios.first(),
        "indent_bytes": indent,
        "largest": largest,
        "buckets": buckets,
        "corpus_seconds": best,
        "corpus_cpu_seconds": best_cpu,
    });
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/avro-bench-codegen");
    let _ = std::fs::create_dir_all(&dir);
    std::fs::write(
        dir.join("size.json"),
        serde_json::to_vec_pretty(&v).unwrap(),
    )
    .unwrap();
}

/// User plus system CPU time of this process so far (Linux `/proc/self/stat`,
/// in clock ticks of 1/100 s; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 here.
    (ticks(11) + ticks(12)) / 100.0
}
