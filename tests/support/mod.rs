//! Running the `samlfx` binary from the integration tests: one runner every test file shares.
// Each test binary compiles this module and uses part of it.
#![allow(dead_code)]

pub mod saml;

use std::path::Path;
use std::process::{Command, Stdio};

/// What a run printed and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `samlfx ARGS` in `dir` with extra environment variables; `NO_COLOR` is removed so that a
/// test sets it only on purpose, and stdin is empty.
pub fn samlfx_at(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_samlfx"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// `samlfx ARGS` at the repository's root, so that example paths are short and stable.
pub fn samlfx(args: &[&str]) -> Run {
    samlfx_at(Path::new(env!("CARGO_MANIFEST_DIR")), args, &[])
}
