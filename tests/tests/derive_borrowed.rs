//! Derived types with a lifetime borrow from the input
//! (`DecodeBorrowed<'a>`, `from_slice_ref`): `&'a str`, `&'a [u8]`
//! (bytes), `Cow<'a, str>`, options, arrays and maps of those, boxes and
//! other derived borrowed types, enums with data. Each decodes what the
//! owned derived type of the same schema decodes, its strings and bytes
//! point into the input, and truncated or hostile input is an error.

use std::borrow::Cow;
use std::collections::HashMap;

use avro_runtime::{AvroSchema, Decode, DecodeBorrowed, Encode};

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "brw", name = "Tag")]
struct TagRef<'a> {
    name: &'a str,
    weight: i32,
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "brw", name = "Kind")]
enum KindRef<'a> {
    Nothing,
    Text(&'a str),
    Pair { a: &'a str, b: i64 },
    Triple(&'a str, Cow<'a, str>, i32),
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "brw", name = "Event")]
struct EventRef<'a> {
    id: i64,
    name: &'a str,
    #[avro(bytes)]
    payload: &'a [u8],
    note: Cow<'a, str>,
    maybe: Option<&'a str>,
    list: Vec<&'a str>,
    tags: Vec<TagRef<'a>>,
    first: Option<Box<TagRef<'a>>>,
    owned: String,
    counts: HashMap<String, &'a str>,
    kind: KindRef<'a>,
    #[avro(skip)]
    cache: Option<String>,
}

/// The owned types of the same schemas.
mod owned {
    use std::collections::HashMap;

    use avro_runtime::AvroSchema;

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "brw")]
    pub struct Tag {
        pub name: String,
        pub weight: i32,
    }

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "brw")]
    pub enum Kind {
        Nothing,
        Text(String),
        Pair { a: String, b: i64 },
        Triple(String, String, i32),
    }

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "brw")]
    pub struct Event {
        pub id: i64,
        pub name: String,
        #[avro(bytes)]
        pub payload: Vec<u8>,
        pub note: String,
        pub maybe: Option<String>,
        pub list: Vec<String>,
        pub tags: Vec<Tag>,
        pub first: Option<Box<Tag>>,
        pub owned: String,
        pub counts: HashMap<String, String>,
        pub kind: Kind,
    }
}

fn tag_owned(t: &TagRef<'_>) -> owned::Tag {
    owned::Tag {
        name: t.name.into(),
        weight: t.weight,
    }
}

/// The owned value of a borrowed one, field by field.
fn to_owned(e: &EventRef<'_>) -> owned::Event {
    owned::Event {
        id: e.id,
        name: e.name.into(),
        payload: e.payload.to_vec(),
        note: e.note.to_string(),
        maybe: e.maybe.map(Into::into),
        list: e.list.iter().map(|s| (*s).to_owned()).collect(),
        tags: e.tags.iter().map(tag_owned).collect(),
        first: e.first.as_ref().map(|t| Box::new(tag_owned(t))),
        owned: e.owned.clone(),
        counts: e
            .counts
            .iter()
            .map(|(k, v)| (k.clone(), (*v).to_owned()))
            .collect(),
        kind: match &e.kind {
            KindRef::Nothing => owned::Kind::Nothing,
            KindRef::Text(s) => owned::Kind::Text((*s).into()),
            KindRef::Pair { a, b } => owned::Kind::Pair {
                a: (*a).into(),
                b: *b,
            },
            KindRef::Triple(a, b, c) => owned::Kind::Triple((*a).into(), b.to_string(), *c),
        },
    }
}

fn samples() -> Vec<owned::Event> {
    let tag = |n: &str, w| owned::Tag {
        name: n.into(),
        weight: w,
    };
    let kinds = [
        owned::Kind::Nothing,
        owned::Kind::Text("texté".into()),
        owned::Kind::Pair {
            a: "left".into(),
            b: -9,
        },
        owned::Kind::Triple("x".into(), "y".into(), 3),
    ];
    kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| owned::Event {
            id: i as i64 * 1_000_003 - 7,
            name: format!("event-{i}"),
            payload: (0..i as u8 * 5).collect(),
            note: "a note".repeat(i),
            maybe: (i % 2 == 0).then(|| "maybe".into()),
            list: (0..i).map(|k| format!("item{k}")).collect(),
            tags: (0..i).map(|k| tag(&format!("t{k}"), k as i32)).collect(),
            first: (i > 1).then(|| Box::new(tag("first", -1))),
            owned: "owned".into(),
            counts: (0..i).map(|k| (format!("k{k}"), format!("v{k}"))).collect(),
            kind,
        })
        .collect()
}

#[test]
fn the_schemas_are_the_owned_types() {
    assert_eq!(EventRef::canonical_form(), owned::Event::canonical_form());
    assert_eq!(EventRef::fingerprint(), owned::Event::fingerprint());
}

#[test]
fn borrowed_decoding_agrees_with_owned_and_points_into_the_input() {
    for want in samples() {
        let bytes = avro_runtime::to_vec(&want).unwrap();
        let owned: owned::Event = avro_runtime::from_slice(&bytes).unwrap();
        let got: EventRef<'_> = avro_runtime::from_slice_ref(&bytes).unwrap();
        assert_eq!(to_owned(&got), owned);
        assert_eq!(got.cache, None);
        // The borrowed value encodes to what decodes as the same value
        // (map entries may come in another order).
        let again = avro_runtime::to_vec(&got).unwrap();
        assert_eq!(again.len(), bytes.len());
        assert_eq!(
            avro_runtime::from_slice::<owned::Event>(&again).unwrap(),
            owned
        );

        let range = bytes.as_ptr_range();
        let inside =
            |p: *const u8, len: usize| range.start <= p && p.wrapping_add(len) <= range.end;
        let mut strs: Vec<&str> = vec![got.name];
        strs.extend(got.maybe);
        strs.extend(got.list.iter().copied());
        strs.extend(got.tags.iter().map(|t| t.name));
        strs.extend(got.first.as_ref().map(|t| t.name));
        strs.extend(got.counts.values().copied());
        match &got.kind {
            KindRef::Text(s) => strs.push(s),
            KindRef::Pair { a, .. } => strs.push(a),
            KindRef::Triple(a, b, _) => {
                strs.push(a);
                assert!(matches!(b, Cow::Borrowed(_)), "a Cow is borrowed");
            }
            KindRef::Nothing => {}
        }
        assert!(matches!(got.note, Cow::Borrowed(_)), "a Cow is borrowed");
        for s in strs {
            assert!(inside(s.as_ptr(), s.len()), "{s:?} is a copy");
        }
        assert!(inside(got.payload.as_ptr(), got.payload.len()));
    }
}

fn decodes_ref<'a, T: DecodeBorrowed<'a>>(bytes: &'a [u8]) -> bool {
    avro_runtime::from_slice_ref::<T>(bytes).is_ok()
}

#[test]
fn truncated_and_hostile_input_is_an_error() {
    for want in samples() {
        let bytes = avro_runtime::to_vec(&want).unwrap();
        for n in 0..bytes.len() {
            assert!(!decodes_ref::<EventRef<'_>>(&bytes[..n]), "{n} bytes");
        }
        // Every single byte changed: an error or a value, never a panic;
        // and the same verdict as the owned decoder.
        for i in 0..bytes.len() {
            for b in [0x00, 0x7f, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[i] = b;
                let owned = avro_runtime::from_slice::<owned::Event>(&bad);
                let borrowed = avro_runtime::from_slice_ref::<EventRef<'_>>(&bad);
                assert_eq!(owned.is_ok(), borrowed.is_ok(), "byte {i} = {b:#x}");
                if let (Ok(o), Ok(r)) = (owned, borrowed) {
                    assert_eq!(to_owned(&r), o);
                }
            }
        }
    }
    // A string claiming far more bytes than there are.
    let mut bytes = vec![2]; // id 1
    bytes.extend([0xfe, 0xff, 0xff, 0xff, 0x0f]); // name: a huge length
    assert!(!decodes_ref::<EventRef<'_>>(&bytes));
}

/// Types without references keep their owned `Decode`; `Cow` fields decode
/// owned there and borrowed through `DecodeBorrowed`.
#[derive(AvroSchema, Debug, Clone, PartialEq)]
struct Note<'a> {
    text: Cow<'a, str>,
}

#[test]
fn cow_types_decode_both_ways() {
    let bytes = avro_runtime::to_vec(&Note {
        text: Cow::Borrowed("hello"),
    })
    .unwrap();
    let owned: Note<'static> = Note::decode(&mut avro_runtime::Reader::new(&bytes)).unwrap();
    assert!(matches!(owned.text, Cow::Owned(_)));
    let borrowed: Note<'_> = avro_runtime::from_slice_ref(&bytes).unwrap();
    assert!(matches!(borrowed.text, Cow::Borrowed("hello")));
    assert_eq!(owned, borrowed);
    let _ = <Note<'_> as Encode>::encode;
}
