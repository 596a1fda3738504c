use avro_runtime::serde::Serialize;
use avro_runtime::AvroSchema;

#[derive(AvroSchema)]
#[avro(repr = "tagged")]
enum Unknown {
    A(i32),
}

#[derive(AvroSchema)]
#[avro(repr = "union_of_records", tag = "kind")]
struct OnAStruct {
    a: i32,
}

// serde's `tag` on a struct is serde's business: no error.
#[derive(AvroSchema, Serialize)]
#[serde(crate = "avro_runtime::serde", tag = "kind")]
struct SerdeTaggedStruct {
    a: i32,
}

#[derive(AvroSchema)]
#[avro(repr = "enum")]
enum EnumWithData {
    A(i32),
    B,
}

#[derive(AvroSchema)]
#[avro(repr = "record_tag_content")]
enum NoFieldNames {
    A(i32),
}

#[derive(AvroSchema)]
#[avro(tag = "kind", content = "kind")]
enum SameNames {
    A(i32),
}

#[derive(AvroSchema)]
#[avro(tag = "Move", content = "value")]
enum TagNamesAVariantRecord {
    Move { x: i32 },
    Stop,
}

#[derive(AvroSchema, Serialize)]
#[serde(crate = "avro_runtime::serde", tag = "kind")]
enum InternallyTagged {
    A { x: i32 },
}

#[derive(AvroSchema)]
#[avro(repr = "bare_union", tag = "kind", content = "value")]
enum TagOnABareUnion {
    A(i32),
}

#[derive(AvroSchema)]
#[avro(repr = "bare_union")]
enum TwoNulls {
    A,
    B,
}

#[derive(AvroSchema, Serialize)]
#[avro(tag = "kind", content = "value")]
#[serde(crate = "avro_runtime::serde", tag = "type", content = "value")]
enum AvroAndSerdeDisagree {
    A(i32),
}

fn main() {}
