#!/bin/sh
# A user's clean debug build: the five bench workloads with our generated
# code (benches/build_time/ours: build.rs + include_schemas!) against the
# same with apache-avro (benches/build_time/apache: serde structs by hand).
# Each is built from nothing (a fresh target directory, dependencies
# included, offline from the local registry cache), twice, alternating.
# Writes target/avro-bench-build.json for the report.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out="$root/target/avro-bench-build.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
results=""
for round in 1 2; do
  for which in ours apache; do
    cp "$root/Cargo.lock" "$here/build_time/$which/Cargo.lock"
    start=$(date +%s.%N)
    CARGO_TARGET_DIR="$tmp/$which-$round" cargo build --offline -q \
      --manifest-path "$here/build_time/$which/Cargo.toml"
    end=$(date +%s.%N)
    rm -f "$here/build_time/$which/Cargo.lock"
    secs=$(echo "$end - $start" | bc)
    echo "$which round $round: $secs s"
    results="$results{\"crate\": \"$which\", \"round\": $round, \"seconds\": $secs},"
  done
done
echo "{\"builds\": [${results%,}]}" > "$out"
echo "wrote $out"
