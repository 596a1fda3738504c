//! The MockRegistry's own rules, each with Confluent's error code: ids
//! shared across subjects, lookups with and without normalization, soft and
//! permanent deletes in order, subject levels and modes, READONLY, IMPORT
//! with given ids.

use avro_registry::{
    CompatibilityLevel, ErrorCode, MockRegistry, Mode, RegisterRequest, Registry, Schema, Version,
};
use avro_runtime::AvroSchema;

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

use student_v1::school::Student as V1;
use student_v2::school::Student as V2;
use student_v3::school::Student as V3;

fn code(e: &avro_registry::Error) -> ErrorCode {
    e.code().unwrap_or_else(|| panic!("no error code in {e}"))
}

#[tokio::test]
async fn mock_answers_with_confluents_error_codes() {
    let r = MockRegistry::new();
    let s = Schema::of::<V1>();
    assert_eq!(
        code(&r.versions("nope").await.unwrap_err()),
        ErrorCode::SubjectNotFound
    );
    assert_eq!(
        code(&r.version("nope", Version::Latest).await.unwrap_err()),
        ErrorCode::SubjectNotFound
    );
    assert_eq!(
        code(&r.schema_by_id(99).await.unwrap_err()),
        ErrorCode::SchemaNotFound
    );
    assert_eq!(
        code(&r.lookup("nope", &s, false, false).await.unwrap_err()),
        ErrorCode::SubjectNotFound
    );
    let id = r.register("s", &s.clone().into(), false).await.unwrap();
    assert_eq!(
        r.register("s", &s.clone().into(), false).await.unwrap(),
        id,
        "same schema, same id"
    );
    assert_eq!(
        r.register("s2", &s.clone().into(), false).await.unwrap(),
        id,
        "same id across subjects"
    );
    assert_eq!(
        code(&r.version("s", Version::Number(7)).await.unwrap_err()),
        ErrorCode::VersionNotFound
    );
    let found = r.lookup("s", &s, false, false).await.unwrap();
    assert_eq!((found.id, found.version), (id, 1));
    assert_eq!(
        code(
            &r.lookup("s", &Schema::of::<V2>(), false, false)
                .await
                .unwrap_err()
        ),
        ErrorCode::SchemaNotFound
    );
    // Whitespace differs: found with or without normalize; a doc differs: only normalized.
    let spaced = Schema::avro(V1::schema().replace("\":", "\" :  "));
    assert_eq!(r.lookup("s", &spaced, false, false).await.unwrap().id, id);
    let doc = Schema::avro(V1::schema().replace("first version", "1st version"));
    assert!(r.lookup("s", &doc, false, false).await.is_err());
    assert_eq!(r.lookup("s", &doc, true, false).await.unwrap().id, id);

    assert_eq!(
        code(
            &r.register("s", &Schema::avro("{\"type\":").into(), false)
                .await
                .unwrap_err()
        ),
        ErrorCode::InvalidSchema
    );
    assert_eq!(
        code(&r.compatibility(Some("s")).await.unwrap_err()),
        ErrorCode::SubjectCompatibilityNotConfigured
    );
    assert_eq!(
        code(&r.mode(Some("s")).await.unwrap_err()),
        ErrorCode::SubjectModeNotConfigured
    );
    assert_eq!(
        r.compatibility(None).await.unwrap(),
        CompatibilityLevel::Backward
    );

    // Deletes: soft first, then permanent; each wrong order has its code.
    assert_eq!(
        code(&r.delete_subject("s", true).await.unwrap_err()),
        ErrorCode::SubjectNotSoftDeleted
    );
    assert_eq!(
        code(
            &r.delete_version("s", Version::Number(1), true)
                .await
                .unwrap_err()
        ),
        ErrorCode::SchemaVersionNotSoftDeleted
    );
    assert_eq!(r.delete_subject("s", false).await.unwrap(), [1]);
    assert_eq!(
        code(&r.delete_subject("s", false).await.unwrap_err()),
        ErrorCode::SubjectSoftDeleted
    );
    assert_eq!(
        code(
            &r.delete_version("s", Version::Number(1), false)
                .await
                .unwrap_err()
        ),
        ErrorCode::SchemaVersionSoftDeleted
    );
    assert_eq!(
        code(&r.versions("s").await.unwrap_err()),
        ErrorCode::SubjectNotFound
    );
    assert_eq!(
        r.lookup("s", &s, false, true).await.unwrap().version,
        1,
        "deleted=true finds it"
    );
    assert_eq!(r.delete_subject("s", true).await.unwrap(), [1]);
    assert_eq!(r.subjects().await.unwrap(), ["s2"]);

    // Modes: read-only refuses registration; an id outside IMPORT is refused; ids must match.
    r.set_mode(Some("ro"), Mode::ReadOnly, false).await.unwrap();
    assert_eq!(
        code(
            &r.register("ro", &s.clone().into(), false)
                .await
                .unwrap_err()
        ),
        ErrorCode::OperationNotPermitted
    );
    let with_id = RegisterRequest {
        id: Some(50),
        ..RegisterRequest::from(Schema::of::<V2>())
    };
    assert_eq!(
        code(&r.register("x", &with_id, false).await.unwrap_err()),
        ErrorCode::OperationNotPermitted
    );
    assert_eq!(
        code(&r.set_mode(None, Mode::Import, false).await.unwrap_err()),
        ErrorCode::OperationNotPermitted
    );
    r.set_mode(None, Mode::Import, true).await.unwrap();
    assert_eq!(r.register("x", &with_id, false).await.unwrap(), 50);
    let clash = RegisterRequest {
        id: Some(50),
        ..RegisterRequest::from(Schema::of::<V3>())
    };
    assert_eq!(
        code(&r.register("y", &clash, false).await.unwrap_err()),
        ErrorCode::IdDoesNotMatch
    );
    let e = r.register("y", &clash, false).await.unwrap_err();
    assert_eq!(
        (e.status(), e.code().map(|c| c.number())),
        (Some(422), Some(42207))
    );
    assert!(
        e.to_string().contains("mock://") && e.to_string().contains("\"y\""),
        "{e}"
    );
}
