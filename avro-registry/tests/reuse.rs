//! `Deserializer::deserialize_into` and `deserialize_ref` on the
//! MockRegistry: messages from an old writer (resolved through the plan)
//! and from the reader's own schema (identity: borrowed straight from the
//! message), interleaved, each equal to what `deserialize` gives.

use avro_registry::{Deserializer, MockRegistry, Serializer};

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

use student_v1::school::Student as V1;
use student_v2::school::Student as V2;

#[tokio::test]
async fn into_and_ref_agree_with_deserialize_for_old_and_new_writers() {
    let registry = MockRegistry::new();
    let v1 = Serializer::<V1, _>::new(registry.clone()).unwrap();
    let v2 = Serializer::<V2, _>::new(registry.clone()).unwrap();
    let old = v1
        .serialize(
            "students",
            &V1 {
                name: "Ada".into(),
                class: 3,
            },
        )
        .await
        .unwrap();
    let new = v2
        .serialize(
            "students",
            &V2 {
                first_name: Some("Grace".into()),
                last_name: Some("Hopper".into()),
                class: 5,
            },
        )
        .await
        .unwrap();
    let consumer = Deserializer::<V2, _>::new(registry.clone()).unwrap();
    let mut reused = V2 {
        first_name: Some("stale".into()),
        last_name: Some("stale".into()),
        class: -1,
    };
    let mut scratch = Vec::new();
    for msg in [&new, &old, &new, &old, &old] {
        let want = consumer.deserialize(msg).await.unwrap();
        consumer.deserialize_into(msg, &mut reused).await.unwrap();
        assert_eq!(reused, want);
        let borrowed = consumer.deserialize_ref(msg, &mut scratch).await.unwrap();
        assert_eq!(borrowed.to_owned(), want);
    }
    // From the reader's own schema the borrowed strings point into the message.
    let borrowed = consumer.deserialize_ref(&new, &mut scratch).await.unwrap();
    let first = borrowed.first_name.unwrap();
    let range = new.as_ptr_range();
    assert!(
        range.contains(&first.as_ptr()),
        "not borrowed from the message"
    );
    // Errors are errors in both paths.
    let truncated = &new[..new.len() - 1];
    assert!(consumer
        .deserialize_into(truncated, &mut reused)
        .await
        .is_err());
    assert!(consumer
        .deserialize_ref(truncated, &mut scratch)
        .await
        .is_err());
}
