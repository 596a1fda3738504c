//! The report's section on the consumer's hot loop (issue 18): borrowed
//! decoding against the independent hand-written borrowing decoder and
//! against our owned decode, `decode_into` a reused value against
//! `from_slice` with its allocations per record, and what a faster map
//! hasher buys.

use std::fmt::Write as _;

/// One run's median ns for (workload, op, codec).
pub type Lookup<'r> = Box<dyn Fn(&str, &str, &str) -> Option<f64> + 'r>;

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? / b?)
}

fn cell(r: Option<f64>, met: impl Fn(f64) -> bool) -> String {
    match r {
        Some(r) => format!("{r:.3} {}", if met(r) { "met" } else { "**missed**" }),
        None => "not measured".into(),
    }
}

/// The section: targets per workload (each cell: latest run · run before),
/// then allocations per record in the latest run.
pub fn section(
    workloads: &[&str],
    runs: &[Lookup<'_>],
    allocs: &dyn Fn(&str, &str, &str) -> Option<f64>,
) -> String {
    let mut md = String::from("## Borrowed and reused decoding (issue 18)\n\n");
    md.push_str("`ours_borrowed`: `from_slice_ref` into the generated `<Name>Ref<'a>` (`Config::borrowed(true)`: `&str`, `&[u8]`, `Vec`s, maps as `Vec<(&str, V)>`). `independent_borrowed`: the hand-written borrowing decoder of benches/src/plain.rs (the same careful slice decoder, its own view types; for `numeric`, which has nothing to borrow, the owned one). `serde_avro_fast_borrowed`: serde_avro_fast into `&'a str` serde forms (maps as `HashMap<&str, &str>`; none for `numeric` and `order`). `ours_decode_into`: `from_slice_into` into one value reused from record to record. `ours_foldhash` / `ours_decode_into_foldhash`: the same workload generated with `map_type(\"::foldhash::HashMap\")`, a user's choice (the default map stays std's `HashMap`).\n\n");
    md.push_str("Each cell: latest run · run before.\n\n| workload | borrowed: ours / independent borrowing (≤ 1.05) | owned / borrowed (≥ 1.8 on event, strings) | decode_into / from_slice (< 1) | allocations per record: from_slice → decode_into (0 on event, order, strings) | foldhash owned decode / std (informative) |\n|---|---|---|---|---|---|\n");
    for &w in workloads {
        let cells =
            |f: &dyn Fn(&Lookup<'_>) -> String| runs.iter().map(f).collect::<Vec<_>>().join(" · ");
        let speedup_target = matches!(w, "event" | "strings");
        let allocs_cell = match (
            allocs(w, "decode", "ours"),
            allocs(w, "decode", "ours_decode_into"),
        ) {
            (Some(a), Some(b)) => {
                let zero_target = matches!(w, "event" | "order" | "strings");
                let verdict = match (zero_target, b == 0.0) {
                    (false, _) => "",
                    (true, true) => " met",
                    (true, false) => " **missed**",
                };
                format!("{a:.1} → {b:.1}{verdict}")
            }
            _ => "not measured".into(),
        };
        writeln!(
            md,
            "| {w} | {} | {} | {} | {allocs_cell} | {} |",
            cells(&|r| cell(
                ratio(
                    r(w, "decode", "ours_borrowed"),
                    r(w, "decode", "independent_borrowed")
                ),
                |x| x <= 1.05
            )),
            cells(&|r| {
                let x = ratio(r(w, "decode", "ours"), r(w, "decode", "ours_borrowed"));
                if speedup_target {
                    cell(x, |x| x >= 1.8)
                } else {
                    x.map_or("not measured".into(), |x| format!("{x:.3}"))
                }
            }),
            cells(&|r| cell(
                ratio(r(w, "decode", "ours_decode_into"), r(w, "decode", "ours")),
                |x| x < 1.0
            )),
            cells(
                &|r| ratio(r(w, "decode", "ours_foldhash"), r(w, "decode", "ours"))
                    .map_or("–".into(), |x| format!("{x:.3}"))
            ),
        )
        .unwrap();
    }
    md.push('\n');
    md
}
