//! End-to-end: the built `cargo-async-lint` run as a user runs it, on the crates in
//! `tests/fixtures/`.

mod common;

use common::{clean_env, copy_dir, root};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const LINT: &str = "blocking_in_async";

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

fn scratch() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e")
}

/// Rewrites a file an earlier run has seen, dated clearly after that run: cargo takes a
/// source whose mtime is not later than the build's start as unchanged, and on a filesystem
/// with coarse timestamps an edit right after a quick run can carry the same mtime.
fn edit_after_a_run(path: &Path, contents: &str) {
    let mut file = std::fs::File::create(path).unwrap();
    std::io::Write::write_all(&mut file, contents.as_bytes()).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
}

/// One target dir for every run, so dependencies are built once.
fn shared_target_dir() -> PathBuf {
    scratch().join("target")
}

fn async_lint_command(dir: &Path, args: &[&str]) -> Command {
    async_lint_command_in(dir, args, &shared_target_dir())
}

fn async_lint_command_in(dir: &Path, args: &[&str], target_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-async-lint"));
    clean_env(&mut command).current_dir(dir).arg("async-lint");
    let target_dir = format!("--target-dir={}", target_dir.display());
    // Flags for the tool go before `--`, lint flags after.
    let split = args.iter().position(|arg| *arg == "--").unwrap_or(args.len());
    command.args(&args[..split]).arg(target_dir).args(&args[split..]);
    command
}

/// Runs `cargo async-lint ARGS` without touching a build (`--explain`, `--list`, ...).
fn async_lint_info(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-async-lint"));
    clean_env(&mut command).arg("async-lint").args(args);
    command.output().expect("cargo-async-lint runs")
}

/// Runs `cargo async-lint ARGS` in `dir` (with our shared target dir).
fn async_lint(dir: &Path, args: &[&str]) -> Output {
    async_lint_command(dir, args).output().expect("cargo-async-lint runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The main lines of our diagnostics in human output, e.g. `warning: ... blocks the async executor`.
fn findings(output: &Output) -> Vec<String> {
    stderr(output)
        .lines()
        .filter(|line| line.ends_with("blocks the async executor"))
        .map(str::to_owned)
        .collect()
}

/// cargo's status lines reach the user whole, however its output and the diagnostics the
/// subcommand writes meanwhile fall, and `Finished` comes after every diagnostic.
fn assert_cargo_lines_are_whole(err: &str) {
    let lines: Vec<&str> = err.lines().collect();
    for line in &lines {
        for status in ["Checking", "Compiling", "Finished"] {
            // cargo right-aligns its status words in twelve columns.
            let padded = format!("{status:>12} ");
            let cut_after = line.trim_start().starts_with(status) && !line.starts_with(&padded);
            let cut_before = line.find(&padded).is_some_and(|at| at > 0);
            assert!(!cut_after && !cut_before, "a cut `{status}` line: {line:?}\n{err}");
        }
    }
    let finished = lines.iter().position(|line| line.trim_start().starts_with("Finished "));
    let last_diagnostic = lines
        .iter()
        .rposition(|line| line.starts_with("warning: `") || line.starts_with("error: `"));
    if let (Some(finished), Some(last_diagnostic)) = (finished, last_diagnostic) {
        assert!(finished > last_diagnostic, "`Finished` before a diagnostic:\n{err}");
    }
}

/// Copies a fixture into a fresh scratch directory, for runs that write to it.
fn copy_fixture(name: &str, label: &str) -> PathBuf {
    let to = scratch().join(label);
    let _ = std::fs::remove_dir_all(&to);
    copy_dir(&fixture(name), &to);
    to
}

/// The stable-pinned fixture is linted once by the tests that only read its output.
fn stable_crate_run() -> &'static Output {
    static RUN: OnceLock<Output> = OnceLock::new();
    RUN.get_or_init(|| async_lint(&fixture("stable-crate"), &[]))
}

#[test]
fn reports_findings_in_a_stable_pinned_crate() {
    let output = stable_crate_run();
    let err = stderr(output);
    assert!(output.status.success(), "{err}");
    assert_eq!(
        findings(output),
        ["warning: `std::thread::sleep` blocks the async executor"],
        "exactly the one unsuppressed finding:\n{err}"
    );
    assert!(err.contains("--> src/lib.rs:5:5"), "{err}");
    assert!(
        err.contains("blocking call in an async fn: it puts the thread to sleep"),
        "{err}"
    );
}

#[test]
fn json_messages_carry_the_lint_code() {
    let output = async_lint(&fixture("stable-crate"), &["--message-format=json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let messages: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("every stdout line is JSON"))
        .filter(|message: &serde_json::Value| message["reason"] == "compiler-message")
        .collect();
    let ours: Vec<&serde_json::Value> = messages
        .iter()
        .map(|message| &message["message"])
        .filter(|message| message["code"]["code"] == LINT)
        .collect();
    assert_eq!(ours.len(), 1, "{messages:#?}");
    assert_eq!(ours[0]["level"], "warning");
    let span = &ours[0]["spans"][0];
    assert_eq!(span["file_name"], "src/lib.rs");
    assert_eq!(span["line_start"], 5);
    assert_eq!(span["is_primary"], true);
}

#[test]
fn deny_after_double_dash_fails_the_build() {
    let output = async_lint(&fixture("stable-crate"), &["--", "-D", LINT]);
    assert_eq!(output.status.code(), Some(101), "{}", stderr(&output));
    assert!(stderr(&output).contains("error: `std::thread::sleep` blocks the async executor"));

    let output = async_lint(&fixture("stable-crate"), &["--", "-D", "warnings"]);
    assert_eq!(output.status.code(), Some(101), "{}", stderr(&output));

    // And the level goes away again: no stale cached output from the denied run.
    let output = async_lint(&fixture("stable-crate"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(findings(&output).len(), 1);
}

#[test]
fn short_message_format_is_forwarded() {
    // A copy of its own: cargo replays cached diagnostics in the format they were made with.
    let output = async_lint(
        &copy_fixture("stable-crate", "short-format"),
        &["--message-format=short"],
    );
    assert!(output.status.success());
    assert!(
        stderr(&output).contains("src/lib.rs:5:5: warning: `std::thread::sleep` blocks the async executor"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn plain_stable_build_stays_quiet_about_the_cfg() {
    // The fixture declares `cfg(async_lint)` as the README says, so stable cargo (its pinned
    // toolchain) neither warns about the cfg nor about the lint name.
    let mut command = Command::new("cargo");
    clean_env(&mut command)
        .current_dir(fixture("stable-crate"))
        .args(["check", "--quiet"])
        .arg(format!("--target-dir={}", scratch().join("stable-target").display()));
    let output = command.output().expect("cargo runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
}

#[test]
fn workspace_members_are_selected_like_cargo_check() {
    let dir = fixture("workspace");
    let output = async_lint(&dir, &["--workspace"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut found = findings(&output);
    // The members are checked in parallel.
    found.sort();
    assert_eq!(
        found,
        [
            "warning: `std::fs::read` blocks the async executor",
            "warning: `std::sync::mpsc::Receiver::recv` blocks the async executor"
        ],
        "{}",
        stderr(&output)
    );

    let output = async_lint(&dir, &["-p", "beta"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        findings(&output),
        ["warning: `std::sync::mpsc::Receiver::recv` blocks the async executor"]
    );
}

#[test]
fn config_file_sets_levels_and_command_line_overrides_it() {
    let dir = fixture("with-config");
    let output = async_lint(&dir, &[]);
    assert_eq!(output.status.code(), Some(101), "{}", stderr(&output));
    assert!(stderr(&output).contains("error: `std::thread::sleep` blocks the async executor"));

    let output = async_lint(&dir, &["--", "-W", LINT]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        findings(&output),
        ["warning: `std::thread::sleep` blocks the async executor"]
    );
}

#[test]
fn config_file_appearing_later_is_picked_up() {
    let dir = copy_fixture("stable-crate", "config-appears");
    let before = async_lint(&dir, &[]);
    assert!(before.status.success(), "{}", stderr(&before));

    edit_after_a_run(&dir.join("async-lint.toml"), "[lints]\nblocking_in_async = \"deny\"\n");
    let after = async_lint(&dir, &[]);
    assert_eq!(after.status.code(), Some(101), "{}", stderr(&after));

    edit_after_a_run(&dir.join("async-lint.toml"), "[lints]\nblocking_in_async = \"allow\"\n");
    let allowed = async_lint(&dir, &[]);
    assert!(allowed.status.success());
    assert!(findings(&allowed).is_empty(), "{}", stderr(&allowed));
}

#[test]
fn conf_dir_may_be_relative_and_must_hold_a_config() {
    let dir = copy_fixture("stable-crate", "conf-dir");
    std::fs::create_dir_all(dir.join("lint-config")).unwrap();
    std::fs::write(
        dir.join("lint-config/async-lint.toml"),
        "[lints]\nblocking_in_async = \"deny\"\n",
    )
    .unwrap();
    let output = async_lint_command(&dir, &[])
        .env("ASYNC_LINT_CONF_DIR", "lint-config")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(101), "{}", stderr(&output));

    let output = async_lint_command(&dir, &[])
        .env("ASYNC_LINT_CONF_DIR", "nowhere")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("error: $ASYNC_LINT_CONF_DIR is `nowhere`, which has no `async-lint.toml`"),
        "{}",
        stderr(&output)
    );
}

/// Each broken config gives exactly one error, naming `file:line:col`, and nothing is built.
#[test]
fn broken_config_gives_one_clear_error() {
    let cases = [
        ("[lints\n", "async-lint.toml:1:7: unclosed table, expected `]`", None),
        (
            "[lints]\nblockng_in_async = \"deny\"\n",
            "async-lint.toml:2:1: unknown lint `blockng_in_async` in `[lints]`",
            Some("help: did you mean `blocking_in_async`?"),
        ),
        (
            "[lintz]\nblocking_in_async = \"deny\"\n",
            "async-lint.toml:1:2: unknown key `lintz`",
            Some("help: did you mean `lints`?"),
        ),
        (
            "[lints]\nblocking_in_async = 1\n",
            "async-lint.toml:2:21: invalid type: integer `1`, expected a string",
            None,
        ),
        (
            "[lints]\nblocking_in_async = \"loud\"\n",
            "async-lint.toml:2:21: unknown lint level `loud`",
            Some("help: (the levels are `allow`, `warn`, `deny`, `forbid`)"),
        ),
    ];
    let dir = copy_fixture("stable-crate", "broken-config");
    for (contents, error, help) in cases {
        std::fs::write(dir.join("async-lint.toml"), contents).unwrap();
        let output = async_lint(&dir, &[]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{err}");
        let error_lines: Vec<&str> = err.lines().filter(|line| line.starts_with("error")).collect();
        assert_eq!(error_lines.len(), 1, "one error for {contents:?}:\n{err}");
        assert!(error_lines[0].starts_with("error: /"), "absolute path: {err}");
        assert!(error_lines[0].ends_with(error), "{error:?} in:\n{err}");
        if let Some(help) = help {
            assert!(err.contains(help), "{help:?} in:\n{err}");
        }
        assert!(!err.contains("panicked") && !err.contains("Checking"), "{err}");
    }
}

#[test]
fn fix_applies_machine_applicable_suggestions_only() {
    let dir = copy_fixture("fix-crate", "fix-crate");
    let output = async_lint(&dir, &["--fix", "--allow-no-vcs"]);
    assert!(output.status.success(), "{}", stderr(&output));

    let source = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
    assert!(
        source.contains("    ::tokio::time::sleep(Duration::from_millis(ms)).await;\n"),
        "{source}"
    );
    assert!(
        !source.contains("std::thread::sleep(Duration::from_millis(ms))"),
        "{source}"
    );
    // `MaybeIncorrect` and help-only findings are left for a person.
    assert!(
        source.contains("std::thread::sleep(Duration::from_millis(*guard))"),
        "{source}"
    );
    assert!(
        source.contains("std::fs::read_to_string(\"settings.toml\")"),
        "{source}"
    );

    // The crate still compiles and only the unfixed findings remain.
    let output = async_lint(&dir, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut remaining = findings(&output);
    remaining.sort();
    assert_eq!(
        remaining,
        [
            "warning: `std::fs::read_to_string` blocks the async executor",
            "warning: `std::thread::sleep` blocks the async executor",
        ]
    );
}

#[test]
fn demo_shows_each_kind_of_finding() {
    let output = async_lint(&root().join("examples/demo"), &[]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    let mut warnings: Vec<&str> = err
        .lines()
        .filter(|line| line.starts_with("warning: ") && !line.contains("generated"))
        .collect();
    warnings.sort_unstable();
    assert_eq!(
        warnings,
        [
            "warning: `Handle::block_on` runs only where a runtime is present, and panics there",
            "warning: `pricing::price_sync` enters a runtime inside async code",
            "warning: `settings::read_file` blocks the async executor",
            "warning: `std::thread::sleep` blocks the async executor",
            "warning: dropping `pricing::AuditLog` enters a tokio runtime",
            "warning: this lock guard is held across an `.await`",
        ],
        "{err}"
    );
    assert!(
        err.contains("note: `settings::read_file` calls `std::fs::read_to_string` here"),
        "{err}"
    );
    assert!(
        err.contains("note: `pricing::price_sync` calls `tokio::runtime::Handle::block_on` here"),
        "{err}"
    );
}

#[test]
fn fix_options_need_fix() {
    let output = async_lint(&fixture("stable-crate"), &["--allow-dirty"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--fix"), "{}", stderr(&output));
}

#[test]
fn explain_prints_the_lint_docs() {
    let output = async_lint_info(&["--explain", LINT]);
    assert!(output.status.success());
    let out = stdout(&output);
    assert!(out.starts_with("# blocking_in_async (default: warn)"), "{out}");
    for section in [
        "### What it does",
        "### Why is this bad?",
        "### Example",
        "Use instead:",
    ] {
        assert!(out.contains(section), "{section} in {out}");
    }

    let output = async_lint_info(&["--explain", "blocking_in_asnyc"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: unknown lint `blocking_in_asnyc`\nhelp: did you mean `blocking_in_async`?\n"
    );
}

#[test]
fn list_shows_every_lint_with_its_level() {
    let output = async_lint_info(&["--list"]);
    assert!(output.status.success());
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), async_lint_config::LINTS.len(), "{out}");
    for lint in async_lint_config::LINTS {
        assert!(
            lines.iter().any(|line| line
                .split_whitespace()
                .take(2)
                .eq([lint.name, lint.default_level.as_str()])),
            "{} in {out}",
            lint.name
        );
    }
}

#[test]
fn version_and_help() {
    let output = async_lint_info(&["--version"]);
    assert!(output.status.success());
    assert!(
        stdout(&output).starts_with("cargo-async-lint 0.1.0"),
        "{}",
        stdout(&output)
    );

    let output = async_lint_info(&["--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    for option in [
        "--fix",
        "--explain",
        "--list",
        "--workspace",
        "--message-format",
        "-- <LINT FLAGS>",
    ] {
        assert!(help.contains(option), "{option} in {help}");
    }
}

#[test]
fn missing_toolchain_names_the_install_command() {
    let empty_rustup_home = scratch().join("empty-rustup-home");
    std::fs::create_dir_all(&empty_rustup_home).unwrap();
    let output = async_lint_command(&fixture("stable-crate"), &[])
        .env("RUSTUP_HOME", &empty_rustup_home)
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: the `nightly-"), "{err}");
    assert!(
        err.contains("help: install it with: rustup toolchain install nightly-")
            && err.contains("--component rustc-dev,llvm-tools-preview,rust-src"),
        "{err}"
    );
}

/// The main lines of every finding of ours, sorted.
fn all_findings(output: &Output) -> Vec<String> {
    assert_cargo_lines_are_whole(&stderr(output));
    let mut lines: Vec<String> = stderr(output)
        .lines()
        .filter(|line| {
            [
                "warning: `",
                "error: `",
                "warning: dropping `",
                "error: dropping `",
                "error: a `",
            ]
            .iter()
            .any(|prefix| line.starts_with(prefix))
                && !line.contains("generated")
        })
        .map(str::to_owned)
        .collect();
    lines.sort_unstable();
    lines
}

const CROSS_CRATE_FINDINGS: [&str; 11] = [
    "error: `store::fetch_sync` enters a runtime inside async code",
    "error: `store::runtime_available` enters a runtime inside async code",
    "warning: `<store::DiskStorage as store::Storage>::read` blocks the async executor",
    "warning: `<store::FileSource as store::Source>::load` blocks the async executor",
    "warning: `read_cache` blocks the async executor",
    "warning: `read_marker` blocks the async executor",
    "warning: `store::load_config` blocks the async executor",
    "warning: `store::load_via` blocks the async executor",
    "warning: `store::logging_hooks::{closure#0}` blocks the async executor",
    "warning: `touch` blocks the async executor",
    "warning: dropping `store::Journal` blocks the async executor",
];

#[test]
fn dependencies_are_followed_through_their_summaries() {
    let workspace = copy_fixture("cross-crate", "cross-crate");
    let app = workspace.join("app");
    let first = async_lint(&app, &[]);
    let err = stderr(&first);
    assert!(!first.status.success(), "nested_runtime is deny by default:\n{err}");
    assert_eq!(all_findings(&first), CROSS_CRATE_FINDINGS, "{err}");
    // The chain runs through both dependencies, naming each function with its crate.
    for note in [
        "note: `store::load_config` calls `store_core::read_all` at ",
        "note: `store_core::read_all` calls `std::fs::read_to_string` at ",
        "note: `<FileSource as Source>::load` calls `store_core::read_all` at ",
        "note: `store::fetch_sync` calls `store_core::run_now` at ",
        "note: `store_core::run_now` calls `tokio::runtime::Runtime::block_on` at ",
        // A dependency's type whose `Drop` blocks, dropped at the end of an async fn.
        "note: `<Journal as std::ops::Drop>::drop` calls `std::fs::write` at ",
        // The generic helper, resolved with the type this crate gives it.
        "note: `store::load_via` calls `<store::FileSource as store::Source>::load` at ",
        // Trait objects the dependency made: a blocking impl, and a stored callback.
        "note: `store::open_storage` makes `store::DiskStorage` the trait object at ",
        "note: `<DiskStorage as Storage>::read` calls `std::fs::read` at ",
        "note: `store::logging_hooks` makes a closure the trait object at ",
        // A dependency's `drop(runtime)`, worded as a drop.
        "note: `store_core::probe_runtime` calls `std::mem::drop::<tokio::runtime::Runtime>` at ",
        "note: tokio panics: \"Cannot drop a runtime in a context where blocking is not allowed\"",
    ] {
        assert!(err.contains(note), "missing {note:?}:\n{err}");
    }
    assert!(err.contains("store-core/src/lib.rs:7:5"), "{err}");
    // Quiet: a pure helper of a dependency, and sync code calling a blocking one.
    assert!(!err.contains("checksum"), "{err}");
    assert!(!err.contains("settings_sync"), "{err}");
    // Neither the in-memory impl nor the generic helper instantiated with it (the snippet of
    // any finding there would show `MemorySource`).
    assert!(!err.contains("MemorySource"), "{err}");
    // Nor a trait object the dependency only makes from an in-memory value, nor the helper
    // that only makes (does not call) the callback.
    assert!(!err.contains("Notice"), "{err}");
    assert!(!err.contains("`store::logging_hooks` blocks"), "{err}");

    let summaries: Vec<String> = std::fs::read_dir(shared_target_dir().join("async-lint-summaries"))
        .expect("summaries are written")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for krate in ["store-", "store_core-"] {
        assert!(summaries.iter().any(|name| name.starts_with(krate)), "{summaries:?}");
    }

    // A second run reuses the dependencies' builds and their summaries.
    let second = async_lint(&app, &[]);
    let err = stderr(&second);
    assert!(!err.contains("Checking store"), "dependencies were rebuilt:\n{err}");
    assert_eq!(all_findings(&second), CROSS_CRATE_FINDINGS, "{err}");
}

#[test]
fn cross_crate_config_silences_dependencies() {
    let workspace = copy_fixture("cross-crate", "cross-crate-non-blocking");
    std::fs::write(
        workspace.join("app/async-lint.toml"),
        "[cross_crate]\nnon_blocking = [\"store::load_config\"]\n",
    )
    .unwrap();
    let output = async_lint(&workspace.join("app"), &[]);
    let expected: Vec<&str> = CROSS_CRATE_FINDINGS
        .into_iter()
        .filter(|finding| !finding.contains("load_config"))
        .collect();
    assert_eq!(all_findings(&output), expected, "{}", stderr(&output));

    let workspace = copy_fixture("cross-crate", "cross-crate-disabled");
    std::fs::write(
        workspace.join("app/async-lint.toml"),
        "[cross_crate]\nenabled = false\n",
    )
    .unwrap();
    let output = async_lint(&workspace.join("app"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    // Only this crate's own blocking fns, which it hands to a dependency's `Fn*` parameters,
    // need no summary; without one, a parameter with an `Fn*` bound is taken as run, so the
    // callback `on_shutdown` only keeps is reported too.
    assert_eq!(
        all_findings(&output),
        [
            "warning: `read_cache` blocks the async executor",
            "warning: `read_marker` blocks the async executor",
            "warning: `remove_marker` blocks the async executor",
            "warning: `touch` blocks the async executor",
        ],
        "{}",
        stderr(&output)
    );
}

/// The workspace `member-chain` (app → helper → deeper), linted into a target dir of its own.
fn member_chain_run(workspace: &Path, target_dir: &Path, args: &[&str]) -> Output {
    async_lint_command_in(workspace, args, target_dir)
        .output()
        .expect("cargo-async-lint runs")
}

const MEMBER_CHAIN_FINDINGS: [&str; 5] = [
    "error: `app::report` enters a runtime inside async code",
    "error: `app::settings_sync` enters a runtime inside async code",
    "error: `fetch_sync` enters a runtime inside async code",
    "error: `helper::fetch_sync` enters a runtime inside async code",
    "warning: `helper::load_config` blocks the async executor",
];

#[test]
fn chains_cross_workspace_members_and_denied_findings_do_not_stop_the_build() {
    let workspace = copy_fixture("member-chain", "member-chain");
    let target_dir = scratch().join("member-chain-target");
    let first = member_chain_run(&workspace, &target_dir, &["--workspace", "--all-targets"]);
    let err = stderr(&first);
    // Denied findings (`nested_runtime`) fail the run, after every target was analysed.
    assert_eq!(first.status.code(), Some(101), "{err}");
    assert_eq!(all_findings(&first), MEMBER_CHAIN_FINDINGS, "{err}");
    for place in [
        // `helper`'s own finding, and its dependent `app` analysed all the same.
        "--> helper/src/lib.rs:18:5",
        "--> app/src/lib.rs:5:18",
        "--> app/src/lib.rs:13:5",
        // A binary and an integration test of `app`, through its library.
        "--> app/src/bin/tool.rs:4:20",
        "--> app/tests/it.rs:4:13",
    ] {
        assert!(err.contains(place), "missing {place}:\n{err}");
    }
    // The chains name each member's function and where it calls the next.
    for note in [
        "note: `helper::load_config` calls `deeper::read_settings` at helper/src/lib.rs:4:5",
        "note: `deeper::read_settings` calls `std::fs::read_to_string` at deeper/src/lib.rs:4:5",
        "note: `helper::fetch_sync` calls `deeper::run_now` at helper/src/lib.rs:8:5",
        "note: `deeper::run_now` calls `tokio::runtime::Runtime::block_on` at deeper/src/lib.rs:9:5",
        "note: `app::report` calls `helper::fetch_sync` at app/src/lib.rs:29:5",
    ] {
        assert!(err.contains(note), "missing {note:?}:\n{err}");
    }
    // Quiet: a member's pure helper, `spawn_blocking`, and sync code calling the same helpers.
    assert!(!err.contains("digest"), "{err}");
    for quiet in [
        "--> app/src/lib.rs:7:",
        "--> app/src/lib.rs:17:",
        "--> app/src/lib.rs:23:",
    ] {
        assert!(!err.contains(quiet), "unexpected finding at {quiet}:\n{err}");
    }
    assert!(
        err.contains(
            "error: build failed: 4 denied findings in `app` (bin \"tool\"), `app` (lib), `app` (test \"it\"), \
             `helper` (lib); every target was still analysed"
        ),
        "{err}"
    );

    let summaries = target_dir.join("async-lint-summaries");
    let summary_of = |krate: &str| {
        std::fs::read_dir(&summaries)
            .expect("summaries are written")
            .map(|entry| entry.unwrap().path())
            .find(|path| path.file_name().unwrap().to_string_lossy().starts_with(krate))
            .unwrap_or_else(|| panic!("no summary of {krate} in {}", summaries.display()))
    };
    let modified = |path: &Path| std::fs::metadata(path).unwrap().modified().unwrap();
    let helper_summary = summary_of("helper-");
    let helper_written = modified(&helper_summary);
    // Binaries and test harnesses have no dependents: no summary.
    assert!(
        std::fs::read_dir(&summaries).unwrap().all(|entry| !entry
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("tool-")),
        "a binary was summarised"
    );

    // Warm: nothing is rebuilt, the same findings and exit status are replayed.
    let warm = member_chain_run(&workspace, &target_dir, &["--workspace", "--all-targets"]);
    let warm_err = stderr(&warm);
    assert_eq!(warm.status.code(), Some(101), "{warm_err}");
    assert!(!warm_err.contains("Checking"), "{warm_err}");
    assert_eq!(all_findings(&warm), MEMBER_CHAIN_FINDINGS, "{warm_err}");

    // Touching one member re-checks it and what depends on it; the others' summaries stay.
    let app_lib = workspace.join("app/src/lib.rs");
    let source = std::fs::read_to_string(&app_lib).unwrap();
    edit_after_a_run(&app_lib, &(source + "\n"));
    let touched = member_chain_run(&workspace, &target_dir, &["--workspace", "--all-targets"]);
    let touched_err = stderr(&touched);
    assert!(touched_err.contains("Checking app"), "{touched_err}");
    assert!(!touched_err.contains("Checking helper"), "{touched_err}");
    assert_eq!(
        modified(&helper_summary),
        helper_written,
        "helper's summary was rewritten"
    );
    assert_eq!(all_findings(&touched), MEMBER_CHAIN_FINDINGS, "{touched_err}");
}

/// Rewrites a file with the contents it has, dated after the run that saw it: cargo checks the
/// crate again, and rustc finds nothing changed.
fn touch_after_a_run(path: &Path) {
    let contents = std::fs::read_to_string(path).unwrap();
    edit_after_a_run(path, &contents);
}

#[test]
fn an_unchanged_crate_checked_again_replays_its_findings_until_a_summary_it_read_changes() {
    let workspace = copy_fixture("member-chain", "member-chain-replay");
    let target_dir = scratch().join("member-chain-replay-target");
    let _ = std::fs::remove_dir_all(&target_dir);
    let args = ["-p", "app", "--lib", "--report", "json"];
    let run = || {
        let output = member_chain_run(&workspace, &target_dir, &args);
        let err = stderr(&output);
        assert!(err.contains("Checking app"), "app was not checked again:\n{err}");
        output
    };
    // The report's findings and counts, and each target's line.
    let report_of = |output: &Output| {
        let report: serde_json::Value = serde_json::from_str(&stdout(output)).expect("a JSON report");
        assert!(
            !report["findings"].as_array().expect("findings").is_empty(),
            "{report:#}"
        );
        [
            report["findings"].clone(),
            report["production"].clone(),
            report["crates"].clone(),
        ]
    };
    let app_lib = workspace.join("app/src/lib.rs");
    let first = member_chain_run(&workspace, &target_dir, &args);
    assert_eq!(first.status.code(), Some(101), "{}", stderr(&first));
    // The first check again writes what the analysis read; the next has nothing new to read.
    touch_after_a_run(&app_lib);
    let analysed = run();
    let inputs_list = std::fs::read_dir(target_dir.join("async-lint-report"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            path.extension().is_some_and(|ext| ext == "inputs")
                && path.file_name().unwrap().to_string_lossy().starts_with("app-")
        })
        .expect("the analysis lists the summaries it read");
    let listed = std::fs::read_to_string(&inputs_list).unwrap();
    assert!(listed.contains("helper-"), "{listed}");
    let analysed_at = std::fs::metadata(&inputs_list).unwrap().modified().unwrap();

    touch_after_a_run(&app_lib);
    let replayed = run();
    let err = stderr(&replayed);
    // The findings, the failing exit status and the report are the analysis's, which did not
    // run again.
    assert_eq!(replayed.status.code(), Some(101), "{err}");
    assert_eq!(all_findings(&replayed), all_findings(&analysed), "{err}");
    assert!(
        err.contains("warning: `helper::load_config` blocks the async executor"),
        "{err}"
    );
    assert_eq!(report_of(&replayed), report_of(&analysed));
    assert_eq!(
        std::fs::metadata(&inputs_list).unwrap().modified().unwrap(),
        analysed_at,
        "the analysis ran again"
    );

    // The config changes what the analysis decides, and is not the compiler's to see.
    let config = workspace.join("app/async-lint.toml");
    edit_after_a_run(&config, "[cross_crate]\nnon_blocking = [\"helper::load_config\"]\n");
    let configured = run();
    let err = stderr(&configured);
    assert!(
        !err.contains("load_config` blocks"),
        "a finding the config silences was replayed:\n{err}"
    );
    std::fs::remove_file(&config).unwrap();
    touch_after_a_run(&app_lib);
    let unconfigured = run();
    assert_eq!(
        all_findings(&unconfigured),
        all_findings(&analysed),
        "{}",
        stderr(&unconfigured)
    );

    // `deeper` stops blocking: `helper`'s summary changes, `app`'s source does not.
    let deeper_lib = workspace.join("deeper/src/lib.rs");
    let deeper = std::fs::read_to_string(&deeper_lib).unwrap();
    edit_after_a_run(
        &deeper_lib,
        &deeper.replace(
            "std::fs::read_to_string(\"settings.toml\").unwrap_or_default()",
            "String::from(\"settings\")",
        ),
    );
    let after = run();
    let err = stderr(&after);
    assert!(
        !err.contains("load_config` blocks"),
        "a finding replayed after its cause went:\n{err}"
    );
    assert!(
        err.contains("error: `helper::fetch_sync` enters a runtime inside async code"),
        "{err}"
    );
}

#[test]
fn where_ci_is_set_every_check_analyses_and_finds_the_same() {
    // cargo compiles without an incremental cache where `CI` is set: nothing is replayed.
    let workspace = copy_fixture("member-chain", "member-chain-ci");
    let target_dir = scratch().join("member-chain-ci-target");
    let _ = std::fs::remove_dir_all(&target_dir);
    let args = ["-p", "app", "--lib", "--report", "json"];
    let app_lib = workspace.join("app/src/lib.rs");
    let last_analysed = || {
        std::fs::read_dir(target_dir.join("async-lint-report"))
            .into_iter()
            .flatten()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                path.extension().is_some_and(|ext| ext == "inputs")
                    && path.file_name().unwrap().to_string_lossy().starts_with("app-")
            })
            .map(|path| std::fs::metadata(path).unwrap().modified().unwrap())
            .max()
    };
    let ci_run = || {
        touch_after_a_run(&app_lib);
        let before = last_analysed();
        let output = async_lint_command_in(&workspace, &args, &target_dir)
            .env("CI", "true")
            .output()
            .expect("cargo-async-lint runs");
        assert_eq!(output.status.code(), Some(101), "{}", stderr(&output));
        assert!(last_analysed() > before, "not analysed again:\n{}", stderr(&output));
        (all_findings(&output), stdout(&output))
    };
    let first = ci_run();
    assert!(
        first
            .0
            .iter()
            .any(|finding| finding.contains("`helper::load_config` blocks")),
        "{first:?}"
    );
    for _ in 0..2 {
        assert_eq!(ci_run(), first);
    }
}

#[test]
fn report_covers_every_target_and_a_warm_report_is_the_cold_one() {
    let workspace = copy_fixture("member-chain", "member-chain-report");
    let target_dir = scratch().join("member-chain-report-target");
    let args = ["--workspace", "--all-targets", "--report", "json"];
    let cold = member_chain_run(&workspace, &target_dir, &args);
    assert_eq!(cold.status.code(), Some(101), "{}", stderr(&cold));
    let warm = member_chain_run(&workspace, &target_dir, &args);
    assert!(!stderr(&warm).contains("Checking"), "{}", stderr(&warm));
    assert_eq!(
        stdout(&cold),
        stdout(&warm),
        "the warm report differs from the cold one"
    );

    let report: serde_json::Value = serde_json::from_str(&stdout(&cold)).expect("a JSON report");
    let targets: Vec<String> = report["crates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|section| format!("{} {} {}", section["package"], section["target"], section["kind"]))
        .collect();
    for target in [
        r#""app" "app" "lib""#,
        r#""app" "tool" "bin""#,
        r#""app" "it" "test harness""#,
        r#""helper" "helper" "lib""#,
        r#""deeper" "deeper" "lib""#,
    ] {
        assert!(targets.iter().any(|t| t == target), "{target} in {targets:?}");
    }
    assert_eq!(report["findings"].as_array().unwrap().len(), 5, "{report:#}");
    // `#[tokio::main]` and `#[tokio::test]` fns are async fns, and their runtimes are not the
    // code's: the one runtime creation and `block_on` are `deeper::run_now`'s.
    assert_eq!(report["production"]["async_fns"], 5, "{report:#}");
    assert_eq!(report["test"]["async_fns"], 1, "{report:#}");
    assert_eq!(report["production"]["runtime_creations"], 1, "{report:#}");
    assert_eq!(report["production"]["block_on_calls"], 1, "{report:#}");
    assert_eq!(report["test"]["runtime_creations"], 0, "{report:#}");
    assert_eq!(report["test"]["block_on_calls"], 0, "{report:#}");

    // Only the library checked: the binary's root file is not an orphan.
    let lib_only = member_chain_run(&workspace, &target_dir, &["-p", "app", "--lib", "--report", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&lib_only)).expect("a JSON report");
    assert_eq!(report["uncompiled_files"], serde_json::json!([]), "{report:#}");
}

#[test]
fn a_target_that_fails_to_compile_is_named_as_failed() {
    let workspace = copy_fixture("member-chain", "member-chain-broken");
    std::fs::write(
        workspace.join("app/src/bin/tool.rs"),
        "#[tokio::main]\nasync fn main() {\n    let count: u32 = \"three\";\n}\n",
    )
    .unwrap();
    let target_dir = scratch().join("member-chain-broken-target");
    let output = member_chain_run(
        &workspace,
        &target_dir,
        &["-p", "app", "--bins", "--report", "json", "--keep-going"],
    );
    assert_eq!(output.status.code(), Some(101), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("error[E0308]: mismatched types"),
        "{}",
        stderr(&output)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("a JSON report");
    let tool = report["crates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|section| section["target"] == "tool")
        .unwrap_or_else(|| panic!("the failed binary is in the report: {report:#}"));
    assert_eq!(tool["check_failed"], true, "{report:#}");
    assert_eq!(report["uncompiled_files"], serde_json::json!([]), "{report:#}");
    let compiles = report["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| {
            item["item"]
                .as_str()
                .unwrap()
                .starts_with("Every checked target compiles")
        })
        .expect("a checklist item for failed targets");
    assert_eq!(compiles["passed"], false, "{report:#}");
}

#[test]
fn a_pinned_toolchain_that_is_not_installed_plays_no_part() {
    let dir = copy_fixture("stable-crate", "pinned-uninstalled");
    std::fs::write(dir.join("rust-toolchain.toml"), "[toolchain]\nchannel = \"1.68.0\"\n").unwrap();
    let output = async_lint(&dir, &[]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(!err.contains("is not installed"), "{err}");
    assert_eq!(
        findings(&output),
        ["warning: `std::thread::sleep` blocks the async executor"],
        "{err}"
    );

    // The README's way past rustup's `cargo` proxy, which stops on the uninstalled pin.
    let toolchain = std::fs::read_to_string(root().join("rust-toolchain.toml")).unwrap();
    let channel = toolchain
        .lines()
        .find_map(|line| line.strip_prefix("channel = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("the pinned channel");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_cargo-async-lint")).parent().unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin_dir.to_owned()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let mut command = Command::new("cargo");
    clean_env(&mut command)
        .current_dir(&dir)
        .env("PATH", path)
        .arg(format!("+{channel}"))
        .arg("async-lint")
        .arg(format!("--target-dir={}", shared_target_dir().display()));
    let output = command.output().expect("cargo runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(findings(&output).len(), 1, "{}", stderr(&output));
}

#[test]
fn cargo_flags_the_tool_does_not_know_reach_cargo() {
    let output = async_lint(&fixture("stable-crate"), &["--timings"]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("Timing report saved to"), "{err}");
    assert_eq!(findings(&output).len(), 1, "{err}");

    // A flag cargo does not know either: cargo's own error, not ours.
    let output = async_lint(&fixture("stable-crate"), &["--no-such-flag"]);
    let err = stderr(&output);
    assert!(!output.status.success(), "{err}");
    assert!(err.contains("unexpected argument '--no-such-flag'"), "{err}");
    assert!(
        !err.contains("cargo async-lint [OPTIONS]"),
        "clap of ours answered:\n{err}"
    );
}

#[test]
fn runtime_flavours_and_missing_runtimes_across_targets() {
    let dir = copy_fixture("runtime-flavours", "runtime-flavours");
    let output = async_lint(&dir, &["--all-targets"]);
    let err = stderr(&output);
    // `block_in_place_on_current_thread` is deny by default; every target is still analysed.
    assert_eq!(output.status.code(), Some(101), "{err}");
    assert_eq!(
        all_findings(&output),
        [
            "error: `flavours::handle` reaches `tokio::task::block_in_place`, which panics on a current-thread runtime",
            "error: `flavours::handle` reaches `tokio::task::block_in_place`, which panics on a current-thread runtime",
            "warning: `flavours::start_metrics` reaches `tokio::spawn`, which needs a tokio runtime, and none is entered here",
            "warning: `flavours::start_metrics` reaches `tokio::spawn`, which needs a tokio runtime, and none is entered here",
        ],
        "{err}"
    );
    for place in [
        // The current-thread main and the default `#[tokio::test]`, through the library's
        // async handler.
        "--> src/bin/current.rs:4:20",
        "--> tests/handlers.rs:4:16",
        // The sync main before it enters a runtime, and a plain `#[test]`.
        "--> src/bin/sync_main.rs:3:5",
        "--> tests/handlers.rs:15:5",
    ] {
        assert!(err.contains(place), "missing {place}:\n{err}");
    }
    for note in [
        "note: `flavours::handle` calls `flavours::checksum` at src/lib.rs:10:5",
        "note: `flavours::checksum` calls `tokio::task::block_in_place` at src/lib.rs:5:5",
        "note: `flavours::start_metrics` calls `tokio::spawn` at src/lib.rs:15:5",
        "help: run the test on the multi-thread runtime, `#[tokio::test(flavor = \"multi_thread\")]`",
    ] {
        assert!(err.contains(note), "missing {note:?}:\n{err}");
    }
    // Quiet: the multi-thread main and test, the sync main after `enter`, a runtime in a test.
    for quiet in [
        "--> src/main.rs",
        "--> src/bin/sync_main.rs:6:",
        "--> tests/handlers.rs:9:",
        "--> tests/handlers.rs:21:",
    ] {
        assert!(!err.contains(quiet), "unexpected finding at {quiet}:\n{err}");
    }

    // Both are critical in the report.
    let output = async_lint(&dir, &["--all-targets", "--report", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("a JSON report");
    let severities: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| (finding["lint"].as_str().unwrap(), finding["severity"].as_str().unwrap()))
        .collect();
    assert!(
        severities.contains(&("missing_runtime", "critical"))
            && severities.contains(&("block_in_place_on_current_thread", "critical")),
        "{severities:?}"
    );
}

/// The machine-applicable suggestions of our findings in a JSON message stream.
fn machine_applicable_suggestions(output: &Output) -> Vec<String> {
    let mut found = Vec::new();
    for line in stdout(output).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let message = &message["message"];
        if message["code"]["code"].as_str().is_none_or(|code| code == "unused") {
            continue;
        }
        // One suggestion per child; a multipart one has a span per part.
        for child in message["children"].as_array().into_iter().flatten() {
            let parts: Vec<String> = child["spans"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|span| span["suggestion_applicability"] == "MachineApplicable")
                .map(|span| span["suggested_replacement"].to_string())
                .collect();
            if !parts.is_empty() {
                found.push(format!("{}: {}", message["message"], parts.join(" ")));
            }
        }
    }
    found
}

#[test]
fn fix_rewrites_the_mechanical_findings_of_a_service() {
    let dir = copy_fixture("fix-service", "fix-service");
    // The editor's view: the JSON messages carry the rewrites as suggestions.
    let before = async_lint(&dir, &["--message-format=json"]);
    let suggestions = machine_applicable_suggestions(&before);
    assert_eq!(suggestions.len(), 5, "{suggestions:#?}");
    assert!(
        suggestions.iter().any(|s| s.contains("::tokio::fs::write")),
        "{suggestions:#?}"
    );

    let output = async_lint(&dir, &["--fix", "--allow-no-vcs"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let source = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
    for rewritten in [
        "        ::tokio::fs::create_dir_all(&self.root).await?;\n",
        "        ::tokio::fs::write(&path, body).await?;\n",
        "        Ok(::tokio::fs::metadata(&path).await?.len())\n",
        "        *hits += 1;\n        drop(hits);\n        tokio::time::sleep",
        "    ::tokio::process::Command::new(\"git\")\n",
        "        .output().await\n",
    ] {
        assert!(source.contains(rewritten), "{rewritten:?} in:\n{source}");
    }
    // Suggestions that are not sure to compile are left for a person.
    assert!(source.contains("    load_index(\"index.txt\")\n"), "{source}");
    assert!(source.contains("        *hits\n"), "{source}");

    // The result compiles with plain cargo, and only the findings without a mechanical fix
    // remain.
    let mut check = Command::new("cargo");
    clean_env(&mut check)
        .current_dir(&dir)
        .args(["+stable", "check", "--quiet"])
        .arg(format!(
            "--target-dir={}",
            scratch().join("fix-service-stable").display()
        ));
    let checked = check.output().expect("cargo runs");
    assert!(checked.status.success(), "{}", stderr(&checked));
    let after = async_lint(&dir, &[]);
    assert!(after.status.success(), "{}", stderr(&after));
    assert_eq!(
        all_findings(&after),
        ["warning: `load_index` blocks the async executor"],
        "{}",
        stderr(&after)
    );
    assert!(stderr(&after).contains("warning: this lock guard is held across an `.await`"));
    let after_json = async_lint(&dir, &["--message-format=json"]);
    assert_eq!(machine_applicable_suggestions(&after_json), Vec::<String>::new());
}

#[test]
fn fix_clears_every_mechanical_finding_of_the_demo() {
    let dir = scratch().join("demo-fix");
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("examples/demo"), &dir);
    let output = async_lint(&dir, &["--fix", "--allow-no-vcs"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let after = async_lint(&dir, &["--message-format=json"]);
    assert!(after.status.success(), "the fixed demo still compiles");
    assert_eq!(machine_applicable_suggestions(&after), Vec::<String>::new());
}

/// A recursive-descent parser of `size` mutually recursive functions per family, each calling
/// four others: the `lex_` family sleeps at its far end, the `parse_` family never blocks.
fn recursive_descent_source(size: usize) -> String {
    use std::fmt::Write as _;
    let mut source = String::from("//! Generated by `mutually_recursive_functions_are_walked_once_per_cycle`.\n\n");
    for family in ["parse", "lex"] {
        for index in 0..size {
            let _ = writeln!(source, "fn {family}_{index}(depth: u32) {{");
            for callee in [index + 1, index + 2, index + 7, 3 * index + 1] {
                let callee = callee % size;
                let _ = writeln!(
                    source,
                    "    if depth > 0 {{\n        {family}_{callee}(depth - 1);\n    }}"
                );
            }
            if family == "lex" && index == size - 1 {
                source.push_str("    std::thread::sleep(std::time::Duration::from_millis(1));\n");
            }
            source.push_str("}\n\n");
        }
    }
    source.push_str("pub async fn parses() {\n    parse_0(3);\n}\n\npub async fn lexes() {\n    lex_0(3);\n}\n");
    source
}

/// Mutually recursive functions are walked once per cycle: an exponential walk would not end
/// in the time this test allows, and the one blocking call deep in the cycle is still found.
#[test]
fn mutually_recursive_functions_are_walked_once_per_cycle() {
    const TIME_ALLOWED: std::time::Duration = std::time::Duration::from_secs(120);
    let project = scratch().join("recursive-descent");
    let _ = std::fs::remove_dir_all(&project);
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(
        project.join("Cargo.toml"),
        "[package]\nname = \"recursive-descent\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(project.join("src/lib.rs"), recursive_descent_source(40)).unwrap();
    let mut child = async_lint_command(&project, &[])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("cargo-async-lint runs");
    let started = std::time::Instant::now();
    while child.try_wait().expect("cargo-async-lint can be waited for").is_none() {
        if started.elapsed() > TIME_ALLOWED {
            let _ = child.kill();
            panic!("the lint run on 80 mutually recursive functions took over {TIME_ALLOWED:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let output = child.wait_with_output().expect("cargo-async-lint's output");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        findings(&output),
        ["warning: `lex_0` blocks the async executor"],
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("note: `lex_0` calls `lex_1` here"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_library_s_run_entered_by_its_binaries_is_their_main_task() {
    let dir = copy_fixture("app-main-task", "app-main-task");
    let target_dir = scratch().join("app-main-task-target");
    let places = |output: &Output| {
        stderr(output)
            .lines()
            .filter_map(|line| line.trim().strip_prefix("--> ").map(str::to_owned))
            .collect::<Vec<_>>()
    };
    // The binaries run `run` with `block_on` and await `serve` as the whole of `async fn main`:
    // the start and end of both block nothing else, and `local_state`, which `block_on` runs,
    // need not be `Send`. `run_on_workers`, which a multi-thread runtime's `block_on` runs,
    // has that thread to itself, and so has the async block it awaits: the task it spawns runs
    // on the workers. The middle of `run` (on a current-thread runtime), `handle` (spawned
    // among other tasks), `unused` and `unused_local_state` stay findings.
    let whole = member_chain_run(&dir, &target_dir, &[]);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let unused_local_state = ["src/lib.rs:44:1", "src/lib.rs:45:9", "src/lib.rs:46:50"];
    assert_eq!(
        places(&whole),
        [
            &["src/lib.rs:9:5", "src/lib.rs:24:20", "src/lib.rs:31:20"][..],
            &unused_local_state
        ]
        .concat(),
        "{}",
        stderr(&whole)
    );
    assert!(
        stderr(&whole).contains("warning: `app` (lib) generated 4 warnings"),
        "{}",
        stderr(&whole)
    );
    // The report and JSON messages agree with what is shown.
    let report = member_chain_run(&dir, &target_dir, &["--report", "json"]);
    assert_eq!(
        stdout(&report).matches("\"lint\": \"blocking_in_async\"").count(),
        3,
        "{}",
        stdout(&report)
    );
    let json = member_chain_run(&dir, &target_dir, &["--message-format=json"]);
    let messages = stdout(&json)
        .lines()
        .filter(|line| line.contains("\"reason\":\"compiler-message\""))
        .count();
    assert_eq!(messages, 4, "{}", stdout(&json));
    // The library alone cannot tell who runs it: every finding is shown.
    let lib_only = member_chain_run(&dir, &target_dir, &["--lib"]);
    assert_eq!(
        places(&lib_only),
        [
            &[
                "src/lib.rs:6:20",
                "src/lib.rs:9:5",
                "src/lib.rs:12:5",
                "src/lib.rs:17:20",
                "src/lib.rs:24:20",
                "src/lib.rs:31:20",
                "src/lib.rs:37:1",
                "src/lib.rs:38:9",
                "src/lib.rs:39:50",
            ][..],
            &unused_local_state,
            &["src/lib.rs:56:20", "src/lib.rs:58:40"],
        ]
        .concat(),
        "{}",
        stderr(&lib_only)
    );
}

#[test]
fn a_library_s_commands_awaited_by_a_binary_that_spawns_no_task_run_alone() {
    let dir = copy_fixture("cli-lone-task", "cli-lone-task");
    let target_dir = scratch().join("cli-lone-task-target");
    let places = |output: &Output| {
        assert!(output.status.success(), "{}", stderr(output));
        stderr(output)
            .lines()
            .filter_map(|line| line.trim().strip_prefix("--> ").map(str::to_owned))
            .collect::<Vec<_>>()
    };
    let every_finding = ["src/lib.rs:5:16", "src/lib.rs:13:5", "src/lib.rs:33:5"];
    // The daemon starts a task through the library before it awaits `handle_command`: the
    // commands run beside it, and every finding stays.
    let whole = member_chain_run(&dir, &target_dir, &[]);
    assert_eq!(places(&whole), every_finding, "{}", stderr(&whole));
    // The command-line binary alone spawns nothing: `edit` and `show_log`, which it awaits
    // through `handle_command`, run alone; `show_log_slowly`, polled beside a timeout, does not.
    let cli_only = member_chain_run(&dir, &target_dir, &["--bin", "cli", "--report", "json"]);
    assert_eq!(places(&cli_only), ["src/lib.rs:33:5"], "{}", stderr(&cli_only));
    assert!(
        stderr(&cli_only).contains("warning: `cli` (lib) generated 1 warning"),
        "{}",
        stderr(&cli_only)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&cli_only)).expect("a JSON report");
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(1), "{report:#}");
    assert_eq!(report["production"]["blocking_calls_in_async"], 1, "{report:#}");
    // The library checked alone cannot tell how it is run.
    let lib_only = member_chain_run(&dir, &target_dir, &["--lib"]);
    assert_eq!(places(&lib_only), every_finding, "{}", stderr(&lib_only));
}
