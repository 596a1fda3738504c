//! The Student story, step one: a type generated from `schemas/student.avsc`
//! by build.rs, encoded to Avro binary, framed for Kafka, and decoded back.

use avro_runtime::AvroSchema;

avro_runtime::include_schemas!();

use school::Student;

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() -> anyhow::Result<()> {
    let student = Student {
        name: "Ada Lovelace".into(),
        class: 3,
    };
    println!("schema:        {}", Student::schema());
    println!("canonical:     {}", Student::canonical_form());
    println!("fingerprint:   {:016x}", Student::FINGERPRINT);

    let body = avro_runtime::to_vec(&student)?;
    println!("avro binary:   {}", hex(&body));
    let back: Student = avro_runtime::from_slice(&body)?;
    println!("decoded:       {back:?}");
    assert_eq!(back, student);

    // What a Kafka producer sends: magic 0, the registry's schema id, the body.
    let framed = avro_runtime::framing::to_confluent(42, &student)?;
    println!("confluent:     {}", hex(&framed));
    let (id, _) = avro_runtime::framing::split_confluent(&framed)?;
    let from_kafka: Student = avro_runtime::framing::from_confluent(&framed, id)?;
    println!("from kafka:    schema id {id}, {from_kafka:?}");

    // Corrupt input is an error with a path, never a panic.
    let err = avro_runtime::from_slice::<Student>(&body[..5]).unwrap_err();
    println!("truncated:     {err}");
    Ok(())
}
