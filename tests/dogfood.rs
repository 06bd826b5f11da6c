//! Our own code passes `cargo clippy -D warnings` and our own lints.
//!
//! Both run in `target/dogfood`, away from the build that runs this test (which holds the lock
//! on `target/`).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir() -> PathBuf {
    root().join("target/dogfood")
}

fn run(command: &mut Command) {
    let output = command.current_dir(root()).output().expect("command runs");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn clippy_is_clean() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run(Command::new(cargo)
        .args(["clippy", "--workspace", "--all-targets", "--quiet"])
        .arg(format!("--target-dir={}", target_dir().display()))
        .args(["--", "-D", "warnings"]));
}

#[test]
fn our_own_lints_are_clean() {
    run(Command::new(env!("CARGO_BIN_EXE_cargo-async-lint"))
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO_MANIFEST_DIR")
        .args(["async-lint", "--workspace", "--all-targets", "--quiet"])
        .arg(format!("--target-dir={}", target_dir().display()))
        .args(["--", "-D", "warnings"]));
}
