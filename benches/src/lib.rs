//! Benchmark support: the types generated from ../shared/bench, hand-written
//! codecs for the same structs (`plain`: independent of the runtime; `hand`:
//! the project's own), the interleaved timer (`race`) and the report writer.

pub mod borrowed_forms;
pub mod hand;
pub mod plain;
pub mod race;
pub mod report;
pub mod report_reuse;
pub mod serde_forms;

#[allow(clippy::all)]
pub mod workloads {
    include!(concat!(env!("OUT_DIR"), "/workloads.rs"));
}

include!("../../support/shared_dir.rs");
