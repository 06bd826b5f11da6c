//! Helpers shared by the tests that run the built tool (or rust-analyzer) as a user would.
#![allow(dead_code, reason = "each test crate uses its own part of these helpers")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The checkout.
#[must_use]
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Strips what `cargo test` puts in the environment (toolchain pins, compiler overrides, our
/// own variables), so the child sees what it would see when a user runs it from a shell.
pub fn clean_env(command: &mut Command) -> &mut Command {
    for name in [
        "RUSTUP_TOOLCHAIN",
        "CARGO",
        "RUSTC",
        "RUSTDOC",
        "CARGO_TARGET_DIR",
        "CARGO_MANIFEST_DIR",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTC_WRAPPER",
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "ASYNC_LINT_CONF_DIR",
        "ASYNC_LINT_ARGS",
        "ASYNC_LINT_REPORT_DIR",
        "ASYNC_LINT_RUN_ID",
        "ASYNC_LINT_SUMMARY_DIR",
        "ASYNC_LINT_WORKSPACE",
        // cargo compiles without an incremental cache where `CI` is set (as on CI services); a
        // user's shell has none of these.
        "CI",
        "CARGO_INCREMENTAL",
        "CARGO_BUILD_INCREMENTAL",
        "CARGO_PROFILE_DEV_INCREMENTAL",
    ] {
        command.env_remove(name);
    }
    command.env("CARGO_TERM_COLOR", "never")
}

/// Copies a directory tree, leaving out `target` directories.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` (recursively) whose extension is `extension`, appended to `out`.
pub fn files_with_extension(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_with_extension(&path, extension, out);
        } else if path.extension().is_some_and(|ext| ext == extension) {
            out.push(path);
        }
    }
}
