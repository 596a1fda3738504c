//! The checks run on every interop vector directory with the type generated
//! from its `schema.avsc`: binary round trip, values against data.json,
//! canonical form, fingerprint, Confluent and single-object framing, container
//! files, and the alternative (multi-block) encodings.

use std::fs;
use std::path::Path;

use avro_runtime::json::ToAvroJson;
use avro_runtime::{AvroSchema, Decode, Encode};
use serde_json::Value;

use crate::jsoncmp::json_eq;

fn read(dir: &Path, name: &str) -> Result<Vec<u8>, String> {
    fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"))
}

fn read_json(dir: &Path, name: &str) -> Result<Value, String> {
    serde_json::from_slice(&read(dir, name)?).map_err(|e| format!("{name}: {e}"))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn slice<'a>(bytes: &'a [u8], entry: &Value, what: &str) -> Result<&'a [u8], String> {
    let off = entry["offset"]
        .as_u64()
        .ok_or(format!("{what}: no offset"))? as usize;
    let len = entry["length"]
        .as_u64()
        .ok_or(format!("{what}: no length"))? as usize;
    bytes
        .get(off..off + len)
        .ok_or(format!("{what}: offset out of range"))
}

/// Runs every check on one case; returns a summary of what was checked.
pub fn check_case<T>(dir: &Path) -> Result<String, String>
where
    T: Encode + Decode + AvroSchema + ToAvroJson,
{
    let mut checked = Vec::new();
    let datums = read(dir, "datums.bin")?;
    let offsets = read_json(dir, "offsets.json")?;
    let data = read_json(dir, "data.json")?;
    let offsets = offsets.as_array().ok_or("offsets.json is not an array")?;
    let data = data.as_array().ok_or("data.json is not an array")?;
    let mut values = Vec::new();
    for (i, entry) in offsets.iter().enumerate() {
        let bytes = slice(&datums, entry, "offsets.json")?;
        let v: T =
            avro_runtime::from_slice(bytes).map_err(|e| format!("datum {i}: decode: {e}"))?;
        let again = avro_runtime::to_vec(&v).map_err(|e| format!("datum {i}: encode: {e}"))?;
        if again != bytes {
            return Err(format!(
                "datum {i}: re-encoded {} != original {}",
                hex(&again),
                hex(bytes)
            ));
        }
        let expected = data.get(i).ok_or(format!("data.json has no datum {i}"))?;
        json_eq(&v.to_avro_json(), expected)
            .map_err(|e| format!("datum {i}: value differs from data.json {e}"))?;
        values.push(v);
    }
    checked.push(format!("{} datums", values.len()));

    let canonical = String::from_utf8(read(dir, "canonical.txt")?).map_err(|e| e.to_string())?;
    if T::canonical_form() != canonical {
        return Err(format!(
            "canonical form {} != canonical.txt {canonical}",
            T::canonical_form()
        ));
    }
    let fp_text = String::from_utf8(read(dir, "fingerprint.txt")?).map_err(|e| e.to_string())?;
    let le_hex = fp_text
        .lines()
        .find_map(|l| l.strip_prefix("le_hex="))
        .ok_or("fingerprint.txt has no le_hex")?;
    if hex(&T::fingerprint().to_le_bytes()) != le_hex.trim() {
        return Err(format!(
            "fingerprint {:016x} != fingerprint.txt {le_hex}",
            T::fingerprint()
        ));
    }
    checked.push("canonical form + fingerprint".into());

    if dir.join("confluent.bin").exists() {
        let meta = read_json(dir, "confluent.json")?;
        let id = meta["schema_id"]
            .as_u64()
            .ok_or("confluent.json: no schema_id")? as u32;
        let idx = meta["datum_index"].as_u64().unwrap_or(0) as usize;
        let expected = read(dir, "confluent.bin")?;
        let v = values
            .get(idx)
            .ok_or("confluent datum_index out of range")?;
        let framed = avro_runtime::framing::to_confluent(id, v).map_err(|e| e.to_string())?;
        if framed != expected {
            return Err(format!(
                "Confluent frame {} != confluent.bin {}",
                hex(&framed),
                hex(&expected)
            ));
        }
        let back: T = avro_runtime::framing::from_confluent(&expected, id)
            .map_err(|e| format!("confluent.bin: {e}"))?;
        json_eq(&back.to_avro_json(), &v.to_avro_json())?;
        checked.push("confluent".into());
    }

    if let (Ok(expected), Some(v)) = (read(dir, "single_object.bin"), values.first()) {
        let framed = avro_runtime::framing::to_single_object(v).map_err(|e| e.to_string())?;
        if framed != expected {
            return Err(format!(
                "single-object {} != single_object.bin {}",
                hex(&framed),
                hex(&expected)
            ));
        }
        let back: T = avro_runtime::framing::from_single_object(&expected)
            .map_err(|e| format!("single_object.bin: {e}"))?;
        json_eq(&back.to_avro_json(), &v.to_avro_json())?;
        checked.push("single-object".into());
    }

    for file in ["fastavro_container.avro", "fastavro_container_deflate.avro"] {
        let Ok(bytes) = read(dir, file) else { continue };
        let (_, read_values) =
            avro_runtime::container::read_all::<T>(&bytes).map_err(|e| format!("{file}: {e}"))?;
        if read_values.len() != values.len() {
            return Err(format!(
                "{file}: {} values, expected {}",
                read_values.len(),
                values.len()
            ));
        }
        for (i, (a, b)) in read_values.iter().zip(&values).enumerate() {
            json_eq(&a.to_avro_json(), &b.to_avro_json())
                .map_err(|e| format!("{file} value {i}: {e}"))?;
        }
        checked.push(file.into());
    }

    if let Ok(alt) = read(dir, "alt_datums.bin") {
        let alt_offsets = read_json(dir, "alt_offsets.json")?;
        for (k, entry) in alt_offsets
            .as_array()
            .ok_or("alt_offsets.json is not an array")?
            .iter()
            .enumerate()
        {
            let bytes = slice(&alt, entry, "alt_offsets.json")?;
            let v: T = avro_runtime::from_slice(bytes)
                .map_err(|e| format!("alt datum {k}: decode: {e}"))?;
            let eq = entry["equals_datum"]
                .as_u64()
                .ok_or("alt_offsets.json: no equals_datum")? as usize;
            let expected = data.get(eq).ok_or("equals_datum out of range")?;
            json_eq(&v.to_avro_json(), expected).map_err(|e| format!("alt datum {k}: {e}"))?;
        }
        checked.push("alt encodings".into());
    }
    Ok(checked.join(", "))
}

/// Reads every datum of `datums.bin` (written with `W`'s schema) as `R`, the
/// type generated from `reader.avsc`, through a resolution plan; compares with
/// resolved.json, or expects failure where the case has resolution_error.txt.
pub fn check_resolved<R, W>(dir: &Path) -> Result<String, String>
where
    R: Decode + AvroSchema + ToAvroJson,
    W: AvroSchema,
{
    let datums = read(dir, "datums.bin")?;
    let offsets = read_json(dir, "offsets.json")?;
    let resolver = avro_runtime::resolve::Resolver::<R>::new();
    let expect_error = dir.join("resolution_error.txt").exists();
    let plan = match resolver.plan_for(W::schema()) {
        Ok(p) => p,
        Err(e) if expect_error => return Ok(format!("rejected as expected: {e}")),
        Err(e) => return Err(format!("no plan: {e}")),
    };
    if expect_error {
        return Err("resolution_error.txt says reading must fail, but a plan was made".into());
    }
    let resolved = read_json(dir, "resolved.json")?;
    let resolved = resolved.as_array().ok_or("resolved.json is not an array")?;
    let offsets = offsets.as_array().ok_or("offsets.json is not an array")?;
    for (i, entry) in offsets.iter().enumerate() {
        let bytes = slice(&datums, entry, "offsets.json")?;
        let v: R = avro_runtime::resolve::decode_with_plan(&plan, bytes)
            .map_err(|e| format!("datum {i}: {e}"))?;
        let expected = resolved
            .get(i)
            .ok_or(format!("resolved.json has no datum {i}"))?;
        json_eq(&v.to_avro_json(), expected).map_err(|e| format!("resolved datum {i}: {e}"))?;
    }
    Ok(format!("{} datums resolved", offsets.len()))
}
