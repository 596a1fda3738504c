//! Known writer schemas (issue 13): [`Config::known_writer`] declares a
//! writer schema a reader type will meet (a locked registry version, an
//! older release's schema), so that the generated code has a decoder
//! specialized to it, picked by writer fingerprint before the plan-driven
//! resolved decoder.

use crate::Config;

impl Config {
    /// Declares `writer_schema` (schema JSON text) as a known writer of the
    /// generated type whose Avro full name is `reader_full_name`. The type
    /// gets a straight-line decoder for data written with it, which
    /// `avro_runtime::resolve::decode_with_plan` (and so `Resolver` and the
    /// registry's deserializer) uses when the writer's fingerprint matches.
    /// A writer the reader cannot read fails the build; a shape the
    /// generator does not specialize is read through the plan, as any
    /// unknown writer is, and named in the generated `known_writer` docs.
    pub fn known_writer(
        &mut self,
        reader_full_name: impl Into<String>,
        writer_schema: impl Into<String>,
    ) -> &mut Self {
        self.options
            .known_writers
            .push((reader_full_name.into(), writer_schema.into()));
        self
    }
}
