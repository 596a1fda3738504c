use avro_runtime::AvroSchema;

#[derive(AvroSchema)]
#[avro(namespace = "a", namespace = "b", colour = "red")]
struct Thing {
    #[avro(rename = "x", rename = "y")]
    field: i32,
    #[avro(skip_serializing)]
    other: i32,
    #[avro(namespace = "c")]
    third: i32,
}

fn main() {}
