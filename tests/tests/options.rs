//! The generator's options through the build.rs API: Default impls from
//! schema defaults, the derives each kind of type gets (`Eq`/`Hash` where no
//! float is inside), constructors from the required fields, serde derives
//! that work with serde_json and with apache-avro's serde API, type
//! attributes, the map type, flat modules, and the chrono conversions of the
//! logical types.

use std::collections::{BTreeMap, HashSet};

use avro_runtime::json::ToAvroJson;
use avro_runtime::AvroSchema;
use avro_tests::jsoncmp::json_eq;
use avro_tests::options::test::options::{Defaults, Person, Role};

fn person() -> Person {
    Person {
        first_name: "Ada".into(),
        age: 36,
        r#type: Role::UserRole,
        nick: Some("countess".into()),
        scores: BTreeMap::from([("math".to_owned(), 100), ("poetry".to_owned(), 7)]),
    }
}

#[test]
fn default_impl_uses_every_schema_default() {
    let schema: serde_json::Value = serde_json::from_str(Defaults::schema()).unwrap();
    let mut expected = serde_json::Map::new();
    for f in schema["fields"].as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        let mut d = f["default"].clone();
        // Defaults are plain values; the JSON encoding tags non-null union branches.
        if let Some(branches) = f["type"].as_array() {
            if !d.is_null() {
                let branch = if d.is_string() { "string" } else { "int" };
                assert!(branches.iter().any(|b| b == branch));
                d = serde_json::json!({ branch: d });
            }
        }
        if name == "rec" {
            d["y"] = "yy".into(); // the inner record's own default fills the missing field
        }
        expected.insert(name.to_owned(), d);
    }
    let actual = Defaults::default().to_avro_json();
    json_eq(&actual, &serde_json::Value::Object(expected)).unwrap();
    // And the defaults encode and decode like any value.
    let d = Defaults::default();
    let bytes = avro_runtime::to_vec(&d).unwrap();
    let back: Defaults = avro_runtime::from_slice(&bytes).unwrap();
    json_eq(&back.to_avro_json(), &d.to_avro_json()).unwrap();
}

#[test]
fn serde_derives_work_with_serde_json_and_apache_avro() {
    let p = person();
    // serde_json, with the Avro field names.
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["firstName"], "Ada");
    assert_eq!(json["type"], "user_role");
    let back: Person = serde_json::from_value(json).unwrap();
    assert_eq!(back, p);
    // apache-avro's serde path encodes the same value as our encoder (maps
    // are unordered, so compare bytes exactly for a one-entry map).
    let schema = apache_avro::Schema::parse_str(Person::schema()).unwrap();
    let writer = apache_avro::writer::datum::GenericDatumWriter::builder(&schema)
        .build()
        .unwrap();
    let encode = |p: &Person| {
        let value = apache_avro::to_value(p).unwrap().resolve(&schema).unwrap();
        writer.write_value_to_vec(value).unwrap()
    };
    let theirs = encode(&p);
    assert_eq!(avro_runtime::from_slice::<Person>(&theirs).unwrap(), p);
    let one = Person {
        scores: BTreeMap::from([("math".to_owned(), 100)]),
        ..person()
    };
    assert_eq!(encode(&one), avro_runtime::to_vec(&one).unwrap());
    let reader = apache_avro::reader::datum::GenericDatumReader::builder(&schema)
        .build()
        .unwrap();
    let decoded = reader.read_value(&mut &theirs[..]).unwrap();
    let from_apache: Person = apache_avro::from_value(&decoded).unwrap();
    assert_eq!(from_apache, p);
}

#[test]
fn type_attributes_and_map_type_apply() {
    // `#[derive(Eq, Hash, PartialOrd)]` came from `type_attribute`: the
    // generator derives Eq and Hash itself and leaves them out rather than
    // deriving them twice; PartialOrd only the attribute gives.
    let younger = Person {
        age: 20,
        ..person()
    };
    assert!(
        younger < person(),
        "first_name ties, then age 20 < 36: {younger:?}"
    );
    let set: HashSet<Person> = [person(), person()].into_iter().collect();
    assert_eq!(set.len(), 1);
    let scores: &BTreeMap<String, i64> = &person().scores;
    assert_eq!(scores.keys().next().unwrap(), "math");
}

#[test]
fn flat_layout_puts_every_type_in_one_module() {
    let p = avro_tests::options_flat::Person {
        first_name: "Ada".into(),
        age: 36,
        r#type: avro_tests::options_flat::Role::Admin,
        nick: None,
        scores: Default::default(),
    };
    let bytes = avro_runtime::to_vec(&p).unwrap();
    let back: avro_tests::options_flat::Person = avro_runtime::from_slice(&bytes).unwrap();
    assert_eq!(back, p);
    assert_eq!(
        avro_tests::options_flat::Person::fingerprint(),
        Person::fingerprint()
    );
}

#[test]
fn logical_types_convert_to_chrono() {
    let d = Defaults::default();
    let date = chrono::NaiveDate::try_from(d.date).unwrap();
    assert_eq!(date.to_string(), "2022-01-08");
    assert_eq!(avro_runtime::Date::from(date), d.date);
    let ts = chrono::DateTime::<chrono::Utc>::try_from(d.ts).unwrap();
    assert_eq!(ts.timestamp_millis(), 1000);
    assert_eq!(d.amount.to_string_with_scale(2), "12.34");
    assert_eq!(d.id.to_string(), "123e4567-e89b-12d3-a456-426614174000");
}

#[test]
fn fixed_types_serialize_as_bytes() {
    use avro_tests::options::test::options::Two;
    let two = Two([0x01, 0xfe]);
    // A binary serde format sees bytes, not a tuple of numbers or a newtype.
    assert_eq!(
        apache_avro::to_value(two).unwrap(),
        apache_avro::types::Value::Bytes(vec![0x01, 0xfe])
    );
    let back: Two =
        apache_avro::from_value(&apache_avro::types::Value::Bytes(vec![0x01, 0xfe])).unwrap();
    assert_eq!(back, two);
    // JSON holds them as numbers, and reads them back; the length is checked.
    let json = serde_json::to_value(two).unwrap();
    assert_eq!(json, serde_json::json!([1, 254]));
    assert_eq!(serde_json::from_value::<Two>(json).unwrap(), two);
    let err = serde_json::from_value::<Two>(serde_json::json!([1, 2, 3])).unwrap_err();
    assert!(err.to_string().contains("2 bytes"), "{err}");
}

#[test]
fn bytes_fields_serialize_as_bytes() {
    use avro_tests::options::test::options::Defaults;
    let d = Defaults::default();
    assert_eq!(d.by, vec![0x00, 0xff]);
    // apache-avro's serde path sees bytes (a sequence of numbers before).
    let v = apache_avro::to_value(&d).unwrap();
    let apache_avro::types::Value::Record(fields) = &v else {
        panic!("a record: {v:?}");
    };
    let by = fields.iter().find(|(k, _)| k == "by").map(|(_, v)| v);
    assert_eq!(
        by,
        Some(&apache_avro::types::Value::Bytes(vec![0x00, 0xff]))
    );
    // And reads them back (the record's NaN default rules out comparing
    // whole values).
    let back: Defaults = apache_avro::from_value(&v).unwrap();
    assert_eq!(back.by, d.by);
    // JSON still holds numbers.
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["by"], serde_json::json!([0, 255]));
}

/// `Probe::<T>::EQ` is true exactly when `T: Eq` (an inherent constant
/// shadows the trait's default when its bound holds); the same for `Hash`.
struct Probe<T>(std::marker::PhantomData<T>);
trait NotEq {
    const EQ: bool = false;
}
impl<T> NotEq for Probe<T> {}
impl<T: Eq> Probe<T> {
    const EQ: bool = true;
}
struct HashProbe<T>(std::marker::PhantomData<T>);
trait NotHash {
    const HASH: bool = false;
}
impl<T> NotHash for HashProbe<T> {}
impl<T: std::hash::Hash> HashProbe<T> {
    const HASH: bool = true;
}

struct DefaultProbe<T>(std::marker::PhantomData<T>);
trait NotDefault {
    const DEFAULT: bool = false;
}
impl<T> NotDefault for DefaultProbe<T> {}
impl<T: Default> DefaultProbe<T> {
    const DEFAULT: bool = true;
}

// The probes are constants (autoref specialisation): the assertions below are
// decided when the test compiles, and each fails the test when a derive is
// missing or present where it must not be.
#[allow(clippy::assertions_on_constants)]
#[test]
fn records_derive_eq_and_hash_exactly_where_every_field_can() {
    use avro_tests::options::test::options::Inner;
    // No float inside, BTreeMap (hashable) as the map type: both.
    assert!(Probe::<Inner>::EQ && HashProbe::<Inner>::HASH);
    assert!(Probe::<Person>::EQ && HashProbe::<Person>::HASH);
    // A float and a double inside: neither.
    assert!(!Probe::<Defaults>::EQ && !HashProbe::<Defaults>::HASH);
    // The flat build keeps the default HashMap, which is Eq but not Hash.
    use avro_tests::options_flat as flat;
    assert!(Probe::<flat::Person>::EQ && !HashProbe::<flat::Person>::HASH);
    assert!(Probe::<flat::Inner>::EQ && HashProbe::<flat::Inner>::HASH);
}

#[allow(clippy::assertions_on_constants)] // the Default probe is a constant, as above
#[test]
fn constructors_take_the_required_fields_and_fill_the_rest() {
    use avro_tests::options::test::options::Inner;
    // `y` has a schema default ("yy"); `x` is required.
    assert_eq!(
        Inner::new(7),
        Inner {
            x: 7,
            y: "yy".into()
        }
    );
    // `nick` is optional without a default: None; the rest are required.
    let p = Person::new("Ada".into(), 36, Role::UserRole, person().scores);
    assert_eq!(
        p,
        Person {
            nick: None,
            ..person()
        }
    );
    // No required field: `Default` is `new()`, an optional field without a
    // default is `None`; a record with a required field has no `Default`.
    use avro_tests::options::test::options::Profile;
    assert_eq!(
        Profile::default(),
        Profile {
            nick: None,
            level: 3
        }
    );
    assert!(DefaultProbe::<Profile>::DEFAULT && !DefaultProbe::<Person>::DEFAULT);
    // Every field has a default: `new()` is `Default` (compared as bytes: a NaN inside).
    assert_eq!(
        avro_runtime::to_vec(&Defaults::new()).unwrap(),
        avro_runtime::to_vec(&Defaults::default()).unwrap()
    );
}
