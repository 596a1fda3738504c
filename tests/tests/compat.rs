//! ../shared/compat: every reader/writer pair and every compatibility-level
//! case gives the expected verdict, except the documented ones (README,
//! "Compatibility cases we decide differently").

use std::fs;

use avro_runtime::compat::{check, CompatibilityLevel};
use avro_runtime::resolve::resolve_texts;
use avro_tests::shared_dir;
use serde_json::Value;

/// Cases whose verdict we deliberately differ from, with the reason.
const DECIDED_DIFFERENTLY: &[(&str, &str)] = &[
    (
        "avro-java:TestSchemaCompatibility:validateSchemaPairMissingField:1",
        NAMELESS,
    ),
    (
        "avro-java:TestSchemaCompatibility:validateSchemaPairMissingSecondField:1",
        NAMELESS,
    ),
    (
        "avro-java:TestSchemaCompatibility:validateSchemaPairAllFields:1",
        NAMELESS,
    ),
    (
        "avro-java:TestSchemaCompatibility:validateSchemaNewFieldWithDefault:1",
        NAMELESS,
    ),
];

const NAMELESS: &str =
    "the Java test builds records without a name; the specification requires one, \
    so we reject the schema instead of judging the pair";

fn load(name: &str) -> Vec<Value> {
    let path = shared_dir().join("compat").join(name);
    let v: Value = serde_json::from_slice(
        &fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap();
    v.as_array().cloned().expect("a JSON array of cases")
}

fn report(file: &str, total: usize, disagreements: Vec<String>) {
    let (documented, unexpected): (Vec<_>, Vec<_>) = disagreements.into_iter().partition(|d| {
        DECIDED_DIFFERENTLY
            .iter()
            .any(|(id, _)| d.starts_with(&format!("{id}:")))
    });
    println!(
        "{file}: agreed {} / {total}",
        total - documented.len() - unexpected.len()
    );
    for d in &documented {
        println!("  decided differently (see README): {d}");
    }
    assert!(
        unexpected.is_empty(),
        "{} unexpected verdict(s):\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}

#[test]
fn reader_writer_pairs() {
    let cases = load("pairs.json");
    assert!(!cases.is_empty());
    let mut disagreements = Vec::new();
    for c in &cases {
        let id = c["id"].as_str().unwrap_or("?");
        let expected = c["compatible"].as_bool().expect("compatible: bool");
        let got = resolve_texts(&c["writer"].to_string(), &c["reader"].to_string());
        if got.is_ok() != expected {
            let why = match &got {
                Ok(_) => "resolved".to_owned(),
                Err(e) => e.to_string(),
            };
            disagreements.push(format!("{id}: expected compatible={expected}, got {why}"));
        }
    }
    report("pairs.json", cases.len(), disagreements);
}

#[test]
fn compatibility_levels() {
    let cases = load("levels.json");
    assert!(!cases.is_empty());
    let mut disagreements = Vec::new();
    for c in &cases {
        let id = c["id"].as_str().unwrap_or("?");
        let level: CompatibilityLevel = c["level"].as_str().unwrap().parse().unwrap();
        let previous: Vec<String> = c["previous"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::to_string)
            .collect();
        let refs: Vec<&str> = previous.iter().map(String::as_str).collect();
        let expected = c["compatible"].as_bool().unwrap();
        match check(level, &c["new"].to_string(), &refs) {
            Ok(problems) if problems.is_empty() == expected => {}
            Ok(problems) => disagreements.push(format!(
                "{id}: expected compatible={expected}, got {}",
                problems
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            Err(e) => disagreements.push(format!("{id}: schema error {e}")),
        }
    }
    report("levels.json", cases.len(), disagreements);
}
