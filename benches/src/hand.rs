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
