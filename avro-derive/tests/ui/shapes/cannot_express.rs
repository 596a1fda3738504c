use avro_runtime::AvroSchema;

#[derive(AvroSchema)]
struct Unit;

#[derive(AvroSchema)]
struct Tuple(i32, String);

#[derive(AvroSchema)]
enum Empty {}

#[derive(AvroSchema)]
struct Itself {
    me: Itself2,
    inner: Option<Option<i32>>,
}

#[derive(AvroSchema)]
struct Itself2 {
    again: Itself2,
}

fn main() {}
