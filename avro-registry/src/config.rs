//! How to reach a registry: URLs (several for failover), credentials, TLS,
//! timeouts, retries and cache sizes, set in code or read from the
//! Confluent-style properties users already have.

use std::fmt;
use std::time::Duration;

use crate::error::{Context, Error, ErrorKind};

/// Credentials sent with every request. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq, Default)]
pub enum Auth {
    /// No credentials.
    #[default]
    None,
    /// HTTP basic authentication (Confluent's `basic.auth.user.info` is `user:password`).
    Basic {
        /// The user (an API key on Confluent Cloud).
        user: String,
        /// The password (an API secret on Confluent Cloud).
        password: String,
    },
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// The token.
        token: String,
    },
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Basic { user, .. } => write!(f, "Basic {{ user: {user:?}, password: *** }}"),
            Auth::Bearer { .. } => f.write_str("Bearer { token: *** }"),
        }
    }
}

/// The client's configuration. Build it with [`ClientConfig::new`] and the
/// setters, or read it with [`ClientConfig::from_properties`].
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URLs, tried in order: a request that fails to connect, times out,
    /// or gets a 5xx or 429 moves on to the next one.
    pub urls: Vec<String>,
    /// Credentials.
    pub auth: Auth,
    /// Extra headers sent with every request (e.g. Confluent Cloud's
    /// `target-sr-cluster`).
    pub headers: Vec<(String, String)>,
    /// PEM certificates of extra certificate authorities to trust (for a
    /// registry whose certificate a private CA signed).
    pub ca_pem: Vec<Vec<u8>>,
    /// How long one request may take, connection included.
    pub request_timeout: Duration,
    /// How long connecting may take.
    pub connect_timeout: Duration,
    /// How many times a failed request is retried (connection errors,
    /// timeouts, 5xx and 429 only; never another 4xx).
    pub max_retries: u32,
    /// The first wait between retries; it doubles each time, up to `max_backoff`,
    /// with random jitter (each wait is 50-100% of the nominal one).
    pub initial_backoff: Duration,
    /// The longest wait between retries.
    pub max_backoff: Duration,
    /// How many entries each cache keeps.
    pub cache_capacity: usize,
    /// How long the latest version of a subject is cached (`None`: until the
    /// subject is deleted through this client).
    pub latest_ttl: Option<Duration>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            urls: Vec::new(),
            auth: Auth::None,
            headers: Vec::new(),
            ca_pem: Vec::new(),
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            cache_capacity: 1000,
            latest_ttl: Some(Duration::from_secs(60)),
        }
    }
}

impl ClientConfig {
    /// A configuration for one or more URLs (`"http://a:8081,http://b:8081"` works too).
    pub fn new(urls: impl AsRef<str>) -> ClientConfig {
        ClientConfig {
            urls: split_urls(urls.as_ref()),
            ..ClientConfig::default()
        }
    }

    /// Basic authentication.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.auth = Auth::Basic {
            user: user.into(),
            password: password.into(),
        };
        self
    }

    /// A bearer token.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::Bearer {
            token: token.into(),
        };
        self
    }

    /// Trusts the CA certificates of a PEM file's content.
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pem.push(pem.into());
        self
    }

    /// An extra header for every request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The request timeout.
    pub fn request_timeout(mut self, t: Duration) -> Self {
        self.request_timeout = t;
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = t;
        self
    }

    /// Retries and their backoff.
    pub fn retries(mut self, max_retries: u32, initial: Duration, max: Duration) -> Self {
        self.max_retries = max_retries;
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// Cache capacity and the time the latest version of a subject is cached.
    pub fn cache(mut self, capacity: usize, latest_ttl: Option<Duration>) -> Self {
        self.cache_capacity = capacity;
        self.latest_ttl = latest_ttl;
        self
    }

    /// Reads the properties Confluent's clients take (keys with or without
    /// the `schema.registry.` prefix; other keys, e.g. Kafka's own, are ignored):
    ///
    /// | key | meaning |
    /// |---|---|
    /// | `schema.registry.url` | one URL or several, comma-separated |
    /// | `basic.auth.credentials.source` | `USER_INFO` (default) or `URL` (`http://user:password@host`) |
    /// | `basic.auth.user.info` | `user:password` |
    /// | `bearer.auth.credentials.source` | `STATIC_TOKEN` (the only one supported) |
    /// | `bearer.auth.token` | the token |
    /// | `bearer.auth.logical.cluster`, `bearer.auth.identity.pool.id` | sent as `target-sr-cluster`, `Confluent-Identity-Pool-Id` |
    /// | `ssl.ca.location` | a PEM file of CA certificates to trust |
    /// | `request.timeout.ms`, `connect.timeout.ms` | timeouts |
    /// | `max.retries`, `retries.wait.ms`, `retries.max.wait.ms` | retries |
    /// | `cache.capacity`, `cache.latest.ttl.sec` (or `latest.cache.ttl.sec`; `-1`: no expiry) | caches |
    pub fn from_properties<I, K, V>(props: I) -> Result<ClientConfig, Error>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut c = ClientConfig::default();
        let mut user_info = None;
        let mut basic_source = "USER_INFO".to_owned();
        let mut bearer_source = None;
        let mut token = None;
        let mut found_url = false;
        for (k, v) in props {
            let (k, v) = (k.as_ref(), v.as_ref().trim());
            let key = k.strip_prefix("schema.registry.").unwrap_or(k);
            let ms = |v: &str| -> Result<Duration, Error> {
                v.parse::<u64>()
                    .map(Duration::from_millis)
                    .map_err(|_| config_error(format!("{k}: expected milliseconds, got {v:?}")))
            };
            match key {
                "url" => {
                    c.urls = split_urls(v);
                    found_url = true;
                }
                "basic.auth.credentials.source" => basic_source = v.to_ascii_uppercase(),
                "basic.auth.user.info" => user_info = Some(v.to_owned()),
                "bearer.auth.credentials.source" => bearer_source = Some(v.to_ascii_uppercase()),
                "bearer.auth.token" => token = Some(v.to_owned()),
                "bearer.auth.logical.cluster" => {
                    c.headers.push(("target-sr-cluster".into(), v.into()))
                }
                "bearer.auth.identity.pool.id" => c
                    .headers
                    .push(("Confluent-Identity-Pool-Id".into(), v.into())),
                "ssl.ca.location" => {
                    let pem = std::fs::read(v)
                        .map_err(|e| config_error(format!("{k}: cannot read {v}: {e}")))?;
                    c.ca_pem.push(pem);
                }
                "request.timeout.ms" => c.request_timeout = ms(v)?,
                "connect.timeout.ms" => c.connect_timeout = ms(v)?,
                "max.retries" => {
                    c.max_retries = v
                        .parse()
                        .map_err(|_| config_error(format!("{k}: expected a count, got {v:?}")))?
                }
                "retries.wait.ms" => c.initial_backoff = ms(v)?,
                "retries.max.wait.ms" => c.max_backoff = ms(v)?,
                "cache.capacity" => {
                    c.cache_capacity = v
                        .parse()
                        .map_err(|_| config_error(format!("{k}: expected a count, got {v:?}")))?
                }
                "cache.latest.ttl.sec" | "latest.cache.ttl.sec" => {
                    let secs: i64 = v
                        .parse()
                        .map_err(|_| config_error(format!("{k}: expected seconds, got {v:?}")))?;
                    c.latest_ttl = (secs >= 0).then(|| Duration::from_secs(secs as u64));
                }
                _ => {}
            }
        }
        if !found_url {
            return Err(config_error("schema.registry.url is missing"));
        }
        match bearer_source.as_deref() {
            None if token.is_some() => {}
            None => {}
            Some("STATIC_TOKEN") => {}
            Some(other) => {
                return Err(config_error(format!(
                    "bearer.auth.credentials.source {other} is not supported (only STATIC_TOKEN)"
                )))
            }
        }
        if let Some(token) = token {
            c.auth = Auth::Bearer { token };
        } else if bearer_source.is_some() {
            return Err(config_error(
                "bearer.auth.credentials.source is set but bearer.auth.token is missing",
            ));
        }
        match basic_source.as_str() {
            "USER_INFO" => {
                if let Some(info) = user_info {
                    if c.auth != Auth::None {
                        return Err(config_error(
                            "both basic.auth.user.info and bearer.auth.token are set",
                        ));
                    }
                    let (user, password) = info.split_once(':').ok_or_else(|| {
                        config_error("basic.auth.user.info must be user:password")
                    })?;
                    c.auth = Auth::Basic {
                        user: user.into(),
                        password: password.into(),
                    };
                }
            }
            "URL" => {} // taken from the URLs' user info when the client is built
            other => {
                return Err(config_error(format!(
                    "basic.auth.credentials.source {other} is not supported (USER_INFO or URL)"
                )))
            }
        }
        Ok(c)
    }
}

fn split_urls(s: &str) -> Vec<String> {
    s.split(',')
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .filter(|u| !u.is_empty())
        .collect()
}

/// Splits `http://user:password@host:port/path` into the URL without user
/// info and the credentials, if any.
pub(crate) fn strip_user_info(url: &str) -> (String, Option<(String, String)>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((info, host)) => {
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            let (user, password) = info.split_once(':').unwrap_or((info, ""));
            (
                format!("{scheme}://{host}{path}"),
                Some((decode(user), decode(password))),
            )
        }
        None => (url.to_owned(), None),
    }
}

pub(crate) fn config_error(msg: impl Into<String>) -> Error {
    Error::new(
        ErrorKind::Config(msg.into()),
        Context {
            method: "CONFIG",
            ..Context::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_as_confluent_clients_take_them() {
        let c = ClientConfig::from_properties([
            ("schema.registry.url", "http://a:8081, http://b:8081/"),
            ("basic.auth.user.info", "key:se:cret"),
            ("bootstrap.servers", "ignored:9092"),
            ("schema.registry.request.timeout.ms", "1500"),
            ("max.retries", "5"),
            ("cache.latest.ttl.sec", "-1"),
        ])
        .unwrap();
        assert_eq!(c.urls, ["http://a:8081", "http://b:8081"]);
        assert_eq!(
            c.auth,
            Auth::Basic {
                user: "key".into(),
                password: "se:cret".into()
            }
        );
        assert_eq!(c.request_timeout, Duration::from_millis(1500));
        assert_eq!(c.max_retries, 5);
        assert_eq!(c.latest_ttl, None);
        assert!(!format!("{c:?}").contains("se:cret"));

        let b = ClientConfig::from_properties([
            ("schema.registry.url", "https://x"),
            ("bearer.auth.credentials.source", "STATIC_TOKEN"),
            ("bearer.auth.token", "tok"),
            ("bearer.auth.logical.cluster", "lsrc-1"),
        ])
        .unwrap();
        assert_eq!(
            b.auth,
            Auth::Bearer {
                token: "tok".into()
            }
        );
        assert_eq!(b.headers[0], ("target-sr-cluster".into(), "lsrc-1".into()));
        assert!(!format!("{b:?}").contains("tok\""));

        for bad in [
            vec![("basic.auth.user.info", "a:b")],
            vec![("schema.registry.url", "http://x"), ("max.retries", "many")],
            vec![
                ("schema.registry.url", "http://x"),
                ("basic.auth.user.info", "nocolon"),
            ],
            vec![
                ("schema.registry.url", "http://x"),
                ("bearer.auth.credentials.source", "OAUTHBEARER"),
            ],
        ] {
            let e = ClientConfig::from_properties(bad).unwrap_err();
            assert!(matches!(e.kind(), ErrorKind::Config(_)), "{e}");
        }
    }

    #[test]
    fn user_info_is_taken_out_of_urls() {
        assert_eq!(
            strip_user_info("https://us%40er:p%3Ass@host:8081/ctx"),
            (
                "https://host:8081/ctx".into(),
                Some(("us@er".into(), "p:ss".into()))
            )
        );
        assert_eq!(strip_user_info("http://host"), ("http://host".into(), None));
    }
}
