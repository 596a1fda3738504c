use avro_runtime::AvroSchema;

// A borrowed decoder ties borrowed fields to the input's lifetime `'a`:
// `'static` cannot come from decoded input.
#[derive(AvroSchema)]
struct Static<'a> {
    name: &'a str,
    label: &'static str,
}

// Two lifetimes: which one would the input's be?
#[derive(AvroSchema)]
struct TwoLifetimes<'a, 'b> {
    first: &'a str,
    second: &'b str,
}

// A byte slice is Avro bytes only when told.
#[derive(AvroSchema)]
struct Bytes<'a> {
    data: &'a [u8],
}

fn main() {}
