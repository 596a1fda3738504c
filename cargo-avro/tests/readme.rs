//! The terminal session in cargo-avro/README.md is true: every `$ ` command
//! of its `console` block runs (in bash, in an empty directory, `cargo avro`
//! being this build's binary and `REPO` this checkout) and prints exactly
//! the lines the README shows under it. The registry it talks to is a real
//! rivven-schema started here, in place of the README's `cargo install` and
//! `localhost:8081` line.

mod common;

#[allow(dead_code)]
#[path = "../../avro-registry/tests/support/rivven.rs"]
mod rivven;

use std::path::Path;

use common::*;

/// One `$ command` of the session and the output shown under it.
struct Step {
    command: String,
    expected: String,
}

/// The steps of the README's first `console` block.
fn session(readme: &str) -> Vec<Step> {
    let block = readme
        .split("```console\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("README has a ```console block");
    let mut steps: Vec<Step> = Vec::new();
    let mut lines = block.lines();
    while let Some(line) = lines.next() {
        if let Some(command) = line.strip_prefix("$ ") {
            let mut command = command.to_owned();
            // A here-document's lines belong to the command.
            if let Some((_, tag)) = command.split_once("<<'") {
                let tag = tag.trim_end_matches('\'').to_owned();
                for l in lines.by_ref() {
                    command.push('\n');
                    command.push_str(l);
                    if l == tag {
                        break;
                    }
                }
            }
            steps.push(Step {
                command,
                expected: String::new(),
            });
        } else if let Some(step) = steps.last_mut() {
            if !line.is_empty() {
                step.expected.push_str(line);
                step.expected.push('\n');
            }
        }
    }
    steps
}

#[test]
fn the_readme_session_prints_what_the_readme_shows() {
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let steps = session(&readme);
    assert!(
        steps
            .iter()
            .filter(|s| s.command.starts_with("cargo avro"))
            .count()
            >= 10,
        "the session should cover the main subcommands"
    );
    let server = rivven::Server::start();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().unwrap();
    // One script: each step's output between markers.
    let mut script = format!(
        "cargo() {{ if [ \"$1\" = avro ]; then {:?} \"$@\"; else command cargo \"$@\"; fi; }}\n",
        env!("CARGO_BIN_EXE_cargo-avro")
    );
    let mut ran = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        if step.command.starts_with("cargo install") {
            continue; // the server is already running
        }
        let command = step.command.replace("http://localhost:8081", &server.url);
        script.push_str(&format!("echo '@@step {i}'\n{{\n{command}\n}} 2>&1\n"));
        ran.push(i);
    }
    script.push_str("echo '@@end'\n");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env("REPO", &repo)
        .env("NO_COLOR", "1")
        .env_remove("SCHEMA_REGISTRY_URL")
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.trim_end().ends_with("@@end"),
        "the session did not run to the end:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut outputs = stdout.split("@@step ").skip(1);
    let mut f = Failures::default();
    for &i in &ran {
        let chunk = outputs.next().unwrap_or_default();
        let got: String = chunk
            .split_once('\n')
            .map_or("", |(_, rest)| rest)
            .trim_end_matches("@@end\n")
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        let step = &steps[i];
        f.check(got == step.expected, || {
            format!(
                "`$ {}` printed:\n{got}README shows:\n{}",
                step.command, step.expected
            )
        });
    }
    f.finish(ran.len());
}
