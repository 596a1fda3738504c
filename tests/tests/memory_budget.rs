//! The hostile inputs of issue 9, generated here, each asserting an error or
//! a success within a memory budget measured by this binary's counting
//! allocator (peak bytes above the start of the measurement) and a bounded
//! number of decoded items; the container shapes run in every codec.
//! The tests of this binary take one lock, so measurements do not mix.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;

use avro_runtime::container::{compress, Codec, ContainerReader, ContainerWriter};
use avro_runtime::encode::{write_bytes, write_long, write_str};
use avro_runtime::resolve::Resolver;
use avro_runtime::{DecodeErrorKind, Limits};
use avro_tests::hostile::hostile::{Collections, NullableFixed, Small, ZeroByteItems};

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters are only read by the tests.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now =
                    LIVE.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `f` and gives its result with the peak of bytes allocated above
/// what was live when it started.
fn peak_of<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let start = LIVE.load(Relaxed);
    PEAK.store(start, Relaxed);
    let r = f();
    (r, PEAK.load(Relaxed) - start)
}

fn lock() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// A datum of `NullableFixed`: `n` null items (one block), `m` null map values.
fn nullable_fixed(n: usize, m: usize) -> Vec<u8> {
    let mut b = Vec::new();
    if n > 0 {
        write_long(&mut b, n as i64);
        b.extend(std::iter::repeat_n(0u8, n)); // branch 0: null
    }
    b.push(0);
    if m > 0 {
        write_long(&mut b, m as i64);
        for k in 0..m {
            write_str(&mut b, &format!("{k:x}"));
            b.push(0);
        }
    }
    b.push(0);
    b
}

#[test]
fn a_megabyte_of_null_items_of_a_large_fixed_costs_a_small_multiple_of_the_input() {
    let _g = lock();
    let input = nullable_fixed(1 << 20, 0);
    let (v, peak) = peak_of(|| avro_runtime::from_slice::<NullableFixed>(&input));
    let v = v.unwrap();
    assert_eq!(v.items.len(), 1 << 20);
    assert!(v.items.iter().all(Option::is_none));
    assert!(
        peak <= 32 * input.len(),
        "{peak} bytes for {} of input",
        input.len()
    );
}

#[test]
fn a_map_of_null_large_fixed_values_costs_a_small_multiple_of_the_input() {
    let _g = lock();
    let input = nullable_fixed(0, 100_000);
    let (v, peak) = peak_of(|| avro_runtime::from_slice::<NullableFixed>(&input));
    assert_eq!(v.unwrap().by_key.len(), 100_000);
    assert!(
        peak <= 48 * input.len(),
        "{peak} bytes for {} of input",
        input.len()
    );
}

#[test]
fn blocks_of_zero_byte_items_are_bounded_per_datum() {
    let _g = lock();
    // 4 KB: 1,000 blocks of 2^20 nulls each (10^9 items before this limit).
    let mut input = Vec::new();
    for _ in 0..1000 {
        write_long(&mut input, 1 << 20);
    }
    input.push(0);
    input.push(0);
    let (r, peak) = peak_of(|| avro_runtime::from_slice::<ZeroByteItems>(&input));
    let e = r.unwrap_err();
    assert!(
        matches!(e.kind(), DecodeErrorKind::LimitExceeded { .. }),
        "{e}"
    );
    assert!(peak < 1 << 20, "{peak}");
    // The limit counts items, whatever the block sizes: exactly the limit
    // decodes, one more (in the other field) does not.
    let limits = Limits {
        max_zero_byte_items: 1000,
        ..Limits::DEFAULT
    };
    let datum = |nulls: i64, empties: i64| {
        let mut b = Vec::new();
        for (count, _) in [(nulls, 0), (empties, 1)] {
            if count > 0 {
                write_long(&mut b, count / 2);
                write_long(&mut b, count - count / 2);
            }
            b.push(0);
        }
        b
    };
    let v: ZeroByteItems = avro_runtime::from_slice_with_limits(&datum(600, 400), &limits).unwrap();
    assert_eq!(v.nulls.len() + v.empties.len(), 1000);
    let e = avro_runtime::from_slice_with_limits::<ZeroByteItems>(&datum(600, 401), &limits)
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("zero-byte items in one datum 1001 exceeds the limit of 1000"),
        "{e}"
    );
}

#[test]
fn a_block_count_of_i64_min_is_an_invalid_block_count() {
    let _g = lock();
    let mut b = Vec::new();
    write_long(&mut b, i64::MIN);
    let e = avro_runtime::from_slice::<Collections>(&b).unwrap_err();
    assert_eq!(
        e.kind(),
        &DecodeErrorKind::InvalidBlockCount(i64::MIN),
        "{e}"
    );
}

fn small_file(codec: Codec, count: usize, block_bytes: usize) -> Vec<u8> {
    let mut w = ContainerWriter::new(
        Vec::new(),
        <Small as avro_runtime::AvroSchema>::schema(),
        codec,
        [9; 16],
    )
    .unwrap()
    .block_bytes(block_bytes);
    for n in 0..count as i64 {
        w.append(&Small { n }).unwrap();
    }
    w.finish().unwrap()
}

/// A container file of `Small` with one hand-made block.
fn file_with_block(codec: Codec, count: i64, data: &[u8]) -> Vec<u8> {
    let mut f = small_file(codec, 0, 1);
    let body = compress(codec, data).unwrap();
    write_long(&mut f, count);
    write_bytes(&mut f, &body);
    f.extend_from_slice(&[9; 16]);
    f
}

#[test]
fn a_decompression_bomb_stops_at_the_limit_in_every_codec_and_prints_no_data() {
    let _g = lock();
    let limit = 256 << 10;
    let limits = Limits {
        max_decompressed_bytes: limit,
        ..Limits::DEFAULT
    };
    let zeros = vec![0u8; 4 << 20];
    for codec in Codec::supported() {
        let file = file_with_block(codec, 1, &zeros);
        let (r, peak) = peak_of(|| {
            ContainerReader::with_limits(&file[..], &limits)
                .unwrap()
                .values::<Small>()
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
        });
        let msg = r.unwrap_err().to_string();
        assert!(
            msg.contains(&format!(
                "decompressed size exceeds the limit of {limit} bytes"
            )),
            "{codec:?}: {msg}"
        );
        assert!(msg.len() < 200, "{codec:?}: a {} byte message", msg.len());
        assert!(peak < 4 * limit + file.len(), "{codec:?}: {peak}");
    }
}

#[test]
fn a_large_file_streams_in_about_one_block_of_memory_in_every_codec() {
    let _g = lock();
    let count = 1_200_000;
    for codec in Codec::supported() {
        let file = small_file(codec, count, 64 << 10);
        let (seen, peak) = peak_of(|| {
            let mut seen = 0i64;
            for (i, v) in ContainerReader::new(&file[..])
                .unwrap()
                .values::<Small>()
                .unwrap()
                .enumerate()
            {
                assert_eq!(v.unwrap().n, i as i64);
                seen += 1;
            }
            seen
        });
        assert_eq!(seen, count as i64);
        // The values decoded would take 9.6 MB; one block is 64 KiB (the
        // codecs' own working memory, up to ~3.6 MB for bzip2, comes on top).
        assert!(peak < 6 << 20, "{codec:?}: {peak} bytes");
    }
}

#[test]
fn a_negative_object_count_is_its_own_error_with_block_and_offset() {
    let _g = lock();
    for codec in Codec::supported() {
        let file = file_with_block(codec, -5, &[2]);
        let header_len = small_file(codec, 0, 1).len();
        let e = ContainerReader::new(&file[..])
            .unwrap()
            .values::<Small>()
            .unwrap()
            .next()
            .unwrap()
            .unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("negative object count -5"), "{codec:?}: {msg}");
        assert!(
            msg.contains(&format!("block 0 (file offset {header_len})")),
            "{codec:?}: {msg}"
        );
    }
}

/// A writer schema whose dropped field is a tree of 2^depth empty records
/// (each level a record of two fields of the level below).
fn tree_writer(depth: usize) -> String {
    let mut t = r#"{"type":"record","name":"L0","fields":[]}"#.to_owned();
    for k in 1..=depth {
        t = format!(
            r#"{{"type":"record","name":"L{k}","fields":[{{"name":"a","type":{t}}},{{"name":"b","type":"L{}"}}]}}"#,
            k - 1
        );
    }
    format!(
        r#"{{"type":"record","name":"Small","namespace":"hostile","fields":[{{"name":"tree","type":{t}}},{{"name":"n","type":"long"}}]}}"#
    )
}

#[test]
fn a_writer_only_tree_of_records_resolves_and_skips_in_linear_time() {
    let _g = lock();
    let resolver = Resolver::<Small>::new();
    // 2^40 empty records if expanded; 1 byte of data.
    let v = resolver.decode(&tree_writer(40), &[0x54]).unwrap();
    assert_eq!(v.n, 42);
}

#[test]
fn a_writer_schema_with_80000_fields_parses_and_resolves() {
    let _g = lock();
    let fields: Vec<String> = (0..80_000)
        .map(|i| format!(r#"{{"name":"f{i}","type":"int"}}"#))
        .chain([r#"{"name":"n","type":"long"}"#.to_owned()])
        .collect();
    let writer = format!(
        r#"{{"type":"record","name":"Small","namespace":"hostile","fields":[{}]}}"#,
        fields.join(",")
    );
    let mut datum = vec![0u8; 80_000];
    datum.push(0x54);
    let v = Resolver::<Small>::new().decode(&writer, &datum).unwrap();
    assert_eq!(v.n, 42);
    // And a duplicate among them is still found.
    let dup = writer.replace(r#""f79999""#, r#""f3""#);
    assert!(Resolver::<Small>::new().decode(&dup, &datum).is_err());
}

#[test]
fn distinct_writer_schemas_do_not_grow_the_plan_cache_without_bound() {
    let _g = lock();
    let resolver = Resolver::<Small>::with_capacity(64);
    for i in 0..2_000 {
        let writer = format!(
            r#"{{"type":"record","name":"Small","namespace":"hostile","fields":[{{"name":"n","type":"long"}},{{"name":"x{i}","type":"int"}}]}}"#
        );
        let v = resolver.decode(&writer, &[0x54, 0x00]).unwrap();
        assert_eq!(v.n, 42);
    }
    let (text, id, fingerprint) = resolver.cached();
    assert!(
        text <= 64 && id <= 64 && fingerprint <= 64,
        "{text} {id} {fingerprint}"
    );
}
