//! Writes BENCHMARKS.md and benchmarks.json at the repository root from the
//! last `cargo bench -p avro-benches` run.
fn main() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let md = avro_benches::report::write_report(&root)?;
    print!("{md}");
    Ok(())
}
