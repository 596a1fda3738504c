//! A real registry server for tests: rivven-schema, found on PATH, in
//! `$CARGO_HOME/bin` or `<workspace>/target/tools/bin`, or installed there
//! with `cargo install` when missing (one install at a time across test
//! processes, through a lock file). Each [`Server`] listens on 127.0.0.1 on
//! a port the test picked and is killed when dropped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const BIN: &str = "rivven-schema";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn tools_root() -> PathBuf {
    workspace().join("target/tools")
}

fn candidates() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.push(tools_root().join("bin"));
    dirs.into_iter().map(|d| d.join(BIN)).collect()
}

fn find() -> Option<PathBuf> {
    candidates().into_iter().find(|p| p.is_file())
}

/// Holds `<tools>/.install.lock` while it lives (created exclusively; a lock
/// older than 30 minutes is taken for one a killed process left behind).
struct InstallLock(PathBuf);

impl InstallLock {
    fn acquire() -> InstallLock {
        let path = tools_root().join(".install.lock");
        std::fs::create_dir_all(tools_root()).expect("create target/tools");
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return InstallLock(path);
                }
                Err(_) => {
                    let stale = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .map(|t| t.elapsed().unwrap_or_default() > Duration::from_secs(1800))
                        .unwrap_or(false);
                    if stale {
                        let _ = std::fs::remove_file(&path);
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

fn install() -> PathBuf {
    let _lock = InstallLock::acquire();
    if let Some(p) = find() {
        return p; // another test process installed it while we waited
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!(
        "installing {BIN} into {} (once; takes a few minutes)",
        tools_root().display()
    );
    for locked in [true, false] {
        let mut cmd = Command::new(&cargo);
        cmd.args(["install", "--debug", BIN, "--root"])
            .arg(tools_root());
        if locked {
            cmd.arg("--locked");
        }
        match cmd.status() {
            Ok(s) if s.success() => break,
            other => eprintln!("cargo install {BIN} (locked: {locked}) failed: {other:?}"),
        }
    }
    find().unwrap_or_else(|| panic!("{BIN} is not installed and `cargo install {BIN}` failed"))
}

/// The rivven-schema binary (installed on first use when missing).
pub fn binary() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| find().unwrap_or_else(install))
}

/// A running rivven-schema, killed on drop.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn healthy(port: u16) -> bool {
    let Ok(mut s) =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200))
    else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    if s.write_all(b"GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200")
}

impl Server {
    /// Starts a server on a free port and waits until `/health` answers.
    pub fn start() -> Server {
        let bin = binary();
        for _ in 0..3 {
            let port = free_port();
            let child = Command::new(bin)
                .args([
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    &port.to_string(),
                    "--log-level",
                    "warn",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
            let mut server = Server {
                child,
                url: format!("http://127.0.0.1:{port}"),
            };
            let deadline = Instant::now() + Duration::from_secs(15);
            while Instant::now() < deadline {
                if healthy(port) {
                    return server;
                }
                if let Ok(Some(_)) = server.child.try_wait() {
                    break; // the port was taken meanwhile: try another
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!("{} did not become healthy on 127.0.0.1", bin.display());
    }
}
