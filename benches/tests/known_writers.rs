//! The decoders specialized to known writers (benches/build.rs declares each
//! workload's schema a known writer of its newer reader in
//! benches/schemas/evolved) read exactly what the plan-driven decoder reads:
//! the workload's datum, and every truncation of it (an error for both,
//! never a panic); writers not declared fall back to the plan.

use std::fmt::Debug;
use std::path::Path;

use avro_benches::workloads as w;
use avro_runtime::resolve::{decode_with_plan, decode_with_plan_driven, Resolver};
use avro_runtime::{AvroSchema, Decode};

fn check<R: Decode + AvroSchema + PartialEq + Debug>(name: &str) -> Result<(), String> {
    let bench = avro_benches::shared_dir().join("bench").join(name);
    let writer = std::fs::read_to_string(bench.join("schema.avsc")).map_err(|e| e.to_string())?;
    let datum = std::fs::read(bench.join("datum.bin")).map_err(|e| e.to_string())?;
    let resolver = Resolver::<R>::new();
    let plan = resolver.plan_for(&writer).map_err(|e| e.to_string())?;
    if R::known_writer(plan.writer_fingerprint()).is_none() {
        return Err("no decoder specialized to the workload's writer".into());
    }
    let known: R = decode_with_plan(&plan, &datum).map_err(|e| e.to_string())?;
    let driven: R = decode_with_plan_driven(&plan, &datum).map_err(|e| e.to_string())?;
    if known != driven {
        return Err(format!("specialized {known:?} != plan-driven {driven:?}"));
    }
    // The consumer APIs take the specialized decoder too.
    let by_text = resolver
        .decode(&writer, &datum)
        .map_err(|e| e.to_string())?;
    let by_id = resolver
        .decode_with_id(7, || writer.as_str(), &datum)
        .map_err(|e| e.to_string())?;
    let by_handle = resolver
        .writer(&writer)
        .map_err(|e| e.to_string())?
        .decode(&datum);
    if by_text != known || by_id != known || by_handle.as_ref() != Ok(&known) {
        return Err("a Resolver API read another value".into());
    }
    for cut in 0..datum.len() {
        let k = decode_with_plan::<R>(&plan, &datum[..cut]);
        let d = decode_with_plan_driven::<R>(&plan, &datum[..cut]);
        if k.is_ok() || d.is_ok() {
            return Err(format!("a datum cut to {cut} bytes was read"));
        }
    }
    // Another writer (one more field than the declared one): no
    // specialized decoder, the plan reads it.
    let other = writer.replacen(
        "\"fields\"",
        "\"doc\": \"x\", \"fields\": [{\"name\": \"zz_extra\", \"type\": \"int\"}], \"old_fields\"",
        1,
    );
    if let Ok(p) = resolver.plan_for(&other) {
        if p.writer_fingerprint() != plan.writer_fingerprint()
            && R::known_writer(p.writer_fingerprint()).is_some()
        {
            return Err("an undeclared writer has a specialized decoder".into());
        }
    }
    Ok(())
}

#[test]
fn specialized_decoders_read_what_the_plan_reads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/evolved");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert!(!names.is_empty());
    let mut failures = Vec::new();
    for name in &names {
        // The generated module of each evolved schema (benches/build.rs).
        let result = match name.as_str() {
            "event" => check::<w::evolved_event::Event>(name),
            "numeric" => check::<w::evolved_numeric::Series>(name),
            "order" => check::<w::evolved_order::Order>(name),
            "strings" => check::<w::evolved_strings::Doc>(name),
            "student" => check::<w::evolved_student::Student>(name),
            _ => Err("an evolved schema this test does not know: add its type here".into()),
        };
        if let Err(e) = result {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
