fn main() {
    avro_build::Config::new()
        .schema_dir("schemas")
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));
}
