//! Compile errors of `#[derive(AvroSchema)]`, by category (`ui/<category>/`):
//! each `.stderr` shows every error of its file, each pointing at the
//! offending token and saying what to write instead. Regenerate with
//! `TRYBUILD=overwrite cargo test -p avro-derive --test ui` and review.

#[test]
fn compile_errors() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}
