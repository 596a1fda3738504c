//! Every error message of the crate, spelled out, and each error's source:
//! the error types implement Display and Error by hand (no thiserror, which
//! would put syn on every user's build.rs path), and these pin what they say.

use std::error::Error as _;

use avro_runtime::container::{CodecError, ContainerError};
use avro_runtime::generic::{JsonDatumError, NoFiniteValues};
use avro_runtime::resolve::{
    Incompatibility, IncompatibilityKind, ResolveError, ResolvedDecodeError,
};
use avro_runtime::{DecodeError, DecodeErrorKind, EncodeError};

#[test]
fn decode_error_kinds() {
    use DecodeErrorKind::*;
    let cases = [
        (
            UnexpectedEof {
                needed: 3,
                remaining: 1,
            },
            "unexpected end of input: needed 3 more byte(s), 1 left",
        ),
        (
            VarintOverflow,
            "varint is longer than 10 bytes or overflows 64 bits",
        ),
        (
            IntOutOfRange(1 << 40),
            "int value 1099511627776 does not fit in 32 bits",
        ),
        (NegativeLength(-2), "negative length -2"),
        (
            LengthTooLarge {
                len: 9,
                remaining: 4,
            },
            "length 9 is larger than the 4 byte(s) left in the input",
        ),
        (
            BlockCountTooLarge {
                count: 9,
                remaining: 4,
            },
            "block count 9 is larger than the 4 byte(s) left in the input",
        ),
        (
            InvalidBlockCount(i64::MIN),
            "invalid block count -9223372036854775808: a negative count's absolute value must fit in 64 bits",
        ),
        (
            LimitExceeded {
                what: "collection items",
                value: 11,
                limit: 10,
            },
            "collection items 11 exceeds the limit of 10",
        ),
        (
            InvalidUtf8("bad byte".into()),
            "invalid UTF-8 in string: bad byte",
        ),
        (InvalidBool(2), "invalid boolean byte 0x02 (expected 0 or 1)"),
        (
            UnionIndex {
                index: 5,
                branches: 2,
            },
            "union branch index 5 out of range (the union has 2 branches)",
        ),
        (
            EnumIndex {
                index: -1,
                symbols: 3,
            },
            "enum symbol index -1 out of range (the enum has 3 symbols)",
        ),
        (
            InvalidUuid("not \"a\" uuid".into()),
            r#"invalid uuid string "not \"a\" uuid""#,
        ),
        (
            TooDeep(64),
            "data nests deeper than 64 levels of recursive types",
        ),
        (
            PlanMismatch("record"),
            "the resolution plan does not fit the reader type here (record); the plan must be made with the reader type's own schema",
        ),
        (TrailingBytes(2), "2 trailing byte(s) after the value"),
        (Framing("bad magic".into()), "bad magic"),
        (Container("bad block".into()), "bad block"),
        (Custom("mine".into()), "mine"),
    ];
    for (kind, text) in cases {
        assert_eq!(kind.to_string(), text);
        assert!(kind.source().is_none());
    }
}

#[test]
fn encode_errors() {
    let cases = [
        (
            EncodeError::DecimalOverflow { needed: 9, size: 8 },
            "decimal value needs 9 bytes but the fixed type holds 8",
        ),
        (EncodeError::Io("disk full".into()), "I/O error: disk full"),
        (
            EncodeError::OutOfRange {
                value: "300".into(),
                schema: "int",
            },
            "value 300 does not fit Avro int",
        ),
    ];
    for (e, text) in cases {
        assert_eq!(e.to_string(), text);
        assert!(e.source().is_none());
    }
}

#[test]
fn codec_errors() {
    let cases = [
        (
            CodecError::TooLarge(100),
            "decompressed size exceeds the limit of 100 bytes",
        ),
        (
            CodecError::Invalid {
                codec: "deflate",
                reason: "bad header".into(),
            },
            "deflate data is invalid: bad header",
        ),
        (
            CodecError::Checksum {
                found: 0xdead_beef,
                computed: 1,
            },
            "snappy block checksum 0xdeadbeef does not match the data's CRC-32 0x00000001",
        ),
        (
            CodecError::Unsupported("xz"),
            "codec xz is not supported by this build (enable the avro-runtime feature of that name)",
        ),
    ];
    for (e, text) in cases {
        assert_eq!(e.to_string(), text);
        assert!(e.source().is_none());
    }
}

#[test]
fn container_errors_and_their_sources() {
    let decode = DecodeError::new(DecodeErrorKind::TrailingBytes(1));
    let decode_text = decode.to_string();
    let cases = [
        (
            ContainerError::Io {
                offset: 7,
                source: std::io::Error::other("disk gone"),
            },
            "I/O error at file offset 7: disk gone".to_owned(),
            Some("disk gone".to_owned()),
        ),
        (
            ContainerError::Header {
                offset: 4,
                message: "no schema".into(),
            },
            "container header (file offset 4): no schema".to_owned(),
            None,
        ),
        (
            ContainerError::Block {
                block: 2,
                offset: 90,
                message: "bad sync marker".into(),
            },
            "block 2 (file offset 90): bad sync marker".to_owned(),
            None,
        ),
        (
            ContainerError::Codec {
                block: 2,
                offset: 90,
                source: CodecError::TooLarge(5),
            },
            "block 2 (file offset 90): decompressed size exceeds the limit of 5 bytes".to_owned(),
            Some("decompressed size exceeds the limit of 5 bytes".to_owned()),
        ),
        (
            ContainerError::Value {
                block: 2,
                offset: 90,
                object: 3,
                source: decode,
            },
            format!("block 2 (file offset 90), object 3: {decode_text}"),
            Some(decode_text),
        ),
        (
            ContainerError::Schema("no plan".into()),
            "no plan".to_owned(),
            None,
        ),
    ];
    for (e, text, source) in cases {
        assert_eq!(e.to_string(), text);
        assert_eq!(e.source().map(|s| s.to_string()), source);
    }
}

#[test]
fn resolve_errors() {
    assert_eq!(
        ResolveError::Schema("writer schema: bad".into()).to_string(),
        "writer schema: bad"
    );
    let problem = |location: &str, message: &str| Incompatibility {
        kind: IncompatibilityKind::TypeMismatch,
        location: location.into(),
        message: message.into(),
    };
    let two = vec![
        problem("/fields/0/type", "int is not string"),
        problem("", "x"),
    ];
    let text = format!(
        "the reader schema cannot read the writer's data:\n  {}\n  {}",
        two[0], two[1]
    );
    assert_eq!(ResolveError::Incompatible(two).to_string(), text);
    // With no problems the line break after the colon stays.
    assert_eq!(
        ResolveError::Incompatible(Vec::new()).to_string(),
        "the reader schema cannot read the writer's data:\n"
    );

    // Transparent: the inner error's message and source.
    let resolve = ResolveError::Schema("bad".into());
    let e = ResolvedDecodeError::from(resolve.clone());
    assert_eq!(e, ResolvedDecodeError::Resolve(resolve));
    assert_eq!(e.to_string(), "bad");
    assert!(e.source().is_none());
    let decode = DecodeError::new(DecodeErrorKind::VarintOverflow).field("id");
    let e = ResolvedDecodeError::from(decode.clone());
    assert_eq!(e.to_string(), decode.to_string());
    assert!(e.source().is_none());
}

#[test]
fn generic_errors() {
    let at_root = JsonDatumError {
        path: String::new(),
        message: "expected an object".into(),
    };
    assert_eq!(at_root.to_string(), "at the top level: expected an object");
    let inside = JsonDatumError {
        path: "/items/3/price".into(),
        message: "expected a number".into(),
    };
    assert_eq!(inside.to_string(), "at /items/3/price: expected a number");
    assert!(inside.source().is_none());

    let e = NoFiniteValues {
        canonical: r#"{"name":"R","type":"record","fields":[{"name":"r","type":"R"}]}"#.into(),
    };
    assert_eq!(
        e.to_string(),
        r#"the schema {"name":"R","type":"record","fields":[{"name":"r","type":"R"}]} has no finite values: a record contains itself with no union, array or map to end the recursion"#
    );
    assert!(e.source().is_none());
}
