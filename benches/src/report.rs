//! Turns a benchmark run into BENCHMARKS.md and benchmarks.json: per
//! workload and operation, ns/record, MB/s and each codec's time as a ratio
//! to ours, all from the same run, with the machine it ran on.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{json, Value};

/// What the correctness check before timing found for one codec in one
/// direction (keys are `encode/<codec>` and `decode/<codec>`).
#[derive(Debug, Clone)]
pub struct CodecCheck {
    pub ok: bool,
    pub problem: Option<String>,
}

impl CodecCheck {
    /// Passed if there is no problem.
    pub fn new(problem: Option<String>) -> Self {
        CodecCheck {
            ok: problem.is_none(),
            problem,
        }
    }
}

pub const CODECS: &[&str] = &[
    "ours",
    "ours_resolved",
    "ours_evolved",
    "ours_evolved_transcoding",
    "apache_avro_evolved",
    "hand_written",
    "serde_avro_fast",
    "apache_avro_serde",
    "apache_avro_value",
];

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => d.into(),
        None => concat!(env!("CARGO_MANIFEST_DIR"), "/../target").into(),
    }
}

/// Saves how many corpus files the codegen benchmark covers.
pub fn record_codegen(files: usize, generated: usize) {
    let dir = target_dir().join("avro-bench-codegen");
    let _ = std::fs::create_dir_all(&dir);
    let v = json!({"files": files, "generated": generated});
    let _ = std::fs::write(
        dir.join("codegen.json"),
        serde_json::to_vec_pretty(&v).unwrap_or_default(),
    );
}

/// Starts a benchmark run: forgets the checks of earlier runs and notes the
/// time, so the report uses only estimates criterion wrote in this run
/// (criterion keeps the results of benchmarks that did not run this time).
pub fn start_run() {
    let dir = target_dir().join("avro-bench");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let _ = std::fs::write(
        target_dir().join("avro-bench-run.json"),
        json!({ "started": now }).to_string(),
    );
}

/// When the current run started, if one did (read once per process: the
/// report asks for every estimate).
fn run_started() -> Option<std::time::SystemTime> {
    static STARTED: std::sync::OnceLock<Option<std::time::SystemTime>> = std::sync::OnceLock::new();
    *STARTED.get_or_init(|| {
        let path = target_dir().join("avro-bench-run.json");
        let v: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(v["started"].as_u64()?))
    })
}

/// Saves the checks of one workload for the report (merged with the ones
/// already saved for it in this run).
pub fn record_workload(name: &str, datum_len: usize, checks: &BTreeMap<String, CodecCheck>) {
    let dir = target_dir().join("avro-bench");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{name}.json"));
    let mut merged: serde_json::Map<String, Value> = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| v["checks"].as_object().cloned())
        .unwrap_or_default();
    for (k, c) in checks {
        merged.insert(k.clone(), json!({"ok": c.ok, "problem": c.problem}));
    }
    let v = json!({"workload": name, "datum_bytes": datum_len, "checks": merged});
    let _ = std::fs::write(path, serde_json::to_vec_pretty(&v).unwrap_or_default());
}

/// Criterion's estimate for one benchmark, if it ran in the current run:
/// the median time per iteration over its samples. On a shared 2-core
/// machine a few samples are slowed by other work; the mean and criterion's
/// slope both move with them (one run had event decode at 668 ns by slope,
/// 598 ns by median, with 19 outliers), the median does not.
fn estimate_ns(group: &str, codec: &str) -> Option<f64> {
    let p = target_dir()
        .join("criterion")
        .join(group)
        .join(codec)
        .join("new/estimates.json");
    let written = std::fs::metadata(&p).ok()?.modified().ok()?;
    if run_started().is_some_and(|start| written < start) {
        return None;
    }
    let v: Value = serde_json::from_slice(&std::fs::read(p).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {rustc}")
}

/// The project's speed targets (issue 5), workload by workload, from this
/// run: ours as a multiple of the hand-written codec (encode and decode,
/// target 1.05), and an old writer read by a newer reader as a multiple of
/// the same-schema decode (target 1.5).
fn targets(workloads: &[Value]) -> String {
    let mut md = String::from(
        "## Targets

| workload | encode: ours / hand-written (≤ 1.05) | decode: ours / hand-written (≤ 1.05) | resolved: evolved / same-schema decode (≤ 1.5) |
|---|---:|---:|---:|
",
    );
    let cell = |a: Option<f64>, b: Option<f64>, target: f64| match (a, b) {
        (Some(a), Some(b)) => {
            let r = a / b;
            format!("{r:.3} {}", if r <= target { "met" } else { "**missed**" })
        }
        _ => "not measured".into(),
    };
    for w in workloads {
        let name = w["workload"].as_str().unwrap_or("?");
        let (enc, dec) = (format!("{name}-encode"), format!("{name}-decode"));
        writeln!(
            md,
            "| {name} | {} | {} | {} |",
            cell(
                estimate_ns(&enc, "ours"),
                estimate_ns(&enc, "hand_written"),
                1.05
            ),
            cell(
                estimate_ns(&dec, "ours"),
                estimate_ns(&dec, "hand_written"),
                1.05
            ),
            cell(
                estimate_ns(&dec, "ours_evolved"),
                estimate_ns(&dec, "ours"),
                1.5
            ),
        )
        .unwrap();
    }
    md.push('\n');
    md
}

/// Writes BENCHMARKS.md and benchmarks.json into `out_dir`; returns the markdown.
pub fn write_report(out_dir: &std::path::Path) -> std::io::Result<String> {
    let dir = target_dir().join("avro-bench");
    let mut workloads: Vec<Value> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok())
        .collect();
    workloads.sort_by_key(|w| w["workload"].as_str().unwrap_or("").to_owned());
    let machine = machine();
    let mut md = String::new();
    writeln!(md, "# Benchmarks\n").unwrap();
    writeln!(md, "Machine: {machine}. All figures from one run of `cargo bench -p avro-benches` (criterion's median time per iteration, which the odd slowed sample on a shared machine does not move).").unwrap();
    writeln!(md, "Ratio = that codec's time / ours (above 1: slower than ours). Every codec's output was checked against the workload's `datum.bin` before timing.").unwrap();
    writeln!(md, "`ours_resolved`: decoding through a resolution plan with writer = reader schema (the machinery's cost). `ours_evolved`: the workload's datum (old writer) read as a newer reader schema (benches/schemas/evolved) by the generated resolved decoder; `ours_evolved_transcoding`: the same through the transcode-then-decode path it replaced; `apache_avro_evolved`: apache-avro's resolving reader plus `from_value` into the same type. The evolved rows are checked equal to each other; their ratio is to the same-schema `ours` decode.\n").unwrap();
    md.push_str(&targets(&workloads));
    let mut json_rows = Vec::new();
    for w in &workloads {
        let name = w["workload"].as_str().unwrap_or("?");
        let bytes = w["datum_bytes"].as_u64().unwrap_or(0) as f64;
        for op in ["encode", "decode"] {
            let group = format!("{name}-{op}");
            let Some(ours) = estimate_ns(&group, "ours") else {
                continue;
            };
            writeln!(md, "## {name}: {op} ({bytes} B record)\n").unwrap();
            writeln!(
                md,
                "| codec | ns/record | MB/s | ratio to ours |\n|---|---:|---:|---:|"
            )
            .unwrap();
            for codec in CODECS {
                let check = &w["checks"][format!("{op}/{codec}")];
                match estimate_ns(&group, codec) {
                    Some(ns) => {
                        let mbs = bytes / ns * 1e3;
                        writeln!(md, "| {codec} | {ns:.0} | {mbs:.0} | {:.2} |", ns / ours)
                            .unwrap();
                        json_rows.push(json!({"workload": name, "op": op, "codec": codec, "ns": ns, "mb_per_s": mbs, "ratio_to_ours": ns / ours}));
                    }
                    None if check["ok"] == false => {
                        let why = check["problem"].as_str().unwrap_or("failed its check");
                        let why: String = why.chars().take(120).collect();
                        writeln!(md, "| {codec} | not timed: {} | | |", why.replace('|', "/"))
                            .unwrap();
                    }
                    None => {}
                }
            }
            writeln!(md).unwrap();
        }
    }
    if let (Some(corpus), Some(noop)) = (
        estimate_ns("codegen", "corpus"),
        estimate_ns("codegen", "noop_rerun"),
    ) {
        let info: Value = std::fs::read(target_dir().join("avro-bench-codegen/codegen.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        writeln!(
            md,
            "## Code generation
"
        )
        .unwrap();
        writeln!(
            md,
            "| what | time |
|---|---:|"
        )
        .unwrap();
        writeln!(
            md,
            "| parse, lower and generate every corpus file ({} files with their dependencies, {} generated) | {:.1} ms |",
            info["files"], info["generated"], corpus / 1e6
        )
        .unwrap();
        writeln!(md, "| a build.rs rerun with unchanged schemas (reads, generates, compares, writes nothing) | {:.2} ms |
", noop / 1e6).unwrap();
        json_rows.push(json!({"workload": "codegen", "op": "corpus", "ns": corpus}));
        json_rows.push(json!({"workload": "codegen", "op": "noop_rerun", "ns": noop}));
    }
    std::fs::write(out_dir.join("BENCHMARKS.md"), &md)?;
    let v = json!({"machine": machine, "results": json_rows, "checks": workloads});
    std::fs::write(
        out_dir.join("benchmarks.json"),
        serde_json::to_vec_pretty(&v).unwrap_or_default(),
    )?;
    Ok(md)
}
