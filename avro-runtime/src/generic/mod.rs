//! Datums whose schema is known only at run time, walked by the schema
//! instead of by generated code: what tools need (`cargo avro tojson`,
//! `fromjson`, `random`, container inspection), not the hot path.
//!
//! * [`datum_to_json`] / [`json_to_datum`]: Avro binary ↔ the
//!   specification's JSON encoding (unions as `{"branch": value}`, bytes and
//!   fixed as one char per byte, non-finite floats as `"NaN"`, `"Infinity"`).
//! * [`random_datum`]: a random valid datum of any schema with finite values.
//!
//! Container files of such datums: [`crate::container::ContainerReader`]
//! gives blocks as bytes, and [`RawDatum`] appends encoded bytes to a
//! [`crate::container::ContainerWriter`].

mod json;
mod random;

pub use json::{datum_to_json, json_to_datum, JsonDatumError};
pub use random::{random_datum, NoFiniteValues, Rng};

/// An already encoded datum, written as it is (for
/// [`crate::container::ContainerWriter::append`]).
#[derive(Debug, Clone, Copy)]
pub struct RawDatum<'a>(pub &'a [u8]);

impl crate::Encode for RawDatum<'_> {
    fn encode(&self, out: &mut Vec<u8>) -> Result<(), crate::EncodeError> {
        out.extend_from_slice(self.0);
        Ok(())
    }
}
