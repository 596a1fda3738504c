//! `record!`: the impls of a generated record whose fields are all
//! [`Field`](crate::field::Field) types, written once here as a
//! `macro_rules!` template instead of spelled out by the generator for
//! every record (issue 17: generated sources at a few times the schema's
//! size instead of twenty).
//!
//! The generator (`avro-codegen`) writes the struct itself, with its docs
//! and derives, and then one invocation per record carrying what differs
//! between records: the Avro name, the smallest encoding, the schema texts,
//! the constant part of the encoder's reservation, and per field its index,
//! Rust name, Avro name and default. The compiler expands it to the same
//! `AvroSchema`, `Encode` and `Decode` impls (`decode`, `decode_resolved`,
//! `decode_into`) and constructor that the generator used to write out:
//! every field read and written by one generic, `#[inline]` call of
//! [`Field`](crate::field::Field) / [`FieldWrite`](crate::field::FieldWrite),
//! which do what the spelled-out code did, so the machine code is the same.
//! `cargo expand` shows the expansion.
//!
//! Input, in this order (every part but `fields` optional where marked):
//!
//! ```text
//! record! {
//!     Student "Student" min 2 [nested]             // type, Avro name, smallest encoding, depth guard?
//!     schema [123u64 r#"{...}"# same]               // fingerprint, schema JSON, canonical form
//!                                                   //   (same | lazy: built on first use),
//!                                                   //   [{ impls }] or []
//!     reserve 15 (name);                            // optional: bound = 15 + var_len of these fields
//!     fields { 0 name "name" []; 1 class "class" [1i32]; }   // index, field, Avro name, [default]
//!                                                   //   and [codec] where the Rust type does not
//!                                                   //   imply the Avro type: [null_second],
//!                                                   //   [uuid_string], [uuid_fixed], [decimal_bytes],
//!                                                   //   [decimal_fixed 16], [null_first_uuid_string], ...
//!     new (name: __g::String) { class: 1i32 }       // constructor: arguments, the others' values
//!     extra { ... }                                 // items pasted into the impl block
//! }
//! ```
//!
//! Not part of the public API: only generated code calls it, and its input
//! changes with the generator.

/// See the [module documentation](crate::record).
#[doc(hidden)]
#[macro_export]
macro_rules! __avro_record {
    (
        $name:ident $avro:literal min $min:literal [$($nested:ident)?]
        schema [$($schema:tt)*]
        $(reserve $fixed:literal ($($lf:ident $([$($lc:tt)*])?)*);)?
        fields { $($idx:literal $f:ident $fname:literal [$($d:expr)?] $([$($c:tt)*])?;)* }
        new ($($a:ident: $at:ty),*) { $($o:ident: $ov:expr),* }
        extra { $($extra:tt)* }
    ) => {
        #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
        #[allow(unused_qualifications, unreachable_code)]
        const _: () = {
            use $crate::__private::g as __g;
            #[allow(unused_imports)]
            use __g::__private::ErrorPath as _;
            $crate::__avro_record!(@schema $name $($schema)*);
            impl __g::Encode for $name {
                #[inline]
                fn encode(&self, __out: &mut __g::Vec<u8>) -> __g::Result<(), __g::EncodeError> {
                    $(__g::encode::reserve(
                        __out,
                        $fixed $(+ $crate::__avro_record!(@var_len &self.$lf, [$($($lc)*)?]))*
                    );)?
                    $($crate::__avro_record!(@write &self.$f, __out [$($($c)*)?])?;)*
                    __g::Ok(())
                }
            }
            impl __g::Decode for $name {
                const AVRO_NAME: &'static str = $avro;
                const MIN_BYTES: usize = $min;
                #[inline]
                fn decode(__r: &mut __g::Reader<'_>) -> __g::Result<Self, __g::DecodeError> {
                    $crate::__avro_record!(@guard [$($nested)?] __r {
                        __g::Ok(Self {
                            $($f: $crate::__avro_record!(@read __r [$($($c)*)?]).avro_field($fname)?,)*
                        })
                    })
                }
                #[inline]
                fn decode_resolved(
                    __r: &mut __g::Reader<'_>,
                    __p: __g::resolve::PlanNode<'_>,
                ) -> __g::Result<Self, __g::DecodeError> {
                    // Before the slots: the common writer = reader case pays nothing more.
                    if __p.is_identity() {
                        return <Self as __g::Decode>::decode(__r);
                    }
                    $crate::__avro_record!(@guard [$($nested)?] __r {
                        // A slot per reader field (named as the field), filled
                        // in the writer's order by the runtime's record loop.
                        $(let mut $f = __g::None;)*
                        let __whole = __g::resolve_support::record(
                            __r,
                            __p,
                            &[$($fname),*],
                            |__r, __t, __n| {
                                match __t {
                                    $($idx => $f = __g::Some(
                                        $crate::__avro_record!(@resolve __r __n [$($($c)*)?])?
                                    ),)*
                                    _ => {}
                                }
                                __g::Ok(())
                            },
                        )?;
                        if let __g::Some(__v) = __whole {
                            return __g::Ok(__v);
                        }
                        __g::Ok(Self {
                            $($f: $crate::__avro_record!(@init $f $fname [$($d)?]),)*
                        })
                    })
                }
                #[inline]
                fn decode_into(&mut self, __r: &mut __g::Reader<'_>) -> __g::Result<(), __g::DecodeError> {
                    $crate::__avro_record!(@guard [$($nested)?] __r {
                        $($crate::__avro_record!(@read_into &mut self.$f, __r [$($($c)*)?])
                            .avro_field($fname)?;)*
                        __g::Ok(())
                    })
                }
            }
            impl $name {
                #[doc = concat!(
                    "A `", stringify!($name), "` from its fields without schema default (in schema ",
                    "order); the others take their defaults (`None` where optional without one)."
                )]
                #[must_use]
                // dead_code: a binary crate that never calls it must not warn.
                #[allow(clippy::too_many_arguments, dead_code)]
                pub fn new($($a: $at),*) -> Self {
                    Self { $($a,)* $($o: $ov,)* }
                }
            }
            $($extra)*
        };
    };
    // The `AvroSchema` impl: none (a type without a schema of its own), the
    // canonical form the same text as the schema or built from it on first
    // use, or (`{ ... }`) impls the generator wrote itself.
    (@schema $name:ident) => {};
    (@schema $name:ident $fp:literal $json:literal same) => {
        $crate::__avro_record!(@schema_impl $name $fp $json { Self::schema() });
    };
    (@schema $name:ident $fp:literal $json:literal lazy) => {
        $crate::__avro_record!(@schema_impl $name $fp $json {
            static C: __g::OnceLock<__g::String> = __g::OnceLock::new();
            C.get_or_init(|| __g::__private::canonical_of(Self::schema()))
        });
    };
    (@schema $name:ident { $($items:tt)* }) => {
        $($items)*
    };
    (@schema_impl $name:ident $fp:literal $json:literal { $($canon:tt)* }) => {
        impl __g::AvroSchema for $name {
            #[inline]
            fn fingerprint() -> u64 {
                $fp
            }
            fn schema() -> &'static str {
                $json
            }
            fn canonical_form() -> &'static str {
                $($canon)*
            }
        }
    };
    // A recursive type's reads count their nesting on the reader.
    (@guard [] $r:ident $body:block) => {
        $body
    };
    (@guard [nested] $r:ident $body:block) => {
        $r.nested(|$r| $body)
    };
    // A reader field the writer lacks: its default, or (no default: a plan
    // never leaves such a field unfilled) the error that says so.
    (@init $f:ident $fname:literal []) => {
        __g::resolve::required($f, $fname)?
    };
    (@init $f:ident $fname:literal [$d:expr]) => {
        $f.unwrap_or_else(|| $d)
    };
    // A field's reads and writes: through `Field` / `FieldWrite`, or
    // (`[codec]`, `[codec N]`) the functions of the module `field::codec`
    // (with `N` as their size parameter), for an Avro type the field's Rust
    // type does not imply (see the module doc's list).
    (@read $r:ident []) => {
        __g::Field::read($r)
    };
    (@read $r:ident [$c:ident $($k:literal)?]) => {
        __g::field::$c::read$(::<$k>)?($r)
    };
    (@read_into $x:expr, $r:ident []) => {
        __g::Field::read_into($x, $r)
    };
    (@read_into $x:expr, $r:ident [$c:ident $($k:literal)?]) => {
        __g::field::$c::read_into$(::<$k>)?($x, $r)
    };
    (@resolve $r:ident $n:ident []) => {
        __g::resolve($r, $n)
    };
    (@resolve $r:ident $n:ident [$c:ident $($k:literal)?]) => {
        __g::field::$c::resolve$(::<$k>)?($r, $n)
    };
    (@write $x:expr, $out:ident []) => {
        __g::FieldWrite::write($x, $out)
    };
    (@write $x:expr, $out:ident [$c:ident $($k:literal)?]) => {
        __g::field::$c::write$(::<$k>)?($x, $out)
    };
    (@var_len $x:expr, []) => {
        __g::FieldWrite::var_len($x)
    };
    (@var_len $x:expr, [$c:ident $($k:literal)?]) => {
        __g::field::$c::var_len$(::<$k>)?($x)
    };
}

/// The impls of a generated newtype: an Avro `fixed` (`fixed N`: the
/// bytes) or a top-level schema that is not a named type (`field`: the
/// [`Field`](crate::field::Field) type it wraps, an array or map say). The
/// `record!` counterpart for `pub struct Name(pub T);` (see the module doc).
///
/// ```text
/// newtype! {
///     Md5 "md5" min 16                             // type, Avro name, smallest encoding
///     schema [123u64 r#"{...}"# lazy]              // as for records
///     fixed 16                                     // or: field
///     extra { ... }
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __avro_newtype {
    (
        $name:ident $avro:literal min $min:literal
        schema [$($schema:tt)*]
        $kind:ident $($size:literal)?
        extra { $($extra:tt)* }
    ) => {
        #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
        #[allow(unused_qualifications, unreachable_code)]
        const _: () = {
            use $crate::__private::g as __g;
            $crate::__avro_record!(@schema $name $($schema)*);
            impl __g::Encode for $name {
                #[inline]
                fn encode(&self, __out: &mut __g::Vec<u8>) -> __g::Result<(), __g::EncodeError> {
                    $crate::__avro_newtype!(@encode $kind self __out)
                }
            }
            impl __g::Decode for $name {
                const AVRO_NAME: &'static str = $avro;
                const MIN_BYTES: usize = $min;
                $crate::__avro_newtype!(@decode $kind $($size)?);
            }
            $($extra)*
        };
    };
    (@encode fixed $s:ident $out:ident) => {{
        __g::encode::write_fixed($out, &$s.0);
        __g::Ok(())
    }};
    (@encode field $s:ident $out:ident) => {
        __g::FieldWrite::write(&$s.0, $out)
    };
    // A fixed reads only as the same fixed: `decode_resolved` is the
    // default (identity), and so is `decode_into`.
    (@decode fixed $size:literal) => {
        #[inline]
        fn decode(__r: &mut __g::Reader<'_>) -> __g::Result<Self, __g::DecodeError> {
            __g::Ok(Self(__r.read_fixed::<$size>()?))
        }
    };
    (@decode field) => {
        #[inline]
        fn decode(__r: &mut __g::Reader<'_>) -> __g::Result<Self, __g::DecodeError> {
            __g::Ok(Self(__g::Field::read(__r)?))
        }
        #[inline]
        fn decode_resolved(
            __r: &mut __g::Reader<'_>,
            __p: __g::resolve::PlanNode<'_>,
        ) -> __g::Result<Self, __g::DecodeError> {
            __g::Ok(Self(__g::resolve(__r, __p)?))
        }
        #[inline]
        fn decode_into(&mut self, __r: &mut __g::Reader<'_>) -> __g::Result<(), __g::DecodeError> {
            __g::Field::read_into(&mut self.0, __r)
        }
    };
}

/// The impls of a generated union (an enum, one variant per branch) whose
/// branches are all `null` or [`Field`](crate::field::Field) types: the
/// `union!` counterpart of [`__avro_record!`] (see the module doc).
///
/// ```text
/// union! {
///     Union "union Union" 3 [nested]                    // type, Avro name, branches, depth guard?
///     schema [123u64 r#"[...]"# same]                   // as for records
///     branches { 0 String "string" value [0u8]; 1 Long "long" value [2u8]; }
///     last 2 Null "null" unit [4u8];                    // the last branch (read for any index past the others)
///     extra { ... }
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __avro_union {
    (
        $name:ident $avro:literal $n:literal [$($nested:ident)?]
        schema [$($schema:tt)*]
        branches { $($k:literal $v:ident $vname:literal $kind:ident [$($b:literal),*];)* }
        last $lk:literal $lv:ident $lname:literal $lkind:ident [$($lb:literal),*];
        extra { $($extra:tt)* }
    ) => {
        #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
        #[allow(unused_qualifications, unreachable_code)]
        const _: () = {
            use $crate::__private::g as __g;
            #[allow(unused_imports)]
            use __g::__private::ErrorPath as _;
            $crate::__avro_record!(@schema $name $($schema)*);
            impl __g::Encode for $name {
                #[inline]
                fn encode(&self, __out: &mut __g::Vec<u8>) -> __g::Result<(), __g::EncodeError> {
                    match self {
                        $($crate::__avro_union!(@pat $kind $v __x)
                            => $crate::__avro_union!(@enc $kind $k [$($b),*] __x __out),)*
                        $crate::__avro_union!(@pat $lkind $lv __x)
                            => $crate::__avro_union!(@enc $lkind $lk [$($lb),*] __x __out),
                    }
                    __g::Ok(())
                }
            }
            impl __g::Decode for $name {
                const AVRO_NAME: &'static str = $avro;
                const MIN_BYTES: usize = 1;
                #[inline]
                fn decode(__r: &mut __g::Reader<'_>) -> __g::Result<Self, __g::DecodeError> {
                    $crate::__avro_record!(@guard [$($nested)?] __r {
                        let __i = __r.read_union_index($n)?;
                        __branch(__r, __i, __g::None).avro_branch(__NAMES[__i])
                    })
                }
                #[inline]
                fn decode_resolved(
                    __r: &mut __g::Reader<'_>,
                    __p: __g::resolve::PlanNode<'_>,
                ) -> __g::Result<Self, __g::DecodeError> {
                    if __p.is_identity() {
                        return <Self as __g::Decode>::decode(__r);
                    }
                    $crate::__avro_record!(@guard [$($nested)?] __r {
                        let (__i, __n) = __p.union_branch(__r)?;
                        __branch(__r, __i, __g::Some(__n)).avro_branch(__NAMES[__i])
                    })
                }
                // The branch the value already holds is read into; any
                // other is read fresh by `__branch`.
                #[inline]
                fn decode_into(&mut self, __r: &mut __g::Reader<'_>) -> __g::Result<(), __g::DecodeError> {
                    $crate::__avro_record!(@guard [$($nested)?] __r {
                        let __i = __r.read_union_index($n)?;
                        (|| -> __g::Result<(), __g::DecodeError> {
                            match (__i, &mut *self) {
                                $($crate::__avro_union!(@into $kind $k $v __x __s)
                                    => $crate::__avro_union!(@read_into $kind __x __s __r __i),)*
                                $crate::__avro_union!(@into $lkind $lk $lv __x __s)
                                    => $crate::__avro_union!(@read_into $lkind __x __s __r __i),
                                (_, __s) => *__s = __branch(__r, __i, __g::None)?,
                            }
                            __g::Ok(())
                        })()
                        .avro_branch(__NAMES[__i])?;
                        __g::Ok(())
                    })
                }
            }
            const __NAMES: &[&str] = &[$($vname,)* $lname];
            // Each branch read plainly (`None`) or through its plan: the
            // decoders' one match.
            #[inline(always)]
            fn __branch(
                __r: &mut __g::Reader<'_>,
                __i: usize,
                __n: __g::Option<__g::resolve::PlanNode<'_>>,
            ) -> __g::Result<$name, __g::DecodeError> {
                __g::Ok(match __i {
                    $($k => $crate::__avro_union!(@read $kind $name $v __r __n),)*
                    _ => $crate::__avro_union!(@read $lkind $name $lv __r __n),
                })
            }
            $($extra)*
        };
    };
    (@pat unit $v:ident $x:ident) => { Self::$v };
    (@pat value $v:ident $x:ident) => { Self::$v($x) };
    (@enc unit $k:literal [$($b:literal),*] $x:ident $out:ident) => {
        $out.extend_from_slice(&[$($b),*])
    };
    (@enc value $k:literal [$($b:literal),*] $x:ident $out:ident) => {
        __g::write_branch($out, $k, $x)?
    };
    (@read unit $name:ident $v:ident $r:ident $n:ident) => { $name::$v };
    (@read value $name:ident $v:ident $r:ident $n:ident) => {
        $name::$v(__g::read_or_resolve($r, $n)?)
    };
    // A `null` branch the value already holds stays as it is.
    (@into unit $k:literal $v:ident $x:ident $s:ident) => { ($k, Self::$v) };
    (@into value $k:literal $v:ident $x:ident $s:ident) => { ($k, Self::$v($x)) };
    (@read_into unit $x:ident $s:ident $r:ident $i:ident) => { {} };
    (@read_into value $x:ident $s:ident $r:ident $i:ident) => {
        __g::Field::read_into($x, $r)?
    };
}

/// The impls of a generated Avro enum (a Rust enum of unit variants in
/// symbol order, at least one): the `enum!` counterpart of
/// [`__avro_record!`] (see the module doc).
///
/// ```text
/// enum! {
///     Suit "Suit" 4                                 // type, Avro name, symbols
///     schema [123u64 r#"{...}"# "..."]              // as for records
///     symbols { 0 Spades; 1 Hearts; 2 Diamonds; } last Clubs;
///     extra { ... }
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __avro_enum {
    (
        $name:ident $avro:literal $n:literal
        schema [$($schema:tt)*]
        symbols { $($k:literal $v:ident;)* } last $lv:ident;
        extra { $($extra:tt)* }
    ) => {
        #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
        #[allow(unused_qualifications, unreachable_code)]
        const _: () = {
            use $crate::__private::g as __g;
            $crate::__avro_record!(@schema $name $($schema)*);
            impl __g::Encode for $name {
                #[inline]
                fn encode(&self, __out: &mut __g::Vec<u8>) -> __g::Result<(), __g::EncodeError> {
                    __g::encode::write_long(__out, *self as i64);
                    __g::Ok(())
                }
            }
            impl __g::Decode for $name {
                const AVRO_NAME: &'static str = $avro;
                const MIN_BYTES: usize = 1;
                #[inline]
                fn decode(__r: &mut __g::Reader<'_>) -> __g::Result<Self, __g::DecodeError> {
                    __g::Ok(match __r.read_enum_index($n)? {
                        $($k => Self::$v,)*
                        _ => Self::$lv,
                    })
                }
                // The plan maps writer symbols to reader indexes.
                #[inline]
                fn decode_resolved(
                    __r: &mut __g::Reader<'_>,
                    __p: __g::resolve::PlanNode<'_>,
                ) -> __g::Result<Self, __g::DecodeError> {
                    if __p.is_identity() {
                        return <Self as __g::Decode>::decode(__r);
                    }
                    __g::Ok(match __p.enum_index(__r)? {
                        $($k => Self::$v,)*
                        _ => Self::$lv,
                    })
                }
            }
            $($extra)*
        };
    };
}
