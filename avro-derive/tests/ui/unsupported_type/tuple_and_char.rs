use avro_runtime::AvroSchema;

#[derive(AvroSchema)]
struct Odd {
    pair: (i32, i32),
    letter: char,
    grid: [i32; 4],
    key_typed: std::collections::HashMap<i32, String>,
}

fn main() {}
