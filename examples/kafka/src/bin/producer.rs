//! The producer of the Student story: `producer [v1|v2|v3] [COUNT]`.
//!
//! * `v1` (default): COUNT students (default 10) of the derived v1 type,
//!   its schema registered under `<topic>-value` on first use.
//! * `v2`: the subject's compatibility set to BACKWARD, then COUNT students
//!   of the v2 type generated from `schemas/v2/student.avsc`.
//! * `v3`: tries to register the incompatible v3 schema and prints the
//!   registry's refusal.
//!
//! Keys are `student-<n>`; each message carries a `producer` header naming
//! the version. Configured by `KAFKA_BOOTSTRAP`, `SCHEMA_REGISTRY_URL` and
//! `KAFKA_TOPIC`.

use std::time::Duration;

use anyhow::{bail, Context};
use avro_registry::{CompatibilityLevel, Registry, Schema, Serializer};
use kafka_example::{v1, v2, Servers, DEFAULT_TOPIC, V3_SCHEMA};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let version = args.next().unwrap_or_else(|| "v1".into());
    let count: usize = match args.next() {
        Some(n) => n
            .parse()
            .with_context(|| format!("COUNT {n:?} is not a number"))?,
        None => 10,
    };
    let servers = Servers::from_env();
    let topic = std::env::var("KAFKA_TOPIC").unwrap_or_else(|_| DEFAULT_TOPIC.into());
    let registry = servers.registry_client()?;
    println!(
        "broker {}, registry {}, topic {topic}",
        servers.bootstrap, servers.registry
    );

    if version == "v3" {
        let subject = format!("{topic}-value");
        match registry
            .register(&subject, &Schema::avro(V3_SCHEMA).into(), false)
            .await
        {
            Ok(id) => println!("v3 registered as id {id}: the subject's level is not BACKWARD"),
            Err(e) => println!("v3 refused: {e}"),
        }
        return Ok(());
    }

    servers.ensure_topic(&topic, 1).await?;
    let producer: FutureProducer = servers.producer_config().create()?;
    let mut sent = Vec::with_capacity(count);
    match version.as_str() {
        "v1" => {
            let serializer = Serializer::<v1::Student, _>::new(registry.clone())?;
            for n in 0..count {
                let student = v1::Student {
                    name: format!("Student {n}"),
                    class: (n % 12) as i32 + 1,
                };
                sent.push((
                    format!("student-{n}"),
                    serializer.serialize(&topic, &student).await?,
                ));
            }
            println!("v1 schema id {}", serializer.schema_id(&topic).await?);
        }
        "v2" => {
            let subject = format!("{topic}-value");
            registry
                .set_compatibility(Some(&subject), CompatibilityLevel::Backward)
                .await?;
            println!("{subject}: compatibility BACKWARD");
            let serializer = Serializer::<v2::school::Student, _>::new(registry.clone())?;
            for n in 0..count {
                let student = v2::school::Student {
                    first_name: Some(format!("First{n}")),
                    last_name: (n % 2 == 0).then(|| format!("Last{n}")),
                    class: (n % 12) as i32 + 1,
                };
                sent.push((
                    format!("student-{n}"),
                    serializer.serialize(&topic, &student).await?,
                ));
            }
            println!("v2 schema id {}", serializer.schema_id(&topic).await?);
        }
        other => bail!("unknown version {other:?}: expected v1, v2 or v3"),
    }

    // Enqueue everything, then wait for every acknowledgement.
    let mut deliveries = Vec::with_capacity(count);
    for (key, payload) in &sent {
        let headers = OwnedHeaders::new().insert(Header {
            key: "producer",
            value: Some(version.as_str()),
        });
        let record = FutureRecord::to(&topic)
            .key(key)
            .payload(payload)
            .headers(headers);
        deliveries.push(producer.send(record, Duration::from_secs(30)));
    }
    for (n, d) in deliveries.into_iter().enumerate() {
        let delivery = d
            .await
            .map_err(|(e, _)| e)
            .with_context(|| format!("message {n}"))?;
        if n + 1 == count {
            println!(
                "last message at partition {} offset {}",
                delivery.partition, delivery.offset
            );
        }
    }
    println!("produced {count} {version} students");
    Ok(())
}
