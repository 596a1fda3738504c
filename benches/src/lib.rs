//! Benchmark support: the types generated from ../shared/bench, hand-written
//! codecs for the same structs (the practical limit), and the report writer.

pub mod hand;
pub mod report;
pub mod serde_forms;

#[allow(clippy::all)]
pub mod workloads {
    include!(concat!(env!("OUT_DIR"), "/workloads.rs"));
}

/// The shared benchmark material (`AVRO_SHARED_DIR`, or `../shared` next to the repository).
pub fn shared_dir() -> std::path::PathBuf {
    match std::env::var_os("AVRO_SHARED_DIR") {
        Some(d) => d.into(),
        None => concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared").into(),
    }
}
