//! Typed reading of the TOML files avro-build owns (`avro.toml`,
//! `[package.metadata.avro]` in `Cargo.toml`, `avro.lock`) over toml's
//! spanned document (`toml::de::DeTable`): every error names the key and its
//! `file:line:column`, unknown keys are errors.
//!
//! Why not `#[derive(Deserialize)]`: avro-build runs in users' build
//! scripts, so its dependencies are part of every clean build. serde's
//! derive costs a proc-macro compile, and serde switches on a feature of
//! serde_core that the user's own (runtime) dependencies do not have, so
//! cargo compiled serde_core, serde_json and avro-schema twice, once for the
//! build script and once for the crate. Reading the few keys here by hand
//! took that out (README, "Known gaps": clean build).

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A problem in a TOML file: where (`file:line:column`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TomlError {
    /// The file, with the line and column when known.
    pub(crate) at: String,
    /// What is wrong, naming the key.
    pub(crate) message: String,
}

impl fmt::Display for TomlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// A parsed document and what its errors point into.
pub(crate) struct Doc<'i> {
    text: &'i str,
    file: &'i Path,
    root: Spanned<DeTable<'i>>,
}

impl<'i> Doc<'i> {
    /// Parses `text`, read from `file`.
    pub(crate) fn parse(text: &'i str, file: &'i Path) -> Result<Doc<'i>, TomlError> {
        let root = DeTable::parse(text).map_err(|e| TomlError {
            at: at(text, file, e.span()),
            message: e.message().trim_end().to_string(),
        })?;
        Ok(Doc { text, file, root })
    }

    /// The top-level table.
    pub(crate) fn root(&self) -> Table<'_, 'i> {
        Table {
            doc: self,
            name: String::new(),
            span: self.root.span(),
            entries: self.root.get_ref(),
        }
    }

    fn error(&self, span: Range<usize>, message: String) -> TomlError {
        TomlError {
            at: at(self.text, self.file, Some(span)),
            message,
        }
    }
}

/// `file:line:column` of `span`'s start (1-based), or the file alone.
fn at(text: &str, file: &Path, span: Option<Range<usize>>) -> String {
    let Some(span) = span else {
        return file.display().to_string();
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{}:{line}:{column}", file.display())
}

/// What a value is, for "expected X, found Y".
fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// One table of the document, named by its dotted key for messages.
pub(crate) struct Table<'d, 'i> {
    doc: &'d Doc<'i>,
    name: String,
    span: Range<usize>,
    entries: &'d DeTable<'i>,
}

/// One value of a table, with its dotted key.
pub(crate) struct Value<'d, 'i> {
    doc: &'d Doc<'i>,
    /// The dotted key, for messages.
    pub(crate) name: String,
    value: &'d Spanned<DeValue<'i>>,
}

impl<'d, 'i> Table<'d, 'i> {
    fn key(&self, key: &str) -> String {
        if self.name.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.name)
        }
    }

    /// An error pointing at the table itself.
    pub(crate) fn error(&self, message: String) -> TomlError {
        self.doc.error(self.span.clone(), message)
    }

    /// Fails on the first key not in `known` (serde's `deny_unknown_fields`).
    pub(crate) fn only(&self, known: &[&str]) -> Result<(), TomlError> {
        for (k, _) in self.entries.iter() {
            if !known.contains(&k.get_ref().as_ref()) {
                let where_ = if self.name.is_empty() {
                    "at the top level".to_string()
                } else {
                    format!("in [{}]", self.name)
                };
                return Err(self.doc.error(
                    k.span(),
                    format!(
                        "unknown key `{}` {where_}; expected one of: {}",
                        k.get_ref(),
                        known.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The value at `key`, if present.
    pub(crate) fn get(&self, key: &str) -> Option<Value<'d, 'i>> {
        self.entries.get(key).map(|value| Value {
            doc: self.doc,
            name: self.key(key),
            value,
        })
    }

    /// Every entry, in the file's key order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&'d str, Value<'d, 'i>)> + '_ {
        self.entries.iter().map(|(k, value)| {
            let k: &'d str = k.get_ref().as_ref();
            (
                k,
                Value {
                    doc: self.doc,
                    name: self.key(k),
                    value,
                },
            )
        })
    }

    /// A string at `key`, if present.
    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, TomlError> {
        self.get(key).map(|v| v.string()).transpose()
    }

    /// A path at `key`, if present.
    pub(crate) fn path(&self, key: &str) -> Result<Option<PathBuf>, TomlError> {
        Ok(self.string(key)?.map(PathBuf::from))
    }

    /// A boolean at `key`, if present.
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, TomlError> {
        self.get(key).map(|v| v.bool()).transpose()
    }

    /// A non-negative integer at `key` that fits `T`, if present.
    pub(crate) fn uint<T: TryFrom<u64>>(&self, key: &str) -> Result<Option<T>, TomlError> {
        self.get(key).map(|v| v.uint()).transpose()
    }

    /// The same, required.
    pub(crate) fn required_uint<T: TryFrom<u64>>(&self, key: &str) -> Result<T, TomlError> {
        self.uint(key)?.ok_or_else(|| self.missing(key))
    }

    /// A string, required.
    pub(crate) fn required_string(&self, key: &str) -> Result<String, TomlError> {
        self.string(key)?.ok_or_else(|| self.missing(key))
    }

    fn missing(&self, key: &str) -> TomlError {
        let where_ = if self.name.is_empty() {
            "at the top level".to_string()
        } else {
            format!("in [{}]", self.name)
        };
        self.error(format!("missing key `{key}` {where_}"))
    }

    /// An array of strings at `key`; empty when absent.
    pub(crate) fn strings(&self, key: &str) -> Result<Vec<String>, TomlError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(v) => v.array()?.iter().map(Value::string).collect(),
        }
    }

    /// An array of paths at `key`; empty when absent.
    pub(crate) fn paths(&self, key: &str) -> Result<Vec<PathBuf>, TomlError> {
        Ok(self.strings(key)?.into_iter().map(PathBuf::from).collect())
    }

    /// A table at `key`, if present.
    pub(crate) fn table(&self, key: &str) -> Result<Option<Table<'d, 'i>>, TomlError> {
        self.get(key).map(|v| v.table()).transpose()
    }

    /// An array of tables at `key` (`[[key]]`); empty when absent.
    pub(crate) fn tables(&self, key: &str) -> Result<Vec<Table<'d, 'i>>, TomlError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(v) => v.array()?.iter().map(Value::table).collect(),
        }
    }
}

impl<'d, 'i> Value<'d, 'i> {
    fn expected(&self, what: &str) -> TomlError {
        self.error(format!(
            "`{}`: expected {what}, found {}",
            self.name,
            kind(self.value.get_ref())
        ))
    }

    /// An error pointing at this value.
    pub(crate) fn error(&self, message: String) -> TomlError {
        self.doc.error(self.value.span(), message)
    }

    /// The value as a string.
    pub(crate) fn string(&self) -> Result<String, TomlError> {
        match self.value.get_ref() {
            DeValue::String(s) => Ok(s.to_string()),
            _ => Err(self.expected("a string")),
        }
    }

    /// The value as a boolean.
    pub(crate) fn bool(&self) -> Result<bool, TomlError> {
        match self.value.get_ref() {
            DeValue::Boolean(b) => Ok(*b),
            _ => Err(self.expected("a boolean (true or false)")),
        }
    }

    /// The value as a non-negative integer that fits `T`.
    pub(crate) fn uint<T: TryFrom<u64>>(&self) -> Result<T, TomlError> {
        let DeValue::Integer(i) = self.value.get_ref() else {
            return Err(self.expected("an integer"));
        };
        u64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .and_then(|n| T::try_from(n).ok())
            .ok_or_else(|| {
                self.error(format!(
                    "`{}` = {i}: out of range (a non-negative integer up to {})",
                    self.name,
                    std::any::type_name::<T>()
                ))
            })
    }

    /// Whether the value is an integer (and not a string, ...).
    pub(crate) fn is_integer(&self) -> bool {
        matches!(self.value.get_ref(), DeValue::Integer(_))
    }

    /// The value as an array.
    pub(crate) fn array(&self) -> Result<Vec<Value<'d, 'i>>, TomlError> {
        let DeValue::Array(items) = self.value.get_ref() else {
            return Err(self.expected("an array"));
        };
        Ok(items
            .iter()
            .enumerate()
            .map(|(n, value)| Value {
                doc: self.doc,
                name: format!("{}[{n}]", self.name),
                value,
            })
            .collect())
    }

    /// The value as a table.
    pub(crate) fn table(&self) -> Result<Table<'d, 'i>, TomlError> {
        let DeValue::Table(entries) = self.value.get_ref() else {
            return Err(self.expected("a table"));
        };
        Ok(Table {
            doc: self.doc,
            name: self.name.clone(),
            span: self.value.span(),
            entries,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Doc<'_> {
        Doc::parse(text, Path::new("avro.toml")).unwrap()
    }

    #[test]
    fn reads_typed_values_and_names_keys_and_lines_in_errors() {
        let text = "a = \"x\"\nn = 7\n\n[t]\nflag = true\nlist = [\"p\", \"q\"]\n\n[[many]]\nk = 1\n[[many]]\nk = 2\n";
        let d = doc(text);
        let root = d.root();
        assert_eq!(root.string("a").unwrap().as_deref(), Some("x"));
        assert_eq!(root.uint::<u32>("n").unwrap(), Some(7));
        assert_eq!(root.string("absent").unwrap(), None);
        let t = root.table("t").unwrap().unwrap();
        assert_eq!(t.bool("flag").unwrap(), Some(true));
        assert_eq!(t.strings("list").unwrap(), ["p", "q"]);
        let many = root.tables("many").unwrap();
        let ks: Vec<u32> = many.iter().map(|m| m.required_uint("k").unwrap()).collect();
        assert_eq!(ks, [1, 2]);

        let e = root.string("n").unwrap_err();
        assert_eq!(e.at, "avro.toml:2:5");
        assert_eq!(e.message, "`n`: expected a string, found an integer");
        let e = t.uint::<u32>("flag").unwrap_err();
        assert_eq!(
            e.to_string(),
            "avro.toml:5:8: `t.flag`: expected an integer, found a boolean"
        );
        let e = t.only(&["flag"]).unwrap_err();
        assert_eq!(e.at, "avro.toml:6:1");
        assert_eq!(
            e.message,
            "unknown key `list` in [t]; expected one of: flag"
        );
        let e = many[0].required_string("name").unwrap_err();
        assert_eq!(e.message, "missing key `name` in [many[0]]");
        assert!(root.only(&["a", "n", "t", "many"]).is_ok());
    }

    #[test]
    fn integers_out_of_range_and_syntax_errors_are_located() {
        let d = doc("big = 4294967296\nneg = -1\n");
        let e = d.root().uint::<u32>("big").unwrap_err();
        assert_eq!(e.at, "avro.toml:1:7");
        assert!(e.message.contains("out of range"), "{e}");
        assert!(d.root().uint::<u64>("neg").is_err());
        assert_eq!(d.root().uint::<u64>("big").unwrap(), Some(4294967296));

        let e = Doc::parse("ok = 1\nbad = = 2\n", Path::new("x.toml"))
            .err()
            .unwrap();
        assert!(e.at.starts_with("x.toml:2:"), "{e}");
    }
}
