//! Decoders specialized per known writer (`Options::known_writers`): which
//! writers get one, under which fingerprint, what they read, and which
//! writers fail the build or are left to the plan.

use avro_codegen::{generate_from_sources, CodegenError, Options, SchemaSet, Source};

const READER: &str = r#"{"type": "record", "name": "Student", "namespace": "school", "fields": [
  {"name": "name", "type": "string"},
  {"name": "class", "type": "long", "default": 1},
  {"name": "grade", "type": {"type": "enum", "name": "Grade", "symbols": ["A", "B", "OTHER"], "default": "OTHER"}, "default": "A"},
  {"name": "nick", "type": ["null", "string"], "default": null, "aliases": ["nickname"]}
]}"#;

fn generate(writers: &[&str]) -> Result<String, CodegenError> {
    let opts = Options {
        known_writers: writers
            .iter()
            .map(|w| ("school.Student".to_owned(), (*w).to_owned()))
            .collect(),
        ..Options::default()
    };
    let modules = generate_from_sources(vec![Source::new("student.avsc", READER)], &opts)?;
    Ok(modules.into_values().collect())
}

fn fingerprint(schema: &str) -> u64 {
    let (set, root) = SchemaSet::parse_str(schema).unwrap();
    set.fingerprint(&root)
}

#[test]
fn a_known_writer_gets_a_straight_line_decoder_under_its_fingerprint() {
    let v1 = r#"{"type": "record", "name": "Student", "namespace": "school", "fields": [
      {"name": "name", "type": "string"}, {"name": "class", "type": "int"},
      {"name": "dropped", "type": {"type": "array", "items": {"type": "map", "values": "double"}}},
      {"name": "grade", "type": {"type": "enum", "name": "Grade", "symbols": ["C", "A"]}},
      {"name": "nickname", "type": ["null", "string"]}
    ]}"#;
    let src = generate(&[v1]).unwrap();
    let fp = fingerprint(v1);
    assert!(
        src.contains(&format!("{fp}u64 => __g::Some(__known0)")),
        "{src}"
    );
    // Promoted at build time, not through a plan.
    assert!(src.contains("__r.read_int().avro_field(\"class\")? as i64"));
    // The dropped field is skipped by its writer schema.
    assert!(src.contains("__r.take(8)?"), "{src}");
    // Writer symbol C is unknown to the reader: its default, OTHER.
    assert!(
        src.contains("0 => Grade::Other") && src.contains("_ => Grade::A"),
        "{src}"
    );
    // The renamed field is read through its alias.
    assert!(src.contains("nick: __w4"), "{src}");
}

#[test]
fn writers_are_looked_up_only_by_their_own_fingerprints() {
    let same = READER;
    let other = r#"{"type": "record", "name": "Student", "namespace": "school", "fields": [
      {"name": "name", "type": "bytes"}]}"#;
    let src = generate(&[same, other]).unwrap();
    assert!(src.contains(&format!("{}u64 =>", fingerprint(same))));
    assert!(src.contains(&format!("{}u64 =>", fingerprint(other))));
    // Bytes read as a string: the same bytes, checked as UTF-8.
    assert!(src.contains("__r.read_string().avro_field(\"name\")?"));
    // Without known writers: no method, the trait's default (None) applies.
    let plain = generate(&[]).unwrap();
    assert!(!plain.contains("fn known_writer"));
}

#[test]
fn a_writer_the_reader_cannot_read_fails_the_build_naming_the_field() {
    let no_name = r#"{"type": "record", "name": "Student", "namespace": "school", "fields": [
      {"name": "class", "type": "int"}]}"#;
    let e = generate(&[no_name]).unwrap_err().to_string();
    assert!(
        e.contains("school.Student") && e.contains("\"name\"") && e.contains("no default"),
        "{e}"
    );
    let wrong_type = r#"{"type": "record", "name": "Student", "namespace": "school", "fields": [
      {"name": "name", "type": "int"}]}"#;
    let e = generate(&[wrong_type]).unwrap_err().to_string();
    assert!(e.contains("\"int\"") && e.contains("\"string\""), "{e}");
    let e = generate(&["{"]).unwrap_err().to_string();
    assert!(e.contains("known writer 1 of school.Student"), "{e}");
}

#[test]
fn shapes_left_to_the_plan_are_named_in_the_docs() {
    // A three-branch writer union read as an option: not specialized.
    let union = r#"{"type": "record", "name": "Student", "namespace": "school", "fields": [
      {"name": "name", "type": "string"},
      {"name": "nick", "type": ["null", "string", "int"]}]}"#;
    let src = generate(&[union]).unwrap();
    let fp = fingerprint(union);
    assert!(
        src.contains(&format!("Writer fingerprint {fp}: not specialized")),
        "{src}"
    );
    assert!(!src.contains(&format!("{fp}u64 =>")));
}

#[test]
fn records_match_by_unqualified_name_as_the_plan_does() {
    // Another namespace, the same record name: readable (the plan agrees).
    let moved = r#"{"type": "record", "name": "Student", "namespace": "other", "fields": [
      {"name": "name", "type": "string"}]}"#;
    let src = generate(&[moved]).unwrap();
    assert!(
        src.contains(&format!("{}u64 =>", fingerprint(moved))),
        "{src}"
    );
    let renamed = r#"{"type": "record", "name": "Pupil", "namespace": "school", "fields": [
      {"name": "name", "type": "string"}]}"#;
    let e = generate(&[renamed]).unwrap_err().to_string();
    assert!(
        e.contains("school.Pupil") && e.contains("school.Student"),
        "{e}"
    );
}
