//! Running `binhan` in the end-to-end tests: a vault folder, arguments and
//! standard input in; the exit code and both outputs, as JSON, out.

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// What one run of `binhan` gave.
pub struct Run {
    /// Exit code (-1 when a signal ended it).
    pub code: i32,
    /// Standard output as JSON (`Null` when it is not JSON).
    pub stdout: Value,
    /// Standard error as JSON (`Null` when it is not JSON).
    pub stderr: Value,
}

/// Runs `binhan` on `vault` with `args` and `stdin`, once `env` has set the
/// environment a test wants (each suite passes its PIN its own way).
pub fn run(vault: &Path, args: &[&str], stdin: &str, env: impl FnOnce(&mut Command)) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_binhan"));
    cmd.args(args)
        .env("BINHAN_VAULT", vault)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    env(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let parse = |bytes: &[u8]| serde_json::from_slice(bytes).unwrap_or(Value::Null);
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: parse(&out.stdout),
        stderr: parse(&out.stderr),
    }
}
