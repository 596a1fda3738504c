//! Benchmark support: the types generated from ../shared/bench, hand-written
//! codecs for the same structs (`plain`: independent of the runtime; `hand`:
//! the project's own), the interleaved timer (`race`) and the report writer.

pub mod borrowed_forms;
pub mod derived;
pub mod hand;
pub mod plain;
pub mod race;
pub mod report;
pub mod report_boxing;
pub mod report_reuse;
pub mod serde_forms;

#[allow(clippy::all)]
pub mod workloads {
    include!(concat!(env!("OUT_DIR"), "/workloads.rs"));
}

include!("../../support/shared_dir.rs");

/// A protocol of `n` records, each referring to the one before (so names
/// resolve across the whole file), with docs, defaults, unions, arrays,
/// maps and an enum per ten records: the shape of a large real protocol.
pub fn synthetic_idl_protocol(n: usize) -> String {
    let mut s = String::from("@namespace(\"scale\")\nprotocol Scale {\n");
    s.push_str("  record R0 { string name; int n = 0; }\n");
    for i in 1..n {
        if i % 10 == 0 {
            s.push_str(&format!("  enum E{i} {{ A, B, C }} = A;\n"));
        }
        s.push_str(&format!(
            "  /** Record number {i}. */\n  record R{i} {{\n    string name;\n    union {{ null, R{p} }} prev = null;\n    array<R{p}> items = [];\n    map<long> tags = {{}};\n    double @aliases([\"old_{i}\"]) score = 1.5;\n  }}\n",
            p = i - 1
        ));
    }
    s.push_str("}\n");
    s
}
