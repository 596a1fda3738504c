//! End to end over Kafka: produce and consume throughput of the `event`
//! workload (../shared/bench/event) through a real broker (tansu) and
//! registry (rivven-schema), both started here on free 127.0.0.1 ports:
//! ours (rdkafka + avro-registry's Serializer / Deserializer, the example's
//! settings) against Python confluent-kafka's Producer / Consumer with its
//! AvroSerializer / AvroDeserializer (bench/confluent_bench.py, in a venv
//! under target/kafka-bench that this bench creates when missing), in the
//! same run, alternating which goes first each round.
//!
//! `cargo bench -p kafka-example --bench kafka`; `KAFKA_BENCH_MESSAGES`
//! (default 20000) messages per measurement, `KAFKA_BENCH_ROUNDS` (default
//! 3) rounds. Prints a Markdown table and writes
//! target/kafka-bench/results.json.

#[path = "../tests/support/servers.rs"]
mod servers;

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use avro_registry::{Deserializer, Serializer};
use avro_runtime::schema::SchemaSet;
use avro_runtime::AvroSchema;
use kafka_example::Servers;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{Offset, TopicPartitionList};

/// The `event` workload's record, derived (the bench checks its schema
/// against ../shared/bench/event/schema.avsc and its bytes against datum.bin).
#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "bench")]
struct Event {
    id: i64,
    ts: i64,
    user_id: String,
    session: String,
    page: String,
    score: f64,
    count: i32,
    tags: Vec<String>,
    referrer: Option<String>,
    attrs: HashMap<String, String>,
    values: Vec<i64>,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn env_number(name: &str, default: usize) -> anyhow::Result<usize> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .with_context(|| format!("{name}={v:?} is not a number")),
        Err(_) => Ok(default),
    }
}

/// CPU time of this process so far, in seconds: the sum over its threads
/// of the nanoseconds on CPU in /proc/self/task/*/schedstat (nanosecond
/// resolution; /proc/self/stat counts 10 ms ticks, too coarse for a few
/// µs per message). Threads that end between two readings would drop out
/// of the sum: the clients measured live across both readings.
fn cpu_seconds() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return f64::NAN;
    };
    let ns: u64 = tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e9
}

/// One timed run of one side.
#[derive(Debug, Clone)]
struct Measure {
    seconds: f64,
    cpu_seconds: f64,
    payload_bytes: u64,
    messages: usize,
}

impl Measure {
    fn messages_per_second(&self) -> f64 {
        self.messages as f64 / self.seconds
    }
    fn mb_per_second(&self) -> f64 {
        self.payload_bytes as f64 / self.seconds / 1e6
    }
    fn cpu_us_per_message(&self) -> f64 {
        self.cpu_seconds * 1e6 / self.messages as f64
    }
}

/// The workload's datum, read with the derived type, checked against the
/// shared schema and bytes.
fn workload(shared: &Path) -> anyhow::Result<Event> {
    let schema = std::fs::read_to_string(shared.join("event/schema.avsc"))
        .with_context(|| format!("reading {}", shared.join("event/schema.avsc").display()))?;
    let (set, root) = SchemaSet::parse_str(&schema).map_err(|e| anyhow::anyhow!("{e}"))?;
    if set.canonical_form(&root) != Event::canonical_form() {
        bail!(
            "the derived Event is not the workload's schema: {} vs {}",
            Event::canonical_form(),
            set.canonical_form(&root)
        );
    }
    let datum = std::fs::read(shared.join("event/datum.bin"))?;
    let event: Event = avro_runtime::from_slice(&datum).context("decoding datum.bin")?;
    let again: Event = avro_runtime::from_slice(&avro_runtime::to_vec(&event)?)?;
    if again != event || avro_runtime::to_vec(&event)?.len() != datum.len() {
        bail!("the derived Event does not round-trip datum.bin");
    }
    Ok(event)
}

async fn produce_ours(
    servers: &Servers,
    topic: &str,
    event: &Event,
    count: usize,
) -> anyhow::Result<Measure> {
    let serializer = Serializer::<Event, _>::new(servers.registry_client()?)?;
    serializer.schema_id(topic).await?; // registered before timing, as Python's warm-up
    let producer: FutureProducer = servers.producer_config().create()?;
    let mut pending = VecDeque::with_capacity(count);
    let mut payload_bytes = 0u64;
    let cpu0 = cpu_seconds();
    let t0 = Instant::now();
    for n in 0..count {
        let payload = serializer.serialize(topic, event).await?;
        payload_bytes += payload.len() as u64;
        let key = format!("e{n}");
        let mut record = FutureRecord::to(topic).key(&key).payload(&payload);
        loop {
            match producer.send_result(record) {
                Ok(delivery) => {
                    pending.push_back(delivery);
                    break;
                }
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), r)) => {
                    record = r;
                    if let Some(d) = pending.pop_front() {
                        d.await?.map_err(|(e, _)| e)?;
                    }
                }
                Err((e, _)) => return Err(e.into()),
            }
        }
    }
    for d in pending {
        d.await?.map_err(|(e, _)| e)?;
    }
    let seconds = t0.elapsed().as_secs_f64();
    Ok(Measure {
        seconds,
        cpu_seconds: cpu_seconds() - cpu0,
        payload_bytes,
        messages: count,
    })
}

async fn consume_ours(
    servers: &Servers,
    topic: &str,
    expected: &Event,
    count: usize,
) -> anyhow::Result<Measure> {
    let events = Deserializer::<Event, _>::new(servers.registry_client()?)?;
    let mut config = servers.kafka_config();
    config
        .set("group.id", "bench-rust")
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "false");
    let consumer: StreamConsumer = config.create()?;
    let mut payload_bytes = 0u64;
    let cpu0 = cpu_seconds();
    let t0 = Instant::now();
    // Assigned, not subscribed: no group join in the timing (as the Python side).
    let mut partitions = TopicPartitionList::new();
    partitions.add_partition_offset(topic, 0, Offset::Beginning)?;
    consumer.assign(&partitions)?;
    for n in 0..count {
        let msg = tokio::time::timeout(Duration::from_secs(60), consumer.recv())
            .await
            .with_context(|| format!("no message for 60 s after {n} of {count}"))??;
        payload_bytes += rdkafka::Message::payload(&msg).map_or(0, |p| p.len()) as u64;
        let event = events
            .deserialize_value(&msg)
            .await?
            .context("a tombstone")?;
        if (n == 0 || n + 1 == count) && &event != expected {
            bail!("message {n} decoded to {event:?}, not the workload's datum");
        }
    }
    let seconds = t0.elapsed().as_secs_f64();
    Ok(Measure {
        seconds,
        cpu_seconds: cpu_seconds() - cpu0,
        payload_bytes,
        messages: count,
    })
}

/// The venv's python with confluent-kafka and fastavro, created when missing.
fn python_venv() -> Result<PathBuf, String> {
    let venv = workspace().join("target/kafka-bench/venv");
    let python = venv.join("bin/python");
    let ready = |p: &Path| {
        Command::new(p)
            .args(["-c", "import confluent_kafka, fastavro"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    if python.is_file() && ready(&python) {
        return Ok(python);
    }
    eprintln!(
        "creating {} (python3 -m venv, pip install confluent-kafka fastavro)",
        venv.display()
    );
    let run = |cmd: &mut Command| -> Result<(), String> {
        let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{cmd:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            ))
        }
    };
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "confluent-kafka[avro,schemaregistry]",
        "fastavro",
    ]))?;
    if ready(&python) {
        Ok(python)
    } else {
        Err("confluent_kafka or fastavro does not import after pip install".into())
    }
}

/// Runs the Python side; its JSON answer, or why it failed.
fn python_side(
    python: &Path,
    op: &str,
    servers: &Servers,
    topic: &str,
    count: usize,
    shared: &Path,
) -> Result<(Measure, serde_json::Value), String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/confluent_bench.py");
    let out = Command::new(python)
        .arg(&script)
        .args([op, &servers.bootstrap, &servers.registry, topic])
        .arg(count.to_string())
        .arg(shared)
        .output()
        .map_err(|e| format!("running {}: {e}", script.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).map_err(|e| {
        format!(
            "python {op}: no JSON answer ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    if let Some(err) = v.get("error") {
        return Err(format!(
            "python {op}: {}\n{}",
            err.as_str().unwrap_or(""),
            v["trace"].as_str().unwrap_or("")
        ));
    }
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    Ok((
        Measure {
            seconds: f("seconds"),
            cpu_seconds: f("cpu_seconds"),
            payload_bytes: v["payload_bytes"].as_u64().unwrap_or(0),
            messages: count,
        },
        v,
    ))
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    match xs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => xs[n / 2],
        n => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

fn main() -> anyhow::Result<()> {
    let count = env_number("KAFKA_BENCH_MESSAGES", 20_000)?;
    let rounds = env_number("KAFKA_BENCH_ROUNDS", 3)?;
    let shared = workspace().join("../shared/bench");
    let event = workload(&shared)?;
    let python = python_venv();
    if let Err(why) = &python {
        eprintln!("Python side not run: {why}");
    }
    let tansu = servers::Tansu::start();
    let rivven = servers::Rivven::start();
    let servers = Servers {
        bootstrap: tansu.bootstrap.clone(),
        registry: rivven.url.clone(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;

    // (side, op) → measures; Python's failures, once each.
    let mut results: Vec<((&str, &str), Measure)> = Vec::new();
    let mut python_errors: Vec<String> = Vec::new();
    let mut python_info = serde_json::Value::Null;
    for round in 0..rounds {
        let sides = if round % 2 == 0 {
            ["ours", "python"]
        } else {
            ["python", "ours"]
        };
        for op in ["produce", "consume"] {
            for side in sides {
                let topic = format!("events-{side}-{round}");
                if op == "produce" {
                    rt.block_on(servers.ensure_topic(&topic, 1))?;
                }
                let m = match (side, op) {
                    ("ours", "produce") => {
                        rt.block_on(produce_ours(&servers, &topic, &event, count))?
                    }
                    ("ours", _) => rt.block_on(consume_ours(&servers, &topic, &event, count))?,
                    _ => {
                        let Ok(py) = &python else { continue };
                        match python_side(py, op, &servers, &topic, count, &shared) {
                            Ok((m, v)) => {
                                if v["checks"].as_object().is_some_and(|c| {
                                    c.values().any(|x| x == &serde_json::Value::Bool(false))
                                }) {
                                    python_errors
                                        .push(format!("python {op} checks: {}", v["checks"]));
                                }
                                python_info = v["versions"].clone();
                                m
                            }
                            Err(e) => {
                                if !python_errors.contains(&e) {
                                    eprintln!("{e}");
                                    python_errors.push(e);
                                }
                                continue;
                            }
                        }
                    }
                };
                eprintln!(
                    "round {round} {side} {op}: {:.0} msg/s, {:.1} MB/s, {:.1} µs CPU/msg",
                    m.messages_per_second(),
                    m.mb_per_second(),
                    m.cpu_us_per_message()
                );
                results.push(((side, op), m));
            }
        }
    }

    let mut md = String::new();
    md.push_str(&format!(
        "{count} messages of the `event` workload per measurement, {rounds} rounds; median (range) per side\n\n"
    ));
    md.push_str("| op | client | messages/s | MB/s | client CPU µs/message | ours faster by |\n|---|---|---:|---:|---:|---:|\n");
    let mut json_rows = Vec::new();
    for op in ["produce", "consume"] {
        let rate = |side: &str| {
            let ms: Vec<&Measure> = results
                .iter()
                .filter(|((s, o), _)| *s == side && *o == op)
                .map(|(_, m)| m)
                .collect();
            ms
        };
        let ours_rate = median(
            rate("ours")
                .iter()
                .map(|m| m.messages_per_second())
                .collect(),
        );
        for side in ["ours", "python"] {
            let ms = rate(side);
            if ms.is_empty() {
                md.push_str(&format!("| {op} | {side} | not run | | | |\n"));
                continue;
            }
            let mps: Vec<f64> = ms.iter().map(|m| m.messages_per_second()).collect();
            let mbs: Vec<f64> = ms.iter().map(|m| m.mb_per_second()).collect();
            let cpu: Vec<f64> = ms.iter().map(|m| m.cpu_us_per_message()).collect();
            let range = |xs: &[f64], digits: usize| {
                let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                format!(
                    "{:.*} ({:.*}-{:.*})",
                    digits,
                    median(xs.to_vec()),
                    digits,
                    lo,
                    digits,
                    hi
                )
            };
            let ratio = if side == "ours" {
                "1.00x".to_owned()
            } else {
                format!("{:.2}x", ours_rate / median(mps.clone()))
            };
            md.push_str(&format!(
                "| {op} | {} | {} | {} | {} | {ratio} |\n",
                if side == "ours" {
                    "ours (rdkafka + avro-registry)"
                } else {
                    "Python confluent-kafka + AvroSerializer"
                },
                range(&mps, 0),
                range(&mbs, 1),
                range(&cpu, 1)
            ));
            json_rows.push(serde_json::json!({
                "op": op, "side": side,
                "messages_per_second": mps, "mb_per_second": mbs, "cpu_us_per_message": cpu,
            }));
        }
    }
    if !python_errors.is_empty() {
        md.push_str(&format!(
            "\nPython side: {}\n",
            python_errors.join("\n").replace('\n', " / ")
        ));
    }
    println!("{md}");
    let dir = workspace().join("target/kafka-bench");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("results.json"),
        serde_json::to_vec_pretty(&serde_json::json!({
            "messages": count, "rounds": rounds, "python": python_info,
            "python_errors": python_errors, "results": json_rows,
        }))?,
    )?;
    drop((tansu, rivven));
    Ok(())
}
