//! The forms the serde-based competitors take a workload's record in.
//!
//! For most workloads that is the generated type itself (its serde derives).
//! The `order` record is the exception: our lossless `Decimal` serializes
//! its unscaled bytes and our `Uuid` its 16 bytes, while serde_avro_fast
//! wants decimals as numbers or strings it can scale and apache-avro's serde
//! path wants its own `Decimal` and uuids as strings. So each gets a mirror
//! of `Order` with those fields in its own form (everything else is the
//! generated types), converted from ours before the check and the timing.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::workloads::order::{
    Address, Currency, Customer, LineItem, Order, OrderCoupon, OrderStatus,
};

/// How a serde-based library takes the record `T`.
pub trait SerdeForm<T>:
    Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug
{
    fn from_ours(value: &T) -> Self;
}

/// Workloads whose generated type goes to the serde libraries as it is.
macro_rules! itself {
    ($($t:ty),*) => {$(
        impl SerdeForm<$t> for $t {
            fn from_ours(value: &$t) -> Self {
                value.clone()
            }
        }
    )*};
}
itself!(
    crate::workloads::student::Student,
    crate::workloads::event::Event,
    crate::workloads::numeric::Series,
    crate::workloads::strings::Doc
);

/// Both decimal fields of the order schema have scale 2.
const ORDER_SCALE: u32 = 2;

/// `Order` with its decimals as `D`, its uuid as a string and its coupon
/// union as `C`; the rest is the generated types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderAs<D, C> {
    pub order_id: String,
    pub created_at: i64,
    pub customer: Customer,
    pub items: Vec<LineItemAs<D>>,
    pub shipping: Address,
    pub billing: Option<Address>,
    pub status: OrderStatus,
    pub tags: HashMap<String, String>,
    pub total: D,
    pub currency: Currency,
    pub notes: Option<String>,
    pub gift: bool,
    pub weight_grams: i64,
    pub delivery_date: Option<i32>,
    pub coupon: C,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineItemAs<D> {
    pub sku: String,
    pub qty: i32,
    pub unit_price: D,
    pub discount: Option<f32>,
}

impl<D, C> OrderAs<D, C> {
    fn mirror(
        o: &Order,
        dec: impl Fn(&avro_runtime::Decimal) -> D,
        coupon: impl Fn(&OrderCoupon) -> C,
    ) -> Self {
        OrderAs {
            order_id: o.order_id.to_string(),
            created_at: o.created_at.0,
            customer: o.customer.clone(),
            items: o
                .items
                .iter()
                .map(|i: &LineItem| LineItemAs {
                    sku: i.sku.clone(),
                    qty: i.qty,
                    unit_price: dec(&i.unit_price),
                    discount: i.discount,
                })
                .collect(),
            shipping: o.shipping.clone(),
            billing: o.billing.as_deref().cloned(),
            status: o.status,
            tags: o.tags.clone(),
            total: dec(&o.total),
            currency: o.currency,
            notes: o.notes.clone(),
            gift: o.gift,
            weight_grams: o.weight_grams,
            delivery_date: o.delivery_date.map(|d| d.0),
            coupon: coupon(&o.coupon),
        }
    }
}

/// `Order` for serde_avro_fast: decimals as strings it scales itself.
pub type OrderFast = OrderAs<String, CouponFast>;

/// serde_avro_fast names union variants after the branch type (`Long`),
/// where our generated enums use the Avro JSON names (`long`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CouponFast {
    Null,
    String(String),
    Long(i64),
}

impl SerdeForm<Order> for OrderFast {
    fn from_ours(o: &Order) -> Self {
        OrderAs::mirror(
            o,
            |d| d.to_string_with_scale(ORDER_SCALE),
            |c| match c {
                OrderCoupon::Null => CouponFast::Null,
                OrderCoupon::String(s) => CouponFast::String(s.clone()),
                OrderCoupon::Long(v) => CouponFast::Long(*v),
            },
        )
    }
}

/// `Order` for apache-avro's serde path: its own `Decimal`.
pub type OrderApache = OrderAs<apache_avro::Decimal, OrderCoupon>;

impl SerdeForm<Order> for OrderApache {
    fn from_ours(o: &Order) -> Self {
        OrderAs::mirror(
            o,
            |d| apache_avro::Decimal::from(d.as_be_bytes()),
            OrderCoupon::clone,
        )
    }
}
