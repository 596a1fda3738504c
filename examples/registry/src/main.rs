//! The Student story through a Schema Registry: a v1 producer and a v2
//! producer write Confluent-framed messages through the typed Serializer
//! (registering their schemas), the subject's compatibility is set to
//! BACKWARD, an incompatible v3 is refused, and a v2 consumer reads every
//! message through the Deserializer.
//!
//! On an in-memory MockRegistry by default; on a real registry when
//! `SCHEMA_REGISTRY_URL` is set (and `SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO`
//! or `SCHEMA_REGISTRY_BEARER_TOKEN` for credentials).

use avro_registry::{
    Client, ClientConfig, CompatibilityLevel, Deserializer, MockRegistry, Registry, Schema,
    Serializer,
};

mod v1 {
    avro_runtime::include_schemas!("v1/avro_generated.rs");
}
mod v2 {
    avro_runtime::include_schemas!("v2/avro_generated.rs");
}

const TOPIC: &str = "students";

/// `class` turned into a string without a default: v3 could not read v2's data.
const V3: &str = r#"{"type":"record","name":"Student","namespace":"school","fields":[
    {"name":"first_name","type":["null","string"],"default":null},
    {"name":"last_name","type":["null","string"],"default":null},
    {"name":"class","type":"string"}]}"#;

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

async fn run<R: Registry + Clone>(registry: R) -> anyhow::Result<()> {
    // The "topic": the framed messages in the order they were produced.
    let mut topic: Vec<Vec<u8>> = Vec::new();

    // 1. The old producer writes v1 students (its schema is registered on first use).
    let old_producer = Serializer::<v1::school::Student, _>::new(registry.clone())?;
    let subject = old_producer.subject(TOPIC)?;
    for (name, class) in [("Ada Lovelace", 3), ("Alan Turing", 4)] {
        let msg = old_producer
            .serialize(
                TOPIC,
                &v1::school::Student {
                    name: name.into(),
                    class,
                },
            )
            .await?;
        println!("v1 message:   {}", hex(&msg));
        topic.push(msg);
    }
    println!(
        "{subject}: v1 has schema id {}",
        old_producer.schema_id(TOPIC).await?
    );

    // 2. The subject's rule: new schemas must read the data of the previous one.
    registry
        .set_compatibility(Some(&subject), CompatibilityLevel::Backward)
        .await?;
    println!("{subject}: compatibility BACKWARD");

    // 3. The new producer writes v2 students: a compatible evolution, registered.
    let new_producer = Serializer::<v2::school::Student, _>::new(registry.clone())?;
    let msg = new_producer
        .serialize(
            TOPIC,
            &v2::school::Student {
                first_name: Some("Grace".into()),
                last_name: Some("Hopper".into()),
                class: 5,
            },
        )
        .await?;
    println!("v2 message:   {}", hex(&msg));
    topic.push(msg);
    println!(
        "{subject}: v2 has schema id {}, versions {:?}",
        new_producer.schema_id(TOPIC).await?,
        registry.versions(&subject).await?
    );

    // 4. An incompatible v3 is refused by the registry (409).
    match registry
        .register(&subject, &Schema::avro(V3).into(), false)
        .await
    {
        Ok(id) => println!("v3 registered as {id}?! (the subject's level is not BACKWARD)"),
        Err(e) => println!("v3 refused:   {e}"),
    }

    // 5. The v2 consumer reads every message, old and new.
    let consumer = Deserializer::<v2::school::Student, _>::new(registry.clone())?;
    for msg in &topic {
        let student = consumer.deserialize(msg).await?;
        println!("consumed (v2): {student:?}");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match std::env::var("SCHEMA_REGISTRY_URL") {
        Ok(url) => {
            let mut props = vec![("schema.registry.url".to_owned(), url.clone())];
            if let Ok(info) = std::env::var("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO") {
                props.push(("basic.auth.user.info".into(), info));
            }
            if let Ok(token) = std::env::var("SCHEMA_REGISTRY_BEARER_TOKEN") {
                props.push(("bearer.auth.token".into(), token));
            }
            let client = Client::new(ClientConfig::from_properties(props)?)?;
            println!("registry: {}", client.urls().join(", "));
            run(client).await
        }
        Err(_) => {
            println!("registry: in-memory MockRegistry (set SCHEMA_REGISTRY_URL for a real one)");
            run(MockRegistry::new()).await
        }
    }
}
