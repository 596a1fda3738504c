//! The report's section on boxing (issue 9): generated types box a large
//! non-recursive record inside an `Option`, array or map, so a one-byte
//! `null` on the wire does not cost the record's size in memory. This
//! section times the workloads that have such a box against the same
//! schema generated without it (`ours_unboxed`, benches/build.rs), in the
//! same interleaved run.

use crate::report_reuse::Lookup;
use std::fmt::Write as _;

/// The section, one row per workload that has an unboxed variant (each
/// cell: latest run · run before); empty when none was timed.
pub fn section(workloads: &[&str], runs: &[Lookup<'_>]) -> String {
    let rows: Vec<&str> = workloads
        .iter()
        .copied()
        .filter(|w| {
            runs.iter()
                .any(|r| r(w, "decode", "ours_unboxed").is_some())
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut md = String::from("## What boxing costs (issue 9)\n\n");
    md.push_str("`ours`: the generated types as they are (a record estimated over 64 bytes and over 8x its smallest encoding is boxed inside an `Option`, array or map: `order`'s `billing: Option<Box<Address>>`). `ours_unboxed`: the same schema generated with those boxes taken out (benches/build.rs). Both come from the same options (serde, borrowed types), so the boxes are the only difference. Ratio = boxed / unboxed: above 1, boxing costs time; each cell: latest run · run before. In `order`'s datum `billing` is null, so both decode with the same allocations (the allocation columns of the decode table): what boxing costs there is the decoder's shape, not a heap allocation.\n\n| workload | decode (from_slice) | decode_into a reused value | encode |\n|---|---|---|---|\n");
    for w in rows {
        let cells = |op: &str, ours: &str, unboxed: &str| {
            runs.iter()
                .map(|r| match (r(w, op, ours), r(w, op, unboxed)) {
                    (Some(a), Some(b)) => format!("{:.3}", a / b),
                    _ => "–".into(),
                })
                .collect::<Vec<_>>()
                .join(" · ")
        };
        writeln!(
            md,
            "| {w} | {} | {} | {} |",
            cells("decode", "ours", "ours_unboxed"),
            cells("decode", "ours_decode_into", "ours_decode_into_unboxed"),
            cells("encode", "ours", "ours_unboxed"),
        )
        .unwrap();
    }
    md.push('\n');
    md
}
