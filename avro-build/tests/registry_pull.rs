//! Pull, lock, offline build and the compatibility gate against a real
//! registry (rivven-schema, started on 127.0.0.1 by avro-registry's test
//! harness, shared by path): the Student story of the seeds.

#[path = "../../avro-registry/tests/support/rivven.rs"]
mod rivven;
mod support;

use std::time::Duration;

use avro_build::{Error, PullOptions};
use avro_registry::{blocking, ClientConfig, CompatibilityLevel, Schema};
use support::project::{added_lines, avro_toml, student, Project};

/// A port nothing listens on: the offline builds are given this registry.
const UNREACHABLE: &str = "http://127.0.0.1:9";

fn client(url: &str) -> blocking::Client {
    blocking::Client::new(ClientConfig::new(url).request_timeout(Duration::from_secs(10))).unwrap()
}

fn register(c: &blocking::Client, subject: &str, text: &str) -> u32 {
    c.register(subject, &Schema::avro(text).into(), false)
        .unwrap()
}

fn no_progress() -> impl FnMut(avro_build::Progress<'_>) {
    |_| {}
}

#[test]
fn student_story_pull_offline_build_update_gate_tamper_interrupt() {
    let server = rivven::Server::start();
    let registry = client(&server.url);
    register(&registry, "school-value", &student(1));
    registry
        .set_compatibility(Some("school-value"), CompatibilityLevel::Backward)
        .unwrap();

    let p = Project::new();
    p.write("schemas/student.avsc", &student(1));
    p.write(
        "avro.toml",
        &avro_toml(&server.url, &[("school-value", "locked")]),
    );

    // 1. Pull Student v1.
    let report = p
        .config()
        .pull(PullOptions::default(), &mut no_progress())
        .unwrap();
    assert!(report.lock_changed, "{report:?}");
    assert_eq!(report.subjects.len(), 1);
    assert_eq!(
        (report.subjects[0].version, report.subjects[0].previous),
        (1, None)
    );
    let lock_v1 = p.read("avro.lock");
    assert!(lock_v1.contains("[subjects.school-value]"), "{lock_v1}");
    assert!(lock_v1.contains("level = \"BACKWARD\""), "{lock_v1}");
    assert!(lock_v1.contains("history = [1]"), "{lock_v1}");
    assert!(
        lock_v1.contains("crc64 = \"0x") && lock_v1.contains("sha256 = \""),
        "{lock_v1}"
    );
    assert_eq!(p.cache().len(), 1, "{:?}", p.cache().keys());

    // 2. Build offline: the registry unreachable, only lock and cache read.
    p.write(
        "avro.toml",
        &avro_toml(UNREACHABLE, &[("school-value", "locked")]),
    );
    let (files, _) = p.config().generate().unwrap();
    let tree = &files["avro_generated.rs"];
    assert!(tree.contains("pub mod locked"), "{tree}");
    assert!(
        files["locked.school.rs"].contains("pub struct Student"),
        "{:?}",
        files.keys()
    );
    assert!(files["school.rs"].contains("pub struct Student"));

    // 3. v2 registered; a plain pull keeps v1, `--update` moves to v2.
    p.write(
        "avro.toml",
        &avro_toml(&server.url, &[("school-value", "locked")]),
    );
    let id2 = register(&registry, "school-value", &student(2));
    let again = p
        .config()
        .pull(PullOptions::default(), &mut no_progress())
        .unwrap();
    assert!(!again.lock_changed && again.written.is_empty(), "{again:?}");
    assert_eq!(p.read("avro.lock"), lock_v1);
    let updated = p
        .config()
        .pull(PullOptions { update: true }, &mut no_progress())
        .unwrap();
    assert!(updated.lock_changed);
    assert_eq!(
        (
            updated.subjects[0].version,
            updated.subjects[0].previous,
            updated.subjects[0].id
        ),
        (2, Some(1), id2)
    );
    let lock_v2 = p.read("avro.lock");
    let diff = added_lines(&lock_v1, &lock_v2);
    println!(
        "avro.lock diff after registering v2 and `pull --update`:\n+{}",
        diff.join("\n+")
    );
    assert!(diff.contains(&"version = 2".to_owned()), "{diff:?}");
    assert!(diff.contains(&"history = [1, 2]".to_owned()), "{diff:?}");
    assert!(diff.contains(&format!("id = {id2}")), "{diff:?}");
    assert_eq!(p.cache().len(), 2);

    // 4. The local schema moves to v2: compatible, builds offline.
    p.write(
        "avro.toml",
        &avro_toml(UNREACHABLE, &[("school-value", "locked")]),
    );
    p.write("schemas/student.avsc", &student(2));
    p.config().generate().unwrap();

    // 5. A local v3 that breaks BACKWARD fails the build with the rendered diagnostic.
    p.write("schemas/student.avsc", &student(3));
    let err = p.config().generate().unwrap_err();
    let rendered = err.render();
    println!("{rendered}");
    let Error::Incompatible(report) = &err else {
        panic!("{err}")
    };
    assert_eq!(report.problems.len(), 1, "{rendered}");
    assert_eq!(report.problems[0].version, 2);
    let class_line = student(3)
        .lines()
        .position(|l| l.contains("\"class\""))
        .unwrap()
        + 1;
    assert!(
        rendered.contains(&format!("schemas/student.avsc:{class_line}:")),
        "{rendered}"
    );
    assert!(rendered.contains("school-value v2"), "{rendered}");
    assert!(rendered.contains("under BACKWARD"), "{rendered}");
    assert!(rendered.contains("rule broken: BACKWARD"), "{rendered}");
    assert!(rendered.contains("^"), "{rendered}");
    assert!(rendered.contains(&format!("{class_line} |")), "{rendered}");

    // 6. The same check as a library call, and the registry's own verdict: they agree.
    p.write(
        "avro.toml",
        &avro_toml(&server.url, &[("school-value", "locked")]),
    );
    for (local, compatible) in [(2, true), (3, false), (1, false)] {
        p.write("schemas/student.avsc", &student(local));
        let ours = p.config().check_compatibility().unwrap();
        let theirs = p.config().check_compatibility_remote().unwrap();
        assert_eq!(theirs.len(), 1);
        assert_eq!(
            ours.is_compatible(),
            compatible,
            "local v{local}: {}",
            ours.render()
        );
        assert_eq!(
            theirs[0].compatible, compatible,
            "local v{local}: the registry says {theirs:?}"
        );
    }

    // 7. A tampered cache file fails the build, naming the file and what to run;
    //    a pull restores it.
    p.write("schemas/student.avsc", &student(2));
    let cache = p.cache();
    let v1_file = cache
        .keys()
        .find(|k| k.file_name().unwrap().to_string_lossy().starts_with("v1."))
        .unwrap()
        .clone();
    let original = std::fs::read_to_string(&v1_file).unwrap();
    std::fs::write(&v1_file, original.replace("\"int\"", "\"long\"")).unwrap();
    let err = p.config().generate().unwrap_err();
    let text = err.render();
    assert!(
        text.contains(&v1_file.display().to_string()) && text.contains("does not match avro.lock"),
        "{text}"
    );
    assert!(text.contains("cargo avro pull"), "{text}");
    p.config()
        .pull(PullOptions::default(), &mut no_progress())
        .unwrap();
    assert_eq!(std::fs::read_to_string(&v1_file).unwrap(), original);
    p.config().generate().unwrap();

    // 8. A pull interrupted mid-way (the server stopped after the first of
    //    two subjects) leaves the previous lock and cache untouched.
    register(
        &registry,
        "other-value",
        r#"{"type":"record","name":"Other","namespace":"other","fields":[{"name":"x","type":"long"}]}"#,
    );
    p.write(
        "avro.toml",
        &avro_toml(
            &server.url,
            &[("other-value", "other"), ("school-value", "locked")],
        ),
    );
    let (lock_before, cache_before) = (p.read("avro.lock"), p.cache());
    let mut server = Some(server);
    let err = p
        .config()
        .pull(PullOptions { update: true }, &mut |progress| {
            if progress.index == 2 {
                drop(server.take()); // killed between the two subjects
            }
        })
        .unwrap_err();
    assert!(server.is_none(), "the pull reached its second subject");
    let message = err.to_string();
    assert!(
        message.contains("school-value") && message.contains("unchanged"),
        "{message}"
    );
    assert_eq!(p.read("avro.lock"), lock_before);
    assert_eq!(p.cache(), cache_before);
    // And the lock still builds, offline; the config now names a subject the lock lacks.
    p.write(
        "avro.toml",
        &avro_toml(
            UNREACHABLE,
            &[("other-value", "other"), ("school-value", "locked")],
        ),
    );
    let err = p.config().generate().unwrap_err().render();
    assert!(
        err.contains("subject \"other-value\" is in the configuration but not in"),
        "{err}"
    );
    assert!(err.contains("help: run `cargo avro pull`"), "{err}");
    p.write(
        "avro.toml",
        &avro_toml(UNREACHABLE, &[("school-value", "locked")]),
    );
    p.config().generate().unwrap();
}

#[test]
fn a_subject_missing_on_the_registry_fails_the_pull_and_writes_nothing() {
    let server = rivven::Server::start();
    let p = Project::new();
    p.write("schemas/student.avsc", &student(1));
    p.write("avro.toml", &avro_toml(&server.url, &[]));
    let err = p
        .config()
        .pull(PullOptions::default(), &mut no_progress())
        .unwrap_err();
    // rivven-schema answers 200 [] for an unknown subject's versions where
    // Confluent answers 40401: both are "not found" here.
    assert!(matches!(err, Error::SubjectNotFound { .. }), "{err}");
    assert!(!p.path("avro.lock").exists());
    assert!(p.cache().is_empty());
}
