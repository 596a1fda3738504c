//! What the integration tests share: the built binary, the shared test
//! material, and the interop cases discovered from its directory.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

include!("../../../support/shared_dir.rs");

/// The built `cargo-avro`, run as cargo runs it (`cargo-avro avro ...`) or
/// directly.
pub fn cargo_avro() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cargo-avro"))
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every case directory of `../shared/interop`, sorted.
pub fn interop_cases() -> Vec<PathBuf> {
    let dir = shared_dir().join("interop");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("schema.avsc").is_file())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no interop cases in {}", dir.display());
    cases
}

pub fn name(case: &Path) -> String {
    case.file_name().unwrap().to_string_lossy().into_owned()
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each stdout line parsed as JSON.
pub fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Runs the command, expecting exit code `code`; returns stdout.
pub fn run(cmd: &mut Command, code: i32) -> Vec<u8> {
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{cmd:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Collects failures instead of stopping at the first, so one run names
/// every failing case.
#[derive(Default)]
pub struct Failures(Vec<String>);

impl Failures {
    pub fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }
    pub fn finish(self, checked: usize) {
        assert!(checked > 0, "no cases were checked");
        assert!(
            self.0.is_empty(),
            "{} of {checked} failed:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}
