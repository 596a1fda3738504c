//! A user's project in a temporary directory: `avro.toml`, local schemas,
//! and the lock and cache a pull writes; the Student schemas the registry
//! tests use (avro-registry's fixtures, read from the workspace).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A Student version from avro-registry's fixtures (`1`, `2` or `3`).
pub fn student(version: u32) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../avro-registry/tests/schemas/student_v{version}/student.avsc"
    ));
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A project directory.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// The configuration from the project's avro.toml.
    pub fn config(&self) -> avro_build::Config {
        let mut c = avro_build::Config::from_file(self.path("avro.toml")).unwrap();
        c.quiet(true).out_dir(self.path("out"));
        c
    }

    /// Every file under the cache directory with its bytes.
    pub fn cache(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        fn walk(d: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            let Ok(entries) = fs::read_dir(d) else { return };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.insert(p.clone(), fs::read(&p).unwrap());
                }
            }
        }
        walk(&self.path("avro-cache"), &mut out);
        out
    }
}

/// `avro.toml` for a registry at `url`, the subjects given (name, module),
/// and `schemas/student.avsc` bound to `school-value`.
pub fn avro_toml(url: &str, subjects: &[(&str, &str)]) -> String {
    let mut s = format!(
        "[schemas]\ndirs = [\"schemas\"]\n\n[registry]\nurl = \"{url}\"\ntimeout_secs = 5\nretries = 0\n\n"
    );
    for (name, module) in subjects {
        s.push_str(&format!("[subjects.{name}]\nmodule = \"{module}\"\n\n"));
    }
    s.push_str("[[bind]]\nschema = \"schemas/student.avsc\"\nsubject = \"school-value\"\n");
    s
}

/// Lines in `new` that are not in `old` (a crude diff, enough to show what
/// a pull changed in the lock).
pub fn added_lines(old: &str, new: &str) -> Vec<String> {
    let old: Vec<&str> = old.lines().collect();
    new.lines()
        .filter(|l| !old.contains(l))
        .map(str::to_owned)
        .collect()
}
