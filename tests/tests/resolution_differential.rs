//! Resolution against apache-avro: for every compatible writer/reader pair of
//! ../shared/compat/pairs.json and every interop resolution case, random
//! writer datums read through our plan give the same reader-schema value as
//! apache-avro's resolving reader (`from_avro_datum(writer, reader)`),
//! compared byte for byte in the reader's encoding (maps: as values). Pairs
//! apache-avro cannot parse or resolve (it does not follow aliases; see
//! ../shared/interop/README.md) are counted and skipped.
#![allow(deprecated)]

use apache_avro::Schema as ASchema;
use avro_runtime::resolve::resolve;
use avro_runtime::schema::SchemaSet;
use avro_runtime::Reader;
use avro_tests::random::{random_datum, Heights, Rng};
use avro_tests::shared_dir;
use serde_json::Value;

const DATUMS_PER_PAIR: u64 = 24;

/// Pairs where apache-avro 0.22 is wrong, not compared (our answer for each
/// is checked against the vectors' resolved.json by the interop test).
const APACHE_AVRO_WRONG: &[(&str, &str)] = &[(
    "23-defaults-all-kinds",
    "apache-avro encodes bytes/fixed defaults as UTF-8 (\\u00ff -> c3 bf, a fixed(2) default becomes 3 bytes); \
     the specification maps code points 0-255 to single bytes",
)];

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
        if d.join("reader.avsc").is_file() && !d.join("resolution_error.txt").exists() {
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
        if let Some((_, why)) = APACHE_AVRO_WRONG
            .iter()
            .find(|(case, _)| id.ends_with(case))
        {
            skipped.push(format!("{id}: {why}"));
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
        let heights = Heights::new(&wset);
        if heights.of(&w) == usize::MAX {
            continue;
        }
        let mut pair_ok = true;
        for seed in 0..DATUMS_PER_PAIR {
            let mut bytes = Vec::new();
            random_datum(&wset, &heights, &w, &mut Rng::new(seed), 0, &mut bytes);
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
