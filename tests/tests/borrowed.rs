//! The borrowed types and `decode_into` against the owned decoders: every
//! interop vector's datums and random datums of every corpus schema (JSON
//! and IDL), in sequence, through `avro_tests::reuse_agrees` (borrowed
//! `to_owned()` equals the owned decode, the borrowed value re-encodes to
//! its input, decoding each datum into the value that held the previous one
//! equals decoding it afresh).

use std::fs;
use std::path::{Path, PathBuf};

use avro_runtime::schema::idl::{self, IdlOptions};
use avro_runtime::schema::{SchemaSet, Source};
use avro_tests::random::random_datums;
use avro_tests::{shared_dir, Outcome, RootType, CORPUS, INTEROP};

fn datums_of(dir: &Path) -> Result<Vec<Vec<u8>>, String> {
    let bytes = fs::read(dir.join("datums.bin")).map_err(|e| format!("datums.bin: {e}"))?;
    let offsets: serde_json::Value = serde_json::from_slice(
        &fs::read(dir.join("offsets.json")).map_err(|e| format!("offsets.json: {e}"))?,
    )
    .map_err(|e| format!("offsets.json: {e}"))?;
    offsets
        .as_array()
        .ok_or("offsets.json is not an array")?
        .iter()
        .map(|e| {
            let off = e["offset"].as_u64().ok_or("no offset")? as usize;
            let len = e["length"].as_u64().ok_or("no length")? as usize;
            bytes
                .get(off..off + len)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| "offset out of range".to_owned())
        })
        .collect()
}

#[test]
fn borrowed_and_reused_decoding_agree_with_owned_on_every_interop_vector() {
    let dir = shared_dir().join("interop");
    let (mut cases, mut datums) = (0, 0);
    let mut failures = Vec::new();
    for case in INTEROP {
        let d = dir.join(case.name);
        let result = datums_of(&d).and_then(|all| {
            // In order, then reversed: each datum decoded into the value
            // of another.
            let mut seq: Vec<&[u8]> = all.iter().map(Vec::as_slice).collect();
            seq.extend(all.iter().rev().map(Vec::as_slice));
            (case.reuse)(&seq)
        });
        match result {
            Ok(n) => {
                cases += 1;
                datums += n;
            }
            Err(e) => failures.push(format!("{}: {e}", case.name)),
        }
    }
    println!("interop: {cases} cases, {datums} datums through borrowed and decode_into");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases > 0, "no interop case found under {}", dir.display());
}

/// Random datums of each root type, then the same reversed.
fn check_random(
    set: &SchemaSet,
    schema: &avro_runtime::schema::Schema,
    ty: &RootType,
) -> Result<usize, String> {
    let all = random_datums(set, schema, 24);
    let mut seq: Vec<&[u8]> = all.iter().map(Vec::as_slice).collect();
    seq.extend(all.iter().rev().map(Vec::as_slice));
    (ty.reuse)(&seq)
}

#[test]
fn borrowed_and_reused_decoding_agree_with_owned_on_random_data_of_every_corpus_schema() {
    let corpus = shared_dir().join("corpus");
    let (mut roots_checked, mut datums) = (0, 0);
    let mut failures = Vec::new();
    for case in CORPUS {
        let (roots, set, own) = match case.outcome {
            Outcome::Generated(roots) => {
                let paths: Vec<PathBuf> = case
                    .deps
                    .iter()
                    .chain([&case.file])
                    .map(|p| corpus.join(p))
                    .collect();
                let sources: Result<Vec<Source>, String> = paths
                    .iter()
                    .map(|p| {
                        fs::read_to_string(p)
                            .map(|t| Source::new(p.display().to_string(), t))
                            .map_err(|e| format!("{}: {e}", p.display()))
                    })
                    .collect();
                match sources.and_then(|s| SchemaSet::load(s).map_err(|e| e.to_string())) {
                    Ok(set) => (roots, set, paths.len() - 1),
                    Err(e) => {
                        failures.push(format!("{}: {e}", case.file));
                        continue;
                    }
                }
            }
            Outcome::Idl {
                roots,
                read,
                search_paths,
            } => {
                let mut options = IdlOptions::new();
                options.search_paths = search_paths.iter().map(PathBuf::from).collect();
                match idl::parse_file(read, &options) {
                    Ok(doc) => (roots, doc.set, 0),
                    Err(e) => {
                        failures.push(format!("{}: {e}", case.file));
                        continue;
                    }
                }
            }
            // Reported by the corpus tests.
            Outcome::Failed(_) => continue,
        };
        let schemas: Vec<_> = set.roots.iter().filter(|r| r.source == own).collect();
        if schemas.len() != roots.len() {
            failures.push(format!(
                "{}: {} top-level schemas but {} root types",
                case.file,
                schemas.len(),
                roots.len()
            ));
            continue;
        }
        for (root, ty) in schemas.into_iter().zip(roots) {
            match check_random(&set, &root.schema, ty) {
                Ok(n) => {
                    roots_checked += 1;
                    datums += n;
                }
                Err(e) => failures.push(format!("{} ({}): {e}", case.file, ty.rust_type)),
            }
        }
    }
    println!("corpus: {roots_checked} root types, {datums} random datums through borrowed and decode_into");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(roots_checked > 0, "no corpus case found");
}

/// Hostile input through both paths: every strict prefix of every interop
/// datum, and random bytes after a valid datum (so `decode_into` starts
/// from a full value), fail in the borrowed decoder and in `decode_into`
/// exactly where the owned decoder fails, without panicking.
#[test]
fn truncated_and_random_input_fails_alike_in_every_path() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let dir = shared_dir().join("interop");
    let mut checked = 0;
    for case in INTEROP {
        let all = datums_of(&dir.join(case.name)).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        for datum in &all {
            for cut in 0..datum.len() {
                // The whole datum first, then its prefix decoded into it.
                let seq: [&[u8]; 2] = [datum, &datum[..cut]];
                if let Err(e) = (case.reuse)(&seq) {
                    panic!("{}: prefix of {cut} bytes: {e}", case.name);
                }
                checked += 1;
            }
        }
        let Some(first) = all.first() else { continue };
        let mut runner = TestRunner::new(Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&proptest::collection::vec(any::<u8>(), 0..64), |bytes| {
                let seq: [&[u8]; 3] = [first, &bytes, first];
                prop_assert!((case.reuse)(&seq).is_ok(), "{:?}", (case.reuse)(&seq));
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
    }
    assert!(checked > 0);
}
