use avro_runtime::AvroSchema;

#[derive(AvroSchema)]
struct Clash {
    #[avro(rename = "name")]
    first: String,
    name: String,
    #[avro(rename = "not-valid")]
    dashed: i32,
}

#[derive(AvroSchema)]
#[avro(rename_all = "lowercase")]
enum Symbols {
    Red,
    RED,
}

fn main() {}
