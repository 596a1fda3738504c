// The one definition of how tests find the real servers they start
// (rivven-schema, tansu), included (with `include!`) by
// avro-registry/tests/support/rivven.rs and examples/kafka/tests/support/servers.rs.
// A binary is looked up on `PATH`, in `$CARGO_HOME/bin` and in
// `<workspace>/target/tools/bin`; a missing one is installed there with
// `cargo install` on first use, one install at a time across test processes
// (an exclusive lock file), so `cargo test --workspace` works on a fresh
// machine; `.ci/run` installs both ahead.

/// The workspace root: the nearest directory above the crate with a `Cargo.lock`.
fn workspace() -> std::path::PathBuf {
    let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = crate_dir
        .ancestors()
        .find(|d| d.join("Cargo.lock").is_file())
        .unwrap_or(crate_dir);
    dir.canonicalize().unwrap_or_else(|_| dir.to_owned())
}

/// `name` on PATH, in `$CARGO_HOME/bin` or in `<workspace>/target/tools/bin`.
fn find_tool(name: &str) -> Option<std::path::PathBuf> {
    use std::path::PathBuf;
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.push(workspace().join("target/tools/bin"));
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// Holds an install lock file while it lives (created exclusively; one
/// older than 30 minutes is taken for one a killed process left behind).
struct InstallLock(std::path::PathBuf);

impl InstallLock {
    fn acquire(path: &std::path::Path) -> InstallLock {
        use std::time::Duration;
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(_) => return InstallLock(path.to_owned()),
                Err(_) => {
                    let stale = std::fs::metadata(path)
                        .and_then(|m| m.modified())
                        .map(|t| t.elapsed().unwrap_or_default() > Duration::from_secs(1800))
                        .unwrap_or(false);
                    if stale {
                        let _ = std::fs::remove_file(path);
                    } else {
                        std::thread::sleep(Duration::from_millis(500));
                    }
                }
            }
        }
    }
}

impl Drop for InstallLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The binary `name`: found, or installed with `cargo install <crate_args>
/// --debug --root target/tools`, or a panic saying how to install it.
pub fn require_tool(name: &str, crate_args: &[&str]) -> std::path::PathBuf {
    if let Some(p) = find_tool(name) {
        return p;
    }
    let tools = workspace().join("target/tools");
    std::fs::create_dir_all(&tools).expect("create target/tools");
    let _lock = InstallLock::acquire(&tools.join(".install.lock"));
    if let Some(p) = find_tool(name) {
        return p; // installed by another test process while we waited
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!(
        "installing {name} into {} (once; takes a few minutes)",
        tools.display()
    );
    for locked in [true, false] {
        let mut cmd = std::process::Command::new(&cargo);
        cmd.arg("install")
            .args(crate_args)
            .args(["--debug", "--root"])
            .arg(&tools);
        if locked {
            cmd.arg("--locked");
        }
        match cmd.status() {
            Ok(s) if s.success() => break,
            other => eprintln!("cargo install {name} (locked: {locked}) failed: {other:?}"),
        }
    }
    find_tool(name).unwrap_or_else(|| {
        panic!(
            "`{name}` is not installed and installing it failed: this test starts a real {name} \
             on 127.0.0.1. Install it with\n    cargo install --locked --debug {} --root target/tools\n\
             (run from the workspace root; .ci/run does it when missing)",
            crate_args.join(" ")
        )
    })
}
