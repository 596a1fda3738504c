//! Two Rust types that claim one Avro full name inside one schema: alike
//! (a type and its mirror) they share the definition; different, the
//! schema is refused with both shapes named instead of reading the second
//! type's values as the first's.

use avro_runtime::AvroSchema;

mod v1 {
    use avro_runtime::AvroSchema;
    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "school")]
    pub struct Address {
        pub street: String,
    }
}

mod v2 {
    use avro_runtime::AvroSchema;
    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "school")]
    pub struct Address {
        pub street: String,
        pub city: String,
    }
}

mod mirror {
    use avro_runtime::AvroSchema;
    /// The same definition as `v1::Address`, another Rust type.
    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "school")]
    pub struct Address {
        pub street: String,
    }
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "school")]
struct Clash {
    home: v1::Address,
    work: v2::Address,
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "school")]
struct Alike {
    home: v1::Address,
    work: mirror::Address,
}

#[test]
#[should_panic(expected = "two Rust types in its schema claim one Avro name: `school.Address`")]
fn different_definitions_of_one_name_are_refused() {
    let _ = Clash::schema();
}

#[test]
fn alike_definitions_share_one() {
    let schema = Alike::schema();
    assert_eq!(schema.matches("\"Address\"").count(), 1, "{schema}");
    let v = Alike {
        home: v1::Address { street: "a".into() },
        work: mirror::Address { street: "b".into() },
    };
    let bytes = avro_runtime::to_vec(&v).unwrap();
    assert_eq!(avro_runtime::from_slice::<Alike>(&bytes).unwrap(), v);
}
