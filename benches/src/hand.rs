//! Hand-written encoders and decoders for the workload structs, written the
//! way a careful person would without a generator: varints on a stack
//! buffer, a one-byte fast path, `reserve` from block counts, UTF-8
//! validated on the input slice and copied once. They are the bar our
//! generated code is measured against. Errors carry no detail: these are not a
//! product, only a speed reference (inputs are known-good).

use std::collections::HashMap;

use crate::workloads::{event::Event, numeric::Series, strings::Doc, student::Student};

#[inline]
pub fn put_long(out: &mut Vec<u8>, v: i64) {
    let mut n = ((v << 1) ^ (v >> 63)) as u64;
    if n < 0x80 {
        out.push(n as u8);
        return;
    }
    let mut buf = [0u8; 10];
    let mut i = 0;
    while n >= 0x80 {
        buf[i] = n as u8 | 0x80;
        n >>= 7;
        i += 1;
    }
    buf[i] = n as u8;
    out.extend_from_slice(&buf[..=i]);
}

#[inline]
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_long(out, s.len() as i64);
    out.extend_from_slice(s.as_bytes());
}

pub struct In<'a> {
    b: &'a [u8],
    p: usize,
}

/// A hand-written decode failed (no detail: these are speed references).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bad;

type R<T> = Result<T, Bad>;

impl<'a> In<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        In { b, p: 0 }
    }
    #[inline]
    pub fn long(&mut self) -> R<i64> {
        let first = *self.b.get(self.p).ok_or(Bad)?;
        if first < 0x80 {
            self.p += 1;
            return Ok((first >> 1) as i64 ^ -((first & 1) as i64));
        }
        let mut n = 0u64;
        let mut shift = 0;
        loop {
            let x = *self.b.get(self.p).ok_or(Bad)?;
            self.p += 1;
            n |= ((x & 0x7f) as u64) << shift;
            if x < 0x80 {
                break;
            }
            shift += 7;
            if shift > 63 {
                return Err(Bad);
            }
        }
        Ok((n >> 1) as i64 ^ -((n & 1) as i64))
    }
    #[inline]
    pub fn int(&mut self) -> R<i32> {
        i32::try_from(self.long()?).map_err(|_| Bad)
    }
    #[inline]
    pub fn double(&mut self) -> R<f64> {
        let s = self.b.get(self.p..self.p + 8).ok_or(Bad)?;
        self.p += 8;
        Ok(f64::from_le_bytes(s.try_into().unwrap()))
    }
    #[inline]
    pub fn str(&mut self) -> R<String> {
        let n = usize::try_from(self.long()?).map_err(|_| Bad)?;
        let s = self.b.get(self.p..self.p + n).ok_or(Bad)?;
        self.p += n;
        Ok(std::str::from_utf8(s).map_err(|_| Bad)?.to_owned())
    }
    #[inline]
    pub fn count(&mut self) -> R<usize> {
        let mut n = self.long()?;
        if n < 0 {
            n = -n;
            self.long()?;
        }
        usize::try_from(n).map_err(|_| Bad)
    }
    pub fn done(&self) -> bool {
        self.p == self.b.len()
    }
}

fn put_strs(out: &mut Vec<u8>, v: &[String]) {
    if !v.is_empty() {
        put_long(out, v.len() as i64);
        for s in v {
            put_str(out, s);
        }
    }
    out.push(0);
}

fn put_str_map(out: &mut Vec<u8>, m: &HashMap<String, String>) {
    if !m.is_empty() {
        put_long(out, m.len() as i64);
        for (k, v) in m {
            put_str(out, k);
            put_str(out, v);
        }
    }
    out.push(0);
}

fn strs(i: &mut In<'_>) -> R<Vec<String>> {
    let mut v = Vec::new();
    loop {
        let n = i.count()?;
        if n == 0 {
            return Ok(v);
        }
        v.reserve(n);
        for _ in 0..n {
            v.push(i.str()?);
        }
    }
}

fn str_map(i: &mut In<'_>) -> R<HashMap<String, String>> {
    let mut m = HashMap::new();
    loop {
        let n = i.count()?;
        if n == 0 {
            return Ok(m);
        }
        m.reserve(n);
        for _ in 0..n {
            let k = i.str()?;
            m.insert(k, i.str()?);
        }
    }
}

pub fn encode_student(s: &Student, out: &mut Vec<u8>) {
    put_str(out, &s.name);
    put_long(out, s.class as i64);
}

pub fn decode_student(b: &[u8]) -> R<Student> {
    let mut i = In::new(b);
    Ok(Student {
        name: i.str()?,
        class: i.int()?,
    })
}

pub fn encode_event(e: &Event, out: &mut Vec<u8>) {
    put_long(out, e.id);
    put_long(out, e.ts);
    put_str(out, &e.user_id);
    put_str(out, &e.session);
    put_str(out, &e.page);
    out.extend_from_slice(&e.score.to_le_bytes());
    put_long(out, e.count as i64);
    put_strs(out, &e.tags);
    match &e.referrer {
        None => out.push(0),
        Some(r) => {
            out.push(2);
            put_str(out, r);
        }
    }
    put_str_map(out, &e.attrs);
    if !e.values.is_empty() {
        put_long(out, e.values.len() as i64);
        for v in &e.values {
            put_long(out, *v);
        }
    }
    out.push(0);
}

fn longs(i: &mut In<'_>) -> R<Vec<i64>> {
    let mut v = Vec::new();
    loop {
        let n = i.count()?;
        if n == 0 {
            return Ok(v);
        }
        v.reserve(n);
        for _ in 0..n {
            v.push(i.long()?);
        }
    }
}

pub fn decode_event(b: &[u8]) -> R<Event> {
    let mut i = In::new(b);
    Ok(Event {
        id: i.long()?,
        ts: i.long()?,
        user_id: i.str()?,
        session: i.str()?,
        page: i.str()?,
        score: i.double()?,
        count: i.int()?,
        tags: strs(&mut i)?,
        referrer: match i.long()? {
            0 => None,
            _ => Some(i.str()?),
        },
        attrs: str_map(&mut i)?,
        values: longs(&mut i)?,
    })
}

pub fn encode_series(s: &Series, out: &mut Vec<u8>) {
    put_long(out, s.id);
    if !s.ts.is_empty() {
        put_long(out, s.ts.len() as i64);
        for v in &s.ts {
            put_long(out, *v);
        }
    }
    out.push(0);
    if !s.values.is_empty() {
        put_long(out, s.values.len() as i64);
        for v in &s.values {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out.push(0);
}

pub fn decode_series(b: &[u8]) -> R<Series> {
    let mut i = In::new(b);
    let id = i.long()?;
    let ts = longs(&mut i)?;
    let mut values = Vec::new();
    loop {
        let n = i.count()?;
        if n == 0 {
            break;
        }
        values.reserve(n);
        for _ in 0..n {
            values.push(i.double()?);
        }
    }
    Ok(Series { id, ts, values })
}

pub fn encode_doc(d: &Doc, out: &mut Vec<u8>) {
    put_str(out, &d.title);
    put_str(out, &d.body);
    put_strs(out, &d.authors);
    put_str_map(out, &d.labels);
}

pub fn decode_doc(b: &[u8]) -> R<Doc> {
    let mut i = In::new(b);
    Ok(Doc {
        title: i.str()?,
        body: i.str()?,
        authors: strs(&mut i)?,
        labels: str_map(&mut i)?,
    })
}

// ---- order: nested records, enums, decimals, uuid, timestamp, date, fixed, a 3-branch union.

use crate::workloads::order::{
    Address, CountryCode, Currency, Customer, LineItem, Order, OrderCoupon, OrderStatus, Tier,
};

fn put_opt_str(out: &mut Vec<u8>, v: &Option<String>) {
    match v {
        None => out.push(0),
        Some(s) => {
            out.push(2);
            put_str(out, s);
        }
    }
}

fn put_address(out: &mut Vec<u8>, a: &Address) {
    put_str(out, &a.street);
    put_str(out, &a.city);
    put_str(out, &a.postcode);
    out.extend_from_slice(&a.country.0);
}

pub fn encode_order(o: &Order, out: &mut Vec<u8>) {
    let mut uuid = [0u8; 36];
    put_str(out, o.order_id.hyphenated().encode_lower(&mut uuid));
    put_long(out, o.created_at.0);
    put_long(out, o.customer.id);
    put_str(out, &o.customer.name);
    put_opt_str(out, &o.customer.email);
    put_long(out, o.customer.tier as i64);
    if !o.items.is_empty() {
        put_long(out, o.items.len() as i64);
        for it in &o.items {
            put_str(out, &it.sku);
            put_long(out, it.qty as i64);
            let p = it.unit_price.as_be_bytes();
            put_long(out, p.len() as i64);
            out.extend_from_slice(p);
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
    put_address(out, &o.shipping);
    match &o.billing {
        None => out.push(0),
        Some(a) => {
            out.push(2);
            put_address(out, a);
        }
    }
    put_long(out, o.status as i64);
    put_str_map(out, &o.tags);
    let t = o.total.as_be_bytes();
    put_long(out, t.len() as i64);
    out.extend_from_slice(t);
    out.extend_from_slice(&o.currency.0);
    put_opt_str(out, &o.notes);
    out.push(o.gift as u8);
    put_long(out, o.weight_grams);
    match o.delivery_date {
        None => out.push(0),
        Some(d) => {
            out.push(2);
            put_long(out, d.0 as i64);
        }
    }
    match &o.coupon {
        OrderCoupon::Null => out.push(0),
        OrderCoupon::String(s) => {
            out.push(2);
            put_str(out, s);
        }
        OrderCoupon::Long(v) => {
            out.push(4);
            put_long(out, *v);
        }
    }
}

impl In<'_> {
    fn raw(&mut self, n: usize) -> R<&[u8]> {
        let s = self.b.get(self.p..self.p + n).ok_or(Bad)?;
        self.p += n;
        Ok(s)
    }
    fn bytes(&mut self) -> R<Vec<u8>> {
        let n = usize::try_from(self.long()?).map_err(|_| Bad)?;
        Ok(self.raw(n)?.to_vec())
    }
    fn opt_str(&mut self) -> R<Option<String>> {
        Ok(match self.long()? {
            0 => None,
            _ => Some(self.str()?),
        })
    }
    fn address(&mut self) -> R<Address> {
        Ok(Address {
            street: self.str()?,
            city: self.str()?,
            postcode: self.str()?,
            country: CountryCode(self.raw(2)?.try_into().map_err(|_| Bad)?),
        })
    }
}

pub fn decode_order(b: &[u8]) -> R<Order> {
    let mut i = In::new(b);
    let order_id = avro_runtime::Uuid::parse_str(&i.str()?).map_err(|_| Bad)?;
    let created_at = avro_runtime::TimestampMillis(i.long()?);
    let customer = Customer {
        id: i.long()?,
        name: i.str()?,
        email: i.opt_str()?,
        tier: match i.long()? {
            0 => Tier::Bronze,
            1 => Tier::Silver,
            2 => Tier::Gold,
            _ => return Err(Bad),
        },
    };
    let mut items = Vec::new();
    loop {
        let n = i.count()?;
        if n == 0 {
            break;
        }
        items.reserve(n);
        for _ in 0..n {
            items.push(LineItem {
                sku: i.str()?,
                qty: i.int()?,
                unit_price: avro_runtime::Decimal::from_be_bytes(i.bytes()?),
                discount: match i.long()? {
                    0 => None,
                    _ => Some(f32::from_le_bytes(i.raw(4)?.try_into().map_err(|_| Bad)?)),
                },
            });
        }
    }
    let shipping = i.address()?;
    let billing = match i.long()? {
        0 => None,
        _ => Some(i.address()?),
    };
    let status = match i.long()? {
        0 => OrderStatus::Placed,
        1 => OrderStatus::Paid,
        2 => OrderStatus::Shipped,
        3 => OrderStatus::Delivered,
        4 => OrderStatus::Cancelled,
        _ => return Err(Bad),
    };
    let tags = str_map(&mut i)?;
    let total = avro_runtime::Decimal::from_be_bytes(i.bytes()?);
    let currency = Currency(i.raw(3)?.try_into().map_err(|_| Bad)?);
    let notes = i.opt_str()?;
    let gift = match i.raw(1)?[0] {
        0 => false,
        1 => true,
        _ => return Err(Bad),
    };
    let weight_grams = i.long()?;
    let delivery_date = match i.long()? {
        0 => None,
        _ => Some(avro_runtime::Date(i.int()?)),
    };
    let coupon = match i.long()? {
        0 => OrderCoupon::Null,
        1 => OrderCoupon::String(i.str()?),
        2 => OrderCoupon::Long(i.long()?),
        _ => return Err(Bad),
    };
    Ok(Order {
        order_id,
        created_at,
        customer,
        items,
        shipping,
        billing: billing.map(Box::new),
        status,
        tags,
        total,
        currency,
        notes,
        gift,
        weight_grams,
        delivery_date,
        coupon,
    })
}
