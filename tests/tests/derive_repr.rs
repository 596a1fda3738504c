//! The representations of derived enums with data (`repr`): bare union
//! (with tuple variants), union of records, record with tag and content.
//! Each round trips; its bytes are apache-avro's for the same value
//! (written by hand as an apache-avro `Value` from the schema) both ways;
//! an older writer version is read through `Resolver` and agrees with the
//! transcoding reader; a tag that does not fit its content branch and
//! truncated input are errors.

#![allow(deprecated)] // apache-avro's from_avro_datum / to_avro_datum: the plain datum API

mod derive_types;

use apache_avro::types::Value;
use avro_runtime::resolve::{decode_transcoded, Resolver};
use avro_runtime::{AvroSchema, Decode, Encode};
use derive_types::{Bare, Command, Event, Message};

fn apache_schema<T: AvroSchema>() -> apache_avro::Schema {
    apache_avro::Schema::parse_str(T::schema()).expect("apache-avro parses the derived schema")
}

/// `v` round trips, and its bytes are those apache-avro writes for
/// `value`, which it reads back as `value`; apache-avro's bytes decode
/// into `v`, plainly and through a plan with the type's own schema.
fn agrees<T>(v: &T, value: Value)
where
    T: AvroSchema + Encode + Decode + PartialEq + std::fmt::Debug,
{
    let schema = apache_schema::<T>();
    let ours = avro_runtime::to_vec(v).unwrap();
    let theirs = apache_avro::to_avro_datum(&schema, value.clone())
        .unwrap_or_else(|e| panic!("apache-avro cannot write {v:?} as {value:?}: {e}"));
    assert_eq!(ours, theirs, "bytes of {v:?}");
    let read = apache_avro::from_avro_datum(&schema, &mut &ours[..], None).unwrap();
    assert_eq!(read, value, "apache-avro reading our bytes of {v:?}");
    let back: T = avro_runtime::from_slice(&theirs).unwrap();
    assert_eq!(&back, v);
    let r = Resolver::<T>::new();
    assert_eq!(&r.decode(T::schema(), &theirs).unwrap(), v);
    // Every shorter prefix is an error, never a panic.
    for n in 0..ours.len() {
        assert!(
            avro_runtime::from_slice::<T>(&ours[..n]).is_err(),
            "{v:?}: {n} of {} bytes decoded",
            ours.len()
        );
    }
}

fn rec(fields: &[(&str, Value)]) -> Value {
    Value::Record(
        fields
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect(),
    )
}

fn union(i: u32, v: Value) -> Value {
    Value::Union(i, Box::new(v))
}

#[test]
fn bare_union_with_a_tuple_variant() {
    agrees(&Bare::Nothing, union(0, Value::Null));
    agrees(&Bare::Id(-7), union(1, Value::Long(-7)));
    agrees(
        &Bare::Point(1.5, -2.0),
        union(
            2,
            rec(&[
                ("field_0", Value::Double(1.5)),
                ("y_axis", Value::Double(-2.0)),
            ]),
        ),
    );
    agrees(
        &Bare::Named { label: "x".into() },
        union(3, rec(&[("label", Value::String("x".into()))])),
    );
}

#[test]
fn union_of_records() {
    agrees(&Event::Started, union(0, rec(&[])));
    agrees(
        &Event::Count(3),
        union(1, rec(&[("field_0", Value::Long(3))])),
    );
    agrees(
        &Event::Label("é".into()),
        union(2, rec(&[("field_0", Value::String("é".into()))])),
    );
    // The skipped tuple field is not written and comes back as Default.
    let v = Event::Moved(0.25, 8.0, 0);
    agrees(
        &v,
        union(
            3,
            rec(&[
                ("field_0", Value::Double(0.25)),
                ("field_1", Value::Double(8.0)),
            ]),
        ),
    );
    let bytes = avro_runtime::to_vec(&Event::Moved(0.25, 8.0, 9)).unwrap();
    assert_eq!(avro_runtime::from_slice::<Event>(&bytes).unwrap(), v);
    agrees(
        &Event::Stopped {
            by: "ops".into(),
            code: -1,
        },
        union(
            4,
            rec(&[
                ("by", Value::String("ops".into())),
                ("code", Value::Int(-1)),
            ]),
        ),
    );
}

fn tc(kind: (u32, &str), branch: u32, content: Value) -> Value {
    rec(&[
        ("kind", Value::Enum(kind.0, kind.1.into())),
        ("value", union(branch, content)),
    ])
}

#[test]
fn record_with_tag_and_content() {
    // Content branches: null, string, long, Move, Pair, Command.
    agrees(
        &Command::Say("hi".into()),
        tc((0, "Say"), 1, Value::String("hi".into())),
    );
    // Another variant of the same type: the same branch, another tag.
    agrees(
        &Command::Shout("HI".into()),
        tc((1, "Shout"), 1, Value::String("HI".into())),
    );
    agrees(&Command::Stop, tc((2, "Stop"), 0, Value::Null));
    agrees(&Command::Wait(9), tc((3, "Wait"), 2, Value::Long(9)));
    agrees(
        &Command::Move { x: 1, y: -1 },
        tc(
            (4, "Move"),
            3,
            rec(&[("x", Value::Int(1)), ("y", Value::Int(-1))]),
        ),
    );
    agrees(
        &Command::Pair("a".into(), "b".into()),
        tc(
            (5, "Pair"),
            4,
            rec(&[
                ("field_0", Value::String("a".into())),
                ("field_1", Value::String("b".into())),
            ]),
        ),
    );
    agrees(
        &Command::Again(Box::new(Command::Stop)),
        tc((6, "Again"), 5, tc((2, "Stop"), 0, Value::Null)),
    );
    // Through serde's `tag` and `content`, a renamed struct variant.
    agrees(
        &Message::Ping,
        rec(&[
            ("type", Value::Enum(0, "Ping".into())),
            ("data", union(0, Value::Null)),
        ]),
    );
    agrees(
        &Message::Image {
            url: "u".into(),
            width: 640,
        },
        rec(&[
            ("type", Value::Enum(2, "img".into())),
            (
                "data",
                union(
                    2,
                    rec(&[
                        ("url", Value::String("u".into())),
                        ("width", Value::Long(640)),
                    ]),
                ),
            ),
        ]),
    );
}

#[test]
fn a_tag_whose_content_is_in_another_branch_is_an_error() {
    // Tag `Wait` (long) with content in the string branch.
    let mut bytes = avro_runtime::to_vec(&Command::Say("hi".into())).unwrap();
    bytes[0] = 6; // zig-zag of symbol 3, Wait
    let e = avro_runtime::from_slice::<Command>(&bytes)
        .unwrap_err()
        .to_string();
    assert!(e.contains("value") && e.contains("Wait"), "{e}");
}

/// Older versions: fewer variants, fields a newer version adds with defaults.
mod v1 {
    use avro_runtime::AvroSchema;

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "ev", name = "Event", repr = "union_of_records")]
    pub enum Event {
        Count(i32),
        Stopped { by: String },
    }

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(
        namespace = "cmd",
        name = "Command",
        repr = "record_tag_content",
        tag = "kind",
        content = "value"
    )]
    pub enum Command {
        Stop,
        Wait(i32),
        Say(String),
    }
}

#[test]
fn older_writers_are_read_through_resolver() {
    let r = Resolver::<Event>::new();
    let writer = v1::Event::schema();
    let plan = r.plan_for(writer).unwrap();
    for (old, new) in [
        // int promoted to long inside the variant's record.
        (v1::Event::Count(-5), Event::Count(-5)),
        // `code` is filled from its default.
        (
            v1::Event::Stopped { by: "x".into() },
            Event::Stopped {
                by: "x".into(),
                code: 0,
            },
        ),
    ] {
        let bytes = avro_runtime::to_vec(&old).unwrap();
        assert_eq!(r.decode(writer, &bytes).unwrap(), new, "{old:?}");
        assert_eq!(decode_transcoded::<Event>(&plan, &bytes).unwrap(), new);
    }

    let r = Resolver::<Command>::new();
    let writer = v1::Command::schema();
    let plan = r.plan_for(writer).unwrap();
    // Symbols in another order, int promoted to long, branches reordered.
    for (old, new) in [
        (v1::Command::Stop, Command::Stop),
        (v1::Command::Wait(7), Command::Wait(7)),
        (v1::Command::Say("s".into()), Command::Say("s".into())),
    ] {
        let bytes = avro_runtime::to_vec(&old).unwrap();
        assert_eq!(r.decode(writer, &bytes).unwrap(), new, "{old:?}");
        assert_eq!(decode_transcoded::<Command>(&plan, &bytes).unwrap(), new);
    }
}
