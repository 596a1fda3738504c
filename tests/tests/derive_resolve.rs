//! Derived types read older writers through `Resolver`, as generated types
//! do: the Student and Enrollment evolution of `examples/student` (v1
//! schemas read from its files), written by derived v1 types whose
//! schemas are those files', read by derived v2 types. Each resolved read
//! is checked against the transcoding reader the generated decoders are
//! tested against.

use std::path::Path;

use avro_runtime::resolve::{decode_transcoded, Resolver};
use avro_runtime::schema::SchemaSet;
use avro_runtime::AvroSchema;

mod v1 {
    use avro_runtime::AvroSchema;

    /// A student, as the first version of the producer writes it.
    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "school")]
    pub struct Student {
        pub name: String,
        pub class: i32,
    }

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "school")]
    pub struct Enrollment {
        pub student: String,
        pub state: State,
    }

    #[derive(AvroSchema, Debug, Clone, Copy, PartialEq)]
    #[avro(namespace = "school", rename_all = "UPPERCASE")]
    pub enum State {
        Active,
        Graduated,
        Expelled,
    }
}

mod v2 {
    use avro_runtime::AvroSchema;

    /// The second version: the name split in two, both optional; class
    /// gets a default and is read as a long (int promotes to long).
    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "school")]
    pub struct Student {
        #[avro(rename = "first_name")]
        pub first: Option<String>,
        pub last_name: Option<String>,
        #[avro(default = "1")]
        pub class: i64,
        #[avro(default = "[]")]
        pub courses: Vec<Course>,
    }

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "school")]
    pub struct Course {
        pub title: String,
    }

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "school")]
    pub struct Enrollment {
        #[avro(alias = "student")]
        pub student_name: String,
        pub state: State,
    }

    #[derive(AvroSchema, Debug, Clone, Copy, PartialEq)]
    #[avro(namespace = "school", rename_all = "UPPERCASE")]
    pub enum State {
        #[avro(default)]
        Unknown,
        Active,
        Graduated,
    }
}

fn v1_schema(file: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/student/schemas/v1")
        .join(file);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn canonical(text: &str) -> String {
    let (set, root) = SchemaSet::parse_str(text).unwrap();
    set.canonical_form(&root)
}

#[test]
fn derived_v1_types_have_the_v1_schemas() {
    assert_eq!(
        v1::Student::canonical_form(),
        canonical(&v1_schema("student.avsc"))
    );
    assert_eq!(
        v1::Enrollment::canonical_form(),
        canonical(&v1_schema("enrollment.avsc"))
    );
}

#[test]
fn a_derived_v2_student_reads_v1_data() {
    let writer = v1_schema("student.avsc");
    let old = v1::Student {
        name: "Ada".into(),
        class: 3,
    };
    let bytes = avro_runtime::to_vec(&old).unwrap();
    let reader = Resolver::<v2::Student>::new();
    let new = reader.decode(&writer, &bytes).unwrap();
    assert_eq!(
        new,
        v2::Student {
            first: None,
            last_name: None,
            class: 3,
            courses: Vec::new(),
        }
    );
    let plan = reader.plan_for(&writer).unwrap();
    assert_eq!(
        decode_transcoded::<v2::Student>(&plan, &bytes).unwrap(),
        new
    );
}

#[test]
fn a_derived_v2_enrollment_follows_the_alias_and_the_enum_default() {
    let writer = v1_schema("enrollment.avsc");
    let reader = Resolver::<v2::Enrollment>::new();
    for (state, want) in [
        (v1::State::Active, v2::State::Active),
        (v1::State::Graduated, v2::State::Graduated),
        (v1::State::Expelled, v2::State::Unknown),
    ] {
        let old = v1::Enrollment {
            student: "Grace".into(),
            state,
        };
        let bytes = avro_runtime::to_vec(&old).unwrap();
        let new = reader.decode(&writer, &bytes).unwrap();
        assert_eq!(
            new,
            v2::Enrollment {
                student_name: "Grace".into(),
                state: want,
            }
        );
        let plan = reader.plan_for(&writer).unwrap();
        assert_eq!(
            decode_transcoded::<v2::Enrollment>(&plan, &bytes).unwrap(),
            new
        );
    }
}

#[test]
fn a_newer_derived_writer_is_read_by_an_older_derived_reader() {
    // FORWARD: v1 reads v2 data only where v2 kept what v1 needs; the
    // Enrollment rename is not (v1 has no alias), so the plan reports it.
    let reader = Resolver::<v1::Enrollment>::new();
    assert!(reader.plan_for(v2::Enrollment::schema()).is_err());
}

#[test]
fn a_writer_union_branch_the_readers_option_lacks_fails_only_for_that_datum() {
    // A writer whose first_name may also be an int: the v2 reader's
    // Option<String> reads the null and string data, and names the branch
    // of the datum it cannot read.
    let writer = r#"{"type":"record","name":"Student","namespace":"school","fields":[
        {"name":"first_name","type":["null","string","int"]},{"name":"class","type":"int"}]}"#;
    let reader = Resolver::<v2::Student>::new();
    let read = |bytes: &[u8]| reader.decode(writer, bytes);
    // branch 1 "Al", class 3
    let v = read(&[0x02, 0x04, b'A', b'l', 0x06]).unwrap();
    assert_eq!((v.first.as_deref(), v.class), (Some("Al"), 3));
    // branch 0 (null), class 1
    assert_eq!(read(&[0x00, 0x02]).unwrap().first, None);
    // branch 2 (int 5): this datum only.
    let e = read(&[0x04, 0x0a, 0x02]).unwrap_err().to_string();
    assert!(e.contains("writer union branch 2 (int)"), "{e}");
}
