//! `canonical` and `fingerprint` against every interop case's expected
//! files, and schema errors: exit 2 with file:line:col.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn canonical_form_of_every_interop_schema_equals_canonical_txt() {
    let mut f = Failures::default();
    let cases = interop_cases();
    for case in &cases {
        let expected = std::fs::read_to_string(case.join("canonical.txt")).unwrap();
        let out = run(
            cargo_avro().arg("canonical").arg(case.join("schema.avsc")),
            0,
        );
        let got = String::from_utf8(out).unwrap();
        f.check(got.trim_end() == expected.trim_end(), || {
            format!("{}: got {got} expected {expected}", name(case))
        });
    }
    f.finish(cases.len());
}

#[test]
fn fingerprints_of_every_interop_schema_equal_fingerprint_txt() {
    let mut f = Failures::default();
    let cases = interop_cases();
    for case in &cases {
        let out = run(
            cargo_avro()
                .args(["avro", "--format", "json", "fingerprint"])
                .arg(case.join("schema.avsc")),
            0,
        );
        let got: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let text = std::fs::read_to_string(case.join("fingerprint.txt")).unwrap();
        for line in text.lines() {
            let (key, value) = line.split_once('=').unwrap();
            let ours = match &got["crc64"][key] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            f.check(ours == value, || {
                format!("{}: crc64 {key}: got {ours}, expected {value}", name(case))
            });
        }
        // MD5 and SHA-256 are of the same canonical form; check their shape
        // and that hex and decimal agree.
        for (alg, len) in [("md5", 32), ("sha256", 64)] {
            let hex = got[alg]["hex"].as_str().unwrap_or_default();
            f.check(hex.len() == len, || {
                format!("{}: {alg} hex {hex:?}", name(case))
            });
        }
        let md5_hex = got["md5"]["hex"].as_str().unwrap_or_default();
        let md5_dec: u128 = got["md5"]["decimal"]
            .as_str()
            .unwrap_or("0")
            .parse()
            .unwrap();
        f.check(
            u128::from_str_radix(md5_hex, 16).ok() == Some(md5_dec),
            || {
                format!(
                    "{}: md5 hex {md5_hex} and decimal {md5_dec} disagree",
                    name(case)
                )
            },
        );
    }
    f.finish(cases.len());
}

#[test]
fn md5_and_sha256_are_of_the_canonical_form() {
    // Known digests of this fixture's canonical form `"int"`.
    let file = fixtures().join("int.avsc");
    let out = run(
        cargo_avro()
            .args([
                "--format",
                "json",
                "fingerprint",
                "-a",
                "md5",
                "-a",
                "sha256",
            ])
            .arg(&file),
        0,
    );
    let got: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(got["md5"]["hex"], "ef524ea1b91e73173d938ade36c1db32");
    assert_eq!(
        got["sha256"]["hex"],
        "3f2b87a9fe7cc9b13835598c3981cd45e3e355309e5090aa0933d7becb6fba45"
    );
    assert!(got.get("crc64").is_none(), "{got}");
}

#[test]
fn a_bad_schema_exits_2_naming_file_line_and_column() {
    let file = fixtures().join("bad/unknown_type.avsc");
    for cmd in ["canonical", "fingerprint"] {
        cargo_avro()
            .arg(cmd)
            .arg(&file)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("unknown_type.avsc:4:30"))
            .stderr(predicate::str::contains("unknown type \"Adress\""));
    }
}

#[test]
fn a_protocol_needs_a_name_and_takes_one() {
    let file = fixtures().join("shop.avpr");
    cargo_avro()
        .arg("canonical")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--name"));
    cargo_avro()
        .args(["canonical", "--name", "shop.Item"])
        .arg(&file)
        .assert()
        .success()
        .stdout("{\"name\":\"shop.Item\",\"type\":\"record\",\"fields\":[{\"name\":\"sku\",\"type\":\"string\"}]}\n");
    cargo_avro()
        .args(["canonical", "--name", "shop.Nope"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shop.Item, shop.Order"));
}

#[test]
fn imports_define_referenced_types() {
    let file = fixtures().join("refs/order.avsc");
    cargo_avro()
        .arg("canonical")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("order.avsc"))
        .stderr(predicate::str::contains("shop.Money"));
    cargo_avro()
        .arg("canonical")
        .arg(&file)
        .arg("-I")
        .arg(fixtures().join("refs/common"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "{\"name\":\"shop.Money\",\"type\":\"record\"",
        ));
}

#[test]
fn usage_errors_and_missing_files_exit_2() {
    cargo_avro().arg("canonical").assert().code(2);
    cargo_avro().arg("no-such-command").assert().code(2);
    cargo_avro()
        .args(["canonical", "/no/such/schema.avsc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read /no/such/schema.avsc"));
}

#[test]
fn every_subcommand_has_help_with_examples() {
    let out = run(cargo_avro().arg("--help"), 0);
    let help = String::from_utf8(out).unwrap();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 10, "{commands:?}");
    for c in commands {
        let out = run(cargo_avro().args(["avro", c, "--help"]), 0);
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("Examples:"),
            "{c} --help has no examples:\n{text}"
        );
    }
}

#[test]
fn cargo_runs_it_as_a_subcommand() {
    // `cargo avro ...` finds `cargo-avro` on PATH and passes `avro` first.
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_cargo-avro"))
        .parent()
        .unwrap()
        .to_owned();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let out = std::process::Command::new(env!("CARGO"))
        .args(["avro", "canonical"])
        .arg(fixtures().join("int.avsc"))
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "\"int\"\n");
}
