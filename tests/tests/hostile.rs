//! Bad input never panics and never allocates without bound: truncated
//! datums, random bytes and hostile lengths give errors with a path.

use avro_runtime::{DecodeErrorKind, Reader};
use avro_tests::{shared_dir, INTEROP};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[test]
fn every_strict_prefix_of_every_interop_datum_is_an_error() {
    let dir = shared_dir().join("interop");
    let mut checked = 0;
    for case in INTEROP {
        let datums = std::fs::read(dir.join(case.name).join("datums.bin")).unwrap();
        let offsets: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.join(case.name).join("offsets.json")).unwrap(),
        )
        .unwrap();
        for entry in offsets.as_array().unwrap() {
            let (off, len) = (
                entry["offset"].as_u64().unwrap() as usize,
                entry["length"].as_u64().unwrap() as usize,
            );
            let datum = &datums[off..off + len];
            // Avro's binary encoding is prefix-free: no strict prefix is a whole datum.
            for cut in 0..datum.len() {
                assert!(
                    (case.round_trip)(&datum[..cut]).is_err(),
                    "{}: prefix of {cut} of {} bytes decoded",
                    case.name,
                    datum.len()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
}

/// Feeds 256 random byte strings to `read`: Ok or Err are both fine, a
/// panic fails the test.
fn never_panics_on_random_bytes(what: &str, read: impl Fn(&[u8])) {
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..64), |bytes| {
            read(&bytes);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}

#[test]
fn random_bytes_never_panic() {
    for case in INTEROP {
        never_panics_on_random_bytes(case.name, |b| drop((case.round_trip)(b)));
    }
}

#[test]
fn errors_carry_the_field_path() {
    use avro_tests::hostile::hostile::Collections;
    // ints = [1], strs = one string claiming 100 bytes with none left.
    let err = avro_runtime::from_slice::<Collections>(&[0x02, 0x02, 0x00, 0x02, 0xc8, 0x01])
        .unwrap_err()
        .to_string();
    assert!(err.contains("Collections.strs[0]"), "{err}");
    assert!(err.contains("larger than the 0 byte(s) left"), "{err}");
}

fn kind(
    bytes: &[u8],
    read: impl Fn(&mut Reader<'_>) -> Result<(), avro_runtime::DecodeError>,
) -> DecodeErrorKind {
    read(&mut Reader::new(bytes)).unwrap_err().kind().clone()
}

#[test]
fn hostile_lengths_are_rejected_before_allocating() {
    // A string claiming 2^62 bytes: over the string length limit.
    let k = kind(
        &[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
        |r| r.read_string().map(drop),
    );
    assert!(matches!(k, DecodeErrorKind::LimitExceeded { .. }), "{k:?}");
    // Within the limit, but more than the input holds.
    let k = kind(&[0x80, 0x80, 0x02], |r| r.read_string().map(drop));
    assert!(matches!(k, DecodeErrorKind::LengthTooLarge { .. }), "{k:?}");
    // A negative length.
    assert!(matches!(
        kind(&[0x01], |r| r.read_bytes().map(drop)),
        DecodeErrorKind::NegativeLength(-1)
    ));
    // A block of 2^20 items of 8 bytes each with 3 bytes left.
    let k = kind(&[0x80, 0x80, 0x80, 0x01, 1, 2, 3], |r| {
        r.read_block_count(8, 0).map(drop)
    });
    assert!(
        matches!(k, DecodeErrorKind::BlockCountTooLarge { .. }),
        "{k:?}"
    );
    // Zero-size items (nulls) are capped instead of looping for ever.
    let k = kind(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x40], |r| {
        r.read_block_count(0, 0).map(drop)
    });
    assert!(matches!(k, DecodeErrorKind::LimitExceeded { .. }), "{k:?}");
    // An 11-byte varint.
    assert!(matches!(
        kind(&[0xff; 11], |r| r.read_long().map(drop)),
        DecodeErrorKind::VarintOverflow
    ));
    // An int outside 32 bits, a bad boolean, a union index out of range.
    assert!(matches!(
        kind(&[0x80, 0x80, 0x80, 0x80, 0x20], |r| r.read_int().map(drop)),
        DecodeErrorKind::IntOutOfRange(_)
    ));
    assert!(matches!(
        kind(&[0x02], |r| r.read_bool().map(drop)),
        DecodeErrorKind::InvalidBool(2)
    ));
    assert!(matches!(
        kind(&[0x04], |r| r.read_union_index(2).map(drop)),
        DecodeErrorKind::UnionIndex {
            index: 2,
            branches: 2
        }
    ));
    assert!(matches!(
        kind(&[0x03], |r| r.read_enum_index(3).map(drop)),
        DecodeErrorKind::EnumIndex { index: -2, .. }
    ));
    // Invalid UTF-8.
    assert!(matches!(
        kind(&[0x02, 0xff], |r| r.read_string().map(drop)),
        DecodeErrorKind::InvalidUtf8(_)
    ));
}

#[test]
fn corrupt_data_under_a_resolution_plan_is_an_error_not_a_panic() {
    let dir = shared_dir().join("interop");
    let mut plans = 0;
    for case in INTEROP.iter().filter(|c| c.resolved.is_some()) {
        let read = |f: &str| std::fs::read_to_string(dir.join(case.name).join(f)).unwrap();
        let Ok(plan) =
            avro_runtime::resolve::resolve_texts(&read("schema.avsc"), &read("reader.avsc"))
        else {
            continue; // a case that must not resolve
        };
        plans += 1;
        let datums = std::fs::read(dir.join(case.name).join("datums.bin")).unwrap();
        let offsets: serde_json::Value = serde_json::from_str(&read("offsets.json")).unwrap();
        for entry in offsets.as_array().unwrap() {
            let (off, len) = (
                entry["offset"].as_u64().unwrap() as usize,
                entry["length"].as_u64().unwrap() as usize,
            );
            for cut in 0..len {
                let r = &mut Reader::new(&datums[off..off + cut]);
                let mut out = Vec::new();
                let res = plan.transcode(r, &mut out);
                assert!(
                    res.is_err(),
                    "{}: a strict prefix ({cut} of {len} bytes) transcoded",
                    case.name
                );
            }
        }
        never_panics_on_random_bytes(case.name, |b| {
            drop(plan.transcode(&mut Reader::new(b), &mut Vec::new()))
        });
    }
    assert!(plans > 0);
}

/// `count` nested `LongList` nodes (the fixture's): value 0, then the
/// `next` union's branch 1, and null at the end.
fn nested_list(count: usize) -> Vec<u8> {
    let mut b = Vec::with_capacity(count * 2);
    for _ in 1..count {
        b.extend_from_slice(&[0x00, 0x02]);
    }
    b.extend_from_slice(&[0x00, 0x00]);
    b
}

#[test]
fn deeply_nested_recursive_data_is_an_error_not_a_stack_overflow() {
    use avro_runtime::decode::MAX_DEPTH;
    use avro_tests::hostile::hostile::LongList;
    type List = LongList;
    let limit = MAX_DEPTH as usize;
    // A writer schema whose values are ints: the plan promotes at every
    // level, so the generated resolved decoder (not the plain one) recurses.
    let int_writer = r#"{"type":"record","name":"LongList","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","LongList"]}]}"#;
    let plan = avro_runtime::resolve::resolve_texts(
        int_writer,
        <List as avro_runtime::AvroSchema>::schema(),
    )
    .unwrap();
    assert!(!plan.is_identity());
    // Run where the stack is the 2 MiB of a spawned thread, at the limit
    // (must decode) and far past it (must fail cleanly).
    std::thread::spawn(move || {
        let at_limit = nested_list(limit);
        let v: List = avro_runtime::from_slice(&at_limit).expect("MAX_DEPTH levels decode");
        let w: List = avro_runtime::resolve::decode_with_plan(&plan, &at_limit).expect("and resolve");
        let t: List = avro_runtime::resolve::decode_transcoded(&plan, &at_limit).expect("and transcode");
        assert_eq!(v, w);
        assert_eq!(v, t);
        // Dropping a long Box chain recurses too; unlink it iteratively.
        for mut head in [v, w, t] {
            while let Some(next) = head.next.take() {
                head = *next;
            }
        }
        let hostile = nested_list(1_000_000);
        let too_deep = |e: &avro_runtime::DecodeError| matches!(e.kind(), DecodeErrorKind::TooDeep(_));
        let e = avro_runtime::from_slice::<List>(&hostile).unwrap_err();
        assert!(too_deep(&e), "{e}");
        let e = avro_runtime::resolve::decode_with_plan::<List>(&plan, &hostile).unwrap_err();
        assert!(too_deep(&e), "{e}");
        let e = avro_runtime::resolve::decode_transcoded::<List>(&plan, &hostile).unwrap_err();
        assert!(too_deep(&e), "{e}");
        // Skipping a dropped recursive field is bounded as well.
        let dropping = r#"{"type":"record","name":"Holder","fields":[{"name":"list","type":{"type":"record","name":"L","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","L"]}]}},{"name":"n","type":"int"}]}"#;
        let reader = r#"{"type":"record","name":"Holder","fields":[{"name":"n","type":"int"}]}"#;
        let skip_plan = avro_runtime::resolve::resolve_texts(dropping, reader).unwrap();
        let mut r = Reader::new(&hostile);
        let e = skip_plan.root().skip(&mut r).unwrap_err();
        assert!(too_deep(&e), "{e}");
    })
    .join()
    .expect("no stack overflow, no panic");
}
