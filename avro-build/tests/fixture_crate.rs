//! The build.rs path end to end: a fixture crate (its own workspace, path
//! dependencies on this one) whose build script is
//! `Config::from_file("avro.toml")?.compile_or_exit()`, built with `cargo
//! build --offline` against a lock and cache pulled from a MockRegistry and
//! a registry URL nothing listens on. It builds and its binary uses the
//! locked type; a local schema that breaks the locked history, a tampered
//! cache file, and `AVRO_PULL=1` without the `registry` feature each fail
//! the build with their message. Its target directory is
//! `target/avro-build-fixture` (kept between runs, so only the fixture
//! itself rebuilds).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use avro_build::PullOptions;
use avro_registry::{blocking, MockRegistry, Schema};
use support::project::student;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

fn fixture_root() -> PathBuf {
    let root = workspace().join("target/avro-build-fixture");
    std::fs::create_dir_all(&root).unwrap();
    root
}

const BUILD_RS: &str = r#"fn main() {
    let config = avro_build::Config::from_file("avro.toml").unwrap_or_else(|e| {
        eprint!("{}", e.render());
        std::process::exit(1)
    });
    config.compile_or_exit();
}
"#;

const MAIN_RS: &str = r#"avro_runtime::include_schemas!(mod avro);

fn main() {
    let s = avro::locked::school::Student {
        first_name: Some("Grace".into()),
        last_name: None,
        class: 5,
    };
    let bytes = avro_runtime::to_vec(&s).unwrap();
    let local: avro::school::Student = avro_runtime::from_slice(&bytes).unwrap();
    println!("{} bytes, class {}", bytes.len(), local.class);
}
"#;

const AVRO_TOML: &str = r#"[schemas]
dirs = ["schemas"]

[registry]
url = "http://127.0.0.1:9"

[subjects.school-value]
module = "locked"

[[bind]]
schema = "schemas/student.avsc"
subject = "school-value"
"#;

fn cargo(project: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(args)
        .arg("--offline")
        .arg("--target-dir")
        .arg(fixture_root().join("target"))
        .current_dir(project)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("AVRO_PULL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_crate_builds_from_the_lock_offline_and_its_build_fails_on_each_problem() {
    let dir = tempfile::tempdir_in(fixture_root()).unwrap();
    let p = dir.path();
    let ws = workspace();
    std::fs::write(
        p.join("Cargo.toml"),
        format!(
            "[package]\nname = \"avro-fixture\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\navro-runtime = {{ path = {:?} }}\n\n\
             [build-dependencies]\navro-build = {{ path = {:?} }}\n\n[workspace]\n",
            ws.join("avro-runtime").display().to_string(),
            ws.join("avro-build").display().to_string(),
        ),
    )
    .unwrap();
    // The workspace's lock: the same dependency versions, resolvable offline.
    std::fs::copy(ws.join("Cargo.lock"), p.join("Cargo.lock")).unwrap();
    std::fs::create_dir_all(p.join("src")).unwrap();
    std::fs::create_dir_all(p.join("schemas")).unwrap();
    std::fs::write(p.join("build.rs"), BUILD_RS).unwrap();
    std::fs::write(p.join("src/main.rs"), MAIN_RS).unwrap();
    std::fs::write(p.join("avro.toml"), AVRO_TOML).unwrap();
    std::fs::write(p.join("schemas/student.avsc"), student(2)).unwrap();

    // The lock and cache, pulled from a registry holding v1 and v2.
    let mock = MockRegistry::new();
    let c = blocking::Client::over(mock.clone()).unwrap();
    for v in [1, 2] {
        c.register("school-value", &Schema::avro(student(v)).into(), false)
            .unwrap();
    }
    avro_build::Config::from_file(p.join("avro.toml"))
        .unwrap()
        .pull_from(&mock, PullOptions::default(), &mut |_| {})
        .unwrap();

    // Builds offline (the registry URL is unreachable) and runs.
    let out = cargo(p, &["build", "--quiet"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bin = fixture_root().join("target/debug/avro-fixture");
    let run = Command::new(&bin).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        "9 bytes, class 5",
        "{}",
        stderr(&run)
    );

    // A local schema that breaks the locked history: the gate's diagnostic.
    std::fs::write(p.join("schemas/student.avsc"), student(3)).unwrap();
    let out = cargo(p, &["build", "--quiet"], &[]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("breaks school-value v2 (id 2) under BACKWARD")
            && err.contains("rule broken: BACKWARD"),
        "{err}"
    );
    assert!(
        err.contains("{\"name\": \"class\", \"type\": \"string\"}") && err.contains('^'),
        "{err}"
    );

    // A tampered cache file.
    std::fs::write(p.join("schemas/student.avsc"), student(2)).unwrap();
    let cached = std::fs::read_dir(p.join("avro-cache/school-value"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|f| f.file_name().unwrap().to_string_lossy().starts_with("v2."))
        .unwrap();
    let original = std::fs::read_to_string(&cached).unwrap();
    std::fs::write(&cached, original.replace("\"int\"", "\"long\"")).unwrap();
    let out = cargo(p, &["build", "--quiet"], &[]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("does not match avro.lock") && err.contains("cargo avro pull"),
        "{err}"
    );
    std::fs::write(&cached, &original).unwrap();
    let out = cargo(p, &["build", "--quiet"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    // AVRO_PULL=1 without avro-build's `registry` feature says what to change.
    let out = cargo(p, &["build", "--quiet"], &[("AVRO_PULL", "1")]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("without its `registry` feature") && err.contains("cargo avro pull"),
        "{err}"
    );
}
