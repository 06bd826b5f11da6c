//! The catalogue's tokio and futures-executor entries, derived rather than remembered: every
//! public function of the tokio and `futures-executor` sources the build uses (those of
//! `tests/ui-deps`) that blocks on a future or enters a runtime internally must be in the
//! catalogue, or listed below with why not. A new tokio release with a new `blocking_*` method
//! fails this test until the catalogue has it.

#![allow(clippy::expect_used, clippy::panic, reason = "a test reports failures by panicking")]

use async_lint_config::catalogue::{Category, Entry, builtin};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// Functions the scan finds that are rightly not in the catalogue.
const NOT_CATALOGUED: &[(&str, &str)] = &[
    (
        "LocalPool::try_run_one",
        "runs one ready task and returns when none can go on: it never waits",
    ),
    (
        "LocalPool::run_until_stalled",
        "runs ready tasks and returns when none can go on: it never waits",
    ),
];

/// Where a crate's code waits for a future or enters a runtime.
const MARKERS: &[&str] = &[
    // tokio: its blocking bridges, and entering a runtime.
    "crate::future::block_on(",
    "enter_runtime(",
    // futures-executor: the loop that parks the thread until the future is ready.
    "run_executor(",
];

/// Methods that run a future to completion, followed by name when called on another value (a
/// scheduler, a runtime, a pool): other names (`poll`, `park`) are too common to follow so.
const EXECUTOR_METHODS: &[&str] = &["block_on", "run_until"];

/// A function of the scanned sources: `Type::method` (inherent or trait impl) or a free `name`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Function {
    owner: Option<String>,
    name: String,
    public: bool,
    /// The file it is in: a private free function is called only from there.
    file: PathBuf,
}

impl Function {
    fn display(&self) -> String {
        match &self.owner {
            Some(owner) => format!("{owner}::{}", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Default)]
struct Scan {
    /// Each function with its body's tokens, spaces removed.
    bodies: Vec<(Function, String)>,
    owner: Option<(String, bool)>,
    file: PathBuf,
}

impl<'ast> Visit<'ast> for Scan {
    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        if !is_test_only(&module.attrs) {
            syn::visit::visit_item_mod(self, module);
        }
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if is_test_only(&item.attrs) {
            return;
        }
        let syn::Type::Path(path) = &*item.self_ty else {
            return;
        };
        let Some(last) = path.path.segments.last() else {
            return;
        };
        let previous = self.owner.replace((last.ident.to_string(), item.trait_.is_some()));
        syn::visit::visit_item_impl(self, item);
        self.owner = previous;
    }

    fn visit_impl_item_fn(&mut self, function: &'ast syn::ImplItemFn) {
        if is_test_only(&function.attrs) {
            return;
        }
        let Some((owner, trait_impl)) = self.owner.clone() else {
            return;
        };
        let public = trait_impl || matches!(function.vis, syn::Visibility::Public(_));
        self.bodies.push((
            Function {
                owner: Some(owner),
                name: function.sig.ident.to_string(),
                public,
                file: self.file.clone(),
            },
            tokens(&function.block),
        ));
    }

    fn visit_item_fn(&mut self, function: &'ast syn::ItemFn) {
        if is_test_only(&function.attrs) {
            return;
        }
        self.bodies.push((
            Function {
                owner: None,
                name: function.sig.ident.to_string(),
                public: matches!(function.vis, syn::Visibility::Public(_)),
                file: self.file.clone(),
            },
            tokens(&function.block),
        ));
    }
}

fn tokens(block: &syn::Block) -> String {
    quote::quote!(#block).to_string().split_whitespace().collect()
}

fn is_test_only(attributes: &[syn::Attribute]) -> bool {
    attributes.iter().any(|attribute| {
        attribute.path().is_ident("cfg") && {
            let text = quote::quote!(#attribute).to_string();
            text.contains("test") || text.contains("loom")
        }
    })
}

/// The source directory of `package` as `tests/ui-deps` resolves it.
fn source_of(package: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui-deps/Cargo.toml");
    let metadata = cargo_metadata::MetadataCommand::new()
        .cargo_path(env!("CARGO"))
        .manifest_path(&manifest)
        .exec()
        .expect("cargo metadata of tests/ui-deps");
    let found = metadata
        .packages
        .iter()
        .find(|candidate| candidate.name.as_str() == package)
        .unwrap_or_else(|| panic!("{package} is not a dependency of tests/ui-deps"));
    found
        .manifest_path
        .parent()
        .expect("a manifest has a directory")
        .join("src")
        .into_std_path_buf()
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source directory") {
        let path = entry.expect("directory entry").path();
        let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        if path.is_dir() {
            if !matches!(name, "tests" | "loom") {
                rust_files(&path, files);
            }
        } else if path.extension().is_some_and(|extension| extension == "rs")
            && !matches!(name, "tests.rs" | "mocks.rs")
        {
            files.push(path);
        }
    }
}

/// The public functions of `package` that reach a marker: directly, or through a call of
/// another function of the crate that does (`self.name(`, `Self::name(`, `name(`, or a method
/// of that name on another value).
fn blocking_functions(package: &str) -> BTreeSet<Function> {
    let mut files = Vec::new();
    rust_files(&source_of(package), &mut files);
    let mut scan = Scan::default();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source file");
        let parsed = syn::parse_file(&text).unwrap_or_else(|err| panic!("{}: {err}", file.display()));
        scan.file = file;
        scan.visit_file(&parsed);
    }
    let mut marked: BTreeSet<Function> = scan
        .bodies
        .iter()
        .filter(|(_, body)| MARKERS.iter().any(|marker| body.contains(marker)))
        .map(|(function, _)| function.clone())
        .collect();
    loop {
        let before = marked.len();
        for (function, body) in &scan.bodies {
            if marked.contains(function) {
                continue;
            }
            let calls_marked = marked.iter().any(|callee| match (&callee.owner, &function.owner) {
                (Some(callee_owner), Some(owner)) if callee_owner == owner => {
                    body.contains(&format!("self.{}(", callee.name))
                        || body.contains(&format!("Self::{}(", callee.name))
                }
                // An executor's entry point on another value (`exec.block_on(..)` in
                // `Runtime::block_on`, `pool.run_until(..)` in `BlockingStream::next`).
                (Some(_), _) => {
                    EXECUTOR_METHODS.contains(&callee.name.as_str()) && body.contains(&format!(".{}(", callee.name))
                }
                (None, _) => (callee.public || callee.file == function.file) && calls_free_function(body, &callee.name),
            });
            if calls_marked {
                marked.insert(function.clone());
            }
        }
        if marked.len() == before {
            break;
        }
    }
    if std::env::var_os("CATALOGUE_DERIVED_DEBUG").is_some() {
        eprintln!("{:?}", marked.iter().map(Function::display).collect::<Vec<_>>());
    }
    marked.into_iter().filter(|function| function.public).collect()
}

/// Whether `body` calls a free function `name` (`name(`, `module::name(`), not a method of
/// that name nor a function whose name ends with it.
fn calls_free_function(body: &str, name: &str) -> bool {
    let call = format!("{name}(");
    body.match_indices(&call).any(|(at, _)| {
        let before = body[..at].chars().next_back();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
    })
}

/// Whether the catalogue has `function` of `crates` as an entry that blocks on a future or a
/// runtime.
fn catalogued(function: &Function, crates: &[&str]) -> bool {
    let runtime_like = |entry: &Entry| {
        matches!(
            entry.category,
            Category::TokioBlocking | Category::TokioRuntime | Category::BlockOn
        )
    };
    let in_crate = |path: &str| crates.iter().any(|krate| path.starts_with(&format!("{krate}::")));
    let builtin = builtin().expect("the built-in catalogue parses");
    builtin.calls.iter().filter(|entry| runtime_like(entry)).any(|entry| {
        match (&function.owner, entry.self_ty.as_deref()) {
            // A trait method on the type: `Iterator::next` on `BlockingStream`.
            (Some(owner), Some(self_ty)) if entry.is_trait_method() => {
                in_crate(self_ty)
                    && self_ty.ends_with(&format!("::{owner}"))
                    && entry.path.ends_with(&format!("::{}", function.name))
            }
            (Some(owner), _) => in_crate(&entry.path) && entry.path.ends_with(&format!("::{owner}::{}", function.name)),
            (None, _) => {
                in_crate(&entry.path)
                    && !entry.is_trait_method()
                    && entry.path.ends_with(&format!("::{}", function.name))
            }
        }
    })
}

/// The functions of `package` the scan finds that the catalogue lacks; at least `at_least` must
/// be found, so that a broken scan cannot pass.
fn missing(package: &str, crates: &[&str], at_least: usize) -> Vec<String> {
    let found = blocking_functions(package);
    assert!(
        found.len() >= at_least,
        "the scan of {package} found too little (are the markers stale?): {found:?}"
    );
    found
        .iter()
        .filter(|function| !catalogued(function, crates))
        .map(Function::display)
        .filter(|name| !NOT_CATALOGUED.iter().any(|(allowed, _)| allowed == name))
        .collect()
}

#[test]
fn tokio_blocking_apis_are_catalogued() {
    let missing = missing("tokio", &["tokio"], 16);
    assert!(
        missing.is_empty(),
        "tokio functions that block on a future or enter a runtime, missing from the catalogue: {missing:?}"
    );
}

#[test]
fn futures_executor_blocking_apis_are_catalogued() {
    let missing = missing("futures-executor", &["futures", "futures_executor"], 4);
    assert!(
        missing.is_empty(),
        "futures-executor functions that block on a future, missing from the catalogue: {missing:?}"
    );
}
