//! Rust types for Avro logical types.
//!
//! The defaults are lossless: each wraps exactly the value on the wire, so a
//! decode followed by an encode gives back the same bytes (a `chrono` type
//! would lose nanosecond timestamps outside its range, and a float decimal
//! would lose digits). With the `chrono` feature, the date and time types
//! convert to and from chrono's.

use std::fmt;

macro_rules! int_newtype {
    ($(#[$m:meta])* $name:ident($inner:ty)) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(transparent))]
        pub struct $name(pub $inner);

        impl From<$inner> for $name {
            fn from(v: $inner) -> Self {
                $name(v)
            }
        }
        impl From<$name> for $inner {
            fn from(v: $name) -> Self {
                v.0
            }
        }
    };
}

int_newtype!(
    /// `date`: days since 1970-01-01.
    Date(i32)
);
int_newtype!(
    /// `time-millis`: milliseconds after midnight.
    TimeMillis(i32)
);
int_newtype!(
    /// `time-micros`: microseconds after midnight.
    TimeMicros(i64)
);
int_newtype!(
    /// `timestamp-millis`: milliseconds since the Unix epoch, UTC.
    TimestampMillis(i64)
);
int_newtype!(
    /// `timestamp-micros`: microseconds since the Unix epoch, UTC.
    TimestampMicros(i64)
);
int_newtype!(
    /// `timestamp-nanos`: nanoseconds since the Unix epoch, UTC.
    TimestampNanos(i64)
);
int_newtype!(
    /// `local-timestamp-millis`: wall-clock milliseconds since 1970-01-01T00:00, no zone.
    LocalTimestampMillis(i64)
);
int_newtype!(
    /// `local-timestamp-micros`: wall-clock microseconds since 1970-01-01T00:00, no zone.
    LocalTimestampMicros(i64)
);
int_newtype!(
    /// `local-timestamp-nanos`: wall-clock nanoseconds since 1970-01-01T00:00, no zone.
    LocalTimestampNanos(i64)
);

/// `duration`: a fixed(12) of three little-endian unsigned 32-bit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Duration {
    /// Months.
    pub months: u32,
    /// Days.
    pub days: u32,
    /// Milliseconds.
    pub millis: u32,
}

impl Duration {
    /// The fixed(12) wire form.
    pub fn to_bytes(&self) -> [u8; 12] {
        let mut b = [0u8; 12];
        b[..4].copy_from_slice(&self.months.to_le_bytes());
        b[4..8].copy_from_slice(&self.days.to_le_bytes());
        b[8..].copy_from_slice(&self.millis.to_le_bytes());
        b
    }

    /// Reads the fixed(12) wire form.
    pub fn from_bytes(b: [u8; 12]) -> Self {
        let u = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Duration {
            months: u(0),
            days: u(4),
            millis: u(8),
        }
    }
}

/// `decimal`: the unscaled value as big-endian two's-complement bytes, exactly
/// as on the wire; the scale is the schema's. Never loses a digit, whatever the
/// precision.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Decimal {
    unscaled: Vec<u8>,
}

impl Decimal {
    /// From big-endian two's-complement bytes (as stored by Avro).
    pub fn from_be_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        Decimal {
            unscaled: bytes.into(),
        }
    }

    /// Replaces the bytes with `bytes`, reusing the allocation already
    /// there (for [`Decode::decode_into`](crate::Decode::decode_into)).
    pub fn set_be_bytes(&mut self, bytes: &[u8]) {
        self.unscaled.clear();
        self.unscaled.extend_from_slice(bytes);
    }

    /// The shortest two's-complement encoding of `v`.
    pub fn from_i128(v: i128) -> Self {
        let b = v.to_be_bytes();
        let mut start = 0;
        while start < 15 {
            let (cur, next) = (b[start], b[start + 1]);
            let redundant = (cur == 0 && next & 0x80 == 0) || (cur == 0xff && next & 0x80 != 0);
            if !redundant {
                break;
            }
            start += 1;
        }
        Decimal {
            unscaled: b[start..].to_vec(),
        }
    }

    /// The unscaled value, if it fits in an `i128`.
    pub fn to_i128(&self) -> Option<i128> {
        let b = &self.unscaled;
        if b.is_empty() {
            return Some(0);
        }
        let neg = b[0] & 0x80 != 0;
        let significant = b
            .iter()
            .position(|&x| x != if neg { 0xff } else { 0 })
            .unwrap_or(b.len());
        if b.len() - significant > 16 {
            return None;
        }
        let mut v: i128 = if neg { -1 } else { 0 };
        for &x in b {
            v = (v << 8) | x as i128;
        }
        Some(v)
    }

    /// The unscaled value's big-endian two's-complement bytes, as on the wire.
    pub fn as_be_bytes(&self) -> &[u8] {
        &self.unscaled
    }

    /// The bytes sign-extended to `size` (a fixed decimal), or `None` if the
    /// value needs more bytes.
    pub fn to_fixed<const N: usize>(&self) -> Option<[u8; N]> {
        let mut out = [0u8; N];
        self.sign_extend_into(&mut out).then_some(out)
    }

    /// As [`Decimal::to_fixed`], for a size known at run time.
    pub fn to_fixed_vec(&self, size: usize) -> Option<Vec<u8>> {
        let mut out = vec![0u8; size];
        self.sign_extend_into(&mut out).then_some(out)
    }

    /// Fills `out` with the value sign-extended (or shortened, where the
    /// dropped bytes carry only sign); false if it does not fit.
    fn sign_extend_into(&self, out: &mut [u8]) -> bool {
        let (b, n) = (&self.unscaled, out.len());
        let neg = b.first().is_some_and(|&x| x & 0x80 != 0);
        let fill = if neg { 0xff } else { 0 };
        if b.len() <= n {
            out[..n - b.len()].fill(fill);
            out[n - b.len()..].copy_from_slice(b);
            return true;
        }
        let extra = b.len() - n;
        let sign_of_rest = b.get(extra).map_or(neg, |&x| x & 0x80 != 0);
        if b[..extra].iter().any(|&x| x != fill) || sign_of_rest != neg {
            return false;
        }
        out.copy_from_slice(&b[extra..]);
        true
    }

    /// The value written with `scale` digits after the point, e.g. `-12.34`.
    /// Exact for values that fit an `i128`; larger ones are shown in hex.
    pub fn to_string_with_scale(&self, scale: u32) -> String {
        match self.to_i128() {
            Some(v) => {
                let digits = v.unsigned_abs().to_string();
                let sign = if v < 0 { "-" } else { "" };
                let scale = scale as usize;
                if scale == 0 {
                    format!("{sign}{digits}")
                } else if digits.len() > scale {
                    let (a, b) = digits.split_at(digits.len() - scale);
                    format!("{sign}{a}.{b}")
                } else {
                    format!("{sign}0.{digits:0>scale$}")
                }
            }
            None => format!("{self:?}"),
        }
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_i128() {
            Some(v) => write!(f, "Decimal({v})"),
            None => {
                write!(f, "Decimal(0x")?;
                for b in &self.unscaled {
                    write!(f, "{b:02x}")?;
                }
                write!(f, ")")
            }
        }
    }
}

#[cfg(feature = "chrono")]
mod chrono_impls {
    use super::*;
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

    const EPOCH_DAYS_FROM_CE: i32 = 719_163;

    impl TryFrom<Date> for NaiveDate {
        type Error = Date;
        fn try_from(d: Date) -> Result<Self, Date> {
            d.0.checked_add(EPOCH_DAYS_FROM_CE)
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .ok_or(d)
        }
    }
    impl From<NaiveDate> for Date {
        fn from(d: NaiveDate) -> Self {
            use chrono::Datelike;
            Date(d.num_days_from_ce() - EPOCH_DAYS_FROM_CE)
        }
    }
    impl TryFrom<TimestampMillis> for DateTime<Utc> {
        type Error = TimestampMillis;
        fn try_from(t: TimestampMillis) -> Result<Self, TimestampMillis> {
            DateTime::from_timestamp_millis(t.0).ok_or(t)
        }
    }
    impl From<DateTime<Utc>> for TimestampMillis {
        fn from(t: DateTime<Utc>) -> Self {
            TimestampMillis(t.timestamp_millis())
        }
    }
    impl TryFrom<TimestampMicros> for DateTime<Utc> {
        type Error = TimestampMicros;
        fn try_from(t: TimestampMicros) -> Result<Self, TimestampMicros> {
            DateTime::from_timestamp_micros(t.0).ok_or(t)
        }
    }
    impl From<DateTime<Utc>> for TimestampMicros {
        fn from(t: DateTime<Utc>) -> Self {
            TimestampMicros(t.timestamp_micros())
        }
    }
    impl From<TimestampNanos> for DateTime<Utc> {
        fn from(t: TimestampNanos) -> Self {
            DateTime::from_timestamp_nanos(t.0)
        }
    }
    impl TryFrom<LocalTimestampMillis> for NaiveDateTime {
        type Error = LocalTimestampMillis;
        fn try_from(t: LocalTimestampMillis) -> Result<Self, LocalTimestampMillis> {
            DateTime::from_timestamp_millis(t.0)
                .map(|d| d.naive_utc())
                .ok_or(t)
        }
    }
    impl TryFrom<LocalTimestampMicros> for NaiveDateTime {
        type Error = LocalTimestampMicros;
        fn try_from(t: LocalTimestampMicros) -> Result<Self, LocalTimestampMicros> {
            DateTime::from_timestamp_micros(t.0)
                .map(|d| d.naive_utc())
                .ok_or(t)
        }
    }
    impl From<NaiveDateTime> for LocalTimestampMillis {
        fn from(t: NaiveDateTime) -> Self {
            LocalTimestampMillis(t.and_utc().timestamp_millis())
        }
    }
    impl From<NaiveDateTime> for LocalTimestampMicros {
        fn from(t: NaiveDateTime) -> Self {
            LocalTimestampMicros(t.and_utc().timestamp_micros())
        }
    }
    impl From<NaiveTime> for TimeMillis {
        fn from(t: NaiveTime) -> Self {
            use chrono::Timelike;
            // At most 86,400,999 (a leap second): fits in an `int`.
            TimeMillis((t.num_seconds_from_midnight() * 1000 + t.nanosecond() / 1_000_000) as i32)
        }
    }
    impl From<NaiveTime> for TimeMicros {
        fn from(t: NaiveTime) -> Self {
            use chrono::Timelike;
            TimeMicros(
                i64::from(t.num_seconds_from_midnight()) * 1_000_000
                    + i64::from(t.nanosecond() / 1000),
            )
        }
    }
    impl TryFrom<TimeMicros> for NaiveTime {
        type Error = TimeMicros;
        fn try_from(t: TimeMicros) -> Result<Self, TimeMicros> {
            let us = u64::try_from(t.0).map_err(|_| t)?;
            let secs = u32::try_from(us / 1_000_000).map_err(|_| t)?;
            NaiveTime::from_num_seconds_from_midnight_opt(secs, (us % 1_000_000) as u32 * 1000)
                .ok_or(t)
        }
    }
    impl TryFrom<TimeMillis> for NaiveTime {
        type Error = TimeMillis;
        fn try_from(t: TimeMillis) -> Result<Self, TimeMillis> {
            let ms = u32::try_from(t.0).map_err(|_| t)?;
            NaiveTime::from_num_seconds_from_midnight_opt(ms / 1000, (ms % 1000) * 1_000_000)
                .ok_or(t)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_types_round_trip_through_the_logical_types() {
        use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
        let t = NaiveTime::from_hms_micro_opt(13, 5, 7, 123_456).unwrap();
        assert_eq!(TimeMicros::from(t).0, 47_107_123_456);
        assert_eq!(NaiveTime::try_from(TimeMicros::from(t)), Ok(t));
        assert_eq!(TimeMillis::from(t).0, 47_107_123);
        assert!(NaiveTime::try_from(TimeMicros(86_400_000_000 * 2)).is_err());
        assert!(NaiveTime::try_from(TimeMicros(-1)).is_err());
        let dt: NaiveDateTime = NaiveDate::from_ymd_opt(2024, 2, 29)
            .unwrap()
            .and_hms_micro_opt(23, 59, 58, 999_999)
            .unwrap();
        assert_eq!(
            NaiveDateTime::try_from(LocalTimestampMicros::from(dt)),
            Ok(dt)
        );
        let ms = LocalTimestampMillis::from(dt);
        assert_eq!(ms.0 % 1000, 999);
        let utc: DateTime<Utc> = dt.and_utc();
        assert_eq!(
            DateTime::<Utc>::try_from(TimestampMicros::from(utc)),
            Ok(utc)
        );
        let d = NaiveDate::from_ymd_opt(1969, 12, 31).unwrap();
        assert_eq!(Date::from(d).0, -1);
        assert_eq!(NaiveDate::try_from(Date(-1)), Ok(d));
    }

    #[test]
    fn decimal_i128_round_trip() {
        for v in [
            0i128,
            1,
            -1,
            127,
            128,
            -128,
            -129,
            255,
            1 << 70,
            -(1 << 90),
            i128::MAX,
            i128::MIN,
        ] {
            let d = Decimal::from_i128(v);
            assert_eq!(d.to_i128(), Some(v), "{v}");
        }
        assert_eq!(Decimal::from_i128(128).as_be_bytes(), &[0, 128]);
        assert_eq!(Decimal::from_i128(-128).as_be_bytes(), &[0x80]);
        assert_eq!(Decimal::from_i128(-1234).to_string_with_scale(2), "-12.34");
        assert_eq!(Decimal::from_i128(5).to_string_with_scale(3), "0.005");
    }

    #[test]
    fn decimal_fixed_sign_extension() {
        assert_eq!(
            Decimal::from_i128(-2).to_fixed::<4>(),
            Some([0xff, 0xff, 0xff, 0xfe])
        );
        assert_eq!(Decimal::from_i128(1 << 40).to_fixed::<4>(), None);
        assert_eq!(
            Decimal::from_be_bytes(vec![0, 0, 0x7f]).to_fixed::<1>(),
            Some([0x7f])
        );
        assert_eq!(
            Decimal::from_i128(-2).to_fixed_vec(3),
            Some(vec![0xff, 0xff, 0xfe])
        );
        assert_eq!(Decimal::from_i128(1 << 40).to_fixed_vec(4), None);
        // A zero-size fixed holds only zero.
        assert_eq!(Decimal::from_i128(0).to_fixed_vec(0), Some(vec![]));
        assert_eq!(Decimal::from_i128(1).to_fixed::<0>(), None);
    }

    #[test]
    fn duration_bytes() {
        let d = Duration {
            months: 1,
            days: 2,
            millis: 3,
        };
        assert_eq!(Duration::from_bytes(d.to_bytes()), d);
    }
}
