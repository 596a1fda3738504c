//! Compatibility levels in Confluent Schema Registry semantics, on top of
//! [`resolve`](crate::resolve::resolve).
//!
//! BACKWARD: the new schema reads data written with the latest previous one.
//! FORWARD: the latest previous schema reads data written with the new one.
//! FULL: both. `*_TRANSITIVE`: against every previous schema, not just the
//! latest. NONE: anything goes.

use std::fmt;
use std::str::FromStr;

use crate::resolve::{resolve, Incompatibility};
use crate::schema::{Schema, SchemaError, SchemaSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompatibilityLevel {
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
    None,
}

impl CompatibilityLevel {
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
    pub version_index: usize,
    pub direction: Direction,
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

/// Checks `new` against `previous` (oldest first) at `level`; returns every
/// problem (empty: compatible).
pub fn check(
    level: CompatibilityLevel,
    new: &str,
    previous: &[&str],
) -> Result<Vec<Problem>, SchemaError> {
    let new = SchemaSet::parse_str(new)?;
    let previous = previous
        .iter()
        .map(|p| SchemaSet::parse_str(p))
        .collect::<Result<Vec<_>, _>>()?;
    let previous: Vec<(&SchemaSet, &Schema)> = previous.iter().map(|(s, r)| (s, r)).collect();
    Ok(check_schemas(level, (&new.0, &new.1), &previous))
}

/// [`check`] for schemas already parsed (each a schema of its set, so they
/// may come from several files or be a named type of a protocol).
pub fn check_schemas(
    level: CompatibilityLevel,
    new: (&SchemaSet, &Schema),
    previous: &[(&SchemaSet, &Schema)],
) -> Vec<Problem> {
    let (new_reads_old, old_reads_new, transitive) = level.directions();
    let (nset, nroot) = new;
    let first = if transitive {
        0
    } else {
        previous.len().saturating_sub(1)
    };
    let mut problems = Vec::new();
    if level == CompatibilityLevel::None {
        return problems;
    }
    for (i, (pset, proot)) in previous.iter().enumerate().skip(first) {
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
    problems
}
