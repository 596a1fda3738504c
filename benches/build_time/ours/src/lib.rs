avro_runtime::include_schemas!();

/// Every workload type through encode and decode (what a user's code would call).
pub fn roundtrip<T: avro_runtime::Encode + avro_runtime::Decode>(v: &T) -> T {
    avro_runtime::from_slice(&avro_runtime::to_vec(v).unwrap()).unwrap()
}

/// Instantiates the codec for every workload type, as a user's code would.
pub fn all(
    s: &com::example::Student,
    e: &bench::Event,
    n: &bench::Series,
    d: &bench::Doc,
    o: &com::example::shop::Order,
) -> usize {
    roundtrip(s).name.len()
        + roundtrip(e).tags.len()
        + roundtrip(n).ts.len()
        + roundtrip(d).authors.len()
        + roundtrip(o).items.len()
}
