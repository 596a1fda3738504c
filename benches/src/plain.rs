//! Independent hand-written codecs for the workload structs: baselines that
//! share nothing with the runtime (no helper, no technique), written the
//! plainest fast way by someone who never saw it.
//!
//! - Encoders push each varint byte straight into the `Vec`, the way prost's
//!   `encode_varint` does (no stack buffer, no `extend_from_slice` of it).
//! - Decoders read from a shrinking slice (`&[u8]`, split as they go): a
//!   one-byte varint fast path, `reserve` from block counts, UTF-8 validated
//!   on the input slice and copied once.
//!
//! `hand.rs` (the project's earlier reference) shares the runtime's varint
//! technique, so the report takes the best of both as the bar. Errors carry
//! no detail: these are speed references (inputs are known-good).

use std::collections::HashMap;

use crate::workloads::order::{
    Address, CountryCode, Currency, Customer, LineItem, Order, OrderCoupon, OrderStatus, Tier,
};
use crate::workloads::{event::Event, numeric::Series, strings::Doc, student::Student};

// ---- encoding

/// Varint of an unsigned value, one byte pushed at a time (prost's loop).
#[inline]
fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

#[inline]
fn zz(out: &mut Vec<u8>, v: i64) {
    varint(out, ((v << 1) ^ (v >> 63)) as u64);
}

#[inline]
fn text(out: &mut Vec<u8>, s: &[u8]) {
    varint(out, (s.len() as u64) << 1);
    out.extend_from_slice(s);
}

fn text_list(out: &mut Vec<u8>, v: &[String]) {
    if !v.is_empty() {
        varint(out, (v.len() as u64) << 1);
        for s in v {
            text(out, s.as_bytes());
        }
    }
    out.push(0);
}

fn text_map(out: &mut Vec<u8>, m: &HashMap<String, String>) {
    if !m.is_empty() {
        varint(out, (m.len() as u64) << 1);
        for (k, v) in m {
            text(out, k.as_bytes());
            text(out, v.as_bytes());
        }
    }
    out.push(0);
}

fn opt_text(out: &mut Vec<u8>, v: &Option<String>) {
    match v {
        None => out.push(0),
        Some(s) => {
            out.push(2);
            text(out, s.as_bytes());
        }
    }
}

pub fn encode_student(s: &Student, out: &mut Vec<u8>) {
    text(out, s.name.as_bytes());
    zz(out, s.class.into());
}

pub fn encode_event(e: &Event, out: &mut Vec<u8>) {
    zz(out, e.id);
    zz(out, e.ts);
    text(out, e.user_id.as_bytes());
    text(out, e.session.as_bytes());
    text(out, e.page.as_bytes());
    out.extend_from_slice(&e.score.to_le_bytes());
    zz(out, e.count.into());
    text_list(out, &e.tags);
    opt_text(out, &e.referrer);
    text_map(out, &e.attrs);
    if !e.values.is_empty() {
        varint(out, (e.values.len() as u64) << 1);
        for v in &e.values {
            zz(out, *v);
        }
    }
    out.push(0);
}

pub fn encode_series(s: &Series, out: &mut Vec<u8>) {
    zz(out, s.id);
    if !s.ts.is_empty() {
        varint(out, (s.ts.len() as u64) << 1);
        for v in &s.ts {
            zz(out, *v);
        }
    }
    out.push(0);
    if !s.values.is_empty() {
        varint(out, (s.values.len() as u64) << 1);
        for v in &s.values {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out.push(0);
}

pub fn encode_doc(d: &Doc, out: &mut Vec<u8>) {
    text(out, d.title.as_bytes());
    text(out, d.body.as_bytes());
    text_list(out, &d.authors);
    text_map(out, &d.labels);
}

fn address(out: &mut Vec<u8>, a: &Address) {
    text(out, a.street.as_bytes());
    text(out, a.city.as_bytes());
    text(out, a.postcode.as_bytes());
    out.extend_from_slice(&a.country.0);
}

pub fn encode_order(o: &Order, out: &mut Vec<u8>) {
    let mut uuid = [0u8; 36];
    text(
        out,
        o.order_id.hyphenated().encode_lower(&mut uuid).as_bytes(),
    );
    zz(out, o.created_at.0);
    zz(out, o.customer.id);
    text(out, o.customer.name.as_bytes());
    opt_text(out, &o.customer.email);
    zz(out, o.customer.tier as i64);
    if !o.items.is_empty() {
        varint(out, (o.items.len() as u64) << 1);
        for it in &o.items {
            text(out, it.sku.as_bytes());
            zz(out, it.qty.into());
            text(out, it.unit_price.as_be_bytes());
            match it.discount {
                None => out.push(0),
                Some(d) => {
                    out.push(2);
                    out.extend_from_slice(&d.to_le_bytes());
                }
            }
        }
    }
    out.push(0);
    address(out, &o.shipping);
    match &o.billing {
        None => out.push(0),
        Some(a) => {
            out.push(2);
            address(out, a);
        }
    }
    zz(out, o.status as i64);
    text_map(out, &o.tags);
    text(out, o.total.as_be_bytes());
    out.extend_from_slice(&o.currency.0);
    opt_text(out, &o.notes);
    out.push(u8::from(o.gift));
    zz(out, o.weight_grams);
    match o.delivery_date {
        None => out.push(0),
        Some(d) => {
            out.push(2);
            zz(out, d.0.into());
        }
    }
    match &o.coupon {
        OrderCoupon::Null => out.push(0),
        OrderCoupon::String(s) => {
            out.push(2);
            text(out, s.as_bytes());
        }
        OrderCoupon::Long(v) => {
            out.push(4);
            zz(out, *v);
        }
    }
}

// ---- decoding

/// An independent decode failed (no detail: a speed reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fail;

type Res<T> = Result<T, Fail>;

/// The unread rest of the input.
struct Cur<'a>(&'a [u8]);

impl<'a> Cur<'a> {
    #[inline]
    fn varint(&mut self) -> Res<u64> {
        match self.0 {
            [b, rest @ ..] if *b < 0x80 => {
                self.0 = rest;
                Ok(u64::from(*b))
            }
            _ => self.varint_slow(),
        }
    }

    #[inline]
    fn varint_slow(&mut self) -> Res<u64> {
        let mut n = 0u64;
        for (i, b) in self.0.iter().enumerate().take(10) {
            n |= u64::from(b & 0x7f) << (7 * i);
            if *b < 0x80 {
                self.0 = &self.0[i + 1..];
                return Ok(n);
            }
        }
        Err(Fail)
    }

    #[inline]
    fn long(&mut self) -> Res<i64> {
        let n = self.varint()?;
        Ok((n >> 1) as i64 ^ -((n & 1) as i64))
    }

    #[inline]
    fn int(&mut self) -> Res<i32> {
        i32::try_from(self.long()?).map_err(|_| Fail)
    }

    #[inline]
    fn raw(&mut self, n: usize) -> Res<&'a [u8]> {
        if self.0.len() < n {
            return Err(Fail);
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> Res<[u8; N]> {
        self.raw(N)?.try_into().map_err(|_| Fail)
    }

    #[inline]
    fn len(&mut self) -> Res<usize> {
        usize::try_from(self.long()?).map_err(|_| Fail)
    }

    #[inline]
    fn string(&mut self) -> Res<String> {
        let n = self.len()?;
        let s = std::str::from_utf8(self.raw(n)?).map_err(|_| Fail)?;
        Ok(String::from(s))
    }

    #[inline]
    fn bytes(&mut self) -> Res<Vec<u8>> {
        let n = self.len()?;
        Ok(self.raw(n)?.to_vec())
    }

    /// The item count of the next block (0 at the end); a negative count
    /// is followed by the block's byte size, not needed here.
    #[inline]
    fn block(&mut self) -> Res<usize> {
        let n = self.long()?;
        if n >= 0 {
            return usize::try_from(n).map_err(|_| Fail);
        }
        self.long()?;
        usize::try_from(n.unsigned_abs()).map_err(|_| Fail)
    }

    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Res<T>) -> Res<Vec<T>> {
        let mut v = Vec::new();
        loop {
            let n = self.block()?;
            if n == 0 {
                return Ok(v);
            }
            // Every item takes at least one byte: a bound on hostile counts.
            v.reserve(n.min(self.0.len()));
            for _ in 0..n {
                v.push(item(self)?);
            }
        }
    }

    fn text_map(&mut self) -> Res<HashMap<String, String>> {
        let mut m = HashMap::new();
        loop {
            let n = self.block()?;
            if n == 0 {
                return Ok(m);
            }
            m.reserve(n.min(self.0.len() / 2));
            for _ in 0..n {
                let k = self.string()?;
                let v = self.string()?;
                m.insert(k, v);
            }
        }
    }

    fn opt_string(&mut self) -> Res<Option<String>> {
        match self.varint()? {
            0 => Ok(None),
            2 => Ok(Some(self.string()?)),
            _ => Err(Fail),
        }
    }

    fn end<T>(self, v: T) -> Res<T> {
        if self.0.is_empty() {
            Ok(v)
        } else {
            Err(Fail)
        }
    }
}

pub fn decode_student(b: &[u8]) -> Res<Student> {
    let mut c = Cur(b);
    let v = Student {
        name: c.string()?,
        class: c.int()?,
    };
    c.end(v)
}

pub fn decode_event(b: &[u8]) -> Res<Event> {
    let mut c = Cur(b);
    let v = Event {
        id: c.long()?,
        ts: c.long()?,
        user_id: c.string()?,
        session: c.string()?,
        page: c.string()?,
        score: f64::from_le_bytes(c.array()?),
        count: c.int()?,
        tags: c.list(Cur::string)?,
        referrer: c.opt_string()?,
        attrs: c.text_map()?,
        values: c.list(Cur::long)?,
    };
    c.end(v)
}

pub fn decode_series(b: &[u8]) -> Res<Series> {
    let mut c = Cur(b);
    let id = c.long()?;
    let ts = c.list(Cur::long)?;
    let mut values = Vec::new();
    loop {
        let n = c.block()?;
        if n == 0 {
            break;
        }
        let raw = c.raw(n.checked_mul(8).ok_or(Fail)?)?;
        values.reserve(n);
        values.extend(
            raw.chunks_exact(8)
                .map(|d| f64::from_le_bytes(d.try_into().unwrap_or_default())),
        );
    }
    c.end(Series { id, ts, values })
}

pub fn decode_doc(b: &[u8]) -> Res<Doc> {
    let mut c = Cur(b);
    let v = Doc {
        title: c.string()?,
        body: c.string()?,
        authors: c.list(Cur::string)?,
        labels: c.text_map()?,
    };
    c.end(v)
}

fn dec_address(c: &mut Cur<'_>) -> Res<Address> {
    Ok(Address {
        street: c.string()?,
        city: c.string()?,
        postcode: c.string()?,
        country: CountryCode(c.array()?),
    })
}

fn dec_item(c: &mut Cur<'_>) -> Res<LineItem> {
    Ok(LineItem {
        sku: c.string()?,
        qty: c.int()?,
        unit_price: avro_runtime::Decimal::from_be_bytes(c.bytes()?),
        discount: match c.varint()? {
            0 => None,
            2 => Some(f32::from_le_bytes(c.array()?)),
            _ => return Err(Fail),
        },
    })
}

pub fn decode_order(b: &[u8]) -> Res<Order> {
    let mut c = Cur(b);
    let n = c.len()?;
    let order_id = std::str::from_utf8(c.raw(n)?)
        .ok()
        .and_then(|s| avro_runtime::Uuid::parse_str(s).ok())
        .ok_or(Fail)?;
    let v = Order {
        order_id,
        created_at: avro_runtime::TimestampMillis(c.long()?),
        customer: Customer {
            id: c.long()?,
            name: c.string()?,
            email: c.opt_string()?,
            tier: match c.varint()? {
                0 => Tier::Bronze,
                2 => Tier::Silver,
                4 => Tier::Gold,
                _ => return Err(Fail),
            },
        },
        items: c.list(dec_item)?,
        shipping: dec_address(&mut c)?,
        billing: match c.varint()? {
            0 => None,
            2 => Some(Box::new(dec_address(&mut c)?)),
            _ => return Err(Fail),
        },
        status: match c.varint()? {
            0 => OrderStatus::Placed,
            2 => OrderStatus::Paid,
            4 => OrderStatus::Shipped,
            6 => OrderStatus::Delivered,
            8 => OrderStatus::Cancelled,
            _ => return Err(Fail),
        },
        tags: c.text_map()?,
        total: avro_runtime::Decimal::from_be_bytes(c.bytes()?),
        currency: Currency(c.array()?),
        notes: c.opt_string()?,
        gift: match c.raw(1)? {
            [0] => false,
            [1] => true,
            _ => return Err(Fail),
        },
        weight_grams: c.long()?,
        delivery_date: match c.varint()? {
            0 => None,
            2 => Some(avro_runtime::Date(c.int()?)),
            _ => return Err(Fail),
        },
        coupon: match c.varint()? {
            0 => OrderCoupon::Null,
            2 => OrderCoupon::String(c.string()?),
            4 => OrderCoupon::Long(c.long()?),
            _ => return Err(Fail),
        },
    };
    c.end(v)
}

// ---- borrowing decoders
//
// The same careful slice decoder, borrowing instead of copying: strings as
// `&str` validated in place, bytes as `&[u8]`, arrays collected into `Vec`s
// of borrowed items and maps into `Vec`s of borrowed pairs (no hashing).
// Their own view types, converted to the generated owned types only to
// check them.

impl<'a> Cur<'a> {
    #[inline]
    fn str_ref(&mut self) -> Res<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.raw(n)?).map_err(|_| Fail)
    }

    #[inline]
    fn bytes_ref(&mut self) -> Res<&'a [u8]> {
        let n = self.len()?;
        self.raw(n)
    }

    fn pairs(&mut self) -> Res<Vec<(&'a str, &'a str)>> {
        let mut m = Vec::new();
        loop {
            let n = self.block()?;
            if n == 0 {
                return Ok(m);
            }
            m.reserve(n.min(self.0.len() / 2));
            for _ in 0..n {
                let k = self.str_ref()?;
                let v = self.str_ref()?;
                m.push((k, v));
            }
        }
    }

    fn opt_str_ref(&mut self) -> Res<Option<&'a str>> {
        match self.varint()? {
            0 => Ok(None),
            2 => Ok(Some(self.str_ref()?)),
            _ => Err(Fail),
        }
    }
}

fn owned_pairs(p: &[(&str, &str)]) -> HashMap<String, String> {
    p.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn owned_strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// `Student` borrowing its name.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentView<'a> {
    pub name: &'a str,
    pub class: i32,
}

impl StudentView<'_> {
    pub fn owned(&self) -> Student {
        Student {
            name: self.name.to_owned(),
            class: self.class,
        }
    }
}

pub fn decode_student_ref(b: &[u8]) -> Res<StudentView<'_>> {
    let mut c = Cur(b);
    let v = StudentView {
        name: c.str_ref()?,
        class: c.int()?,
    };
    c.end(v)
}

/// `Event` borrowing its strings.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView<'a> {
    pub id: i64,
    pub ts: i64,
    pub user_id: &'a str,
    pub session: &'a str,
    pub page: &'a str,
    pub score: f64,
    pub count: i32,
    pub tags: Vec<&'a str>,
    pub referrer: Option<&'a str>,
    pub attrs: Vec<(&'a str, &'a str)>,
    pub values: Vec<i64>,
}

impl EventView<'_> {
    pub fn owned(&self) -> Event {
        Event {
            id: self.id,
            ts: self.ts,
            user_id: self.user_id.to_owned(),
            session: self.session.to_owned(),
            page: self.page.to_owned(),
            score: self.score,
            count: self.count,
            tags: owned_strs(&self.tags),
            referrer: self.referrer.map(str::to_owned),
            attrs: owned_pairs(&self.attrs),
            values: self.values.clone(),
        }
    }
}

pub fn decode_event_ref(b: &[u8]) -> Res<EventView<'_>> {
    let mut c = Cur(b);
    let v = EventView {
        id: c.long()?,
        ts: c.long()?,
        user_id: c.str_ref()?,
        session: c.str_ref()?,
        page: c.str_ref()?,
        score: f64::from_le_bytes(c.array()?),
        count: c.int()?,
        tags: c.list(Cur::str_ref)?,
        referrer: c.opt_str_ref()?,
        attrs: c.pairs()?,
        values: c.list(Cur::long)?,
    };
    c.end(v)
}

/// `Doc` borrowing its strings.
#[derive(Debug, Clone, PartialEq)]
pub struct DocView<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub authors: Vec<&'a str>,
    pub labels: Vec<(&'a str, &'a str)>,
}

impl DocView<'_> {
    pub fn owned(&self) -> Doc {
        Doc {
            title: self.title.to_owned(),
            body: self.body.to_owned(),
            authors: owned_strs(&self.authors),
            labels: owned_pairs(&self.labels),
        }
    }
}

pub fn decode_doc_ref(b: &[u8]) -> Res<DocView<'_>> {
    let mut c = Cur(b);
    let v = DocView {
        title: c.str_ref()?,
        body: c.str_ref()?,
        authors: c.list(Cur::str_ref)?,
        labels: c.pairs()?,
    };
    c.end(v)
}

/// `Address` borrowing its strings.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressView<'a> {
    pub street: &'a str,
    pub city: &'a str,
    pub postcode: &'a str,
    pub country: [u8; 2],
}

impl AddressView<'_> {
    fn owned(&self) -> Address {
        Address {
            street: self.street.to_owned(),
            city: self.city.to_owned(),
            postcode: self.postcode.to_owned(),
            country: CountryCode(self.country),
        }
    }
}

/// `LineItem` borrowing its sku and price bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct LineItemView<'a> {
    pub sku: &'a str,
    pub qty: i32,
    pub unit_price: &'a [u8],
    pub discount: Option<f32>,
}

/// The order's coupon union, borrowed.
#[derive(Debug, Clone, PartialEq)]
pub enum CouponView<'a> {
    Null,
    String(&'a str),
    Long(i64),
}

/// `Order` borrowing its strings and decimal bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderView<'a> {
    pub order_id: avro_runtime::Uuid,
    pub created_at: i64,
    pub customer_id: i64,
    pub customer_name: &'a str,
    pub customer_email: Option<&'a str>,
    pub tier: Tier,
    pub items: Vec<LineItemView<'a>>,
    pub shipping: AddressView<'a>,
    pub billing: Option<AddressView<'a>>,
    pub status: OrderStatus,
    pub tags: Vec<(&'a str, &'a str)>,
    pub total: &'a [u8],
    pub currency: [u8; 3],
    pub notes: Option<&'a str>,
    pub gift: bool,
    pub weight_grams: i64,
    pub delivery_date: Option<i32>,
    pub coupon: CouponView<'a>,
}

impl OrderView<'_> {
    pub fn owned(&self) -> Order {
        Order {
            order_id: self.order_id,
            created_at: avro_runtime::TimestampMillis(self.created_at),
            customer: Customer {
                id: self.customer_id,
                name: self.customer_name.to_owned(),
                email: self.customer_email.map(str::to_owned),
                tier: self.tier,
            },
            items: self
                .items
                .iter()
                .map(|i| LineItem {
                    sku: i.sku.to_owned(),
                    qty: i.qty,
                    unit_price: avro_runtime::Decimal::from_be_bytes(i.unit_price),
                    discount: i.discount,
                })
                .collect(),
            shipping: self.shipping.owned(),
            billing: self.billing.as_ref().map(|a| Box::new(a.owned())),
            status: self.status,
            tags: owned_pairs(&self.tags),
            total: avro_runtime::Decimal::from_be_bytes(self.total),
            currency: Currency(self.currency),
            notes: self.notes.map(str::to_owned),
            gift: self.gift,
            weight_grams: self.weight_grams,
            delivery_date: self.delivery_date.map(avro_runtime::Date),
            coupon: match self.coupon {
                CouponView::Null => OrderCoupon::Null,
                CouponView::String(s) => OrderCoupon::String(s.to_owned()),
                CouponView::Long(v) => OrderCoupon::Long(v),
            },
        }
    }
}

fn dec_address_ref<'a>(c: &mut Cur<'a>) -> Res<AddressView<'a>> {
    Ok(AddressView {
        street: c.str_ref()?,
        city: c.str_ref()?,
        postcode: c.str_ref()?,
        country: c.array()?,
    })
}

fn dec_item_ref<'a>(c: &mut Cur<'a>) -> Res<LineItemView<'a>> {
    Ok(LineItemView {
        sku: c.str_ref()?,
        qty: c.int()?,
        unit_price: c.bytes_ref()?,
        discount: match c.varint()? {
            0 => None,
            2 => Some(f32::from_le_bytes(c.array()?)),
            _ => return Err(Fail),
        },
    })
}

pub fn decode_order_ref(b: &[u8]) -> Res<OrderView<'_>> {
    let mut c = Cur(b);
    let order_id = avro_runtime::Uuid::parse_str(c.str_ref()?).map_err(|_| Fail)?;
    let v = OrderView {
        order_id,
        created_at: c.long()?,
        customer_id: c.long()?,
        customer_name: c.str_ref()?,
        customer_email: c.opt_str_ref()?,
        tier: match c.varint()? {
            0 => Tier::Bronze,
            2 => Tier::Silver,
            4 => Tier::Gold,
            _ => return Err(Fail),
        },
        items: c.list(dec_item_ref)?,
        shipping: dec_address_ref(&mut c)?,
        billing: match c.varint()? {
            0 => None,
            2 => Some(dec_address_ref(&mut c)?),
            _ => return Err(Fail),
        },
        status: match c.varint()? {
            0 => OrderStatus::Placed,
            2 => OrderStatus::Paid,
            4 => OrderStatus::Shipped,
            6 => OrderStatus::Delivered,
            8 => OrderStatus::Cancelled,
            _ => return Err(Fail),
        },
        tags: c.pairs()?,
        total: c.bytes_ref()?,
        currency: c.array()?,
        notes: c.opt_str_ref()?,
        gift: match c.raw(1)? {
            [0] => false,
            [1] => true,
            _ => return Err(Fail),
        },
        weight_grams: c.long()?,
        delivery_date: match c.varint()? {
            0 => None,
            2 => Some(c.int()?),
            _ => return Err(Fail),
        },
        coupon: match c.varint()? {
            0 => CouponView::Null,
            2 => CouponView::String(c.str_ref()?),
            4 => CouponView::Long(c.long()?),
            _ => return Err(Fail),
        },
    };
    c.end(v)
}
