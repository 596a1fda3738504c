//! Against a real registry (rivven-schema, started by the test on
//! 127.0.0.1): the seeds' scenario end to end, and each place where this
//! server departs from Confluent's documented behaviour, pinned so a change
//! in either shows up (Confluent's own behaviour is covered by tests/stub.rs).

#[path = "support/rivven.rs"]
mod rivven;

use std::time::{Duration, Instant};

use avro_registry::{
    blocking, Client, ClientConfig, CompatibilityLevel, Deserializer, ErrorCode, ErrorKind,
    IdStrategy, Registry, Schema, SerdeError, Serializer, SerializerConfig, Version,
};
use avro_runtime::AvroSchema;

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

use student_v1::school::Student as V1;
use student_v2::school::Student as V2;
use student_v3::school::Student as V3;

fn client(url: &str) -> Client {
    Client::new(ClientConfig::new(url).request_timeout(Duration::from_secs(10))).unwrap()
}

#[tokio::test]
async fn seeds_scenario_against_rivven_schema() {
    let server = rivven::Server::start();
    let producer_client = client(&server.url);
    // The consumer has its own client: it learns the schemas from the server, not from the producer's cache.
    let consumer_client = client(&server.url);
    let subject = "students-value";

    // 1. Student v1 registered (auto-register) and produced.
    let v1 = Serializer::<V1, _>::new(producer_client.clone()).unwrap();
    let old = v1
        .serialize(
            "students",
            &V1 {
                name: "Ada Lovelace".into(),
                class: 3,
            },
        )
        .await
        .unwrap();
    let id1 = v1.schema_id("students").await.unwrap();
    assert_eq!(old[0], 0);
    assert_eq!(u32::from_be_bytes(old[1..5].try_into().unwrap()), id1);
    assert_eq!(producer_client.versions(subject).await.unwrap(), [1]);

    // 2. The subject's level set to BACKWARD with PUT /config/{s}.
    let level = producer_client
        .set_compatibility(Some(subject), CompatibilityLevel::Backward)
        .await
        .unwrap();
    assert_eq!(level, CompatibilityLevel::Backward);

    // 3. v2 registered and produced.
    let v2 = Serializer::<V2, _>::new(producer_client.clone()).unwrap();
    let new = v2
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
    let id2 = v2.schema_id("students").await.unwrap();
    assert_ne!(id1, id2);
    assert_eq!(producer_client.versions(subject).await.unwrap(), [1, 2]);
    let latest = producer_client
        .version(subject, Version::Latest)
        .await
        .unwrap();
    assert_eq!((latest.version, latest.id), (2, id2));

    // 4. A v2 consumer reads the old and the new message.
    let consumer = Deserializer::<V2, _>::new(consumer_client.clone()).unwrap();
    assert_eq!(
        consumer.deserialize(&old).await.unwrap(),
        V2 {
            first_name: None,
            last_name: None,
            class: 3
        }
    );
    let read_new = consumer.deserialize(&new).await.unwrap();
    assert_eq!(
        (read_new.first_name.as_deref(), read_new.class),
        (Some("Grace"), 5)
    );

    // 5. An incompatible v3 is refused with 409 and the registry's message.
    let v3 = Serializer::<V3, _>::new(producer_client.clone()).unwrap();
    let e = v3
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
    let SerdeError::Registry(e) = e else {
        panic!("{e}")
    };
    assert_eq!(e.status(), Some(409));
    assert_eq!(e.code(), Some(ErrorCode::IncompatibleSchema));
    let ErrorKind::Api { message, .. } = e.kind() else {
        panic!("{e:?}")
    };
    assert!(message.to_lowercase().contains("incompatible"), "{message}");
    assert!(
        e.to_string().contains(&server.url) && e.to_string().contains(subject),
        "{e}"
    );
    let verdict = producer_client
        .test_compatibility(subject, Version::Latest, &Schema::of::<V3>(), true)
        .await
        .unwrap();
    assert!(
        !verdict.is_compatible && !verdict.messages.is_empty(),
        "{verdict:?}"
    );
    assert_eq!(producer_client.versions(subject).await.unwrap(), [1, 2]);

    // 6. PUT /config/{s} NONE: now v3 goes in.
    producer_client
        .set_compatibility(Some(subject), CompatibilityLevel::None)
        .await
        .unwrap();
    assert_eq!(
        producer_client.compatibility(Some(subject)).await.unwrap(),
        CompatibilityLevel::None
    );
    let v3 = Serializer::<V3, _>::new(producer_client.clone()).unwrap();
    v3.schema_id("students").await.unwrap();
    assert_eq!(producer_client.versions(subject).await.unwrap(), [1, 2, 3]);

    // The same flow through the blocking facade, on its own thread (no runtime there).
    let url = server.url.clone();
    std::thread::spawn(move || {
        let c = blocking::Client::new(ClientConfig::new(&url)).unwrap();
        assert_eq!(c.versions(subject).unwrap(), [1, 2, 3]);
        let d = blocking::Deserializer::<V2, _>::new(&c).unwrap();
        assert_eq!(d.deserialize(&old).unwrap().class, 3);
        assert_eq!(c.schema_by_id(id1).unwrap().references, []);
    })
    .join()
    .unwrap();
}

/// Where rivven-schema 0.0.22 departs from Confluent's documented API (see
/// the crate README); our client gives a clear answer or error for each.
#[tokio::test]
async fn rivven_schema_departures_from_confluent() {
    let server = rivven::Server::start();
    let c = client(&server.url);
    let id = c
        .register("d-value", &Schema::of::<V1>().into(), false)
        .await
        .unwrap();

    // Confluent: 40401 for the versions of an unknown subject. rivven: an empty list.
    assert_eq!(c.versions("unknown").await.unwrap(), Vec::<u32>::new());
    // Confluent: POST /subjects/{s} finds a registered schema. rivven: 405.
    let e = c
        .lookup("d-value", &Schema::of::<V1>(), false, false)
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Status { status: 405, .. }),
        "{e:?}"
    );
    // ... so a serializer that looks ids up fails clearly there.
    let lookup = SerializerConfig {
        id: IdStrategy::Lookup { normalize: false },
        ..Default::default()
    };
    let s = Serializer::<V1, _>::with_config(c.clone(), lookup).unwrap();
    assert!(s
        .serialize(
            "d",
            &V1 {
                name: "a".into(),
                class: 1
            }
        )
        .await
        .is_err());
    // Confluent: the schema text as registered. rivven: re-serialized with keys sorted
    // (the same schema: same canonical form).
    let fresh = client(&server.url);
    let stored = fresh.schema_by_id(id).await.unwrap();
    assert_ne!(stored.schema, V1::schema());
    let keys = |text: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        v.as_object().unwrap().keys().cloned().collect()
    };
    let mut sorted = keys(&stored.schema);
    sorted.sort();
    assert_eq!(keys(&stored.schema), sorted, "{}", stored.schema);
    assert_ne!(keys(V1::schema()), sorted);
    let parsed = avro_registry::references::load_schema(&fresh, &stored, "stored")
        .await
        .unwrap();
    assert_eq!(parsed.fingerprint(), V1::fingerprint());
    // Confluent: 40408 when the subject has no level of its own. rivven: the global level.
    assert_eq!(
        c.compatibility(Some("d-value")).await.unwrap(),
        CompatibilityLevel::Backward
    );
    // Confluent: error_code 40901 for an incompatible schema. rivven: 409 (older Confluent's).
    let e = c
        .register("d-value", &Schema::of::<V3>().into(), false)
        .await
        .unwrap_err();
    let ErrorKind::Api { error_code, .. } = e.kind() else {
        panic!("{e:?}")
    };
    assert_eq!(*error_code, 409);
    // Confluent has these endpoints; rivven answers 404 without an error body.
    for e in [
        c.raw_schema_by_id(id).await.unwrap_err(),
        c.subjects_for_id(id).await.unwrap_err(),
        c.schemas().await.unwrap_err(),
        c.raw_schema("d-value", Version::Number(1))
            .await
            .unwrap_err(),
        c.mode(Some("d-value")).await.unwrap_err(),
        c.schema_by_guid("89791762-2336-4186-9674-299b90a802e2")
            .await
            .unwrap_err(),
    ] {
        assert!(
            matches!(e.kind(), ErrorKind::Status { status: 404, .. }),
            "{e:?}"
        );
    }
    // Confluent: DELETE /config/{s} resets the level. rivven: 405.
    let e = c.delete_compatibility(Some("d-value")).await.unwrap_err();
    assert_eq!(e.status(), Some(405), "{e:?}");
    // Confluent: a permanent delete needs a soft delete first (40407). rivven deletes.
    assert_eq!(
        c.delete_version("d-value", Version::Number(1), true)
            .await
            .unwrap(),
        1
    );
    // Confluent: 40401 when deleting an unknown subject. rivven: an empty list.
    assert_eq!(
        c.delete_subject("unknown", false).await.unwrap(),
        Vec::<u32>::new()
    );
    // Confluent: a second soft delete is 40406 (version) or 40404 (subject). rivven: 200 again.
    c.register("e-value", &Schema::of::<V1>().into(), false)
        .await
        .unwrap();
    assert_eq!(
        c.delete_version("e-value", Version::Number(1), false)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        c.delete_version("e-value", Version::Number(1), false)
            .await
            .unwrap(),
        1
    );
    c.register("f-value", &Schema::of::<V1>().into(), false)
        .await
        .unwrap();
    assert_eq!(c.delete_subject("f-value", false).await.unwrap(), [1]);
    assert_eq!(
        c.delete_subject("f-value", false).await.unwrap(),
        Vec::<u32>::new()
    );
    // What it does the Confluent way.
    assert_eq!(c.versions_for_id(id).await.unwrap().len(), 0);
    assert_eq!(c.mode(None).await.unwrap(), avro_registry::Mode::ReadWrite);
    let e = c.version("d-value", Version::Number(9)).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::VersionNotFound));
    let e = c.schema_by_id(999).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::SchemaNotFound));
    let e = c
        .register("d-value", &Schema::avro("{bad").into(), false)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidSchema));
}

/// Cold latency against the real server (printed; `--nocapture` shows it):
/// what a producer's first message and a consumer's first message cost.
#[tokio::test]
async fn cold_registration_and_lookup_latency() {
    let server = rivven::Server::start();
    let n = 50;
    let mut register = Vec::new();
    let mut fetch = Vec::new();
    for i in 0..n {
        let c = client(&server.url); // a fresh client: nothing cached
        let schema = Schema::avro(format!(
            r#"{{"type":"record","name":"R{i}","fields":[{{"name":"f","type":"long"}}]}}"#
        ));
        let t = Instant::now();
        let id = c
            .register(&format!("lat-{i}"), &schema.into(), false)
            .await
            .unwrap();
        register.push(t.elapsed());
        let c = client(&server.url);
        let t = Instant::now();
        c.schema_by_id(id).await.unwrap();
        fetch.push(t.elapsed());
    }
    register.sort();
    fetch.sort();
    eprintln!(
        "rivven-schema (debug build), fresh client each time, {n} runs: register median {:?} p90 {:?}; fetch by id median {:?} p90 {:?}",
        register[n / 2], register[n * 9 / 10], fetch[n / 2], fetch[n * 9 / 10]
    );
    assert!(register[n / 2] < Duration::from_secs(2));
}

const ADDRESS: &str = r#"{"type":"record","name":"Address","namespace":"shop","fields":[{"name":"street","type":"string"},{"name":"city","type":"string"}]}"#;
const CUSTOMER: &str = r#"{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"name","type":"string"},{"name":"address","type":"shop.Address"}]}"#;

/// Confluent resolves a registered schema's references to other subjects;
/// rivven-schema 0.0.22 parses the schema alone and refuses it (42201), so
/// references are covered by the mock (tests/mock.rs) and the stub
/// (tests/stub.rs) instead.
#[tokio::test]
async fn rivven_schema_does_not_resolve_references() {
    let server = rivven::Server::start();
    let c = client(&server.url);
    c.register("shop.Address", &Schema::avro(ADDRESS).into(), false)
        .await
        .unwrap();
    let reference = avro_registry::SchemaReference {
        name: "shop.Address".into(),
        subject: "shop.Address".into(),
        version: 1,
    };
    let customer = Schema::avro(CUSTOMER).with_references(vec![reference]);
    let e = c
        .register("customers-value", &customer.into(), false)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidSchema), "{e}");
    assert!(e.to_string().contains("shop.Address"), "{e}");
}
