#!/bin/sh
# A user's clean debug build: the five bench workloads with our generated
# code against the same with apache-avro (benches/build_time/apache: serde
# structs by hand). Ours three ways:
#   ours             build.rs + include_schemas! (benches/build_time/ours)
#   ours_checked_in  the same generated sources checked in (as `cargo avro
#                    generate` writes them): avro-runtime only
#   ours_path        `ours` with our crates compiled as path dependencies
#                    (incrementally, as in this workspace)
# A user gets avro-build and avro-runtime from crates.io, and Cargo compiles
# registry dependencies without incremental compilation (it is only for
# workspace members and path dependencies), which makes a clean build of
# them about a quarter faster. Our crates are path dependencies here, so
# every build but `ours_path` passes
# `--config profile.dev.package."*".incremental=false`: every dependency
# compiled as from a registry (for apache-avro's, all from crates.io, it
# changes nothing). The user's own crate stays incremental in all of them.
# The checked-in sources are the build.rs output of the round's `ours`
# build, copied into a crate made here. Each is built from nothing (a fresh
# target directory, dependencies included, offline from the local registry
# cache), alternating, ROUNDS times (default 2).
# Writes target/avro-bench-build.json for the report.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out="$root/target/avro-bench-build.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The checked-in crate: ours' lib.rs with the generated modules included
# from src/avro instead of OUT_DIR.
checked_in() { # $1: crate dir
  mkdir -p "$1/src/avro"
  cat > "$1/Cargo.toml" <<TOML
[package]
name = "build-time-checked-in"
publish = false
version = "0.1.0"
edition = "2021"

[dependencies]
avro-runtime = { path = "$root/avro-runtime" }

[workspace]
TOML
  { echo 'mod avro { include!("avro/avro_generated.rs"); } pub use avro::*;'
    sed 1d "$here/build_time/ours/src/lib.rs"; } > "$1/src/lib.rs"
}

build() { # $1: name, $2: manifest dir, $3: round, $4: "path" for path dependencies
  cp "$root/Cargo.lock" "$2/Cargo.lock"
  registry='profile.dev.package."*".incremental=false'
  [ "${4:-}" = path ] && registry='profile.dev.incremental=true'
  start=$(date +%s.%N)
  CARGO_TARGET_DIR="$tmp/$1-$3" cargo build --offline -q --config "$registry" \
    --manifest-path "$2/Cargo.toml"
  end=$(date +%s.%N)
  rm -f "$2/Cargo.lock"
  secs=$(echo "$end - $start" | bc)
  echo "$1 round $3: $secs s"
  results="$results{\"crate\": \"$1\", \"round\": $3, \"seconds\": $secs},"
}

results=""
checked_in "$tmp/checked_in"
for round in $(seq 1 "${ROUNDS:-2}"); do
  build ours "$here/build_time/ours" "$round"
  cp "$tmp/ours-$round"/debug/build/build-time-ours-*/out/*.rs "$tmp/checked_in/src/avro/"
  sed -i 's|env!("OUT_DIR"), "/|env!("CARGO_MANIFEST_DIR"), "/src/avro/|' \
    "$tmp/checked_in/src/avro/avro_generated.rs"
  build apache "$here/build_time/apache" "$round"
  build ours_checked_in "$tmp/checked_in" "$round"
  build ours_path "$here/build_time/ours" "$round" path
  rm -rf "$tmp/ours-$round" "$tmp/apache-$round" "$tmp/ours_checked_in-$round" \
    "$tmp/ours_path-$round"
done
echo "{\"builds\": [${results%,}]}" > "$out"
echo "wrote $out"
