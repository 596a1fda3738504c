use avro_runtime::AvroSchema;

/// A student of the school.
#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "school")]
struct Student {
    #[avro(rename = "first_name")]
    first: Option<String>,
    #[avro(default = "1")]
    class: i32,
    address: Address,
    others: Vec<Address>,
    next: Option<Box<Student>>,
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
struct Address {
    street: String,
    n: u8,
    kind: Kind,
}

#[derive(AvroSchema, Debug, Clone, Copy, PartialEq)]
enum Kind {
    Home,
    #[avro(default)]
    Work,
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
enum Payload {
    Nothing,
    Num(i64),
    Text(String),
    Point { x: f64, y: f64 },
}

fn main() -> anyhow::Result<()> {
    println!("{}", Student::schema());
    println!("{}", Student::canonical_form());
    println!("{}", Payload::schema());
    let s = Student {
        first: Some("Ada".into()),
        class: 3,
        address: Address {
            street: "Main".into(),
            n: 7,
            kind: Kind::Work,
        },
        others: vec![],
        next: None,
    };
    let bytes = avro_runtime::to_vec(&s)?;
    let back: Student = avro_runtime::from_slice(&bytes)?;
    assert_eq!(back, s);
    let p = Payload::Point { x: 1.0, y: 2.0 };
    let back: Payload = avro_runtime::from_slice(&avro_runtime::to_vec(&p)?)?;
    assert_eq!(back, p);
    Ok(())
}
