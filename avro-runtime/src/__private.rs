//! Support for the code `#[derive(AvroSchema)]` expands to; not a stable
//! API. Schema composition at run time (for fields whose types the macro
//! cannot see), its per-type cache, checked integer conversions, and
//! defaults of external field types.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

pub use serde_json::Value;

/// Generated Avro enums' impls (see [`crate::record`]).
pub use crate::__avro_enum as enumeration;
/// Generated fixed types' and top-level newtypes' impls (see [`crate::record`]).
pub use crate::__avro_newtype as newtype;
/// Generated records' impls (see [`crate::record`]).
pub use crate::__avro_record as record;
/// Generated unions' impls (see [`crate::record`]).
pub use crate::__avro_union as union;

pub use crate::schema::compose::{Names, Texts};
use crate::{AvroSchema, Decode, DecodeError, DecodeErrorKind, EncodeError};

/// A self-contained schema text inside a composition (the default
/// `AvroSchema::__avro_schema_in`).
pub fn embed(schema: &str, names: &mut Names) -> Value {
    let v: Value = serde_json::from_str(schema)
        .unwrap_or_else(|e| panic!("AvroSchema::schema() is not JSON ({e}): {schema}"));
    crate::schema::compose::normalize(v, None, names, &mut |i, _| {
        panic!("a self-contained schema has no hole {i}")
    })
}

/// Fills a derived type's template: hole `i` is the schema of the type
/// `holes[i]` composes.
pub fn compose(template: &str, names: &mut Names, holes: &[fn(&mut Names) -> Value]) -> Value {
    let v: Value = serde_json::from_str(template)
        .unwrap_or_else(|e| panic!("avro-derive wrote a template that is not JSON ({e})"));
    crate::schema::compose::normalize(v, None, names, &mut |i, names| holes[i](names))
}

/// The texts of a composed schema. A composition that is not a valid
/// schema (a default that does not fit a field's type, which the macro
/// could not check because it could not see that type) panics with the
/// reason: `AvroSchema::schema` has no error to return.
pub fn texts(type_name: &str, schema: Value) -> Texts {
    crate::schema::compose::texts(&schema).unwrap_or_else(|e| {
        panic!(
            "the schema #[derive(AvroSchema)] composed for {type_name} is invalid: {e}\n{schema}"
        )
    })
}

/// The texts of the schema `build` composes from a fresh [`Names`]. Two
/// Rust types that define one Avro full name differently (both composed
/// into this schema) panic here with both shapes: a schema has one
/// definition per name, and the second type's values would otherwise be
/// read as the first's.
pub fn texts_of(type_name: &str, build: fn(&mut Names) -> Value) -> Texts {
    let mut names = Names::new();
    let schema = build(&mut names);
    if let Some(c) = names.conflicts().first() {
        panic!(
            "#[derive(AvroSchema)] on {type_name}: two Rust types in its schema claim one Avro name: {c}. Give one of them another name or namespace (#[avro(name = \"...\")] / #[avro(namespace = \"...\")])"
        );
    }
    texts(type_name, schema)
}

/// The texts of a generic derived type, one per instantiation (a `static`
/// in a generic function is shared by all of them), built once.
pub fn texts_for<T: 'static>(build: fn() -> Texts) -> &'static Texts {
    static CACHE: OnceLock<RwLock<HashMap<TypeId, &'static Texts>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = TypeId::of::<T>();
    if let Some(t) = cache.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return t;
    }
    // Built outside the lock: building may need other generic types' texts.
    let built = build();
    let mut w = cache.write().unwrap_or_else(|e| e.into_inner());
    w.entry(key).or_insert_with(|| Box::leak(Box::new(built)))
}

/// An Avro `int`/`long` read into a narrower or unsigned Rust integer:
/// out of range is an error, never a truncation.
#[inline]
pub fn narrow<T: TryFrom<i64>>(v: i64, rust: &'static str) -> Result<T, DecodeError> {
    T::try_from(v).map_err(|_| narrow_failed(v, rust))
}

#[cold]
fn narrow_failed(v: i64, rust: &'static str) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Custom(format!(
        "value {v} does not fit the Rust type {rust}"
    )))
}

/// A runtime logical value read into the Rust type a derived field has
/// (chrono's `NaiveDate`, `DateTime<Utc>`, ...): out of that type's range is
/// an error naming both.
#[inline]
pub fn via<T: TryFrom<A>, A: std::fmt::Debug + Copy>(
    v: A,
    rust: &'static str,
) -> Result<T, DecodeError> {
    T::try_from(v).map_err(|_| via_failed(format!("{v:?}"), rust))
}

#[cold]
fn via_failed(v: String, rust: &'static str) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Custom(format!(
        "{v} is out of the range of the Rust type {rust}"
    )))
}

/// A Rust integer stored as Avro `long` (`u64`, `usize`, `i128` with
/// `#[avro(long)]`): out of range is an encode error.
#[inline]
pub fn to_long<T: TryInto<i64> + Copy + std::fmt::Display>(v: T) -> Result<i64, EncodeError> {
    v.try_into().map_err(|_| to_long_failed(v.to_string()))
}

#[cold]
fn to_long_failed(value: String) -> EncodeError {
    EncodeError::OutOfRange {
        value,
        schema: "long",
    }
}

/// The value of a field's JSON default for a field type the macro could not
/// see: the default is encoded with the type's schema and decoded.
pub fn default_value<T: Decode + AvroSchema>(default_json: &str) -> Result<T, DecodeError> {
    let bad = |msg: String| DecodeError::new(DecodeErrorKind::Custom(msg));
    let (set, root) = crate::schema::SchemaSet::parse_str(T::schema())
        .map_err(|e| bad(format!("schema of {}: {e}", T::AVRO_NAME)))?;
    let v: Value = serde_json::from_str(default_json)
        .map_err(|e| bad(format!("default {default_json}: {e}")))?;
    set.check_default(&root, &v, 0)
        .map_err(|e| bad(format!("default {default_json} of {}: {e}", T::AVRO_NAME)))?;
    let mut bytes = Vec::new();
    crate::resolve::encode_default(&set, &root, &v, &mut bytes);
    crate::from_slice(&bytes)
}

/// The error path of generated reads, added where an error happens:
/// `__r.read_long().avro_field("id")?` instead of
/// `.map_err(|e| e.field("id"))?` at every read (the same code once
/// inlined, a third of the text). Implemented for a read's `Result` and for
/// a `DecodeError` itself. Generated blocks import it as `_`; the `avro_`
/// prefix keeps a user's trait in scope from making a call ambiguous.
pub trait ErrorPath: Sized {
    /// Inside the record field `name`.
    fn avro_field(self, name: &'static str) -> Self;
    /// Inside the array item `index`.
    fn avro_index(self, index: usize) -> Self;
    /// Inside the map value under `key`.
    fn avro_key(self, key: &str) -> Self;
    /// Inside the union branch `name`.
    fn avro_branch(self, name: &'static str) -> Self;
}

impl ErrorPath for DecodeError {
    #[inline]
    fn avro_field(self, name: &'static str) -> Self {
        self.field(name)
    }
    #[inline]
    fn avro_index(self, index: usize) -> Self {
        self.index(index)
    }
    #[inline]
    fn avro_key(self, key: &str) -> Self {
        self.key(key)
    }
    #[inline]
    fn avro_branch(self, name: &'static str) -> Self {
        self.branch(name)
    }
}

impl<T> ErrorPath for Result<T, DecodeError> {
    #[inline(always)]
    fn avro_field(self, name: &'static str) -> Self {
        self.map_err(|e| e.field(name))
    }
    #[inline(always)]
    fn avro_index(self, index: usize) -> Self {
        self.map_err(|e| e.index(index))
    }
    #[inline(always)]
    fn avro_key(self, key: &str) -> Self {
        self.map_err(|e| e.key(key))
    }
    #[inline(always)]
    fn avro_branch(self, name: &'static str) -> Self {
        self.map_err(|e| e.branch(name))
    }
}

/// Short paths for the impls avro-codegen generates: each block of impls
/// imports this module under a private alias (`use ::avro_runtime::__private::g
/// as __g;`) and names everything through it (`__g::Some`,
/// `__g::encode::write_long`), so the generated code stays independent of
/// what the user's module calls `Option` or `Vec` while its paths stay short.
pub mod g {
    pub use crate::field::*;
    pub use crate::*;
    pub use core::clone::Clone;
    pub use core::convert::From;
    pub use core::default::Default;
    pub use core::iter::Iterator;
    pub use core::option::Option::{self, None, Some};
    pub use core::result::Result::{self, Err, Ok};
    pub use std::boxed::Box;
    pub use std::string::String;
    pub use std::sync::OnceLock;
    pub use std::vec::Vec;
}

/// The Parsing Canonical Form of a generated type's schema text (which the
/// generator wrote, so it parses), for `AvroSchema::canonical_form` of
/// types whose canonical form is not stored beside the text.
pub fn canonical_of(schema: &str) -> String {
    match crate::schema::SchemaSet::parse_str(schema) {
        Ok((set, root)) => set.canonical_form(&root),
        Err(e) => panic!("a generated schema text does not parse ({e}): {schema}"),
    }
}
