//! The data the driver records for `cargo async-lint --report`, one file per compiled crate, and
//! the subcommand reads back. Kept here so both sides share one definition.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// What one compiled crate (one cargo unit) contributed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrateReport {
    pub crate_name: String,
    /// The cargo package (`$CARGO_PKG_NAME`) and its directory.
    pub package: String,
    pub manifest_dir: String,
    /// `lib`, `bin`, ... (the first crate type).
    pub kind: String,
    /// Compiled with `--test` (a test harness).
    pub test_harness: bool,
    /// Counts over production code and over test code.
    pub production: Counts,
    pub test: Counts,
    /// The findings our lints emitted (those whose level is not `allow`).
    pub findings: Vec<Finding>,
    /// The source files of this crate that were compiled, as absolute paths.
    pub compiled_files: Vec<String>,
    /// The check of this crate failed (a compile error): the lints did not run, and only the
    /// fields known before analysis are filled in.
    #[serde(default)]
    pub check_failed: bool,
    /// The run of the subcommand that wrote this ([`RUN_ID_ENV`]).
    #[serde(default)]
    pub run_id: String,
    /// Other crates' async fns this crate only runs as a runtime's main task (keys as in
    /// [`Finding::main_task_of`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub main_tasks_entered: Vec<String>,
    /// Other crates' async fns this crate uses in another way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub async_fns_used_otherwise: Vec<String>,
    /// Other crates' async fns this crate only awaits where it calls them, in main tasks that
    /// are the only tasks of their runtimes (keys as in [`Finding::main_task_of`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub async_fns_awaited_alone: Vec<String>,
    /// Other crates' async fns this crate uses in another way (in a task beside others, polled
    /// beside another future, kept as a value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub async_fns_not_awaited_alone: Vec<String>,
}

/// Statistics counted from compiled code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub async_fns: u64,
    pub await_points: u64,
    pub blocking_calls_in_async: u64,
    pub runtime_entries_in_async: u64,
    pub async_sleeps: u64,
    pub runtime_creations: u64,
    pub block_on_calls: u64,
    pub spawn_blocking_uses: u64,
    pub task_spawns: u64,
    pub async_lock_acquisitions: u64,
    pub guards_across_awaits: u64,
    pub non_send_futures: u64,
}

impl Counts {
    /// Adds `other` to `self`.
    pub fn add(&mut self, other: &Counts) {
        for (mine, theirs) in self.fields_mut().into_iter().zip(other.fields()) {
            *mine += theirs;
        }
    }

    /// Each count with its label, in report order.
    #[must_use]
    pub fn labelled(&self) -> [(&'static str, u64); 12] {
        let values = self.fields();
        let labels = Self::LABELS;
        std::array::from_fn(|i| (labels[i], values[i]))
    }

    /// The labels of [`Counts::labelled`], also the JSON schema's property order.
    pub const LABELS: [&'static str; 12] = [
        "async fns",
        "`.await` points",
        "blocking calls in async code",
        "runtime entries from async code",
        "async sleeps",
        "runtime creations",
        "`block_on` calls",
        "`spawn_blocking`/`block_in_place` uses",
        "task spawns",
        "async lock acquisitions",
        "sync guards held across `.await`",
        "futures that are not `Send`",
    ];

    fn fields(&self) -> [u64; 12] {
        [
            self.async_fns,
            self.await_points,
            self.blocking_calls_in_async,
            self.runtime_entries_in_async,
            self.async_sleeps,
            self.runtime_creations,
            self.block_on_calls,
            self.spawn_blocking_uses,
            self.task_spawns,
            self.async_lock_acquisitions,
            self.guards_across_awaits,
            self.non_send_futures,
        ]
    }

    fn fields_mut(&mut self) -> [&mut u64; 12] {
        [
            &mut self.async_fns,
            &mut self.await_points,
            &mut self.blocking_calls_in_async,
            &mut self.runtime_entries_in_async,
            &mut self.async_sleeps,
            &mut self.runtime_creations,
            &mut self.block_on_calls,
            &mut self.spawn_blocking_uses,
            &mut self.task_spawns,
            &mut self.async_lock_acquisitions,
            &mut self.guards_across_awaits,
            &mut self.non_send_futures,
        ]
    }
}

/// One emitted diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub lint: String,
    /// `warn`, `deny` or `forbid`, as rustc applied it.
    pub level: String,
    pub message: String,
    pub location: Location,
    /// Whether the code is test code (`#[test]`, `#[cfg(test)]`, `tests/`).
    pub test_code: bool,
    /// The notes that point somewhere: the call chain, the awaits, the culprits.
    pub steps: Vec<Step>,
    /// Notes without a place.
    pub notes: Vec<String>,
    /// What to do: the `help:` lines and the suggested replacement, if any.
    pub help: Vec<String>,
    /// Set when the finding is in the start or end of this library's public async fn so named,
    /// where nothing else needs the thread if the crates that use it only run it as a
    /// runtime's main task: the subcommand drops the finding when they all do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_task_of: Option<String>,
    /// Set when the finding is in an async fn of this library that runs alone on its runtime
    /// if the crates that use it await these public async fns of the library (the fn itself,
    /// or those that await it where they call it) only in main tasks that are the only tasks
    /// of their runtimes: the subcommand drops the finding when the build's crates use them so,
    /// and no other way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lone_task_roots: Vec<String>,
}

/// A place in a source file; `file` is absolute as compiled, relative in rendered reports.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// A note with a place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub location: Location,
    pub message: String,
}

impl CrateReport {
    /// The findings whose level is `deny` or `forbid`: they fail the build.
    pub fn denied(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| matches!(finding.level.as_str(), "deny" | "forbid"))
    }

    /// Writes the report as JSON, through a temporary file so a reader never sees half of it.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        crate::json_file::write(self, path)
    }

    /// Reads a report written by [`CrateReport::write`].
    pub fn read(path: &Path) -> std::io::Result<Self> {
        crate::json_file::read(path)
    }

    /// Parses the contents of a report written by [`CrateReport::write`].
    pub fn parse(contents: &[u8]) -> std::io::Result<Self> {
        crate::json_file::parse(contents)
    }
}

/// The APIs the statistics count, by path, and which count each adds to.
pub const COUNTED_CALLS: &[(&str, Counter)] = &[
    ("tokio::time::sleep", Counter::AsyncSleep),
    ("tokio::time::sleep_until", Counter::AsyncSleep),
    ("async_std::task::sleep", Counter::AsyncSleep),
    ("smol::Timer::after", Counter::AsyncSleep),
    ("async_io::Timer::after", Counter::AsyncSleep),
    ("tokio::runtime::Runtime::new", Counter::RuntimeCreation),
    ("tokio::runtime::Builder::build", Counter::RuntimeCreation),
    ("tokio::runtime::Builder::build_local", Counter::RuntimeCreation),
    ("tokio::runtime::LocalRuntime::new", Counter::RuntimeCreation),
    ("tokio::runtime::Runtime::block_on", Counter::BlockOn),
    ("tokio::runtime::Handle::block_on", Counter::BlockOn),
    ("tokio::runtime::LocalRuntime::block_on", Counter::BlockOn),
    ("tokio::task::LocalSet::block_on", Counter::BlockOn),
    ("futures::executor::block_on", Counter::BlockOn),
    ("futures_executor::block_on", Counter::BlockOn),
    ("async_std::task::block_on", Counter::BlockOn),
    ("smol::block_on", Counter::BlockOn),
    ("async_io::block_on", Counter::BlockOn),
    ("futures_lite::future::block_on", Counter::BlockOn),
    ("pollster::block_on", Counter::BlockOn),
    ("tokio::task::spawn_blocking", Counter::SpawnBlocking),
    ("tokio::task::block_in_place", Counter::SpawnBlocking),
    ("tokio::runtime::Handle::spawn_blocking", Counter::SpawnBlocking),
    ("async_std::task::spawn_blocking", Counter::SpawnBlocking),
    ("smol::unblock", Counter::SpawnBlocking),
    ("blocking::unblock", Counter::SpawnBlocking),
    ("tokio::spawn", Counter::TaskSpawn),
    ("tokio::task::spawn", Counter::TaskSpawn),
    ("tokio::task::spawn_local", Counter::TaskSpawn),
    ("tokio::runtime::Handle::spawn", Counter::TaskSpawn),
    ("tokio::runtime::Runtime::spawn", Counter::TaskSpawn),
    ("tokio::task::JoinSet::spawn", Counter::TaskSpawn),
    ("tokio::task::LocalSet::spawn_local", Counter::TaskSpawn),
    ("async_std::task::spawn", Counter::TaskSpawn),
    ("smol::spawn", Counter::TaskSpawn),
    ("tokio::sync::Mutex::lock", Counter::AsyncLock),
    ("tokio::sync::Mutex::lock_owned", Counter::AsyncLock),
    ("tokio::sync::RwLock::read", Counter::AsyncLock),
    ("tokio::sync::RwLock::write", Counter::AsyncLock),
    ("async_lock::Mutex::lock", Counter::AsyncLock),
    ("async_lock::RwLock::read", Counter::AsyncLock),
    ("async_lock::RwLock::write", Counter::AsyncLock),
    ("futures::lock::Mutex::lock", Counter::AsyncLock),
];

/// Which count a counted call adds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    AsyncSleep,
    RuntimeCreation,
    BlockOn,
    SpawnBlocking,
    TaskSpawn,
    AsyncLock,
}

impl Counts {
    /// Counts one call of a counted API.
    pub fn count_call(&mut self, counter: Counter) {
        let field = match counter {
            Counter::AsyncSleep => &mut self.async_sleeps,
            Counter::RuntimeCreation => &mut self.runtime_creations,
            Counter::BlockOn => &mut self.block_on_calls,
            Counter::SpawnBlocking => &mut self.spawn_blocking_uses,
            Counter::TaskSpawn => &mut self.task_spawns,
            Counter::AsyncLock => &mut self.async_lock_acquisitions,
        };
        *field += 1;
    }
}
