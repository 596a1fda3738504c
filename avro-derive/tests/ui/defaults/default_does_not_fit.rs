use avro_runtime::AvroSchema;

#[derive(AvroSchema)]
struct Defaults {
    #[avro(default = "\"one\"")]
    count: i32,
    #[avro(default = "300")]
    small: u8,
    #[avro(default = "[1, \"two\"]")]
    list: Vec<i64>,
    #[avro(default = "not json")]
    broken: String,
}

fn main() {}
