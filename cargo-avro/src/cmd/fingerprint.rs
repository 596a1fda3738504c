//! `cargo avro fingerprint`: CRC-64-AVRO, MD5 and SHA-256 of a schema's
//! Parsing Canonical Form, in hex and decimal.

use anyhow::Result;
use md5::{Digest, Md5};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::cli::Format;
use crate::output::{emit, Status};
use crate::registry_args::FileOrId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Algorithm {
    /// CRC-64-AVRO (Rabin), as in single-object encoding.
    Crc64,
    Md5,
    Sha256,
}

#[derive(Debug, clap::Args)]
#[command(
    about = "Print fingerprints of a schema (CRC-64-AVRO, MD5, SHA-256; hex and decimal)",
    long_about = "Print fingerprints of a schema's Parsing Canonical Form, as the Avro specification \
defines them. CRC-64-AVRO is shown as be_hex (the number in hex), le_hex (its 8 bytes \
little-endian, as they follow C3 01 in single-object encoding), u64, and i64 (Java's long); MD5 and \
SHA-256 as hex and as an unsigned big-endian decimal.",
    after_help = "Examples:
  cargo avro fingerprint schemas/user.avsc
  cargo avro fingerprint schemas/user.avsc -a crc64 --format json
  cargo avro fingerprint --id 7 --registry http://localhost:8081"
)]
pub struct Args {
    #[command(flatten)]
    pub source: FileOrId,

    /// Which fingerprints (default: all). Repeatable.
    #[arg(long, short = 'a', value_enum)]
    pub algorithm: Vec<Algorithm>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `bytes` read as one unsigned big-endian integer, in decimal.
fn decimal(bytes: &[u8]) -> String {
    // Base 10^9 limbs, least significant first.
    let mut limbs: Vec<u32> = vec![0];
    for &b in bytes {
        let mut carry = b as u64;
        for l in limbs.iter_mut() {
            let v = (*l as u64) * 256 + carry;
            *l = (v % 1_000_000_000) as u32;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push((carry % 1_000_000_000) as u32);
            carry /= 1_000_000_000;
        }
    }
    let mut s = limbs.last().map(|l| l.to_string()).unwrap_or_default();
    for l in limbs.iter().rev().skip(1) {
        s.push_str(&format!("{l:09}"));
    }
    s
}

fn digest(a: Algorithm, canonical: &str) -> Value {
    match a {
        Algorithm::Crc64 => {
            let f = avro_runtime::fingerprint64(canonical.as_bytes());
            json!({
                "be_hex": format!("{f:016x}"),
                "le_hex": hex(&f.to_le_bytes()),
                "u64": f,
                "i64": f as i64,
            })
        }
        Algorithm::Md5 => {
            let d = Md5::digest(canonical.as_bytes());
            json!({"hex": hex(&d), "decimal": decimal(&d)})
        }
        Algorithm::Sha256 => {
            let d = Sha256::digest(canonical.as_bytes());
            json!({"hex": hex(&d), "decimal": decimal(&d)})
        }
    }
}

fn key(a: Algorithm) -> &'static str {
    match a {
        Algorithm::Crc64 => "crc64",
        Algorithm::Md5 => "md5",
        Algorithm::Sha256 => "sha256",
    }
}

pub fn run(args: &Args, format: Format) -> Result<Status> {
    let (what, label, parsed) = args.source.load()?;
    let canonical = parsed.canonical_form();
    let algorithms = if args.algorithm.is_empty() {
        vec![Algorithm::Crc64, Algorithm::Md5, Algorithm::Sha256]
    } else {
        args.algorithm.clone()
    };
    let digests: Vec<(Algorithm, Value)> = algorithms
        .iter()
        .map(|&a| (a, digest(a, &canonical)))
        .collect();
    emit(
        format,
        || {
            let mut m = serde_json::Map::new();
            m.insert(what.into(), label.clone());
            for (a, d) in &digests {
                m.insert(key(*a).into(), d.clone());
            }
            Value::Object(m)
        },
        || {
            for (a, d) in &digests {
                let fields: Vec<String> = d
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| match v {
                        Value::String(s) => format!("{k}={s}"),
                        other => format!("{k}={other}"),
                    })
                    .collect();
                say!("{:<7} {}", key(*a), fields.join(" "));
            }
        },
    );
    Ok(Status::Ok)
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn decimal_of_big_endian_bytes() {
        assert_eq!(decimal(&[]), "0");
        assert_eq!(decimal(&[0x01, 0x00]), "256");
        assert_eq!(decimal(&u64::MAX.to_be_bytes()), u64::MAX.to_string());
        assert_eq!(decimal(&u128::MAX.to_be_bytes()), u128::MAX.to_string());
    }
}
