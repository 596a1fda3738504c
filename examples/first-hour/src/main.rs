//! The README's code, compiled and run: every ```rust block of the README
//! that names this file (`// examples/first-hour/...`) is a verbatim excerpt
//! of it, which the test at the bottom checks. `cargo run -p
//! first-hour-example` runs it.

// src/main.rs (or lib.rs)
use std::io; // your own names stay yours: the generated code lives in `avro`

avro_runtime::include_schemas!(pub mod avro); // avro::school::Student, avro::io::confluent::examples::Payment

use avro_runtime::AvroSchema;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    use avro::school::Student;

    let id = avro_runtime::Uuid::from_u128(0x1234); // re-exported: no uuid dependency needed
    let student = Student::new(id, "Ada".into()); // required fields; class = 1 (schema default), email = None
    let student = Student {
        email: Some("ada@example.org".into()),
        ..student
    };
    let bytes = avro_runtime::to_vec(&student)?; // plain Avro binary body
    let back: Student = avro_runtime::from_slice(&bytes)?;
    assert_eq!(back, student);

    use avro_runtime::framing;

    let message = framing::to_confluent(7, &student)?; // 0x00 + schema id + body
    let (id, value): (u32, Student) = framing::from_confluent_with_id(&message)?; // any id, returned
    assert_eq!((id, &value), (7, &student));
    let (id, value): (u32, Student) = framing::from_confluent_accepting(&message, &[7, 12])?; // one of these ids
    assert_eq!((id, &value), (7, &student));
    let value: Student = framing::from_confluent(&message, 7)?; // exactly this id
    assert_eq!(value, student);

    use avro::games::{MatchXg, MatchXgResult, Suit};
    use avro::Score; // a top-level schema that is not a named type: the root module

    let m = MatchXg {
        home_xg: 1.7,                // record `MatchXG` → `MatchXg`, field `home_xg` kept
        trump: Suit::Hearts,         // enum symbol `HEARTS` → `Hearts`
        result: MatchXgResult::Null, // ["null", "int", "string"] → enum `<Record><Field>`, variants Null, Int, String
    };
    let score = Score::String("2-1".into()); // a file whose top-level schema is a union: named after the file
    println!(
        "{m:?} {score:?} {:?}",
        avro::io::confluent::examples::Payment::new("p1".into(), 9.5)
    );

    let v1_schema = r#"{"type": "record", "name": "Student", "namespace": "school", "fields": [
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}}, {"name": "name", "type": "string"}]}"#;
    let v2_schema = Student::schema();

    use avro_runtime::compat::{check, CompatibilityLevel};
    use avro_runtime::resolve::Resolver;
    // May v2 (this crate's Student) follow v1 under the subject's rule? Every problem, with its place:
    let problems = check(CompatibilityLevel::Backward, v2_schema, &[v1_schema])?;
    assert!(problems.is_empty(), "{problems:?}");

    // A v2 consumer reading a message written with v1:
    let mut payload = Vec::new();
    avro_runtime::encode::write_str(&mut payload, &id_string(student.id));
    avro_runtime::encode::write_str(&mut payload, "Ada");
    let consumer = Resolver::<Student>::new(); // one per reader type
    let student = consumer.decode(v1_schema, &payload)?; // plan cached per writer fingerprint
    let by_id = consumer.decode_with_id(7, || v1_schema, &payload)?; // a registry's id: text asked for once
    let v1 = consumer.writer(v1_schema)?; // or keep a handle per writer
    assert_eq!(
        student,
        Student::new(avro_runtime::Uuid::from_u128(0x1234), "Ada".into())
    );
    assert_eq!((&by_id, &v1.decode(&payload)?), (&student, &student));

    let _: Option<io::Empty> = None; // `use std::io` above is used
    println!("first hour: ok");
    Ok(())
}

fn id_string(id: avro_runtime::Uuid) -> String {
    id.hyphenated().to_string()
}

#[cfg(test)]
mod readme {
    //! Every ```rust block of the README names the file it comes from on
    //! its first line and is a verbatim excerpt of it (lines compared with
    //! their indentation trimmed), so the README's code is code that
    //! compiles.

    #[test]
    fn every_readme_rust_block_is_an_excerpt_of_compiled_code() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        let mut blocks = Vec::new();
        let mut current: Option<Vec<&str>> = None;
        for line in readme.lines() {
            match (&mut current, line.trim_end()) {
                (None, "```rust") => current = Some(Vec::new()),
                (Some(_), "```") => blocks.push(current.take().unwrap()),
                (Some(b), l) => b.push(l),
                (None, _) => {}
            }
        }
        assert!(!blocks.is_empty(), "no ```rust blocks in the README");
        let mut failures = Vec::new();
        for block in &blocks {
            let Some(file) = block
                .first()
                .and_then(|l| l.trim().strip_prefix("// "))
                .and_then(|l| l.split_whitespace().next())
                .filter(|f| f.starts_with("examples/"))
            else {
                failures.push(format!(
                    "a block does not name its file on its first line:\n{}",
                    block.join("\n")
                ));
                continue;
            };
            let text = match std::fs::read_to_string(root.join(file)) {
                Ok(t) => t,
                Err(e) => {
                    failures.push(format!("{file}: {e}"));
                    continue;
                }
            };
            let file_lines: Vec<&str> = text.lines().map(str::trim).collect();
            let want: Vec<&str> = block[1..]
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect();
            let file_lines: Vec<&str> = file_lines.into_iter().filter(|l| !l.is_empty()).collect();
            if !file_lines.windows(want.len()).any(|w| w == want.as_slice()) {
                failures.push(format!("not an excerpt of {file}:\n{}", want.join("\n")));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }
}
