//! Derived types covering every shape and attribute, shared by the derive
//! tests (each has a hand-written schema in `derive_fixtures/`).
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, VecDeque};

use avro_runtime::serde::{Deserialize, Serialize};
use avro_runtime::{
    AvroSchema, Date, Decimal, Duration, LocalTimestampMicros, LocalTimestampMillis,
    LocalTimestampNanos, TimeMicros, TimeMillis, TimestampMicros, TimestampMillis, TimestampNanos,
    Uuid,
};
use indexmap::IndexMap;

/// A student of the school.
#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(
    namespace = "school",
    alias = "Pupil",
    property(name = "x-owner", value = "\"registrar\"")
)]
pub struct Student {
    /// Given name, if known.
    #[avro(rename = "first_name")]
    pub first: Option<String>,
    #[avro(default = "1", alias = "grade")]
    pub class: i32,
    #[avro(default = "\"unknown@example.com\"")]
    pub email: Option<String>,
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "types")]
pub struct Scalars {
    pub flag: bool,
    pub tiny: i8,
    pub small: i16,
    pub int: i32,
    pub long: i64,
    pub byte: u8,
    pub word: u16,
    pub dword: u32,
    #[avro(long)]
    pub big: u64,
    #[avro(long)]
    pub size: usize,
    pub real: f32,
    pub double: f64,
    pub text: String,
    pub cow: Cow<'static, str>,
    pub boxed: Box<str>,
    #[avro(bytes)]
    pub blob: Vec<u8>,
    pub octets: Vec<u8>,
    #[avro(fixed(name = "Md5"))]
    pub md5: [u8; 16],
    #[avro(fixed(name = "Md5"))]
    pub other_md5: [u8; 16],
    pub quad: [u8; 4],
    pub list: Vec<i64>,
    pub deque: VecDeque<String>,
    pub hash: HashMap<String, i64>,
    pub btree: BTreeMap<String, i64>,
    pub index: IndexMap<String, Vec<f64>>,
    pub maybe: Option<i64>,
    #[avro(long, default)]
    pub counter: u64,
    #[avro(
        logical = "timestamp-millis",
        property(name = "x-unit", value = "\"ms\"")
    )]
    pub stamp: i64,
    #[avro(skip)]
    pub cache: Option<String>,
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
pub struct Logical {
    pub id: Uuid,
    pub day: Date,
    pub t_ms: TimeMillis,
    pub t_us: TimeMicros,
    pub ts_ms: TimestampMillis,
    pub ts_us: TimestampMicros,
    pub ts_ns: TimestampNanos,
    pub lts_ms: LocalTimestampMillis,
    pub lts_us: LocalTimestampMicros,
    pub lts_ns: LocalTimestampNanos,
    #[avro(precision = 10, scale = 2)]
    pub price: Decimal,
    #[avro(precision = 18, scale = 4, fixed(size = 8, name = "Money"))]
    pub fixed_price: Decimal,
    pub wait: Duration,
    pub optional_day: Option<Date>,
}

/// Primary colours.
#[derive(AvroSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[avro(namespace = "paint", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Color {
    Red,
    #[avro(default)]
    Green,
    DarkBlue,
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "geo")]
pub enum Shape {
    Empty,
    Count(i64),
    Name(String),
    /// A circle.
    Circle {
        radius: f64,
    },
    Rect {
        w: f64,
        #[avro(default = "1.0")]
        h: f64,
    },
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "tree")]
pub struct Node {
    pub value: i32,
    pub next: Option<Box<Node>>,
    pub children: Vec<Node>,
    pub by_name: HashMap<String, Node>,
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "people")]
pub struct Person {
    pub home: Address,
    pub work: Option<Address>,
    pub birth_country: Country,
    pub height: Meters,
    #[avro(default = "\"RED\"")]
    pub favourite: Color,
    #[avro(default = "null")]
    pub shape: Shape,
    #[allow(clippy::vec_box)] // a Box inside a Vec is a shape the derive must take
    pub boxed: Vec<Box<Address>>,
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "people")]
pub struct Address {
    pub street: String,
    pub country: Country,
}

#[derive(AvroSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[avro(namespace = "people")]
pub struct Country(pub [u8; 2]);

#[derive(AvroSchema, Debug, Clone, Copy, PartialEq)]
pub struct Meters(pub f64);

#[derive(AvroSchema, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(crate = "avro_runtime::serde", rename_all = "camelCase")]
pub struct Account {
    pub user_id: i64,
    #[serde(rename = "display", alias = "displayName")]
    pub shown: String,
    #[serde(default)]
    pub login_count: i32,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(skip)]
    pub secret: String,
    #[serde(with = "avro_runtime::serde_bytes")]
    pub avatar: Vec<u8>,
}

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "generic")]
pub struct Pair<T> {
    pub left: T,
    pub right: T,
    pub all: Vec<T>,
    pub label: String,
}

/// The representations of an enum with data (`repr`). A bare union with
/// a tuple variant (a record of `field_0`, `field_1`).
#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "geo", repr = "bare_union")]
pub enum Bare {
    Nothing,
    Id(i64),
    Point(f64, #[avro(rename = "y_axis")] f64),
    Named { label: String },
}

/// A union of records: one record per variant, named after it (unit: no
/// fields; newtype and tuple: `field_0`, ...).
#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "ev", repr = "union_of_records")]
pub enum Event {
    Started,
    Count(i64),
    Label(String),
    Moved(f64, f64, #[avro(skip)] u8),
    /// Stopped by someone.
    Stopped {
        by: String,
        #[avro(default = "0")]
        code: i32,
    },
}

/// A record with a tag enum and a content union: variants of one type
/// share a branch (the tag tells them apart), `null` comes first so the
/// content's default (null) is valid.
#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(
    namespace = "cmd",
    repr = "record_tag_content",
    tag = "kind",
    content = "value",
    alias = "Cmd"
)]
pub enum Command {
    Say(String),
    Shout(String),
    Stop,
    Wait(i64),
    Move { x: i32, y: i32 },
    Pair(String, String),
    Again(Box<Command>),
}

/// The same through serde's attributes: `tag` and `content` alone pick
/// the representation, as they pick serde's.
#[derive(AvroSchema, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(crate = "avro_runtime::serde", tag = "type", content = "data")]
#[avro(namespace = "serde_tc")]
pub enum Message {
    Ping,
    Text(String),
    #[serde(rename = "img")]
    Image {
        url: String,
        width: u32,
    },
}

/// Each fixture's derived type: (fixture stem, schema, canonical form, fingerprint).
pub type Texts = (fn() -> &'static str, fn() -> &'static str, fn() -> u64);

pub fn texts<T: AvroSchema>() -> Texts {
    (T::schema, T::canonical_form, T::fingerprint)
}

pub fn by_fixture() -> Vec<(&'static str, Texts)> {
    vec![
        ("student", texts::<Student>()),
        ("scalars", texts::<Scalars>()),
        ("logical", texts::<Logical>()),
        ("color", texts::<Color>()),
        ("shape", texts::<Shape>()),
        ("repr_bare_union", texts::<Bare>()),
        ("repr_union_of_records", texts::<Event>()),
        ("repr_tag_content", texts::<Command>()),
        ("repr_serde_tag_content", texts::<Message>()),
        ("node", texts::<Node>()),
        ("person", texts::<Person>()),
        ("serde_named", texts::<Account>()),
        ("pair", texts::<Pair<Address>>()),
    ]
}
