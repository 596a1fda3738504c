//! Property tests: values of a derived type encode to bytes apache-avro
//! decodes into the same value (built independently from the Rust value),
//! and apache-avro's encoding of that value decodes into the derived type
//! as the same Rust value. The type covers records, every primitive (and
//! the narrower integers stored as int/long), options, arrays, maps,
//! bytes, fixed, an enum and a union with a record branch.

#![allow(deprecated)] // apache-avro's from_avro_datum / to_avro_datum: the plain datum API

use std::collections::HashMap;

use apache_avro::types::Value;
use avro_runtime::AvroSchema;
use proptest::prelude::*;

#[derive(AvroSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[avro(namespace = "prop", rename_all = "UPPERCASE")]
enum Suit {
    Hearts,
    Spades,
    #[avro(default)]
    Clubs,
}

// In the record's namespace: a null-namespace type cannot be referred to
// by name from inside a namespace in Avro JSON (see the README).
#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "prop")]
enum Payload {
    Nothing,
    Number(i64),
    Text(String),
    Point { x: f64, y: f64 },
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "prop")]
struct Sample {
    flag: bool,
    int: i32,
    long: i64,
    byte: u8,
    short: i16,
    unsigned: u32,
    real: f32,
    double: f64,
    text: String,
    maybe: Option<String>,
    list: Vec<i64>,
    counts: HashMap<String, i32>,
    #[avro(bytes)]
    blob: Vec<u8>,
    quad: [u8; 4],
    suit: Suit,
    payload: Payload,
    payloads: Vec<Payload>,
}

fn suit_value(s: Suit) -> Value {
    let (i, n) = match s {
        Suit::Hearts => (0, "HEARTS"),
        Suit::Spades => (1, "SPADES"),
        Suit::Clubs => (2, "CLUBS"),
    };
    Value::Enum(i, n.into())
}

fn payload_value(p: &Payload) -> Value {
    match p {
        Payload::Nothing => Value::Union(0, Box::new(Value::Null)),
        Payload::Number(n) => Value::Union(1, Box::new(Value::Long(*n))),
        Payload::Text(s) => Value::Union(2, Box::new(Value::String(s.clone()))),
        Payload::Point { x, y } => Value::Union(
            3,
            Box::new(Value::Record(vec![
                ("x".into(), Value::Double(*x)),
                ("y".into(), Value::Double(*y)),
            ])),
        ),
    }
}

/// The apache-avro value of a sample, written from the schema by hand.
fn value(s: &Sample) -> Value {
    let opt = |v: Option<Value>| match v {
        None => Value::Union(0, Box::new(Value::Null)),
        Some(v) => Value::Union(1, Box::new(v)),
    };
    Value::Record(vec![
        ("flag".into(), Value::Boolean(s.flag)),
        ("int".into(), Value::Int(s.int)),
        ("long".into(), Value::Long(s.long)),
        ("byte".into(), Value::Int(s.byte.into())),
        ("short".into(), Value::Int(s.short.into())),
        ("unsigned".into(), Value::Long(s.unsigned.into())),
        ("real".into(), Value::Float(s.real)),
        ("double".into(), Value::Double(s.double)),
        ("text".into(), Value::String(s.text.clone())),
        ("maybe".into(), opt(s.maybe.clone().map(Value::String))),
        (
            "list".into(),
            Value::Array(s.list.iter().map(|x| Value::Long(*x)).collect()),
        ),
        (
            "counts".into(),
            Value::Map(
                s.counts
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::Int(*v)))
                    .collect(),
            ),
        ),
        ("blob".into(), Value::Bytes(s.blob.clone())),
        ("quad".into(), Value::Fixed(4, s.quad.to_vec())),
        ("suit".into(), suit_value(s.suit)),
        ("payload".into(), payload_value(&s.payload)),
        (
            "payloads".into(),
            Value::Array(s.payloads.iter().map(payload_value).collect()),
        ),
    ])
}

fn payload() -> impl Strategy<Value = Payload> {
    prop_oneof![
        Just(Payload::Nothing),
        any::<i64>().prop_map(Payload::Number),
        ".{0,12}".prop_map(Payload::Text),
        (-1e9f64..1e9, -1e9f64..1e9).prop_map(|(x, y)| Payload::Point { x, y }),
    ]
}

prop_compose! {
    fn sample()(
        flag in any::<bool>(), int in any::<i32>(), long in any::<i64>(), byte in any::<u8>(),
        short in any::<i16>(), unsigned in any::<u32>(), real in -1e6f32..1e6,
        double in proptest::num::f64::NORMAL | proptest::num::f64::ZERO,
        text in ".{0,20}", maybe in proptest::option::of(".{0,8}"),
        list in proptest::collection::vec(any::<i64>(), 0..8),
        counts in proptest::collection::hash_map("[a-z]{0,6}", any::<i32>(), 0..5),
        blob in proptest::collection::vec(any::<u8>(), 0..16), quad in any::<[u8; 4]>(),
        suit in prop_oneof![Just(Suit::Hearts), Just(Suit::Spades), Just(Suit::Clubs)],
        payload in payload(), payloads in proptest::collection::vec(payload(), 0..4),
    ) -> Sample {
        Sample { flag, int, long, byte, short, unsigned, real, double, text, maybe, list, counts,
                 blob, quad, suit, payload, payloads }
    }
}

fn schema() -> apache_avro::Schema {
    apache_avro::Schema::parse_str(Sample::schema()).expect("apache-avro parses the derived schema")
}

/// `Option<Payload>` where `Payload` is a union would be a union inside a
/// union. The macro cannot see that `Payload` is one; composing the schema
/// says so, naming the type, when the program first asks for it.
#[derive(AvroSchema, Debug)]
struct OptionOfUnion {
    inner: Option<Payload>,
}

#[test]
fn an_option_of_a_union_is_reported_when_the_schema_is_composed() {
    let r = std::panic::catch_unwind(|| OptionOfUnion::schema().len());
    let msg = r.expect_err("a union inside a union must not compose");
    let msg = msg.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("OptionOfUnion"), "{msg}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn apache_avro_decodes_derived_bytes_into_the_same_value(s in sample()) {
        let bytes = avro_runtime::to_vec(&s).unwrap();
        let v = apache_avro::from_avro_datum(&schema(), &mut &bytes[..], None).unwrap();
        prop_assert_eq!(v, value(&s));
    }

    #[test]
    fn derived_type_decodes_apache_avro_bytes_into_the_same_value(s in sample()) {
        let bytes = apache_avro::to_avro_datum(&schema(), value(&s)).unwrap();
        let back: Sample = avro_runtime::from_slice(&bytes).unwrap();
        prop_assert_eq!(back, s);
    }
}
