//! Compatibility levels in Confluent Schema Registry semantics, on top of
//! [`resolve`].
//!
//! BACKWARD: the new schema reads data written with the latest previous one.
//! FORWARD: the latest previous schema reads data written with the new one.
//! FULL: both. `*_TRANSITIVE`: against every previous schema, not just the
//! latest. NONE: anything goes.
//!
//! [`check_report`] adds warnings beyond the registry's checker: changes
//! that keep the bytes readable but change what they mean (a decimal's scale
//! or precision, a time or timestamp unit, a logical type added or dropped,
//! local-timestamp ↔ timestamp). A decimal whose scale changed still reads,
//! and every value is off by a power of ten. Warnings are not
//! incompatibilities, so verdicts keep agreeing with the registry.

use std::fmt;
use std::str::FromStr;

use std::collections::{HashMap, HashSet};

use crate::resolve::{resolve, Incompatibility};
use crate::schema::{Logical, NamedKind, Schema, SchemaError, SchemaSet, TypeId};

/// A Schema Registry compatibility level: which earlier versions a new
/// schema is checked against, and in which direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompatibilityLevel {
    /// The new schema reads data of the latest previous version (the
    /// registry's default: consumers upgrade first).
    Backward,
    /// The new schema reads data of every previous version.
    BackwardTransitive,
    /// Data of the new schema is readable by the latest previous version
    /// (producers upgrade first).
    Forward,
    /// Data of the new schema is readable by every previous version.
    ForwardTransitive,
    /// Backward and forward against the latest previous version.
    Full,
    /// Backward and forward against every previous version.
    FullTransitive,
    /// No check: any schema is accepted.
    None,
}

impl CompatibilityLevel {
    /// The registry's spelling (`BACKWARD_TRANSITIVE`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            CompatibilityLevel::Backward => "BACKWARD",
            CompatibilityLevel::BackwardTransitive => "BACKWARD_TRANSITIVE",
            CompatibilityLevel::Forward => "FORWARD",
            CompatibilityLevel::ForwardTransitive => "FORWARD_TRANSITIVE",
            CompatibilityLevel::Full => "FULL",
            CompatibilityLevel::FullTransitive => "FULL_TRANSITIVE",
            CompatibilityLevel::None => "NONE",
        }
    }

    fn directions(self) -> (bool, bool, bool) {
        // (new reads old, old reads new, transitive)
        use CompatibilityLevel::*;
        match self {
            Backward => (true, false, false),
            BackwardTransitive => (true, false, true),
            Forward => (false, true, false),
            ForwardTransitive => (false, true, true),
            Full => (true, true, false),
            FullTransitive => (true, true, true),
            None => (false, false, false),
        }
    }
}

impl fmt::Display for CompatibilityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CompatibilityLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        use CompatibilityLevel::*;
        Ok(match s.to_ascii_uppercase().as_str() {
            "BACKWARD" => Backward,
            "BACKWARD_TRANSITIVE" => BackwardTransitive,
            "FORWARD" => Forward,
            "FORWARD_TRANSITIVE" => ForwardTransitive,
            "FULL" => Full,
            "FULL_TRANSITIVE" => FullTransitive,
            "NONE" => None,
            other => {
                return Err(format!(
                    "unknown compatibility level {other:?} (expected BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE or NONE)"
                ))
            }
        })
    }
}

/// Which way a check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The new schema reading data written with a previous one.
    NewReadsPrevious,
    /// A previous schema reading data written with the new one.
    PreviousReadsNew,
}

/// One problem: against which previous version (index into `previous`,
/// oldest first), in which direction, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Index into `previous` (0 = oldest) of the version it breaks.
    pub version_index: usize,
    /// Which schema reads which.
    pub direction: Direction,
    /// What does not resolve, and where in the reading schema.
    pub incompatibility: Incompatibility,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = match self.direction {
            Direction::NewReadsPrevious => "the new schema cannot read data of",
            Direction::PreviousReadsNew => "data of the new schema cannot be read by",
        };
        write!(
            f,
            "{dir} previous schema #{}: {}",
            self.version_index + 1,
            self.incompatibility
        )
    }
}

/// A change that keeps data readable but changes its meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Index into `previous` (0 = oldest) of the version concerned.
    pub version_index: usize,
    /// Which schema reads which.
    pub direction: Direction,
    /// Path in the reading schema, e.g. `/fields/2/type`.
    pub location: String,
    /// What changes meaning (e.g. a decimal's scale).
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = if self.location.is_empty() {
            "/"
        } else {
            &self.location
        };
        let dir = match self.direction {
            Direction::NewReadsPrevious => "the new schema reading data of",
            Direction::PreviousReadsNew => "data of the new schema read by",
        };
        write!(
            f,
            "warning: {dir} previous schema #{} at {loc}: {}",
            self.version_index + 1,
            self.message
        )
    }
}

/// Problems (the verdict) and warnings (meaning changes) of a check.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// Every incompatibility; empty means compatible.
    pub problems: Vec<Problem>,
    /// Changes that keep data readable but change its meaning.
    pub warnings: Vec<Warning>,
}

/// Checks `new` against `previous` (oldest first) at `level`; returns every
/// problem (empty: compatible).
pub fn check(
    level: CompatibilityLevel,
    new: &str,
    previous: &[&str],
) -> Result<Vec<Problem>, SchemaError> {
    check_report(level, new, previous).map(|r| r.problems)
}

/// [`check`], plus warnings for changes that keep data readable but change
/// its meaning (see the module documentation).
pub fn check_report(
    level: CompatibilityLevel,
    new: &str,
    previous: &[&str],
) -> Result<Report, SchemaError> {
    let new = SchemaSet::parse_str(new)?;
    let previous = previous
        .iter()
        .map(|p| SchemaSet::parse_str(p))
        .collect::<Result<Vec<_>, _>>()?;
    let previous: Vec<(&SchemaSet, &Schema)> = previous.iter().map(|(s, r)| (s, r)).collect();
    Ok(check_schemas(level, (&new.0, &new.1), &previous))
}

/// [`check_report`] for schemas already parsed (each a schema of its set, so
/// they may come from several files or be a named type of a protocol).
pub fn check_schemas(
    level: CompatibilityLevel,
    new: (&SchemaSet, &Schema),
    previous: &[(&SchemaSet, &Schema)],
) -> Report {
    let (new_reads_old, old_reads_new, transitive) = level.directions();
    let (nset, nroot) = new;
    let first = if transitive {
        0
    } else {
        previous.len().saturating_sub(1)
    };
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    if level == CompatibilityLevel::None {
        return Report::default();
    }
    for (i, (pset, proot)) in previous.iter().enumerate().skip(first) {
        let (pset, proot): (&SchemaSet, &Schema) = (pset, proot);
        let mut warn = |direction, found: Vec<(String, String)>| {
            warnings.extend(found.into_iter().map(|(location, message)| Warning {
                version_index: i,
                direction,
                location,
                message,
            }))
        };
        if new_reads_old {
            warn(
                Direction::NewReadsPrevious,
                meaning_changes(pset, proot, nset, nroot),
            );
        }
        if old_reads_new {
            warn(
                Direction::PreviousReadsNew,
                meaning_changes(nset, nroot, pset, proot),
            );
        }
        if new_reads_old {
            if let Err(errs) = resolve(pset, proot, nset, nroot) {
                problems.extend(errs.into_iter().map(|incompatibility| Problem {
                    version_index: i,
                    direction: Direction::NewReadsPrevious,
                    incompatibility,
                }));
            }
        }
        if old_reads_new {
            if let Err(errs) = resolve(nset, nroot, pset, proot) {
                problems.extend(errs.into_iter().map(|incompatibility| Problem {
                    version_index: i,
                    direction: Direction::PreviousReadsNew,
                    incompatibility,
                }));
            }
        }
    }
    Report { problems, warnings }
}

/// Where reading `w`'s data as `r` keeps the bytes but changes their
/// meaning: (location in the reader schema, message), following the
/// resolution's matching (fields by name or alias, union branches by kind
/// and name); each named pair is visited once.
pub fn meaning_changes(
    wset: &SchemaSet,
    w: &Schema,
    rset: &SchemaSet,
    r: &Schema,
) -> Vec<(String, String)> {
    let mut walk = Meaning {
        wset,
        rset,
        seen: HashSet::new(),
        out: Vec::new(),
    };
    walk.visit(w, r, String::new());
    walk.out
}

struct Meaning<'a> {
    wset: &'a SchemaSet,
    rset: &'a SchemaSet,
    seen: HashSet<(TypeId, TypeId)>,
    out: Vec<(String, String)>,
}

/// The unit of a time or timestamp logical type, and whether it is local.
fn time_unit(l: Logical) -> Option<(&'static str, &'static str, bool)> {
    use Logical::*;
    Some(match l {
        TimeMillis => ("time", "millis", false),
        TimeMicros => ("time", "micros", false),
        TimestampMillis => ("timestamp", "millis", false),
        TimestampMicros => ("timestamp", "micros", false),
        TimestampNanos => ("timestamp", "nanos", false),
        LocalTimestampMillis => ("timestamp", "millis", true),
        LocalTimestampMicros => ("timestamp", "micros", true),
        LocalTimestampNanos => ("timestamp", "nanos", true),
        _ => return None,
    })
}

fn logical_change(w: Option<Logical>, r: Option<Logical>) -> Option<String> {
    match (w, r) {
        (None, None) => None,
        (Some(a), None) => Some(format!(
            "logical type {} is dropped: values are read as the plain underlying type",
            a.name()
        )),
        (None, Some(b)) => Some(format!(
            "logical type {} is added: plain values are read as {}",
            b.name(),
            b.name()
        )),
        (Some(a), Some(b)) if a == b => None,
        (
            Some(Logical::Decimal {
                precision: wp,
                scale: ws,
            }),
            Some(Logical::Decimal {
                precision: rp,
                scale: rs,
            }),
        ) => Some(if ws != rs {
            format!("decimal scale changes from {ws} to {rs}: every value is read off by a factor of 10^{}", ws.abs_diff(rs))
        } else {
            format!("decimal precision changes from {wp} to {rp}")
        }),
        (Some(a), Some(b)) => match (time_unit(a), time_unit(b)) {
            (Some((_, ua, la)), Some((_, ub, lb))) if la != lb && ua == ub => Some(format!(
                "{} is read as {}: local time and UTC instants mean different things",
                a.name(),
                b.name()
            )),
            (Some((_, ua, _)), Some((_, ub, _))) if ua != ub => Some(format!(
                "{} is read as {}: the unit changes from {ua} to {ub}",
                a.name(),
                b.name()
            )),
            _ => Some(format!("logical type {} is read as {}", a.name(), b.name())),
        },
    }
}

impl Meaning<'_> {
    fn note(&mut self, loc: &str, msg: Option<String>) {
        if let Some(m) = msg {
            self.out.push((loc.to_owned(), m));
        }
    }

    /// Same kind of value (so the resolution would pair them).
    fn same_kind(&self, w: &Schema, r: &Schema) -> bool {
        match (w, r) {
            (Schema::Primitive { ty: a, .. }, Schema::Primitive { ty: b, .. }) => a == b,
            (Schema::Array { .. }, Schema::Array { .. })
            | (Schema::Map { .. }, Schema::Map { .. }) => true,
            (Schema::Named(a), Schema::Named(b)) => {
                let (wt, rt) = (self.wset.get(*a), self.rset.get(*b));
                std::mem::discriminant(&wt.kind) == std::mem::discriminant(&rt.kind)
                    && (wt.name.name == rt.name.name || rt.aliases.contains(&wt.name))
            }
            _ => false,
        }
    }

    fn visit(&mut self, w: &Schema, r: &Schema, loc: String) {
        match (w, r) {
            (Schema::Union(wb), _) => {
                for b in wb {
                    self.visit(b, r, loc.clone());
                }
            }
            (_, Schema::Union(rb)) => {
                if let Some(i) = rb.iter().position(|x| self.same_kind(w, x)) {
                    self.visit(w, &rb[i], format!("{loc}/{i}"));
                }
            }
            (
                Schema::Primitive {
                    ty: a, logical: la, ..
                },
                Schema::Primitive {
                    ty: b, logical: lb, ..
                },
            ) if a == b => {
                let msg = logical_change(*la, *lb);
                self.note(&loc, msg);
            }
            (Schema::Array { items: wi, .. }, Schema::Array { items: ri, .. }) => {
                self.visit(wi, ri, format!("{loc}/items"))
            }
            (Schema::Map { values: wv, .. }, Schema::Map { values: rv, .. }) => {
                self.visit(wv, rv, format!("{loc}/values"))
            }
            (Schema::Named(a), Schema::Named(b)) if self.same_kind(w, r) => {
                if !self.seen.insert((*a, *b)) {
                    return;
                }
                let (wt, rt) = (self.wset.get(*a), self.rset.get(*b));
                match (&wt.kind, &rt.kind) {
                    (
                        NamedKind::Fixed { logical: la, .. },
                        NamedKind::Fixed { logical: lb, .. },
                    ) => {
                        let msg = logical_change(*la, *lb);
                        self.note(&loc, msg);
                    }
                    (
                        NamedKind::Record { fields: wf, .. },
                        NamedKind::Record { fields: rf, .. },
                    ) => {
                        let by_name: HashMap<&str, usize> = wf
                            .iter()
                            .enumerate()
                            .map(|(i, f)| (f.name.as_str(), i))
                            .collect();
                        for (i, f) in rf.iter().enumerate() {
                            let k = by_name
                                .get(f.name.as_str())
                                .or_else(|| f.aliases.iter().find_map(|a| by_name.get(a.as_str())));
                            if let Some(&k) = k {
                                self.visit(
                                    &wf[k].schema,
                                    &f.schema,
                                    format!("{loc}/fields/{i}/type"),
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(old: &str, new: &str) -> Vec<String> {
        let r = check_report(CompatibilityLevel::Backward, new, &[old]).unwrap();
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        r.warnings.iter().map(|w| w.to_string()).collect()
    }

    fn field(ty: &str) -> String {
        format!(r#"{{"type":"record","name":"R","fields":[{{"name":"f","type":{ty}}}]}}"#)
    }

    #[test]
    fn meaning_changes_are_warnings_not_incompatibilities() {
        let dec = |p: u32, s: u32| {
            field(&format!(
                r#"{{"type":"bytes","logicalType":"decimal","precision":{p},"scale":{s}}}"#
            ))
        };
        let ts = |l: &str| field(&format!(r#"{{"type":"long","logicalType":"{l}"}}"#));
        let cases = [
            (dec(10, 2), dec(10, 3), "decimal scale changes from 2 to 3"),
            (
                dec(10, 2),
                dec(12, 2),
                "decimal precision changes from 10 to 12",
            ),
            (
                ts("timestamp-millis"),
                ts("timestamp-micros"),
                "unit changes from millis to micros",
            ),
            (
                ts("time-micros"),
                ts("timestamp-micros"),
                "time-micros is read as timestamp-micros",
            ),
            (
                ts("local-timestamp-millis"),
                ts("timestamp-millis"),
                "local time and UTC instants",
            ),
            (
                field(r#""long""#),
                ts("timestamp-nanos"),
                "logical type timestamp-nanos is added",
            ),
            (
                ts("timestamp-nanos"),
                field(r#""long""#),
                "logical type timestamp-nanos is dropped",
            ),
            (
                field(r#"["null",{"type":"long","logicalType":"timestamp-millis"}]"#),
                field(r#"["null",{"type":"long","logicalType":"timestamp-micros"}]"#),
                "at /fields/0/type/1",
            ),
        ];
        for (old, new, expect) in cases {
            let w = warnings(&old, &new);
            assert_eq!(w.len(), 1, "{old} -> {new}: {w:?}");
            assert!(w[0].contains(expect), "{old} -> {new}: {}", w[0]);
        }
        // Nothing changed: no warning.
        assert!(warnings(&dec(10, 2), &dec(10, 2)).is_empty());
        assert!(warnings(&ts("timestamp-millis"), &ts("timestamp-millis")).is_empty());
    }
}
