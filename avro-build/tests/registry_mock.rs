//! Pull, lock and gate on avro-registry's in-memory MockRegistry: schema
//! references (which rivven-schema does not resolve), pinned versions, the
//! lock's consistency errors, a FORWARD gate pointing into the cached
//! version, and the configuration file's errors.

mod support;

use avro_build::{Config, Error, PullOptions};
use avro_registry::{blocking, MockRegistry, Schema, SchemaReference};
use support::project::{avro_toml, student, Project};

const ADDRESS: &str = r#"{"type":"record","name":"Address","namespace":"shop","fields":[{"name":"street","type":"string"}]}"#;
const CUSTOMER: &str = r#"{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"name","type":"string"},{"name":"home","type":"shop.Address"}]}"#;

fn mock() -> (MockRegistry, blocking::Client<MockRegistry>) {
    let m = MockRegistry::new();
    let c = blocking::Client::over(m.clone()).unwrap();
    (m, c)
}

fn pull(p: &Project, m: &MockRegistry, update: bool) -> Result<avro_build::PullReport, Error> {
    p.config().pull_from(m, PullOptions { update }, &mut |_| {})
}

#[test]
fn references_are_pulled_locked_and_compiled_with_the_schema() {
    let (m, c) = mock();
    c.register("address-value", &Schema::avro(ADDRESS).into(), false)
        .unwrap();
    let reference = SchemaReference {
        name: "shop.Address".into(),
        subject: "address-value".into(),
        version: -1, // latest: the lock records the version it was
    };
    c.register(
        "customer-value",
        &Schema::avro(CUSTOMER)
            .with_references(vec![reference])
            .into(),
        false,
    )
    .unwrap();
    let p = Project::new();
    p.write(
        "avro.toml",
        "[registry]\nurl = \"http://127.0.0.1:9\"\n\n[subjects.customer-value]\n",
    );
    let report = pull(&p, &m, false).unwrap();
    assert_eq!(report.written.len(), 2, "{report:?}");
    let lock = p.read("avro.lock");
    assert!(
        lock.contains("subject = \"address-value\"") && lock.contains("name = \"shop.Address\""),
        "{lock}"
    );
    assert!(!lock.contains("[subjects.address-value]"), "{lock}");
    let (files, _) = p.config().generate().unwrap();
    let shop = &files["shop.rs"];
    assert!(
        shop.contains("pub struct Customer") && shop.contains("pub struct Address"),
        "{shop}"
    );
    // The referenced schema's cache file is verified too.
    let address_file = p
        .cache()
        .into_keys()
        .find(|k| k.to_string_lossy().contains("address-value"))
        .unwrap();
    std::fs::write(&address_file, ADDRESS.replace("street", "road")).unwrap();
    let err = p.config().generate().unwrap_err().render();
    assert!(
        err.contains("address-value v1 does not match avro.lock"),
        "{err}"
    );
}

#[test]
fn pinned_versions_stay_and_the_history_stops_there() {
    let (m, c) = mock();
    for v in [1, 2] {
        c.register("school-value", &Schema::avro(student(v)).into(), false)
            .unwrap();
    }
    let p = Project::new();
    p.write("schemas/student.avsc", &student(1));
    p.write(
        "avro.toml",
        "[schemas]\ndirs = [\"schemas\"]\n[registry]\nurl = \"http://127.0.0.1:9\"\n[subjects.school-value]\nversion = 1\nmodule = \"v1\"\n",
    );
    let report = pull(&p, &m, true).unwrap();
    assert_eq!(report.subjects[0].version, 1);
    assert_eq!(report.subjects[0].history, [1]);
    let lock = p.read("avro.lock");
    assert!(lock.contains("requested = \"1\""), "{lock}");
    // The config moves the pin: the lock is stale until pulled again.
    p.write(
        "avro.toml",
        "[schemas]\ndirs = [\"schemas\"]\n[registry]\nurl = \"http://127.0.0.1:9\"\n[subjects.school-value]\nversion = 2\nmodule = \"v1\"\n",
    );
    let err = p.config().generate().unwrap_err().render();
    assert!(
        err.contains("configured at version 2 but") && err.contains("cargo avro pull"),
        "{err}"
    );
    let report = pull(&p, &m, false).unwrap();
    assert_eq!(
        (report.subjects[0].version, report.subjects[0].previous),
        (2, Some(1))
    );
    p.config().generate().unwrap();
}

#[test]
fn lock_errors_say_what_to_run() {
    let (m, c) = mock();
    c.register("school-value", &Schema::avro(student(1)).into(), false)
        .unwrap();
    c.register("other-value", &Schema::avro(ADDRESS).into(), false)
        .unwrap();
    let p = Project::new();
    p.write("schemas/student.avsc", &student(1));
    p.write("avro.toml", &avro_toml("http://127.0.0.1:9", &[]));
    // No lock yet.
    let err = p.config().generate().unwrap_err().render();
    assert!(
        err.contains("avro.lock does not exist") && err.contains("school-value"),
        "{err}"
    );
    assert!(err.contains("run `cargo avro pull`"), "{err}");
    // A lock with a subject the configuration no longer names.
    p.write(
        "avro.toml",
        &avro_toml("http://127.0.0.1:9", &[("other-value", "other")]),
    );
    pull(&p, &m, false).unwrap();
    p.config().generate().unwrap();
    p.write("avro.toml", &avro_toml("http://127.0.0.1:9", &[]));
    let err = p.config().generate().unwrap_err();
    assert!(matches!(err, Error::Lock { .. }), "{err}");
    let err = err.render();
    assert!(
        err.contains("locks subject \"other-value\", which the configuration no longer names"),
        "{err}"
    );
    // A pull drops it and removes its cache file.
    let report = pull(&p, &m, false).unwrap();
    assert_eq!(report.removed.len(), 1, "{report:?}");
    assert!(!p.read("avro.lock").contains("other-value"));
    p.config().generate().unwrap();
}

#[test]
fn a_forward_gate_points_into_the_locked_version_that_cannot_read() {
    let (m, c) = mock();
    c.register("school-value", &Schema::avro(student(1)).into(), false)
        .unwrap();
    let p = Project::new();
    // The new schema drops `name`: v1 readers have no default for it.
    p.write(
        "schemas/student.avsc",
        r#"{"type":"record","name":"Student","namespace":"school","fields":[{"name":"class","type":"int"}]}"#,
    );
    p.write(
        "avro.toml",
        "[schemas]\ndirs = [\"schemas\"]\n[registry]\nurl = \"http://127.0.0.1:9\"\n[subjects.school-value]\nlevel = \"FORWARD\"\ngenerate = false\n[[bind]]\nschema = \"schemas/student.avsc\"\nsubject = \"school-value\"\n",
    );
    pull(&p, &m, false).unwrap();
    let report = p.config().check_compatibility().unwrap();
    assert_eq!(report.problems.len(), 1, "{}", report.render());
    let rendered = report.render();
    println!("{rendered}");
    let cached = p.cache().into_keys().next().unwrap();
    assert!(
        rendered.contains(&format!("--> {}:", cached.display())),
        "{rendered}"
    );
    assert!(rendered.contains("rule broken: FORWARD"), "{rendered}");
    assert!(rendered.contains("\"name\""), "{rendered}");
    // BACKWARD (the registry's level, from the lock) lets it through.
    p.write(
        "avro.toml",
        "[schemas]\ndirs = [\"schemas\"]\n[registry]\nurl = \"http://127.0.0.1:9\"\n[subjects.school-value]\ngenerate = false\n[[bind]]\nschema = \"schemas/student.avsc\"\nsubject = \"school-value\"\n",
    );
    assert!(p.config().check_compatibility().unwrap().is_compatible());
}

#[test]
fn configuration_file_errors_name_the_file_and_key() {
    let p = Project::new();
    p.write("avro.toml", "[registry]\nurl = \"x\"\nuser = \"a\"\n");
    let err = Config::from_file(p.path("avro.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("avro.toml") && err.contains("user"), "{err}");
    p.write(
        "avro.toml",
        "[registry]\nurl = \"x\"\n[subjects.s]\nversion = \"lastest\"\n",
    );
    let err = Config::from_file(p.path("avro.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("subjects.s.version") && err.contains("lastest"),
        "{err}"
    );
    p.write("avro.toml", "[subjects.s]\n");
    let err = Config::from_file(p.path("avro.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("[registry]"), "{err}");
    // The same keys under [package.metadata.avro] in Cargo.toml.
    let q = Project::new();
    q.write(
        "Cargo.toml",
        "[package]\nname = \"x\"\n[package.metadata.avro.registry]\nurl = \"http://r\"\n[package.metadata.avro.subjects.school-value]\nversion = 3\n",
    );
    let (config, file) = Config::from_project(q.dir.path()).unwrap().unwrap();
    assert_eq!(file.registry.unwrap().url, "http://r");
    assert_eq!(
        config.subjects()[0].version,
        avro_build::VersionReq::Pinned(3)
    );
    assert!(Config::from_project(Project::new().dir.path())
        .unwrap()
        .is_none());
}

#[test]
fn a_subject_module_must_be_a_rust_identifier() {
    let (m, c) = mock();
    c.register("school-value", &Schema::avro(student(1)).into(), false)
        .unwrap();
    let p = Project::new();
    p.write(
        "avro.toml",
        "[registry]\nurl = \"http://127.0.0.1:9\"\n[subjects.school-value]\nmodule = \"school-v1\"\n",
    );
    pull(&p, &m, false).unwrap();
    let err = p.config().generate().unwrap_err().to_string();
    assert!(
        err.contains("\"school-v1\" is not a Rust identifier"),
        "{err}"
    );
}

#[test]
fn earlier_locked_versions_get_decoders_specialized_to_them() {
    let (m, c) = mock();
    for v in [1, 2] {
        c.register("school-value", &Schema::avro(student(v)).into(), false)
            .unwrap();
    }
    let p = Project::new();
    p.write(
        "avro.toml",
        "[registry]\nurl = \"http://127.0.0.1:9\"\n[subjects.school-value]\nmodule = \"school\"\n",
    );
    let report = pull(&p, &m, true).unwrap();
    assert_eq!(report.subjects[0].history, [1, 2]);
    let (files, _) = p.config().generate().unwrap();
    let code = files
        .values()
        .find(|f| f.contains("pub struct Student"))
        .unwrap_or_else(|| panic!("no Student in {:?}", files.keys()));
    let fingerprint = |text: &str| {
        let (set, root) = avro_runtime::schema::SchemaSet::parse_str(text).unwrap();
        set.fingerprint(&root)
    };
    // v1 (the older locked version) is a known writer of the v2 type; v2
    // itself is read by the ordinary decoder.
    assert!(
        code.contains(&format!("{}u64 =>", fingerprint(&student(1)))),
        "no decoder specialized to v1"
    );
    assert!(!code.contains(&format!("{}u64 =>", fingerprint(&student(2)))));
}
