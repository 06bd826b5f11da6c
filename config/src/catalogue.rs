//! The catalogue of APIs that block the calling thread, and of the functions whose closure
//! arguments run on another thread (boundaries).
//!
//! It is data: a path, the category, and what to use instead. The driver resolves the paths once
//! per crate (entries of crates outside the build resolve to nothing and are skipped);
//! `async-lint.toml` adds and removes entries; `--explain` lists them.

use std::borrow::Cow;

/// Why an API is in the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// Puts the thread to sleep.
    Sleep,
    /// Synchronous file-system I/O.
    FileSystem,
    /// Synchronous network I/O or a DNS lookup.
    Network,
    /// Waits for a child process, or reads and writes its pipes.
    Process,
    /// Reads the standard input, which waits for whoever types or pipes it.
    Stdio,
    /// Writes to the standard output or error: it waits only while the terminal or pipe
    /// reading them is slow, so it is `terminal_output_in_async`'s finding, quiet by default.
    TerminalOutput,
    /// Waits on another thread: channels, condition variables, barriers, joins, parking.
    ThreadSync,
    /// Tokio's `blocking_*` methods, which panic when called on a runtime thread.
    TokioBlocking,
    /// A synchronous database or HTTP client call.
    SyncClient,
    /// Listed in `async-lint.toml` without a category.
    Custom,
    /// Creates a tokio runtime or blocks on one (`Runtime::new`, `Handle::block_on`): tokio
    /// panics when this happens on a runtime thread.
    TokioRuntime,
    /// Blocks the thread until a future completes on an executor of its own
    /// (`futures::executor::block_on`, `pollster`, `smol`): on a runtime thread it stalls the
    /// runtime, and deadlocks when the future needs that thread.
    BlockOn,
    /// A synchronous client that drives an inner tokio runtime (`reqwest::blocking`, the sync
    /// `postgres` client): it panics when used on a runtime thread.
    RuntimeClient,
    /// Works only on a multi-thread tokio runtime (`block_in_place`): it panics on a
    /// current-thread one (`block_in_place_on_current_thread`).
    MultiThreadOnly,
    /// Needs the context of a tokio runtime (`tokio::spawn`, `Handle::current`, timers, I/O
    /// types): it panics where none is entered (`missing_runtime`).
    RuntimeContext,
    /// Spawns a task on the current tokio runtime (`tokio::spawn`, `JoinSet::spawn`): needs
    /// its context, like [`Category::RuntimeContext`], and gives the runtime a task besides the
    /// one spawning it.
    TaskSpawn,
    /// Spawns a task on a runtime given by a handle (`Handle::spawn`, `Runtime::spawn`,
    /// `LocalSet::spawn_local`): no context needed, another task all the same.
    HandleSpawn,
}

impl Category {
    /// The async replacement, as a noun phrase: "`tokio::fs`".
    ///
    /// `tokio`: whether the crate uses tokio; otherwise the advice names no runtime.
    #[must_use]
    pub fn alternative(self, tokio: bool) -> &'static str {
        if !tokio {
            return match self {
                Category::Sleep => "your runtime's async timer",
                Category::FileSystem => "your runtime's async file API",
                Category::Network => "your runtime's async networking",
                Category::Process => "your runtime's async process API",
                Category::Stdio => "your runtime's async standard input",
                Category::TerminalOutput => "output sent to a task or thread of its own",
                Category::ThreadSync => "an async channel or lock, awaited",
                Category::TokioBlocking => "the async version of the method, awaited",
                Category::SyncClient | Category::RuntimeClient => "the client's async API",
                Category::Custom => "an async alternative",
                Category::TokioRuntime | Category::BlockOn => "`.await` on the future",
                Category::MultiThreadOnly => "a thread of the blocking pool",
                Category::RuntimeContext | Category::TaskSpawn | Category::HandleSpawn => "a runtime entered first",
            };
        }
        match self {
            Category::Sleep => "`tokio::time::sleep(..).await` (or your runtime's async timer)",
            Category::FileSystem => "`tokio::fs`",
            Category::Network => "`tokio::net`",
            Category::Process => "`tokio::process`",
            Category::Stdio => "`tokio::io::stdin()`",
            Category::TerminalOutput => "`tokio::io::stdout()`/`stderr()`, or output sent to a task of its own",
            Category::ThreadSync => "the `tokio::sync` equivalent, awaited",
            Category::TokioBlocking => "the async version of the method, awaited",
            Category::SyncClient => "the client's async API",
            Category::Custom => "an async alternative",
            Category::TokioRuntime | Category::BlockOn => "`.await` on the future",
            Category::RuntimeClient => "the async client (`reqwest::Client`, `tokio_postgres`)",
            Category::MultiThreadOnly => "`tokio::task::spawn_blocking(..).await`",
            Category::RuntimeContext | Category::TaskSpawn | Category::HandleSpawn => {
                "a runtime entered first (`let _guard = runtime.enter();`)"
            }
        }
    }

    /// Whether the API blocks the thread it runs on (the `blocking_in_async` lint).
    #[must_use]
    pub fn blocks(self) -> bool {
        !self.enters_runtime()
            && !matches!(
                self,
                Category::MultiThreadOnly | Category::RuntimeContext | Category::TaskSpawn | Category::HandleSpawn
            )
    }

    /// Whether the API enters a runtime (the `nested_runtime` lint) rather than just blocking
    /// (`blocking_in_async`).
    #[must_use]
    pub fn enters_runtime(self) -> bool {
        matches!(
            self,
            Category::TokioRuntime | Category::BlockOn | Category::RuntimeClient
        )
    }

    /// What happens at run time when async code reaches it; for runtime entries.
    #[must_use]
    pub fn runtime_failure(self) -> &'static str {
        match self {
            Category::TokioRuntime | Category::RuntimeClient => {
                "on a runtime thread tokio panics: \"Cannot start a runtime from within a runtime\""
            }
            Category::BlockOn => {
                "this blocks the executor thread until the future completes; on a current-thread runtime, or when \
                 the future waits for a task of this thread, it never completes (deadlock)"
            }
            Category::MultiThreadOnly => {
                "on a current-thread runtime tokio panics: \"can call blocking only when running on the \
                 multi-threaded runtime\""
            }
            Category::RuntimeContext | Category::TaskSpawn => {
                "outside a runtime tokio panics: \"there is no reactor running, must be called from the context of \
                 a Tokio 1.x runtime\""
            }
            _ => "it blocks the executor thread",
        }
    }

    /// Whether moving the call to the blocking pool is a sensible fix (it is not for a sleep,
    /// nor for tokio's blocking bridges, whose async versions exist).
    #[must_use]
    pub fn offloading_helps(self) -> bool {
        !matches!(
            self,
            Category::Sleep
                | Category::TokioBlocking
                | Category::TokioRuntime
                | Category::BlockOn
                | Category::MultiThreadOnly
                | Category::RuntimeContext
                | Category::TaskSpawn
                | Category::HandleSpawn
        )
    }

    /// How surely the API waits, to choose among several chains the one that explains a
    /// finding best: sleeps, network and process waits, waits on other threads and clients
    /// first; file-system calls, often quick (a file open on the way to the real wait), next;
    /// terminal output, which waits only on a slow reader, last.
    #[must_use]
    pub fn wait_rank(self) -> u8 {
        match self {
            Category::TerminalOutput => 0,
            Category::FileSystem => 1,
            _ => 2,
        }
    }

    /// The highest [`Category::wait_rank`]: a chain with it needs no better one.
    pub const SUREST_WAIT: u8 = 2;

    /// The name used in `async-lint.toml`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Category::Sleep => "sleep",
            Category::FileSystem => "file-system",
            Category::Network => "network",
            Category::Process => "process",
            Category::Stdio => "stdio",
            Category::TerminalOutput => "terminal-output",
            Category::ThreadSync => "thread-sync",
            Category::TokioBlocking => "tokio-blocking",
            Category::SyncClient => "sync-client",
            Category::Custom => "custom",
            Category::TokioRuntime => "tokio-runtime",
            Category::BlockOn => "block-on",
            Category::RuntimeClient => "runtime-client",
            Category::MultiThreadOnly => "multi-thread-only",
            Category::RuntimeContext => "runtime-context",
            Category::TaskSpawn => "task-spawn",
            Category::HandleSpawn => "handle-spawn",
        }
    }

    pub const ALL: [Category; 17] = [
        Category::Sleep,
        Category::FileSystem,
        Category::Network,
        Category::Process,
        Category::Stdio,
        Category::TerminalOutput,
        Category::ThreadSync,
        Category::TokioBlocking,
        Category::SyncClient,
        Category::Custom,
        Category::TokioRuntime,
        Category::BlockOn,
        Category::RuntimeClient,
        Category::MultiThreadOnly,
        Category::RuntimeContext,
        Category::TaskSpawn,
        Category::HandleSpawn,
    ];

    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|category| category.name() == name)
    }

    /// A short name for reports and notes.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Category::Sleep => "puts the thread to sleep",
            Category::FileSystem => "does blocking file-system I/O",
            Category::Network => "does blocking network I/O",
            Category::Process => "waits on a child process",
            Category::Stdio => "reads the standard input",
            Category::TerminalOutput => "writes to the terminal (standard output or error)",
            Category::ThreadSync => "waits on another thread",
            Category::TokioBlocking => "blocks the thread, and panics on a tokio runtime thread",
            Category::SyncClient => "makes a blocking client call",
            Category::Custom => "blocks (listed in async-lint.toml)",
            Category::TokioRuntime => "enters a tokio runtime",
            Category::BlockOn => "blocks on a future with an executor of its own",
            Category::RuntimeClient => "drives an inner tokio runtime",
            Category::MultiThreadOnly => "works only on a multi-thread tokio runtime",
            Category::RuntimeContext => "needs to run inside a tokio runtime",
            Category::TaskSpawn => "needs to run inside a tokio runtime: it spawns a task on the current one",
            Category::HandleSpawn => "spawns a task on a tokio runtime",
        }
    }
}

/// One catalogue entry. Summaries write it in the schema of `catalogue.blocking`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// A free function, an inherent method, or a trait method (`std::io::Read::read`).
    pub path: Cow<'static, str>,
    /// For trait methods: only calls whose `Self` type (references peeled) is this type.
    #[serde(rename = "self_type", default, skip_serializing_if = "Option::is_none")]
    pub self_ty: Option<Cow<'static, str>>,
    pub category: Category,
    /// What to use instead; `None` means the category's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Cow<'static, str>>,
}

/// A category is written by its name (`"file-system"`).
impl serde::Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Category {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Category::from_name(&name).ok_or_else(|| serde::de::Error::custom(format!("unknown category `{name}`")))
    }
}

impl Entry {
    /// How diagnostics name the API: the path, or for a trait method restricted to one type,
    /// the qualified form `<std::fs::File as std::io::Read>::read`.
    #[must_use]
    pub fn display_name(&self) -> String {
        match (self.self_ty.as_deref(), self.path.rsplit_once("::")) {
            (Some(self_ty), Some((trait_path, method))) if self.is_trait_method() => {
                format!("<{self_ty} as {trait_path}>::{method}")
            }
            // A free function restricted to one argument type: `std::mem::drop::<Runtime>`.
            (Some(self_ty), _) => format!("{}::<{self_ty}>", self.path),
            _ => self.path.to_string(),
        }
    }

    /// Whether the entry is a drop of its restricting type (`std::mem::drop::<Runtime>`, the
    /// drop glue), rather than a call.
    #[must_use]
    pub fn is_drop(&self) -> bool {
        self.self_ty.is_some() && !self.is_trait_method()
    }

    /// Whether the path names a trait's method (its parent is a type or trait, capitalized),
    /// rather than a free function of a module.
    #[must_use]
    pub fn is_trait_method(&self) -> bool {
        self.path
            .rsplit("::")
            .nth(1)
            .is_some_and(|parent| parent.starts_with(char::is_uppercase))
    }

    /// What to do about a direct call: the configured hint, or the category's advice.
    #[must_use]
    /// `tokio`: whether the crate uses tokio, whose APIs the advice may then name.
    pub fn hint(&self, tokio: bool) -> String {
        match &self.hint {
            Some(hint) => hint.to_string(),
            None if self.category.offloading_helps() => format!(
                "use {}, or move the call {}",
                self.category.alternative(tokio),
                blocking_pool(tokio)
            ),
            None => format!("use {}", self.category.alternative(tokio)),
        }
    }

    /// What to do about a call of `function`, which reaches this entry.
    #[must_use]
    pub fn hint_through(&self, function: &str, tokio: bool) -> String {
        let make_async = match &self.hint {
            Some(hint) => format!("make `{function}` async ({hint})"),
            None => format!("make `{function}` async and use {}", self.category.alternative(tokio)),
        };
        format!(
            "move the call to `{function}` {}, or {make_async}",
            blocking_pool(tokio)
        )
    }
}

impl Entry {
    /// What happens at run time when async code reaches this runtime entry. Dropping a tokio
    /// runtime fails differently from blocking on one.
    #[must_use]
    pub fn runtime_failure(&self) -> &'static str {
        if self.is_drop() {
            return "tokio panics: \"Cannot drop a runtime in a context where blocking is not allowed\"";
        }
        self.category.runtime_failure()
    }

    /// What to do about a call of `function`, which reaches this entry, when `function` cannot
    /// be made async: a dependency's function, or a trait impl's method.
    #[must_use]
    pub fn hint_offload(&self, function: &str, tokio: bool) -> String {
        format!("move the call to `{function}` {}", blocking_pool(tokio))
    }
}

/// Where blocking work goes instead.
#[must_use]
pub fn blocking_pool(tokio: bool) -> &'static str {
    if tokio {
        "into `tokio::task::spawn_blocking`"
    } else {
        "onto a blocking thread (`blocking::unblock`, `async_std::task::spawn_blocking`)"
    }
}

/// Where the built-in catalogue is, in the tool's sources; it is embedded when the tool is built.
pub const BUILTIN_FILE: &str = "config/catalogue.toml";

/// The built-in catalogue, read from [`BUILTIN_FILE`] with the code that reads `async-lint.toml`.
#[derive(Debug)]
pub struct Builtin {
    /// Its `blocking` entries.
    pub calls: Vec<Entry>,
    /// Synchronous handles whose `Read`/`Write`/`BufRead` methods block, with their category.
    pub io_handles: Vec<(String, Category)>,
    /// Those methods.
    pub io_methods: Vec<String>,
}

/// The built-in catalogue, parsed once per process. An error names the file, line and key; the
/// tool's tests make sure the embedded file has none.
pub fn builtin() -> Result<&'static Builtin, &'static crate::ConfError> {
    static BUILTIN: std::sync::OnceLock<Result<Builtin, crate::ConfError>> = std::sync::OnceLock::new();
    BUILTIN
        .get_or_init(|| crate::parse_builtin(include_str!("../catalogue.toml"), std::path::Path::new(BUILTIN_FILE)))
        .as_ref()
}

/// The built-in entries: the `blocking` list, plus the `Read`/`Write`/`BufRead` methods of each
/// of the handles. None when the built-in catalogue is invalid (the driver stops on that first).
pub fn builtin_entries() -> impl Iterator<Item = Entry> {
    let builtin = builtin().ok();
    let calls = builtin.into_iter().flat_map(|builtin| builtin.calls.iter().cloned());
    let io_entries = builtin.into_iter().flat_map(|builtin| {
        builtin.io_handles.iter().flat_map(|(handle, category)| {
            builtin.io_methods.iter().map(|method| Entry {
                path: Cow::Owned(method.clone()),
                self_ty: Some(Cow::Owned(handle.clone())),
                category: *category,
                hint: None,
            })
        })
    });
    calls.chain(io_entries)
}

/// Functions of dependencies that block in principle and not in practice (besides
/// `cross_crate.non_blocking`): one-time initialisation, which waits only while another thread
/// runs the same initialiser (`once_cell`'s `Lazy`, which `tracing` and `regex` reach on every
/// call; `OnceCell::wait`, which waits for someone else to initialise, stays blocking); reads
/// of `/proc` and `/sys`; the OS's randomness.
pub const BUILTIN_NON_BLOCKING: &[&str] = &[
    "once_cell::sync::Lazy::force",
    "once_cell::sync::OnceCell::get_or_init",
    "once_cell::sync::OnceCell::get_or_try_init",
    "once_cell::race::OnceBox::get_or_init",
    "parking_lot::Once::call_once",
    "parking_lot::Once::call_once_force",
    // The local time zone (`chrono::Local`): read once per thread, then checked for a change
    // at most once a second (a `stat` of `/etc/localtime`).
    "chrono::Local::now",
    "chrono::offset::local::inner::offset_from_utc_datetime",
    "chrono::offset::local::inner::offset_from_local_datetime",
    // jiff's time-zone database: one global database, made once, whose lookups are cached and
    // re-checked against the file at most every five minutes (a `stat`).
    "jiff::tz::db",
    "jiff::tz::db::db",
    "jiff::tz::TimeZoneDatabase::get",
    "jiff::tz::db::TimeZoneDatabase::get",
    // Opening the controlling terminal (`/dev/tty`), a device that answers at once: what
    // `crossterm` does to find the terminal before it sets modes or reads its size.
    "crossterm::terminal::sys::file_descriptor::tty_fd",
    // crossterm's fallback when `ioctl` cannot read the terminal's size: it runs `tput`.
    "crossterm::terminal::sys::unix::tput_value",
    // Command-line parsing: it reads the process's arguments, and touches the terminal only on
    // a parse error, to print the usage (clap 2 may then wait for Enter) right before it exits
    // the process.
    "clap::Parser::parse",
    "clap::Parser::parse_from",
    "clap::Command::get_matches",
    "clap::Command::get_matches_from",
    "clap::Error::exit",
    "clap::App::get_matches",
    "clap::App::get_matches_from",
    "structopt::StructOpt::from_args",
    "structopt::StructOpt::from_iter",
    "argh::from_env",
    // Taking a lock, which waits only while another thread holds it (as `std::sync::Mutex::lock`,
    // not in the catalogue either): the locks of `lock_api`, whichever raw lock they use
    // (`parking_lot`'s, or a channel's spin-then-sleep internal one). Holding one across an
    // `.await` is `lock_across_await`'s finding.
    "lock_api::Mutex::lock",
    "lock_api::ReentrantMutex::lock",
    "lock_api::RwLock::read",
    "lock_api::RwLock::write",
    "lock_api::RwLock::upgradable_read",
    // Reads of `/proc` and `/sys`, which the kernel answers from memory.
    "num_cpus::get",
    "num_cpus::get_physical",
    // The OS's randomness (`getrandom(2)`, or reading `/dev/urandom` where it is missing),
    // which waits only for the entropy pool's first seeding at boot.
    "getrandom::getrandom",
    "getrandom::fill",
    "getrandom::fill_uninit",
    "getrandom::u32",
    "getrandom::u64",
];

/// Channels whose send waits only while the channel is bounded and full: the send, the
/// constructors that make such a channel bounded, and what to use instead. An unbounded
/// channel's send never waits, and most code makes them unbounded, so a send is blocking only
/// where the code shows its channel came from one of these constructors (in the same body, or
/// in the struct literal that filled the field it is sent on); elsewhere it is taken as
/// non-blocking.
pub const BOUNDED_CHANNEL_SENDS: &[(&str, &[&str], &str)] = &[
    (
        "flume::Sender::send",
        &["flume::bounded"],
        "use `send_async(..).await`, which waits without blocking the thread",
    ),
    (
        "flume::Sender::send_timeout",
        &["flume::bounded"],
        "use `send_async(..).await` (under `tokio::time::timeout` for a deadline)",
    ),
    (
        "crossbeam_channel::Sender::send",
        &["crossbeam_channel::bounded"],
        "use an async channel (`tokio::sync::mpsc`, or `flume` with `send_async`), or `try_send` and handle a full \
         channel",
    ),
    (
        "crossbeam_channel::Sender::send_timeout",
        &["crossbeam_channel::bounded"],
        "use an async channel (`tokio::sync::mpsc`, or `flume` with `send_async`), or `try_send` and handle a full \
         channel",
    ),
    (
        "kanal::Sender::send",
        &["kanal::bounded"],
        "use the channel's async half (`kanal::bounded_async`, or `clone_async()`) and `send(..).await`",
    ),
    (
        "async_channel::Sender::send_blocking",
        &["async_channel::bounded"],
        "use `send(..).await`",
    ),
];

/// Where the kernel answers from memory: a file-system call on a literal path under one of
/// these (`std::fs::read_dir("/dev/fd")`, `read_to_string("/proc/self/status")`) does not block.
pub const NON_BLOCKING_PATH_PREFIXES: &[&str] = &[
    "/proc/",
    "/sys/",
    "/dev/fd",
    "/dev/null",
    "/dev/random",
    "/dev/urandom",
    "/dev/tty",
];

/// Calls that wait at most the duration their argument gives (by index, a method's receiver not
/// counted): with a zero duration (`crossterm::event::poll(Duration::ZERO)`) they return at once.
pub const TIMED_WAITS: &[(&str, usize)] = &[
    ("crossterm::event::poll", 0),
    ("std::sync::mpsc::Receiver::recv_timeout", 0),
    ("crossbeam_channel::Receiver::recv_timeout", 0),
    ("flume::Receiver::recv_timeout", 0),
];

/// Calls that do not wait when made where the second call just said something is ready: the
/// body of `if poll(..)? { read()? }` or `while poll(..)? { .. }`.
pub const READY_AFTER: &[(&str, &str)] = &[("crossterm::event::read", "crossterm::event::poll")];

/// Types whose destructor blocks in principle and not in practice: dropping one is taken as
/// non-blocking. indicatif's `Ticker` (the steady-tick thread of a progress bar) tells its
/// thread to stop, wakes it, and joins it, which returns as soon as the thread sees the flag.
pub const NON_BLOCKING_DROPS: &[&str] = &["indicatif::progress_bar::Ticker"];

/// Crates written to be called from async code (executors, reactors, async I/O and HTTP
/// stacks): they are not summarised for the cross-crate analysis, because their sync internals
/// (a waker's `write` to an eventfd, a reactor's poll) are non-blocking by construction, and
/// their genuinely blocking APIs (`block_on`, `blocking_recv`, `Semaphore::blocking_acquire`) are catalogued
/// by name. `cross_crate.exclude` adds to this list.
pub const ASYNC_NATIVE_CRATES: &[&str] = &[
    "tokio",
    "tokio_util",
    "tokio_stream",
    "mio",
    "futures",
    "futures_util",
    "futures_core",
    "futures_channel",
    "futures_executor",
    "futures_io",
    "futures_lite",
    "async_std",
    "async_io",
    "async_executor",
    "async_global_executor",
    "async_channel",
    "async_lock",
    "async_task",
    "smol",
    "polling",
    "blocking",
    "pollster",
    "hyper",
    "hyper_util",
    "h2",
    "tower",
    "actix_rt",
    "actix_web",
    "actix_server",
    "axum",
    "reqwest",
    "tonic",
];

/// Functions whose closure or fn-item arguments run on another thread: code passed to them is
/// not async context, and a fn item passed to them is not called here.
pub const BUILTIN_BOUNDARIES: &[&str] = &[
    "tokio::task::spawn_blocking",
    "tokio::task::block_in_place",
    "tokio::runtime::Handle::spawn_blocking",
    "tokio::runtime::Runtime::spawn_blocking",
    "tokio::task::JoinSet::spawn_blocking",
    "tokio::task::JoinSet::spawn_blocking_on",
    "std::thread::spawn",
    "std::thread::Builder::spawn",
    "std::thread::Builder::spawn_scoped",
    "std::thread::Scope::spawn",
    "rayon::spawn",
    "rayon::spawn_fifo",
    "rayon::Scope::spawn",
    "rayon::ThreadPool::spawn",
    "rayon::ThreadPool::spawn_fifo",
    "rayon_core::spawn",
    "rayon_core::spawn_fifo",
    "rayon_core::Scope::spawn",
    "rayon_core::ThreadPool::spawn",
    "async_std::task::spawn_blocking",
    "smol::unblock",
    "blocking::unblock",
    "blocking::Unblock::new",
    "async_global_executor::spawn_blocking",
    "actix_web::web::block",
    "actix_rt::task::spawn_blocking",
];

/// Trait methods whose implementations run on an async executor exactly like an `async fn`
/// body (besides `catalogue.poll_methods`): the poll methods of futures, streams, async IO
/// types and sinks. An executor calls them from its own thread each time the task is woken.
pub const BUILTIN_POLL_METHODS: &[&str] = &[
    "std::future::Future::poll",
    "futures_core::Stream::poll_next",
    "futures_core::stream::Stream::poll_next",
    "futures_sink::Sink::poll_ready",
    "futures_sink::Sink::start_send",
    "futures_sink::Sink::poll_flush",
    "futures_sink::Sink::poll_close",
    "tokio::io::AsyncRead::poll_read",
    "tokio::io::AsyncWrite::poll_write",
    "tokio::io::AsyncWrite::poll_write_vectored",
    "tokio::io::AsyncWrite::poll_flush",
    "tokio::io::AsyncWrite::poll_shutdown",
    "tokio::io::AsyncBufRead::poll_fill_buf",
    "tokio::io::AsyncSeek::start_seek",
    "tokio::io::AsyncSeek::poll_complete",
    "futures_io::AsyncRead::poll_read",
    "futures_io::AsyncRead::poll_read_vectored",
    "futures_io::AsyncWrite::poll_write",
    "futures_io::AsyncWrite::poll_write_vectored",
    "futures_io::AsyncWrite::poll_flush",
    "futures_io::AsyncWrite::poll_close",
    "futures_io::AsyncBufRead::poll_fill_buf",
    "futures_io::AsyncSeek::poll_seek",
];

/// Tokio's async counterparts of blocking free functions, for `--fix`: the blocking path, the
/// async one (called with the same arguments, then awaited), and whether the two take the same
/// argument bounds and return the same type, so the rewrite compiles wherever the call did.
pub const ASYNC_COUNTERPARTS: &[(&str, &str, bool)] = &[
    ("std::fs::read", "tokio::fs::read", true),
    ("std::fs::read_to_string", "tokio::fs::read_to_string", true),
    ("std::fs::write", "tokio::fs::write", true),
    ("std::fs::copy", "tokio::fs::copy", true),
    ("std::fs::rename", "tokio::fs::rename", true),
    ("std::fs::remove_file", "tokio::fs::remove_file", true),
    ("std::fs::remove_dir", "tokio::fs::remove_dir", true),
    ("std::fs::remove_dir_all", "tokio::fs::remove_dir_all", true),
    ("std::fs::create_dir", "tokio::fs::create_dir", true),
    ("std::fs::create_dir_all", "tokio::fs::create_dir_all", true),
    ("std::fs::read_link", "tokio::fs::read_link", true),
    ("std::fs::metadata", "tokio::fs::metadata", true),
    ("std::fs::symlink_metadata", "tokio::fs::symlink_metadata", true),
    ("std::fs::canonicalize", "tokio::fs::canonicalize", true),
    ("std::fs::hard_link", "tokio::fs::hard_link", true),
    ("std::fs::set_permissions", "tokio::fs::set_permissions", true),
    ("std::fs::exists", "tokio::fs::try_exists", true),
    // Returns tokio's own `ReadDir`, whose `next_entry` is async: the code around changes.
    ("std::fs::read_dir", "tokio::fs::read_dir", false),
];

/// Methods of `std::process::Command` that `tokio::process::Command` has with the same
/// signatures: a command built only with these can be built as tokio's instead, and its
/// `output()`/`status()` awaited.
pub const SHARED_COMMAND_METHODS: &[&str] = &[
    "new",
    "arg",
    "args",
    "env",
    "envs",
    "env_remove",
    "env_clear",
    "current_dir",
    "stdin",
    "stdout",
    "stderr",
];

/// How code comes to run on a tokio runtime of a known flavour, for
/// `block_in_place_on_current_thread`: what builds a runtime, and its flavour.
pub const RUNTIME_FLAVOURS: &[(&str, RuntimeFlavour)] = &[
    (
        "tokio::runtime::Builder::new_current_thread",
        RuntimeFlavour::CurrentThread,
    ),
    ("tokio::runtime::Builder::build_local", RuntimeFlavour::CurrentThread),
    ("tokio::runtime::LocalRuntime::new", RuntimeFlavour::CurrentThread),
    ("tokio::runtime::Builder::new_multi_thread", RuntimeFlavour::MultiThread),
    ("tokio::runtime::Runtime::new", RuntimeFlavour::MultiThread),
];

/// The flavour of a tokio runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuntimeFlavour {
    /// One thread runs every task (`#[tokio::test]`'s default, `new_current_thread`).
    CurrentThread,
    /// A pool of worker threads (`#[tokio::main]`'s default, `new_multi_thread`).
    MultiThread,
}

/// Calls that run a future on a runtime, whose flavour is then the future's: the index of the
/// runtime among the arguments (the receiver is 0) and of the future.
pub const FUTURE_RUNNERS: &[(&str, usize, usize)] = &[
    ("tokio::runtime::Runtime::block_on", 0, 1),
    ("tokio::runtime::LocalRuntime::block_on", 0, 1),
    ("tokio::task::LocalSet::block_on", 1, 2),
];

/// Calls after which the code runs inside a runtime's context, or that check for one: code
/// after them is not `missing_runtime`'s to judge.
pub const RUNTIME_CONTEXT_ENTRIES: &[&str] = &[
    "tokio::runtime::Runtime::enter",
    "tokio::runtime::Handle::enter",
    "tokio::runtime::LocalRuntime::enter",
    "tokio::runtime::Handle::try_current",
];

/// Functions that start a thread with none of the caller's runtime context: the closure given to
/// them runs where no runtime is entered, unless it enters one.
pub const NEW_THREADS: &[&str] = &[
    "std::thread::spawn",
    "std::thread::Builder::spawn",
    "std::thread::Builder::spawn_scoped",
    "std::thread::Scope::spawn",
];

/// The built-in catalogue as Markdown, for `--explain` and `docs/lints.md`.
#[must_use]
pub fn markdown() -> String {
    let quoted = |items: &mut dyn Iterator<Item = String>| items.map(|item| format!("`{item}`")).collect::<Vec<_>>();
    let Ok(builtin) = builtin() else {
        return String::new();
    };
    let mut paragraphs = vec!["### The catalogue".to_owned()];
    for category in Category::ALL {
        let mut parts = Vec::new();
        let calls = quoted(
            &mut builtin
                .calls
                .iter()
                .filter(|entry| entry.category == category)
                .map(|entry| match &entry.self_ty {
                    Some(self_ty) => format!("{}` on `{self_ty}", entry.path),
                    None => entry.path.to_string(),
                }),
        );
        if !calls.is_empty() {
            parts.push(calls.join(", "));
        }
        let handles = quoted(
            &mut builtin
                .io_handles
                .iter()
                .filter(|(_, handle_category)| *handle_category == category)
                .map(|(handle, _)| handle.clone()),
        );
        if !handles.is_empty() {
            parts.push(format!(
                "the `Read`/`Write`/`BufRead` methods on {}",
                handles.join(", ")
            ));
        }
        if !parts.is_empty() {
            paragraphs.push(format!(
                "**{}** ({}): {}",
                category.name(),
                category.description(),
                parts.join("; ")
            ));
        }
    }
    let methods = quoted(
        &mut builtin
            .io_methods
            .iter()
            .filter_map(|path| path.rsplit("::").next())
            .map(str::to_owned),
    );
    paragraphs.push(format!(
        "The `Read`/`Write`/`BufRead` methods are {}.",
        methods.join(", ")
    ));
    let sends = BOUNDED_CHANNEL_SENDS
        .iter()
        .map(|(send, bounded, _)| format!("`{send}` (bounded by `{}`)", bounded.join("`, `")))
        .collect::<Vec<_>>();
    paragraphs.push(format!(
        "### Channel sends\nThese wait only while a bounded channel is full, so they block where the code shows \
         the channel was made by the bounded constructor, and are taken as non-blocking elsewhere: {}.",
        sends.join(", ")
    ));
    let non_blocking = quoted(&mut BUILTIN_NON_BLOCKING.iter().map(|path| (*path).to_owned()));
    paragraphs.push(format!(
        "### Taken as non-blocking\nFunctions that block in principle and not in practice (one-time \
         initialisation, taking a lock, `/proc` reads, the OS's randomness, the local time zone, opening \
         `/dev/tty`, command-line parsing): chains through them are not followed. `cross_crate.non_blocking` adds to them: {}. Dropping {} is taken as non-blocking too.",
        non_blocking.join(", "),
        quoted(&mut NON_BLOCKING_DROPS.iter().map(|path| (*path).to_owned())).join(", ")
    ));
    let boundaries = quoted(&mut BUILTIN_BOUNDARIES.iter().map(|path| (*path).to_owned()));
    paragraphs.push(format!(
        "### Boundaries\nClosures and functions passed to these run on another thread: {}. So do closures \
         passed where a function requires `FnOnce`/`FnMut`/`Fn` + `Send + 'static`, and arguments of this \
         crate's own functions that hand them on to a boundary.",
        boundaries.join(", ")
    ));
    paragraphs.join("\n\n") + "\n"
}

/// What kind of guard a type is, for `lock_across_await`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuardKind {
    /// A synchronous lock's guard.
    Lock,
    /// A `RefCell` borrow.
    Borrow,
    /// An entered `tracing` span (`Entered`, `EnteredSpan`).
    Span,
    /// Listed in `catalogue.guards`.
    Listed,
}

impl GuardKind {
    /// "lock guard", as the subject of a message.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            GuardKind::Lock => "lock guard",
            GuardKind::Borrow => "`RefCell` borrow",
            GuardKind::Span => "entered `tracing` span",
            GuardKind::Listed => "guard (listed in async-lint.toml)",
        }
    }

    /// What is held: "lock", "borrow", "guard".
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            GuardKind::Lock => "lock",
            GuardKind::Borrow => "borrow",
            GuardKind::Span => "entered span",
            GuardKind::Listed => "guard",
        }
    }

    /// What goes wrong while the task waits; `send`: whether the guard type is `Send` (some
    /// `parking_lot` guards are), else the future is not `Send` either.
    #[must_use]
    pub fn consequence(self, send: bool) -> String {
        let what = match self {
            GuardKind::Lock => {
                "while the task waits, any other task that locks it blocks its thread, and deadlocks when it runs on \
                 the waiting task's thread or the waiting task needs it to go on"
            }
            GuardKind::Borrow => {
                "while the task waits, any other borrow of the `RefCell` that conflicts with this one panics \
                 (\"already borrowed\")"
            }
            GuardKind::Span => {
                "while the task waits, the span stays entered on this thread: what every other task polled there \
                 records lands in this span, and the span is exited on whichever thread resumes the task"
            }
            GuardKind::Listed => "while the task waits, whatever the guard protects stays taken",
        };
        if send {
            what.to_owned()
        } else {
            format!("{what}; the future is also not `Send`")
        }
    }

    /// What to do instead; `name` is the guard's variable, when it has one.
    #[must_use]
    pub fn remedy(self, name: Option<&str>) -> String {
        let release = match name {
            Some(name) => format!("end its block, or call `drop({name})`"),
            None => "end its block, or bind it and `drop` it".to_owned(),
        };
        match self {
            GuardKind::Lock => format!(
                "release it before the `.await` ({release}), or use an async-aware lock such as `tokio::sync::Mutex` \
                 if it must be held while waiting"
            ),
            GuardKind::Borrow => format!("end the borrow before the `.await` ({release})"),
            GuardKind::Span => format!(
                "attach the span to the future instead (`future.instrument(span)`, from `tracing::Instrument`), or \
                 exit it before the `.await` ({release})"
            ),
            GuardKind::Listed => format!("release it before the `.await` ({release})"),
        }
    }
}

/// Guard types: what `lock_across_await` looks for (besides `catalogue.guards`). `parking_lot`'s
/// guards are `lock_api`'s types.
pub const BUILTIN_GUARDS: &[(&str, GuardKind)] = &[
    ("std::sync::MutexGuard", GuardKind::Lock),
    ("std::sync::RwLockReadGuard", GuardKind::Lock),
    ("std::sync::RwLockWriteGuard", GuardKind::Lock),
    ("std::sync::MappedMutexGuard", GuardKind::Lock),
    ("std::sync::MappedRwLockReadGuard", GuardKind::Lock),
    ("std::sync::MappedRwLockWriteGuard", GuardKind::Lock),
    ("std::sync::ReentrantLockGuard", GuardKind::Lock),
    ("lock_api::MutexGuard", GuardKind::Lock),
    ("lock_api::MappedMutexGuard", GuardKind::Lock),
    ("lock_api::ReentrantMutexGuard", GuardKind::Lock),
    ("lock_api::MappedReentrantMutexGuard", GuardKind::Lock),
    ("lock_api::RwLockReadGuard", GuardKind::Lock),
    ("lock_api::RwLockWriteGuard", GuardKind::Lock),
    ("lock_api::RwLockUpgradableReadGuard", GuardKind::Lock),
    ("lock_api::MappedRwLockReadGuard", GuardKind::Lock),
    ("lock_api::MappedRwLockWriteGuard", GuardKind::Lock),
    ("spin::mutex::MutexGuard", GuardKind::Lock),
    ("spin::mutex::SpinMutexGuard", GuardKind::Lock),
    ("spin::mutex::spin::SpinMutexGuard", GuardKind::Lock),
    ("spin::mutex::TicketMutexGuard", GuardKind::Lock),
    ("spin::rwlock::RwLockReadGuard", GuardKind::Lock),
    ("spin::rwlock::RwLockWriteGuard", GuardKind::Lock),
    ("spin::rwlock::RwLockUpgradableGuard", GuardKind::Lock),
    ("std::cell::Ref", GuardKind::Borrow),
    ("std::cell::RefMut", GuardKind::Borrow),
    ("tracing::span::Entered", GuardKind::Span),
    ("tracing::span::EnteredSpan", GuardKind::Span),
];

/// The built-in guard types as Markdown, for `--explain lock_across_await` and `docs/lints.md`.
#[must_use]
pub fn guards_markdown() -> String {
    let list = |kind: GuardKind| {
        BUILTIN_GUARDS
            .iter()
            .filter(|(_, guard)| *guard == kind)
            .map(|(path, _)| format!("`{path}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "### Guard types\n\n**Lock guards**: {}.\n\n**`RefCell` borrows**: {}.\n\n**Entered `tracing` spans**: {}.\n",
        list(GuardKind::Lock),
        list(GuardKind::Borrow),
        list(GuardKind::Span)
    )
}
