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

/// Root records of the interop vectors (discovered), as JSON.
fn root_records() -> Vec<(String, Value)> {
    let dir = shared_dir().join("interop");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for d in dirs {
        let Ok(text) = fs::read_to_string(d.join("schema.avsc")) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if v["type"] == "record" && v["fields"].as_array().is_some_and(|f| f.len() >= 2) {
            out.push((d.file_name().unwrap().to_string_lossy().into_owned(), v));
        }
    }
    out
}

fn outer(x: Value) -> String {
    serde_json::json!({"type": "record", "name": "Outer", "namespace": "gen", "fields": [{"name": "x", "type": x}]})
        .to_string()
}

/// The full name of `r` defined inside `outer`'s record (namespace `gen`).
fn full_name(r: &Value) -> String {
    let name = r["name"].as_str().unwrap();
    match r["namespace"].as_str() {
        _ if name.contains('.') => name.to_owned(),
        Some(ns) if !ns.is_empty() => format!("{ns}.{name}"),
        Some(_) => name.to_owned(),
        None => format!("gen.{name}"),
    }
}

/// Pairs made by mutating the vectors' root records the ways the issue's
/// random pairs did, each with the verdict the specification and Java's
/// `SchemaCompatibility` give:
/// * renamed into another namespace with an alias in that namespace
///   (aliases are full names): NAME_MISMATCH; with the writer's full name
///   as the alias: compatible;
/// * a decoy branch with the same unqualified name in another namespace
///   before the real one in a reader union: the branch of the same full
///   name is taken: compatible;
/// * a reader field whose alias names another writer field: ambiguous,
///   incompatible;
/// * a writer union read by a non-union reader: incompatible for the
///   checker, yet decodable datum by datum.
#[test]
fn generated_mutations_of_the_vectors_get_the_specified_verdicts() {
    let mut cases: Vec<(String, String, String, bool)> = Vec::new();
    for (name, r) in root_records() {
        let short = r["name"]
            .as_str()
            .unwrap()
            .rsplit('.')
            .next()
            .unwrap()
            .to_owned();
        let writer = outer(r.clone());
        let mut moved = r.clone();
        moved["name"] = format!("moved.{short}V2").into();
        moved["aliases"] = serde_json::json!([format!("moved.{short}")]);
        cases.push((
            format!("{name}: alias in another namespace"),
            writer.clone(),
            outer(moved.clone()),
            false,
        ));
        moved["aliases"] = serde_json::json!([full_name(&r)]);
        cases.push((
            format!("{name}: alias with the writer's full name"),
            writer.clone(),
            outer(moved),
            true,
        ));
        let decoy = serde_json::json!({"type": "record", "name": format!("decoy.{short}"),
            "fields": [{"name": "zz_decoy", "type": "boolean"}]});
        cases.push((
            format!("{name}: decoy union branch"),
            writer.clone(),
            outer(serde_json::json!([decoy, r.clone()])),
            true,
        ));
        let mut aliased = r.clone();
        let other = aliased["fields"][1]["name"].clone();
        aliased["fields"][0]["aliases"] = serde_json::json!([other]);
        cases.push((
            format!("{name}: field alias names another field"),
            writer.clone(),
            outer(aliased),
            false,
        ));
    }
    cases.push((
        "writer union, non-union reader".into(),
        outer(serde_json::json!(["string", "int"])),
        outer("long".into()),
        false,
    ));
    assert!(cases.len() > 1);
    let (mut agreed, mut skipped, mut failures) = (0, 0, Vec::new());
    for (id, writer, reader, expected) in &cases {
        match resolve_texts(writer, reader) {
            Err(avro_runtime::resolve::ResolveError::Schema(_)) => skipped += 1,
            got if got.is_ok() == *expected => agreed += 1,
            got => failures.push(format!(
                "{id}: expected compatible={expected}, got {}",
                got.map(|_| "a plan".to_owned())
                    .unwrap_or_else(|e| e.to_string())
            )),
        }
    }
    println!(
        "generated pairs: {agreed} agreed, {skipped} skipped (a mutation made a schema invalid)"
    );
    assert!(agreed > cases.len() / 2);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_writer_union_read_by_a_non_union_reader_decodes_per_datum() {
    use avro_runtime::resolve::resolve_for_decoding;
    use avro_runtime::schema::SchemaSet;
    let (ws, w) = SchemaSet::parse_str(r#"["string","int"]"#).unwrap();
    for reader in [r#""long""#, r#""int""#] {
        let (rs, r) = SchemaSet::parse_str(reader).unwrap();
        assert!(avro_runtime::resolve::resolve(&ws, &w, &rs, &r).is_err());
        let plan = resolve_for_decoding(&ws, &w, &rs, &r).unwrap();
        // 02 0a: branch 1 (int) 5.
        let mut out = Vec::new();
        plan.transcode(&mut avro_runtime::Reader::new(&[0x02, 0x0a]), &mut out)
            .unwrap();
        assert_eq!(out, [0x0a], "{reader}");
        let e = plan
            .transcode(
                &mut avro_runtime::Reader::new(&[0x00, 0x02, b'a']),
                &mut Vec::new(),
            )
            .unwrap_err();
        assert!(
            e.to_string().contains("writer union branch 0 (string)"),
            "{e}"
        );
    }
    // No readable branch: refused.
    let (rs, r) = SchemaSet::parse_str(r#""boolean""#).unwrap();
    assert!(resolve_for_decoding(&ws, &w, &rs, &r).is_err());
}

#[test]
fn a_writer_union_branch_the_reader_union_lacks_fails_per_datum() {
    use avro_runtime::resolve::resolve_for_decoding;
    use avro_runtime::schema::SchemaSet;
    let (ws, w) = SchemaSet::parse_str(r#"["null","string","int"]"#).unwrap();
    let (rs, r) = SchemaSet::parse_str(r#"["null","string"]"#).unwrap();
    // The checker (and the registry) still call the pair incompatible.
    assert!(avro_runtime::resolve::resolve(&ws, &w, &rs, &r).is_err());
    let plan = resolve_for_decoding(&ws, &w, &rs, &r).unwrap();
    // 02 02 61: branch 1 (string) "a", read as the reader's branch 1.
    let mut out = Vec::new();
    plan.transcode(
        &mut avro_runtime::Reader::new(&[0x02, 0x02, b'a']),
        &mut out,
    )
    .unwrap();
    assert_eq!(out, [0x02, 0x02, b'a']);
    let e = plan
        .transcode(
            &mut avro_runtime::Reader::new(&[0x04, 0x0a]),
            &mut Vec::new(),
        )
        .unwrap_err();
    assert!(e.to_string().contains("writer union branch 2 (int)"), "{e}");
    // No branch readable: refused.
    let (rs, r) = SchemaSet::parse_str(r#"["boolean","double"]"#).unwrap();
    let (ws, w) = SchemaSet::parse_str(r#"["string","bytes"]"#).unwrap();
    assert!(resolve_for_decoding(&ws, &w, &rs, &r).is_err());
}
