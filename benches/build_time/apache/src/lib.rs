//! The five bench workloads as a user of apache-avro writes them: serde
//! structs by hand, schemas parsed at run time, encode and decode through
//! apache-avro's serde path.
use std::collections::HashMap;

use serde::{de::DeserializeOwned, Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Student { pub name: String, pub class: i32 }

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64, pub ts: i64, pub user_id: String, pub session: String, pub page: String,
    pub score: f64, pub count: i32, pub tags: Vec<String>, pub referrer: Option<String>,
    pub attrs: HashMap<String, String>, pub values: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series { pub id: i64, pub ts: Vec<i64>, pub values: Vec<f64> }

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Doc { pub title: String, pub body: String, pub authors: Vec<String>, pub labels: HashMap<String, String> }

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Tier { Bronze, Silver, Gold }

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer { pub id: i64, pub name: String, pub email: Option<String>, pub tier: Tier }

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineItem {
    pub sku: String, pub qty: i32,
    #[serde(with = "serde_bytes")] pub unit_price: Vec<u8>,
    pub discount: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub street: String, pub city: String, pub postcode: String,
    #[serde(with = "serde_bytes")] pub country: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum OrderStatus { Placed, Paid, Shipped, Delivered, Cancelled }

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Coupon { String(String), Long(i64) }

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub order_id: String, pub created_at: i64, pub customer: Customer, pub items: Vec<LineItem>,
    pub shipping: Address, pub billing: Option<Address>, pub status: OrderStatus,
    pub tags: HashMap<String, String>,
    #[serde(with = "serde_bytes")] pub total: Vec<u8>,
    #[serde(with = "serde_bytes")] pub currency: Vec<u8>,
    pub notes: Option<String>, pub gift: bool, pub weight_grams: i64,
    pub delivery_date: Option<i32>, pub coupon: Option<Coupon>,
}

pub const SCHEMAS: [&str; 5] = [
    include_str!("../../../../../shared/bench/student/schema.avsc"),
    include_str!("../../../../../shared/bench/event/schema.avsc"),
    include_str!("../../../../../shared/bench/numeric/schema.avsc"),
    include_str!("../../../../../shared/bench/strings/schema.avsc"),
    include_str!("../../../../../shared/bench/order/schema.avsc"),
];

pub fn roundtrip<T: Serialize + DeserializeOwned>(schema: &str, v: &T) -> T {
    let schema = apache_avro::Schema::parse_str(schema).unwrap();
    let value = apache_avro::to_value(v).unwrap().resolve(&schema).unwrap();
    let bytes = apache_avro::to_avro_datum(&schema, value).unwrap();
    let back = apache_avro::from_avro_datum(&schema, &mut &bytes[..], None).unwrap();
    apache_avro::from_value(&back).unwrap()
}

/// Instantiates the codec for every workload type, as a user's code would.
pub fn all(s: &Student, e: &Event, n: &Series, d: &Doc, o: &Order) -> usize {
    let a = roundtrip(SCHEMAS[0], s).name.len();
    let b = roundtrip(SCHEMAS[1], e).tags.len();
    let c = roundtrip(SCHEMAS[2], n).ts.len();
    let x = roundtrip(SCHEMAS[3], d).authors.len();
    let y = roundtrip(SCHEMAS[4], o).items.len();
    a + b + c + x + y
}
