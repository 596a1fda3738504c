//! The Student story as users run it: a real broker (tansu), a real
//! registry (rivven-schema), the real Kafka client (rdkafka), each test
//! with its own two servers on free 127.0.0.1 ports, stopped when the test
//! ends, also when it fails.
//!
//! * `student_story_end_to_end`: 1,000 v1 messages (derived type), v2
//!   registered under BACKWARD, 1,000 v2 messages (generated type), an
//!   incompatible v3 refused with the registry's message, and all 2,000
//!   consumed by the v2 consumer in order, with their keys, headers and
//!   values.
//! * `consumer_restarted_resumes_from_committed_offset`: a consumer group
//!   stopped after committing part of a topic and started again reads the
//!   rest, nothing lost, nothing twice.
//! * `schema_id_in_a_header_with_a_bare_body`: messages whose schema id is
//!   in `__value_schema_id`, next to framed ones, read by the same consumer.

#[path = "support/servers.rs"]
mod servers;

use std::time::Duration;

use avro_registry::{
    kafka, CompatibilityLevel, Deserializer, ErrorCode, ErrorKind, Registry, Schema, Serializer,
};
use kafka_example::{v1, v2, Servers, V3_SCHEMA};
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::message::{BorrowedMessage, Header, Headers, Message, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};

type V2 = v2::school::Student;

/// A message as produced: key, headers and payload.
#[derive(Debug, Clone, PartialEq)]
struct Produced {
    key: String,
    headers: Vec<(String, Vec<u8>)>,
    payload: Vec<u8>,
}

/// The same, as consumed, with its offset.
#[derive(Debug, Clone, PartialEq)]
struct Consumed {
    offset: i64,
    key: String,
    headers: Vec<(String, Vec<u8>)>,
    payload: Vec<u8>,
}

fn consumed(m: &BorrowedMessage<'_>) -> Consumed {
    Consumed {
        offset: m.offset(),
        key: kafka::str_key(m).unwrap().expect("a key").to_owned(),
        headers: m
            .headers()
            .map(|h| {
                h.iter()
                    .map(|h| (h.key.to_owned(), h.value.expect("header value").to_vec()))
                    .collect()
            })
            .unwrap_or_default(),
        payload: m.payload().expect("a payload").to_vec(),
    }
}

fn owned_headers(headers: &[(String, Vec<u8>)]) -> OwnedHeaders {
    headers.iter().fold(OwnedHeaders::new(), |h, (k, v)| {
        h.insert(Header {
            key: k,
            value: Some(v),
        })
    })
}

fn servers(tansu: &servers::Tansu, rivven: &servers::Rivven) -> Servers {
    Servers {
        bootstrap: tansu.bootstrap.clone(),
        registry: rivven.url.clone(),
    }
}

/// Sends every message in order and waits for each acknowledgement;
/// returns their offsets.
async fn produce(producer: &FutureProducer, topic: &str, messages: &[Produced]) -> Vec<i64> {
    let mut deliveries = Vec::with_capacity(messages.len());
    for m in messages {
        let record = FutureRecord::to(topic)
            .key(&m.key)
            .payload(&m.payload)
            .headers(owned_headers(&m.headers));
        deliveries.push(producer.send(record, Duration::from_secs(30)));
    }
    let mut offsets = Vec::with_capacity(messages.len());
    for (n, d) in deliveries.into_iter().enumerate() {
        let delivery = d
            .await
            .unwrap_or_else(|(e, _)| panic!("message {n} to {topic}: {e}"));
        offsets.push(delivery.offset);
    }
    offsets
}

/// Receives `count` messages, failing after 60 s without one.
async fn receive<'c>(consumer: &'c StreamConsumer, count: usize) -> Vec<BorrowedMessage<'c>> {
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        match tokio::time::timeout(Duration::from_secs(60), consumer.recv()).await {
            Ok(Ok(m)) => out.push(m),
            Ok(Err(e)) => panic!("receiving message {} of {count}: {e}", out.len()),
            Err(_) => panic!(
                "no message for 60 s after {} of {count} (the last at offset {:?})",
                out.len(),
                out.last().map(|m| m.offset())
            ),
        }
    }
    out
}

fn headers_of(producer: &str, n: usize) -> Vec<(String, Vec<u8>)> {
    vec![
        ("producer".into(), producer.as_bytes().to_vec()),
        ("seq".into(), n.to_string().into_bytes()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn student_story_end_to_end() {
    let tansu = servers::Tansu::start();
    let rivven = servers::Rivven::start();
    let servers = servers(&tansu, &rivven);
    let topic = "students";
    let subject = "students-value";
    servers.ensure_topic(topic, 1).await.unwrap();
    let registry = servers.registry_client().unwrap();
    let producer: FutureProducer = servers.producer_config().create().unwrap();

    // 1. 1,000 v1 students, the derived type, its schema auto-registered.
    let v1_serializer = Serializer::<v1::Student, _>::new(registry.clone()).unwrap();
    let v1_students: Vec<v1::Student> = (0..1000)
        .map(|n| v1::Student {
            name: format!("Student {n} ✓"),
            class: (n % 12) + 1,
        })
        .collect();
    let mut sent = Vec::new();
    for (n, s) in v1_students.iter().enumerate() {
        sent.push(Produced {
            key: format!("student-{n}"),
            headers: headers_of("v1", n),
            payload: v1_serializer.serialize(topic, s).await.unwrap(),
        });
    }
    let offsets = produce(&producer, topic, &sent).await;
    assert_eq!(offsets, (0..1000).collect::<Vec<i64>>());
    let id1 = v1_serializer.schema_id(topic).await.unwrap();
    assert_eq!(registry.versions(subject).await.unwrap(), [1]);

    // 2. BACKWARD, then v2 (generated from .avsc) registered and 1,000 produced.
    let level = registry
        .set_compatibility(Some(subject), CompatibilityLevel::Backward)
        .await
        .unwrap();
    assert_eq!(level, CompatibilityLevel::Backward);
    let v2_serializer = Serializer::<V2, _>::new(registry.clone()).unwrap();
    let v2_students: Vec<V2> = (0..1000)
        .map(|n| V2 {
            first_name: Some(format!("First{n}")),
            last_name: (n % 3 != 0).then(|| format!("Last{n}")),
            class: (n % 12) + 1,
        })
        .collect();
    let mut v2_sent = Vec::new();
    for (n, s) in v2_students.iter().enumerate() {
        v2_sent.push(Produced {
            key: format!("student-{}", 1000 + n),
            headers: headers_of("v2", 1000 + n),
            payload: v2_serializer.serialize(topic, s).await.unwrap(),
        });
    }
    let offsets = produce(&producer, topic, &v2_sent).await;
    assert_eq!(offsets, (1000..2000).collect::<Vec<i64>>());
    sent.extend(v2_sent);
    let id2 = v2_serializer.schema_id(topic).await.unwrap();
    assert_ne!(id1, id2);
    assert_eq!(registry.versions(subject).await.unwrap(), [1, 2]);

    // 3. An incompatible v3 is refused, with the registry's own message.
    let e = registry
        .register(subject, &Schema::avro(V3_SCHEMA).into(), false)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(409), "{e}");
    assert_eq!(e.code(), Some(ErrorCode::IncompatibleSchema), "{e}");
    let ErrorKind::Api { message, .. } = e.kind() else {
        panic!("not the registry's error body: {e:?}")
    };
    assert!(message.to_lowercase().contains("incompatible"), "{message}");
    assert!(e.to_string().contains(message.as_str()), "{e}");
    assert_eq!(registry.versions(subject).await.unwrap(), [1, 2]);

    // 4. The v2 consumer (its own registry client: it learns the schemas
    // from the registry, not from the producer's cache) reads all 2,000 in
    // order; a v1 reader of the same bytes checks the v1 values exactly.
    let consumer_registry = servers.registry_client().unwrap();
    let students = Deserializer::<V2, _>::new(consumer_registry.clone()).unwrap();
    let v1_reader = Deserializer::<v1::Student, _>::new(consumer_registry).unwrap();
    let consumer: StreamConsumer = servers.consumer_config("story").create().unwrap();
    consumer.subscribe(&[topic]).unwrap();
    let messages = receive(&consumer, 2000).await;
    for (n, (m, p)) in messages.iter().zip(&sent).enumerate() {
        let got = consumed(m);
        assert_eq!(
            (got.offset, &got.key, &got.headers, &got.payload),
            (n as i64, &p.key, &p.headers, &p.payload),
            "message {n}"
        );
        let student = students.deserialize_value(m).await.unwrap().unwrap();
        if n < 1000 {
            let v1 = &v1_students[n];
            assert_eq!(
                student,
                V2 {
                    first_name: None,
                    last_name: None,
                    class: v1.class
                },
                "message {n} (v1 read as v2)"
            );
            assert_eq!(&v1_reader.deserialize_value(m).await.unwrap().unwrap(), v1);
        } else {
            assert_eq!(student, v2_students[n - 1000], "message {n}");
        }
    }
    consumer
        .commit_message(messages.last().unwrap(), CommitMode::Sync)
        .unwrap();

    // The guards stop both servers; a dropped one answers no more.
    let (broker_port, registry_port) = (tansu.port, rivven.port);
    drop(messages);
    drop(consumer);
    drop(producer);
    drop((tansu, rivven));
    assert!(servers::stopped(broker_port) && servers::stopped(registry_port));
}

/// A consumer group stopped after committing part of a topic, then started
/// again, resumes at the committed offset.
///
/// One message per producer batch (`batch.num.messages=1`), because of a
/// broker fault: tansu 0.6.0, asked by a restarted group to fetch from a
/// committed offset that falls inside a record batch, can resume at the
/// next batch, and the rest of that batch is lost (Kafka returns the whole
/// batch and the client skips the records before the offset). Seen here
/// with Python confluent-kafka 2.16 (librdkafka 2.16): 300 records in one
/// batch, 137 committed, the restarted group read nothing. With rdkafka's
/// librdkafka 2.12.1 the same scenario resumed at 137 in our runs (also at
/// 1537 of batches of 250), but a test must not depend on which fetch the
/// client happens to send: with one record per batch every offset is a
/// batch boundary, and the test checks our side (the commit, the restart,
/// reading on from exactly there) on any broker.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumer_restarted_resumes_from_committed_offset() {
    let tansu = servers::Tansu::start();
    let rivven = servers::Rivven::start();
    let servers = servers(&tansu, &rivven);
    let topic = "restart";
    servers.ensure_topic(topic, 1).await.unwrap();
    let registry = servers.registry_client().unwrap();
    let producer: FutureProducer = servers
        .producer_config()
        .set("batch.num.messages", "1")
        .create()
        .unwrap();
    let serializer = Serializer::<V2, _>::new(registry.clone()).unwrap();
    let total = 300;
    let stop_after = 137;
    let mut sent = Vec::new();
    for n in 0..total {
        let s = V2 {
            first_name: Some(format!("R{n}")),
            last_name: None,
            class: n as i32,
        };
        sent.push(Produced {
            key: format!("k{n}"),
            headers: headers_of("v2", n),
            payload: serializer.serialize(topic, &s).await.unwrap(),
        });
    }
    produce(&producer, topic, &sent).await;
    let students = Deserializer::<V2, _>::new(registry).unwrap();

    // First run: process `stop_after` messages, committing each, then stop.
    {
        let consumer: StreamConsumer = servers.consumer_config("restart").create().unwrap();
        consumer.subscribe(&[topic]).unwrap();
        for (n, m) in receive(&consumer, stop_after).await.iter().enumerate() {
            assert_eq!(m.offset(), n as i64);
            assert_eq!(
                students.deserialize_value(m).await.unwrap().unwrap().class,
                n as i32
            );
            consumer.commit_message(m, CommitMode::Sync).unwrap();
        }
        // Dropping the consumer closes it: it leaves the group.
    }

    // Second run, same group: from the committed offset to the end.
    let consumer: StreamConsumer = servers.consumer_config("restart").create().unwrap();
    consumer.subscribe(&[topic]).unwrap();
    let rest = receive(&consumer, total - stop_after).await;
    let offsets: Vec<i64> = rest.iter().map(|m| m.offset()).collect();
    assert_eq!(
        offsets,
        (stop_after as i64..total as i64).collect::<Vec<_>>()
    );
    for (m, p) in rest.iter().zip(&sent[stop_after..]) {
        let got = consumed(m);
        assert_eq!(
            (&got.key, &got.headers, &got.payload),
            (&p.key, &p.headers, &p.payload)
        );
    }
    // Nothing after the end: no message is read twice.
    let extra = tokio::time::timeout(Duration::from_secs(2), consumer.recv()).await;
    assert!(
        extra.is_err(),
        "a message after the last one: {:?}",
        extra.map(|m| m.map(|m| m.offset()))
    );
}

/// Messages whose schema id travels in the `__value_schema_id` header with
/// a bare Avro body, between framed ones, read by the same consumer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schema_id_in_a_header_with_a_bare_body() {
    let tansu = servers::Tansu::start();
    let rivven = servers::Rivven::start();
    let servers = servers(&tansu, &rivven);
    let topic = "students-headers";
    servers.ensure_topic(topic, 1).await.unwrap();
    let registry = servers.registry_client().unwrap();
    let producer: FutureProducer = servers.producer_config().create().unwrap();
    let v1_serializer = Serializer::<v1::Student, _>::new(registry.clone()).unwrap();
    let v2_serializer = Serializer::<V2, _>::new(registry.clone()).unwrap();
    let ada = v1::Student {
        name: "Ada".into(),
        class: 3,
    };
    let grace = V2 {
        first_name: Some("Grace".into()),
        last_name: Some("Hopper".into()),
        class: 5,
    };

    let mut sent = Vec::new();
    // A framed v1 message, then v1 and v2 with the id in a header.
    sent.push(Produced {
        key: "framed".into(),
        headers: headers_of("v1", 0),
        payload: v1_serializer.serialize(topic, &ada).await.unwrap(),
    });
    for (key, (headers, body)) in [
        (
            "v1-header",
            v1_serializer
                .serialize_with_header(topic, &ada, owned_headers(&headers_of("v1", 1)))
                .await
                .unwrap(),
        ),
        (
            "v2-header",
            v2_serializer
                .serialize_with_header(topic, &grace, owned_headers(&headers_of("v2", 2)))
                .await
                .unwrap(),
        ),
    ] {
        let headers = headers
            .iter()
            .map(|h| (h.key.to_owned(), h.value.unwrap().to_vec()))
            .collect();
        sent.push(Produced {
            key: key.into(),
            headers,
            payload: body,
        });
    }
    // The bodies are bare Avro; the header holds 0x00 + the big-endian id.
    assert_eq!(sent[1].payload, avro_runtime::to_vec(&ada).unwrap());
    assert_eq!(sent[2].payload, avro_runtime::to_vec(&grace).unwrap());
    for (m, ser_id) in [
        (&sent[1], v1_serializer.schema_id(topic).await.unwrap()),
        (&sent[2], v2_serializer.schema_id(topic).await.unwrap()),
    ] {
        let mut want = vec![0u8];
        want.extend_from_slice(&ser_id.to_be_bytes());
        assert_eq!(
            m.headers.last().unwrap(),
            &("__value_schema_id".to_owned(), want)
        );
    }
    produce(&producer, topic, &sent).await;

    let students = Deserializer::<V2, _>::new(servers.registry_client().unwrap()).unwrap();
    let consumer: StreamConsumer = servers.consumer_config("headers").create().unwrap();
    consumer.subscribe(&[topic]).unwrap();
    let messages = receive(&consumer, sent.len()).await;
    let mut read = Vec::new();
    for (m, p) in messages.iter().zip(&sent) {
        let got = consumed(m);
        assert_eq!(
            (&got.key, &got.headers, &got.payload),
            (&p.key, &p.headers, &p.payload)
        );
        read.push(students.deserialize_value(m).await.unwrap().unwrap());
    }
    let ada_as_v2 = V2 {
        first_name: None,
        last_name: None,
        class: 3,
    };
    assert_eq!(read, [ada_as_v2.clone(), ada_as_v2, grace]);

    // Without its header, a bare body is not mistaken for a frame.
    let e = students.deserialize(&sent[1].payload).await.unwrap_err();
    assert!(e.to_string().contains("magic byte"), "{e}");
}
