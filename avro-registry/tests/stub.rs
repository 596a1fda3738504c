//! Confluent's documented behaviour, played by a stub HTTP server on
//! 127.0.0.1 (a small axum app whose answers each test scripts): every error
//! code, retries on 429 and 5xx only, timeouts, malformed bodies, auth
//! headers (and credentials never in error text), failover across URLs,
//! one request in flight per key, and the path of every endpoint.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use avro_registry::{
    Client, ClientConfig, CompatibilityLevel, ErrorCode, ErrorKind, Mode, Registry, Schema, Version,
};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Clone)]
struct Answer {
    status: u16,
    body: String,
    delay: Duration,
    headers: Vec<(&'static str, String)>,
}

fn answer(status: u16, body: impl Into<String>) -> Answer {
    Answer {
        status,
        body: body.into(),
        delay: Duration::ZERO,
        headers: Vec::new(),
    }
}

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    uri: String,
    headers: HeaderMap,
    body: String,
}

#[derive(Default)]
struct Script {
    answers: VecDeque<Answer>,
    fallback: Option<Answer>,
    seen: Vec<Seen>,
}

/// A stub registry: answers scripted answers in order, then the fallback.
struct Stub {
    url: String,
    script: Arc<Mutex<Script>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(State(script): State<Arc<Mutex<Script>>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let a = {
        let mut s = script.lock().unwrap();
        s.seen.push(Seen {
            method: parts.method.to_string(),
            uri: parts.uri.to_string(),
            headers: parts.headers.clone(),
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        s.answers
            .pop_front()
            .or_else(|| s.fallback.clone())
            .unwrap_or_else(|| answer(500, "unscripted"))
    };
    tokio::time::sleep(a.delay).await;
    let mut resp = (StatusCode::from_u16(a.status).unwrap(), Body::from(a.body)).into_response();
    resp.headers_mut().insert(
        "content-type",
        "application/vnd.schemaregistry.v1+json".parse().unwrap(),
    );
    for (k, v) in a.headers {
        resp.headers_mut().insert(k, v.parse().unwrap());
    }
    resp
}

impl Stub {
    async fn start() -> Stub {
        let script = Arc::new(Mutex::new(Script::default()));
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Stub { url, script, task }
    }
    fn then(&self, a: Answer) -> &Self {
        self.script.lock().unwrap().answers.push_back(a);
        self
    }
    fn always(&self, a: Answer) {
        self.script.lock().unwrap().fallback = Some(a);
    }
    fn seen(&self) -> Vec<Seen> {
        self.script.lock().unwrap().seen.clone()
    }
}

fn fast(url: &str) -> ClientConfig {
    ClientConfig::new(url)
        .retries(2, Duration::from_millis(5), Duration::from_millis(20))
        .request_timeout(Duration::from_secs(5))
}

/// A port nothing listens on (bound, then released).
fn dead_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", l.local_addr().unwrap())
}

const SCHEMA_BODY: &str = r#"{"schema":"\"string\""}"#;

#[tokio::test]
async fn every_documented_error_code_is_typed_and_4xx_are_not_retried() {
    let stub = Stub::start().await;
    let client = Client::new(fast(&stub.url).retries(0, Duration::ZERO, Duration::ZERO)).unwrap();
    let mut codes: Vec<(u16, i64)> = (40401..=40410).map(|c| (404, c)).collect();
    codes.extend([(409, 409), (409, 40901)]);
    codes.extend((42201..=42212).map(|c| (422, c)));
    codes.extend((50001..=50004).map(|c| (500, c)));
    codes.push((418, 41899));
    for &(status, code) in &codes {
        stub.then(answer(
            status,
            format!(r#"{{"error_code":{code},"message":"message {code}"}}"#),
        ));
        let before = stub.seen().len();
        let e = client
            .version("orders-value", Version::Number(3))
            .await
            .unwrap_err();
        assert_eq!(stub.seen().len(), before + 1, "{code} asked once");
        let expected = ErrorCode::from_number(code);
        assert_eq!(e.code(), Some(expected), "{code}");
        if code != 41899 {
            assert!(
                !matches!(expected, ErrorCode::Other(_)),
                "{code} is documented"
            );
        }
        match e.kind() {
            ErrorKind::Api {
                status: s,
                error_code,
                message,
                ..
            } => {
                assert_eq!((*s, *error_code), (status, code));
                assert_eq!(message, &format!("message {code}"));
            }
            other => panic!("{code}: {other:?}"),
        }
        let text = e.to_string();
        for part in [
            &stub.url[..],
            "/subjects/orders-value/versions/3",
            "\"orders-value\"",
            "version 3",
            &code.to_string(),
        ] {
            assert!(text.contains(part), "{text} lacks {part}");
        }
    }
    assert_eq!(ErrorCode::from_number(41899), ErrorCode::Other(41899));
}

#[tokio::test]
async fn retries_on_429_and_5xx_then_succeeds_never_on_other_4xx() {
    let stub = Stub::start().await;
    let client = Client::new(fast(&stub.url)).unwrap();
    stub.then(Answer {
        headers: vec![("retry-after", "0".into())],
        ..answer(429, "")
    })
    .then(answer(503, "busy"))
    .then(answer(200, SCHEMA_BODY));
    assert_eq!(client.schema_by_id(1).await.unwrap().schema, "\"string\"");
    assert_eq!(stub.seen().len(), 3);

    stub.then(answer(400, "bad request, not json"));
    let e = client.schema_by_id(2).await.unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Status { status: 400, .. }),
        "{e:?}"
    );
    assert_eq!(stub.seen().len(), 4, "a 400 is not retried");

    stub.always(answer(429, ""));
    let e = client.schema_by_id(3).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::RateLimited { .. }), "{e:?}");
    assert_eq!(stub.seen().len(), 4 + 3, "max_retries 2: three attempts");

    stub.always(answer(502, "<html>bad gateway</html>"));
    let e = client.schema_by_id(4).await.unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Status { status: 502, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("bad gateway"), "{e}");
}

#[tokio::test]
async fn timeouts_connection_refused_and_failover() {
    let stub = Stub::start().await;
    stub.always(Answer {
        delay: Duration::from_secs(3),
        ..answer(200, SCHEMA_BODY)
    });
    let client = Client::new(
        fast(&stub.url)
            .request_timeout(Duration::from_millis(150))
            .retries(1, Duration::from_millis(5), Duration::from_millis(5)),
    )
    .unwrap();
    let t = Instant::now();
    let e = client.schema_by_id(1).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Timeout(_)), "{e:?}");
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(stub.seen().len(), 2, "a timeout is retried");

    let dead = dead_url();
    let client = Client::new(fast(&dead)).unwrap();
    let e = client.subjects().await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Connect(_)), "{e:?}");
    assert!(e.to_string().contains(&dead), "{e}");

    let good = Stub::start().await;
    good.always(answer(200, r#"["a","b"]"#));
    let client = Client::new(fast(&format!("{dead},{}", good.url))).unwrap();
    assert_eq!(client.subjects().await.unwrap(), ["a", "b"]);
    assert_eq!(client.subjects().await.unwrap(), ["a", "b"]);
    assert_eq!(good.seen().len(), 2);

    // A 5xx from the first URL moves on to the second too.
    let failing = Stub::start().await;
    failing.always(answer(
        500,
        r#"{"error_code":50001,"message":"store down"}"#,
    ));
    let client = Client::new(fast(&format!("{},{}", failing.url, good.url))).unwrap();
    assert_eq!(client.subjects().await.unwrap(), ["a", "b"]);
    assert_eq!(failing.seen().len(), 1);
}

#[tokio::test]
async fn malformed_bodies_are_errors_not_panics() {
    let stub = Stub::start().await;
    let client = Client::new(fast(&stub.url)).unwrap();
    for body in ["not json", "", r#"{"foo":1}"#, "[1,2", r#"{"schema":5}"#] {
        stub.then(answer(200, body));
        let e = client.schema_by_id(9).await.unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::MalformedBody { status: 200, .. }),
            "{body}: {e:?}"
        );
        assert!(e.to_string().contains("/schemas/ids/9"), "{e}");
    }
    stub.then(answer(200, r#"{"compatibilityLevel":"SIDEWAYS"}"#));
    let e = client.compatibility(None).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::MalformedBody { .. }), "{e:?}");
    stub.then(answer(200, r#"{"is_compatible":"maybe"}"#));
    let e = client
        .test_compatibility("s", Version::Latest, &Schema::avro("\"int\""), false)
        .await
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::MalformedBody { .. }), "{e:?}");
}

#[tokio::test]
async fn credentials_go_in_headers_and_never_into_errors() {
    let stub = Stub::start().await;
    stub.always(answer(
        401,
        r#"{"error_code":401,"message":"Unauthorized"}"#,
    ));
    let basic = Client::new(fast(&stub.url).basic_auth("apikey", "s3cr3t-pw")).unwrap();
    let e = basic.subjects().await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Unauthorized { .. }), "{e:?}");
    assert_eq!(stub.seen().len(), 1, "401 is not retried");
    let auth = stub.seen()[0].headers["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(auth, "Basic YXBpa2V5OnMzY3IzdC1wdw=="); // base64("apikey:s3cr3t-pw")
    for text in [e.to_string(), format!("{e:?}"), format!("{basic:?}")] {
        assert!(
            !text.contains("s3cr3t") && !text.contains("YXBpa2V5"),
            "{text}"
        );
    }

    stub.always(answer(
        403,
        r#"{"error_code":40301,"message":"User cannot access the resource."}"#,
    ));
    let bearer = Client::new(fast(&stub.url).bearer_token("tok-123456")).unwrap();
    let e = bearer.subjects().await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Forbidden { .. }), "{e:?}");
    assert_eq!(
        stub.seen().last().unwrap().headers["authorization"],
        "Bearer tok-123456"
    );
    assert!(!e.to_string().contains("tok-123456") && !format!("{e:?}").contains("tok-123456"));

    // user:password in a URL becomes basic auth and leaves the URL.
    let with_info = stub.url.replace("http://", "http://u%40x:pa%3Ass@");
    let client = Client::new(fast(&with_info)).unwrap();
    let e = client.subjects().await.unwrap_err();
    assert_eq!(
        stub.seen().last().unwrap().headers["authorization"],
        "Basic dUB4OnBhOnNz"
    );
    assert!(
        !e.to_string().contains("pa%3Ass") && !e.to_string().contains("pa:ss"),
        "{e}"
    );
    assert!(client.urls()[0] == stub.url);

    // From Confluent-style properties.
    stub.always(answer(200, "[]"));
    let props = [
        ("schema.registry.url".to_owned(), stub.url.clone()),
        ("basic.auth.user.info".to_owned(), "k:v".to_owned()),
        (
            "bearer.auth.logical.cluster".to_owned(),
            "lsrc-1".to_owned(),
        ),
    ];
    let client = Client::new(ClientConfig::from_properties(props).unwrap()).unwrap();
    client.subjects().await.unwrap();
    let last = stub.seen().last().unwrap().clone();
    assert_eq!(last.headers["authorization"], "Basic azp2");
    assert_eq!(last.headers["target-sr-cluster"], "lsrc-1");
    assert!(last.headers["accept"]
        .to_str()
        .unwrap()
        .starts_with("application/vnd.schemaregistry.v1+json"));
}

#[tokio::test]
async fn one_request_in_flight_per_key_and_answers_cached() {
    let stub = Stub::start().await;
    stub.always(Answer {
        delay: Duration::from_millis(200),
        ..answer(200, SCHEMA_BODY)
    });
    let client = Client::new(fast(&stub.url)).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let c = client.clone();
        tasks.push(tokio::spawn(async move { c.schema_by_id(7).await }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().schema, "\"string\"");
    }
    assert_eq!(stub.seen().len(), 1);
    client.schema_by_id(7).await.unwrap();
    assert_eq!(stub.seen().len(), 1, "cached");
    assert!(client.cached_schema(7).is_some());

    // Latest versions expire after their time to live.
    let latest = r#"{"subject":"s","id":1,"version":1,"schema":"\"string\""}"#;
    stub.always(answer(200, latest));
    let client = Client::new(fast(&stub.url).cache(100, Some(Duration::from_millis(100)))).unwrap();
    client.version("s", Version::Latest).await.unwrap();
    client.version("s", Version::Latest).await.unwrap();
    assert_eq!(stub.seen().len(), 2);
    tokio::time::sleep(Duration::from_millis(150)).await;
    client.version("s", Version::Latest).await.unwrap();
    assert_eq!(stub.seen().len(), 3);
}

#[tokio::test]
async fn every_endpoint_uses_confluents_path_method_and_body() {
    let stub = Stub::start().await;
    let c = Client::new(fast(&stub.url)).unwrap();
    let sv = r#"{"subject":"a/b","id":4,"version":2,"schema":"\"int\"","references":[{"name":"X","subject":"x","version":1}]}"#;
    let s = Schema::avro("\"int\"");
    macro_rules! expect {
        ($body:expr, $call:expr, $method:literal, $uri:literal) => {{
            stub.then(answer(200, $body));
            let r = $call.await.unwrap();
            let seen = stub.seen().last().unwrap().clone();
            assert_eq!((seen.method.as_str(), seen.uri.as_str()), ($method, $uri));
            (r, seen)
        }};
    }
    expect!(SCHEMA_BODY, c.schema_by_id(4), "GET", "/schemas/ids/4");
    expect!(
        SCHEMA_BODY,
        c.schema_by_guid("89791762-2336-4186-9674-299b90a802e2"),
        "GET",
        "/schemas/guids/89791762-2336-4186-9674-299b90a802e2"
    );
    let (raw, _) = expect!(
        "\"int\"",
        c.raw_schema_by_id(4),
        "GET",
        "/schemas/ids/4/schema"
    );
    assert_eq!(raw, "\"int\"");
    expect!(
        r#"["a/b"]"#,
        c.subjects_for_id(4),
        "GET",
        "/schemas/ids/4/subjects"
    );
    let (v, _) = expect!(
        r#"[{"subject":"a/b","version":2}]"#,
        c.versions_for_id(4),
        "GET",
        "/schemas/ids/4/versions"
    );
    assert_eq!(v[0].version, 2);
    expect!(&format!("[{sv}]"), c.schemas(), "GET", "/schemas");
    expect!(r#"["a/b"]"#, c.subjects(), "GET", "/subjects");
    expect!(
        "[1,2]",
        c.versions("a/b"),
        "GET",
        "/subjects/a%2Fb/versions"
    );
    let (v, _) = expect!(
        sv,
        c.version("a/b", Version::Number(2)),
        "GET",
        "/subjects/a%2Fb/versions/2"
    );
    assert_eq!((v.id, v.references[0].subject.as_str()), (4, "x"));
    expect!(
        sv,
        c.version("a/b", Version::Latest),
        "GET",
        "/subjects/a%2Fb/versions/latest"
    );
    expect!(
        "\"int\"",
        c.raw_schema("a/b", Version::Latest),
        "GET",
        "/subjects/a%2Fb/versions/latest/schema"
    );
    expect!(
        "[9]",
        c.referenced_by("a/b", Version::Number(1)),
        "GET",
        "/subjects/a%2Fb/versions/1/referencedby"
    );
    let (id, seen) = expect!(
        r#"{"id":4}"#,
        c.register("a/b", &s.clone().into(), true),
        "POST",
        "/subjects/a%2Fb/versions?normalize=true"
    );
    assert_eq!(id, 4);
    assert_eq!(
        seen.headers["content-type"],
        "application/vnd.schemaregistry.v1+json"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&seen.body).unwrap(),
        serde_json::json!({"schema": "\"int\""})
    );
    assert_eq!(
        c.cached_schema(4).unwrap().schema,
        "\"int\"",
        "a registered schema is known by its id"
    );
    let (v, _) = expect!(
        sv,
        c.lookup("a/b", &s, false, true),
        "POST",
        "/subjects/a%2Fb?deleted=true"
    );
    assert_eq!(v.version, 2);
    expect!(
        "[1,2]",
        c.delete_subject("a/b", false),
        "DELETE",
        "/subjects/a%2Fb"
    );
    expect!(
        "[1,2]",
        c.delete_subject("a/b", true),
        "DELETE",
        "/subjects/a%2Fb?permanent=true"
    );
    expect!(
        "2",
        c.delete_version("a/b", Version::Number(2), true),
        "DELETE",
        "/subjects/a%2Fb/versions/2?permanent=true"
    );
    let (l, _) = expect!(
        r#"{"compatibilityLevel":"FULL"}"#,
        c.compatibility(None),
        "GET",
        "/config"
    );
    assert_eq!(l, CompatibilityLevel::Full);
    expect!(
        r#"{"compatibilityLevel":"NONE"}"#,
        c.compatibility(Some("a/b")),
        "GET",
        "/config/a%2Fb"
    );
    let (_, seen) = expect!(
        r#"{"compatibility":"BACKWARD_TRANSITIVE"}"#,
        c.set_compatibility(Some("a/b"), CompatibilityLevel::BackwardTransitive),
        "PUT",
        "/config/a%2Fb"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&seen.body).unwrap(),
        serde_json::json!({"compatibility": "BACKWARD_TRANSITIVE"})
    );
    expect!(
        r#"{"compatibility":"FULL"}"#,
        c.set_compatibility(None, CompatibilityLevel::Full),
        "PUT",
        "/config"
    );
    expect!(
        r#"{"compatibilityLevel":"FULL"}"#,
        c.delete_compatibility(Some("a/b")),
        "DELETE",
        "/config/a%2Fb"
    );
    expect!(
        r#"{"compatibilityLevel":"FULL"}"#,
        c.delete_compatibility(None),
        "DELETE",
        "/config"
    );
    let (m, _) = expect!(r#"{"mode":"READONLY"}"#, c.mode(None), "GET", "/mode");
    assert_eq!(m, Mode::ReadOnly);
    expect!(
        r#"{"mode":"IMPORT"}"#,
        c.mode(Some("a/b")),
        "GET",
        "/mode/a%2Fb"
    );
    let (_, seen) = expect!(
        r#"{"mode":"IMPORT"}"#,
        c.set_mode(Some("a/b"), Mode::Import, true),
        "PUT",
        "/mode/a%2Fb?force=true"
    );
    assert_eq!(seen.body, r#"{"mode":"IMPORT"}"#);
    expect!(
        r#"{"mode":"READWRITE"}"#,
        c.set_mode(None, Mode::ReadWrite, false),
        "PUT",
        "/mode"
    );
    let (r, _) = expect!(
        r#"{"is_compatible":false,"messages":["nope"]}"#,
        c.test_compatibility("a/b", Version::Latest, &s, true),
        "POST",
        "/compatibility/subjects/a%2Fb/versions/latest?verbose=true"
    );
    assert_eq!(
        (r.is_compatible, r.messages),
        (false, vec!["nope".to_owned()])
    );
}

#[tokio::test]
async fn invalid_configurations_are_refused() {
    for bad in [
        ClientConfig::default(),
        ClientConfig::new("ftp://x"),
        ClientConfig::new("http://x").ca_pem("not a pem"),
    ] {
        let e = Client::new(bad).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Config(_)), "{e:?}");
    }
}

#[tokio::test]
async fn references_are_fetched_recursively_over_http() {
    let stub = Stub::start().await;
    // Customer references Address (subject "addr", version 2), which references Country ("ctry", latest).
    let country = r#"{"type":"record","name":"Country","namespace":"geo","fields":[{"name":"code","type":"string"}]}"#;
    let address = r#"{"type":"record","name":"Address","namespace":"geo","fields":[{"name":"city","type":"string"},{"name":"country","type":"geo.Country"}]}"#;
    let customer = r#"{"type":"record","name":"Customer","fields":[{"name":"name","type":"string"},{"name":"address","type":"geo.Address"}]}"#;
    let body = |v: serde_json::Value| v.to_string();
    stub.then(answer(
        200,
        body(serde_json::json!({
            "schema": customer,
            "references": [{"name": "geo.Address", "subject": "addr", "version": 2}]
        })),
    ))
    .then(answer(
        200,
        body(serde_json::json!({
            "subject": "addr", "id": 2, "version": 2, "schema": address,
            "references": [{"name": "geo.Country", "subject": "ctry", "version": -1}]
        })),
    ))
    .then(answer(
        200,
        body(serde_json::json!({
            "subject": "ctry", "id": 1, "version": 1, "schema": country
        })),
    ));
    let client = Client::new(fast(&stub.url)).unwrap();
    let schema = client.schema_by_id(3).await.unwrap();
    let parsed = avro_registry::references::load_schema(&client, &schema, "id 3")
        .await
        .unwrap();
    let uris: Vec<String> = stub.seen().iter().map(|s| s.uri.clone()).collect();
    assert_eq!(
        uris,
        [
            "/schemas/ids/3",
            "/subjects/addr/versions/2",
            "/subjects/ctry/versions/latest"
        ]
    );
    let json = parsed.to_json();
    assert!(
        json.contains("\"code\"") && json.contains("\"city\""),
        "{json}"
    );

    // A reference the registry does not have: the registry's error, naming the subject.
    stub.then(answer(
        200,
        body(serde_json::json!({
            "schema": customer,
            "references": [{"name": "geo.Address", "subject": "gone", "version": 1}]
        })),
    ))
    .then(answer(
        404,
        r#"{"error_code":40401,"message":"Subject 'gone' not found."}"#,
    ));
    let schema = client.schema_by_id(4).await.unwrap();
    let e = avro_registry::references::load_schema(&client, &schema, "id 4")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::SubjectNotFound));
    assert!(e.to_string().contains("\"gone\""), "{e}");
}
