//! How registry subcommands reach a Schema Registry: the shared clap options
//! (URL, basic or bearer credentials, a private CA, timeout, retries; each
//! with an environment variable), mapped onto `avro_registry::ClientConfig`;
//! a blocking client; and registry errors turned into messages that say what
//! to do. Credentials never reach an error message or `--help` (environment
//! values are hidden; URLs are shown without their user info).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use avro_registry::references::{load_schema, ParsedSchema};
use avro_registry::{blocking, ClientConfig, ErrorCode, ErrorKind, Schema};

/// Options of every subcommand that talks to a registry.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Schema Registry")]
pub struct RegistryArgs {
    /// The registry's URL; several, comma-separated, for failover.
    #[arg(
        long = "registry",
        visible_alias = "registry-url",
        env = "SCHEMA_REGISTRY_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub url: Option<String>,

    /// HTTP basic authentication, `USER:PASSWORD` (Confluent's
    /// `basic.auth.user.info`; on Confluent Cloud `API_KEY:API_SECRET`).
    #[arg(
        long,
        env = "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
        hide_env_values = true,
        value_name = "USER:PASSWORD",
        conflicts_with = "bearer_token"
    )]
    pub basic_auth: Option<String>,

    /// A bearer token (`Authorization: Bearer TOKEN`).
    #[arg(
        long,
        env = "SCHEMA_REGISTRY_BEARER_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub bearer_token: Option<String>,

    /// A PEM file of CA certificates to trust (a registry whose certificate
    /// a private CA signed).
    #[arg(long, env = "SCHEMA_REGISTRY_CA_LOCATION", value_name = "PEM")]
    pub ca_file: Option<PathBuf>,

    /// Seconds one request may take.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,

    /// How often a request that could not connect, timed out or got a 5xx
    /// is retried.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub retries: u32,
}

/// A connected blocking client and the URL(s) it was given (without
/// credentials), for messages.
pub struct Registry {
    pub client: blocking::Client,
    pub url: String,
}

/// `url` without `user:password@`.
pub fn redact(url: &str) -> String {
    url.split(',')
        .map(|u| {
            let u = u.trim();
            match u.split_once("://") {
                Some((scheme, rest)) => {
                    let end = rest.find('/').unwrap_or(rest.len());
                    match rest[..end].rsplit_once('@') {
                        Some((_, host)) => format!("{scheme}://{host}{}", &rest[end..]),
                        None => u.to_owned(),
                    }
                }
                None => u.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

impl RegistryArgs {
    /// The client configuration these options describe.
    pub fn config(&self) -> Result<ClientConfig> {
        let url = self
            .url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| {
                anyhow!(
                    "no schema registry URL: give --registry URL or set SCHEMA_REGISTRY_URL \
                     (e.g. http://localhost:8081)"
                )
            })?;
        for u in url.split(',').map(str::trim).filter(|u| !u.is_empty()) {
            if !(u.starts_with("http://") || u.starts_with("https://")) {
                anyhow::bail!(
                    "--registry {}: expected an http:// or https:// URL",
                    redact(u)
                );
            }
        }
        let mut c = ClientConfig::new(url)
            .request_timeout(Duration::from_secs(self.timeout.max(1)))
            .connect_timeout(Duration::from_secs(self.timeout.clamp(1, 10)))
            .retries(
                self.retries,
                Duration::from_millis(100),
                Duration::from_secs(2),
            );
        if let Some(info) = &self.basic_auth {
            let (user, password) = info.split_once(':').ok_or_else(|| {
                anyhow!("--basic-auth: expected USER:PASSWORD (the value is not shown)")
            })?;
            c = c.basic_auth(user, password);
        }
        if let Some(token) = &self.bearer_token {
            c = c.bearer_token(token);
        }
        if let Some(ca) = &self.ca_file {
            let pem = std::fs::read(ca)
                .with_context(|| format!("--ca-file: cannot read {}", ca.display()))?;
            c = c.ca_pem(pem);
        }
        Ok(c)
    }

    /// A blocking client for the registry.
    pub fn connect(&self) -> Result<Registry> {
        let config = self.config()?;
        let url = redact(self.url.as_deref().unwrap_or_default());
        let client = blocking::Client::new(config).map_err(explain)?;
        Ok(Registry { client, url })
    }
}

impl Registry {
    /// A registered schema fetched with its references and parsed; `what`
    /// names it in errors (`orders-value v3`, `schema id 7`).
    pub fn parse(&self, schema: &Schema, what: &str) -> Result<ParsedSchema> {
        self.client
            .runner()
            .run(load_schema(self.client.inner(), schema, what))
            .map_err(explain)?
            .map_err(explain)
    }
}

/// A schema named by a file or by its id in the registry: the arguments of
/// `canonical` and `fingerprint`.
#[derive(Debug, clap::Args)]
pub struct FileOrId {
    /// The schema file (.avsc, .avdl with a main schema, or .avpr/.avdl with --name).
    #[arg(required_unless_present = "id", conflicts_with = "id")]
    pub schema: Option<std::path::PathBuf>,

    /// A schema id in the registry instead of a file.
    #[arg(long, value_name = "ID")]
    pub id: Option<u32>,

    #[command(flatten)]
    pub schema_args: crate::input::SchemaArgs,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

impl FileOrId {
    /// The schema the arguments name: `(json key, label, schema)` with the
    /// key `"file"` or `"id"` for `--format json`.
    pub fn load(&self) -> Result<(&'static str, serde_json::Value, ParsedSchema)> {
        file_or_id(
            self.schema.as_deref(),
            self.id,
            &self.schema_args,
            &self.registry,
        )
    }
}

fn file_or_id(
    file: Option<&std::path::Path>,
    id: Option<u32>,
    schema_args: &crate::input::SchemaArgs,
    registry: &RegistryArgs,
) -> Result<(&'static str, serde_json::Value, ParsedSchema)> {
    match (file, id) {
        (Some(f), _) => {
            let (set, root) = crate::input::load_schema(f, schema_args)?;
            Ok((
                "file",
                f.display().to_string().into(),
                ParsedSchema { set, root },
            ))
        }
        (None, Some(id)) => {
            let reg = registry.connect()?;
            let s = reg.client.schema_by_id(id).map_err(explain)?;
            let parsed = reg.parse(&s, &format!("schema id {id}"))?;
            Ok(("id", id.into(), parsed))
        }
        (None, None) => anyhow::bail!("give a schema FILE or --id ID"),
    }
}

/// A registry error as a message that keeps the request, URL, subject and
/// version the client names, and adds what to do about it.
pub fn explain(e: avro_registry::Error) -> anyhow::Error {
    let ctx = e.context();
    let subject = ctx.subject.clone().unwrap_or_else(|| "SUBJECT".into());
    let help: Option<String> = match e.kind() {
        ErrorKind::Connect(_) => Some(
            "is a schema registry running there? Give its URL with --registry URL or \
             SCHEMA_REGISTRY_URL"
                .into(),
        ),
        ErrorKind::Timeout(_) => Some(
            "the registry did not answer in time: check the URL and the network, or raise \
             --timeout"
                .into(),
        ),
        ErrorKind::Unauthorized { .. } => Some(
            "give credentials with --basic-auth USER:PASSWORD or --bearer-token TOKEN \
             (or SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO / SCHEMA_REGISTRY_BEARER_TOKEN)"
                .into(),
        ),
        ErrorKind::Forbidden { .. } => Some("these credentials may not do this".into()),
        ErrorKind::Status {
            status: 404 | 405 | 501,
            ..
        } => Some(
            "the registry does not offer this endpoint (not every registry implements all of \
             Confluent's API)"
                .into(),
        ),
        ErrorKind::Config(_) => None,
        _ => match e.code() {
            Some(ErrorCode::SubjectNotFound) => {
                Some("list the registry's subjects with `cargo avro subjects`".into())
            }
            Some(ErrorCode::VersionNotFound) => Some(format!(
                "list the subject's versions with `cargo avro versions {subject}`"
            )),
            Some(ErrorCode::SchemaNotFound) => {
                Some("no schema has that id here: is this the registry that wrote it?".into())
            }
            Some(ErrorCode::IncompatibleSchema) => Some(format!(
                "see every problem with `cargo avro check FILE --subject {subject}`, or change \
                 the level with `cargo avro config {subject} --set LEVEL`"
            )),
            Some(ErrorCode::InvalidSchema) => Some(
                "the registry cannot parse the schema: a type registered under another subject \
                 needs --reference NAME=SUBJECT[:VERSION], and the registry must resolve \
                 references (not every registry does)"
                    .into(),
            ),
            Some(ErrorCode::OperationNotPermitted) => {
                Some("the registry or subject is read-only (its mode)".into())
            }
            _ => None,
        },
    };
    match help {
        Some(h) => anyhow!("{e}\n  help: {h}"),
        None => anyhow!("{e}"),
    }
}

/// What `--version` and `VERSION` arguments accept: a number from 1 or `latest`.
pub fn parse_version(s: &str) -> Result<avro_registry::Version, String> {
    if s.eq_ignore_ascii_case("latest") {
        return Ok(avro_registry::Version::Latest);
    }
    match s.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(avro_registry::Version::Number(n)),
        _ => Err(format!(
            "expected a version number from 1, or latest; got {s:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{redact, RegistryArgs};
    use avro_registry::Auth;
    use std::time::Duration;

    fn args(url: &str) -> RegistryArgs {
        RegistryArgs {
            url: Some(url.into()),
            basic_auth: None,
            bearer_token: None,
            ca_file: None,
            timeout: 7,
            retries: 4,
        }
    }

    #[test]
    fn options_map_onto_the_client_config() {
        let mut a = args("http://a:8081, https://b:8081/");
        a.basic_auth = Some("key:se:cret".into());
        let c = a.config().unwrap();
        assert_eq!(c.urls, ["http://a:8081", "https://b:8081"]);
        assert_eq!(
            c.auth,
            Auth::Basic {
                user: "key".into(),
                password: "se:cret".into()
            }
        );
        assert_eq!(c.request_timeout, Duration::from_secs(7));
        assert_eq!(c.connect_timeout, Duration::from_secs(7));
        assert_eq!(c.max_retries, 4);

        let mut b = args("http://a");
        b.bearer_token = Some("tok".into());
        let dir = std::env::temp_dir().join(format!("cargo-avro-ca-{}", std::process::id()));
        std::fs::write(&dir, b"-----BEGIN CERTIFICATE-----\n").unwrap();
        b.ca_file = Some(dir.clone());
        let c = b.config().unwrap();
        let _ = std::fs::remove_file(&dir);
        assert_eq!(
            c.auth,
            Auth::Bearer {
                token: "tok".into()
            }
        );
        assert_eq!(c.ca_pem, vec![b"-----BEGIN CERTIFICATE-----\n".to_vec()]);

        for bad in [
            args("localhost:8081"),
            args(" "),
            {
                let mut x = args("http://a");
                x.basic_auth = Some("nocolon".into());
                x
            },
            {
                let mut x = args("http://a");
                x.ca_file = Some("/no/such/ca.pem".into());
                x
            },
        ] {
            let e = bad.config().unwrap_err().to_string();
            assert!(!e.contains("nocolon"), "{e}");
        }
    }

    #[test]
    fn urls_lose_their_user_info() {
        assert_eq!(
            redact("https://key:secret@sr.example:8081/ctx, http://b:8081"),
            "https://sr.example:8081/ctx,http://b:8081"
        );
        assert_eq!(redact("http://a@b@host/x@y"), "http://host/x@y");
        assert_eq!(redact("localhost:8081"), "localhost:8081");
    }
}
