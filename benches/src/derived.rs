//! The five ../shared/bench workloads written by hand as
//! `#[derive(AvroSchema)]` types, to be timed beside the generated ones
//! (derived and generated code share one emitter, so they should cost the
//! same). `tests/tests/derive_workloads.rs` checks that each encodes to the
//! workload's `datum.bin`, decodes it, and has the generated type's
//! canonical form and fingerprint. [`WORKLOADS`] names them by workload
//! directory.

use avro_runtime::{AvroSchema, Decode, Encode};

pub mod student {
    use avro_runtime::AvroSchema;

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "com.example")]
    pub struct Student {
        pub name: String,
        pub class: i32,
    }
}

pub mod event {
    use std::collections::HashMap;

    use avro_runtime::AvroSchema;

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "bench")]
    pub struct Event {
        pub id: i64,
        pub ts: i64,
        pub user_id: String,
        pub session: String,
        pub page: String,
        pub score: f64,
        pub count: i32,
        pub tags: Vec<String>,
        pub referrer: Option<String>,
        pub attrs: HashMap<String, String>,
        pub values: Vec<i64>,
    }
}

pub mod order {
    use std::collections::HashMap;

    use avro_runtime::{AvroSchema, Date, Decimal, TimestampMillis, Uuid};

    /// A placed order.
    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "com.example.shop")]
    pub struct Order {
        pub order_id: Uuid,
        pub created_at: TimestampMillis,
        pub customer: Customer,
        pub items: Vec<LineItem>,
        pub shipping: Address,
        pub billing: Option<Address>,
        pub status: OrderStatus,
        pub tags: HashMap<String, String>,
        #[avro(precision = 12, scale = 2)]
        pub total: Decimal,
        pub currency: Currency,
        pub notes: Option<String>,
        #[avro(default)]
        pub gift: bool,
        pub weight_grams: i64,
        pub delivery_date: Option<Date>,
        #[avro(default = "null")]
        pub coupon: OrderCoupon,
    }

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "com.example.shop")]
    pub struct Customer {
        pub id: i64,
        pub name: String,
        pub email: Option<String>,
        pub tier: Tier,
    }

    #[derive(AvroSchema, Debug, Clone, Copy, PartialEq, Eq)]
    #[avro(namespace = "com.example.shop", rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum Tier {
        #[avro(default)]
        Bronze,
        Silver,
        Gold,
    }

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "com.example.shop")]
    pub struct LineItem {
        pub sku: String,
        pub qty: i32,
        #[avro(precision = 12, scale = 2)]
        pub unit_price: Decimal,
        pub discount: Option<f32>,
    }

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(namespace = "com.example.shop")]
    pub struct Address {
        pub street: String,
        pub city: String,
        pub postcode: String,
        pub country: CountryCode,
    }

    #[derive(AvroSchema, Debug, Clone, Copy, PartialEq, Eq)]
    #[avro(namespace = "com.example.shop")]
    pub struct CountryCode(pub [u8; 2]);

    #[derive(AvroSchema, Debug, Clone, Copy, PartialEq, Eq)]
    #[avro(namespace = "com.example.shop", rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum OrderStatus {
        Placed,
        Paid,
        Shipped,
        Delivered,
        Cancelled,
    }

    #[derive(AvroSchema, Debug, Clone, Copy, PartialEq, Eq)]
    #[avro(namespace = "com.example.shop")]
    pub struct Currency(pub [u8; 3]);

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    pub enum OrderCoupon {
        Null,
        String(String),
        Long(i64),
    }
}

pub mod numeric {
    use avro_runtime::AvroSchema;

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(name = "Series", namespace = "bench")]
    pub struct Numeric {
        pub id: i64,
        pub ts: Vec<i64>,
        pub values: Vec<f64>,
    }
}

pub mod strings {
    use std::collections::HashMap;

    use avro_runtime::AvroSchema;

    #[derive(AvroSchema, Debug, Clone, PartialEq)]
    #[avro(name = "Doc", namespace = "bench")]
    pub struct Strings {
        pub title: String,
        pub body: String,
        pub authors: Vec<String>,
        pub labels: HashMap<String, String>,
    }
}

/// One workload's derived type, type-erased for tables.
pub struct Workload {
    /// The workload's directory name in ../shared/bench.
    pub name: &'static str,
    pub schema: fn() -> &'static str,
    pub canonical_form: fn() -> &'static str,
    pub fingerprint: fn() -> u64,
    /// Decodes a datum into the derived type and encodes it again.
    pub round_trip: fn(&[u8]) -> Result<Vec<u8>, String>,
}

fn round_trip<T: Encode + Decode>(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let v: T = avro_runtime::from_slice(bytes).map_err(|e| e.to_string())?;
    avro_runtime::to_vec(&v).map_err(|e| e.to_string())
}

const fn workload<T: AvroSchema + Encode + Decode>(name: &'static str) -> Workload {
    Workload {
        name,
        schema: T::schema,
        canonical_form: T::canonical_form,
        fingerprint: T::fingerprint,
        round_trip: round_trip::<T>,
    }
}

/// The derived type of each workload, by directory name.
pub const WORKLOADS: &[Workload] = &[
    workload::<student::Student>("student"),
    workload::<event::Event>("event"),
    workload::<order::Order>("order"),
    workload::<numeric::Numeric>("numeric"),
    workload::<strings::Strings>("strings"),
];
