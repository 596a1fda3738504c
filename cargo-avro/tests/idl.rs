//! `cargo avro idl`, `idl2schemata` and `generate` on `.avdl`: every golden
//! pair of ../shared/idl (Apache Avro's IDL test suite, paired as its README
//! says) converts to JSON equal to the expected file; idl2schemata writes
//! one schema per named type with the expected canonical forms; generate
//! writes what build.rs's avro-build writes; IDL errors are rendered with
//! their file:line:col and a caret.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use avro_runtime::schema::{Schema, SchemaSet, Source};
use common::*;
use predicates::prelude::*;
use serde_json::Value;

fn idl_dir() -> PathBuf {
    shared_dir().join("idl")
}

/// Every `input/*.avdl` with the expected output its README pairs it with:
/// `X_schema.avdl` → `output/X.avsc`, any other `X.avdl` → `output/X.avpr`.
fn golden_pairs() -> Vec<(PathBuf, PathBuf)> {
    let input = idl_dir().join("input");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&input)
        .unwrap_or_else(|e| panic!("{}: {e}", input.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "avdl"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no .avdl in {}", input.display());
    inputs
        .into_iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let expected = match stem.strip_suffix("_schema") {
                Some(base) => idl_dir().join("output").join(format!("{base}.avsc")),
                None => idl_dir().join("output").join(format!("{stem}.avpr")),
            };
            (p, expected)
        })
        .collect()
}

fn class_path() -> PathBuf {
    idl_dir().join("putOnClassPath")
}

#[test]
fn idl_output_equals_every_expected_file_as_json() {
    let pairs = golden_pairs();
    let mut f = Failures::default();
    for (input, expected_path) in &pairs {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        if !expected_path.is_file() {
            f.check(false, || {
                format!("{name}: no expected file {}", expected_path.display())
            });
            continue;
        }
        let expected = read_json(expected_path);
        let out = cargo_avro()
            .arg("idl")
            .arg(input)
            .arg("--import-path")
            .arg(class_path())
            .output()
            .unwrap();
        if out.status.code() != Some(0) {
            f.check(false, || {
                format!(
                    "{name}: exit {:?}: {}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                )
            });
            continue;
        }
        match serde_json::from_slice::<Value>(&out.stdout) {
            Ok(got) => f.check(got == expected, || {
                format!(
                    "{name}: differs from {}:\n  got      {got}\n  expected {expected}",
                    expected_path.display()
                )
            }),
            Err(e) => f.check(false, || format!("{name}: stdout is not JSON: {e}")),
        }
    }
    f.finish(pairs.len());
}

/// Full name → canonical form of every named type the JSON schema or
/// protocol `text` defines.
fn named_canonical_forms(name: &str, text: &str) -> BTreeMap<String, String> {
    let set = SchemaSet::load(vec![Source::new(name, text)]).unwrap_or_else(|e| panic!("{e}"));
    set.types
        .iter()
        .enumerate()
        .map(|(id, t)| (t.name.fullname(), set.canonical_form(&Schema::Named(id))))
        .collect()
}

#[test]
fn idl2schemata_writes_each_named_type_of_every_case_as_expected() {
    let pairs = golden_pairs();
    let mut f = Failures::default();
    let mut checked = 0;
    for (input, expected_path) in &pairs {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(expected_text) = std::fs::read_to_string(expected_path) else {
            continue; // reported by the idl test
        };
        checked += 1;
        let expected = named_canonical_forms(&expected_path.display().to_string(), &expected_text);
        let dir = tempfile::tempdir().unwrap();
        let out = cargo_avro()
            .args(["--format", "json", "idl2schemata"])
            .arg(input)
            .arg(dir.path())
            .arg("-I")
            .arg(class_path())
            .output()
            .unwrap();
        if out.status.code() != Some(0) {
            f.check(false, || {
                format!(
                    "{name}: exit {:?}: {}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                )
            });
            continue;
        }
        // Each file written holds one self-contained named type.
        let mut written = BTreeMap::new();
        let mut files = 0;
        for e in std::fs::read_dir(dir.path()).unwrap() {
            let p = e.unwrap().path();
            files += 1;
            let text = std::fs::read_to_string(&p).unwrap();
            match SchemaSet::parse_str(&text) {
                Ok((set, root @ Schema::Named(id))) => {
                    let full = set.get(id).name.fullname();
                    let simple = full.rsplit('.').next().unwrap().to_owned();
                    let file = p.file_name().unwrap().to_string_lossy().into_owned();
                    f.check(
                        file == format!("{simple}.avsc") || file == format!("{full}.avsc"),
                        || format!("{name}: {full} written as {file}"),
                    );
                    written.insert(full, set.canonical_form(&root));
                }
                other => f.check(false, || {
                    format!("{name}: {} is not one named schema: {other:?}", p.display())
                }),
            }
        }
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        f.check(report.as_array().map(Vec::len) == Some(files), || {
            format!("{name}: the report lists other files than written: {report}")
        });
        let is_protocol = expected_path.extension().is_some_and(|x| x == "avpr");
        for (full, canonical) in &expected {
            f.check(written.get(full) == Some(canonical), || {
                format!(
                    "{name}: {full}: expected {canonical}, wrote {:?}",
                    written.get(full)
                )
            });
        }
        // A protocol lists every named type; a schema file only those its
        // main schema uses, so only there may more be written.
        if is_protocol {
            f.check(written.len() == expected.len(), || {
                format!(
                    "{name}: wrote {:?}, the protocol has {:?}",
                    written.keys().collect::<Vec<_>>(),
                    expected.keys().collect::<Vec<_>>()
                )
            });
        }
    }
    f.finish(checked);
}

fn fixture(p: &str) -> PathBuf {
    fixtures().join(p)
}

#[test]
fn idl_writes_a_file_and_reads_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shop.avpr");
    cargo_avro()
        .arg("idl")
        .arg(fixture("idl/shop.avdl"))
        .arg(&out)
        .arg("-I")
        .arg(fixture("idl_imports"))
        .assert()
        .success()
        .stdout(predicate::str::contains("(protocol)"));
    let written = read_json(&out);
    assert_eq!(written["protocol"], "Shop");
    let types: Vec<&str> = written["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    // The imported type first, where it is imported (Java's order).
    assert_eq!(types, ["Money", "Status", "Order"]);
    assert!(written["messages"]["place"].is_object(), "{written}");

    // From stdin: imports relative to the current directory.
    let text = std::fs::read_to_string(fixture("idl_schema/event.avdl")).unwrap();
    let stdout = run(
        cargo_avro()
            .args(["idl", "-"])
            .current_dir(dir.path())
            .write_stdin(text),
        0,
    );
    let schema: Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(schema["name"], "Event", "{schema}");
    assert_eq!(schema["namespace"], "events", "{schema}");
}

#[test]
fn other_commands_read_idl_main_schemas_and_named_types() {
    cargo_avro()
        .arg("canonical")
        .arg(fixture("idl_schema/event.avdl"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with("{\"name\":\"events.Event\""));
    // A protocol has no main schema: --name picks a type.
    cargo_avro()
        .arg("canonical")
        .arg(fixture("idl/shop.avdl"))
        .args(["-I"])
        .arg(fixture("idl_imports"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--name"));
    cargo_avro()
        .args(["canonical", "--name", "common.Money"])
        .arg(fixture("idl/shop.avdl"))
        .arg("-I")
        .arg(fixture("idl_imports"))
        .assert()
        .success()
        .stdout("{\"name\":\"common.Money\",\"type\":\"record\",\"fields\":[{\"name\":\"cents\",\"type\":\"long\"},{\"name\":\"currency\",\"type\":\"string\"}]}\n");
}

#[test]
fn generate_of_avdl_equals_avro_build_output_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("src/avro");
    cargo_avro()
        .arg("generate")
        .arg(fixture("idl"))
        .arg("-o")
        .arg(&out)
        .arg("--import-path")
        .arg(fixture("idl_imports"))
        .assert()
        .success();
    let (expected, _) = avro_build::Config::new()
        .schema_dir(fixture("idl"))
        .import_path(fixture("idl_imports"))
        .out_dir(dir.path().join("unused"))
        .quiet(true)
        .generate()
        .unwrap();
    let mut checked = 0;
    for (name, content) in &expected {
        if name == "avro_generated.rs" {
            continue; // names modules relative to itself: checked below
        }
        let ours =
            std::fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(&ours, content, "{name} differs from avro-build's");
        checked += 1;
    }
    assert!(
        checked >= 2,
        "the imported namespace has its module: {expected:?}"
    );
    let include = std::fs::read_to_string(out.join("avro_generated.rs")).unwrap();
    assert!(include.contains("include!(\"shop.rs\");"), "{include}");
    assert!(include.contains("include!(\"common.rs\");"), "{include}");
    // Fresh for --check, and stale without the import path (the import is
    // then not found: an error, exit 2).
    cargo_avro()
        .args(["generate", "--check"])
        .arg(fixture("idl"))
        .arg("-o")
        .arg(&out)
        .arg("--import-path")
        .arg(fixture("idl_imports"))
        .assert()
        .success();
    cargo_avro()
        .args(["generate", "--check"])
        .arg(fixture("idl"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("import \"money.avdl\" not found"))
        .stderr(predicate::str::contains("shop.avdl:4:14"));
}

/// The rendered diagnostic's place line and the caret under it.
fn assert_rendered(stderr: &str, file: &str, line: usize, col: usize, caret_width: usize) {
    let place = format!("{file}:{line}:{col}");
    assert!(
        stderr
            .lines()
            .any(|l| l.trim_start().starts_with("-->") && l.ends_with(&place)),
        "no `--> ...{place}` in:\n{stderr}"
    );
    let carets = "^".repeat(caret_width);
    assert!(
        stderr
            .lines()
            .any(|l| l.contains(&format!(" {carets}")) && !l.contains(&format!("{carets}^"))),
        "no caret of width {caret_width} in:\n{stderr}"
    );
}

#[test]
fn idl_errors_are_rendered_with_file_line_col_and_a_caret() {
    let broken = fixture("bad_idl/missing_semicolon.avdl");
    for cmd in [
        vec!["idl"],
        vec!["idl2schemata"],
        vec!["canonical"],
        vec!["generate", "-o", "never-written"],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = cargo_avro()
            .args(&cmd[..1])
            .arg(&broken)
            .args(&cmd[1..])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {stderr}");
        assert!(
            stderr.starts_with("error: expected ';'"),
            "{cmd:?}: {stderr}"
        );
        assert_rendered(&stderr, "missing_semicolon.avdl", 4, 3, 1);
        assert!(!dir.path().join("never-written").exists());
    }
    let out = cargo_avro()
        .arg("idl")
        .arg(fixture("bad_idl/missing_import.avdl"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("import \"nowhere.avdl\" not found: looked in"),
        "{stderr}"
    );
    // The caret covers the quoted file name.
    assert_rendered(
        &stderr,
        "missing_import.avdl",
        2,
        14,
        "\"nowhere.avdl\"".len(),
    );
    // An unreadable input.
    cargo_avro()
        .args(["idl", "no/such/file.avdl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/file.avdl"));
}

#[test]
fn idl2schemata_names_files_by_simple_name_and_full_name_on_a_clash() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("clash.avdl");
    std::fs::write(
        &src,
        "@namespace(\"a\") protocol P {\n  record Thing { int x; }\n  \
         @namespace(\"b\") record Thing { string y; }\n  record Other { a.Thing t; }\n}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    cargo_avro()
        .arg("idl2schemata")
        .arg(&src)
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("several types are named Thing"));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["Other.avsc", "a.Thing.avsc", "b.Thing.avsc"]);
    // Other.avsc is self-contained: a.Thing is defined inside it.
    let other = std::fs::read_to_string(out.join("Other.avsc")).unwrap();
    let (set, _) = SchemaSet::parse_str(&other).unwrap();
    assert!(set.lookup("a.Thing").is_some(), "{other}");
}
