//! tokio's and the futures executor's blocking APIs are derived from their sources, not
//! remembered: a public function that blocks the thread or enters a runtime, in the versions the
//! ui tests build, must be in the catalogue. A new `blocking_*` method in a tokio release fails
//! this test until the catalogue lists it.

mod common;

use async_lint_config::catalogue::builtin_entries;
use std::path::{Path, PathBuf};

/// The source directory of each package of `tests/ui-deps` (downloaded by `cargo metadata` if
/// needed).
fn package_dir(name: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui-deps/Cargo.toml");
    let metadata = cargo_metadata::MetadataCommand::new()
        .cargo_path(env!("CARGO"))
        .manifest_path(&manifest)
        .exec()
        .expect("cargo metadata of tests/ui-deps");
    let package = metadata
        .packages
        .iter()
        .find(|package| package.name.as_str() == name)
        .unwrap_or_else(|| panic!("{name} is a dependency of tests/ui-deps"));
    package
        .manifest_path
        .parent()
        .expect("a manifest has a directory")
        .into()
}

/// Every `pub fn` of the crate under `src/<under>` whose name `wanted` accepts, as
/// `Type::method` (the type of the `impl` block it sits in) or `method` for a free function.
fn public_functions(crate_dir: &Path, under: &str, wanted: impl Fn(&str) -> bool) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    common::files_with_extension(&crate_dir.join("src").join(under), "rs", &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut current_impl: Option<String> = None;
        for line in text.lines() {
            let trimmed = line.trim_start();
            if line.starts_with("impl") {
                // `impl<T> Sender<T> {`, `impl Handle {`; trait impls are not API of their own.
                let rest = line.trim_start_matches("impl").trim_start();
                let rest = if rest.starts_with('<') {
                    rest.split_once("> ").map_or(rest, |(_, after)| after)
                } else {
                    rest
                };
                current_impl = (!rest.contains(" for "))
                    .then(|| rest.split(['<', ' ', '{']).next().unwrap_or_default().to_owned());
            } else if line.starts_with('}') {
                current_impl = None;
            }
            let Some(signature) = trimmed.strip_prefix("pub fn ") else {
                continue;
            };
            let name = signature.split(['(', '<']).next().unwrap_or_default();
            if !wanted(name) {
                continue;
            }
            let qualified = match (&current_impl, line.starts_with("pub fn")) {
                (_, true) | (None, _) => name.to_owned(),
                (Some(ty), false) => format!("{ty}::{name}"),
            };
            found.push((qualified, file.clone()));
        }
    }
    found
}

/// The catalogue entries of `krate` (`tokio`, `futures_executor`), by path.
fn catalogued(crates: &[&str]) -> Vec<String> {
    builtin_entries()
        .map(|entry| entry.path.to_string())
        .filter(|path| crates.iter().any(|krate| path.starts_with(&format!("{krate}::"))))
        .collect()
}

/// Fails unless each function `found` (at least `at_least` of them, so a broken scan cannot
/// pass) is a catalogue entry of one of `crates`.
fn assert_catalogued(found: Vec<(String, PathBuf)>, at_least: usize, crates: &[&str], what: &str) {
    assert!(found.len() >= at_least, "the scan found too little: {found:?}");
    let catalogue = catalogued(crates);
    let missing: Vec<String> = found
        .into_iter()
        .filter(|(function, _)| !catalogue.iter().any(|path| path.ends_with(&format!("::{function}"))))
        .map(|(function, file)| format!("{function} ({})", file.display()))
        .collect();
    assert!(missing.is_empty(), "{what} missing from the catalogue: {missing:?}");
}

#[test]
fn tokio_blocking_methods_are_catalogued() {
    // `blocking_*` methods block the thread until a value, permit or lock is there, and panic
    // on a runtime thread.
    let found = public_functions(&package_dir("tokio"), "sync", |name| name.starts_with("blocking_"));
    assert_catalogued(found, 10, &["tokio"], "tokio's blocking methods");
}

#[test]
fn tokio_runtime_entries_are_catalogued() {
    let tokio = package_dir("tokio");
    let mut found = public_functions(&tokio, "runtime", |name| name == "block_on");
    found.extend(public_functions(&tokio, "task", |name| name == "block_on"));
    assert_catalogued(found, 3, &["tokio"], "tokio's `block_on`s");
}

#[test]
fn futures_executors_are_catalogued() {
    let found = public_functions(&package_dir("futures-executor"), "", |name| {
        matches!(name, "block_on" | "block_on_stream" | "run" | "run_until")
    });
    assert_catalogued(
        found,
        4,
        &["futures", "futures_executor"],
        "the futures executor's blocking functions",
    );
}
