//! The environment variables the subcommand sets for the driver it runs as rustc's wrapper, in
//! one place: both sides name them from here.

/// Lint flags given after `--`, joined by [`ARGS_SEPARATOR`]. Passed through the environment
/// (and tracked in dep-info) rather than RUSTFLAGS, so changing them re-runs only the
/// workspace crates instead of rebuilding every dependency.
pub const ARGS_ENV: &str = "ASYNC_LINT_ARGS";
/// ASCII unit separator: cannot appear in a lint flag.
pub const ARGS_SEPARATOR: char = '\u{1f}';

/// The config files the subcommand found for the workspace. The driver only tracks it, so that
/// creating or removing a config file re-runs the lints instead of replaying cached output.
pub const CONFIG_FILES_ENV: &str = "ASYNC_LINT_CONFIG_FILES";

/// Names a directory holding the config file; overrides the search from the manifest dir.
pub const CONF_DIR_ENV: &str = "ASYNC_LINT_CONF_DIR";

/// Names the directory the driver writes crate reports to. The subcommand always sets it: besides
/// `--report`, it reads them for the denied findings of the build (see
/// [`CrateReport::denied`](crate::report::CrateReport::denied)). The driver lets a crate whose
/// only errors are denied findings of ours compile on only when it is set, since only then does
/// somebody turn those findings into a failing exit status.
pub const REPORT_DIR_ENV: &str = "ASYNC_LINT_REPORT_DIR";

/// Names this run of the subcommand, so it can tell the crate reports its own build wrote (a
/// crate whose check failed has no artifact message to find it by) from those other runs
/// write into the same directory meanwhile. Deliberately not tracked in dep-info: it changes
/// on every run, and must not make cargo rebuild anything.
pub const RUN_ID_ENV: &str = "ASYNC_LINT_RUN_ID";

/// Names the directory of summary files; set by the subcommand, empty or unset for none.
pub const SUMMARY_DIR_ENV: &str = "ASYNC_LINT_SUMMARY_DIR";

/// The workspace members' manifest directories (joined like `PATH`): the crates linted; the
/// others are summarized.
pub const WORKSPACE_ENV: &str = "ASYNC_LINT_WORKSPACE";

/// The variables a workspace crate's check reads: tracked in its dep-info, so cargo re-runs the
/// driver when one changes, and part of the fingerprint of the analysis's inputs, so rustc does
/// not replay an analysis made with other values.
pub const TRACKED_ENV: [&str; 6] = [
    ARGS_ENV,
    CONF_DIR_ENV,
    CONFIG_FILES_ENV,
    REPORT_DIR_ENV,
    SUMMARY_DIR_ENV,
    WORKSPACE_ENV,
];
