//! The Student story: types generated from `.avsc` files by build.rs,
//! encoded to Avro binary and framed for Kafka, then read by a consumer
//! whose schema has evolved (v1 writer, v2 reader), with the registry's
//! compatibility rules checked the way Schema Registry checks them.

use avro_runtime::compat::{check, CompatibilityLevel};
use avro_runtime::resolve::Resolver;
use avro_runtime::AvroSchema;

mod v1 {
    avro_runtime::include_schemas!("v1/avro_generated.rs");
}
mod v2 {
    avro_runtime::include_schemas!("v2/avro_generated.rs");
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() -> anyhow::Result<()> {
    // 1. A v1 producer: encode, frame, decode with the same schema.
    let student = v1::school::Student {
        name: "Ada Lovelace".into(),
        class: 3,
    };
    println!("v1 schema:      {}", v1::school::Student::schema());
    println!(
        "v1 fingerprint: {:016x}",
        v1::school::Student::fingerprint()
    );
    let body = avro_runtime::to_vec(&student)?;
    println!("avro binary:    {}", hex(&body));
    let back: v1::school::Student = avro_runtime::from_slice(&body)?;
    println!("decoded (v1):   {back:?}");
    assert_eq!(back, student);
    let framed = avro_runtime::framing::to_confluent(1, &student)?;
    println!("confluent:      {}", hex(&framed));

    // 2. The registry's rule for the subject: may v2 follow v1?
    let (v1s, v2s) = (v1::school::Student::schema(), v2::school::Student::schema());
    for level in [CompatibilityLevel::Backward, CompatibilityLevel::Forward] {
        let problems = check(level, v2s, &[v1s])?;
        if problems.is_empty() {
            println!("{level}: v2 is compatible with v1");
        } else {
            for p in problems {
                println!("{level}: {p}");
            }
        }
    }

    // 3. A v2 consumer reads the v1 message: `name` is dropped, the new
    //    fields take their defaults, `class` is kept.
    let consumer = Resolver::<v2::school::Student>::new();
    let (_schema_id, payload) = avro_runtime::framing::split_confluent(&framed)?;
    let v2_student = consumer.decode(v1s, payload)?;
    println!("read as v2:     {v2_student:?}");
    assert_eq!(v2_student.class, 3);
    assert_eq!(v2_student.first_name, None);

    // 4. A v1 consumer cannot read v2 data (FORWARD fails): a clear error.
    let v2_body = avro_runtime::to_vec(&v2::school::Student {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        class: 4,
    })?;
    match Resolver::<v1::school::Student>::new().decode(v2s, &v2_body) {
        Ok(s) => anyhow::bail!("a v1 reader should not read v2 data, got {s:?}"),
        Err(e) => println!("v1 reads v2:    {e}"),
    }

    // 5. A renamed field (through its alias) and an enum symbol the reader
    //    does not know (mapped to the reader's default).
    let old = v1::school::Enrollment {
        student: "Ada".into(),
        state: v1::school::State::Expelled,
    };
    let enrollment = Resolver::<v2::school::Enrollment>::new().decode(
        v1::school::Enrollment::schema(),
        &avro_runtime::to_vec(&old)?,
    )?;
    println!("enrollment v2:  {enrollment:?}");
    assert_eq!(enrollment.student_name, "Ada");
    assert_eq!(enrollment.state, v2::school::State::Unknown);

    // 6. Corrupt input is an error with a path, never a panic.
    let err = avro_runtime::from_slice::<v1::school::Student>(&body[..5]).unwrap_err();
    println!("truncated:      {err}");
    Ok(())
}
