use avro_runtime::AvroSchema;

#[derive(AvroSchema)]
struct Counter {
    hits: u64,
    size: usize,
    huge: i128,
}

fn main() {}
