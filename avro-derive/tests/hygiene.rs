//! Derived code does not depend on what the user's module calls `Option`,
//! `Result`, `Vec`, `String`, `Box` or `Default`: every path it emits is
//! fully qualified.
#![allow(dead_code, non_camel_case_types)]

mod shadowing {
    use avro_runtime::AvroSchema;

    // Shadow the prelude (types and the variants people import).
    struct Option;
    struct Result;
    struct Vec;
    struct String;
    struct Box;
    struct Default;
    struct Some;
    struct None;
    struct Ok;
    struct Err;

    #[derive(AvroSchema, Debug, PartialEq)]
    #[avro(namespace = "hygiene")]
    pub struct Record {
        pub name: std::string::String,
        pub maybe: core::option::Option<i64>,
        pub list: std::vec::Vec<std::string::String>,
        pub next: core::option::Option<std::boxed::Box<Record>>,
        pub map: std::collections::HashMap<std::string::String, i32>,
        #[avro(default = "7")]
        pub with_default: i32,
        #[avro(skip)]
        pub skipped: u8,
        pub small: u8,
        pub kind: Kind,
        pub shape: Shape,
    }

    #[derive(AvroSchema, Debug, PartialEq, Clone, Copy)]
    #[avro(namespace = "hygiene")]
    pub enum Kind {
        #[avro(default)]
        A,
        B,
    }

    #[derive(AvroSchema, Debug, PartialEq)]
    #[avro(namespace = "hygiene")]
    pub enum Shape {
        Nothing,
        Num(i64),
        Rect { w: f64, h: f64 },
    }
}

#[test]
fn derives_in_a_module_that_shadows_std_names() {
    use avro_runtime::AvroSchema;
    let r = shadowing::Record {
        name: "n".into(),
        maybe: Some(1),
        list: vec!["a".into()],
        next: None,
        map: Default::default(),
        with_default: 1,
        skipped: 0,
        small: 200,
        kind: shadowing::Kind::B,
        shape: shadowing::Shape::Rect { w: 1.0, h: 2.0 },
    };
    let bytes = avro_runtime::to_vec(&r).unwrap();
    let back: shadowing::Record = avro_runtime::from_slice(&bytes).unwrap();
    assert_eq!(back, r);
    assert!(shadowing::Record::schema().contains("\"default\":7"));
}

/// The runtime re-exported under another path: `#[avro(crate = "...")]`.
mod reexport {
    pub use avro_runtime as avro;
}

mod uses_reexport {
    #[derive(crate::reexport::avro::AvroSchema, Debug, PartialEq)]
    #[avro(crate = "crate::reexport::avro")]
    pub struct Point {
        pub x: i32,
        pub y: Option<crate::reexport::avro::Uuid>,
    }
}

#[test]
fn the_runtime_path_can_be_overridden() {
    use avro_runtime::AvroSchema;
    let p = uses_reexport::Point { x: 3, y: None };
    let bytes = avro_runtime::to_vec(&p).unwrap();
    assert_eq!(
        avro_runtime::from_slice::<uses_reexport::Point>(&bytes).unwrap(),
        p
    );
    assert!(uses_reexport::Point::schema().contains("\"uuid\""));
}
