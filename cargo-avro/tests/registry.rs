//! The registry subcommands against a real registry server: rivven-schema,
//! started on 127.0.0.1 as avro-registry's own tests start it (found on
//! PATH, in $CARGO_HOME/bin or target/tools/bin, else installed there), one
//! server per test. Where rivven-schema departs from Confluent's API the
//! test says so and pins what it does (avro-registry's README lists them).
//! Also: a registry that is down, a missing URL, and bad arguments.

mod common;

#[allow(dead_code)]
#[path = "../../avro-registry/tests/support/rivven.rs"]
mod rivven;

use std::path::PathBuf;

use common::*;
use predicates::prelude::*;
use serde_json::{json, Value};

fn compat(name: &str) -> PathBuf {
    fixtures().join("compat").join(name)
}

/// `cargo avro` with no registry settings inherited from the environment.
fn avro() -> assert_cmd::Command {
    let mut c = cargo_avro();
    for v in [
        "SCHEMA_REGISTRY_URL",
        "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
        "SCHEMA_REGISTRY_BEARER_TOKEN",
        "SCHEMA_REGISTRY_CA_LOCATION",
    ] {
        c.env_remove(v);
    }
    c
}

/// `cargo avro --format json ARGS --registry URL`, expecting `code`; stdout as JSON.
fn json_of(server: &rivven::Server, args: &[&str], code: i32) -> Value {
    let out = run(
        avro()
            .args(["--format", "json"])
            .args(args)
            .args(["--registry", &server.url]),
        code,
    );
    serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out)))
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

/// user_v1 and user_v2 registered under `users-value`; their ids.
fn register_history(server: &rivven::Server) -> (u64, u64) {
    let out = json_of(
        server,
        &[
            "register",
            path(&compat("user_v1.avsc")),
            path(&compat("user_v2.avsc")),
            "--subject",
            "users-value",
        ],
        0,
    );
    let ids: Vec<u64> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["subject"], "users-value", "{out}");
            r["id"].as_u64().unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 2, "{out}");
    assert_ne!(ids[0], ids[1], "two different schemas share an id: {out}");
    (ids[0], ids[1])
}

fn canonical_of_file(file: &std::path::Path) -> String {
    let out = run(avro().arg("canonical").arg(file), 0);
    String::from_utf8(out).unwrap().trim().to_owned()
}

#[test]
fn register_then_subjects_versions_and_get_show_what_was_registered() {
    let server = rivven::Server::start();
    let (v1, v2) = register_history(&server);

    // Registering the same schema again gives its id back.
    let again = json_of(
        &server,
        &[
            "register",
            path(&compat("user_v2.avsc")),
            "-s",
            "users-value",
        ],
        0,
    );
    assert_eq!(again[0]["id"], v2, "{again}");

    // Human output: one line per file with the subject and id.
    avro()
        .args(["register", "--topic", "accounts"])
        .arg(compat("user_v1.avsc"))
        .args(["--registry", &server.url])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("accounts-value id {v1}")));

    let subjects = json_of(&server, &["subjects"], 0);
    assert_eq!(subjects, json!(["accounts-value", "users-value"]));
    let filtered = json_of(&server, &["subjects", "--prefix", "users"], 0);
    assert_eq!(filtered, json!(["users-value"]));
    avro()
        .args(["subjects", "--registry", &server.url])
        .assert()
        .success()
        .stdout("accounts-value\nusers-value\n");

    assert_eq!(
        json_of(&server, &["versions", "users-value"], 0),
        json!([1, 2])
    );

    // get by subject and version, latest, and id: the schema registered,
    // compared by canonical form (rivven-schema stores the text re-serialized
    // with sorted keys; Confluent keeps it as registered).
    let got = json_of(&server, &["get", "users-value", "1"], 0);
    assert_eq!(
        (
            got["subject"].as_str(),
            got["version"].as_u64(),
            got["id"].as_u64()
        ),
        (Some("users-value"), Some(1), Some(v1)),
        "{got}"
    );
    let latest = json_of(&server, &["get", "users-value"], 0);
    assert_eq!(latest["version"], 2, "{latest}");
    assert_eq!(latest["id"], v2, "{latest}");
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved.avsc");
    let text = run(
        avro()
            .args(["get", "--id", &v2.to_string(), "--schema-only"])
            .args(["--registry", &server.url]),
        0,
    );
    std::fs::write(&saved, text).unwrap();
    assert_eq!(
        canonical_of_file(&saved),
        canonical_of_file(&compat("user_v2.avsc"))
    );

    // canonical and fingerprint of a registry id equal those of the file.
    let by_id = json_of(&server, &["canonical", "--id", &v1.to_string()], 0);
    assert_eq!(
        by_id["canonical"],
        canonical_of_file(&compat("user_v1.avsc")),
        "{by_id}"
    );
    assert_eq!(by_id["id"], v1);
    let fp_id = json_of(&server, &["fingerprint", "--id", &v1.to_string()], 0);
    let fp_file = run(
        avro()
            .args(["--format", "json", "fingerprint"])
            .arg(compat("user_v1.avsc")),
        0,
    );
    let fp_file: Value = serde_json::from_slice(&fp_file).unwrap();
    for a in ["crc64", "md5", "sha256"] {
        assert_eq!(fp_id[a], fp_file[a], "{a}: {fp_id} vs {fp_file}");
    }
}

#[test]
fn unknown_subjects_versions_and_ids_exit_2_naming_them_and_what_to_do() {
    let server = rivven::Server::start();
    register_history(&server);
    avro()
        .args(["get", "nosuch-value", "--registry", &server.url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("subject \"nosuch-value\""))
        .stderr(predicate::str::contains(&server.url))
        .stderr(predicate::str::contains("40401"))
        .stderr(predicate::str::contains("cargo avro subjects"));
    avro()
        .args(["get", "users-value", "9", "--registry", &server.url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("version 9"))
        .stderr(predicate::str::contains("cargo avro versions users-value"));
    avro()
        .args(["canonical", "--id", "9999", "--registry", &server.url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("schema 9999"))
        .stderr(predicate::str::contains("40403"));
    // Departure: Confluent answers 40401 for an unknown subject's versions;
    // rivven-schema answers 200 with no versions. We print none and warn.
    avro()
        .args(["versions", "nosuch-value", "--registry", &server.url])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("has no versions"));
}

#[test]
fn config_shows_and_sets_the_global_and_subject_levels() {
    let server = rivven::Server::start();
    register_history(&server);
    let global = json_of(&server, &["config"], 0);
    assert_eq!(global["compatibilityLevel"], "BACKWARD", "{global}");
    assert_eq!(global["subject"], Value::Null);

    let set = json_of(
        &server,
        &["config", "users-value", "--set", "full_transitive"],
        0,
    );
    assert_eq!(set["compatibilityLevel"], "FULL_TRANSITIVE", "{set}");
    let subject = json_of(&server, &["config", "users-value"], 0);
    assert_eq!(
        subject["compatibilityLevel"], "FULL_TRANSITIVE",
        "{subject}"
    );
    assert_eq!(subject["inherited"], false, "{subject}");

    avro()
        .args(["config", "--set", "NONE", "--registry", &server.url])
        .assert()
        .success()
        .stdout("global: compatibility level set to NONE\n");
    avro()
        .args(["config", "--registry", &server.url])
        .assert()
        .success()
        .stdout("global: NONE\n");
    // Departure: Confluent answers 40408 for a subject without a level of its
    // own (we then show the global level, marked inherited); rivven-schema
    // answers with the global level as if it were the subject's.
    let other = json_of(&server, &["config", "accounts-value"], 0);
    assert_eq!(other["compatibilityLevel"], "NONE", "{other}");
    assert_eq!(other["inherited"], false, "{other}");

    avro()
        .args(["config", "--set", "SIDEWAYS", "--registry", &server.url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SIDEWAYS"));
}

#[test]
fn check_against_a_subject_with_our_checker_and_the_registrys() {
    let server = rivven::Server::start();
    register_history(&server);

    // v3 changes `age` to a string: incompatible with v2 at BACKWARD (the
    // subject's level, taken from the registry).
    let ours = json_of(
        &server,
        &[
            "check",
            path(&compat("user_v3.avsc")),
            "--subject",
            "users-value",
        ],
        1,
    );
    assert_eq!(ours["compatible"], false, "{ours}");
    assert_eq!(ours["level"], "BACKWARD", "{ours}");
    assert_eq!(
        ours["previous"],
        json!(["users-value v1", "users-value v2"]),
        "{ours}"
    );
    let problems = ours["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["kind"] == "TYPE_MISMATCH" && p["location"] == "/fields/1/type"),
        "{ours}"
    );
    assert!(ours.get("registry").is_none(), "{ours}");

    // Human output names the subject version and the file:line:col.
    avro()
        .arg("check")
        .arg(compat("user_v3.avsc"))
        .args(["--subject", "users-value", "--registry", &server.url])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "2 version(s) of subject users-value at level BACKWARD",
        ))
        .stdout(predicate::str::contains("user_v3.avsc:4:29: TYPE_MISMATCH"))
        .stdout(predicate::str::contains("users-value v2"));

    // --remote: the registry's verdict and messages too.
    let remote = json_of(
        &server,
        &[
            "check",
            path(&compat("user_v3.avsc")),
            "--subject",
            "users-value",
            "--remote",
        ],
        1,
    );
    assert_eq!(remote["registry"]["compatible"], false, "{remote}");
    assert!(
        !remote["registry"]["messages"]
            .as_array()
            .unwrap()
            .is_empty(),
        "verbose=true gives the registry's reasons: {remote}"
    );

    // A compatible schema (v2 itself) passes both.
    let ok = json_of(
        &server,
        &[
            "check",
            path(&compat("user_v2.avsc")),
            "--subject",
            "users-value",
            "--remote",
        ],
        0,
    );
    assert_eq!(ok["compatible"], true, "{ok}");
    assert_eq!(ok["registry"]["compatible"], true, "{ok}");

    // The level comes from the registry: NONE there lets v3 pass, and
    // --level overrides it.
    json_of(&server, &["config", "users-value", "--set", "NONE"], 0);
    let none = json_of(
        &server,
        &[
            "check",
            path(&compat("user_v3.avsc")),
            "--subject",
            "users-value",
        ],
        0,
    );
    assert_eq!(none["level"], "NONE", "{none}");
    json_of(
        &server,
        &[
            "check",
            path(&compat("user_v3.avsc")),
            "--subject",
            "users-value",
            "--level",
            "FORWARD",
        ],
        1,
    );

    // A subject with no versions yet accepts anything (ours and the registry's).
    let fresh = json_of(
        &server,
        &[
            "check",
            path(&compat("user_v3.avsc")),
            "--subject",
            "new-value",
            "--remote",
        ],
        0,
    );
    assert_eq!(fresh["previous"], json!([]), "{fresh}");
    assert_eq!(fresh["registry"]["compatible"], true, "{fresh}");
}

#[test]
fn an_incompatible_registration_exits_2_with_the_registrys_message() {
    let server = rivven::Server::start();
    register_history(&server);
    avro()
        .arg("register")
        .arg(compat("user_v3.avsc"))
        .args(["--subject", "users-value", "--registry", &server.url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot register"))
        .stderr(predicate::str::contains("users-value"))
        .stderr(predicate::str::contains("incompatible schema"))
        .stderr(predicate::str::contains(
            "cargo avro check FILE --subject users-value",
        ));
    assert_eq!(
        json_of(&server, &["versions", "users-value"], 0),
        json!([1, 2])
    );
}

#[test]
fn references_are_resolved_locally_then_sent() {
    let server = rivven::Server::start();
    let refs = fixtures().join("refs");
    let money = json_of(
        &server,
        &[
            "register",
            path(&refs.join("common/money.avsc")),
            "--record-name",
        ],
        0,
    );
    assert_eq!(money[0]["subject"], "shop.Money", "{money}");

    // Without the reference, order.avsc does not parse on its own: a local
    // error with its place, before any request.
    avro()
        .arg("register")
        .arg(refs.join("order.avsc"))
        .args(["-s", "orders-value", "--registry", &server.url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("order.avsc:2:"))
        .stderr(predicate::str::contains("Money"));
    // A reference to a subject that does not exist: named, exit 2.
    avro()
        .arg("register")
        .arg(refs.join("order.avsc"))
        .args(["-s", "orders-value", "--reference", "shop.Money=nosuch"])
        .args(["--registry", &server.url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nosuch"));
    // With it, the file parses with the registered Money (checked locally),
    // and is sent with the reference pinned to Money's version. Departure:
    // rivven-schema does not resolve references and refuses the schema with
    // 42201 (Confluent registers it); the error says so and what to do.
    avro()
        .arg("register")
        .arg(refs.join("order.avsc"))
        .args(["-s", "orders-value", "--reference", "shop.Money=shop.Money"])
        .args(["--registry", &server.url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("42201"))
        .stderr(predicate::str::contains("subject \"orders-value\""))
        .stderr(predicate::str::contains("--reference"));
    // A malformed reference is a usage error.
    avro()
        .arg("register")
        .arg(refs.join("order.avsc"))
        .args(["-s", "orders-value", "--reference", "shop.Money"])
        .args(["--registry", &server.url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NAME=SUBJECT[:VERSION]"));
}

#[test]
fn tojson_reads_a_confluent_message_with_the_writer_schema_from_the_registry() {
    let server = rivven::Server::start();
    let (v1, _) = register_history(&server);
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("user.jsonl");
    let datum = json!({"name": "Ada", "age": 36});
    std::fs::write(&jsonl, format!("{datum}\n")).unwrap();
    let raw = dir.path().join("user.bin");
    avro()
        .arg("fromjson")
        .arg(&jsonl)
        .arg("--schema")
        .arg(compat("user_v1.avsc"))
        .arg("--raw")
        .arg("-o")
        .arg(&raw)
        .assert()
        .success();
    let mut message = vec![0u8];
    message.extend_from_slice(&(v1 as u32).to_be_bytes());
    message.extend(std::fs::read(&raw).unwrap());
    let framed = dir.path().join("message.bin");
    std::fs::write(&framed, &message).unwrap();

    let out = run(
        avro().arg("tojson").arg(&framed).args([
            "--framing",
            "confluent",
            "--registry",
            &server.url,
        ]),
        0,
    );
    assert_eq!(json_lines(&out), vec![datum.clone()]);
    // Read as v2 (resolution: email takes its default).
    let out = run(
        avro()
            .arg("tojson")
            .arg(&framed)
            .args(["--framing", "confluent", "--registry", &server.url])
            .arg("--reader-schema")
            .arg(compat("user_v2.avsc")),
        0,
    );
    assert_eq!(
        json_lines(&out),
        vec![json!({"name": "Ada", "age": 36, "email": null})]
    );
    // An id the registry does not have.
    message[1..5].copy_from_slice(&4242u32.to_be_bytes());
    std::fs::write(&framed, &message).unwrap();
    avro()
        .arg("tojson")
        .arg(&framed)
        .args(["--framing", "confluent", "--registry", &server.url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("schema 4242"));
    // No registry and no --schema: says where the schema may come from.
    avro()
        .arg("tojson")
        .arg(&framed)
        .args(["--framing", "confluent"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--schema FILE or the registry"))
        .stderr(predicate::str::contains("SCHEMA_REGISTRY_URL"));
}

#[test]
fn every_interop_confluent_message_reads_back_with_its_schema_from_the_registry() {
    // Each ../shared/interop case with a Confluent vector: its schema
    // registered (by `cargo avro register`) under the vector's subject, the
    // message's id rewritten to the id this registry gave, and `tojson`
    // fetching the writer schema by that id prints the case's datum.
    let server = rivven::Server::start();
    let dir = tempfile::tempdir().unwrap();
    let mut f = Failures::default();
    let mut checked = 0;
    for case in interop_cases() {
        let (bin, meta) = (case.join("confluent.bin"), case.join("confluent.json"));
        if !(bin.exists() && meta.exists()) {
            continue;
        }
        checked += 1;
        let meta = read_json(&meta);
        let subject = meta["subject"].as_str().unwrap();
        let index = meta["datum_index"].as_u64().unwrap_or(0) as usize;
        let expected = read_json(&case.join("data.json"))[index].clone();
        let out = avro()
            .args(["--format", "json", "register", "--subject", subject])
            .arg(case.join("schema.avsc"))
            .args(["--registry", &server.url])
            .output()
            .unwrap();
        let Ok(report) = serde_json::from_slice::<Value>(&out.stdout) else {
            f.check(false, || {
                format!(
                    "{}: register: {}",
                    name(&case),
                    String::from_utf8_lossy(&out.stderr)
                )
            });
            continue;
        };
        let id = report[0]["id"].as_u64().unwrap() as u32;
        let mut message = std::fs::read(&bin).unwrap();
        message[1..5].copy_from_slice(&id.to_be_bytes());
        let framed = dir.path().join(format!("{}.bin", name(&case)));
        std::fs::write(&framed, &message).unwrap();
        let out = avro()
            .arg("tojson")
            .arg(&framed)
            .args(["--framing", "confluent", "--registry", &server.url])
            .output()
            .unwrap();
        let got = json_lines(&out.stdout);
        f.check(out.status.success() && got == [expected.clone()], || {
            format!(
                "{}: {got:?}, expected {expected}: {}",
                name(&case),
                String::from_utf8_lossy(&out.stderr)
            )
        });
    }
    f.finish(checked);
}

/// A URL on 127.0.0.1 where nothing listens.
fn dead_url(credentials: &str) -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://{credentials}127.0.0.1:{port}")
}

#[test]
fn a_registry_that_is_down_exits_2_with_a_clear_message_and_no_credentials() {
    let url = dead_url("");
    for args in [
        vec!["subjects"],
        vec!["versions", "users-value"],
        vec!["get", "users-value"],
        vec!["config"],
    ] {
        avro()
            .args(&args)
            .args(["--registry", &url])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot connect"))
            .stderr(predicate::str::contains(&url))
            .stderr(predicate::str::contains("--registry URL"));
    }
    // The URL from the environment, with credentials in it and in the
    // basic-auth variable: neither secret is printed.
    let url = dead_url("alice:s3cret-pw@");
    avro()
        .arg("subjects")
        .env("SCHEMA_REGISTRY_URL", &url)
        .env("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "bob:t0p-secret")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot connect"))
        .stderr(predicate::str::contains("s3cret-pw").not())
        .stderr(predicate::str::contains("t0p-secret").not())
        .stderr(predicate::str::contains("alice").not());
    // --help shows the variables but never their values.
    avro()
        .args(["subjects", "--help"])
        .env("SCHEMA_REGISTRY_BEARER_TOKEN", "tok-123-secret")
        .assert()
        .success()
        .stdout(predicate::str::contains("SCHEMA_REGISTRY_BEARER_TOKEN"))
        .stdout(predicate::str::contains("tok-123-secret").not());
}

#[test]
fn missing_or_bad_registry_arguments_exit_2() {
    // No URL at all.
    avro()
        .arg("subjects")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no schema registry URL"))
        .stderr(predicate::str::contains("SCHEMA_REGISTRY_URL"));
    // Not an http(s) URL.
    avro()
        .args(["subjects", "--registry", "localhost:8081"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("http://"));
    // Basic auth without a colon: refused, the value not echoed.
    avro()
        .args(["subjects", "--registry", "http://127.0.0.1:1"])
        .args(["--basic-auth", "justakey"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("USER:PASSWORD"))
        .stderr(predicate::str::contains("justakey").not());
    // Usage errors: no subject strategy, two strategies, get with neither
    // subject nor id, --remote without --subject, check with neither
    // --previous nor --subject.
    let v1 = compat("user_v1.avsc");
    for args in [
        vec!["register", path(&v1)],
        vec!["register", path(&v1), "-s", "a", "--record-name"],
        vec!["get"],
        vec!["get", "s", "--id", "3"],
        vec!["get", "s", "zero"],
        vec!["check", path(&v1), "--remote"],
        vec!["check", path(&v1)],
        vec!["check", path(&v1), "-p", path(&v1), "--subject", "s"],
        vec!["canonical"],
    ] {
        avro()
            .args(&args)
            .args(["--registry", "http://127.0.0.1:1"])
            .assert()
            .code(2)
            .stderr(predicate::str::is_empty().not());
    }
}
