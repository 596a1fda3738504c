//! The two real servers the Kafka tests and the bench start: tansu (a Kafka
//! protocol broker, memory storage) and rivven-schema (a Schema Registry),
//! each on a free 127.0.0.1 port, each killed when its guard is dropped,
//! also when the test panics (the guard then prints the end of the server's
//! log). The binaries are found, or installed on first use, by
//! support/tools.rs (shared with avro-registry's tests); a failed install
//! fails the test with the command to run.

#![allow(dead_code)] // each test binary uses a part of it

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

include!("../../../../support/tools.rs");

/// The tansu binary (feature `dynostore`: its `memory://` storage).
pub fn tansu_binary() -> PathBuf {
    require_tool("tansu", &["tansu", "--features", "dynostore"])
}

/// The rivven-schema binary.
pub fn rivven_binary() -> PathBuf {
    require_tool("rivven-schema", &["rivven-schema"])
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind 127.0.0.1:0")
        .local_addr()
        .expect("local address")
        .port()
}

fn accepts(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200)).is_ok()
}

/// A fresh, empty directory under the workspace's target/ (tansu reads a
/// `.env` file from its working directory: it must find none).
fn empty_dir(what: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = workspace().join("target/kafka-servers").join(format!(
        "{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

/// A server process, killed (and its directory removed) on drop.
struct Guard {
    name: &'static str,
    child: Child,
    dir: PathBuf,
}

impl Guard {
    fn log(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.log()).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!(
                "--- last lines of {}'s log ({}):\n{}",
                self.name,
                self.log().display(),
                self.log_tail()
            );
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Starts `bin` with `args(port)` from an empty directory with an empty
/// environment, and waits until the port accepts connections (three tries
/// on three ports: another process may take a free port meanwhile).
fn start(name: &'static str, bin: &Path, args: impl Fn(u16) -> Vec<String>) -> (Guard, u16) {
    let mut last = String::new();
    for _ in 0..3 {
        let port = free_port();
        let dir = empty_dir(name);
        let log = std::fs::File::create(dir.join("server.log")).expect("server log");
        let child = Command::new(bin)
            .args(args(port))
            .current_dir(&dir)
            // None of the caller's variables (tansu reads CLUSTER_ID,
            // LISTENER_URL, ADVERTISED_LISTENER_URL, STORAGE_ENGINE,
            // SCHEMA_REGISTRY, ... from it).
            .env_clear()
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", bin.display()));
        let mut guard = Guard { name, child, dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if accepts(port) {
                return (guard, port);
            }
            if let Ok(Some(status)) = guard.child.try_wait() {
                last = format!("exited with {status}: {}", guard.log_tail());
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if last.is_empty() {
            last = format!("no answer on port {port} within 20 s: {}", guard.log_tail());
        }
    }
    panic!("{name} ({}) did not start: {last}", bin.display());
}

/// A tansu broker with memory storage.
pub struct Tansu {
    guard: Guard,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// `127.0.0.1:<port>`, for `bootstrap.servers`.
    pub bootstrap: String,
}

impl Tansu {
    /// Starts a broker on a free port.
    pub fn start() -> Tansu {
        let (guard, port) = start("tansu", &tansu_binary(), |port| {
            let url = format!("tcp://127.0.0.1:{port}");
            [
                "broker",
                "--cluster-id",
                "test",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
                "--storage-engine",
                "memory://tansu/",
            ]
            .map(String::from)
            .to_vec()
        });
        Tansu {
            guard,
            port,
            bootstrap: format!("127.0.0.1:{port}"),
        }
    }
}

/// A rivven-schema registry.
pub struct Rivven {
    guard: Guard,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
}

impl Rivven {
    /// Starts a registry on a free port.
    pub fn start() -> Rivven {
        let (guard, port) = start("rivven-schema", &rivven_binary(), |port| {
            [
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--log-level",
                "warn",
            ]
            .map(String::from)
            .to_vec()
        });
        Rivven {
            guard,
            port,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

/// True when nothing accepts connections on `port` any more.
pub fn stopped(port: u16) -> bool {
    !accepts(port)
}
