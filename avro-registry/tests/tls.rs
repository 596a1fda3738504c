//! TLS with a private CA: a registry whose certificate a custom CA signed
//! is trusted only when the client is given that CA (`ClientConfig::ca_pem`
//! or `ssl.ca.location`). The stub is a TLS listener on 127.0.0.1 answering
//! one fixed HTTP response. The certificates in tests/tls were made once with
//! openssl (P-256, valid 100 years; the CA's key was discarded):
//! a CA (`CN=avro-registry test CA`) and `server.pem` for `IP:127.0.0.1`.

use std::path::Path;
use std::sync::Arc;

use avro_registry::{Client, ClientConfig, ErrorKind, Registry};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn tls_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tls"))
}

/// Serves `["tls"]` to every request over TLS; returns the https URL.
async fn tls_stub() -> (String, tokio::task::JoinHandle<()>) {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(tls_dir().join("server.pem"))
            .unwrap()
            .map(|c| c.unwrap())
            .collect();
    let key = PrivateKeyDer::from_pem_file(tls_dir().join("server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    let task = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"["tls"]"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.schemaregistry.v1+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (url, task)
}

#[tokio::test]
async fn a_private_ca_is_trusted_only_when_given() {
    let (url, task) = tls_stub().await;
    let ca = std::fs::read(tls_dir().join("ca.pem")).unwrap();

    let trusting = Client::new(ClientConfig::new(&url).ca_pem(ca)).unwrap();
    assert_eq!(trusting.subjects().await.unwrap(), ["tls"]);

    let ca_path = tls_dir().join("ca.pem").display().to_string();
    let from_props = Client::new(
        ClientConfig::from_properties([
            ("schema.registry.url", url.as_str()),
            ("ssl.ca.location", ca_path.as_str()),
        ])
        .unwrap(),
    )
    .unwrap();
    assert_eq!(from_props.subjects().await.unwrap(), ["tls"]);

    let default_roots =
        Client::new(ClientConfig::new(&url).retries(0, Default::default(), Default::default()))
            .unwrap();
    let e = default_roots.subjects().await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Connect(_)), "{e:?}");
    assert!(e.to_string().to_lowercase().contains("certificate"), "{e}");
    task.abort();
}
