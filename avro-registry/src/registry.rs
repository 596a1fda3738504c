//! The [`Registry`] trait: the Schema Registry REST API as async methods,
//! implemented by the HTTP [`Client`](crate::Client) and by the in-memory
//! [`MockRegistry`](crate::MockRegistry), so serializers, deserializers and
//! users' code run on either.

use std::future::Future;

use crate::error::Error;
use crate::types::{
    CompatibilityLevel, CompatibilityResult, Mode, RegisterRequest, Schema, SubjectVersion,
    SubjectVersionRef, Version,
};

/// A Confluent-compatible schema registry. Each method is one endpoint;
/// the HTTP path is in its documentation.
pub trait Registry: Send + Sync {
    /// `GET /schemas/ids/{id}`.
    fn schema_by_id(&self, id: u32) -> impl Future<Output = Result<Schema, Error>> + Send;
    /// `GET /schemas/guids/{guid}`.
    fn schema_by_guid(&self, guid: &str) -> impl Future<Output = Result<Schema, Error>> + Send;
    /// `GET /schemas/ids/{id}/schema`: the schema text alone.
    fn raw_schema_by_id(&self, id: u32) -> impl Future<Output = Result<String, Error>> + Send;
    /// `GET /schemas/ids/{id}/subjects`.
    fn subjects_for_id(&self, id: u32) -> impl Future<Output = Result<Vec<String>, Error>> + Send;
    /// `GET /schemas/ids/{id}/versions`.
    fn versions_for_id(
        &self,
        id: u32,
    ) -> impl Future<Output = Result<Vec<SubjectVersionRef>, Error>> + Send;
    /// `GET /schemas`: every registered version.
    fn schemas(&self) -> impl Future<Output = Result<Vec<SubjectVersion>, Error>> + Send;
    /// `GET /subjects`.
    fn subjects(&self) -> impl Future<Output = Result<Vec<String>, Error>> + Send;
    /// `GET /subjects/{s}/versions`.
    fn versions(&self, subject: &str) -> impl Future<Output = Result<Vec<u32>, Error>> + Send;
    /// `GET /subjects/{s}/versions/{v}`.
    fn version(
        &self,
        subject: &str,
        version: Version,
    ) -> impl Future<Output = Result<SubjectVersion, Error>> + Send;
    /// `GET /subjects/{s}/versions/{v}/schema`: the schema text alone.
    fn raw_schema(
        &self,
        subject: &str,
        version: Version,
    ) -> impl Future<Output = Result<String, Error>> + Send;
    /// `GET /subjects/{s}/versions/{v}/referencedby`: ids of the schemas using this one.
    fn referenced_by(
        &self,
        subject: &str,
        version: Version,
    ) -> impl Future<Output = Result<Vec<u32>, Error>> + Send;
    /// `POST /subjects/{s}/versions?normalize=`: registers (or finds) the
    /// schema; returns its id.
    fn register(
        &self,
        subject: &str,
        request: &RegisterRequest,
        normalize: bool,
    ) -> impl Future<Output = Result<u32, Error>> + Send;
    /// `POST /subjects/{s}?normalize=&deleted=`: is this schema registered
    /// under the subject? Its id and version.
    fn lookup(
        &self,
        subject: &str,
        schema: &Schema,
        normalize: bool,
        deleted: bool,
    ) -> impl Future<Output = Result<SubjectVersion, Error>> + Send;
    /// `DELETE /subjects/{s}?permanent=`: the versions deleted.
    fn delete_subject(
        &self,
        subject: &str,
        permanent: bool,
    ) -> impl Future<Output = Result<Vec<u32>, Error>> + Send;
    /// `DELETE /subjects/{s}/versions/{v}?permanent=`: the version deleted.
    fn delete_version(
        &self,
        subject: &str,
        version: Version,
        permanent: bool,
    ) -> impl Future<Output = Result<u32, Error>> + Send;
    /// `GET /config` (`None`) or `GET /config/{s}` (the subject's own level; 40408 when it has none).
    fn compatibility(
        &self,
        subject: Option<&str>,
    ) -> impl Future<Output = Result<CompatibilityLevel, Error>> + Send;
    /// `PUT /config` or `PUT /config/{s}`.
    fn set_compatibility(
        &self,
        subject: Option<&str>,
        level: CompatibilityLevel,
    ) -> impl Future<Output = Result<CompatibilityLevel, Error>> + Send;
    /// `DELETE /config` or `DELETE /config/{s}`: back to the default; returns the level removed.
    fn delete_compatibility(
        &self,
        subject: Option<&str>,
    ) -> impl Future<Output = Result<CompatibilityLevel, Error>> + Send;
    /// `GET /mode` or `GET /mode/{s}` (40409 when the subject has no mode of its own).
    fn mode(&self, subject: Option<&str>) -> impl Future<Output = Result<Mode, Error>> + Send;
    /// `PUT /mode` or `PUT /mode/{s}` (`force=true` allows IMPORT on a non-empty registry).
    fn set_mode(
        &self,
        subject: Option<&str>,
        mode: Mode,
        force: bool,
    ) -> impl Future<Output = Result<Mode, Error>> + Send;
    /// `POST /compatibility/subjects/{s}/versions/{v}?verbose=`.
    fn test_compatibility(
        &self,
        subject: &str,
        version: Version,
        schema: &Schema,
        verbose: bool,
    ) -> impl Future<Output = Result<CompatibilityResult, Error>> + Send;
}
