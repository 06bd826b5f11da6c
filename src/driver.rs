//! `async-lint-driver`: rustc with our lints registered.
//!
//! Cargo runs it as `RUSTC_WRAPPER` (`RUSTC_WORKSPACE_WRAPPER` under `--fix`), so its first
//! argument is the path of `rustc`. Workspace crates are compiled with the lints and, when they
//! are libraries, summarised; the other crates (dependencies) are summarised when the subcommand
//! asks for summaries; info queries go through plain rustc.

#![feature(rustc_private)]
#![warn(rustc::internal)]

extern crate rustc_driver;
extern crate rustc_interface;
extern crate rustc_lint;
extern crate rustc_middle;
extern crate rustc_session;
extern crate rustc_span;

rustc_driver::override_c_allocator_in_binary!();

use async_lint_config::env::{
    ARGS_ENV, ARGS_SEPARATOR, CONF_DIR_ENV, CONFIG_FILES_ENV, REPORT_DIR_ENV, SUMMARY_DIR_ENV, TRACKED_ENV,
    WORKSPACE_ENV,
};
use async_lint_config::{Conf, LintLevel, find_config, load_file};
use rustc_driver::Compilation;
use rustc_interface::interface;
use rustc_middle::ty::TyCtxt;
use rustc_session::config::ErrorOutputType;
use rustc_session::{EarlyDiagCtxt, Session};
use rustc_span::Symbol;
use rustc_span::fatal_error::FatalError;
use std::env;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where crashes are reported; the ICE message names it.
const REPORT_URL: &str = "https://github.com/cargo-async-lint/cargo-async-lint/issues/new";

/// Callbacks of plain rustc: for cargo's probes, `--rustc`, and a dependency when no summaries
/// are wanted. They track whether summaries are on, so that turning them on rebuilds a
/// dependency with one.
struct PlainCallbacks;

impl rustc_driver::Callbacks for PlainCallbacks {
    fn config(&mut self, config: &mut interface::Config) {
        config.track_state = Some(Box::new(track_dependency_env));
    }
}

/// Callbacks for a dependency: after analysis, write its cross-crate summary.
struct SummaryCallbacks {
    dir: PathBuf,
    /// The config of the directory the dependency sits in (a workspace's path dependencies
    /// share its catalogue); a broken one is the subcommand's to report, and is ignored here.
    config_file: Option<PathBuf>,
}

impl rustc_driver::Callbacks for SummaryCallbacks {
    fn config(&mut self, config: &mut interface::Config) {
        check_builtin_catalogue(config);
        let config_file = self.config_file.clone();
        config.track_state = Some(Box::new(move |sess| {
            track_dependency_env(sess);
            // The summary depends on the catalogue, and on the tool that wrote it.
            let mut files = sess.file_depinfo.borrow_mut();
            if let Some(path) = config_file.as_deref().and_then(Path::to_str) {
                files.insert(Symbol::intern(path));
            }
            if let Ok(exe) = env::current_exe()
                && let Some(exe) = exe.to_str()
            {
                files.insert(Symbol::intern(exe));
            }
        }));
        config.extra_symbols = async_lint_lints::EXTRA_SYMBOLS.into();
    }

    fn after_analysis(&mut self, _compiler: &interface::Compiler, tcx: TyCtxt<'_>) -> Compilation {
        let conf = self
            .config_file
            .as_deref()
            .and_then(|path| load_file(path).ok().map(|loaded| loaded.conf))
            .unwrap_or_default();
        if let Err(err) = async_lint_lints::write_summary(tcx, &conf, &self.dir) {
            tcx.sess.dcx().warn(format!(
                "cargo-async-lint could not write its summary of this crate: {err}"
            ));
        }
        Compilation::Continue
    }
}

/// Callbacks for a workspace crate: lint it (the lint pass also writes a library's summary, so
/// the workspace's other crates, its binaries and tests among them, follow calls into it).
struct LintCallbacks {
    config_file: Option<PathBuf>,
    /// The loaded config, once `config` has run.
    conf: Option<&'static Conf>,
    /// The report the last analysis of this unit wrote, read before the placeholder replaces it:
    /// when rustc replays that analysis's diagnostics, it is this run's report too.
    previous_report: Option<Vec<u8>>,
}

/// The fingerprint of the analysis's inputs outside the compiler ([`async_lint_lints::inputs`]),
/// the value of the `env_var_os` query for [`async_lint_lints::inputs::KEY`].
static INPUTS_FINGERPRINT: std::sync::OnceLock<&'static std::ffi::OsStr> = std::sync::OnceLock::new();

/// rustc's own provider of `env_var_os`, for every other key.
static RUSTC_ENV_VAR_OS: std::sync::OnceLock<
    for<'tcx> fn(TyCtxt<'tcx>, &'tcx std::ffi::OsStr) -> Option<&'tcx std::ffi::OsStr>,
> = std::sync::OnceLock::new();

fn override_env_var_os(_: &Session, providers: &mut rustc_middle::util::Providers) {
    let _ = RUSTC_ENV_VAR_OS.set(providers.queries.env_var_os);
    providers.queries.env_var_os = env_var_os_with_inputs;
}

fn env_var_os_with_inputs<'tcx>(tcx: TyCtxt<'tcx>, key: &'tcx std::ffi::OsStr) -> Option<&'tcx std::ffi::OsStr> {
    if key == async_lint_lints::inputs::KEY {
        return INPUTS_FINGERPRINT.get().copied();
    }
    RUSTC_ENV_VAR_OS.get().and_then(|rustc| rustc(tcx, key))
}

impl rustc_driver::Callbacks for LintCallbacks {
    fn config(&mut self, config: &mut interface::Config) {
        check_builtin_catalogue(config);
        let conf: &'static Conf = match &self.config_file {
            Some(path) => match load_file(path) {
                Ok(loaded) => Box::leak(Box::new(loaded.conf)),
                Err(err) => {
                    let early_dcx = EarlyDiagCtxt::new(config.opts.error_format);
                    let mut diag =
                        early_dcx.early_struct_fatal(format!("invalid async-lint configuration: {}", err.headline()));
                    if let Some(help) = &err.help {
                        diag.help(help.clone());
                    }
                    diag.emit();
                    FatalError.raise()
                }
            },
            None => Box::leak(Box::default()),
        };
        self.conf = Some(conf);

        // Levels from the config file go first, so that command-line flags and source
        // attributes override them.
        let config_levels = conf
            .lint_levels()
            .map(|(name, level)| (name.to_owned(), rustc_level(level)));
        config.opts.lint_opts.splice(0..0, config_levels);

        let config_files: Vec<PathBuf> = self
            .config_file
            .iter()
            .cloned()
            .chain(env::var_os(CONFIG_FILES_ENV).iter().flat_map(env::split_paths))
            .collect();
        let crate_name = config.opts.crate_name.as_deref().unwrap_or_default();
        let extra_filename = &config.opts.cg.extra_filename;
        self.previous_report = async_lint_lints::inputs::last_report(crate_name, extra_filename);
        let fingerprint = async_lint_lints::inputs::fingerprint(
            &config_files,
            crate_name,
            extra_filename,
            self.previous_report.as_deref(),
        );
        let _ = INPUTS_FINGERPRINT.set(Box::leak(std::ffi::OsString::from(fingerprint).into_boxed_os_str()));
        config.override_queries = Some(override_env_var_os);
        // The incremental cache keeps what an analysis found with the queries it read; another
        // build of the tool must not replay it, so each build has a cache of its own.
        if let Some(dir) = &config.opts.incremental {
            let own = dir.join(format!("async-lint-{}", async_lint_lints::inputs::tool_id()));
            if !own.exists() {
                remove_other_builds_caches(dir, &own);
            }
            config.opts.incremental = Some(own);
        }

        let config_file = self.config_file.clone();
        config.track_state = Some(Box::new(move |sess| {
            track_env(sess);
            if let Some(path) = config_file.as_deref().and_then(Path::to_str) {
                sess.file_depinfo.borrow_mut().insert(Symbol::intern(path));
            }
            // Upgrading the tool in place must not replay diagnostics cached by the old one.
            if let Ok(exe) = env::current_exe()
                && let Some(exe) = exe.to_str()
            {
                sess.file_depinfo.borrow_mut().insert(Symbol::intern(exe));
            }
        }));

        let previous = config.register_lints.take();
        config.register_lints = Some(Box::new(move |sess, store| {
            if let Some(previous) = &previous {
                previous(sess, store);
            }
            async_lint_lints::register_lints(store, conf);
        }));
        // clippy_utils pre-interns its symbols; without this they resolve to the wrong strings.
        config.extra_symbols = async_lint_lints::EXTRA_SYMBOLS.into();
    }

    fn after_expansion(&mut self, _compiler: &interface::Compiler, tcx: TyCtxt<'_>) -> Compilation {
        // Run before the lints: rustc cannot run this query again from its key alone when it
        // decides whether the crate root's lints changed, only read the value it already has.
        let _ = tcx.env_var_os(std::ffi::OsStr::new(async_lint_lints::inputs::KEY));
        // Replaced when the lints finish (or by the last report, `previous_report`, on a replay);
        // stays when a compile error stops the check.
        async_lint_lints::write_failed_placeholder(tcx);
        Compilation::Continue
    }

    fn after_analysis(&mut self, _compiler: &interface::Compiler, tcx: TyCtxt<'_>) -> Compilation {
        let dcx = tcx.dcx();
        // A denied finding of ours must not stop the build: the crate's other targets and the
        // crates that depend on it are still to be analysed. When our findings are the only
        // errors, the check goes on as if they were warnings (they are shown as errors all the
        // same), and the subcommand, which reads every finding's level from the crate reports,
        // exits with 101. Without the subcommand (no report directory) rustc's rules apply.
        // rustc replayed the last analysis's diagnostics from its incremental cache, nothing it
        // read having changed: that analysis's report and summary stand.
        let replayed = !async_lint_lints::lint_pass_ran() && async_lint_lints::lint_pass_required(tcx);
        let denied = if replayed {
            async_lint_lints::restore_report(tcx, self.previous_report.as_deref())
        } else {
            async_lint_lints::denied_findings()
        };
        let subcommand_reads_levels = env::var_os(REPORT_DIR_ENV).is_some_and(|dir| !dir.is_empty());
        if subcommand_reads_levels
            && denied > 0
            && dcx.has_errors_excluding_lint_errors().is_none()
            && dcx.err_count() == denied
        {
            dcx.reset_err_count();
        }
        // rustc skips a lint pass whose lints are all allowed; the summary is written anyway
        // (and again should a replayed analysis's have gone).
        if !async_lint_lints::lint_pass_ran()
            && let Some(conf) = self.conf
            && (!replayed || !async_lint_lints::workspace_summary_written(tcx, conf))
        {
            async_lint_lints::write_workspace_summary_without_lints(tcx, conf);
        }
        Compilation::Continue
    }
}

/// The first check with a build of the tool removes the incremental caches of other builds,
/// which no check reads again (an incremental cache can take gigabytes). Best effort: a cache
/// another crate's check is removing at the same time is no error.
fn remove_other_builds_caches(incremental_dir: &Path, own: &Path) {
    let Ok(entries) = std::fs::read_dir(incremental_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let another_build = path != own
            && path
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("async-lint-"));
        if another_build && path.is_dir() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Stops with one error naming the file, line and key when the catalogue built into the tool is
/// invalid (its tests keep it valid; this names a broken build rather than linting without it).
fn check_builtin_catalogue(config: &interface::Config) {
    if let Err(err) = async_lint_config::catalogue::builtin() {
        let early_dcx = EarlyDiagCtxt::new(config.opts.error_format);
        early_dcx.early_fatal(format!(
            "cargo-async-lint's built-in catalogue is invalid: {}",
            err.headline()
        ));
    }
}

fn rustc_level(level: LintLevel) -> rustc_lint::Level {
    match level {
        LintLevel::Allow => rustc_lint::Level::Allow,
        LintLevel::Warn => rustc_lint::Level::Warn,
        LintLevel::Deny => rustc_lint::Level::Deny,
        LintLevel::Forbid => rustc_lint::Level::Forbid,
    }
}

/// What a dependency's build depends on of ours: only whether (and where) summaries are
/// written. Lint flags, report settings and the set of workspace members do not change a
/// dependency, and must not make cargo rebuild every dependency when they change.
fn track_dependency_env(sess: &Session) {
    let value = env::var(SUMMARY_DIR_ENV).ok().map(|value| Symbol::intern(&value));
    sess.env_depinfo
        .borrow_mut()
        .insert((Symbol::intern(SUMMARY_DIR_ENV), value));
}

/// Records our environment variables in the dep-info file of a workspace crate, so cargo re-runs
/// the driver when lint flags, the config directory or the set of config files change.
fn track_env(sess: &Session) {
    let mut env_depinfo = sess.env_depinfo.borrow_mut();
    for name in TRACKED_ENV {
        let value = env::var(name).ok().map(|value| Symbol::intern(&value));
        env_depinfo.insert((Symbol::intern(name), value));
    }
}

/// Whether `args` contain `flag` as `flag value` or `flag=value` with `value` accepted by `pred`.
fn has_flag_value(args: &[String], flag: &str, pred: impl Fn(&str) -> bool) -> bool {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = match arg.strip_prefix(flag) {
            Some("") => iter.next().map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if value.is_some_and(&pred) {
            return true;
        }
    }
    false
}

fn print_help() {
    println!(
        "async-lint-driver: rustc with the cargo-async-lint lints registered

Usage: async-lint-driver [rustc options] INPUT
Normally run by `cargo async-lint`, which sets it as RUSTC_WORKSPACE_WRAPPER.

Options:
  -h, --help       print this message
  -V, --version    print the version
  --rustc ...      run plain rustc with the remaining arguments"
    );
}

fn main() -> ExitCode {
    let early_dcx = EarlyDiagCtxt::new(ErrorOutputType::default());
    rustc_driver::init_rustc_env_logger(&early_dcx);
    rustc_driver::install_ice_hook(REPORT_URL, |dcx| {
        dcx.note(format!(
            "cargo-async-lint {} crashed; please report it with the output above",
            rustc_tools_util::get_version_info!()
        ));
    });

    rustc_driver::catch_with_exit_code(move || {
        let mut args = rustc_driver::args::raw_args(&early_dcx);

        // `async-lint-driver --rustc ...` behaves as plain rustc.
        if let Some(position) = args.iter().position(|arg| arg == "--rustc") {
            args.remove(position);
            rustc_driver::run_compiler(&args, &mut PlainCallbacks);
            return;
        }

        // As a wrapper, cargo passes the path of rustc first; we are the compiler.
        let wrapper_mode = args.get(1).map(Path::new).and_then(Path::file_stem) == Some("rustc".as_ref());
        if wrapper_mode {
            args.remove(1);
        } else if args.iter().any(|arg| arg == "-V" || arg == "--version") {
            println!("{}", rustc_tools_util::get_version_info!());
            return;
        } else if args.len() == 1 || args.iter().any(|arg| arg == "-h" || arg == "--help") {
            print_help();
            return;
        }

        // Cargo's probes (`-vV`, `--print ...`) must get rustc's own answers.
        let info_query = args.iter().any(|arg| arg == "-vV") || has_flag_value(&args, "--print", |_| true);
        if info_query {
            rustc_driver::run_compiler(&args, &mut PlainCallbacks);
            return;
        }

        let conf_dir = env::var_os(CONF_DIR_ENV).map(PathBuf::from);
        let manifest_dir = env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .or_else(|| env::current_dir().ok())
            .unwrap_or_default();

        // The workspace's crates are linted; the others (dependencies, their lints capped) are
        // summarized for cross-crate analysis when the subcommand asked for summaries, and
        // compiled as plain rustc otherwise.
        let lints_capped = has_flag_value(&args, "--cap-lints", |level| level == "allow");
        let member = match env::var_os(WORKSPACE_ENV) {
            Some(members) => env::split_paths(&members).any(|dir| dir == manifest_dir),
            None => !lints_capped,
        };
        if !member {
            match env::var_os(SUMMARY_DIR_ENV).filter(|dir| !dir.is_empty()) {
                Some(dir) => rustc_driver::run_compiler(
                    &args,
                    &mut SummaryCallbacks {
                        dir: PathBuf::from(dir),
                        config_file: find_config(&manifest_dir, conf_dir.as_deref()),
                    },
                ),
                None => rustc_driver::run_compiler(&args, &mut PlainCallbacks),
            }
            return;
        }

        let config_file = find_config(&manifest_dir, conf_dir.as_deref());

        args.extend(["--cfg".to_owned(), "async_lint".to_owned()]);
        args.extend(["--check-cfg".to_owned(), "cfg(async_lint)".to_owned()]);
        if let Ok(lint_args) = env::var(ARGS_ENV) {
            args.extend(
                lint_args
                    .split(ARGS_SEPARATOR)
                    .filter(|arg| !arg.is_empty())
                    .map(str::to_owned),
            );
        }
        rustc_driver::run_compiler(
            &args,
            &mut LintCallbacks {
                config_file,
                conf: None,
                previous_report: None,
            },
        );
    })
}
