use avro_runtime::AvroSchema;

#[derive(AvroSchema)]
#[avro(default = "PURPLE")]
enum Color {
    Red,
    Green,
}

#[derive(AvroSchema)]
enum Two {
    #[avro(default)]
    A,
    #[avro(default)]
    B,
}

fn main() {}
