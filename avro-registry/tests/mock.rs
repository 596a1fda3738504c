//! The serializer pair on the MockRegistry: the Student story (with
//! compatibility enforced, 409 for v3), every framing and its errors, the
//! plan and id caches, references, subject name and id strategies, sharing
//! across tasks, and the blocking facade. The mock's own rules and codes are
//! in mock_rules.rs.

use avro_registry::serde::wire;
use avro_registry::{
    blocking, CompatibilityLevel, Deserializer, ErrorCode, IdStrategy, MockRegistry, Registry,
    Schema, SchemaReference, SerdeError, Serializer, SerializerConfig, SubjectNameStrategy,
    Version,
};
use avro_runtime::AvroSchema;

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

use student_v1::school::Student as V1;
use student_v2::school::Student as V2;
use student_v3::school::Student as V3;

const SUBJECT: &str = "students-value";

fn code(e: &avro_registry::Error) -> ErrorCode {
    e.code().unwrap_or_else(|| panic!("no error code in {e}"))
}

fn registry_code(e: SerdeError) -> ErrorCode {
    match e {
        SerdeError::Registry(e) => code(&e),
        other => panic!("expected a registry error, got {other}"),
    }
}

#[tokio::test]
async fn student_story_v1_producer_v2_consumer_v3_refused() {
    let registry = MockRegistry::new();
    let v1_producer = Serializer::<V1, _>::new(registry.clone()).unwrap();
    let old = v1_producer
        .serialize(
            "students",
            &V1 {
                name: "Ada".into(),
                class: 3,
            },
        )
        .await
        .unwrap();
    let id1 = v1_producer.schema_id("students").await.unwrap();
    assert_eq!(&old[..5], &[0, 0, 0, 0, id1 as u8]);

    registry
        .set_compatibility(Some(SUBJECT), CompatibilityLevel::Backward)
        .await
        .unwrap();
    let v2_producer = Serializer::<V2, _>::new(registry.clone()).unwrap();
    let new = v2_producer
        .serialize(
            "students",
            &V2 {
                first_name: Some("Grace".into()),
                last_name: Some("Hopper".into()),
                class: 5,
            },
        )
        .await
        .unwrap();
    let id2 = v2_producer.schema_id("students").await.unwrap();
    assert_ne!(id1, id2);
    assert_eq!(registry.versions(SUBJECT).await.unwrap(), [1, 2]);

    let consumer = Deserializer::<V2, _>::new(registry.clone()).unwrap();
    let from_old = consumer.deserialize(&old).await.unwrap();
    assert_eq!(
        from_old,
        V2 {
            first_name: None,
            last_name: None,
            class: 3
        }
    );
    let from_new = consumer.deserialize(&new).await.unwrap();
    assert_eq!(from_new.first_name.as_deref(), Some("Grace"));
    assert_eq!(from_new.class, 5);

    // v3 changes `class` to a string without a default: refused with 409.
    let v3_producer = Serializer::<V3, _>::new(registry.clone()).unwrap();
    let err = v3_producer
        .serialize(
            "students",
            &V3 {
                first_name: None,
                last_name: None,
                class: "x".into(),
            },
        )
        .await
        .unwrap_err();
    let SerdeError::Registry(err) = err else {
        panic!("{err}")
    };
    assert_eq!(code(&err), ErrorCode::IncompatibleSchema);
    assert_eq!(err.status(), Some(409));
    let text = err.to_string();
    assert!(
        text.contains("students-value") && text.contains("40901"),
        "{text}"
    );
    let verdict = registry
        .test_compatibility(SUBJECT, Version::Latest, &Schema::of::<V3>(), true)
        .await
        .unwrap();
    assert!(!verdict.is_compatible);
    assert!(
        verdict.messages.iter().any(|m| m.contains("TYPE_MISMATCH")),
        "{verdict:?}"
    );
    assert_eq!(registry.versions(SUBJECT).await.unwrap(), [1, 2]);

    // The subject's level changed: NONE lets v3 in.
    registry
        .set_compatibility(Some(SUBJECT), CompatibilityLevel::None)
        .await
        .unwrap();
    assert_eq!(
        registry.compatibility(Some(SUBJECT)).await.unwrap(),
        CompatibilityLevel::None
    );
    v3_producer.schema_id("students").await.unwrap();
    assert_eq!(registry.versions(SUBJECT).await.unwrap(), [1, 2, 3]);
    // ... and a v2 consumer now meets data it cannot read: a clear error.
    let v3_bytes = v3_producer
        .serialize(
            "students",
            &V3 {
                first_name: None,
                last_name: None,
                class: "x".into(),
            },
        )
        .await
        .unwrap();
    let e = consumer.deserialize(&v3_bytes).await.unwrap_err();
    assert!(matches!(e, SerdeError::Incompatible { .. }), "{e}");
}

#[tokio::test]
async fn writer_schema_is_fetched_once_per_id() {
    let registry = MockRegistry::new();
    let producer = Serializer::<V1, _>::new(registry.clone()).unwrap();
    let msg = producer
        .serialize(
            "t",
            &V1 {
                name: "a".into(),
                class: 1,
            },
        )
        .await
        .unwrap();
    let consumer = Deserializer::<V2, _>::new(registry.clone()).unwrap();
    // Not cached yet: the synchronous path says so instead of fetching.
    assert!(consumer.deserialize_cached(&msg).is_none());
    let first = consumer.deserialize(&msg).await.unwrap();
    assert_eq!(consumer.deserialize_cached(&msg).unwrap().unwrap(), first);
    assert!(matches!(
        consumer.deserialize_cached(&[7, 0, 0]),
        Some(Err(SerdeError::WrongMagic { found: 7 }))
    ));
    let after_first = registry.calls();
    for _ in 0..100 {
        producer
            .serialize(
                "t",
                &V1 {
                    name: "b".into(),
                    class: 2,
                },
            )
            .await
            .unwrap();
        consumer.deserialize(&msg).await.unwrap();
    }
    assert_eq!(
        registry.calls(),
        after_first,
        "warm caches asked the registry again"
    );
}

#[tokio::test]
async fn many_writers_each_read_with_their_own_plan() {
    // More writers than the deserializer's lock-free slots: writer `n` has
    // `n` int fields before `class`, so a message read through another
    // writer's plan gives another class (or fails).
    let registry = MockRegistry::new();
    let consumer = Deserializer::<V2, _>::new(registry.clone()).unwrap();
    let mut ids = Vec::new();
    for n in 0..2 * avro_runtime::resolve::HOT_SLOTS {
        let extra: String = (0..n)
            .map(|i| format!(r#"{{"name":"f{i}","type":"int"}},"#))
            .collect();
        let schema = format!(
            r#"{{"type":"record","name":"Student","namespace":"school","fields":[{extra}{{"name":"class","type":"int"}}]}}"#
        );
        let id = registry
            .register(&format!("writer-{n}"), &Schema::avro(&schema).into(), false)
            .await
            .unwrap();
        ids.push(id);
    }
    for round in 0..3 {
        for (n, id) in ids.iter().enumerate() {
            let mut message = vec![0u8];
            message.extend_from_slice(&id.to_be_bytes());
            message.extend(std::iter::repeat_n(0u8, n));
            message.push(2 * n as u8);
            let v = consumer.deserialize(&message).await.unwrap();
            assert_eq!(v.class, n as i32, "writer {n}, round {round}");
        }
    }
}

#[tokio::test]
async fn framing_errors_are_clear() {
    let registry = MockRegistry::new();
    let consumer = Deserializer::<V2, _>::new(registry.clone()).unwrap();
    let e = consumer.deserialize(b"{\"json\":1}").await.unwrap_err();
    assert!(matches!(e, SerdeError::WrongMagic { found: b'{' }), "{e}");
    let e = consumer.deserialize(&[0, 0, 1]).await.unwrap_err();
    assert!(
        matches!(
            e,
            SerdeError::ShortBuffer {
                len: 3,
                need: 5,
                ..
            }
        ),
        "{e}"
    );
    let e = consumer.deserialize(&[]).await.unwrap_err();
    assert!(matches!(e, SerdeError::ShortBuffer { len: 0, .. }), "{e}");
    let e = consumer
        .deserialize(&[0, 0, 0, 0, 42, 2, b'a', 2])
        .await
        .unwrap_err();
    match &e {
        SerdeError::UnknownSchema { schema, source } => {
            assert_eq!(schema, "id 42");
            assert_eq!(source.code(), Some(ErrorCode::SchemaNotFound));
        }
        other => panic!("{other}"),
    }
    assert!(e.to_string().contains("id 42"), "{e}");
    // A known id with a truncated body: a decode error naming the schema.
    let producer = Serializer::<V1, _>::new(registry).unwrap();
    let msg = producer
        .serialize(
            "t",
            &V1 {
                name: "abc".into(),
                class: 1,
            },
        )
        .await
        .unwrap();
    let e = consumer
        .deserialize(&msg[..msg.len() - 2])
        .await
        .unwrap_err();
    assert!(matches!(e, SerdeError::Decode { .. }), "{e}");
}

#[tokio::test]
async fn guid_frames_and_schema_id_headers_are_read() {
    let registry = MockRegistry::new();
    let producer = Serializer::<V1, _>::new(registry.clone()).unwrap();
    let framed = producer
        .serialize(
            "t",
            &V1 {
                name: "Ada".into(),
                class: 3,
            },
        )
        .await
        .unwrap();
    let id = producer.schema_id("t").await.unwrap();
    let body = &framed[5..];
    let guid = registry.guid_of(id).unwrap();
    let consumer = Deserializer::<V2, _>::new(registry.clone()).unwrap();

    let mut guid_framed = wire::guid_header(guid).to_vec();
    guid_framed.extend_from_slice(body);
    assert_eq!(consumer.deserialize(&guid_framed).await.unwrap().class, 3);

    let header = wire::guid_header(guid);
    let headers = [
        ("trace", &b"x"[..]),
        (wire::VALUE_SCHEMA_ID_HEADER, &header[..]),
    ];
    let found = wire::find_schema_header(headers, false);
    assert_eq!(
        consumer
            .deserialize_with_header(found, body)
            .await
            .unwrap()
            .class,
        3
    );
    let id_header = [0, 0, 0, 0, id as u8];
    assert_eq!(
        consumer
            .deserialize_with_header(Some(&id_header), body)
            .await
            .unwrap()
            .class,
        3
    );
    // Without a header the payload must be framed.
    assert!(consumer
        .deserialize_with_header(None, &framed)
        .await
        .is_ok());
    let unknown = wire::guid_header(uuid::Uuid::from_u128(7));
    let e = consumer
        .deserialize_with_header(Some(&unknown), body)
        .await
        .unwrap_err();
    assert!(matches!(e, SerdeError::UnknownSchema { .. }), "{e}");
}

const ADDRESS: &str = r#"{"type":"record","name":"Address","namespace":"shop","fields":[{"name":"street","type":"string"},{"name":"city","type":"string"}]}"#;
const CUSTOMER: &str = r#"{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"name","type":"string"},{"name":"address","type":"shop.Address"}]}"#;

#[tokio::test]
async fn schema_references_are_fetched_and_parsed_together() {
    use customer::shop::{Address, Customer};
    let registry = MockRegistry::new();
    registry
        .register("address", &Schema::avro(ADDRESS).into(), false)
        .await
        .unwrap();
    let reference = SchemaReference {
        name: "shop.Address".into(),
        subject: "address".into(),
        version: 1,
    };
    let with_ref = Schema::avro(CUSTOMER).with_references(vec![reference]);
    let id = registry
        .register("customers-value", &with_ref.clone().into(), false)
        .await
        .unwrap();
    // Without its reference the schema does not parse: 42201.
    let e = registry
        .register("other", &Schema::avro(CUSTOMER).into(), false)
        .await
        .unwrap_err();
    assert_eq!(code(&e), ErrorCode::InvalidSchema);

    let parsed = avro_registry::references::load_schema(&registry, &with_ref, "customer")
        .await
        .unwrap();
    assert_eq!(parsed.fingerprint(), Customer::fingerprint());
    assert_eq!(
        registry
            .referenced_by("address", Version::Number(1))
            .await
            .unwrap(),
        [id]
    );

    let value = Customer {
        name: "Ada".into(),
        address: Address {
            street: "1 Main".into(),
            city: "London".into(),
        },
    };
    let body = avro_runtime::to_vec(&value).unwrap();
    let mut msg = vec![0, 0, 0, 0, id as u8];
    msg.extend_from_slice(&body);
    let consumer = Deserializer::<Customer, _>::new(registry.clone()).unwrap();
    assert_eq!(consumer.deserialize(&msg).await.unwrap(), value);

    // A producer of the self-contained type finds the id of the schema registered with references.
    let latest = SerializerConfig {
        id: IdStrategy::UseLatest,
        ..Default::default()
    };
    let producer = Serializer::<Customer, _>::with_config(registry.clone(), latest).unwrap();
    assert_eq!(producer.serialize("customers", &value).await.unwrap(), msg);
    // Referenced versions cannot be deleted while used.
    let e = registry
        .delete_version("address", Version::Number(1), false)
        .await
        .unwrap_err();
    assert_eq!(code(&e), ErrorCode::ReferenceExists);
}

#[tokio::test]
async fn subject_name_strategies_and_id_strategies() {
    let r = MockRegistry::new();
    let value = V1 {
        name: "a".into(),
        class: 1,
    };
    for (strategy, subject) in [
        (SubjectNameStrategy::RecordName, "school.Student"),
        (
            SubjectNameStrategy::TopicRecordName,
            "orders-school.Student",
        ),
    ] {
        let config = SerializerConfig {
            subject_name: strategy,
            ..Default::default()
        };
        let s = Serializer::<V1, _>::with_config(r.clone(), config).unwrap();
        s.serialize("orders", &value).await.unwrap();
        assert_eq!(r.versions(subject).await.unwrap(), [1], "{strategy:?}");
    }
    let key = Serializer::<V1, _>::with_config(
        r.clone(),
        SerializerConfig {
            is_key: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(key.subject("orders").unwrap(), "orders-key");

    // Lookup: the schema must be registered already.
    let lookup = SerializerConfig {
        id: IdStrategy::Lookup { normalize: false },
        ..Default::default()
    };
    let s = Serializer::<V1, _>::with_config(r.clone(), lookup).unwrap();
    assert_eq!(
        registry_code(s.serialize("fresh", &value).await.unwrap_err()),
        ErrorCode::SubjectNotFound
    );
    r.register("fresh-value", &Schema::of::<V1>().into(), false)
        .await
        .unwrap();
    let id = r
        .lookup("fresh-value", &Schema::of::<V1>(), false, false)
        .await
        .unwrap()
        .id;
    assert_eq!(s.schema_id("fresh").await.unwrap(), id);

    // Latest: must be the type's own schema.
    let latest = SerializerConfig {
        id: IdStrategy::UseLatest,
        ..Default::default()
    };
    let s1 = Serializer::<V1, _>::with_config(r.clone(), latest).unwrap();
    assert_eq!(s1.schema_id("fresh").await.unwrap(), id);
    r.set_compatibility(Some("fresh-value"), CompatibilityLevel::None)
        .await
        .unwrap();
    r.register("fresh-value", &Schema::of::<V3>().into(), false)
        .await
        .unwrap();
    let s2 = Serializer::<V1, _>::with_config(r.clone(), latest).unwrap();
    let e = s2.serialize("fresh", &value).await.unwrap_err();
    assert!(matches!(e, SerdeError::SchemaMismatch(_)), "{e}");

    // Fixed: no registry at all.
    let fixed = SerializerConfig {
        id: IdStrategy::Fixed(0x01020304),
        ..Default::default()
    };
    let s = Serializer::<V1, _>::with_config(MockRegistry::new(), fixed).unwrap();
    assert_eq!(
        &s.serialize("t", &value).await.unwrap()[..5],
        &[0, 1, 2, 3, 4]
    );
}

#[tokio::test]
async fn serializers_are_shared_across_tasks() {
    let r = MockRegistry::new();
    let s = std::sync::Arc::new(Serializer::<V1, _>::new(r.clone()).unwrap());
    let d = std::sync::Arc::new(Deserializer::<V1, _>::new(r.clone()).unwrap());
    let mut tasks = Vec::new();
    for i in 0..16 {
        let (s, d) = (s.clone(), d.clone());
        tasks.push(tokio::spawn(async move {
            let v = V1 {
                name: format!("n{i}"),
                class: i,
            };
            let bytes = s.serialize("shared", &v).await.unwrap();
            assert_eq!(d.deserialize(&bytes).await.unwrap(), v);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(r.versions("shared-value").await.unwrap(), [1]);
}

#[test]
fn blocking_facade_over_the_mock() {
    let client = blocking::Client::over(MockRegistry::new()).unwrap();
    let producer =
        blocking::Serializer::<V1, _>::new(&client, SerializerConfig::default()).unwrap();
    let bytes = producer
        .serialize(
            "b",
            &V1 {
                name: "Ada".into(),
                class: 3,
            },
        )
        .unwrap();
    let consumer = blocking::Deserializer::<V2, _>::new(&client).unwrap();
    assert_eq!(consumer.deserialize(&bytes).unwrap().class, 3);
    assert_eq!(client.versions("b-value").unwrap(), [1]);
    assert_eq!(client.subjects().unwrap(), ["b-value"]);

    // Called from async code it refuses instead of panicking.
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let e = rt.block_on(async { client.subjects() }).unwrap_err();
    assert!(e.to_string().contains("async"), "{e}");
}
