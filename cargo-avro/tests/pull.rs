//! `cargo avro pull` and `cargo avro check --locked` against a real
//! registry (rivven-schema on 127.0.0.1, started by avro-registry's test
//! harness, shared by path), in a project directory with an avro.toml.

mod common;
#[path = "../../avro-registry/tests/support/rivven.rs"]
mod rivven;

use std::path::Path;

use avro_registry::{blocking, ClientConfig, CompatibilityLevel, Schema};
use common::*;
use serde_json::Value;

fn student(version: u32) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../avro-registry/tests/schemas/student_v{version}/student.avsc"
    ));
    std::fs::read_to_string(path).unwrap()
}

fn avro_toml(url: &str, extra_subject: bool) -> String {
    let mut s =
        format!("[schemas]\ndirs = [\"schemas\"]\n\n[registry]\nurl = \"{url}\"\nretries = 0\n\n");
    if extra_subject {
        s.push_str("[subjects.other-value]\nmodule = \"other\"\n\n");
    }
    s.push_str("[[bind]]\nschema = \"schemas/student.avsc\"\nsubject = \"school-value\"\n");
    s
}

#[test]
fn pull_update_and_check_locked_in_a_project() {
    let server = rivven::Server::start();
    let registry = blocking::Client::new(ClientConfig::new(&server.url)).unwrap();
    registry
        .register("school-value", &Schema::avro(student(1)).into(), false)
        .unwrap();
    registry
        .set_compatibility(Some("school-value"), CompatibilityLevel::Backward)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("schemas")).unwrap();
    std::fs::write(p.join("schemas/student.avsc"), student(2)).unwrap();
    std::fs::write(p.join("avro.toml"), avro_toml(&server.url, false)).unwrap();

    let out = String::from_utf8(run(cargo_avro().current_dir(p).arg("pull"), 0)).unwrap();
    assert!(out.contains("school-value: v1 (id 1) (new)"), "{out}");
    assert!(out.contains("avro.lock updated"), "{out}");
    assert!(p.join("avro.lock").is_file());

    // v2 on the registry: `pull` keeps v1, `pull --update` moves on.
    registry
        .register("school-value", &Schema::avro(student(2)).into(), false)
        .unwrap();
    let out = String::from_utf8(run(cargo_avro().current_dir(p).arg("pull"), 0)).unwrap();
    assert!(
        out.contains("school-value: v1 (id 1)\n") && out.contains("unchanged"),
        "{out}"
    );
    let out = run(
        cargo_avro()
            .current_dir(p)
            .args(["--format", "json", "pull", "--update"]),
        0,
    );
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["subjects"][0]["version"], 2, "{report}");
    assert_eq!(report["subjects"][0]["previous"], 1, "{report}");
    assert_eq!(report["lock_changed"], true, "{report}");

    // check --locked: v2 passes, v3 fails with the rendered diagnostic, and the registry agrees.
    let out = String::from_utf8(run(
        cargo_avro()
            .current_dir(p)
            .args(["check", "schemas/student.avsc", "--locked", "--remote"]),
        0,
    ))
    .unwrap();
    assert!(out.contains("compatible: schemas/student.avsc against the locked history of school-value (v1, v2) at BACKWARD"), "{out}");
    assert!(
        out.contains("compatible: the registry's verdict for school-value"),
        "{out}"
    );
    std::fs::write(p.join("schemas/student.avsc"), student(3)).unwrap();
    let assert = cargo_avro()
        .current_dir(p)
        .args(["check", "schemas/student.avsc", "--locked", "--remote"])
        .assert()
        .code(1);
    let o = assert.get_output();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(
        stderr.contains("breaks school-value v2 (id 2) under BACKWARD") && stderr.contains('^'),
        "{stderr}"
    );
    assert!(
        stdout.contains("incompatible: schemas/student.avsc"),
        "{stdout}"
    );
    assert!(
        stdout.contains("incompatible: the registry's verdict"),
        "{stdout}"
    );

    // Progress with several subjects; a subject the registry lacks fails with exit 2.
    std::fs::write(p.join("avro.toml"), avro_toml(&server.url, true)).unwrap();
    let lock = std::fs::read_to_string(p.join("avro.lock")).unwrap();
    let assert = cargo_avro().current_dir(p).arg("pull").assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("[1/2] other-value"), "{stderr}");
    assert!(
        stderr.contains("subject \"other-value\" does not exist"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(p.join("avro.lock")).unwrap(), lock);
    registry
        .register(
            "other-value",
            &Schema::avro(r#"{"type":"record","name":"O","namespace":"o","fields":[]}"#).into(),
            false,
        )
        .unwrap();
    let out = String::from_utf8(run(cargo_avro().current_dir(p).arg("pull"), 0)).unwrap();
    assert!(out.contains("other-value: v1 (id 3) (new)"), "{out}");
}

#[test]
fn pull_without_a_configuration_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let assert = cargo_avro()
        .current_dir(dir.path())
        .arg("pull")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("no avro.toml"), "{stderr}");
}

#[test]
fn check_locked_on_a_file_no_binding_names_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("schemas")).unwrap();
    std::fs::write(dir.path().join("schemas/student.avsc"), student(1)).unwrap();
    std::fs::write(dir.path().join("other.avsc"), student(1)).unwrap();
    std::fs::write(
        dir.path().join("avro.toml"),
        avro_toml("http://127.0.0.1:9", false),
    )
    .unwrap();
    let assert = cargo_avro()
        .current_dir(dir.path())
        .args(["check", "other.avsc", "--locked"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("other.avsc is not bound to a subject"),
        "{stderr}"
    );
    // Bound, but nothing pulled yet: the lock error says what to run.
    let assert = cargo_avro()
        .current_dir(dir.path())
        .args(["check", "schemas/student.avsc", "--locked"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("avro.lock does not exist") && stderr.contains("cargo avro pull"),
        "{stderr}"
    );
}
