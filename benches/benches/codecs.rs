//! Every workload of ../shared/bench, encoded and decoded by each codec in
//! the same process: ours (generated), apache-avro with `Value`, apache-avro's
//! serde path, serde_avro_fast, and hand-written codecs (`independent`,
//! written apart from the runtime, and the project's `hand_written`). Each
//! codec's output is checked against `datum.bin` before it is timed; a codec
//! that gets a workload wrong is not timed, and the reason is written for
//! the report.
//!
//! The codecs of a workload are timed interleaved (`avro_benches::race`:
//! ~1 ms turns, round-robin, 300 rounds, medians), not one criterion group
//! after another; criterion times only code generation.
//!
//! `AVRO_BENCH_QUICK=1` runs 30 rounds and brief codegen samples (a smoke check);
//! `AVRO_BENCH_ONLY=numeric,event` times only those workloads.
//! Run the bench twice, then `cargo run -p avro-benches --bin report`: it
//! writes BENCHMARKS.md with both runs' ratios side by side.
#![allow(deprecated)] // apache-avro 0.22 deprecates to/from_avro_datum, the functions we compare against

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::hint::black_box;
use std::time::Duration;

use avro_benches::borrowed_forms::{DocFastRef, EventFastRef, StudentFastRef};
use avro_benches::race::Race;
use avro_benches::report::{record_timings, record_workload, CodecCheck};
use avro_benches::serde_forms::{OrderApache, OrderFast, SerdeForm};
use avro_benches::workloads::{
    event::Event, numeric::Series, order::Order, strings::Doc, student::Student,
};
use avro_benches::{hand, plain};
use avro_runtime::{AvroSchema, Borrowable, Decode, Encode};
use criterion::{criterion_group, criterion_main, Criterion};
use serde::de::DeserializeOwned;

/// Counts every allocation of the bench binary, so the race can print
/// allocations per message (the target for `decode_into`: zero after
/// warm-up).
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicU64, Ordering};

    static ALLOCS: AtomicU64 = AtomicU64::new(0);

    pub struct Counting;

    // SAFETY: every call is forwarded unchanged to the system allocator;
    // the counter is a relaxed atomic that does not allocate.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) }
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            unsafe { System.alloc_zeroed(layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    /// Allocations (and reallocations) so far.
    pub fn allocations() -> u64 {
        ALLOCS.load(Ordering::Relaxed)
    }
}

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

/// The workload's record as Avro binary (`../shared/bench/<name>/datum.bin`),
/// read once and shared by every decoder of the workload (one address for
/// all: per-codec copies at different addresses moved same-code timings by
/// up to 25%).
fn datum_of(name: &str) -> &'static [u8] {
    use std::sync::{Mutex, OnceLock};
    static DATUMS: OnceLock<Mutex<BTreeMap<String, &'static [u8]>>> = OnceLock::new();
    let mut m = DATUMS.get_or_init(Default::default).lock().unwrap();
    m.entry(name.to_owned()).or_insert_with(|| {
        let path = avro_benches::shared_dir()
            .join("bench")
            .join(name)
            .join("datum.bin");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Box::leak(bytes.into_boxed_slice())
    })
}

/// A hand-written baseline: its encoder and decoder (`None`: it failed).
type Baseline<T> = (fn(&T, &mut Vec<u8>), fn(&[u8]) -> Option<T>);

/// Checks every codec on one workload and adds the ones that passed to
/// `race`. `F` and `A` are the forms serde_avro_fast and apache-avro's serde
/// path take the record in (the generated type itself, except for `order`:
/// see `serde_forms`). `baselines`: the hand-written codecs, by name.
fn run<T, F, A>(race: &mut Race<'static>, name: &str, baselines: Vec<(&'static str, Baseline<T>)>)
where
    T: Encode + Decode + AvroSchema + Borrowable + PartialEq + Debug + Clone + 'static,
    F: SerdeForm<T> + Clone + 'static,
    A: SerdeForm<T> + Clone + 'static,
{
    let datum = datum_of(name);
    let value: T = avro_runtime::from_slice(datum).expect("our decoder reads datum.bin");
    // Equal to datum.bin, or (maps: any entry order) the same value.
    let same = |bytes: &[u8]| {
        bytes == datum || avro_runtime::from_slice::<T>(bytes).ok().as_ref() == Some(&value)
    };
    // Checked per direction: a codec may encode a workload and fail to
    // decode it, or the other way round; only what passed is timed.
    let mut checks: BTreeMap<String, CodecCheck> = BTreeMap::new();
    let mut check =
        |codec: &'static str, enc: Result<Vec<u8>, String>, dec: Result<bool, String>| {
            let enc_problem = match enc {
                Ok(b) if same(&b) => None,
                Ok(_) => Some("its encoding is not datum.bin".to_owned()),
                Err(e) => Some(e),
            };
            let dec_problem = match dec {
                Ok(true) => None,
                Ok(false) => Some("it decodes datum.bin to another value".to_owned()),
                Err(e) => Some(e),
            };
            checks.insert(format!("encode/{codec}"), CodecCheck::new(enc_problem));
            checks.insert(format!("decode/{codec}"), CodecCheck::new(dec_problem));
        };

    check(
        "ours",
        avro_runtime::to_vec(&value).map_err(|e| e.to_string()),
        Ok(true),
    );

    let schema =
        apache_avro::Schema::parse_str(T::schema()).expect("apache-avro parses the schema");
    let apache_value = apache_avro::from_avro_datum(&schema, &mut &datum[..], None);
    check(
        "apache_avro_value",
        apache_value
            .as_ref()
            .map_err(|e| e.to_string())
            .and_then(|v| {
                apache_avro::to_avro_datum(&schema, v.clone()).map_err(|e| e.to_string())
            }),
        Ok(apache_value.is_ok()),
    );
    let apache_form = A::from_ours(&value);
    let serde_enc = apache_avro::to_value(&apache_form)
        .and_then(|v| v.resolve(&schema))
        .and_then(|v| apache_avro::to_avro_datum(&schema, v))
        .map_err(|e| e.to_string());
    let serde_dec = apache_avro::from_avro_datum(&schema, &mut &datum[..], None)
        .and_then(|v| apache_avro::from_value::<A>(&v))
        .map(|v| v == apache_form)
        .map_err(|e| e.to_string());
    check("apache_avro_serde", serde_enc, serde_dec);

    let fast_form = F::from_ours(&value);
    let fast_schema: Result<serde_avro_fast::Schema, _> = T::schema().parse();
    match &fast_schema {
        Ok(fs) => {
            let mut config = serde_avro_fast::ser::SerializerConfig::new(fs);
            let enc =
                serde_avro_fast::to_datum_vec(&fast_form, &mut config).map_err(|e| e.to_string());
            let dec = serde_avro_fast::from_datum_slice::<F>(datum, fs)
                .map(|v| v == fast_form)
                .map_err(|e| e.to_string());
            check("serde_avro_fast", enc, dec);
        }
        Err(e) => check(
            "serde_avro_fast",
            Err(format!("cannot parse the schema: {e}")),
            Ok(false),
        ),
    }

    for (codec, (enc, dec)) in &baselines {
        let mut b = Vec::new();
        enc(&value, &mut b);
        check(
            codec,
            Ok(b),
            dec(datum)
                .map(|v| v == value)
                .ok_or_else(|| "decode failed".into()),
        );
    }

    // Resolved decode: through a resolution plan (writer = reader schema:
    // the machinery's cost; old-writer workloads need reader schemas).
    let plan = avro_runtime::resolve::resolve_texts(T::schema(), T::schema())
        .expect("a schema resolves against itself");
    let resolved_ok = avro_runtime::resolve::decode_with_plan::<T>(&plan, datum)
        .ok()
        .as_ref()
        == Some(&value);
    checks.insert(
        "decode/ours_resolved".into(),
        CodecCheck::new((!resolved_ok).then(|| "resolved decode gave another value".into())),
    );
    // The same through `Resolver`, as a consumer calls it: a handle held
    // per writer, a registry's schema id, and the writer schema's text.
    let resolver = std::sync::Arc::new(avro_runtime::resolve::Resolver::<T>::new());
    let handle = resolver
        .writer(T::schema())
        .expect("a schema resolves against itself");
    for (codec, got) in [
        ("ours_resolved_handle", handle.decode(datum).ok()),
        (
            "ours_resolved_id",
            resolver.decode_with_id(1, T::schema, datum).ok(),
        ),
        (
            "ours_resolved_text",
            resolver.decode(T::schema(), datum).ok(),
        ),
    ] {
        checks.insert(
            format!("decode/{codec}"),
            CodecCheck::new((got.as_ref() != Some(&value)).then(|| "gave another value".into())),
        );
    }
    // Borrowed decode (to_owned() equals the owned decode) and decoding
    // into a reused value (starting from another value of the workload's
    // type, so stale data would show).
    let borrowed_ok = avro_runtime::from_slice_ref::<T::Ref<'static>>(datum)
        .ok()
        .map(|v| T::from_ref(&v))
        .as_ref()
        == Some(&value);
    checks.insert(
        "decode/ours_borrowed".into(),
        CodecCheck::new((!borrowed_ok).then(|| "borrowed decode gave another value".into())),
    );
    let mut reused = value.clone();
    let into_ok = avro_runtime::from_slice_into(&mut reused, datum).is_ok()
        && avro_runtime::from_slice_into(&mut reused, datum).is_ok()
        && reused == value;
    checks.insert(
        "decode/ours_decode_into".into(),
        CodecCheck::new((!into_ok).then(|| "decode_into gave another value".into())),
    );
    record_workload(name, datum.len(), &checks);
    let ok = |k: &str| checks.get(k).is_some_and(|c| c.ok);

    // Only what passed its check is timed; every closure owns its inputs.
    let mut buf = Vec::with_capacity(datum.len() * 2);
    let v = value.clone();
    race.add("encode", "ours", move || {
        buf.clear();
        black_box(&v).encode(&mut buf).unwrap();
        buf.len()
    });
    if ok("encode/apache_avro_value") {
        let (v, schema) = (apache_value.as_ref().unwrap().clone(), schema.clone());
        race.add("encode", "apache_avro_value", move || {
            apache_avro::to_avro_datum(&schema, black_box(&v).clone()).unwrap()
        });
    }
    if ok("encode/apache_avro_serde") {
        let (form, schema) = (apache_form.clone(), schema.clone());
        race.add("encode", "apache_avro_serde", move || {
            let v = apache_avro::to_value(black_box(&form)).unwrap();
            apache_avro::to_avro_datum(&schema, v).unwrap()
        });
    }
    if ok("encode/serde_avro_fast") {
        // Leaked so that the serializer config (which borrows the schema)
        // is made once, outside the timed closure, as a user would.
        let fs: &'static serde_avro_fast::Schema =
            Box::leak(Box::new(T::schema().parse().unwrap()));
        let form = fast_form.clone();
        let mut out = Vec::with_capacity(datum.len() * 2);
        let mut config = serde_avro_fast::ser::SerializerConfig::new(fs);
        race.add("encode", "serde_avro_fast", move || {
            out.clear();
            out =
                serde_avro_fast::to_datum(black_box(&form), std::mem::take(&mut out), &mut config)
                    .unwrap();
            out.len()
        });
    }
    for (codec, (enc, _)) in &baselines {
        if ok(&format!("encode/{codec}")) {
            let (enc, v) = (*enc, value.clone());
            let mut out = Vec::with_capacity(datum.len() * 2);
            race.add("encode", codec, move || {
                out.clear();
                enc(black_box(&v), &mut out);
                out.len()
            });
        }
    }

    let d = datum;
    race.add("decode", "ours", move || {
        avro_runtime::from_slice::<T>(black_box(d)).unwrap()
    });
    if ok("decode/ours_borrowed") {
        let d = datum;
        race.add("decode", "ours_borrowed", move || {
            avro_runtime::from_slice_ref::<T::Ref<'static>>(black_box(d)).unwrap()
        });
    }
    if ok("decode/ours_decode_into") {
        let d = datum;
        let mut v = value.clone();
        race.add("decode", "ours_decode_into", move || {
            avro_runtime::from_slice_into(&mut v, black_box(d)).unwrap();
            black_box(&v);
        });
    }
    if ok("decode/ours_resolved") {
        let d = datum;
        race.add("decode", "ours_resolved", move || {
            avro_runtime::resolve::decode_with_plan::<T>(&plan, black_box(d)).unwrap()
        });
    }
    if ok("decode/ours_resolved_handle") {
        let d = datum;
        race.add("decode", "ours_resolved_handle", move || {
            handle.decode(black_box(d)).unwrap()
        });
    }
    if ok("decode/ours_resolved_id") {
        let (d, resolver) = (datum, resolver.clone());
        race.add("decode", "ours_resolved_id", move || {
            resolver
                .decode_with_id(black_box(1), T::schema, black_box(d))
                .unwrap()
        });
    }
    if ok("decode/ours_resolved_text") {
        let d = datum;
        race.add("decode", "ours_resolved_text", move || {
            resolver
                .decode(black_box(T::schema()), black_box(d))
                .unwrap()
        });
    }
    if ok("decode/apache_avro_value") {
        let (d, schema) = (datum, schema.clone());
        race.add("decode", "apache_avro_value", move || {
            apache_avro::from_avro_datum(&schema, &mut black_box(d), None).unwrap()
        });
    }
    if ok("decode/apache_avro_serde") {
        let (d, schema) = (datum, schema.clone());
        race.add("decode", "apache_avro_serde", move || {
            let v = apache_avro::from_avro_datum(&schema, &mut black_box(d), None).unwrap();
            apache_avro::from_value::<A>(&v).unwrap()
        });
    }
    if ok("decode/serde_avro_fast") {
        let d = datum;
        let fs: serde_avro_fast::Schema = T::schema().parse().unwrap();
        race.add("decode", "serde_avro_fast", move || {
            serde_avro_fast::from_datum_slice::<F>(black_box(d), &fs).unwrap()
        });
    }
    for (codec, (_, dec)) in baselines {
        if ok(&format!("decode/{codec}")) {
            let d = datum;
            race.add("decode", codec, move || dec(black_box(d)).unwrap());
        }
    }
}

/// The workload as a derived type (`D`, benches/src/derived.rs): its
/// encoding checked against `datum.bin` and its decode re-encoded and read
/// back by the generated type `T`, then both timed beside the generated
/// code as `ours_derived` (they share one emitter: the same code).
fn derived<T, D>(race: &mut Race<'static>, name: &str)
where
    T: Decode + PartialEq + 'static,
    D: Decode + Encode + Clone + 'static,
{
    let datum = datum_of(name);
    let value: T = avro_runtime::from_slice(datum).expect("our decoder reads datum.bin");
    let same = |bytes: &[u8]| {
        bytes == datum || avro_runtime::from_slice::<T>(bytes).ok().as_ref() == Some(&value)
    };
    // Decoded, re-encoded: datum.bin again (or, maps in another order,
    // what the generated type reads as the same value). One check for
    // both directions: the encoder is timed on this decoded value.
    let decoded = avro_runtime::from_slice::<D>(datum).map_err(|e| e.to_string());
    let problem = match &decoded {
        Ok(d) => match avro_runtime::to_vec(d) {
            Ok(b) if same(&b) => None,
            Ok(_) => Some("its decode of datum.bin encodes to another value".to_owned()),
            Err(e) => Some(e.to_string()),
        },
        Err(e) => Some(e.clone()),
    };
    let mut checks = BTreeMap::new();
    for k in ["encode/ours_derived", "decode/ours_derived"] {
        checks.insert(k.to_owned(), CodecCheck::new(problem.clone()));
    }
    record_workload(name, datum.len(), &checks);
    if let (None, Ok(v)) = (&problem, &decoded) {
        let v = v.clone();
        let mut buf = Vec::with_capacity(datum.len() * 2);
        race.add("encode", "ours_derived", move || {
            buf.clear();
            black_box(&v).encode(&mut buf).unwrap();
            buf.len()
        });
    }
    if problem.is_none() {
        race.add("decode", "ours_derived", move || {
            avro_runtime::from_slice::<D>(black_box(datum)).unwrap()
        });
    }
}

/// A borrowing decoder that is not ours (the independent hand-written one,
/// Our codecs for the workload generated another way (`F`): with its maps
/// as `foldhash::HashMap` (`label` "foldhash", `map_type("::foldhash::HashMap")`),
/// or without the boxes around large records inside options ("unboxed",
/// benches/build.rs). Checked equal to the default decode (re-encoded and
/// read back), then timed beside it as `ours_<label>` (decode and encode)
/// and `ours_decode_into_<label>`.
fn alternative<T, F>(race: &mut Race<'static>, name: &str, label: &str)
where
    T: Decode + PartialEq + 'static,
    F: Decode + Encode + Clone + 'static,
{
    let datum = datum_of(name);
    let value: T = avro_runtime::from_slice(datum).expect("our decoder reads datum.bin");
    let decoded = avro_runtime::from_slice::<F>(datum);
    let problem = match &decoded {
        Ok(f) => {
            let again = avro_runtime::to_vec(f).expect("it encodes");
            // Not compared with datum.bin byte for byte: maps re-encode in
            // their own iteration order.
            (avro_runtime::from_slice::<T>(&again).ok().as_ref() != Some(&value))
                .then(|| "it decodes datum.bin to another value".to_owned())
        }
        Err(e) => Some(e.to_string()),
    };
    let (decode, into, encode) = (
        format!("ours_{label}"),
        format!("ours_decode_into_{label}"),
        format!("ours_{label}"),
    );
    let mut checks = BTreeMap::new();
    for key in [
        format!("decode/{decode}"),
        format!("decode/{into}"),
        format!("encode/{encode}"),
    ] {
        checks.insert(key, CodecCheck::new(problem.clone()));
    }
    record_workload(name, datum.len(), &checks);
    let (Ok(value), None) = (decoded, problem) else {
        return;
    };
    race.add("decode", &decode, move || {
        avro_runtime::from_slice::<F>(black_box(datum)).unwrap()
    });
    let mut v = value.clone();
    race.add("decode", &into, move || {
        avro_runtime::from_slice_into(&mut v, black_box(datum)).unwrap();
        black_box(&v);
    });
    let mut buf = Vec::with_capacity(datum.len());
    race.add("encode", &encode, move || {
        buf.clear();
        black_box(&value).encode(&mut buf).unwrap();
        buf.len()
    });
}

/// A borrowing decoder that is not ours (the independent hand-written one,
/// serde_avro_fast's borrowed path): checked (its view converted to the
/// owned type equals our decode), then timed beside ours.
fn borrowing<T, V>(
    race: &mut Race<'static>,
    name: &str,
    codec: &'static str,
    decode: impl Fn(&'static [u8]) -> Option<V> + 'static,
    owned: fn(&V) -> T,
) where
    T: Decode + PartialEq + 'static,
    V: 'static,
{
    let datum = datum_of(name);
    let value: T = avro_runtime::from_slice(datum).expect("our decoder reads datum.bin");
    let problem = match decode(datum) {
        Some(v) if owned(&v) == value => None,
        Some(_) => Some("it decodes datum.bin to another value".to_owned()),
        None => Some("decode failed".to_owned()),
    };
    let ok = problem.is_none();
    let mut checks = BTreeMap::new();
    checks.insert(format!("decode/{codec}"), CodecCheck::new(problem));
    record_workload(name, datum.len(), &checks);
    if ok {
        race.add("decode", codec, move || decode(black_box(datum)).unwrap());
    }
}

/// serde_avro_fast's borrowed path: `datum.bin` deserialized into the
/// borrowed serde form `V` (its schema parsed once, before timing).
fn fast_ref<T: AvroSchema, V: serde::Deserialize<'static>>(
) -> impl Fn(&'static [u8]) -> Option<V> + 'static {
    let fs: &'static serde_avro_fast::Schema = Box::leak(Box::new(
        T::schema()
            .parse()
            .expect("serde_avro_fast parses the schema"),
    ));
    move |b| serde_avro_fast::from_datum_slice::<V>(b, fs).ok()
}

/// Resolved decoding with an old writer and a newer reader (`R`, generated
/// from benches/schemas/evolved), timed beside the same-schema decode of the
/// same workload: ours through the generated resolved decoder, ours through
/// the transcoding path it replaced, and apache-avro's resolving reader
/// (to `Value` and, where its serde path takes the type, on to `R`). Ours is
/// checked against the transcoding reference and against apache-avro.
fn evolved<W: AvroSchema, R>(race: &mut Race<'static>, name: &str)
where
    R: Decode + AvroSchema + DeserializeOwned + PartialEq + Debug + 'static,
{
    let datum = datum_of(name);
    let resolver = avro_runtime::resolve::Resolver::<R>::new();
    let plan = resolver
        .plan_for(W::schema())
        .expect("the newer reader resolves against the workload's schema");
    let ours: R = avro_runtime::resolve::decode_with_plan_driven(&plan, datum)
        .expect("the newer reader reads the workload");
    // The workload's schema is declared a known writer of `R` (build.rs):
    // `decode_with_plan` takes the decoder specialized to it.
    assert!(
        R::known_writer(plan.writer_fingerprint()).is_some(),
        "{name}: no decoder specialized to the workload's writer"
    );
    let known: R = avro_runtime::resolve::decode_with_plan(&plan, datum)
        .expect("the specialized decoder reads the workload");
    assert_eq!(
        ours, known,
        "{name}: the specialized decoder differs from the plan-driven one"
    );
    let reference: R = avro_runtime::resolve::decode_transcoded(&plan, datum)
        .expect("the transcoding path reads the workload");
    assert_eq!(
        ours, reference,
        "{name}: generated resolved decode differs from transcoding"
    );
    let (ws, rs) = (
        apache_avro::Schema::parse_str(W::schema()).unwrap(),
        apache_avro::Schema::parse_str(R::schema()).unwrap(),
    );
    let theirs = apache_avro::from_avro_datum(&ws, &mut &datum[..], Some(&rs))
        .map_err(|e| e.to_string())
        .and_then(|v| apache_avro::from_value::<R>(&v).map_err(|e| e.to_string()));
    let apache_problem = match theirs {
        Ok(v) if v == ours => None,
        Ok(v) => Some(format!("apache-avro resolves to another value: {v:?}")),
        Err(e) => Some(e),
    };
    let mut checks = BTreeMap::new();
    for codec in [
        "ours_evolved",
        "ours_evolved_known",
        "ours_evolved_transcoding",
    ] {
        checks.insert(format!("decode/{codec}"), CodecCheck::new(None));
    }
    let apache_ok = apache_problem.is_none();
    checks.insert(
        "decode/apache_avro_evolved".into(),
        CodecCheck::new(apache_problem),
    );
    record_workload(name, datum.len(), &checks);
    let (p, d) = (plan.clone(), datum);
    race.add("decode", "ours_evolved", move || {
        avro_runtime::resolve::decode_with_plan_driven::<R>(&p, black_box(d)).unwrap()
    });
    let (p, d) = (plan.clone(), datum);
    race.add("decode", "ours_evolved_known", move || {
        avro_runtime::resolve::decode_with_plan::<R>(&p, black_box(d)).unwrap()
    });
    let d = datum;
    race.add("decode", "ours_evolved_transcoding", move || {
        avro_runtime::resolve::decode_transcoded::<R>(&plan, black_box(d)).unwrap()
    });
    if apache_ok {
        race.add("decode", "apache_avro_evolved", move || {
            let v = apache_avro::from_avro_datum(&ws, &mut black_box(datum), Some(&rs)).unwrap();
            apache_avro::from_value::<R>(&v).unwrap()
        });
    }
}

/// How many round-robin rounds, and how long each codec's turn is.
fn race_shape() -> (usize, Duration) {
    if std::env::var_os("AVRO_BENCH_QUICK").is_some() {
        (30, Duration::from_millis(1))
    } else {
        (300, Duration::from_millis(1))
    }
}

/// Times one workload: `add` puts its codecs into a race (checked first),
/// which runs interleaved and is saved for the report.
fn workload(name: &str, add: impl FnOnce(&mut Race<'static>)) {
    // `AVRO_BENCH_ONLY=numeric,event`: time only these workloads (while developing).
    if let Ok(only) = std::env::var("AVRO_BENCH_ONLY") {
        if !only.split(',').any(|w| w == name) {
            return;
        }
    }
    let mut race = Race::new();
    race.count_allocs(counting::allocations);
    add(&mut race);
    let (rounds, turn) = race_shape();
    let timings = race.run(rounds, turn);
    for t in &timings {
        let allocs = t
            .allocs
            .map_or(String::new(), |a| format!("{a:>8.1} allocs"));
        eprintln!(
            "{name:>8} {:>6} {:<26} {:>10.0} ns {allocs}",
            t.op, t.codec, t.ns
        );
    }
    record_timings(name, &timings);
}

fn workloads(_: &mut Criterion) {
    use avro_benches::workloads as w;
    avro_benches::report::start_run();
    // Each workload's hand-written baselines: the independent ones
    // (`plain`: byte-pushing encoder, careful slice decoder) and the
    // project's own (`hand_written`). More codecs of a workload (derived
    // types, say) are added to the same race beside these.
    workload("student", |r| {
        derived::<Student, avro_benches::derived::student::Student>(r, "student");
        run::<Student, Student, Student>(
            r,
            "student",
            vec![
                (
                    "independent",
                    (plain::encode_student, |b| plain::decode_student(b).ok()),
                ),
                (
                    "hand_written",
                    (hand::encode_student, |b| hand::decode_student(b).ok()),
                ),
            ],
        );
        borrowing(
            r,
            "student",
            "independent_borrowed",
            |b| plain::decode_student_ref(b).ok(),
            plain::StudentView::owned,
        );
        borrowing(
            r,
            "student",
            "serde_avro_fast_borrowed",
            fast_ref::<Student, StudentFastRef>(),
            StudentFastRef::owned,
        );
        evolved::<Student, w::evolved_student::Student>(r, "student");
    });
    workload("event", |r| {
        derived::<Event, avro_benches::derived::event::Event>(r, "event");
        run::<Event, Event, Event>(
            r,
            "event",
            vec![
                (
                    "independent",
                    (plain::encode_event, |b| plain::decode_event(b).ok()),
                ),
                (
                    "hand_written",
                    (hand::encode_event, |b| hand::decode_event(b).ok()),
                ),
            ],
        );
        borrowing(
            r,
            "event",
            "independent_borrowed",
            |b| plain::decode_event_ref(b).ok(),
            plain::EventView::owned,
        );
        borrowing(
            r,
            "event",
            "serde_avro_fast_borrowed",
            fast_ref::<Event, EventFastRef>(),
            EventFastRef::owned,
        );
        alternative::<Event, w::foldhash_event::Event>(r, "event", "foldhash");
        evolved::<Event, w::evolved_event::Event>(r, "event");
    });
    workload("numeric", |r| {
        derived::<Series, avro_benches::derived::numeric::Numeric>(r, "numeric");
        run::<Series, Series, Series>(
            r,
            "numeric",
            vec![
                (
                    "independent",
                    (plain::encode_series, |b| plain::decode_series(b).ok()),
                ),
                (
                    "hand_written",
                    (hand::encode_series, |b| hand::decode_series(b).ok()),
                ),
            ],
        );
        // Nothing to borrow: the borrowing decoder is the owned one.
        borrowing(
            r,
            "numeric",
            "independent_borrowed",
            |b| plain::decode_series(b).ok(),
            Series::clone,
        );
        evolved::<Series, w::evolved_numeric::Series>(r, "numeric");
    });
    workload("strings", |r| {
        derived::<Doc, avro_benches::derived::strings::Strings>(r, "strings");
        run::<Doc, Doc, Doc>(
            r,
            "strings",
            vec![
                (
                    "independent",
                    (plain::encode_doc, |b| plain::decode_doc(b).ok()),
                ),
                (
                    "hand_written",
                    (hand::encode_doc, |b| hand::decode_doc(b).ok()),
                ),
            ],
        );
        borrowing(
            r,
            "strings",
            "independent_borrowed",
            |b| plain::decode_doc_ref(b).ok(),
            plain::DocView::owned,
        );
        borrowing(
            r,
            "strings",
            "serde_avro_fast_borrowed",
            fast_ref::<Doc, DocFastRef>(),
            DocFastRef::owned,
        );
        alternative::<Doc, w::foldhash_strings::Doc>(r, "strings", "foldhash");
        evolved::<Doc, w::evolved_strings::Doc>(r, "strings");
    });
    workload("order", |r| {
        derived::<Order, avro_benches::derived::order::Order>(r, "order");
        run::<Order, OrderFast, OrderApache>(
            r,
            "order",
            vec![
                (
                    "independent",
                    (plain::encode_order, |b| plain::decode_order(b).ok()),
                ),
                (
                    "hand_written",
                    (hand::encode_order, |b| hand::decode_order(b).ok()),
                ),
            ],
        );
        borrowing(
            r,
            "order",
            "independent_borrowed",
            |b| plain::decode_order_ref(b).ok(),
            plain::OrderView::owned,
        );
        alternative::<Order, w::foldhash_order::Order>(r, "order", "foldhash");
        alternative::<Order, w::unboxed_order::Order>(r, "order", "unboxed");
        evolved::<Order, w::evolved_order::Order>(r, "order");
    });
}

/// Code generation for every corpus file the generator reads (with the files
/// it depends on, as the MANIFEST lists them), and a build.rs rerun whose
/// inputs did not change (it must write nothing).
fn codegen(c: &mut Criterion) {
    let corpus = avro_benches::shared_dir().join("corpus");
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap_or_default();
    let mut groups: Vec<Vec<avro_codegen::Source>> = Vec::new();
    for row in manifest.lines().skip(1) {
        let cells: Vec<&str> = row.split('\t').collect();
        if cells.len() < 10 || cells[5] == "avdl" {
            continue;
        }
        let files = cells[9].split_whitespace().chain(std::iter::once(cells[0]));
        let sources: Option<Vec<_>> = files
            .map(|f| {
                std::fs::read_to_string(corpus.join(f))
                    .ok()
                    .map(|t| avro_codegen::Source::new(f, t))
            })
            .collect();
        groups.extend(sources);
    }
    let opts = avro_codegen::Options::default();
    let generated = groups
        .iter()
        .filter(|g| avro_codegen::generate_from_sources((*g).clone(), &opts).is_ok())
        .count();
    avro_benches::report::record_codegen(groups.len(), generated);
    let mut g = c.benchmark_group("codegen");
    g.sample_size(10);
    g.bench_function("corpus", |b| {
        b.iter(|| {
            for sources in &groups {
                let _ = black_box(avro_codegen::generate_from_sources(sources.clone(), &opts));
            }
        })
    });
    let out = tempfile::tempdir().expect("a temporary directory");
    let mut config = avro_build::Config::new();
    config
        .schema_dir(avro_benches::shared_dir().join("bench"))
        .out_dir(out.path())
        .quiet(true);
    config.compile().expect("the bench schemas generate");
    g.bench_function("noop_rerun", |b| {
        b.iter(|| {
            let outcome = config.compile().unwrap();
            assert!(
                outcome.written.is_empty(),
                "a no-op rerun wrote {:?}",
                outcome.written
            );
        })
    });
    g.finish();
}

fn config() -> Criterion {
    let c = Criterion::default();
    if std::env::var_os("AVRO_BENCH_QUICK").is_some() {
        c.warm_up_time(Duration::from_millis(100))
            .measurement_time(Duration::from_millis(300))
            .sample_size(10)
    } else {
        c.warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
    }
}

criterion_group! { name = benches; config = config(); targets = workloads, codegen }
criterion_main!(benches);
