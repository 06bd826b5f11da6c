//! Names shared by the subcommand and the driver.

/// Lint flags given after `--`, joined by [`ARGS_SEPARATOR`]. Passed through the environment
/// (and tracked in dep-info) rather than RUSTFLAGS, so changing them re-runs only the
/// workspace crates instead of rebuilding every dependency.
pub const ARGS_ENV: &str = "ASYNC_LINT_ARGS";
/// ASCII unit separator: cannot appear in a lint flag.
pub const ARGS_SEPARATOR: char = '\u{1f}';
/// The config files the subcommand found for the workspace. The driver only tracks it, so that
/// creating or removing a config file re-runs the lints instead of replaying cached output.
pub const CONFIG_FILES_ENV: &str = "ASYNC_LINT_CONFIG_FILES";
