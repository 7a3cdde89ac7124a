//! Running the real `gongkai` binary from integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::Path;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_gongkai");

/// `gongkai …`, isolated from the caller's GONGKAI_* environment (CI sets
/// some of them) and from RUST_LOG.
pub fn command() -> Command {
    let mut c = Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("GONGKAI_") {
            c.env_remove(k);
        }
    }
    c.env_remove("RUST_LOG");
    c
}

/// `gongkai --data-dir DIR …`.
pub fn gk(dir: &Path) -> Command {
    let mut c = command();
    c.arg("--data-dir").arg(dir);
    c
}

pub fn run(dir: &Path, args: &[&str]) -> Output {
    gk(dir).args(args).output().expect("run gongkai")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `gongkai ARGS` without a data directory: (exit code, stdout, stderr).
pub fn gongkai(args: &[&str]) -> (i32, String, String) {
    let o = command().args(args).output().expect("run gongkai");
    (o.status.code().unwrap_or(-1), stdout(&o), stderr(&o))
}
