//! Every message of `avro_build::Error`, spelled out, and each variant's
//! source: the type implements Display and Error by hand (no thiserror,
//! which would put syn on every user's build.rs path), and this pins what
//! it says.

use std::error::Error as _;
use std::path::PathBuf;

use avro_build::registry::gate::GateProblem;
use avro_build::{Error, GateReport};
use avro_codegen::CodegenError;
use avro_runtime::compat::{CompatibilityLevel, Direction, Problem};
use avro_runtime::resolve::{Incompatibility, IncompatibilityKind};
use avro_schema::{Diagnostics, SchemaError, Severity};

fn schema_error(line: usize, message: &str) -> SchemaError {
    SchemaError {
        source_name: "schemas/a.avsc".into(),
        line,
        column: 3,
        pointer: "/fields/0/type".into(),
        message: message.into(),
        span: 0..1,
        severity: Severity::Error,
        detail: Box::default(),
    }
}

/// The message and the source's message.
fn said(e: &Error) -> (String, Option<String>) {
    (e.to_string(), e.source().map(|s| s.to_string()))
}

#[test]
fn messages_and_sources() {
    // The field named `source` is the source.
    let e = Error::Io {
        path: PathBuf::from("schemas"),
        source: std::io::Error::other("gone"),
    };
    assert_eq!(said(&e), ("schemas: gone".into(), Some("gone".into())));

    let diagnostics = Diagnostics {
        errors: vec![schema_error(1, "unknown type"), schema_error(2, "bad name")],
        warnings: vec![],
    };
    let text = diagnostics.to_string();
    let e = Error::Schema {
        diagnostics,
        sources: vec![],
    };
    assert_eq!(said(&e), (text, None));

    let e = Error::from(CodegenError::Collision("a.B and a_b.B".into()));
    assert!(matches!(e, Error::Codegen(_)));
    assert_eq!(
        said(&e),
        (
            "name collision: a.B and a_b.B".into(),
            Some("name collision: a.B and a_b.B".into())
        )
    );

    let e = Error::NoSchemas("schemas, more".into());
    assert_eq!(
        said(&e),
        (
            "no schema files (*.avsc, *.avpr, *.avdl) found in schemas, more".into(),
            None
        )
    );

    assert_eq!(
        said(&Error::NoOutDir),
        (
            "OUT_DIR is not set: call out_dir() when not running in a build script".into(),
            None
        )
    );

    let e = Error::Lock {
        problems: vec!["one".into(), "two".into()],
        hint: "run `cargo avro pull`".into(),
    };
    assert_eq!(
        said(&e),
        ("one\ntwo\nhelp: run `cargo avro pull`".into(), None)
    );

    let problem = |line| GateProblem {
        file: PathBuf::from("schemas/a.avsc"),
        subject: "a-value".into(),
        level: CompatibilityLevel::Backward,
        version: 1,
        id: 7,
        problem: Problem {
            version_index: 0,
            direction: Direction::NewReadsPrevious,
            incompatibility: Incompatibility {
                kind: IncompatibilityKind::TypeMismatch,
                location: "/fields/0/type".into(),
                message: "int is not string".into(),
            },
        },
        diagnostic: schema_error(line, "breaks version 1"),
    };
    let report = GateReport {
        problems: vec![problem(1), problem(2)],
        ..GateReport::default()
    };
    let text = format!(
        "{}\n{}",
        report.problems[0].diagnostic, report.problems[1].diagnostic
    );
    let e = Error::Incompatible(Box::new(report));
    assert_eq!(said(&e), (text, None));

    let e = Error::Config {
        what: "avro.toml".into(),
        message: "unknown key".into(),
    };
    assert_eq!(said(&e), ("avro.toml: unknown key".into(), None));

    // A tuple field is no source.
    let e = Error::Registry("connection refused".into());
    assert_eq!(said(&e), ("connection refused".into(), None));

    // The field named `source` is the source (the boxed error itself).
    let e = Error::Pull {
        subject: "a-value".into(),
        source: "timed out".into(),
    };
    assert_eq!(
        said(&e),
        (
            r#"pulling subject "a-value" failed (avro.lock and the cache are unchanged): timed out"#
                .into(),
            Some("timed out".into())
        )
    );

    let e = Error::SubjectNotFound {
        subject: "a-value".into(),
        url: "http://localhost:8081".into(),
    };
    assert_eq!(
        said(&e),
        (
            r#"subject "a-value" does not exist on the registry http://localhost:8081 (or has no versions); avro.lock and the cache are unchanged"#.into(),
            None
        )
    );

    assert_eq!(
        said(&Error::PullUnavailable),
        (
            "AVRO_PULL is set, but avro-build was built without its `registry` feature: add `features = [\"registry\"]` to the avro-build build-dependency, or run `cargo avro pull`".into(),
            None
        )
    );
}
