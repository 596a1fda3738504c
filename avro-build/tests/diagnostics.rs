//! Snapshot tests of schema diagnostics as a user sees them: each directory
//! of `tests/diagnostics/cases` is one build (every schema file in it,
//! through `Config`), and each file of `../shared/corpus/invalid` is loaded
//! on its own; the rendered errors and warnings must equal the checked-in
//! `.stderr` snapshot. After an intended change, run
//! `UPDATE_GOLDEN=1 cargo test -p avro-build --test diagnostics` and review
//! the diff. A case or file without a snapshot fails (and gets one with
//! `UPDATE_GOLDEN=1`).
//!
//! Also: `compile_or_exit` prints the diagnostics and exits with status 1,
//! without a panic message.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use avro_build::{diagnostics, Config, Error};
use avro_codegen::{SchemaSet, Source};

include!("../../support/shared_dir.rs");

fn snapshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics")
}

/// Compares `actual` with the snapshot `name`, or writes it with
/// UPDATE_GOLDEN; returns a description of the difference.
fn check_snapshot(name: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::create_dir_all(name.parent().unwrap()).unwrap();
        fs::write(name, actual).unwrap();
        return Ok(());
    }
    match fs::read_to_string(name) {
        Ok(expected) if expected == actual => Ok(()),
        Ok(expected) => Err(format!(
            "{} differs:\n--- expected\n{expected}\n--- actual\n{actual}",
            name.display()
        )),
        Err(_) => Err(format!("{} is missing; actual:\n{actual}", name.display())),
    }
}

/// Renders one case directory's build: its errors, or its warnings.
fn render_case(dir: &Path) -> String {
    // Relative to the package (the tests' working directory), so that
    // snapshots name `tests/diagnostics/cases/...` wherever the repository is.
    let rel = dir
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .to_owned();
    let out = tempfile::tempdir().unwrap();
    match Config::new()
        .schema_dir(&rel)
        .out_dir(out.path())
        .quiet(true)
        .compile()
    {
        Ok(outcome) => {
            let mut s = outcome.rendered_warnings.join("\n\n");
            s.push_str(&format!(
                "\n\n(generated; {} warnings)\n",
                outcome.rendered_warnings.len()
            ));
            s
        }
        Err(e @ Error::Schema { .. }) => e.render(),
        Err(other) => panic!("{}: not a schema error: {other}", dir.display()),
    }
}

#[test]
fn bad_schema_cases_render_as_compiler_diagnostics() {
    let cases = snapshots().join("cases");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|dir| {
            let actual = render_case(dir);
            check_snapshot(&dir.with_extension("stderr"), &actual).err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else if p.file_name().is_some_and(|n| n != "README.md") {
            out.push(p);
        }
    }
}

#[test]
fn invalid_corpus_schemas_render_as_compiler_diagnostics() {
    let corpus = shared_dir().join("corpus");
    let mut files = Vec::new();
    files_under(&corpus.join("invalid"), &mut files);
    files.sort();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&corpus).unwrap().display().to_string();
        let text = fs::read_to_string(f).unwrap();
        let sources = vec![Source::new(rel.clone(), text)];
        let rendered = match SchemaSet::load_all(sources.clone()) {
            Ok(_) => {
                failures.push(format!("{rel}: accepted"));
                continue;
            }
            Err(d) => diagnostics::render_all(&d.errors, &d.warnings, &sources),
        };
        // Every error has a caret under the source.
        if !rendered.contains('^') {
            failures.push(format!("{rel}: no caret in\n{rendered}"));
        }
        let snapshot = snapshots()
            .join("invalid")
            .join(format!("{}.stderr", rel.trim_start_matches("invalid/")));
        if let Err(e) = check_snapshot(&snapshot, &rendered) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Run in a child process by `compile_or_exit_prints_and_exits`.
#[test]
fn compile_or_exit_child() {
    let Some(dir) = std::env::var_os("AVRO_BUILD_EXIT_CASE") else {
        return; // only meaningful as the child
    };
    let out = tempfile::tempdir().unwrap();
    Config::new()
        .schema_dir(dir)
        .out_dir(out.path())
        .compile_or_exit();
    println!("compile_or_exit returned");
}

#[test]
fn compile_or_exit_prints_and_exits() {
    let case = snapshots().join("cases/unknown_name");
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "compile_or_exit_child", "--nocapture"])
        .env("AVRO_BUILD_EXIT_CASE", &case)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&child.stderr);
    let stdout = String::from_utf8_lossy(&child.stdout);
    assert_eq!(child.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("help: did you mean `Superpower`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: could not generate code: 2 schema errors"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    assert!(!stdout.contains("compile_or_exit returned"), "{stdout}");
    // The build script protocol still reached cargo.
    assert!(stdout.contains("cargo:rerun-if-changed="), "{stdout}");
}

#[test]
fn compile_or_exit_shows_warnings_as_cargo_warning_lines() {
    let case = snapshots().join("cases/misspelled_logical_type");
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "compile_or_exit_child", "--nocapture"])
        .env("AVRO_BUILD_EXIT_CASE", &case)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    assert!(child.status.success(), "{stdout}");
    assert!(stdout.contains("compile_or_exit returned"), "{stdout}");
    assert!(
        stdout.contains("cargo:warning=  = help: did you mean `timestamp-millis`?"),
        "{stdout}"
    );
}
