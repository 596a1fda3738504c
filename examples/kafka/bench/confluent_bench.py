"""The Python side of examples/kafka's bench: confluent-kafka's Producer and
Consumer with its AvroSerializer / AvroDeserializer (fastavro underneath),
the seeds' own client, against the same broker and registry as the Rust
side, with the same librdkafka settings.

    confluent_bench.py produce|consume BOOTSTRAP REGISTRY_URL TOPIC COUNT SHARED_BENCH_DIR

Prints one JSON object: seconds (wall, first send to last acknowledgement,
or assignment to the last message decoded), cpu_seconds (time.process_time():
this process's CPU time, every thread), payload_bytes (framed values), and checks.
Any failure prints {"error": ...} and exits 1.
"""

import json
import os
import sys
import time
import traceback


def event_record(shared):
    """The workload's datum (data.json) in fastavro's form: a union value as
    the plain value rather than {"branch": value}."""
    with open(os.path.join(shared, "event", "data.json")) as f:
        data = json.load(f)
    record = data[0] if isinstance(data, list) else data
    return {
        k: (next(iter(v.values())) if isinstance(v, dict) and k == "referrer" else v)
        for k, v in record.items()
    }


def config(bootstrap):
    # The Rust side's settings (Servers::producer_config / consumer settings).
    return {
        "bootstrap.servers": bootstrap,
        "security.protocol": "plaintext",
    }


def produce(bootstrap, registry, topic, count, shared):
    from confluent_kafka import Producer
    from confluent_kafka.schema_registry import SchemaRegistryClient
    from confluent_kafka.schema_registry.avro import AvroSerializer
    from confluent_kafka.serialization import MessageField, SerializationContext

    with open(os.path.join(shared, "event", "schema.avsc")) as f:
        schema = f.read()
    with open(os.path.join(shared, "event", "datum.bin"), "rb") as f:
        datum = f.read()
    record = event_record(shared)
    sr = SchemaRegistryClient({"url": registry})
    serializer = AvroSerializer(sr, schema)
    ctx = SerializationContext(topic, MessageField.VALUE)
    producer = Producer(
        dict(config(bootstrap), **{
            "acks": "all",
            "enable.idempotence": False,
            "message.timeout.ms": 30000,
        })
    )
    # Warm: the schema registered and its id cached, as the Rust side's
    # first serialize does before timing.
    first = serializer(record, ctx)
    checks = {"body_equals_datum_bin": first[5:] == datum, "magic_and_id": list(first[:5])}
    errors = []

    def delivered(err, _msg):
        if err is not None:
            errors.append(str(err))

    payload_bytes = 0
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for n in range(count):
        value = serializer(record, ctx)
        payload_bytes += len(value)
        while True:
            try:
                producer.produce(topic, key=f"e{n}", value=value, on_delivery=delivered)
                break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)
    left = producer.flush(60)
    t1 = time.perf_counter()
    cpu1 = time.process_time()
    if left or errors:
        raise RuntimeError(f"{left} messages not delivered, errors: {errors[:3]}")
    return {
        "seconds": t1 - t0,
        "cpu_seconds": cpu1 - cpu0,
        "payload_bytes": payload_bytes,
        "checks": checks,
    }


def consume(bootstrap, registry, topic, count, shared):
    from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
    from confluent_kafka.schema_registry import SchemaRegistryClient
    from confluent_kafka.schema_registry.avro import AvroDeserializer
    from confluent_kafka.serialization import MessageField, SerializationContext

    expected = event_record(shared)
    sr = SchemaRegistryClient({"url": registry})
    deserializer = AvroDeserializer(sr)
    ctx = SerializationContext(topic, MessageField.VALUE)
    consumer = Consumer(
        dict(config(bootstrap), **{
            "group.id": "bench-python",
            "enable.auto.commit": False,
            "enable.partition.eof": False,
        })
    )
    payload_bytes = 0
    first = last = None
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    # Assigned, not subscribed: no group join in the timing (as the Rust side).
    consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    read = 0
    idle_since = time.perf_counter()
    while read < count:
        msg = consumer.poll(1.0)
        if msg is None:
            if time.perf_counter() - idle_since > 60:
                raise RuntimeError(f"no message for 60 s after {read} of {count}")
            continue
        if msg.error():
            raise RuntimeError(f"message {read}: {msg.error()}")
        idle_since = time.perf_counter()
        value = msg.value()
        payload_bytes += len(value)
        event = deserializer(value, ctx)
        if first is None:
            first = event
        last = event
        read += 1
    t1 = time.perf_counter()
    cpu1 = time.process_time()
    consumer.close()
    return {
        "seconds": t1 - t0,
        "cpu_seconds": cpu1 - cpu0,
        "payload_bytes": payload_bytes,
        "checks": {"first_and_last_equal_datum": first == expected and last == expected},
    }


def main():
    op, bootstrap, registry, topic, count, shared = sys.argv[1:7]
    try:
        import confluent_kafka
        run = {"produce": produce, "consume": consume}[op]
        result = run(bootstrap, registry, topic, int(count), shared)
        import fastavro
        version = confluent_kafka.version()
        result["versions"] = {
            "confluent_kafka": version[0] if isinstance(version, tuple) else version,
            "fastavro": fastavro.__version__,
            "librdkafka": confluent_kafka.libversion()[0],
            "python": sys.version.split()[0],
        }
        print(json.dumps(result))
    except Exception as e:  # reported to the Rust side, which prints why
        print(json.dumps({"error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}))
        sys.exit(1)


if __name__ == "__main__":
    main()
