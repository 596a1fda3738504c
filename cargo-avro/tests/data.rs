//! The data commands over every interop case: container files (null and
//! deflate) to JSON equal data.json, data.json back to binary equals
//! datums.bin, round trips through fromjson, resolution with a reader
//! schema equals resolved.json, single-object and Confluent messages, and
//! container inspection (getschema, getmeta, count).

mod common;

use std::path::Path;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

fn data(case: &Path) -> Vec<Value> {
    read_json(&case.join("data.json"))
        .as_array()
        .expect("data.json is an array")
        .clone()
}

fn jsonl(values: &[Value]) -> String {
    values.iter().map(|v| format!("{v}\n")).collect()
}

#[test]
fn containers_to_json_equal_data_json() {
    let mut f = Failures::default();
    let mut checked = 0;
    for case in interop_cases() {
        let expected = data(&case);
        for file in ["fastavro_container.avro", "fastavro_container_deflate.avro"] {
            let path = case.join(file);
            if !path.exists() {
                continue;
            }
            checked += 1;
            let out = cargo_avro().arg("tojson").arg(&path).output().unwrap();
            f.check(out.status.success(), || {
                format!(
                    "{}/{file}: {}",
                    name(&case),
                    String::from_utf8_lossy(&out.stderr)
                )
            });
            let got = json_lines(&out.stdout);
            f.check(got == expected, || {
                format!("{}/{file}: got {got:?}\nexpected {expected:?}", name(&case))
            });
        }
    }
    f.finish(checked);
}

#[test]
fn raw_datums_to_json_equal_data_json_and_back_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = Failures::default();
    let cases = interop_cases();
    for case in &cases {
        let expected = data(case);
        let schema = case.join("schema.avsc");
        let out = run(
            cargo_avro()
                .args(["tojson", "--framing", "raw", "--schema"])
                .arg(&schema)
                // Datums of some schemas (`null`) take no bytes: say how many.
                .arg("--count")
                .arg(expected.len().to_string())
                .arg(case.join("datums.bin")),
            0,
        );
        let got = json_lines(&out);
        f.check(got == expected, || {
            format!("{}: tojson raw: {got:?}", name(case))
        });

        let input = dir.path().join(format!("{}.jsonl", name(case)));
        std::fs::write(&input, jsonl(&expected)).unwrap();
        let bin = dir.path().join(format!("{}.bin", name(case)));
        run(
            cargo_avro()
                .args(["fromjson", "--raw", "-s"])
                .arg(&schema)
                .arg(&input)
                .arg("-o")
                .arg(&bin),
            0,
        );
        let ours = std::fs::read(&bin).unwrap();
        let theirs = std::fs::read(case.join("datums.bin")).unwrap();
        f.check(ours == theirs, || {
            format!(
                "{}: fromjson --raw bytes differ from datums.bin",
                name(case)
            )
        });
    }
    f.finish(cases.len());
}

#[test]
fn fromjson_containers_read_back_with_both_codecs() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = Failures::default();
    let cases = interop_cases();
    for case in &cases {
        let expected = data(case);
        let input = dir.path().join(format!("{}.jsonl", name(case)));
        std::fs::write(&input, jsonl(&expected)).unwrap();
        for codec in ["null", "deflate"] {
            let file = dir.path().join(format!("{}-{codec}.avro", name(case)));
            run(
                cargo_avro()
                    .args(["fromjson", "--codec", codec, "--schema"])
                    .arg(case.join("schema.avsc"))
                    .arg(&input)
                    .arg("-o")
                    .arg(&file),
                0,
            );
            let got = json_lines(&run(cargo_avro().arg("tojson").arg(&file), 0));
            f.check(got == expected, || {
                format!("{}/{codec}: {got:?}", name(case))
            });
            let count = run(cargo_avro().arg("count").arg(&file), 0);
            let count = String::from_utf8(count).unwrap();
            f.check(count.trim() == expected.len().to_string(), || {
                format!("{}/{codec}: count {count}", name(case))
            });
            let meta = run(
                cargo_avro()
                    .args(["getmeta", "--key", "avro.codec"])
                    .arg(&file),
                0,
            );
            f.check(String::from_utf8_lossy(&meta).trim() == codec, || {
                format!(
                    "{}/{codec}: avro.codec {}",
                    name(case),
                    String::from_utf8_lossy(&meta)
                )
            });
        }
    }
    f.finish(cases.len());
}

#[test]
fn resolution_cases_read_with_the_reader_schema_equal_resolved_json() {
    let mut f = Failures::default();
    let mut checked = 0;
    for case in interop_cases() {
        let (reader, resolved) = (case.join("reader.avsc"), case.join("resolved.json"));
        if !reader.exists() || !resolved.exists() {
            continue;
        }
        checked += 1;
        let out = run(
            cargo_avro()
                .arg("tojson")
                .arg(case.join("fastavro_container.avro"))
                .arg("--reader-schema")
                .arg(&reader),
            0,
        );
        let got = json_lines(&out);
        let expected = read_json(&resolved);
        f.check(Value::Array(got.clone()) == expected, || {
            format!("{}: got {got:?}\nexpected {expected}", name(&case))
        });
    }
    f.finish(checked);
}

#[test]
fn an_incompatible_reader_schema_exits_2_with_the_reason() {
    // Expected-failure resolution cases of the shared set, where it has any.
    for case in interop_cases() {
        let reader = case.join("reader.avsc");
        if case.join("resolution_error.txt").exists() && reader.exists() {
            run(
                cargo_avro()
                    .arg("tojson")
                    .arg(case.join("fastavro_container.avro"))
                    .arg("-r")
                    .arg(&reader),
                2,
            );
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.avro");
    let compat = fixtures().join("compat");
    std::fs::write(dir.path().join("in.jsonl"), "{\"name\":\"a\",\"age\":1}\n").unwrap();
    run(
        cargo_avro()
            .arg("fromjson")
            .arg(dir.path().join("in.jsonl"))
            .arg("-s")
            .arg(compat.join("user_v1.avsc"))
            .arg("-o")
            .arg(&file),
        0,
    );
    cargo_avro()
        .arg("tojson")
        .arg(&file)
        .arg("-r")
        .arg(compat.join("user_v3.avsc"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "READER_FIELD_MISSING_DEFAULT_VALUE",
        ));
}

#[test]
fn single_object_and_confluent_messages_give_their_datum() {
    let mut f = Failures::default();
    let mut checked = 0;
    for case in interop_cases() {
        let expected = data(&case);
        let schema = case.join("schema.avsc");
        let single = case.join("single_object.bin");
        if single.exists() {
            checked += 1;
            // Auto-detected by its C3 01 marker.
            let out = cargo_avro()
                .arg("tojson")
                .arg(&single)
                .arg("--schema")
                .arg(&schema)
                .output()
                .unwrap();
            let got = json_lines(&out.stdout);
            f.check(out.status.success() && got == expected[..1], || {
                format!(
                    "{}: single object: {got:?} {}",
                    name(&case),
                    String::from_utf8_lossy(&out.stderr)
                )
            });
        }
        let (confluent, meta) = (case.join("confluent.bin"), case.join("confluent.json"));
        if confluent.exists() && meta.exists() {
            checked += 1;
            let index = read_json(&meta)["datum_index"].as_u64().unwrap_or(0) as usize;
            let out = cargo_avro()
                .args(["tojson", "--framing", "confluent", "--schema"])
                .arg(&schema)
                .arg(&confluent)
                .output()
                .unwrap();
            let got = json_lines(&out.stdout);
            f.check(
                out.status.success() && got == expected[index..index + 1],
                || {
                    format!(
                        "{}: confluent: {got:?} {}",
                        name(&case),
                        String::from_utf8_lossy(&out.stderr)
                    )
                },
            );
        }
    }
    f.finish(checked);
}

#[test]
fn a_single_object_message_with_another_schema_is_refused() {
    let cases = interop_cases();
    let (a, b) = (&cases[cases.len() - 1], &cases[cases.len() - 2]);
    let single = a.join("single_object.bin");
    assert!(single.exists(), "{}", single.display());
    cargo_avro()
        .arg("tojson")
        .arg(&single)
        .arg("--schema")
        .arg(b.join("schema.avsc"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fingerprint"));
}

#[test]
fn getschema_prints_the_embedded_schema() {
    let mut f = Failures::default();
    let cases = interop_cases();
    for case in &cases {
        let meta = read_json(&case.join("case.json"));
        let expected = meta["container_null"]["embedded_schema"].as_str().unwrap();
        let out = run(
            cargo_avro()
                .arg("getschema")
                .arg(case.join("fastavro_container.avro")),
            0,
        );
        let got = String::from_utf8(out).unwrap();
        f.check(got.trim_end() == expected, || {
            format!("{}: {got}", name(case))
        });
        let count = String::from_utf8(run(
            cargo_avro()
                .args(["--format", "json", "count"])
                .arg(case.join("fastavro_container.avro")),
            0,
        ))
        .unwrap();
        let count: Value = serde_json::from_str(&count).unwrap();
        f.check(
            count["count"] == meta["n_datums"]
                && count["blocks"] == meta["container_null"]["blocks"],
            || format!("{}: count {count}", name(case)),
        );
    }
    f.finish(cases.len());
}

#[test]
fn random_data_is_valid_and_seeded() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = Failures::default();
    let cases = interop_cases();
    for case in &cases {
        let schema = case.join("schema.avsc");
        let file = dir.path().join(format!("{}.avro", name(case)));
        run(
            cargo_avro()
                .args(["random", "-n", "20", "--seed", "3", "--codec", "deflate"])
                .arg(&schema)
                .arg("-o")
                .arg(&file),
            0,
        );
        // Every datum decodes and re-encodes through the JSON encoding.
        let lines = run(cargo_avro().arg("tojson").arg(&file), 0);
        f.check(json_lines(&lines).len() == 20, || {
            format!("{}: not 20 datums", name(case))
        });
        let again = run(
            cargo_avro()
                .args(["random", "-n", "20", "--seed", "3"])
                .arg(&schema),
            0,
        );
        f.check(again == lines, || {
            format!("{}: the same seed gave other data", name(case))
        });
        let input = dir.path().join(format!("{}.jsonl", name(case)));
        std::fs::write(&input, &lines).unwrap();
        let out = cargo_avro()
            .arg("fromjson")
            .arg(&input)
            .arg("-s")
            .arg(&schema)
            .arg("-o")
            .arg(dir.path().join("x.avro"))
            .output()
            .unwrap();
        f.check(out.status.success(), || {
            format!(
                "{}: fromjson of random data: {}",
                name(case),
                String::from_utf8_lossy(&out.stderr)
            )
        });
    }
    f.finish(cases.len());
}

#[test]
fn bad_data_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    // A truncated container file of one block with some data in it.
    let case = &interop_cases()
        .into_iter()
        .find(|c| {
            let meta = read_json(&c.join("case.json"));
            meta["container_null"]["blocks"] == 1
                && meta["container_null"]["bytes"].as_u64().unwrap_or(0) > 200
        })
        .expect("a one-block container of more than 200 bytes");
    let bytes = std::fs::read(case.join("fastavro_container.avro")).unwrap();
    let cut = dir.path().join("cut.avro");
    std::fs::write(&cut, &bytes[..bytes.len() - 20]).unwrap();
    cargo_avro()
        .arg("tojson")
        .arg(&cut)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cut.avro"))
        .stderr(predicate::str::contains("block 0"));
    // Not a container file, and no framing given.
    cargo_avro()
        .arg("tojson")
        .arg(case.join("schema.avsc"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--framing"));
    cargo_avro()
        .arg("getmeta")
        .arg(case.join("schema.avsc"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an Avro container file"));
    // JSON that does not fit the schema: the line and the place in the value.
    let input = dir.path().join("bad.jsonl");
    std::fs::write(
        &input,
        "{\"name\":\"a\",\"age\":1}\n\n{\"name\":\"b\",\"age\":\"old\"}\n",
    )
    .unwrap();
    let out = dir.path().join("bad.avro");
    cargo_avro()
        .arg("fromjson")
        .arg(&input)
        .arg("-s")
        .arg(fixtures().join("compat/user_v1.avsc"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.jsonl:3: value 1"))
        .stderr(predicate::str::contains("at /age: expected an int"));
    assert!(!out.exists(), "nothing is written on error");
}

#[test]
fn count_stops_early_and_raw_input_must_hold_that_many() {
    let case = interop_cases()
        .into_iter()
        .find(|c| data(c).len() >= 3)
        .unwrap();
    let expected = data(&case);
    let out = run(
        cargo_avro()
            .args(["tojson", "-n", "2"])
            .arg(case.join("fastavro_container.avro")),
        0,
    );
    assert_eq!(json_lines(&out), expected[..2]);
    cargo_avro()
        .args(["tojson", "--framing", "raw", "-n"])
        .arg((expected.len() + 1).to_string())
        .arg("--schema")
        .arg(case.join("schema.avsc"))
        .arg(case.join("datums.bin"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "datum {}",
            expected.len()
        )));
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let case = interop_cases()
        .into_iter()
        .max_by_key(|c| std::fs::metadata(c.join("fastavro_container.avro")).map_or(0, |m| m.len()))
        .unwrap();
    let container = case.join("fastavro_container.avro");
    let schema = case.join("schema.avsc");
    let runs: Vec<Vec<&std::ffi::OsStr>> = vec![
        vec![
            "random".as_ref(),
            "-n".as_ref(),
            "100000".as_ref(),
            schema.as_os_str(),
        ],
        vec!["tojson".as_ref(), container.as_os_str()],
        vec![
            "getschema".as_ref(),
            "--pretty".as_ref(),
            container.as_os_str(),
        ],
        vec!["completions".as_ref(), "bash".as_ref()],
    ];
    for args in runs {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-avro"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
