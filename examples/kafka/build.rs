//! Generates the consumer's type, Student v2, from `schemas/v2` (the v1
//! producer's type is derived in src/lib.rs; v3 is only registered, never
//! generated: the registry refuses it).
fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    avro_build::Config::new()
        .schema_dir("schemas/v2")
        .out_dir(out.join("v2"))
        .compile_or_exit();
}
