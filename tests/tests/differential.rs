//! Differential property test against apache-avro 0.22: for random valid
//! datums of every interop and corpus schema, our generated decoder and
//! encoder reproduce the bytes exactly, apache-avro decodes the same value
//! (compared in the Avro JSON encoding), and apache-avro's `to_avro_datum` of
//! its value gives our bytes (byte for byte where the schema has no map, whose
//! entry order apache-avro's `HashMap` does not keep; as the same value
//! otherwise).

use std::fs;
use std::path::PathBuf;

use apache_avro::reader::datum::GenericDatumReader;
use apache_avro::writer::datum::GenericDatumWriter;
use apache_avro::Schema as ASchema;
use avro_runtime::schema::{Schema, SchemaSet, Source};
use avro_tests::jsoncmp::json_eq;
use avro_tests::random::{any_node, apache_json, has_finite_values, random_datum, Rng};
use avro_tests::{shared_dir, Outcome, RoundTrip, CORPUS, INTEROP};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const CASES_PER_SCHEMA: u32 = 32;

struct Target {
    name: String,
    set: SchemaSet,
    root: Schema,
    /// apache-avro's schema and the schemas it references from other files.
    apache: Option<(ASchema, Vec<ASchema>)>,
    round_trip: RoundTrip,
}

fn check(t: &Target) -> Result<(), String> {
    let byte_exact = !any_node(&t.set, &t.root, &|s| matches!(s, Schema::Map { .. }));
    // apache-avro's reader and writer (what `from_avro_datum` and
    // `to_avro_datum` build on every call), built once per schema.
    let apache = match &t.apache {
        Some((schema, deps)) => {
            // With no other files, the schema resolves its own references.
            let built = if deps.is_empty() {
                GenericDatumReader::builder(schema)
                    .build()
                    .and_then(|r| Ok((r, GenericDatumWriter::builder(schema).build()?)))
            } else {
                let deps: Vec<&ASchema> = deps.iter().collect();
                GenericDatumReader::builder(schema)
                    .writer_schemata(deps.clone())
                    .and_then(|b| b.build())
                    .and_then(|r| {
                        Ok((
                            r,
                            GenericDatumWriter::builder(schema)
                                .schemata(deps)?
                                .build()?,
                        ))
                    })
            };
            Some(built.map_err(|e| format!("apache-avro reader/writer: {e}"))?)
        }
        None => None,
    };
    let mut runner = TestRunner::new(Config {
        cases: CASES_PER_SCHEMA,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&any::<u64>(), |seed| {
            let mut bytes = Vec::new();
            random_datum(&t.set, &t.root, &mut Rng::new(seed), &mut bytes)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let fail = |m: String| TestCaseError::fail(format!("{m}\n  datum {bytes:02x?}"));
            let (again, ours) = (t.round_trip)(&bytes)
                .map_err(|e| fail(format!("our decoder rejected a valid datum: {e}")))?;
            if again != bytes {
                return Err(fail(format!("our re-encoding differs: {again:02x?}")));
            }
            let Some((reader, writer)) = &apache else {
                return Ok(());
            };
            let value = reader
                .read_value(&mut &bytes[..])
                .map_err(|e| fail(format!("apache-avro rejected the datum: {e}")))?;
            let theirs = apache_json(&t.set, &t.root, &value).map_err(fail)?;
            json_eq(&ours, &theirs).map_err(|e| fail(format!("decoded values differ {e}")))?;
            let theirs_bytes = writer
                .write_value_to_vec(value.clone())
                .map_err(|e| fail(format!("apache-avro could not encode its own value: {e}")))?;
            if byte_exact {
                if theirs_bytes != bytes {
                    return Err(fail(format!("apache-avro encodes {theirs_bytes:02x?}")));
                }
            } else {
                let back = reader
                    .read_value(&mut &theirs_bytes[..])
                    .map_err(|e| fail(e.to_string()))?;
                if back != value {
                    return Err(fail("apache-avro's encoding is another value".into()));
                }
            }
            Ok(())
        })
        .map_err(|e| e.to_string())
}

fn load(paths: &[PathBuf]) -> (SchemaSet, Vec<String>) {
    let texts: Vec<String> = paths
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    let sources = paths
        .iter()
        .zip(&texts)
        .map(|(p, t)| Source::new(p.display().to_string(), t.clone()))
        .collect();
    (SchemaSet::load(sources).unwrap(), texts)
}

/// apache-avro's schema for the last text and the ones it depends on, if it
/// parses them. Not for `big-decimal`, which apache-avro decodes as a value
/// of its own while we carry the bytes (it is not a logical type we map).
fn apache_schema(texts: &[String]) -> Option<(ASchema, Vec<ASchema>)> {
    if texts.iter().any(|t| t.contains("big-decimal")) {
        return None;
    }
    if texts.len() == 1 {
        return Some((ASchema::parse_str(&texts[0]).ok()?, Vec::new()));
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut all = ASchema::parse_list(refs).ok()?;
    let own = all.pop()?;
    Some((own, all))
}

fn targets() -> Vec<Target> {
    let shared = shared_dir();
    let mut out = Vec::new();
    for case in INTEROP {
        let (set, texts) = load(&[shared.join("interop").join(case.name).join("schema.avsc")]);
        let root = set.roots[0].schema.clone();
        out.push(Target {
            name: format!("interop/{}", case.name),
            apache: apache_schema(&texts),
            set,
            root,
            round_trip: case.round_trip,
        });
    }
    for case in CORPUS {
        let Outcome::Generated(roots) = case.outcome else {
            continue;
        };
        let paths: Vec<PathBuf> = case
            .deps
            .iter()
            .chain([&case.file])
            .map(|p| shared.join("corpus").join(p))
            .collect();
        let (set, texts) = load(&paths);
        let own = paths.len() - 1;
        let own_roots: Vec<Schema> = set
            .roots
            .iter()
            .filter(|r| r.source == own)
            .map(|r| r.schema.clone())
            .collect();
        let single =
            own_roots.len() == 1 && case.file.ends_with(".avsc") || !case.file.contains('.');
        for (root, ty) in own_roots.into_iter().zip(roots.iter()) {
            out.push(Target {
                name: format!("corpus/{} ({})", case.file, ty.rust_type),
                apache: if single { apache_schema(&texts) } else { None },
                set: set.clone(),
                root,
                round_trip: ty.round_trip,
            });
        }
    }
    out
}

#[test]
fn generated_codecs_agree_with_apache_avro_on_random_datums() {
    let (targets, infinite): (Vec<Target>, Vec<Target>) = targets()
        .into_iter()
        .partition(|t| has_finite_values(&t.set, &t.root));
    for t in &infinite {
        println!(
            "no finite values (every value contains itself), nothing to generate: {}",
            t.name
        );
    }
    assert!(!targets.is_empty());
    let mut failures = Vec::new();
    let with_apache = targets.iter().filter(|t| t.apache.is_some()).count();
    for t in &targets {
        let start = std::time::Instant::now();
        if let Err(e) = check(t) {
            failures.push(format!("{}: {e}", t.name));
        }
        if start.elapsed().as_secs() >= 2 {
            println!("slow: {} took {:?}", t.name, start.elapsed());
        }
    }
    println!(
        "differential: agreed {} / {} schemas ({} compared with apache-avro, the rest round-trip only: apache-avro cannot parse them, or they use big-decimal), {CASES_PER_SCHEMA} random datums each",
        targets.len() - failures.len(),
        targets.len(),
        with_apache
    );
    assert!(
        failures.is_empty(),
        "{} schema(s) disagree:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
