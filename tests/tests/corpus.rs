//! Every schema in ../shared/corpus: generated code compiles (build.rs), and
//! each generated type's schema has the source's Parsing Canonical Form and
//! fingerprint; IDL files also match the JSON our converter writes for them
//! and round-trip random data; every schema under corpus/invalid is
//! rejected; the version edge cases are accepted with a warning.

use std::fs;
use std::path::{Path, PathBuf};

use avro_runtime::schema::idl::{self, IdlOptions};
use avro_runtime::schema::{Schema, SchemaSet, Source};
use avro_tests::random::random_datums;
use avro_tests::{shared_dir, Outcome, CORPUS};

fn corpus() -> PathBuf {
    shared_dir().join("corpus")
}

fn load(paths: &[PathBuf]) -> Result<SchemaSet, String> {
    let sources = paths
        .iter()
        .map(|p| {
            let text = fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            Ok(Source::new(p.display().to_string(), text))
        })
        .collect::<Result<Vec<_>, String>>()?;
    SchemaSet::load(sources).map_err(|e| e.to_string())
}

#[test]
fn manifest_rows_all_have_a_case() {
    let manifest = fs::read_to_string(corpus().join("MANIFEST.tsv")).expect("corpus/MANIFEST.tsv");
    let rows = manifest
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();
    assert!(rows > 0);
    assert_eq!(rows, CORPUS.len(), "build.rs saw a different MANIFEST");
}

#[test]
fn corpus_generates_code_with_the_source_canonical_form() {
    let dir = corpus();
    let mut failures = Vec::new();
    let (mut generated, mut idl) = (0, 0);
    for case in CORPUS {
        let roots = match case.outcome {
            Outcome::Generated(roots) => roots,
            Outcome::Failed(_) if must_fail_idl(case.file) => continue,
            Outcome::Failed(e) => {
                failures.push(format!("{}: generation failed: {e}", case.file));
                continue;
            }
            // Checked by corpus_idl_files_generate_round_trip_and_match_their_json.
            Outcome::Idl { .. } => {
                idl += 1;
                continue;
            }
        };
        let paths: Vec<PathBuf> = case
            .deps
            .iter()
            .chain([&case.file])
            .map(|p| dir.join(p))
            .collect();
        let set = match load(&paths) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{}: {e}", case.file));
                continue;
            }
        };
        let own = paths.len() - 1;
        let source_roots: Vec<_> = set.roots.iter().filter(|r| r.source == own).collect();
        if source_roots.len() != roots.len() {
            failures.push(format!(
                "{}: {} top-level schemas but {} generated root types",
                case.file,
                source_roots.len(),
                roots.len()
            ));
            continue;
        }
        for (root, ty) in source_roots.iter().zip(roots) {
            let expected = set.canonical_form(&root.schema);
            let check = || -> Result<(), String> {
                if (ty.canonical_form)() != expected {
                    return Err(format!(
                        "canonical_form() {} != source {expected}",
                        (ty.canonical_form)()
                    ));
                }
                if (ty.fingerprint)() != avro_runtime::fingerprint64(expected.as_bytes()) {
                    return Err("fingerprint() is not CRC-64-AVRO of the canonical form".into());
                }
                // The full schema the type carries must describe the same schema.
                let (again, again_root) = SchemaSet::parse_str((ty.schema)())
                    .map_err(|e| format!("SCHEMA does not parse: {e}"))?;
                let c = again.canonical_form(&again_root);
                if c != expected {
                    return Err(format!("SCHEMA's canonical form {c} != source {expected}"));
                }
                Ok(())
            };
            if let Err(e) = check() {
                failures.push(format!("{} ({}): {e}", case.file, ty.rust_type));
            }
        }
        generated += 1;
    }
    println!(
        "corpus: {generated} JSON files generated and checked ({idl} IDL files checked separately), {} failures",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} corpus file(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Our canonical form against apache-avro's, which is right for schemas
/// without logical types (see ../shared/interop/README.md), except that it
/// keeps field `order` attributes, which the specification's [STRIP] rule
/// removes: those are removed from its output before comparing.
#[test]
fn canonical_form_agrees_with_apache_avro_where_it_is_right() {
    let dir = corpus();
    let (mut compared, mut disagreements) = (0, Vec::new());
    for case in CORPUS {
        if !matches!(case.outcome, Outcome::Generated(_))
            || !case.deps.is_empty()
            || !case.file.ends_with(".avsc")
        {
            continue;
        }
        let text = fs::read_to_string(dir.join(case.file)).unwrap();
        if text.contains("logicalType") {
            continue;
        }
        let Ok(theirs) = apache_avro::Schema::parse_str(&text) else {
            continue;
        };
        let (set, root) = SchemaSet::parse_str(&text).unwrap();
        compared += 1;
        let ours = set.canonical_form(&root);
        let mut theirs = theirs.canonical_form();
        for order in [
            ",\"order\":\"ignore\"",
            ",\"order\":\"descending\"",
            ",\"order\":\"ascending\"",
        ] {
            theirs = theirs.replace(order, "");
        }
        if ours != theirs {
            disagreements.push(format!(
                "{}:\n  ours   {ours}\n  theirs {theirs}",
                case.file
            ));
        }
    }
    println!(
        "canonical form: agreed {} / {compared} with apache-avro",
        compared - disagreements.len()
    );
    assert!(compared > 0);
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// The IDL files ../shared/idl/README.md says must fail (`... must fail`),
/// as paths inside that suite (`extra/duplicateNameErrorParsing.avdl`).
fn idl_must_fail() -> Vec<String> {
    let readme = fs::read_to_string(shared_dir().join("idl/README.md")).unwrap_or_default();
    readme
        .lines()
        .filter(|l| l.contains("must fail"))
        .filter_map(|l| l.split('`').nth(1).map(str::to_owned))
        .collect()
}

/// Whether a corpus file is a copy of an IDL suite file that must fail.
fn must_fail_idl(file: &str) -> bool {
    file.ends_with(".avdl")
        && idl_must_fail()
            .iter()
            .any(|f| file.ends_with(&format!("/idl/{f}")))
}

/// Every `.avdl` of the corpus: generated (build.rs) unless the IDL suite
/// says it must fail; each top-level schema's generated type has the
/// canonical form of the file as loaded, and of the JSON the converter
/// writes for it (`idl2schemata` per named type, the main schema as
/// `.avsc`); random datums round-trip through the generated types.
#[test]
fn corpus_idl_files_generate_round_trip_and_match_their_json() {
    let (mut checked, mut datums, mut expected_failures) = (0, 0, 0);
    let mut failures = Vec::new();
    for case in CORPUS.iter().filter(|c| c.file.ends_with(".avdl")) {
        let (roots, read, search_paths) = match case.outcome {
            Outcome::Idl {
                roots,
                read,
                search_paths,
            } => (roots, read, search_paths),
            Outcome::Failed(e) if must_fail_idl(case.file) => {
                println!("fails as the IDL suite says: {}: {e}", case.file);
                expected_failures += 1;
                continue;
            }
            Outcome::Failed(e) => {
                failures.push(format!("{}: generation failed: {e}", case.file));
                continue;
            }
            Outcome::Generated(_) => {
                failures.push(format!("{}: IDL generated as JSON", case.file));
                continue;
            }
        };
        if must_fail_idl(case.file) {
            failures.push(format!(
                "{}: the IDL suite says it must fail, but it generated",
                case.file
            ));
            continue;
        }
        let mut options = IdlOptions::new();
        options.search_paths = search_paths.iter().map(PathBuf::from).collect();
        let doc = match idl::parse_file(read, &options) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{}: {e}", case.file));
                continue;
            }
        };
        let own: Vec<&Schema> = doc
            .set
            .roots
            .iter()
            .filter(|r| r.source == 0)
            .map(|r| &r.schema)
            .collect();
        if own.len() != roots.len() {
            failures.push(format!(
                "{}: {} top-level schemas but {} generated root types",
                case.file,
                own.len(),
                roots.len()
            ));
            continue;
        }
        let schemata = doc.schemata();
        for (schema, ty) in own.into_iter().zip(roots) {
            let mut check = || -> Result<(), String> {
                let expected = doc.set.canonical_form(schema);
                if (ty.canonical_form)() != expected {
                    return Err(format!(
                        "canonical_form() {} != loaded {expected}",
                        (ty.canonical_form)()
                    ));
                }
                let json = match schema {
                    Schema::Named(id) => {
                        let name = doc.set.get(*id).name.fullname();
                        schemata
                            .iter()
                            .find(|(n, _)| *n == name)
                            .map(|(_, j)| j.clone())
                            .ok_or(format!("the converter wrote no schema for {name}"))?
                    }
                    _ => doc.main_schema_json().ok_or("no main schema JSON")?,
                };
                let (set, root) = SchemaSet::parse_str(&json.to_string())
                    .map_err(|e| format!("converted JSON does not parse: {e}"))?;
                let c = set.canonical_form(&root);
                if c != expected {
                    return Err(format!("converted JSON's canonical form {c} != {expected}"));
                }
                for bytes in random_datums(&doc.set, schema, 16) {
                    let (again, _) = (ty.round_trip)(&bytes)
                        .map_err(|e| format!("random datum {bytes:02x?} does not decode: {e}"))?;
                    if again != bytes {
                        return Err(format!(
                            "random datum {bytes:02x?} re-encodes as {again:02x?}"
                        ));
                    }
                    datums += 1;
                }
                Ok(())
            };
            if let Err(e) = check() {
                failures.push(format!("{} ({}): {e}", case.file, ty.rust_type));
            }
            checked += 1;
        }
    }
    println!(
        "corpus IDL: {checked} root types checked, {datums} random datums round-tripped, {expected_failures} files fail as the IDL suite says"
    );
    assert!(checked > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else if p.file_name().is_some_and(|n| n != "README.md") {
            out.push(p);
        }
    }
}

#[test]
fn every_invalid_schema_is_rejected_with_a_located_error() {
    let mut files = Vec::new();
    files_under(&corpus().join("invalid"), &mut files);
    files.sort();
    assert!(!files.is_empty());
    let mut accepted = Vec::new();
    for f in &files {
        match load(std::slice::from_ref(f)) {
            Ok(_) => accepted.push(f.display().to_string()),
            Err(e) => {
                println!("rejected {}\n    {e}", f.display());
                // file:line:col: message
                let name = f.display().to_string();
                assert!(
                    e.starts_with(&format!("{name}:")),
                    "error does not name the file: {e}"
                );
                let rest = &e[name.len() + 1..];
                let mut parts = rest.splitn(3, ':');
                let line: usize = parts
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap_or_else(|_| panic!("no line in {e}"));
                let col: usize = parts
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap_or_else(|_| panic!("no column in {e}"));
                assert!(line >= 1 && col >= 1);
            }
        }
    }
    println!(
        "invalid: rejected {} / {}",
        files.len() - accepted.len(),
        files.len()
    );
    assert!(
        accepted.is_empty(),
        "accepted invalid schemas:\n{}",
        accepted.join("\n")
    );
}

#[test]
fn version_edge_cases_are_accepted_with_a_warning() {
    let mut files = Vec::new();
    files_under(&corpus().join("edge"), &mut files);
    assert!(!files.is_empty());
    for f in &files {
        let set = load(std::slice::from_ref(f)).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            set.warnings.iter().any(|w| w.contains("not the first")),
            "{}: no warning about the union default: {:?}",
            f.display(),
            set.warnings
        );
    }
}
