use avro_runtime::AvroSchema;

#[derive(AvroSchema)]
enum Value {
    Nothing,
    Empty,
    Small(i32),
    Other(i32),
    Text(String),
}

fn main() {}
