use avro_runtime::AvroSchema;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};

#[derive(AvroSchema)]
struct Times {
    // Avro timestamps are instants: a zone other than Utc has no type.
    local: DateTime<FixedOffset>,
    // A date is days: no timestamp logical type fits it.
    #[avro(logical = "timestamp-millis")]
    day: NaiveDate,
    #[avro(logical = "timestamp-micros")]
    clock: NaiveTime,
    fine: DateTime<Utc>,
}

fn main() {}
