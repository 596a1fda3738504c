//! Datums whose schema is known only at run time, walked by the schema
//! instead of by generated code: what tools need (`cargo avro tojson`,
//! `fromjson`, `random`, container inspection), not the hot path.
//!
//! * [`datum_to_json`] / [`json_to_datum`]: Avro binary ↔ the
//!   specification's JSON encoding (unions as `{"branch": value}`, bytes and
//!   fixed as one char per byte, non-finite floats as `"NaN"`, `"Infinity"`).
//! * [`random_datum`]: a random valid datum of any schema with finite values.
//! * [`read_container`] / [`ContainerWriter`]: container files block by
//!   block, with the datums left as bytes.

mod container;
mod json;
mod random;

pub use container::{read_container, Blocks, ContainerWriter, RawBlock, DEFAULT_BLOCK_BYTES};
pub use json::{datum_to_json, json_to_datum, JsonDatumError};
pub use random::{random_datum, NoFiniteValues, Rng};
