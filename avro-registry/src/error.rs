//! The registry's errors: every documented Confluent `error_code` as a typed
//! [`ErrorCode`], the HTTP and transport failures around them, and the
//! [`Context`] (method, URL, subject, version) each error names. Credentials
//! never reach an error: they travel in headers, never in URLs, and URLs
//! given with `user:password@` are stripped of it before any request.

use std::fmt;
use std::time::Duration;

/// A documented Confluent Schema Registry error code (the `error_code` of an
/// error body), or [`ErrorCode::Other`] with the number for codes this
/// version does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// 40401: the subject does not exist.
    SubjectNotFound,
    /// 40402: the subject has no such version.
    VersionNotFound,
    /// 40403: no schema with that id (or GUID), or not registered under the subject.
    SchemaNotFound,
    /// 40404: the subject was soft-deleted (delete it with `permanent=true`).
    SubjectSoftDeleted,
    /// 40405: a permanent delete of a subject that was not soft-deleted first.
    SubjectNotSoftDeleted,
    /// 40406: the version was soft-deleted.
    SchemaVersionSoftDeleted,
    /// 40407: a permanent delete of a version that was not soft-deleted first.
    SchemaVersionNotSoftDeleted,
    /// 40408: the subject has no subject-level compatibility configured.
    SubjectCompatibilityNotConfigured,
    /// 40409: the subject has no subject-level mode configured.
    SubjectModeNotConfigured,
    /// 40410: no such association.
    AssociationNotFound,
    /// 409 (older registries) or 40901: the schema breaks the subject's compatibility level.
    IncompatibleSchema,
    /// 40902: too many associations.
    TooManyAssociations,
    /// 40903: an association of that type already exists for the resource.
    AssociationForResourceExists,
    /// 40904: an association already exists for the subject.
    AssociationForSubjectExists,
    /// 40905: a strong association already exists for the subject.
    StrongAssociationExists,
    /// 40907: the subject has no active (non-deleted) version.
    NoActiveSubjectVersion,
    /// 40908: the association is frozen.
    AssociationFrozen,
    /// 42201: the schema is invalid (does not parse, bad reference, ...).
    InvalidSchema,
    /// 42202: the version is invalid (not a positive integer or `latest`).
    InvalidVersion,
    /// 42203: the compatibility level is invalid.
    InvalidCompatibilityLevel,
    /// 42204: the mode is invalid.
    InvalidMode,
    /// 42205: the operation is not permitted (read-only mode, id given outside IMPORT mode, ...).
    OperationNotPermitted,
    /// 42206: the schema is still referenced by another one.
    ReferenceExists,
    /// 42207: the id given does not match the one registered.
    IdDoesNotMatch,
    /// 42208: the subject name is invalid.
    InvalidSubject,
    /// 42209: the schema is too large.
    SchemaTooLarge,
    /// 42210: the rule set is invalid.
    InvalidRuleset,
    /// 42211: the context is not empty.
    ContextNotEmpty,
    /// 42212: the association is invalid.
    InvalidAssociation,
    /// 42213: an association batch exceeded a configured limit.
    AssociationBatchLimitExceeded,
    /// 50001: error in the registry's backend store.
    StoreError,
    /// 50002: the operation timed out inside the registry.
    OperationTimeout,
    /// 50003: forwarding the request to the primary failed.
    RequestForwardingFailed,
    /// 50004: the registry does not know its leader.
    UnknownLeader,
    /// A code this client does not know, kept as the registry sent it.
    Other(i64),
}

const CODES: &[(i64, ErrorCode)] = &[
    (40401, ErrorCode::SubjectNotFound),
    (40402, ErrorCode::VersionNotFound),
    (40403, ErrorCode::SchemaNotFound),
    (40404, ErrorCode::SubjectSoftDeleted),
    (40405, ErrorCode::SubjectNotSoftDeleted),
    (40406, ErrorCode::SchemaVersionSoftDeleted),
    (40407, ErrorCode::SchemaVersionNotSoftDeleted),
    (40408, ErrorCode::SubjectCompatibilityNotConfigured),
    (40409, ErrorCode::SubjectModeNotConfigured),
    (40410, ErrorCode::AssociationNotFound),
    (40901, ErrorCode::IncompatibleSchema),
    (409, ErrorCode::IncompatibleSchema),
    (40902, ErrorCode::TooManyAssociations),
    (40903, ErrorCode::AssociationForResourceExists),
    (40904, ErrorCode::AssociationForSubjectExists),
    (40905, ErrorCode::StrongAssociationExists),
    (40907, ErrorCode::NoActiveSubjectVersion),
    (40908, ErrorCode::AssociationFrozen),
    (42201, ErrorCode::InvalidSchema),
    (42202, ErrorCode::InvalidVersion),
    (42203, ErrorCode::InvalidCompatibilityLevel),
    (42204, ErrorCode::InvalidMode),
    (42205, ErrorCode::OperationNotPermitted),
    (42206, ErrorCode::ReferenceExists),
    (42207, ErrorCode::IdDoesNotMatch),
    (42208, ErrorCode::InvalidSubject),
    (42209, ErrorCode::SchemaTooLarge),
    (42210, ErrorCode::InvalidRuleset),
    (42211, ErrorCode::ContextNotEmpty),
    (42212, ErrorCode::InvalidAssociation),
    (42213, ErrorCode::AssociationBatchLimitExceeded),
    (50001, ErrorCode::StoreError),
    (50002, ErrorCode::OperationTimeout),
    (50003, ErrorCode::RequestForwardingFailed),
    (50004, ErrorCode::UnknownLeader),
];

impl ErrorCode {
    /// The code for an `error_code` number (409 and 40901 are both
    /// [`ErrorCode::IncompatibleSchema`]).
    pub fn from_number(n: i64) -> ErrorCode {
        CODES
            .iter()
            .find(|(c, _)| *c == n)
            .map(|(_, code)| *code)
            .unwrap_or(ErrorCode::Other(n))
    }

    /// The number Confluent documents for this code (40901 for an incompatible schema).
    pub fn number(self) -> i64 {
        match self {
            ErrorCode::Other(n) => n,
            code => CODES
                .iter()
                .find(|(_, c)| *c == code)
                .map(|(n, _)| *n)
                .unwrap_or_default(),
        }
    }

    /// The HTTP status Confluent answers this code with.
    pub fn http_status(self) -> u16 {
        match self.number() {
            409 => 409,
            n if (40000..60000).contains(&n) => (n / 100) as u16,
            _ => 500,
        }
    }

    /// What the code means, in a few words.
    pub fn description(self) -> &'static str {
        use ErrorCode::*;
        match self {
            SubjectNotFound => "subject not found",
            VersionNotFound => "version not found",
            SchemaNotFound => "schema not found",
            SubjectSoftDeleted => "subject was soft-deleted",
            SubjectNotSoftDeleted => "subject was not soft-deleted first",
            SchemaVersionSoftDeleted => "schema version was soft-deleted",
            SchemaVersionNotSoftDeleted => "schema version was not soft-deleted first",
            SubjectCompatibilityNotConfigured => "subject has no compatibility level of its own",
            SubjectModeNotConfigured => "subject has no mode of its own",
            AssociationNotFound => "association not found",
            IncompatibleSchema => "incompatible schema",
            TooManyAssociations => "too many associations",
            AssociationForResourceExists => "association for the resource exists",
            AssociationForSubjectExists => "association for the subject exists",
            StrongAssociationExists => "strong association for the subject exists",
            NoActiveSubjectVersion => "no active subject version",
            AssociationFrozen => "association is frozen",
            InvalidSchema => "invalid schema",
            InvalidVersion => "invalid version",
            InvalidCompatibilityLevel => "invalid compatibility level",
            InvalidMode => "invalid mode",
            OperationNotPermitted => "operation not permitted",
            ReferenceExists => "schema is still referenced",
            IdDoesNotMatch => "id does not match",
            InvalidSubject => "invalid subject",
            SchemaTooLarge => "schema too large",
            InvalidRuleset => "invalid rule set",
            ContextNotEmpty => "context not empty",
            InvalidAssociation => "invalid association",
            AssociationBatchLimitExceeded => "association batch limit exceeded",
            StoreError => "error in the registry's backend store",
            OperationTimeout => "operation timed out in the registry",
            RequestForwardingFailed => "forwarding the request to the primary failed",
            UnknownLeader => "the registry does not know its leader",
            Other(_) => "unknown error code",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.description(), self.number())
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The registry answered with a Confluent error body `{"error_code", "message"}`.
    Api {
        /// The HTTP status.
        status: u16,
        /// The `error_code` as sent (409 and 40901 both mean an incompatible schema).
        error_code: i64,
        /// The typed code.
        code: ErrorCode,
        /// The registry's `message`.
        message: String,
    },
    /// HTTP 401: missing or wrong credentials.
    Unauthorized {
        /// The registry's message, if it sent one.
        message: String,
    },
    /// HTTP 403: the credentials may not do this.
    Forbidden {
        /// The registry's message, if it sent one.
        message: String,
    },
    /// HTTP 429, still refused after every retry.
    RateLimited {
        /// The `Retry-After` the registry asked for, if any.
        retry_after: Option<Duration>,
    },
    /// Another HTTP status without a Confluent error body.
    Status {
        /// The HTTP status.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// No connection could be made (refused, unreachable, DNS, TLS handshake).
    Connect(String),
    /// The request took longer than the configured timeout.
    Timeout(Duration),
    /// A successful answer whose body is not what the endpoint returns.
    MalformedBody {
        /// The HTTP status.
        status: u16,
        /// Why it could not be read.
        reason: String,
    },
    /// The client's configuration is invalid.
    Config(String),
    /// A schema the registry returned cannot be used (does not parse, its
    /// references cannot be resolved).
    Schema(String),
    /// Any other failure of the HTTP stack.
    Transport(String),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Api {
                status,
                error_code,
                code,
                message,
            } => write!(
                f,
                "HTTP {status}, error_code {error_code} ({}): {message}",
                code.description()
            ),
            ErrorKind::Unauthorized { message } => {
                write!(f, "HTTP 401 unauthorized (check the credentials)")?;
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            ErrorKind::Forbidden { message } => {
                write!(f, "HTTP 403 forbidden")?;
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            ErrorKind::RateLimited { retry_after } => {
                write!(f, "HTTP 429 too many requests, still after every retry")?;
                if let Some(d) = retry_after {
                    write!(f, " (Retry-After {}s)", d.as_secs())?;
                }
                Ok(())
            }
            ErrorKind::Status { status, body } => write!(f, "HTTP {status}: {body}"),
            ErrorKind::Connect(m) => write!(f, "cannot connect: {m}"),
            ErrorKind::Timeout(d) => write!(f, "no answer within {d:?}"),
            ErrorKind::MalformedBody { status, reason } => {
                write!(f, "HTTP {status} with a body that cannot be read: {reason}")
            }
            ErrorKind::Config(m) => write!(f, "invalid configuration: {m}"),
            ErrorKind::Schema(m) => write!(f, "unusable schema: {m}"),
            ErrorKind::Transport(m) => write!(f, "{m}"),
        }
    }
}

/// Where an error happened: the request, and the subject, version or id it was about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// `GET`, `POST`, `PUT`, `DELETE` (or the operation's name for the mock).
    pub method: &'static str,
    /// The URL, without credentials.
    pub url: String,
    /// The subject involved.
    pub subject: Option<String>,
    /// The version involved (`latest` or a number).
    pub version: Option<String>,
    /// The schema id or GUID involved.
    pub id: Option<String>,
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.url)?;
        let mut parts = Vec::new();
        if let Some(s) = &self.subject {
            parts.push(format!("subject {s:?}"));
        }
        if let Some(v) = &self.version {
            parts.push(format!("version {v}"));
        }
        if let Some(i) = &self.id {
            parts.push(format!("schema {i}"));
        }
        if !parts.is_empty() {
            write!(f, " ({})", parts.join(", "))?;
        }
        Ok(())
    }
}

/// An error of the registry client or the mock: what went wrong and where.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<(ErrorKind, Context)>);

impl Error {
    /// An error of `kind` in `context`.
    pub fn new(kind: ErrorKind, context: Context) -> Error {
        Error(Box::new((kind, context)))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0 .0
    }

    /// Where.
    pub fn context(&self) -> &Context {
        &self.0 .1
    }

    /// The Confluent error code, when the registry sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self.kind() {
            ErrorKind::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The HTTP status, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self.kind() {
            ErrorKind::Api { status, .. }
            | ErrorKind::Status { status, .. }
            | ErrorKind::MalformedBody { status, .. } => Some(*status),
            ErrorKind::Unauthorized { .. } => Some(401),
            ErrorKind::Forbidden { .. } => Some(403),
            ErrorKind::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// A 404-family answer: subject, version or schema not found (also soft-deleted ones).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", self.kind())
            .field("context", self.context())
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "schema registry {}: {}", self.context(), self.kind())
    }
}

impl std::error::Error for Error {}

/// The mock's and the stub's way to build a Confluent error body's error.
pub(crate) fn api(code: ErrorCode, message: impl Into<String>, context: Context) -> Error {
    Error::new(
        ErrorKind::Api {
            status: code.http_status(),
            error_code: code.number(),
            code,
            message: message.into(),
        },
        context,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_maps_both_ways() {
        for &(n, code) in CODES {
            assert_eq!(ErrorCode::from_number(n), code);
            if n != 409 {
                assert_eq!(code.number(), n);
            }
        }
        assert_eq!(ErrorCode::from_number(409), ErrorCode::IncompatibleSchema);
        assert_eq!(ErrorCode::from_number(12345), ErrorCode::Other(12345));
        assert_eq!(ErrorCode::Other(12345).number(), 12345);
        assert_eq!(ErrorCode::SubjectNotFound.http_status(), 404);
        assert_eq!(ErrorCode::IncompatibleSchema.http_status(), 409);
        assert_eq!(ErrorCode::InvalidSchema.http_status(), 422);
        assert_eq!(ErrorCode::StoreError.http_status(), 500);
    }
}
