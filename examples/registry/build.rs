//! Generates the Student type of each version into its own module: `v1`
//! (the old producer) and `v2` (the new producer and the consumer).
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
