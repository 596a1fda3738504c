//! Confluent's serializer's own bytes (`../shared/interop/*/confluent.bin`,
//! written by confluent-kafka's AvroSerializer against a `mock://`
//! registry): our Serializer must write the same bytes for the same datum
//! and id, and our Deserializer must read them back to the datum.

use std::path::Path;

use avro_registry::{
    Deserializer, MockRegistry, Mode, RegisterRequest, Registry, Schema, Serializer,
};
use avro_runtime::{AvroSchema, Decode, Encode};

/// Checks one case directory.
type Check = fn(&Path) -> Result<(), String>;

include!(concat!(env!("OUT_DIR"), "/interop.rs"));

fn read(p: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn json(p: &Path) -> Result<serde_json::Value, String> {
    serde_json::from_slice(&read(p)?).map_err(|e| format!("{}: {e}", p.display()))
}

/// One case: the datum Confluent framed, through our serializer and back.
fn check_case<T: AvroSchema + Encode + Decode>(dir: &Path) -> Result<(), String> {
    let meta = json(&dir.join("confluent.json"))?;
    let id = meta["schema_id"]
        .as_u64()
        .ok_or("confluent.json: schema_id")? as u32;
    let subject = meta["subject"].as_str().ok_or("confluent.json: subject")?;
    let topic = subject
        .strip_suffix("-value")
        .ok_or("subject is not <topic>-value")?;
    let index = meta["datum_index"].as_u64().unwrap_or(0) as usize;
    let offsets = json(&dir.join("offsets.json"))?;
    let at = &offsets[index];
    let (offset, len) = (
        at["offset"].as_u64().ok_or("offsets.json: offset")? as usize,
        at["length"].as_u64().ok_or("offsets.json: length")? as usize,
    );
    let datums = read(&dir.join("datums.bin"))?;
    let body = datums
        .get(offset..offset + len)
        .ok_or("offsets.json out of range")?;
    let expected = read(&dir.join("confluent.bin"))?;
    let schema_text =
        String::from_utf8(read(&dir.join("schema.avsc"))?).map_err(|e| e.to_string())?;

    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        // The registry holds the case's schema under Confluent's id for it.
        let registry = MockRegistry::new();
        registry
            .set_mode(None, Mode::Import, true)
            .await
            .map_err(|e| e.to_string())?;
        let req = RegisterRequest {
            id: Some(id),
            ..RegisterRequest::from(Schema::avro(schema_text))
        };
        registry
            .register(subject, &req, false)
            .await
            .map_err(|e| e.to_string())?;
        registry
            .set_mode(None, Mode::ReadWrite, false)
            .await
            .map_err(|e| e.to_string())?;

        let value: T = avro_runtime::from_slice(body).map_err(|e| format!("datum: {e}"))?;
        let producer = Serializer::<T, _>::new(registry.clone()).map_err(|e| e.to_string())?;
        let bytes = producer
            .serialize(topic, &value)
            .await
            .map_err(|e| e.to_string())?;
        if bytes != expected {
            return Err(format!(
                "serialized {bytes:02x?}, Confluent wrote {expected:02x?}"
            ));
        }
        let consumer = Deserializer::<T, _>::new(registry).map_err(|e| e.to_string())?;
        let back = consumer
            .deserialize(&expected)
            .await
            .map_err(|e| e.to_string())?;
        let again = avro_runtime::to_vec(&back).map_err(|e| e.to_string())?;
        if again != body {
            return Err(format!(
                "deserialized and re-encoded {again:02x?}, datum is {body:02x?}"
            ));
        }
        Ok(())
    })
}

#[test]
fn serializer_writes_confluents_bytes_and_deserializer_reads_them() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/interop");
    let dir = std::env::var_os("AVRO_SHARED_DIR")
        .map(|d| Path::new(&d).join("interop"))
        .unwrap_or(shared);
    assert!(
        !INTEROP.is_empty(),
        "no Confluent vectors found under {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for (name, check) in INTEROP {
        if let Err(e) = check(&dir.join(name)) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        INTEROP.len(),
        failures.join("\n")
    );
    eprintln!("{} Confluent vectors: same bytes, read back", INTEROP.len());
}
