fn main() {
    avro_build::Config::new()
        .schema_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../../shared/bench"))
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));
}
