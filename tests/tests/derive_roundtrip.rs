//! Values of the derived fixture types encode and decode back; derived
//! resolved decoders (records, struct variants of unions, converted
//! integers, maps and sequences) agree with the transcoding reader on
//! evolved writers; out-of-range integers are errors, never truncations;
//! recursive derived types stop hostile nesting with an error.

mod derive_types;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, VecDeque};

use avro_runtime::resolve::{decode_transcoded, Resolver};
use avro_runtime::{AvroSchema, Decode, DecodeErrorKind, Encode, EncodeError};
use derive_types::*;

fn round_trip<T: AvroSchema + Encode + Decode + PartialEq + std::fmt::Debug>(v: &T) {
    let bytes = avro_runtime::to_vec(v).unwrap();
    let back: T = avro_runtime::from_slice(&bytes).unwrap();
    assert_eq!(&back, v);
    // Through a plan made with the type's own schema (identity).
    let r = Resolver::<T>::new();
    assert_eq!(&r.decode(T::schema(), &bytes).unwrap(), v);
}

fn address(street: &str) -> Address {
    Address {
        street: street.into(),
        country: Country(*b"KR"),
    }
}

#[test]
fn fixture_types_round_trip() {
    let mut index = indexmap::IndexMap::new();
    index.insert("z".to_owned(), vec![1.5, -2.0]);
    index.insert("a".to_owned(), vec![]);
    round_trip(&Scalars {
        flag: true,
        tiny: -8,
        small: -300,
        int: i32::MIN,
        long: i64::MAX,
        byte: 255,
        word: 65535,
        dword: u32::MAX,
        big: i64::MAX as u64,
        size: 12345,
        real: 1.25,
        double: -0.5,
        text: "héllo".into(),
        cow: Cow::Borrowed("cow"),
        boxed: "boxed".into(),
        blob: vec![0, 1, 255],
        octets: vec![7, 8],
        md5: [9; 16],
        other_md5: [1; 16],
        quad: *b"abcd",
        list: vec![-1, 0, 1],
        deque: VecDeque::from(vec!["x".to_owned()]),
        hash: HashMap::from([("k".to_owned(), 5)]),
        btree: BTreeMap::from([("b".to_owned(), 2), ("a".to_owned(), 1)]),
        index,
        maybe: Some(-7),
        counter: 42,
        stamp: 1_700_000_000_000,
        cache: None,
    });
    round_trip(&Node {
        value: 1,
        next: Some(Box::new(Node {
            value: 2,
            next: None,
            children: vec![],
            by_name: HashMap::new(),
        })),
        children: vec![Node {
            value: 3,
            next: None,
            children: vec![],
            by_name: HashMap::from([(
                "leaf".to_owned(),
                Node {
                    value: 4,
                    next: None,
                    children: vec![],
                    by_name: HashMap::new(),
                },
            )]),
        }],
        by_name: HashMap::new(),
    });
    for shape in [
        Shape::Empty,
        Shape::Count(-3),
        Shape::Name("n".into()),
        Shape::Circle { radius: 2.0 },
        Shape::Rect { w: 1.0, h: 3.0 },
    ] {
        round_trip(&shape);
        round_trip(&Person {
            home: address("Main"),
            work: Some(address("Side")),
            birth_country: Country(*b"NO"),
            height: Meters(1.8),
            favourite: Color::DarkBlue,
            shape,
            boxed: vec![Box::new(address("Box"))],
        });
    }
    round_trip(&Pair {
        left: address("L"),
        right: address("R"),
        all: vec![address("A")],
        label: "pair".into(),
    });
}

#[test]
fn skipped_fields_are_not_written_and_come_back_as_default() {
    let a = Account {
        user_id: 7,
        shown: "Ada".into(),
        login_count: 2,
        tags: vec!["x".into()],
        secret: "hunter2".into(),
        avatar: vec![1, 2],
    };
    let bytes = avro_runtime::to_vec(&a).unwrap();
    assert!(!bytes.windows(7).any(|w| w == b"hunter2"));
    let back: Account = avro_runtime::from_slice(&bytes).unwrap();
    assert_eq!(
        back,
        Account {
            secret: String::new(),
            ..a
        }
    );
}

mod evolved {
    use std::collections::HashMap;

    use avro_runtime::AvroSchema;

    /// An older writer of `derive_types::Shape`: `Rect` had its fields in
    /// another order and a label.
    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "geo")]
    pub enum ShapeV0 {
        Empty,
        Count(i32),
        Name(String),
        Circle { radius: f32 },
        Rect { label: String, w: f64 },
    }

    /// An older writer of `Narrow`: narrower Avro types everywhere.
    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(name = "Narrow")]
    pub struct NarrowV0 {
        pub small: i32,
        pub counts: HashMap<String, i32>,
        pub queue: Vec<i32>,
        #[avro(bytes)]
        pub text: Vec<u8>,
    }
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
struct Narrow {
    small: u32,
    counts: BTreeMap<String, i64>,
    queue: VecDeque<i64>,
    text: Cow<'static, str>,
}

#[test]
fn derived_resolved_decoders_agree_with_transcoding() {
    let r = Resolver::<Shape>::new();
    let writer = evolved::ShapeV0::schema();
    let plan = r.plan_for(writer).unwrap();
    for (old, new) in [
        (evolved::ShapeV0::Empty, Shape::Empty),
        (evolved::ShapeV0::Count(5), Shape::Count(5)),
        (evolved::ShapeV0::Name("n".into()), Shape::Name("n".into())),
        (
            evolved::ShapeV0::Circle { radius: 0.5 },
            Shape::Circle { radius: 0.5 },
        ),
        (
            evolved::ShapeV0::Rect {
                label: "x".into(),
                w: 2.0,
            },
            Shape::Rect { w: 2.0, h: 1.0 },
        ),
    ] {
        let bytes = avro_runtime::to_vec(&old).unwrap();
        assert_eq!(r.decode(writer, &bytes).unwrap(), new);
        assert_eq!(decode_transcoded::<Shape>(&plan, &bytes).unwrap(), new);
    }

    let r = Resolver::<Narrow>::new();
    let writer = evolved::NarrowV0::schema();
    let old = evolved::NarrowV0 {
        small: 70_000,
        counts: HashMap::from([("a".to_owned(), -1), ("b".to_owned(), 2)]),
        queue: vec![3, -4],
        text: b"bytes".to_vec(),
    };
    let bytes = avro_runtime::to_vec(&old).unwrap();
    let want = Narrow {
        small: 70_000,
        counts: BTreeMap::from([("a".to_owned(), -1), ("b".to_owned(), 2)]),
        queue: VecDeque::from(vec![3, -4]),
        text: Cow::Borrowed("bytes"),
    };
    assert_eq!(r.decode(writer, &bytes).unwrap(), want);
    let plan = r.plan_for(writer).unwrap();
    assert_eq!(decode_transcoded::<Narrow>(&plan, &bytes).unwrap(), want);
    // A negative writer int does not fit u32: an error naming the field.
    let bytes = avro_runtime::to_vec(&evolved::NarrowV0 { small: -1, ..old }).unwrap();
    let e = r.decode(writer, &bytes).unwrap_err().to_string();
    assert!(e.contains("small") && e.contains("u32"), "{e}");
}

#[test]
fn integers_out_of_range_are_errors_not_truncations() {
    #[derive(AvroSchema, Debug)]
    struct Wide {
        #[avro(long)]
        n: u64,
    }
    #[derive(AvroSchema, Debug, PartialEq)]
    #[avro(name = "Wide")]
    struct Small {
        #[avro(long)]
        n: u64,
    }
    let e = avro_runtime::to_vec(&Wide { n: u64::MAX }).unwrap_err();
    assert!(matches!(e, EncodeError::OutOfRange { .. }), "{e}");
    assert_eq!(
        avro_runtime::from_slice::<Small>(&avro_runtime::to_vec(&Wide { n: 5 }).unwrap()).unwrap(),
        Small { n: 5 }
    );
    // A byte field read from an int that does not fit.
    #[derive(AvroSchema, Debug)]
    struct Byte {
        b: u8,
    }
    let mut bytes = Vec::new();
    avro_runtime::encode::write_int(&mut bytes, 300);
    let e = avro_runtime::from_slice::<Byte>(&bytes).unwrap_err();
    assert!(
        matches!(e.kind(), DecodeErrorKind::Custom(m) if m.contains("u8")),
        "{e}"
    );
    assert!(e.to_string().contains("Byte.b"), "{e}");
}

/// The shape of the interop suite's recursive list (see hostile.rs).
#[derive(AvroSchema, Debug, PartialEq)]
struct LongList {
    value: i64,
    next: Option<Box<LongList>>,
}

#[test]
fn hostile_nesting_of_a_recursive_derived_type_is_an_error() {
    // `levels` nested nodes: value 0, `next` branch 1, and null at the end.
    let nested = |levels: usize| {
        let mut b = Vec::new();
        for _ in 1..levels {
            b.extend_from_slice(&[0x00, 0x02]);
        }
        b.extend_from_slice(&[0x00, 0x00]);
        b
    };
    let limit = avro_runtime::decode::MAX_DEPTH as usize;
    // In a spawned thread's 2 MiB stack, as the generated types' test runs.
    std::thread::spawn(move || {
        let mut v: LongList =
            avro_runtime::from_slice(&nested(limit)).expect("MAX_DEPTH levels decode");
        while let Some(next) = v.next.take() {
            v = *next;
        }
        let e = avro_runtime::from_slice::<LongList>(&nested(1_000_000)).unwrap_err();
        assert!(matches!(e.kind(), DecodeErrorKind::TooDeep(_)), "{e}");
    })
    .join()
    .unwrap();
}
