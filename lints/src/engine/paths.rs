//! The functions the engine and the lints look for by path, each named once (the catalogue's
//! are data, in `config/src/catalogue.rs`). Looked up, and cached, with [`Engine::resolve`].
//!
//! [`Engine::resolve`]: super::Engine::resolve

/// The async timer `std::thread::sleep` is rewritten to.
pub const TOKIO_SLEEP: &str = "tokio::time::sleep";
/// The blocking pool a blocking helper's call is moved to.
pub const TOKIO_SPAWN_BLOCKING: &str = "tokio::task::spawn_blocking";
/// What a `std::process::Command` run in async code is rewritten to.
pub const TOKIO_COMMAND_OUTPUT: &str = "tokio::process::Command::output";
/// The catalogue's ways of running a `std::process::Command`, which the fix rewrites.
pub const STD_COMMAND_OUTPUT: &str = "std::process::Command::output";
pub const STD_COMMAND_STATUS: &str = "std::process::Command::status";
/// The start of a `std::process::Command` built and run in one expression.
pub const STD_COMMAND_NEW: &str = "std::process::Command::new";
/// The handle of the runtime the thread is in, if any: its `Err` branch runs outside one.
pub const HANDLE_TRY_CURRENT: &str = "tokio::runtime::Handle::try_current";
/// `block_on` on a handle, which `try_current` may have given.
pub const HANDLE_BLOCK_ON: &str = "tokio::runtime::Handle::block_on";
/// The std I/O adapters: a read or write on one is one on what it wraps.
pub const IO_WRAPPERS: &[&str] = &["std::io::BufReader", "std::io::BufWriter", "std::io::LineWriter"];
