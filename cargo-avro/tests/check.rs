//! `cargo avro check` over every case of ../shared/compat/levels.json (the
//! verdict and exit code), and the places problems are reported at.

mod common;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn every_levels_json_case_gets_its_verdict_and_exit_code() {
    let cases = read_json(&shared_dir().join("compat/levels.json"));
    let cases = cases.as_array().expect("levels.json is an array");
    let dir = tempfile::tempdir().unwrap();
    let mut f = Failures::default();
    for (k, case) in cases.iter().enumerate() {
        let id = case["id"].as_str().unwrap_or("?").to_owned();
        let new = dir.path().join(format!("{k}-new.avsc"));
        std::fs::write(&new, case["new"].to_string()).unwrap();
        let mut cmd = cargo_avro();
        cmd.args(["--format", "json", "check", "--level"])
            .arg(case["level"].as_str().unwrap())
            .arg(&new)
            .arg("--previous");
        for (i, p) in case["previous"].as_array().unwrap().iter().enumerate() {
            let path = dir.path().join(format!("{k}-prev{i}.avsc"));
            std::fs::write(&path, p.to_string()).unwrap();
            cmd.arg(path);
        }
        let expected = case["compatible"].as_bool().unwrap();
        let out = cmd.output().unwrap();
        let code = out.status.code();
        f.check(code == Some(if expected { 0 } else { 1 }), || {
            format!(
                "{id}: expected compatible={expected}, exit {code:?}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        if let Ok(report) = serde_json::from_slice::<Value>(&out.stdout) {
            let problems = report["problems"].as_array().map_or(0, Vec::len);
            f.check(
                report["compatible"] == expected && (problems == 0) == expected,
                || format!("{id}: report {report} does not match compatible={expected}"),
            );
        } else {
            f.check(false, || format!("{id}: stdout is not JSON"));
        }
    }
    f.finish(cases.len());
}

#[test]
fn problems_name_version_direction_and_file_line_col() {
    let dir = fixtures().join("compat");
    // v3 drops the default of `email` (v2 added it) and changes `age` to a string.
    let out = run(
        cargo_avro()
            .args(["check", "--level", "FULL_TRANSITIVE"])
            .arg(dir.join("user_v3.avsc"))
            .arg("--previous")
            .arg(dir.join("user_v1.avsc"))
            .arg(dir.join("user_v2.avsc")),
        1,
    );
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("incompatible:"), "{text}");
    // The new schema reading v1 data: `email` has no default (user_v3.avsc line 5).
    assert!(
        text.contains("user_v3.avsc:5:5: READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2")
            && text.contains("version 1"),
        "{text}"
    );
    // v1 and v2 reading v3 data: `age` is a string now (their line 4).
    assert!(
        text.contains("user_v1.avsc:4:29: TYPE_MISMATCH at /fields/1/type"),
        "{text}"
    );
    assert!(
        text.contains("user_v2.avsc:4:29: TYPE_MISMATCH at /fields/1/type"),
        "{text}"
    );

    // Non-transitive: only the latest previous version counts.
    let out = run(
        cargo_avro()
            .args(["--format", "json", "check", "--level", "FORWARD"])
            .arg(dir.join("user_v3.avsc"))
            .arg("--previous")
            .arg(dir.join("user_v1.avsc"))
            .arg(dir.join("user_v2.avsc")),
        1,
    );
    let report: Value = serde_json::from_slice(&out).unwrap();
    let problems = report["problems"].as_array().unwrap();
    assert!(!problems.is_empty());
    for p in problems {
        assert_eq!(p["version"], 2, "{p}");
        assert_eq!(p["direction"], "previous_reads_new", "{p}");
        assert_eq!(p["kind"], "TYPE_MISMATCH", "{p}");
        assert_eq!(
            (p["line"].as_u64(), p["column"].as_u64()),
            (Some(4), Some(29)),
            "{p}"
        );
    }
}

#[test]
fn compatible_exits_0_and_none_accepts_anything() {
    let dir = fixtures().join("compat");
    cargo_avro()
        .arg("check")
        .arg(dir.join("user_v2.avsc"))
        .arg("-p")
        .arg(dir.join("user_v1.avsc"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with("compatible:"));
    cargo_avro()
        .args(["check", "--level", "none"])
        .arg(dir.join("user_v3.avsc"))
        .arg("-p")
        .arg(dir.join("user_v1.avsc"))
        .assert()
        .success();
}

#[test]
fn a_bad_level_or_schema_exits_2() {
    let dir = fixtures().join("compat");
    cargo_avro()
        .args(["check", "--level", "SIDEWAYS"])
        .arg(dir.join("user_v2.avsc"))
        .arg("-p")
        .arg(dir.join("user_v1.avsc"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown compatibility level"));
    cargo_avro()
        .arg("check")
        .arg(dir.join("user_v2.avsc"))
        .arg("-p")
        .arg(fixtures().join("bad/unknown_type.avsc"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown_type.avsc:4:30"));
}
