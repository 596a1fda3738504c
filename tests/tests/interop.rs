//! Every vector in ../shared/interop, through the type generated from its schema.

use avro_tests::{shared_dir, INTEROP};

#[test]
fn every_interop_case_directory_has_a_generated_type() {
    let dir = shared_dir().join("interop");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("schema.avsc").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let generated: Vec<String> = INTEROP.iter().map(|c| c.name.to_owned()).collect();
    assert!(
        !on_disk.is_empty(),
        "no interop cases found in {}",
        dir.display()
    );
    assert_eq!(
        on_disk, generated,
        "build.rs did not see the same cases as the directory"
    );
}

#[test]
fn interop_vectors_round_trip_byte_for_byte() {
    let dir = shared_dir().join("interop");
    let mut failures = Vec::new();
    for case in INTEROP {
        match (case.check)(&dir.join(case.name)) {
            Ok(summary) => println!("ok   {}: {summary}", case.name),
            Err(e) => {
                println!("FAIL {}: {e}", case.name);
                failures.push(format!("{}: {e}", case.name));
            }
        }
    }
    println!(
        "interop: agreed {} / {}",
        INTEROP.len() - failures.len(),
        INTEROP.len()
    );
    assert!(
        failures.is_empty(),
        "{} interop case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn resolution_vectors_read_as_the_reader_schema() {
    let dir = shared_dir().join("interop");
    let mut failures = Vec::new();
    let mut total = 0;
    for case in INTEROP {
        let Some(check) = case.resolved else { continue };
        total += 1;
        match check(&dir.join(case.name)) {
            Ok(summary) => println!("ok   {}: {summary}", case.name),
            Err(e) => failures.push(format!("{}: {e}", case.name)),
        }
    }
    println!("resolution: agreed {} / {total}", total - failures.len());
    assert!(total > 0, "no resolution cases (reader.avsc) found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
