//! Every workload of ../shared/bench, encoded and decoded by each codec in
//! the same run: ours (generated), apache-avro with `Value`, apache-avro's
//! serde path, serde_avro_fast, and a hand-written codec. Each codec's output
//! is checked against `datum.bin` before it is timed; a codec that gets a
//! workload wrong is not timed, and the reason is written for the report.
//!
//! `AVRO_BENCH_QUICK=1` runs each benchmark briefly (a smoke check).
//! `cargo run -p avro-benches --bin report` turns the results into BENCHMARKS.md.
#![allow(deprecated)] // apache-avro 0.22 deprecates to/from_avro_datum, the functions we compare against

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::hint::black_box;
use std::time::Duration;

use avro_benches::hand;
use avro_benches::report::{record_workload, CodecCheck};
use avro_benches::serde_forms::{OrderApache, OrderFast, SerdeForm};
use avro_benches::workloads::{
    event::Event, numeric::Series, order::Order, strings::Doc, student::Student,
};
use avro_runtime::{AvroSchema, Decode, Encode};
use criterion::{criterion_group, criterion_main, Criterion};
use serde::de::DeserializeOwned;

/// The workload's record as Avro binary (`../shared/bench/<name>/datum.bin`).
fn datum_of(name: &str) -> Vec<u8> {
    let path = avro_benches::shared_dir()
        .join("bench")
        .join(name)
        .join("datum.bin");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

type HandCodec<T> = (fn(&T, &mut Vec<u8>), fn(&[u8]) -> Result<T, hand::Bad>);

/// Checks and times every codec on one workload. `F` and `A` are the forms
/// serde_avro_fast and apache-avro's serde path take the record in (the
/// generated type itself, except for `order`: see `serde_forms`).
fn run<T, F, A>(c: &mut Criterion, name: &str, hand: Option<HandCodec<T>>)
where
    T: Encode + Decode + AvroSchema + PartialEq + Debug,
    F: SerdeForm<T>,
    A: SerdeForm<T>,
{
    let datum = datum_of(name);
    let value: T = avro_runtime::from_slice(&datum).expect("our decoder reads datum.bin");
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
            let dec = serde_avro_fast::from_datum_slice::<F>(&datum, fs)
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

    if let Some((enc, dec)) = hand {
        let mut b = Vec::new();
        enc(&value, &mut b);
        check(
            "hand_written",
            Ok(b),
            dec(&datum)
                .map(|v| v == value)
                .map_err(|_| "decode failed".into()),
        );
    }

    // Resolved decode: through a resolution plan (writer = reader schema:
    // the machinery's cost; old-writer workloads need reader schemas).
    let plan = avro_runtime::resolve::resolve_texts(T::schema(), T::schema())
        .expect("a schema resolves against itself");
    let resolved_ok = avro_runtime::resolve::decode_with_plan::<T>(&plan, &datum)
        .ok()
        .as_ref()
        == Some(&value);
    checks.insert(
        "decode/ours_resolved".into(),
        CodecCheck::new((!resolved_ok).then(|| "resolved decode gave another value".into())),
    );
    record_workload(name, datum.len(), &checks);
    let ok = |k: &str| checks.get(k).is_some_and(|c| c.ok);

    let mut g = c.benchmark_group(format!("{name}-encode"));
    let mut buf = Vec::with_capacity(datum.len() * 2);
    g.bench_function("ours", |b| {
        b.iter(|| {
            buf.clear();
            black_box(&value).encode(&mut buf).unwrap();
            black_box(buf.len())
        })
    });
    if ok("encode/apache_avro_value") {
        let v = apache_value.as_ref().unwrap();
        g.bench_function("apache_avro_value", |b| {
            b.iter(|| apache_avro::to_avro_datum(&schema, black_box(v).clone()).unwrap())
        });
    }
    if ok("encode/apache_avro_serde") {
        g.bench_function("apache_avro_serde", |b| {
            b.iter(|| {
                let v = apache_avro::to_value(black_box(&apache_form)).unwrap();
                apache_avro::to_avro_datum(&schema, v).unwrap()
            })
        });
    }
    if ok("encode/serde_avro_fast") {
        let fs = fast_schema.as_ref().unwrap();
        let mut config = serde_avro_fast::ser::SerializerConfig::new(fs);
        let mut out = Vec::with_capacity(datum.len() * 2);
        g.bench_function("serde_avro_fast", |b| {
            b.iter(|| {
                out.clear();
                out = serde_avro_fast::to_datum(
                    black_box(&fast_form),
                    std::mem::take(&mut out),
                    &mut config,
                )
                .unwrap();
                black_box(out.len())
            })
        });
    }
    if let (Some((enc, _)), true) = (hand, ok("encode/hand_written")) {
        let mut out = Vec::with_capacity(datum.len() * 2);
        g.bench_function("hand_written", |b| {
            b.iter(|| {
                out.clear();
                enc(black_box(&value), &mut out);
                black_box(out.len())
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group(format!("{name}-decode"));
    g.bench_function("ours", |b| {
        b.iter(|| avro_runtime::from_slice::<T>(black_box(&datum)).unwrap())
    });
    if ok("decode/ours_resolved") {
        g.bench_function("ours_resolved", |b| {
            b.iter(|| {
                avro_runtime::resolve::decode_with_plan::<T>(&plan, black_box(&datum)).unwrap()
            })
        });
    }
    if ok("decode/apache_avro_value") {
        g.bench_function("apache_avro_value", |b| {
            b.iter(|| {
                apache_avro::from_avro_datum(&schema, &mut black_box(&datum[..]), None).unwrap()
            })
        });
    }
    if ok("decode/apache_avro_serde") {
        g.bench_function("apache_avro_serde", |b| {
            b.iter(|| {
                let v = apache_avro::from_avro_datum(&schema, &mut black_box(&datum[..]), None)
                    .unwrap();
                apache_avro::from_value::<A>(&v).unwrap()
            })
        });
    }
    if ok("decode/serde_avro_fast") {
        let fs = fast_schema.as_ref().unwrap();
        g.bench_function("serde_avro_fast", |b| {
            b.iter(|| serde_avro_fast::from_datum_slice::<F>(black_box(&datum), fs).unwrap())
        });
    }
    if let (Some((_, dec)), true) = (hand, ok("decode/hand_written")) {
        g.bench_function("hand_written", |b| {
            b.iter(|| dec(black_box(&datum)).unwrap())
        });
    }
    g.finish();
}

/// Resolved decoding with an old writer and a newer reader (`R`, generated
/// from benches/schemas/evolved), timed beside the same-schema decode of the
/// same workload: ours through the generated resolved decoder, ours through
/// the transcoding path it replaced, and apache-avro's resolving reader
/// (to `Value` and, where its serde path takes the type, on to `R`). Ours is
/// checked against the transcoding reference and against apache-avro.
fn evolved<W: AvroSchema, R>(c: &mut Criterion, name: &str)
where
    R: Decode + AvroSchema + DeserializeOwned + PartialEq + Debug,
{
    let datum = datum_of(name);
    let resolver = avro_runtime::resolve::Resolver::<R>::new();
    let plan = resolver
        .plan_for(W::schema())
        .expect("the newer reader resolves against the workload's schema");
    let ours: R = avro_runtime::resolve::decode_with_plan(&plan, &datum)
        .expect("the newer reader reads the workload");
    let reference: R = avro_runtime::resolve::decode_transcoded(&plan, &datum)
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
    for codec in ["ours_evolved", "ours_evolved_transcoding"] {
        checks.insert(format!("decode/{codec}"), CodecCheck::new(None));
    }
    let apache_ok = apache_problem.is_none();
    checks.insert(
        "decode/apache_avro_evolved".into(),
        CodecCheck::new(apache_problem),
    );
    record_workload(name, datum.len(), &checks);
    let mut g = c.benchmark_group(format!("{name}-decode"));
    g.bench_function("ours_evolved", |b| {
        b.iter(|| avro_runtime::resolve::decode_with_plan::<R>(&plan, black_box(&datum)).unwrap())
    });
    g.bench_function("ours_evolved_transcoding", |b| {
        b.iter(|| avro_runtime::resolve::decode_transcoded::<R>(&plan, black_box(&datum)).unwrap())
    });
    if apache_ok {
        g.bench_function("apache_avro_evolved", |b| {
            b.iter(|| {
                let v = apache_avro::from_avro_datum(&ws, &mut black_box(&datum[..]), Some(&rs))
                    .unwrap();
                apache_avro::from_value::<R>(&v).unwrap()
            })
        });
    }
    g.finish();
}

fn workloads(c: &mut Criterion) {
    use avro_benches::workloads as w;
    avro_benches::report::start_run();
    run::<Student, Student, Student>(
        c,
        "student",
        Some((hand::encode_student, hand::decode_student)),
    );
    evolved::<Student, w::evolved_student::Student>(c, "student");
    run::<Event, Event, Event>(c, "event", Some((hand::encode_event, hand::decode_event)));
    evolved::<Event, w::evolved_event::Event>(c, "event");
    run::<Series, Series, Series>(
        c,
        "numeric",
        Some((hand::encode_series, hand::decode_series)),
    );
    evolved::<Series, w::evolved_numeric::Series>(c, "numeric");
    run::<Doc, Doc, Doc>(c, "strings", Some((hand::encode_doc, hand::decode_doc)));
    evolved::<Doc, w::evolved_strings::Doc>(c, "strings");
    run::<Order, OrderFast, OrderApache>(
        c,
        "order",
        Some((hand::encode_order, hand::decode_order)),
    );
    evolved::<Order, w::evolved_order::Order>(c, "order");
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
