//! Object container files in every codec: each file of ../shared/interop-codecs
//! (discovered from the directory) reads back to its `data.jsonl`, or names
//! the codec this build lacks; files we write in each codec read back the
//! same, through the streaming reader, block by block.

use std::fs;

use avro_runtime::container::{read_all, Codec, ContainerReader, ContainerWriter};
use avro_runtime::json::ToAvroJson;
use avro_tests::hostile::bench::Event;
use avro_tests::jsoncmp::json_eq;
use avro_tests::shared_dir;
use serde_json::Value;

/// data.jsonl writes union values plainly (`"referrer": "https://..."`);
/// the Avro JSON encoding wraps them in their branch (`{"string": ...}`).
fn plain_json(v: Value) -> Value {
    match v {
        Value::Object(o) if o.len() == 1 && o.contains_key("string") => {
            o.into_iter().next().unwrap().1
        }
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, x)| (k, plain_json(x))).collect()),
        Value::Array(a) => Value::Array(a.into_iter().map(plain_json).collect()),
        other => other,
    }
}

fn expected() -> Vec<Value> {
    let text = fs::read_to_string(shared_dir().join("interop-codecs/data.jsonl")).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_interop_codec_file_reads_back_to_its_data() {
    if !avro_tests::HAS_INTEROP_CODECS {
        panic!("../shared/interop-codecs is missing");
    }
    let data = expected();
    let dir = shared_dir().join("interop-codecs");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "avro"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let (mut read, mut unsupported, mut failures) = (0, Vec::new(), Vec::new());
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = fs::read(path).unwrap();
        match read_all::<Event>(&bytes) {
            Ok((header, values)) => {
                if values.is_empty() || values.len() > data.len() {
                    failures.push(format!("{name}: {} values", values.len()));
                    continue;
                }
                if let Some((i, e)) =
                    values
                        .iter()
                        .zip(&data)
                        .enumerate()
                        .find_map(|(i, (v, d))| {
                            json_eq(&plain_json(v.to_avro_json()), d)
                                .err()
                                .map(|e| (i, e))
                        })
                {
                    failures.push(format!("{name}: value {i}: {e}"));
                    continue;
                }
                println!(
                    "{name}: codec {}, {} values",
                    header.codec.name(),
                    values.len()
                );
                read += 1;
            }
            Err(e) => {
                // A codec we lack must be named as such, and only then.
                let msg = e.to_string();
                let codec_name = msg
                    .split("unsupported codec \"")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next());
                match codec_name {
                    Some(c) if Codec::from_name(c).is_none_or(|c| !c.is_supported()) => {
                        unsupported.push(format!("{name}: {msg}"))
                    }
                    _ => failures.push(format!("{name}: {msg}")),
                }
            }
        }
    }
    for u in &unsupported {
        println!("not supported: {u}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(read > 0);
}

fn events() -> Vec<Event> {
    let dir = shared_dir().join("interop-codecs");
    let bytes = fs::read(dir.join("event.null.avro")).unwrap();
    read_all::<Event>(&bytes).unwrap().1
}

#[test]
fn files_we_write_in_every_codec_read_back_the_same() {
    let values = events();
    assert!(!values.is_empty());
    for codec in Codec::supported() {
        let mut w = ContainerWriter::new(
            Vec::new(),
            <Event as avro_runtime::AvroSchema>::schema(),
            codec,
            [7; 16],
        )
        .unwrap()
        .block_bytes(8 << 10);
        for v in &values {
            w.append(v).unwrap();
        }
        let file = w.finish().unwrap();
        // Streamed from an io::Read, block by block.
        let reader = ContainerReader::new(&file[..]).unwrap();
        assert_eq!(reader.header().codec, codec);
        let blocks: Vec<_> = ContainerReader::new(&file[..])
            .unwrap()
            .blocks()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(blocks.len() > 1, "{codec:?}: {} blocks", blocks.len());
        let back: Vec<Event> = reader
            .values::<Event>()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{codec:?}: {e}"));
        assert_eq!(back, values, "{codec:?}");
    }
}
