//! Resolution against apache-avro: for every compatible writer/reader pair of
//! ../shared/compat/pairs.json and every interop resolution case, random
//! writer datums read through our plan give the same reader-schema value as
//! apache-avro's resolving reader (`from_avro_datum(writer, reader)`),
//! compared byte for byte in the reader's encoding (maps: as values). Pairs
//! apache-avro cannot parse or resolve (it does not follow aliases; see
//! ../shared/interop/README.md) are counted and skipped. Where an interop
//! vector carries `resolved.json` (written by fastavro), that is the oracle,
//! not apache-avro; apache-avro's known faults are listed once, each with
//! its reason and the shape it applies to ([`APACHE_AVRO_FAULTS`]).
#![allow(deprecated)]

use apache_avro::Schema as ASchema;
use avro_runtime::resolve::resolve;
use avro_runtime::schema::SchemaSet;
use avro_runtime::Reader;
use avro_tests::random::{any_node, random_datums, Rng};
use avro_tests::shared_dir;
use serde_json::Value;

const DATUMS_PER_PAIR: u64 = 24;

/// A known fault of apache-avro 0.22's resolving reader: why it is wrong,
/// and which (writer, reader) schema texts show it. Such pairs are not
/// compared with apache-avro (counted and printed).
struct Fault {
    reason: &'static str,
    applies: fn(&str, &str) -> bool,
}

const APACHE_AVRO_FAULTS: &[Fault] = &[Fault {
    reason:
        "apache-avro encodes bytes/fixed defaults as UTF-8 (\\u00ff -> c3 bf, a fixed(2) default \
             becomes 3 bytes); the specification maps code points 0-255 to single bytes",
    applies: |_, reader| {
        non_ascii_binary_default(&serde_json::from_str(reader).unwrap_or_default())
    },
}];

/// Whether a field default of a `bytes` or `fixed` type (or anything not
/// a string) holds a string with code points above 0x7f.
fn non_ascii_binary_default(v: &Value) -> bool {
    match v {
        Value::Object(o) => {
            let is_string =
                |t: &Value| t == "string" || t.get("type").is_some_and(|x| x == "string");
            let first_type = o
                .get("type")
                .map(|t| t.as_array().and_then(|a| a.first()).unwrap_or(t));
            let bad_default = o.get("default").is_some_and(|d| {
                d.as_str().is_some_and(|s| !s.is_ascii()) && !first_type.is_some_and(is_string)
            });
            bad_default || o.values().any(non_ascii_binary_default)
        }
        Value::Array(a) => a.iter().any(non_ascii_binary_default),
        _ => false,
    }
}

fn pairs() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let compat: Value =
        serde_json::from_slice(&std::fs::read(shared_dir().join("compat/pairs.json")).unwrap())
            .unwrap();
    for c in compat.as_array().unwrap() {
        if c["compatible"] == true {
            out.push((
                c["id"].as_str().unwrap().to_owned(),
                c["writer"].to_string(),
                c["reader"].to_string(),
            ));
        }
    }
    let interop = shared_dir().join("interop");
    let mut dirs: Vec<_> = std::fs::read_dir(&interop)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for d in dirs {
        // Vectors with resolved.json are checked against it instead.
        if d.join("reader.avsc").is_file()
            && !d.join("resolution_error.txt").exists()
            && !d.join("resolved.json").exists()
        {
            let read = |f: &str| std::fs::read_to_string(d.join(f)).unwrap();
            out.push((
                d.display().to_string(),
                read("schema.avsc"),
                read("reader.avsc"),
            ));
        }
    }
    out
}

#[test]
fn plans_agree_with_apache_avro_resolution() {
    let (mut compared, mut skipped, mut failures) = (0, Vec::new(), Vec::new());
    for (id, writer, reader) in pairs() {
        if let Some(f) = APACHE_AVRO_FAULTS
            .iter()
            .find(|f| (f.applies)(&writer, &reader))
        {
            skipped.push(format!("{id}: apache-avro is no oracle here: {}", f.reason));
            continue;
        }
        let (Ok((wset, w)), Ok((rset, r))) =
            (SchemaSet::parse_str(&writer), SchemaSet::parse_str(&reader))
        else {
            skipped.push(format!("{id}: we reject a schema (see the compat test)"));
            continue;
        };
        let plan = match resolve(&wset, &w, &rset, &r) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{id}: no plan for a compatible pair: {e:?}"));
                continue;
            }
        };
        let (Ok(aw), Ok(ar)) = (ASchema::parse_str(&writer), ASchema::parse_str(&reader)) else {
            skipped.push(format!("{id}: apache-avro cannot parse it"));
            continue;
        };
        let datums = random_datums(&wset, &w, DATUMS_PER_PAIR);
        if datums.is_empty() {
            continue;
        }
        let mut pair_ok = true;
        for bytes in datums {
            let theirs = match apache_avro::from_avro_datum(&aw, &mut &bytes[..], Some(&ar)) {
                Ok(v) => v,
                Err(e) => {
                    skipped.push(format!("{id}: apache-avro cannot resolve it: {e}"));
                    pair_ok = false;
                    break;
                }
            };
            let mut ours = Vec::new();
            if let Err(e) = plan.transcode(&mut Reader::new(&bytes), &mut ours) {
                failures.push(format!("{id}: our plan failed on {bytes:02x?}: {e}"));
                pair_ok = false;
                break;
            }
            let ours_value = apache_avro::from_avro_datum(&ar, &mut &ours[..], None);
            if ours_value.as_ref().ok() != Some(&theirs) {
                failures.push(format!(
                    "{id}: datum {bytes:02x?}: ours {ours_value:?} != apache-avro {theirs:?}"
                ));
                pair_ok = false;
                break;
            }
        }
        if pair_ok {
            compared += 1;
        }
    }
    println!(
        "resolution differential: {compared} pairs agreed, {} skipped, {} failed",
        skipped.len(),
        failures.len()
    );
    for s in &skipped {
        println!("  skipped {s}");
    }
    assert!(compared > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The generated resolved decoders (reading the writer's bytes straight
/// into the type generated from the reader schema) against the reference
/// path (transcode, then the ordinary decoder), for every compatible pair of
/// ../shared/compat/pairs.json: random writer datums, plus corrupted ones
/// (truncated, a byte flipped) and random bytes, must give the same value
/// or both fail. A plan made for another reader never makes them panic.
/// Interop vectors with `resolved.json` (fastavro's reading of the datums
/// with reader.avsc): our plan, through the type generated from the reader
/// schema, gives exactly those values (discovered from the directory).
#[test]
fn plans_agree_with_resolved_json_where_a_vector_has_it() {
    let dir = shared_dir().join("interop");
    let (mut checked, mut failures) = (0, Vec::new());
    for case in avro_tests::INTEROP {
        let Some(check) = case.resolved else { continue };
        if !dir.join(case.name).join("resolved.json").exists() {
            continue;
        }
        match check(&dir.join(case.name)) {
            Ok(_) => checked += 1,
            Err(e) => failures.push(format!("{}: {e}", case.name)),
        }
    }
    println!("resolved.json oracle: {checked} vectors agreed");
    assert!(checked > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn generated_resolved_decoders_agree_with_transcoding() {
    let compat: Value =
        serde_json::from_slice(&std::fs::read(shared_dir().join("compat/pairs.json")).unwrap())
            .unwrap();
    let (mut checked, mut failures) = (0, Vec::new());
    let mut previous_plan = None;
    for c in compat.as_array().unwrap() {
        if c["compatible"] != true {
            continue;
        }
        let id = c["id"].as_str().unwrap();
        let (writer, reader) = (c["writer"].to_string(), c["reader"].to_string());
        let (Ok((wset, w)), Ok((rset, r))) =
            (SchemaSet::parse_str(&writer), SchemaSet::parse_str(&reader))
        else {
            continue; // rejected schemas: see the compat test
        };
        let Some(typed) = avro_tests::COMPAT_READERS.iter().find(|t| t.id == id) else {
            failures.push(format!("{id}: no type was generated for its reader"));
            continue;
        };
        let check = match typed.check {
            Ok(check) => check,
            Err(e) => {
                failures.push(format!("{id}: generating its reader failed: {e}"));
                continue;
            }
        };
        let Ok(plan) = resolve(&wset, &w, &rset, &r) else {
            continue; // reported by plans_agree_with_apache_avro_resolution
        };
        let datums = random_datums(&wset, &w, DATUMS_PER_PAIR);
        if datums.is_empty() {
            continue;
        }
        let mut pair_ok = true;
        for (seed, bytes) in (0u64..).zip(datums) {
            let mut variants = vec![bytes.clone()];
            if !bytes.is_empty() {
                variants.push(bytes[..bytes.len() - 1].to_vec());
                let mut flipped = bytes.clone();
                let at = seed as usize % bytes.len();
                flipped[at] ^= 0x81;
                variants.push(flipped);
            }
            // And noise: never a panic, the same verdict as the reference.
            let mut rng = Rng::new(seed ^ 0x5eed);
            let len = rng.below(24) as usize;
            variants.push(rng.bytes(len));
            for v in variants {
                if let Err(e) = check(&plan, &v) {
                    failures.push(format!("{id}: datum {v:02x?}: {e}"));
                    pair_ok = false;
                }
            }
        }
        checked += usize::from(pair_ok);
        // Misuse: the previous pair's plan (made for another reader schema)
        // with this type. Errors are expected; a panic fails the test.
        if let Some(other) = &previous_plan {
            let mut rng = Rng::new(checked as u64);
            for _ in 0..DATUMS_PER_PAIR {
                let len = rng.below(24) as usize;
                drop(check(other, &rng.bytes(len)));
            }
        }
        previous_plan = Some(plan);
    }
    println!(
        "typed resolved decoding: {checked} pairs agreed with transcoding, {} failures",
        failures.len()
    );
    assert!(checked > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Random evolution of a schema's JSON, the way schemas evolve in practice:
/// fields dropped, added with defaults, promoted, made optional, reordered,
/// enum symbols added. Applied to every record and enum definition reached.
fn evolve(v: &mut Value, rng: &mut Rng, counter: &mut usize) {
    match v {
        Value::Array(branches) => branches.iter_mut().for_each(|b| evolve(b, rng, counter)),
        Value::Object(o) => {
            let kind = o
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            match kind.as_str() {
                "record" | "error" => {
                    let Some(Value::Array(fields)) = o.get_mut("fields") else {
                        return;
                    };
                    let mut evolved = Vec::new();
                    for mut f in std::mem::take(fields) {
                        match rng.below(8) {
                            0 => continue, // dropped
                            1 => {
                                // promoted, where the type is a plain primitive
                                let to = match f["type"].as_str() {
                                    Some("int") => {
                                        Some(["long", "float", "double"][rng.below(3) as usize])
                                    }
                                    Some("long") => {
                                        Some(["float", "double"][rng.below(2) as usize])
                                    }
                                    Some("float") => Some("double"),
                                    Some("string") => Some("bytes"),
                                    _ => None,
                                };
                                if let Some(to) = to {
                                    f["type"] = to.into();
                                }
                            }
                            2 if !f["type"].is_array() && f["type"] != "null" => {
                                // made optional (the writer's type as the second branch)
                                let t = f["type"].take();
                                f["type"] = serde_json::json!(["null", t]);
                                f["default"] = Value::Null;
                            }
                            _ => {}
                        }
                        if let Some(t) = f.get_mut("type") {
                            evolve(t, rng, counter);
                        }
                        evolved.push(f);
                    }
                    if rng.below(3) == 0 {
                        *counter += 1;
                        evolved.push(serde_json::json!({"name": format!("added_{counter}"), "type": ["null", "long"], "default": null}));
                    }
                    if rng.below(4) == 0 {
                        *counter += 1;
                        evolved.push(serde_json::json!({"name": format!("added_{counter}"), "type": "string", "default": "new"}));
                    }
                    if rng.below(3) == 0 {
                        evolved.reverse();
                    }
                    *fields = evolved;
                }
                "enum" => {
                    if let Some(Value::Array(symbols)) = o.get_mut("symbols") {
                        *counter += 1;
                        symbols.push(format!("ADDED_{counter}").into());
                    }
                }
                "array" => {
                    if let Some(items) = o.get_mut("items") {
                        evolve(items, rng, counter);
                    }
                }
                "map" => {
                    if let Some(values) = o.get_mut("values") {
                        evolve(values, rng, counter);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// A union with two or more record branches: apache-avro
/// 0.22 resolves such a writer branch to the first reader record that
/// structurally fits instead of the one with the same name (the
/// specification's rule, which ours follows), so it is no oracle there.
fn is_union_of_records(set: &SchemaSet, s: &avro_runtime::schema::Schema) -> bool {
    use avro_runtime::schema::{NamedKind, Schema};
    let Schema::Union(b) = s else { return false };
    b.iter()
        .filter(|x| matches!(x, Schema::Named(id) if matches!(set.get(*id).kind, NamedKind::Record { .. })))
        .count()
        >= 2
}

/// Random schema pairs where resolution succeeds: writers from the interop
/// vectors and single-file corpus schemas, readers evolved from them at
/// random. Our plan must exist, and read random writer data as apache-avro's
/// resolving reader does.
#[test]
fn plans_for_random_evolutions_agree_with_apache_avro() {
    use avro_tests::{Outcome, CORPUS, INTEROP};
    let shared = shared_dir();
    let mut writers: Vec<(String, String)> = INTEROP
        .iter()
        .map(|c| {
            (
                c.name.to_owned(),
                std::fs::read_to_string(shared.join("interop").join(c.name).join("schema.avsc"))
                    .unwrap(),
            )
        })
        .collect();
    for c in CORPUS {
        if matches!(c.outcome, Outcome::Generated(_))
            && c.deps.is_empty()
            && c.file.ends_with(".avsc")
        {
            writers.push((
                c.file.to_owned(),
                std::fs::read_to_string(shared.join("corpus").join(c.file)).unwrap(),
            ));
        }
    }
    let (mut agreed, mut plan_only, mut skipped, mut failures) = (0, 0, 0, Vec::new());
    for (name, writer) in &writers {
        let Ok(aw) = ASchema::parse_str(writer) else {
            skipped += 1;
            continue;
        };
        let (wset, w) = SchemaSet::parse_str(writer).unwrap();
        // The same writer datums for every evolution of this writer.
        let datums = random_datums(&wset, &w, 8);
        if datums.is_empty() {
            continue;
        }
        let apache_is_oracle = !any_node(&wset, &w, &|s| is_union_of_records(&wset, s));
        for seed in 0..4u64 {
            let mut rng = Rng::new(seed.wrapping_mul(7919) ^ name.len() as u64);
            let mut reader_json: Value = serde_json::from_str(writer).unwrap();
            evolve(&mut reader_json, &mut rng, &mut 0);
            let reader = reader_json.to_string();
            let (Ok((rset, r)), Ok(ar)) =
                (SchemaSet::parse_str(&reader), ASchema::parse_str(&reader))
            else {
                skipped += 1;
                continue;
            };
            let plan = match resolve(&wset, &w, &rset, &r) {
                Ok(p) => p,
                Err(e) => {
                    failures.push(format!("{name} (seed {seed}): no plan for an evolution that only adds, drops, promotes: {e:?}\n  reader {reader}"));
                    continue;
                }
            };
            let mut ok = true;
            for bytes in &datums {
                let mut ours = Vec::new();
                if !apache_is_oracle {
                    // Still: the plan reads every datum without error.
                    if let Err(e) = plan.transcode(&mut Reader::new(bytes), &mut ours) {
                        failures.push(format!(
                            "{name} (seed {seed}): our plan failed on {bytes:02x?}: {e}"
                        ));
                    }
                    continue;
                }
                let Ok(theirs) = apache_avro::from_avro_datum(&aw, &mut &bytes[..], Some(&ar))
                else {
                    skipped += 1;
                    ok = false;
                    break;
                };
                let ours_value = plan
                    .transcode(&mut Reader::new(bytes), &mut ours)
                    .map_err(|e| e.to_string())
                    .and_then(|_| {
                        apache_avro::from_avro_datum(&ar, &mut &ours[..], None)
                            .map_err(|e| e.to_string())
                    });
                if ours_value.as_ref().ok() != Some(&theirs) {
                    failures.push(format!("{name} (seed {seed}): datum {bytes:02x?}: ours {ours_value:?} != apache-avro {theirs:?}\n  reader {reader}"));
                    ok = false;
                    break;
                }
            }
            if ok && apache_is_oracle {
                agreed += 1;
            } else if ok {
                plan_only += 1;
            }
        }
    }
    println!(
        "random evolutions: {agreed} pairs agreed with apache-avro, {plan_only} read without error where apache-avro is no oracle (unions of records), {skipped} skipped (apache-avro could not parse or resolve), {} failed",
        failures.len()
    );
    assert!(agreed > 0);
    assert!(
        failures.is_empty(),
        "{}",
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
