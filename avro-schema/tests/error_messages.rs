//! `IdlError`'s messages and sources: it implements Display and Error by
//! hand (no thiserror, which would put syn on every user's build.rs path),
//! and this pins what it says.

use std::error::Error as _;
use std::path::PathBuf;

use avro_schema::idl::IdlError;
use avro_schema::SchemaSet;

#[test]
fn idl_errors() {
    let schema_error = SchemaSet::parse_str(r#"{"type": "nope"}"#).unwrap_err();
    let text = schema_error.to_string();
    let e = IdlError::from(schema_error);
    assert!(matches!(e, IdlError::Schema(_)));
    assert_eq!(e.to_string(), text);
    assert_eq!(e.source().map(|s| s.to_string()), Some(text));

    // The field named `source` is the error's source.
    let e = IdlError::Io {
        path: PathBuf::from("schemas/a.avdl"),
        source: std::io::Error::other("gone"),
    };
    assert_eq!(e.to_string(), "schemas/a.avdl: gone");
    assert_eq!(e.source().map(|s| s.to_string()), Some("gone".to_owned()));
}
