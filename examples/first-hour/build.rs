//! The README's build.rs recipe, as written there.

// build.rs
fn main() {
    avro_build::Config::new()
        .schema_dir("schemas") // every *.avsc / *.avpr under it, any order
        .type_attribute("school.Student", "#[derive(PartialOrd)]") // extra derives
        .compile_or_exit(); // errors printed as rustc prints its own, then exit(1)
}
