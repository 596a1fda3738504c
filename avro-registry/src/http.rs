//! One request to the registry, end to end: URL building, headers and
//! credentials, timeouts, retries with backoff and jitter (connection
//! errors, timeouts, 5xx and 429 only), failover across URLs, and turning
//! every answer that is not the expected JSON into a typed [`Error`].

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::config::{config_error, strip_user_info, Auth, ClientConfig};
use crate::error::{Context, Error, ErrorCode, ErrorKind};

/// The content type of the registry's API.
pub const CONTENT_TYPE_V1: &str = "application/vnd.schemaregistry.v1+json";
const ACCEPT_ALL: &str =
    "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
/// Larger answers are refused: no schema is this big, and a broken or
/// hostile server must not make the client allocate without bound.
const MAX_BODY: usize = 32 << 20;

/// Characters escaped in one path segment (a subject may hold `/`, `%`, `?`, spaces).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// Escapes one path segment.
pub(crate) fn segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// A request: method, path (segments already escaped), query and body, and
/// what it is about (for errors).
pub(crate) struct Request<'a> {
    pub method: Method,
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<serde_json::Value>,
    pub subject: Option<&'a str>,
    pub version: Option<String>,
    pub id: Option<String>,
}

impl<'a> Request<'a> {
    pub fn new(method: Method, path: String) -> Request<'a> {
        Request {
            method,
            path,
            query: Vec::new(),
            body: None,
            subject: None,
            version: None,
            id: None,
        }
    }
    pub fn subject(mut self, s: &'a str) -> Self {
        self.subject = Some(s);
        self
    }
    pub fn version(mut self, v: impl ToString) -> Self {
        self.version = Some(v.to_string());
        self
    }
    pub fn id(mut self, id: impl ToString) -> Self {
        self.id = Some(id.to_string());
        self
    }
    pub fn query(mut self, k: &'static str, v: impl ToString) -> Self {
        self.query.push((k, v.to_string()));
        self
    }
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }
}

/// The HTTP side of the client: shared by clones.
pub(crate) struct Transport {
    http: reqwest::Client,
    urls: Vec<String>,
    /// The URL that answered last: requests start there.
    current: AtomicUsize,
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    timeout: Duration,
}

/// How one attempt ended.
enum Attempt {
    Done(Result<(StatusCode, Vec<u8>), Error>),
    /// Worth another try (on the next URL): connection error, timeout, 5xx, 429.
    Retry(Error, Option<Duration>),
}

impl Transport {
    pub fn new(config: &ClientConfig) -> Result<Transport, Error> {
        if config.urls.is_empty() {
            return Err(config_error("no registry URL given"));
        }
        let mut auth = config.auth.clone();
        let mut urls = Vec::new();
        for u in &config.urls {
            let (url, info) = strip_user_info(u);
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(config_error(format!(
                    "registry URL {url} must start with http:// or https://"
                )));
            }
            if let (Some((user, password)), Auth::None) = (info, &auth) {
                auth = Auth::Basic { user, password };
            }
            urls.push(url.trim_end_matches('/').to_owned());
        }
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_ALL));
        let credential = match &auth {
            Auth::None => None,
            Auth::Basic { user, password } => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            )),
            Auth::Bearer { token } => Some(format!("Bearer {token}")),
        };
        if let Some(c) = credential {
            let mut v = HeaderValue::from_str(&c)
                .map_err(|_| config_error("credentials contain characters a header cannot hold"))?;
            v.set_sensitive(true);
            headers.insert(AUTHORIZATION, v);
        }
        for (k, v) in &config.headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| config_error(format!("invalid header name {k:?}")))?;
            let value = HeaderValue::from_str(v)
                .map_err(|_| config_error(format!("invalid value for header {k}")))?;
            headers.insert(name, value);
        }
        let mut builder = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            // Never send credentials to wherever a redirect points.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("avro-registry/", env!("CARGO_PKG_VERSION")));
        for pem in &config.ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| config_error(format!("CA certificate PEM: {e}")))?;
            if certs.is_empty() {
                return Err(config_error("CA certificate PEM holds no certificate"));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder
            .build()
            .map_err(|e| config_error(format!("HTTP client: {}", chain(&e))))?;
        Ok(Transport {
            http,
            urls,
            current: AtomicUsize::new(0),
            max_retries: config.max_retries,
            initial_backoff: config.initial_backoff,
            max_backoff: config.max_backoff,
            timeout: config.request_timeout,
        })
    }

    /// The configured base URLs (without credentials).
    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    /// Sends `req` and reads the answer as JSON of type `T`.
    pub async fn json<T: DeserializeOwned>(&self, req: Request<'_>) -> Result<T, Error> {
        self.json_ctx(req).await.map(|(v, _)| v)
    }

    /// [`Transport::json`], also returning where the answer came from.
    pub async fn json_ctx<T: DeserializeOwned>(
        &self,
        req: Request<'_>,
    ) -> Result<(T, Context), Error> {
        let (status, body, ctx) = self.send(req).await?;
        match serde_json::from_slice(&body) {
            Ok(v) => Ok((v, ctx)),
            Err(e) => Err(Error::new(
                ErrorKind::MalformedBody {
                    status: status.as_u16(),
                    reason: format!("{e}; body starts {:?}", snippet(&body)),
                },
                ctx,
            )),
        }
    }

    /// Sends `req` and returns the body as text (raw schema endpoints).
    pub async fn text(&self, req: Request<'_>) -> Result<String, Error> {
        let (status, body, ctx) = self.send(req).await?;
        String::from_utf8(body).map_err(|_| {
            Error::new(
                ErrorKind::MalformedBody {
                    status: status.as_u16(),
                    reason: "not UTF-8".into(),
                },
                ctx,
            )
        })
    }

    async fn send(&self, req: Request<'_>) -> Result<(StatusCode, Vec<u8>, Context), Error> {
        let n = self.urls.len();
        let start = self.current.load(Ordering::Relaxed) % n;
        let total = (self.max_retries as usize + 1) * n;
        let mut ctx = Context::default();
        for attempt in 0..total {
            let index = (start + attempt) % n;
            ctx = self.context(&req, index);
            match self.attempt(&req, &ctx).await {
                Attempt::Done(r) => {
                    if r.is_ok() {
                        self.current.store(index, Ordering::Relaxed);
                    }
                    return r.map(|(s, b)| (s, b, ctx));
                }
                Attempt::Retry(e, retry_after) => {
                    if attempt + 1 == total {
                        return Err(e);
                    }
                    // Another URL is tried at once; a full round of URLs
                    // that all failed waits before the next round.
                    if (attempt + 1) % n == 0 {
                        let round = (attempt / n) as u32;
                        tokio::time::sleep(self.backoff(round, retry_after)).await;
                    }
                }
            }
        }
        unreachable!("the loop returns on its last attempt (ctx {ctx})")
    }

    fn backoff(&self, round: u32, retry_after: Option<Duration>) -> Duration {
        let nominal = self
            .initial_backoff
            .saturating_mul(1u32.checked_shl(round.min(20)).unwrap_or(u32::MAX))
            .min(self.max_backoff);
        let jittered = nominal.mul_f64(0.5 + fastrand::f64() * 0.5);
        match retry_after {
            Some(r) => r.min(self.max_backoff).max(jittered),
            None => jittered,
        }
    }

    fn context(&self, req: &Request<'_>, index: usize) -> Context {
        let mut url = format!("{}{}", self.urls[index], req.path);
        for (i, (k, v)) in req.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(k);
            url.push('=');
            url.push_str(&segment(v));
        }
        Context {
            method: method_name(&req.method),
            url,
            subject: req.subject.map(str::to_owned),
            version: req.version.clone(),
            id: req.id.clone(),
        }
    }

    async fn attempt(&self, req: &Request<'_>, ctx: &Context) -> Attempt {
        let mut rb = self.http.request(req.method.clone(), &ctx.url);
        if let Some(body) = &req.body {
            rb = rb
                .header(CONTENT_TYPE, CONTENT_TYPE_V1)
                .body(body.to_string());
        }
        let resp = match rb.send().await {
            Ok(r) => r,
            Err(e) => return Attempt::Retry(self.transport_error(&e, ctx), None),
        };
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = match read_body(resp).await {
            Ok(b) => b,
            Err(BodyError::Transport(e)) => {
                return Attempt::Retry(self.transport_error(&e, ctx), None)
            }
            Err(BodyError::TooLarge) => {
                return Attempt::Done(Err(Error::new(
                    ErrorKind::MalformedBody {
                        status: status.as_u16(),
                        reason: format!("body larger than {MAX_BODY} bytes"),
                    },
                    ctx.clone(),
                )))
            }
        };
        if status.is_success() {
            return Attempt::Done(Ok((status, body)));
        }
        let err = status_error(status, &body, retry_after, ctx.clone());
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            Attempt::Retry(err, retry_after)
        } else {
            Attempt::Done(Err(err))
        }
    }

    fn transport_error(&self, e: &reqwest::Error, ctx: &Context) -> Error {
        let kind = if e.is_timeout() {
            ErrorKind::Timeout(self.timeout)
        } else if e.is_connect() {
            ErrorKind::Connect(chain(e))
        } else {
            ErrorKind::Transport(chain(e))
        };
        Error::new(kind, ctx.clone())
    }
}

enum BodyError {
    Transport(reqwest::Error),
    TooLarge,
}

async fn read_body(mut resp: reqwest::Response) -> Result<Vec<u8>, BodyError> {
    if resp.content_length().is_some_and(|n| n as usize > MAX_BODY) {
        return Err(BodyError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    error_code: i64,
    #[serde(default)]
    message: Option<String>,
}

/// The error for a non-2xx answer.
fn status_error(
    status: StatusCode,
    body: &[u8],
    retry_after: Option<Duration>,
    ctx: Context,
) -> Error {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let message = parsed
        .as_ref()
        .and_then(|b| b.message.clone())
        .unwrap_or_else(|| snippet(body));
    let kind = match status.as_u16() {
        401 => ErrorKind::Unauthorized { message },
        403 => ErrorKind::Forbidden { message },
        429 => ErrorKind::RateLimited { retry_after },
        s => match parsed {
            Some(b) => ErrorKind::Api {
                status: s,
                error_code: b.error_code,
                code: ErrorCode::from_number(b.error_code),
                message,
            },
            None => ErrorKind::Status {
                status: s,
                body: message,
            },
        },
    };
    Error::new(kind, ctx)
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
    if body.len() > 200 {
        format!("{text}...")
    } else {
        text
    }
}

/// The error and its causes, without URLs (reqwest's own messages carry them).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let text = match err.downcast_ref::<reqwest::Error>() {
            Some(r) if r.url().is_some() => {
                let mut s = r.to_string();
                if let Some(u) = r.url() {
                    s = s
                        .replace(&format!(" for url ({u})"), "")
                        .replace(u.as_str(), "<url>");
                }
                s
            }
            _ => err.to_string(),
        };
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        cur = err.source();
    }
    parts.join(": ")
}

fn method_name(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        _ => "HTTP",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_escaped_as_one_segment() {
        assert_eq!(segment("a/b c%?#"), "a%2Fb%20c%25%3F%23");
        assert_eq!(segment("orders-value"), "orders-value");
    }

    #[test]
    fn backoff_grows_with_jitter_and_caps() {
        let t = Transport::new(&ClientConfig::new("http://127.0.0.1:1").retries(
            5,
            Duration::from_millis(100),
            Duration::from_millis(350),
        ))
        .unwrap();
        for _ in 0..50 {
            let b0 = t.backoff(0, None);
            assert!(b0 >= Duration::from_millis(50) && b0 <= Duration::from_millis(100));
            let b3 = t.backoff(3, None);
            assert!(b3 >= Duration::from_millis(175) && b3 <= Duration::from_millis(350));
            assert_eq!(
                t.backoff(0, Some(Duration::from_secs(9))),
                Duration::from_millis(350)
            );
        }
    }
}
