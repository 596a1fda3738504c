//! chrono's date and time types as derived fields (the runtime's `chrono`
//! feature): each stored as the logical type it stands for, microseconds
//! unless `#[avro(logical = "...")]` picks milliseconds, written exactly as
//! the runtime's own logical types are, and read back (or refused when out
//! of chrono's range).

use avro_runtime::resolve::Resolver;
use avro_runtime::{
    AvroSchema, Date, DecodeErrorKind, LocalTimestampMicros, TimeMicros, TimeMillis,
    TimestampMicros, TimestampMillis,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "t")]
struct Times {
    day: NaiveDate,
    at: DateTime<Utc>,
    #[avro(logical = "timestamp-millis")]
    at_ms: chrono::DateTime<chrono::Utc>,
    local: NaiveDateTime,
    #[avro(logical = "time-millis")]
    clock_ms: NaiveTime,
    clock: NaiveTime,
    maybe: Option<DateTime<Utc>>,
}

/// The same record spelled with the runtime's logical types.
#[derive(AvroSchema, Debug, Clone, PartialEq)]
#[avro(namespace = "t", name = "Times")]
struct RuntimeTimes {
    day: Date,
    at: TimestampMicros,
    at_ms: TimestampMillis,
    local: LocalTimestampMicros,
    clock_ms: TimeMillis,
    clock: TimeMicros,
    maybe: Option<TimestampMicros>,
}

fn sample() -> Times {
    let local = NaiveDate::from_ymd_opt(2024, 2, 29)
        .unwrap()
        .and_hms_micro_opt(23, 59, 58, 123_456)
        .unwrap();
    let at = local.and_utc();
    Times {
        day: NaiveDate::from_ymd_opt(1969, 7, 20).unwrap(),
        at,
        at_ms: DateTime::from_timestamp_millis(at.timestamp_millis()).unwrap(),
        local,
        clock_ms: NaiveTime::from_hms_milli_opt(12, 0, 1, 5).unwrap(),
        clock: NaiveTime::from_hms_micro_opt(1, 2, 3, 4).unwrap(),
        maybe: Some(at),
    }
}

#[test]
fn the_schema_names_the_logical_types() {
    let schema: serde_json::Value = serde_json::from_str(Times::schema()).unwrap();
    let logical: Vec<(&str, &str, &str)> = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| {
            let t = &f["type"];
            let t = if t.is_array() { &t[1] } else { t };
            Some((
                f["name"].as_str()?,
                t["type"].as_str()?,
                t["logicalType"].as_str()?,
            ))
        })
        .collect();
    assert_eq!(
        logical,
        [
            ("day", "int", "date"),
            ("at", "long", "timestamp-micros"),
            ("at_ms", "long", "timestamp-millis"),
            ("local", "long", "local-timestamp-micros"),
            ("clock_ms", "int", "time-millis"),
            ("clock", "long", "time-micros"),
            ("maybe", "long", "timestamp-micros"),
        ]
    );
    assert_eq!(Times::canonical_form(), RuntimeTimes::canonical_form());
}

#[test]
fn chrono_fields_write_what_the_runtime_types_write_and_read_back() {
    let v = sample();
    let mirror = RuntimeTimes::from_times(&v);
    let bytes = avro_runtime::to_vec(&v).unwrap();
    assert_eq!(bytes, avro_runtime::to_vec(&mirror).unwrap());
    assert_eq!(mirror.day.0, -165);
    assert_eq!(avro_runtime::from_slice::<Times>(&bytes).unwrap(), v);
}

#[test]
fn values_out_of_chronos_range_are_errors_naming_the_type() {
    let mut bad = RuntimeTimes::from_times(&sample());
    bad.clock = TimeMicros(86_400_000_000 * 3);
    let bytes = avro_runtime::to_vec(&bad).unwrap();
    let e = avro_runtime::from_slice::<Times>(&bytes).unwrap_err();
    assert!(matches!(e.kind(), DecodeErrorKind::Custom(_)), "{e}");
    assert!(e.to_string().contains("NaiveTime"), "{e}");
    assert!(e.to_string().contains("clock"), "{e}");
}

#[test]
fn a_missing_chrono_field_takes_its_default_when_resolving() {
    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "t", name = "Event")]
    struct EventV1 {
        id: i64,
    }
    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "t", name = "Event")]
    struct EventV2 {
        id: i64,
        #[avro(default = "19000")]
        since: NaiveDate,
        #[avro(default = "3600000", logical = "time-millis")]
        opens: NaiveTime,
    }
    let old = avro_runtime::to_vec(&EventV1 { id: 7 }).unwrap();
    let v2 = Resolver::<EventV2>::new()
        .decode(EventV1::schema(), &old)
        .unwrap();
    assert_eq!(v2.id, 7);
    assert_eq!(v2.since, NaiveDate::from_ymd_opt(2022, 1, 8).unwrap());
    assert_eq!(v2.opens, NaiveTime::from_hms_opt(1, 0, 0).unwrap());
}

impl RuntimeTimes {
    fn from_times(v: &Times) -> Self {
        RuntimeTimes {
            day: v.day.into(),
            at: v.at.into(),
            at_ms: v.at_ms.into(),
            local: v.local.into(),
            clock_ms: v.clock_ms.into(),
            clock: v.clock.into(),
            maybe: v.maybe.map(Into::into),
        }
    }
}
