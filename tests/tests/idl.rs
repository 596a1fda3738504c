//! Avro IDL against Apache Avro's own IDL test suite (../shared/idl, Java's
//! `IdlReader` the reference): every `input/*.avdl` converts to its
//! `output/` JSON, the `extra/` cases and the facts its README lists; data
//! round-trips through the recursive schemas; invalid IDL gives located
//! errors; random and truncated IDL never panics.

use std::fs;
use std::path::{Path, PathBuf};

use avro_runtime::schema::idl::{self, IdlDocument, IdlError, IdlOptions};
use avro_runtime::schema::{Logical, NamedKind, Primitive, Schema, SchemaSet};
use avro_tests::random::{random_datums, Rng};
use avro_tests::shared_dir;
use serde_json::Value;

fn suite() -> PathBuf {
    shared_dir().join("idl")
}

fn class_path() -> IdlOptions {
    IdlOptions::new().search_path(suite().join("putOnClassPath"))
}

fn read_dir_sorted(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    out
}

/// Path of the first difference between two JSON trees, or `None`.
fn json_diff(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = json_diff(&format!("{path}/{k}"), p, q) {
                            return Some(d);
                        }
                    }
                    (p, q) => return Some(format!("{path}/{k}: ours {p:?}, expected {q:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| json_diff(&format!("{path}/{i}"), p, q)),
        _ if a == b => None,
        _ => Some(format!("{path}: ours {a}, expected {b}")),
    }
}

/// The README's pairing rule: `X_schema.avdl` → `X.avsc`, other `X.avdl` → `X.avpr`.
fn expected_output(input: &Path) -> PathBuf {
    let name = input.file_name().unwrap().to_string_lossy();
    let out = match name.strip_suffix("_schema.avdl") {
        Some(stem) => format!("{stem}.avsc"),
        None => format!("{}.avpr", name.trim_end_matches(".avdl")),
    };
    suite().join("output").join(out)
}

#[test]
fn every_suite_input_converts_to_its_expected_output() {
    let inputs = read_dir_sorted(&suite().join("input"), "avdl");
    assert!(!inputs.is_empty());
    let mut failures = Vec::new();
    for input in &inputs {
        let case = input.file_name().unwrap().to_string_lossy().into_owned();
        let expected_path = expected_output(input);
        let expected: Value = match fs::read_to_string(&expected_path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!(
                    "{case}: expected output {}: {e}",
                    expected_path.display()
                ));
                continue;
            }
        };
        match idl::parse_file(input, &class_path()) {
            Ok(doc) => {
                if let Some(d) = json_diff("", &doc.to_json(), &expected) {
                    failures.push(format!("{case}: {d}"));
                }
            }
            Err(e) => failures.push(format!("{case}: {e}")),
        }
    }
    println!(
        "IDL suite: {} / {} inputs match their output",
        inputs.len() - failures.len(),
        inputs.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn imports_not_found_beside_the_file_need_the_search_path() {
    let import = suite().join("input/import.avdl");
    let err = idl::parse_file(&import, &IdlOptions::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("OnTheClasspath.avdl") && err.contains("not found"),
        "{err}"
    );
    assert!(err.starts_with(&format!("{}:", import.display())), "{err}");
    let doc = idl::parse_file(&import, &class_path()).unwrap();
    let files: Vec<String> = doc
        .files()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("folder/relativePath.avdl")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|f| f.ends_with("nestedtypes.avdl")),
        "{files:?}"
    );
}

#[test]
fn extra_protocol_and_schema_syntax() {
    let doc = idl::parse_file(
        suite().join("extra/protocolSyntax.avdl"),
        &IdlOptions::new(),
    )
    .unwrap();
    assert!(doc.protocol_name().is_some());
    assert!(doc.main_schema().is_none());
    let names: Vec<String> = doc
        .named_types()
        .iter()
        .map(|&id| doc.set.get(id).name.fullname())
        .collect();
    assert_eq!(names, ["communication.Message"]);

    let doc = idl::parse_file(suite().join("extra/schemaSyntax.avdl"), &IdlOptions::new()).unwrap();
    assert!(doc.protocol_name().is_none());
    let names: Vec<String> = doc
        .named_types()
        .iter()
        .map(|&id| doc.set.get(id).name.fullname())
        .collect();
    assert_eq!(names, ["communication.Message"]);
    let message = doc.set.lookup("communication.Message").unwrap();
    match doc.main_schema() {
        Some(Schema::Array { items, .. }) => assert_eq!(*items, Schema::Named(message)),
        other => panic!("main schema {other:?}"),
    }
}

fn line_of(path: &Path, needle: &str, nth: usize) -> (usize, usize) {
    let text = fs::read_to_string(path).unwrap();
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| l.find(needle).map(|c| (i + 1, l[..c].chars().count() + 1)))
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in {}", path.display()))
}

fn located(err: &IdlError, path: &Path) -> (usize, usize) {
    match err {
        IdlError::Schema(e) => {
            assert_eq!(e.source_name, path.display().to_string(), "{err}");
            (e.line, e.column)
        }
        other => panic!("not a located error: {other}"),
    }
}

#[test]
fn redefining_a_type_fails_at_the_second_definition() {
    let path = suite().join("extra/duplicateNameErrorParsing.avdl");
    let err = idl::parse_file(&path, &IdlOptions::new()).unwrap_err();
    assert!(
        err.to_string().contains("duplicateNameParseError.Foo"),
        "{err}"
    );
    assert!(err.to_string().contains("more than once"), "{err}");
    assert_eq!(located(&err, &path), line_of(&path, "Foo", 1));
}

#[test]
fn annotated_type_reference_fails_where_java_says() {
    let path = suite().join("AnnotationOnTypeReference.avdl");
    let err = idl::parse_file(&path, &IdlOptions::new()).unwrap_err();
    assert!(
        err.to_string()
            .contains("type references may not be annotated"),
        "{err}"
    );
    // Java: "at line 29, column 16" (its columns count from 0).
    assert_eq!(located(&err, &path), (29, 17));
}

fn field_schema<'s>(set: &'s SchemaSet, record: &str, field: &str) -> &'s Schema {
    let NamedKind::Record { fields, .. } = &set.get(set.lookup(record).unwrap()).kind else {
        panic!("{record} is not a record");
    };
    &fields.iter().find(|f| f.name == field).unwrap().schema
}

#[test]
fn logical_types_of_the_readme() {
    let doc = idl::parse_file(suite().join("logicalTypes.avdl"), &IdlOptions::new()).unwrap();
    let rec = "org.apache.avro.test.LogicalTypeFields";
    let expected = [
        ("aDate", Logical::Date),
        ("aTime", Logical::TimeMillis),
        ("aTimestamp", Logical::TimestampMillis),
        ("aLocalTimestamp", Logical::LocalTimestampMillis),
        (
            "pocketMoney",
            Logical::Decimal {
                precision: 6,
                scale: 2,
            },
        ),
        ("identifier", Logical::Uuid),
        ("anotherTimestamp", Logical::TimestampMicros),
        (
            "allowance",
            Logical::Decimal {
                precision: 6,
                scale: 2,
            },
        ),
    ];
    for (field, logical) in expected {
        match field_schema(&doc.set, rec, field) {
            Schema::Primitive {
                logical: Some(l), ..
            } => assert_eq!(*l, logical, "{field}"),
            other => panic!("{field}: {other:?}"),
        }
    }
    match field_schema(&doc.set, rec, "byteArray") {
        Schema::Primitive {
            ty: Primitive::Bytes,
            logical: None,
            props,
        } => {
            assert_eq!(props["logicalType"], "decimal");
            assert_eq!(props["precision"], 3000000000u64);
            assert_eq!(props["scale"], 0);
        }
        other => panic!("byteArray: {other:?}"),
    }
}

/// The `(line,char)` pairs of the README's bullet about comments.avdl.
fn readme_comment_warnings() -> Vec<(usize, usize)> {
    let readme = fs::read_to_string(suite().join("README.md")).unwrap();
    let start = readme
        .find("`input/comments.avdl`")
        .expect("README bullet for comments.avdl");
    let rest = &readme[start..];
    let bullet = &rest[..rest[1..].find("\n- ").map_or(rest.len(), |e| e + 1)];
    let mut out = Vec::new();
    for part in bullet.split('(').skip(1) {
        let Some((inner, _)) = part.split_once(')') else {
            continue;
        };
        if let Some((l, c)) = inner.split_once(',') {
            if let (Ok(l), Ok(c)) = (l.trim().parse(), c.trim().parse()) {
                out.push((l, c));
            }
        }
    }
    out
}

#[test]
fn doc_comments_attach_only_before_declarations() {
    let path = suite().join("input/comments.avdl");
    let doc = idl::parse_file(&path, &IdlOptions::new()).unwrap();
    let set = &doc.set;
    let doc_of = |n: &str| {
        set.get(set.lookup(&format!("testing.{n}")).unwrap())
            .doc
            .clone()
    };
    assert_eq!(doc_of("DocumentedEnum").as_deref(), Some("Documented Enum"));
    assert_eq!(
        doc_of("DocumentedFixed").as_deref(),
        Some("Documented Fixed Type")
    );
    assert_eq!(
        doc_of("DocumentedError").as_deref(),
        Some("Documented Error")
    );
    for n in [
        "UndocumentedEnum",
        "UndocumentedFixed",
        "UndocumentedRecord",
    ] {
        assert_eq!(doc_of(n), None, "{n}");
    }
    let NamedKind::Record { fields, .. } =
        &set.get(set.lookup("testing.DocumentedError").unwrap()).kind
    else {
        panic!()
    };
    assert_eq!(fields[0].doc.as_deref(), Some("Documented Reason Field"));
    assert_eq!(
        fields[1].doc.as_deref(),
        Some("Default Doc Explanation Field")
    );
    let json = doc.protocol_json().unwrap();
    let m = &json["messages"];
    assert_eq!(m["documentedMethod"]["doc"], "Documented Method");
    assert_eq!(
        m["documentedMethod"]["request"][0]["doc"],
        "Documented Parameter"
    );
    assert_eq!(
        m["documentedMethod"]["request"][1]["doc"],
        "Default Documented Parameter"
    );
    assert!(m["undocumentedMethod"].get("doc").is_none());

    let expected = readme_comment_warnings();
    assert!(
        !expected.is_empty(),
        "no warning positions found in the README"
    );
    let ours: Vec<(usize, usize)> = doc
        .warnings
        .iter()
        .filter(|w| w.message.contains("out-of-place documentation comment"))
        .map(|w| (w.line, w.column))
        .collect();
    assert_eq!(ours, expected);
    assert!(doc
        .warnings
        .iter()
        .all(|w| w.file == path.display().to_string()));
}

/// Data written with each recursive schema reads back equal: random datums
/// of our set, read and re-encoded by apache-avro from the converted JSON.
#[test]
#[allow(deprecated)] // apache-avro 0.22's one-call datum functions
fn recursive_schemas_round_trip_data() {
    let mut files = vec![suite().join("cycle.avdl"), suite().join("input/cycle.avdl")];
    files.retain(|f| f.is_file());
    assert!(!files.is_empty());
    let mut checked = 0;
    for f in &files {
        let doc = idl::parse_file(f, &IdlOptions::new()).unwrap();
        for (name, json) in doc.schemata() {
            let schema = Schema::Named(doc.set.lookup(&name).unwrap());
            let apache = apache_avro::Schema::parse_str(&json.to_string())
                .unwrap_or_else(|e| panic!("{}: {name}: {e}", f.display()));
            for bytes in random_datums(&doc.set, &schema, 20) {
                let value = apache_avro::from_avro_datum(&apache, &mut &bytes[..], None)
                    .unwrap_or_else(|e| panic!("{}: {name}: {e}", f.display()));
                let again = apache_avro::to_avro_datum(&apache, value).unwrap();
                assert_eq!(again, bytes, "{}: {name}", f.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("avro-idl-test-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn invalid_idl_fails_with_file_line_and_column() {
    // (what, source, expected line, expected column, words the message contains)
    let cases: &[(&str, &str, usize, usize, &[&str])] = &[
        (
            "missing semicolon",
            "protocol P {\n  record R {\n    int a\n  }\n}",
            4,
            3,
            &["expected ';'", "'}'"],
        ),
        (
            "unknown type",
            "protocol P {\n  record R {\n    Adress a;\n  }\n}",
            3,
            5,
            &["unknown type", "Adress"],
        ),
        (
            "bad default",
            "protocol P {\n  record R {\n    int a = \"x\";\n  }\n}",
            3,
            13,
            &["invalid default", "\"a\""],
        ),
        (
            "duplicate name",
            "namespace n;\nenum E { A }\nrecord E { int x; }",
            3,
            8,
            &["n.E", "more than once"],
        ),
        (
            "unterminated comment",
            "protocol P {\n  /* never closed\n}",
            2,
            3,
            &["unterminated comment"],
        ),
        (
            "unterminated string",
            "@namespace(\"a.b)\nprotocol P {}",
            1,
            12,
            &["unterminated string"],
        ),
        (
            "missing import",
            "protocol P {\n  import idl \"nowhere.avdl\";\n}",
            2,
            14,
            &["nowhere.avdl", "not found"],
        ),
        (
            "unknown message type",
            "protocol P {\n  void m(Nope n);\n}",
            2,
            10,
            &["unknown type", "Nope"],
        ),
        (
            "one-way with a response",
            "protocol P {\n  int m() oneway;\n}",
            2,
            3,
            &["must return void"],
        ),
        (
            "keyword as a type name",
            "protocol P {\n  record date { }\n}",
            2,
            10,
            &["illegal name"],
        ),
        (
            "bad number",
            "protocol P {\n  fixed F(09);\n}",
            2,
            11,
            &["octal"],
        ),
        (
            "bad order",
            "record R { int @order(\"up\") a; }",
            1,
            16,
            &["@order"],
        ),
        (
            "too deep",
            &format!("schema {}int{};", "array<".repeat(80), ">".repeat(80)),
            1,
            308,
            &["nested more than"],
        ),
    ];
    let dir = TempDir::new("invalid");
    for (what, src, line, col, words) in cases {
        let path = dir.0.join("bad.avdl");
        fs::write(&path, src).unwrap();
        let err = idl::parse_file(&path, &IdlOptions::new()).expect_err(what);
        let msg = err.to_string();
        assert_eq!(located(&err, &path), (*line, *col), "{what}: {msg}");
        for w in *words {
            assert!(msg.contains(w), "{what}: {msg:?} lacks {w:?}");
        }
    }
}

#[test]
fn an_import_cycle_is_an_error_and_a_diamond_is_not() {
    let dir = TempDir::new("cycle");
    let a = dir.0.join("a.avdl");
    fs::write(
        &a,
        "protocol A {\n  import idl \"b.avdl\";\n  record RA { RB b; }\n}",
    )
    .unwrap();
    fs::write(
        dir.0.join("b.avdl"),
        "protocol B {\n  import idl \"a.avdl\";\n  record RB { int x; }\n}",
    )
    .unwrap();
    let err = idl::parse_file(&a, &IdlOptions::new()).unwrap_err();
    assert!(err.to_string().contains("import cycle"), "{err}");
    let IdlError::Schema(e) = &err else {
        panic!("{err}")
    };
    assert!(
        e.source_name.ends_with("b.avdl") && (e.line, e.column) == (2, 14),
        "{err}"
    );

    let top = dir.0.join("top.avdl");
    fs::write(
        &top,
        "protocol T {\n  import idl \"l.avdl\";\n  import idl \"r.avdl\";\n}",
    )
    .unwrap();
    fs::write(
        dir.0.join("l.avdl"),
        "protocol L { import idl \"d.avdl\"; record RL { D d; } }",
    )
    .unwrap();
    fs::write(
        dir.0.join("r.avdl"),
        "protocol R { import idl \"d.avdl\"; record RR { D d; } }",
    )
    .unwrap();
    fs::write(dir.0.join("d.avdl"), "protocol D { record D { int x; } }").unwrap();
    let doc = idl::parse_file(&top, &IdlOptions::new()).unwrap();
    let names: Vec<String> = doc
        .named_types()
        .iter()
        .map(|&id| doc.set.get(id).name.fullname())
        .collect();
    assert_eq!(names, ["D", "RL", "RR"]);
}

/// Every IDL text the tests know: the suite and the corpus.
fn all_idl_texts() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "avdl") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&suite(), &mut files);
    walk(&shared_dir().join("corpus"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let t = fs::read_to_string(&p).unwrap();
            (p, t)
        })
        .collect()
}

#[test]
fn truncated_and_mutated_idl_never_panics() {
    let texts = all_idl_texts();
    assert!(!texts.is_empty());
    let mut rng = Rng::new(14);
    let options = class_path();
    let (mut ok, mut err) = (0usize, 0usize);
    let mut tally = |r: Result<IdlDocument, IdlError>| match r {
        Ok(d) => {
            // The converter must not panic on whatever parsed.
            let _ = d.to_json();
            ok += 1
        }
        Err(_) => err += 1,
    };
    for (path, text) in &texts {
        let bytes = text.as_bytes();
        // Every prefix at a character boundary, in steps.
        let step = (bytes.len() / 60).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            if text.is_char_boundary(cut) {
                tally(idl::parse_str(path, &text[..cut], &options));
            }
        }
        // Random byte edits: deletions, duplications and replacements with IDL punctuation.
        for _ in 0..40 {
            let mut b = bytes.to_vec();
            for _ in 0..1 + rng.below(4) {
                if b.is_empty() {
                    break;
                }
                let at = rng.below(b.len() as u64) as usize;
                match rng.below(3) {
                    0 => {
                        b.remove(at);
                    }
                    1 => {
                        let c = b[at];
                        b.insert(at, c);
                    }
                    _ => b[at] = b"{}()<>;,@=?`\"/*-.0aZ"[rng.below(20) as usize],
                }
            }
            let s = String::from_utf8_lossy(&b);
            tally(idl::parse_str(path, &s, &options));
        }
    }
    println!("mutated IDL: {ok} parsed, {err} rejected");
    assert!(err > 0 && ok > 0);
}
