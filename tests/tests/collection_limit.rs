//! `Limits::max_collection_items` counts the items of a whole array or map,
//! over all its blocks (as Apache Avro Java's
//! `SystemLimitException.checkMaxCollectionLength`), on every path that
//! reads block counts: owned, borrowed, `decode_into`, the plan-driven
//! resolved decoder, the decoder specialized to a known writer, the
//! transcoder, skipping a writer-only field, and the generic binary → JSON
//! reader. Blocks each under the limit but together over it are refused
//! with an error naming the limit; a collection of exactly the limit reads.
//!
//! Fixtures: tests/schemas/hostile/block_limits.avsc (the reader) and
//! tests/schemas/known_writers/block_limits.avsc (a writer with `int` items
//! and a field the reader drops, declared a known writer in build.rs).

use avro_runtime::encode::{write_long, write_str};
use avro_runtime::resolve::{resolve_texts, Plan};
use avro_runtime::schema::SchemaSet;
use avro_runtime::{Decode, DecodeError, DecodeErrorKind, Limits, Reader};
use avro_tests::hostile::hostile::{BlockLimits, BlockLimitsRef};

const LIMIT: u64 = 4;

fn limits() -> Limits {
    Limits {
        max_collection_items: LIMIT,
        ..Limits::DEFAULT
    }
}

fn schema_text(rel: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

fn reader_schema() -> String {
    schema_text("schemas/hostile/block_limits.avsc")
}

fn writer_schema() -> String {
    schema_text("schemas/known_writers/block_limits.avsc")
}

/// An array of ints written in `blocks` (sizes), the second form (negative
/// count, then the block's byte size) for every other block.
fn int_array(out: &mut Vec<u8>, blocks: &[usize]) {
    let mut next = 0i64;
    for (b, &n) in blocks.iter().enumerate() {
        let mut body = Vec::new();
        for _ in 0..n {
            write_long(&mut body, next);
            next += 1;
        }
        if b % 2 == 1 {
            write_long(out, -(n as i64));
            write_long(out, body.len() as i64);
        } else {
            write_long(out, n as i64);
        }
        out.extend_from_slice(&body);
    }
    out.push(0);
}

/// A map of strings written in `blocks`, distinct keys.
fn string_map(out: &mut Vec<u8>, blocks: &[usize]) {
    let mut next = 0;
    for &n in blocks {
        write_long(out, n as i64);
        for _ in 0..n {
            write_str(out, &format!("k{next}"));
            write_str(out, "v");
            next += 1;
        }
    }
    out.push(0);
}

/// A datum in the reader's encoding.
fn reader_datum(ints: &[usize], tags: &[usize]) -> Vec<u8> {
    let mut b = Vec::new();
    int_array(&mut b, ints);
    string_map(&mut b, tags);
    b
}

/// A datum in the writer's encoding (same bytes for `ints` and `tags`; an
/// `int` array is written as a `long` one), with the dropped field.
fn writer_datum(ints: &[usize], tags: &[usize], dropped: &[usize]) -> Vec<u8> {
    let mut b = reader_datum(ints, tags);
    int_array(&mut b, dropped);
    b
}

fn expect_limit(what: &str, r: Result<impl std::fmt::Debug, DecodeError>, total: u64) {
    let e = match r {
        Ok(v) => panic!("{what}: {total} items over blocks read past the limit of {LIMIT}: {v:?}"),
        Err(e) => e,
    };
    assert!(
        matches!(
            e.kind(),
            DecodeErrorKind::LimitExceeded { value, limit: LIMIT, .. } if *value == total
        ),
        "{what}: {e}"
    );
    let text = e.to_string();
    assert!(
        text.contains("item count") && text.contains(&format!("limit of {LIMIT}")),
        "{what}: the error does not name the limit: {text}"
    );
}

/// Every path that reads the reader's encoding.
fn reader_paths(bytes: &[u8]) -> Vec<(&'static str, Result<BlockLimits, DecodeError>)> {
    let l = limits();
    let mut into = BlockLimits {
        ints: vec![7; 9],
        tags: [("old".to_owned(), "x".to_owned())].into_iter().collect(),
    };
    let into_result =
        avro_runtime::reuse::from_slice_into_with_limits(&mut into, bytes, &l).map(|()| into);
    let generic = {
        let (set, root) = SchemaSet::parse_str(&reader_schema()).unwrap();
        let mut r = Reader::with_limits(bytes, &l);
        avro_runtime::generic::datum_to_json(&set, &root, &mut r).and_then(|json| {
            // Back to binary and through the owned decoder, to compare values.
            let mut b = Vec::new();
            avro_runtime::generic::json_to_datum(&set, &root, &json, &mut b)
                .expect("the JSON read back encodes");
            avro_runtime::from_slice::<BlockLimits>(&b)
        })
    };
    vec![
        (
            "owned",
            avro_runtime::from_slice_with_limits::<BlockLimits>(bytes, &l),
        ),
        (
            "borrowed",
            avro_runtime::borrowed::from_slice_ref_with_limits::<BlockLimitsRef<'_>>(bytes, &l)
                .map(|v| v.to_owned()),
        ),
        ("decode_into", into_result),
        ("generic", generic),
    ]
}

fn whole<T>(
    bytes: &[u8],
    f: impl FnOnce(&mut Reader<'_>) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    let mut r = Reader::with_limits(bytes, &limits());
    let v = f(&mut r)?;
    r.finish()?;
    Ok(v)
}

/// Every path that reads the writer's encoding into the reader's type.
fn writer_paths(
    plan: &Plan,
    bytes: &[u8],
) -> Vec<(&'static str, Result<BlockLimits, DecodeError>)> {
    let known = BlockLimits::known_writer(plan.writer_fingerprint())
        .expect("build.rs declares this writer a known writer of BlockLimits");
    let generic = {
        let (set, root) = SchemaSet::parse_str(&writer_schema()).unwrap();
        whole(bytes, |r| {
            avro_runtime::generic::datum_to_json(&set, &root, r).map(|_| ())
        })
        // The generic reader reads the writer's value, not the reader's:
        // compared with the owned decode of the fields they share.
        .map(|()| {
            let end = bytes.len() - dropped_len(bytes);
            avro_runtime::from_slice::<BlockLimits>(&bytes[..end]).unwrap()
        })
    };
    vec![
        (
            "resolved (plan-driven)",
            whole(bytes, |r| BlockLimits::decode_resolved(r, plan.root())),
        ),
        ("resolved (known writer)", whole(bytes, known)),
        (
            "resolved (transcoded)",
            whole(bytes, |r| {
                plan.root().decode_transcoded(r, BlockLimits::decode)
            }),
        ),
        ("generic (writer schema)", generic),
    ]
}

/// The length of the trailing `dropped` array of a writer datum (read
/// backwards through the reader's fields).
fn dropped_len(bytes: &[u8]) -> usize {
    let (_, rest) = avro_runtime::from_slice_partial::<BlockLimits>(bytes).unwrap();
    rest.len()
}

#[test]
fn blocks_each_under_the_limit_but_over_it_together_are_refused_on_every_path() {
    // ints: 3 + 2 items; tags: 2 + 3; each block under the limit of 4.
    for (shape, ints, tags) in [
        ("array", &[3usize, 2][..], &[1usize][..]),
        ("array, three blocks", &[2, 1, 2], &[1]),
        ("map", &[1], &[2, 3]),
    ] {
        // The collection over the limit: its whole item count is reported.
        let total = (ints.iter().sum::<usize>()).max(tags.iter().sum::<usize>()) as u64;
        assert!(total > LIMIT && ints.iter().chain(tags).all(|&b| b as u64 <= LIMIT));
        let bytes = reader_datum(ints, tags);
        for (path, r) in reader_paths(&bytes) {
            expect_limit(&format!("{shape}, {path}"), r, total);
        }
        let plan = resolve_texts(&writer_schema(), &reader_schema()).unwrap();
        let bytes = writer_datum(ints, tags, &[1]);
        for (path, r) in writer_paths(&plan, &bytes) {
            expect_limit(&format!("{shape}, {path}"), r, total);
        }
    }
}

#[test]
fn a_writer_only_collection_over_the_limit_is_refused_while_skipped() {
    let plan = resolve_texts(&writer_schema(), &reader_schema()).unwrap();
    let bytes = writer_datum(&[1], &[1], &[2, 2, 1]);
    for (path, r) in writer_paths(&plan, &bytes) {
        expect_limit(&format!("dropped field, {path}"), r, 5);
    }
}

#[test]
fn collections_of_exactly_the_limit_read_on_every_path() {
    let n = LIMIT as usize;
    let expected = BlockLimits {
        ints: (0..LIMIT as i64).collect(),
        tags: (0..n).map(|i| (format!("k{i}"), "v".to_owned())).collect(),
    };
    let bytes = reader_datum(&[2, 1, 1], &[3, 1]);
    for (path, r) in reader_paths(&bytes) {
        assert_eq!(r.as_ref().ok(), Some(&expected), "{path}: {r:?}");
    }
    let plan = resolve_texts(&writer_schema(), &reader_schema()).unwrap();
    let bytes = writer_datum(&[2, 1, 1], &[3, 1], &[1, 3]);
    for (path, r) in writer_paths(&plan, &bytes) {
        assert_eq!(r.as_ref().ok(), Some(&expected), "{path}: {r:?}");
    }
    // Two collections of the limit each in one datum: the count is per
    // collection, not per datum.
    let bytes = writer_datum(&[n], &[n], &[n]);
    for (path, r) in writer_paths(&plan, &bytes) {
        assert!(r.is_ok(), "{path}: {r:?}");
    }
}
