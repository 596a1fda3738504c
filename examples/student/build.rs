//! Generates one module per schema version: `v1` (what old producers wrote)
//! and `v2` (what this consumer reads), each into its own directory since
//! both define `school.Student`.
fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    for version in ["v1", "v2"] {
        avro_build::Config::new()
            .schema_dir(format!("schemas/{version}"))
            .out_dir(out.join(version))
            .compile()
            .unwrap_or_else(|e| panic!("{e}"));
    }
}
