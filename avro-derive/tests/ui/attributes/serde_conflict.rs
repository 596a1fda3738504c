use avro_runtime::serde::Serialize;
use avro_runtime::AvroSchema;

#[derive(AvroSchema, Serialize)]
#[serde(crate = "avro_runtime::serde", rename_all = "camelCase")]
#[avro(rename_all = "snake_case")]
struct Account {
    #[avro(rename = "id")]
    #[serde(rename = "userId")]
    user_id: i64,
}

fn main() {}
