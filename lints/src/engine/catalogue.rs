//! The catalogue of APIs that block the calling thread or enter an async runtime.
//!
//! It is data: a path, the category, and what to use instead. Paths are resolved once per crate;
//! entries whose crate is not in the build resolve to nothing and are skipped.

use clippy_utils::fn_def_id_with_node_args;
use clippy_utils::paths::{PathNS, lookup_path_str};
use rustc_data_structures::fx::FxHashMap;
use rustc_hir::Expr;
use rustc_lint::LateContext;
use rustc_middle::ty::{self, TyCtxt};
use rustc_span::def_id::DefId;

/// Why an API is in the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// Puts the thread to sleep.
    Sleep,
    /// Synchronous file-system I/O.
    FileSystem,
    /// Synchronous network I/O or a DNS lookup.
    Network,
    /// Waits for a child process, or reads and writes its pipes or the standard streams.
    Process,
    /// Waits on another thread: channels, condition variables, barriers, joins, parking.
    ThreadSync,
    /// Tokio's `blocking_*` methods, which panic when called on a runtime thread.
    TokioBlocking,
    /// A synchronous database or HTTP client call.
    SyncClient,
}

impl Category {
    /// What to use instead, for entries that do not name their own replacement.
    #[must_use]
    pub fn default_hint(self) -> &'static str {
        match self {
            Category::Sleep => "use `tokio::time::sleep(..).await` (or your runtime's async timer)",
            Category::FileSystem => "use `tokio::fs`, or move the work into `tokio::task::spawn_blocking`",
            Category::Network => "use `tokio::net`, or move the work into `tokio::task::spawn_blocking`",
            Category::Process => "use `tokio::process`, or move the work into `tokio::task::spawn_blocking`",
            Category::ThreadSync => {
                "use the `tokio::sync` equivalent and `.await` it, or move the wait into `tokio::task::spawn_blocking`"
            }
            Category::TokioBlocking => "`.await` the async version of this method instead",
            Category::SyncClient => "use the client's async API, or move the call into `tokio::task::spawn_blocking`",
        }
    }

    /// A short name for reports and notes.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Category::Sleep => "sleeps",
            Category::FileSystem => "does blocking file-system I/O",
            Category::Network => "does blocking network I/O",
            Category::Process => "waits on a process or a standard stream",
            Category::ThreadSync => "waits on another thread",
            Category::TokioBlocking => "blocks the thread, and panics on a tokio runtime thread",
            Category::SyncClient => "makes a blocking client call",
        }
    }
}

/// One catalogue entry.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// A free function, an inherent method, or a trait method (`std::io::Read::read`).
    pub path: &'static str,
    /// For trait methods: only calls whose `Self` type (references peeled) is this type.
    pub self_ty: Option<&'static str>,
    pub category: Category,
    /// What to use instead; `None` means the category's default.
    pub hint: Option<&'static str>,
}

impl Entry {
    #[must_use]
    pub fn hint(&self) -> &'static str {
        self.hint.unwrap_or(self.category.default_hint())
    }
}

const fn call(path: &'static str, category: Category) -> Entry {
    Entry {
        path,
        self_ty: None,
        category,
        hint: None,
    }
}

const fn call_hint(path: &'static str, category: Category, hint: &'static str) -> Entry {
    Entry {
        path,
        self_ty: None,
        category,
        hint: Some(hint),
    }
}

const fn trait_call(path: &'static str, self_ty: &'static str, category: Category) -> Entry {
    Entry {
        path,
        self_ty: Some(self_ty),
        category,
        hint: None,
    }
}

use Category::{FileSystem, Network, Process, Sleep, SyncClient, ThreadSync, TokioBlocking};

/// Trait methods of `Read`, `Write` and `BufRead` that block on a synchronous handle.
const IO_TRAIT_METHODS: &[&str] = &[
    "std::io::Read::read",
    "std::io::Read::read_vectored",
    "std::io::Read::read_to_end",
    "std::io::Read::read_to_string",
    "std::io::Read::read_exact",
    "std::io::Write::write",
    "std::io::Write::write_vectored",
    "std::io::Write::write_all",
    "std::io::Write::write_fmt",
    "std::io::Write::flush",
    "std::io::BufRead::fill_buf",
    "std::io::BufRead::read_line",
    "std::io::BufRead::read_until",
];

/// Synchronous handles whose `Read`/`Write`/`BufRead` methods block, with their category.
const IO_HANDLES: &[(&str, Category)] = &[
    ("std::fs::File", FileSystem),
    ("std::net::TcpStream", Network),
    ("std::io::Stdin", Process),
    ("std::io::StdinLock", Process),
    ("std::process::ChildStdin", Process),
    ("std::process::ChildStdout", Process),
    ("std::process::ChildStderr", Process),
];

/// The built-in entries, besides the `Read`/`Write` methods of [`IO_HANDLES`].
pub const BUILTIN: &[Entry] = &[
    call("std::thread::sleep", Sleep),
    // std::fs free functions.
    call("std::fs::read", FileSystem),
    call("std::fs::read_to_string", FileSystem),
    call("std::fs::write", FileSystem),
    call("std::fs::copy", FileSystem),
    call("std::fs::rename", FileSystem),
    call("std::fs::remove_file", FileSystem),
    call("std::fs::remove_dir", FileSystem),
    call("std::fs::remove_dir_all", FileSystem),
    call("std::fs::create_dir", FileSystem),
    call("std::fs::create_dir_all", FileSystem),
    call("std::fs::read_dir", FileSystem),
    call("std::fs::read_link", FileSystem),
    call("std::fs::metadata", FileSystem),
    call("std::fs::symlink_metadata", FileSystem),
    call("std::fs::canonicalize", FileSystem),
    call("std::fs::hard_link", FileSystem),
    call("std::fs::set_permissions", FileSystem),
    call("std::fs::exists", FileSystem),
    // File, OpenOptions, ReadDir and DirEntry operations.
    call("std::fs::File::open", FileSystem),
    call("std::fs::File::create", FileSystem),
    call("std::fs::File::create_new", FileSystem),
    call("std::fs::File::sync_all", FileSystem),
    call("std::fs::File::sync_data", FileSystem),
    call("std::fs::File::set_len", FileSystem),
    call("std::fs::File::metadata", FileSystem),
    call("std::fs::OpenOptions::open", FileSystem),
    trait_call("std::iter::Iterator::next", "std::fs::ReadDir", FileSystem),
    call("std::fs::DirEntry::metadata", FileSystem),
    call("std::fs::DirEntry::file_type", FileSystem),
    call("std::path::Path::exists", FileSystem),
    call("std::path::Path::is_file", FileSystem),
    call("std::path::Path::is_dir", FileSystem),
    call("std::path::Path::metadata", FileSystem),
    call("std::path::Path::read_dir", FileSystem),
    call("std::path::Path::canonicalize", FileSystem),
    // std::net: connect, accept, send, receive, DNS.
    call("std::net::TcpStream::connect", Network),
    call("std::net::TcpStream::connect_timeout", Network),
    call("std::net::TcpStream::peek", Network),
    call("std::net::TcpListener::accept", Network),
    trait_call("std::iter::Iterator::next", "std::net::Incoming", Network),
    call("std::net::UdpSocket::connect", Network),
    call("std::net::UdpSocket::recv", Network),
    call("std::net::UdpSocket::recv_from", Network),
    call("std::net::UdpSocket::peek", Network),
    call("std::net::UdpSocket::peek_from", Network),
    call("std::net::UdpSocket::send", Network),
    call("std::net::UdpSocket::send_to", Network),
    call_hint(
        "std::net::ToSocketAddrs::to_socket_addrs",
        Network,
        "use `tokio::net::lookup_host(..).await`",
    ),
    // Processes and standard streams.
    call("std::process::Command::output", Process),
    call("std::process::Command::status", Process),
    call("std::process::Child::wait", Process),
    call("std::process::Child::wait_with_output", Process),
    call("std::io::Stdin::read_line", Process),
    call("std::io::Stdin::read_to_string", Process),
    // Waiting on other threads.
    call("std::sync::mpsc::Receiver::recv", ThreadSync),
    call("std::sync::mpsc::Receiver::recv_timeout", ThreadSync),
    call("std::sync::mpsc::SyncSender::send", ThreadSync),
    call("std::sync::Condvar::wait", ThreadSync),
    call("std::sync::Condvar::wait_while", ThreadSync),
    call("std::sync::Condvar::wait_timeout", ThreadSync),
    call("std::sync::Condvar::wait_timeout_while", ThreadSync),
    call("std::sync::Barrier::wait", ThreadSync),
    call("std::thread::park", ThreadSync),
    call("std::thread::park_timeout", ThreadSync),
    call("std::thread::JoinHandle::join", ThreadSync),
    call("std::thread::ScopedJoinHandle::join", ThreadSync),
    // Tokio's blocking bridges: they panic on a runtime thread.
    call("tokio::sync::Mutex::blocking_lock", TokioBlocking),
    call("tokio::sync::Mutex::blocking_lock_owned", TokioBlocking),
    call("tokio::sync::RwLock::blocking_read", TokioBlocking),
    call("tokio::sync::RwLock::blocking_write", TokioBlocking),
    call("tokio::sync::mpsc::Receiver::blocking_recv", TokioBlocking),
    call("tokio::sync::mpsc::Receiver::blocking_recv_many", TokioBlocking),
    call("tokio::sync::mpsc::Sender::blocking_send", TokioBlocking),
    call("tokio::sync::mpsc::UnboundedReceiver::blocking_recv", TokioBlocking),
    call(
        "tokio::sync::mpsc::UnboundedReceiver::blocking_recv_many",
        TokioBlocking,
    ),
    call("tokio::sync::oneshot::Receiver::blocking_recv", TokioBlocking),
    call("tokio::sync::broadcast::Receiver::blocking_recv", TokioBlocking),
    // Synchronous clients.
    call("reqwest::blocking::get", SyncClient),
    call("reqwest::blocking::Client::execute", SyncClient),
    call("reqwest::blocking::RequestBuilder::send", SyncClient),
    call("ureq::Request::call", SyncClient),
    call("ureq::Request::send_string", SyncClient),
    call("ureq::Request::send_json", SyncClient),
    call("ureq::RequestBuilder::call", SyncClient),
    call("ureq::RequestBuilder::send", SyncClient),
    call("postgres::Client::connect", SyncClient),
    call("postgres::Client::execute", SyncClient),
    call("postgres::Client::query", SyncClient),
    call("postgres::Client::query_one", SyncClient),
    call("postgres::Client::query_opt", SyncClient),
    call("postgres::Client::batch_execute", SyncClient),
    call("postgres::Client::prepare", SyncClient),
    call("postgres::Client::transaction", SyncClient),
    call("postgres::Config::connect", SyncClient),
    call("rusqlite::Connection::open", SyncClient),
    call("rusqlite::Connection::execute", SyncClient),
    call("rusqlite::Connection::execute_batch", SyncClient),
    call("rusqlite::Connection::query_row", SyncClient),
    call("rusqlite::Connection::prepare", SyncClient),
    call("rusqlite::Statement::execute", SyncClient),
    call("rusqlite::Statement::query", SyncClient),
    call("rusqlite::Statement::query_map", SyncClient),
    call("rusqlite::Statement::query_row", SyncClient),
    call("diesel::connection::Connection::establish", SyncClient),
    call("diesel::query_dsl::RunQueryDsl::execute", SyncClient),
    call("diesel::query_dsl::RunQueryDsl::load", SyncClient),
    call("diesel::query_dsl::RunQueryDsl::get_result", SyncClient),
    call("diesel::query_dsl::RunQueryDsl::get_results", SyncClient),
    call("diesel::query_dsl::RunQueryDsl::first", SyncClient),
];

/// A resolved entry: a trait method may be restricted to some `Self` types.
#[derive(Clone, Copy, Debug)]
struct Resolved {
    entry: Entry,
    self_ty: Option<DefId>,
}

/// The catalogue resolved against one crate's dependencies.
#[derive(Debug, Default)]
pub struct Catalogue {
    by_def_id: FxHashMap<DefId, Vec<Resolved>>,
}

impl Catalogue {
    /// Resolves every entry once; entries of crates outside the build resolve to nothing.
    #[must_use]
    pub fn resolve(tcx: TyCtxt<'_>) -> Self {
        let io_entries = IO_HANDLES.iter().flat_map(|&(handle, category)| {
            IO_TRAIT_METHODS
                .iter()
                .map(move |&method| trait_call(method, handle, category))
        });
        let mut catalogue = Self::default();
        for entry in BUILTIN.iter().copied().chain(io_entries) {
            catalogue.add(tcx, entry);
        }
        catalogue
    }

    fn add(&mut self, tcx: TyCtxt<'_>, entry: Entry) {
        let self_ty = match entry.self_ty {
            Some(path) => match lookup_path_str(tcx, PathNS::Type, path).first() {
                Some(&def_id) => Some(def_id),
                // The restricting type is absent, so no call can match.
                None => return,
            },
            None => None,
        };
        for def_id in lookup_path_str(tcx, PathNS::Value, entry.path) {
            self.by_def_id
                .entry(def_id)
                .or_default()
                .push(Resolved { entry, self_ty });
        }
    }

    /// The entry matching the function or method that `expr` calls, if any.
    #[must_use]
    pub fn entry_for_call(&self, cx: &LateContext<'_>, expr: &Expr<'_>) -> Option<Entry> {
        let (def_id, args) = fn_def_id_with_node_args(cx, expr)?;
        let candidates = self.by_def_id.get(&def_id)?;
        candidates.iter().find_map(|resolved| match resolved.self_ty {
            None => Some(resolved.entry),
            Some(wanted) => {
                let self_ty = args.types().next()?.peel_refs();
                match self_ty.kind() {
                    ty::Adt(adt, _) if adt.did() == wanted => Some(resolved.entry),
                    _ => None,
                }
            }
        })
    }

    /// Whether any entry resolved; used to skip crates that can call none of them.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_def_id.is_empty()
    }
}
