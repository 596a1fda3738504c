//! The consumer of the Student story: `consumer [COUNT]` reads the topic in
//! consumer group `KAFKA_GROUP` (default `students-v2`) into the v2 type
//! generated from `schemas/v2/student.avsc`, whatever version each message
//! was written with (v1 messages read as v2 through the registry's schema),
//! and commits each message once printed. Stops after COUNT messages, or
//! when none arrived for 5 seconds. Configured by `KAFKA_BOOTSTRAP`,
//! `SCHEMA_REGISTRY_URL` and `KAFKA_TOPIC`.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context;
use avro_registry::{kafka, Deserializer};
use kafka_example::{v2, Servers, DEFAULT_TOPIC};
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::message::{Headers, Message};
use rdkafka::{Offset, TopicPartitionList};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let limit: Option<usize> = match std::env::args().nth(1) {
        Some(n) => Some(
            n.parse()
                .with_context(|| format!("COUNT {n:?} is not a number"))?,
        ),
        None => None,
    };
    let servers = Servers::from_env();
    let topic = std::env::var("KAFKA_TOPIC").unwrap_or_else(|_| DEFAULT_TOPIC.into());
    let group = std::env::var("KAFKA_GROUP").unwrap_or_else(|_| "students-v2".into());
    let students = Deserializer::<v2::school::Student, _>::new(servers.registry_client()?)?;
    let consumer: StreamConsumer = servers.consumer_config(&group).create()?;
    consumer.subscribe(&[&topic])?;
    println!(
        "broker {}, registry {}, topic {topic}, group {group}",
        servers.bootstrap, servers.registry
    );

    let mut read = 0;
    let mut next = BTreeMap::new(); // partition → offset after its last message
    while limit.is_none_or(|l| read < l) {
        let msg = match tokio::time::timeout(Duration::from_secs(5), consumer.recv()).await {
            Ok(m) => m?,
            Err(_) => {
                println!("nothing new for 5 s");
                break;
            }
        };
        let key = kafka::str_key(&msg)?.unwrap_or("<no key>");
        let producer = msg
            .headers()
            .and_then(|h| h.iter().find(|h| h.key == "producer"))
            .and_then(|h| h.value)
            .map(String::from_utf8_lossy)
            .unwrap_or_default();
        match students.deserialize_value(&msg).await? {
            Some(s) => println!("offset {} key {key} ({producer}): {s:?}", msg.offset()),
            None => println!("offset {} key {key}: deleted (tombstone)", msg.offset()),
        }
        consumer.commit_message(&msg, CommitMode::Async)?;
        next.insert(msg.partition(), msg.offset() + 1);
        read += 1;
    }
    if !next.is_empty() {
        // The asynchronous commits may still be in flight: commit the
        // position after the last message of each partition and wait.
        let mut positions = TopicPartitionList::new();
        for (partition, offset) in next {
            positions.add_partition_offset(&topic, partition, Offset::Offset(offset))?;
        }
        consumer.commit(&positions, CommitMode::Sync)?;
    }
    println!("consumed {read} messages");
    Ok(())
}
