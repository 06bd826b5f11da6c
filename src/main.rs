//! `cargo async-lint`: runs `cargo check` with our driver as the rustc wrapper
//! (`RUSTC_WRAPPER`: the workspace crates are linted and every crate is summarised; under
//! `--fix`, `cargo fix` with it as `RUSTC_WORKSPACE_WRAPPER`), on the nightly toolchain the
//! driver was built for, whatever toolchain the project itself pins.

mod messages;
mod report;

use anyhow::{Context, Result, bail};
use async_lint_config::env::{
    ARGS_ENV, ARGS_SEPARATOR, CONF_DIR_ENV, CONFIG_FILES_ENV, REPORT_DIR_ENV, RUN_ID_ENV, SUMMARY_DIR_ENV,
    WORKSPACE_ENV,
};
use async_lint_config::report::CrateReport;
use async_lint_config::{CONFIG_FILE_NAME, ConfError, LINTS, closest_match, find_config, lint_info, load_file};
use clap::{Arg, ArgAction, ArgMatches, CommandFactory, FromArgMatches, Parser};
use std::collections::BTreeSet;
use std::env;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The nightly the driver links against (from rust-toolchain.toml, via build.rs).
const TOOLCHAIN: &str = env!("ASYNC_LINT_TOOLCHAIN");
const DRIVER_NAME: &str = "async-lint-driver";

/// Finds async-safety bugs: blocking calls on the executor, nested runtimes, guards held across
/// `.await` and non-Send futures, reported as compiler diagnostics.
#[derive(Parser, Debug)]
#[expect(clippy::struct_excessive_bools, reason = "one field per command-line flag")]
#[command(
    name = "cargo async-lint",
    bin_name = "cargo async-lint",
    disable_version_flag = true,
    override_usage = "cargo async-lint [OPTIONS] [-- <LINT FLAGS>...]",
    after_help = "Lint flags after `--` go to rustc: `-D <lint>`, `-W <lint>`, `-A <lint>`, `-F <lint>`, \
                  `-D warnings`.\nConfiguration: `async-lint.toml` in the crate directory or a parent \
                  (or in $ASYNC_LINT_CONF_DIR)."
)]
struct Cli {
    /// Apply the machine-applicable suggestions (runs `cargo fix`)
    #[arg(long, help_heading = "Lint options")]
    fix: bool,
    /// With --fix: fix even when the working directory has changes
    #[arg(long, requires = "fix", help_heading = "Lint options")]
    allow_dirty: bool,
    /// With --fix: fix even when the working directory has staged changes
    #[arg(long, requires = "fix", help_heading = "Lint options")]
    allow_staged: bool,
    /// With --fix: fix even when the package is not under version control
    #[arg(long, requires = "fix", help_heading = "Lint options")]
    allow_no_vcs: bool,
    /// Print the documentation of a lint
    #[arg(long, value_name = "LINT", exclusive = true, help_heading = "Lint options")]
    explain: Option<String>,
    /// List the lints with their default level
    #[arg(long, exclusive = true, help_heading = "Lint options")]
    list: bool,
    /// Print version information
    #[arg(short = 'V', long, exclusive = true, help_heading = "Lint options")]
    version: bool,
    /// Also write an async-safety report of this build (statistics, findings, readiness)
    #[arg(long, value_name = "FORMAT", conflicts_with = "fix", help_heading = "Report options")]
    report: Option<report::Format>,
    /// Where to write the report (default: standard output)
    #[arg(long, value_name = "PATH", requires = "report", help_heading = "Report options")]
    output: Option<PathBuf>,
}

/// A `cargo check` option we forward unchanged.
#[derive(Clone, Copy)]
struct CargoOption {
    long: &'static str,
    short: Option<char>,
    /// The value's name, for options that take one.
    value: Option<&'static str>,
    help: &'static str,
}

const fn flag(long: &'static str, help: &'static str) -> CargoOption {
    CargoOption {
        long,
        short: None,
        value: None,
        help,
    }
}

const fn valued(long: &'static str, value: &'static str, help: &'static str) -> CargoOption {
    CargoOption {
        long,
        short: None,
        value: Some(value),
        help,
    }
}

const fn with_short(option: CargoOption, short: char) -> CargoOption {
    CargoOption {
        short: Some(short),
        ..option
    }
}

/// Forwarded to cargo as given. `--target-dir` and `--manifest-path` are read too.
const CARGO_OPTIONS: &[CargoOption] = &[
    with_short(valued("package", "SPEC", "Package(s) to check"), 'p'),
    flag("workspace", "Check all packages in the workspace"),
    valued("exclude", "SPEC", "Exclude packages from the check"),
    flag("lib", "Check only this package's library"),
    flag("bins", "Check all binaries"),
    valued("bin", "NAME", "Check only the specified binary"),
    flag("examples", "Check all examples"),
    valued("example", "NAME", "Check only the specified example"),
    flag("tests", "Check all test targets"),
    valued("test", "NAME", "Check only the specified test target"),
    flag("benches", "Check all bench targets"),
    valued("bench", "NAME", "Check only the specified bench target"),
    flag("all-targets", "Check all targets"),
    with_short(
        valued(
            "features",
            "FEATURES",
            "Space or comma separated list of features to activate",
        ),
        'F',
    ),
    flag("all-features", "Activate all available features"),
    flag("no-default-features", "Do not activate the `default` feature"),
    with_short(flag("release", "Check artifacts in release mode"), 'r'),
    valued("profile", "PROFILE-NAME", "Check artifacts with the specified profile"),
    valued("target", "TRIPLE", "Check for the target triple"),
    valued(
        "target-dir",
        "DIRECTORY",
        "Directory for all generated artifacts (default: <target>/async-lint)",
    ),
    valued("manifest-path", "PATH", "Path to Cargo.toml"),
    valued("message-format", "FMT", "Error format: human, short, json, ..."),
    with_short(flag("quiet", "Do not print cargo log messages"), 'q'),
    with_short(flag("verbose", "Use verbose output (-vv very verbose)"), 'v'),
    valued("color", "WHEN", "Coloring: auto, always, never"),
    flag("locked", "Assert that `Cargo.lock` will remain unchanged"),
    flag("offline", "Run without accessing the network"),
    flag("frozen", "Equivalent to specifying both --locked and --offline"),
    with_short(valued("jobs", "N", "Number of parallel jobs"), 'j'),
    flag("keep-going", "Do not abort the build as soon as there is an error"),
    valued("config", "KEY=VALUE", "Override a configuration value"),
];

/// Options that also apply to `cargo metadata`.
const METADATA_OPTIONS: &[&str] = &["manifest-path", "locked", "offline", "frozen", "config"];

fn cargo_arg(option: &CargoOption) -> Arg {
    let mut arg = Arg::new(option.long)
        .long(option.long)
        .help(option.help)
        .help_heading("Cargo options (forwarded to `cargo check`)");
    if let Some(short) = option.short {
        arg = arg.short(short);
    }
    match option.value {
        Some(value) => arg.value_name(value).action(ArgAction::Append),
        None if option.long == "verbose" => arg.action(ArgAction::Count),
        None => arg.action(ArgAction::SetTrue),
    }
}

fn command() -> clap::Command {
    Cli::command()
        .args(CARGO_OPTIONS.iter().map(cargo_arg))
        .arg(
            Arg::new("unstable")
                .short('Z')
                .value_name("FLAG")
                .action(ArgAction::Append)
                .help("Unstable (nightly-only) flags to Cargo")
                .help_heading("Cargo options (forwarded to `cargo check`)"),
        )
        .arg(
            Arg::new("all")
                .long("all")
                .hide(true)
                .action(ArgAction::SetTrue)
                .help("Alias for --workspace"),
        )
}

/// The cargo options the user gave, re-rendered for cargo, in a stable order.
fn forwarded_args(matches: &ArgMatches, only: Option<&[&str]>) -> Vec<String> {
    let mut args = Vec::new();
    let wanted = |name: &str| only.is_none_or(|only| only.contains(&name));
    for option in CARGO_OPTIONS {
        if !wanted(option.long) || option.long == "target-dir" {
            continue;
        }
        match option.value {
            Some(_) => {
                for value in matches.get_many::<String>(option.long).into_iter().flatten() {
                    args.push(format!("--{}={value}", option.long));
                }
            }
            None if option.long == "verbose" => {
                for _ in 0..matches.get_count("verbose") {
                    args.push("--verbose".to_owned());
                }
            }
            None => {
                if matches.get_flag(option.long) {
                    args.push(format!("--{}", option.long));
                }
            }
        }
    }
    if wanted("unstable") {
        for value in matches.get_many::<String>("unstable").into_iter().flatten() {
            args.push(format!("-Z{value}"));
        }
    }
    if only.is_none() && matches.get_flag("all") {
        args.push("--workspace".to_owned());
    }
    args
}

fn main() -> ExitCode {
    let mut args: Vec<OsString> = env::args_os().collect();
    // `cargo async-lint ...` runs `cargo-async-lint async-lint ...`.
    if args.get(1).is_some_and(|arg| arg == "async-lint") {
        args.remove(1);
    }
    let lint_args = split_off_lint_args(&mut args);
    let (args, unknown_cargo_args) = split_unknown_cargo_args(args);
    let matches = command().get_matches_from(args);
    match run(&matches, &unknown_cargo_args, &lint_args) {
        Ok(code) => code,
        Err(err) => {
            match err.downcast_ref::<ConfError>() {
                Some(conf_error) => eprintln!("error: {conf_error}"),
                None => eprintln!("error: {err:#}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// Everything after the first `--` is for rustc (lint flags): taken out, so clap never sees it.
fn split_off_lint_args(args: &mut Vec<OsString>) -> Vec<String> {
    match args.iter().position(|arg| arg == "--") {
        Some(position) => args
            .split_off(position)
            .into_iter()
            .skip(1)
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect(),
        None => Vec::new(),
    }
}

/// Splits the command line into what [`command`] knows and the cargo flags it does not, which go
/// to cargo unchanged (`--timings`, `--keep-going`'s future siblings, `-Z` flags of a newer
/// cargo), as `cargo clippy` passes everything on to `cargo check`. A bare word right after an
/// unknown flag is taken as that flag's value.
fn split_unknown_cargo_args(args: Vec<OsString>) -> (Vec<OsString>, Vec<String>) {
    let mut command = command();
    command.build();
    let takes_value = |arg: &Arg| arg.get_action().takes_values();
    let longs: std::collections::HashMap<String, bool> = command
        .get_arguments()
        .flat_map(|arg| {
            let value = takes_value(arg);
            arg.get_long_and_visible_aliases()
                .into_iter()
                .flatten()
                .chain(arg.get_aliases().into_iter().flatten())
                .map(move |name| (name.to_owned(), value))
        })
        .collect();
    let shorts: std::collections::HashMap<char, bool> = command
        .get_arguments()
        .filter_map(|arg| arg.get_short().map(|short| (short, takes_value(arg))))
        .collect();
    let mut args = args.into_iter();
    let mut known: Vec<OsString> = args.next().into_iter().collect();
    let mut unknown = Vec::new();
    let mut after_unknown_flag = false;
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str().map(str::to_owned) else {
            // Not UTF-8: clap names the problem.
            known.push(arg);
            continue;
        };
        let option = if let Some(long) = text.strip_prefix("--") {
            let (name, inline_value) = match long.split_once('=') {
                Some((name, _)) => (name, true),
                None => (long, false),
            };
            Some(longs.get(name).map(|&value| value && !inline_value))
        } else if let Some(short) = text.strip_prefix('-')
            && let Some(first) = short.chars().next()
        {
            Some(
                shorts
                    .get(&first)
                    .map(|&value| value && short.len() == first.len_utf8()),
            )
        } else {
            None
        };
        match option {
            // One of ours (or a cargo option we list); its value may be the next argument.
            Some(Some(value_follows)) => {
                known.push(arg);
                if value_follows && let Some(value) = args.next() {
                    known.push(value);
                }
                after_unknown_flag = false;
            }
            Some(None) => {
                unknown.push(text);
                after_unknown_flag = true;
            }
            None if after_unknown_flag => unknown.push(text),
            None => known.push(arg),
        }
    }
    (known, unknown)
}

fn run(matches: &ArgMatches, unknown_cargo_args: &[String], lint_args: &[String]) -> Result<ExitCode> {
    let cli = Cli::from_arg_matches(matches).context("parsing the command line")?;
    if cli.version {
        println!("{}", rustc_tools_util::get_version_info!());
        return Ok(ExitCode::SUCCESS);
    }
    // The catalogue built into the tool; its tests keep it valid, so this names a broken build.
    if let Err(err) = async_lint_config::catalogue::builtin() {
        bail!("cargo-async-lint's built-in catalogue is invalid: {err}");
    }
    if cli.list {
        print_lint_list()?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(name) = &cli.explain {
        explain(name)?;
        return Ok(ExitCode::SUCCESS);
    }

    let rustup = find_rustup()?;
    check_toolchain(&rustup)?;
    let driver = driver_path()?;
    let metadata = workspace_metadata(&rustup, matches)?;
    let conf_dir = conf_dir()?;
    let config_files = check_config_files(&metadata, conf_dir.as_deref())?;

    let target_dir = match matches.get_one::<String>("target-dir") {
        Some(dir) => PathBuf::from(dir),
        None => metadata.target_directory.as_std_path().join("async-lint"),
    };

    let mut cargo = rustup_cargo(&rustup);
    cargo.arg(if cli.fix { "fix" } else { "check" });
    let (cargo_args, user_wants_json) = cargo_check_args(matches, cli.fix);
    cargo.args(cargo_args).args(unknown_cargo_args);
    cargo.arg(format!("--target-dir={}", target_dir.display()));
    for (wanted, flag) in [
        (cli.allow_dirty, "--allow-dirty"),
        (cli.allow_staged, "--allow-staged"),
        (cli.allow_no_vcs, "--allow-no-vcs"),
    ] {
        if wanted {
            cargo.arg(flag);
        }
    }
    if cli.fix {
        // `cargo fix` is the `RUSTC_WRAPPER` itself: only the workspace goes through the driver,
        // without cross-crate summaries.
        cargo.env("RUSTC_WORKSPACE_WRAPPER", &driver);
    } else {
        // Every crate goes through the driver: the workspace's are linted and, as libraries,
        // summarized like the dependencies (what each function may block on), so chains are
        // followed across crates, in cargo's build order.
        let members = metadata
            .workspace_packages()
            .iter()
            .filter_map(|package| package.manifest_path.parent().map(|dir| dir.as_std_path().to_owned()))
            .collect::<Vec<_>>();
        cargo.env("RUSTC_WRAPPER", &driver).env(
            WORKSPACE_ENV,
            env::join_paths(members).context("joining workspace paths")?,
        );
        if cross_crate_enabled(&config_files) {
            let summaries = std::path::absolute(target_dir.join("async-lint-summaries"))
                .context("locating the summary directory")?;
            cargo.env(SUMMARY_DIR_ENV, summaries);
        }
    }
    cargo.env(ARGS_ENV, lint_args.join(&ARGS_SEPARATOR.to_string())).env(
        CONFIG_FILES_ENV,
        env::join_paths(&config_files).context("joining config file paths")?,
    );
    // The driver runs in each crate's directory: it gets the directory as an absolute path.
    if let Some(dir) = &conf_dir {
        cargo.env(CONF_DIR_ENV, dir);
    }
    if cli.fix {
        let status = cargo
            .status()
            .with_context(|| format!("running cargo through `{}`", rustup.display()))?;
        return Ok(exit_code(status));
    }

    let report_dir =
        std::path::absolute(target_dir.join("async-lint-report")).context("locating the report directory")?;
    cargo.env(REPORT_DIR_ENV, &report_dir);
    let (status, crate_reports) = run_for_report(&mut cargo, &metadata, &report_dir, user_wants_json)?;
    finish_check(&cli, &metadata, status, &crate_reports)
}

/// After `cargo check`: writes the report if one was asked for, and turns the denied findings
/// the driver recorded into the exit status.
fn finish_check(
    cli: &Cli,
    metadata: &cargo_metadata::Metadata,
    status: std::process::ExitStatus,
    crate_reports: &[CrateReport],
) -> Result<ExitCode> {
    if let Some(format) = cli.report {
        let text = report::render(
            format,
            metadata.workspace_root.as_std_path(),
            &target_roots(metadata),
            crate_reports,
        )?;
        match &cli.output {
            Some(path) => {
                std::fs::write(path, text).with_context(|| format!("writing the report to {}", path.display()))?;
            }
            None => std::io::stdout()
                .write_all(text.as_bytes())
                .context("writing the report")?,
        }
    }
    // The driver lets a crate whose only errors are denied findings compile on, so that the
    // rest of the build is analysed; the build fails here instead.
    if status.success() {
        let failing = denied_findings(crate_reports);
        if !failing.is_empty() {
            let count: usize = failing.iter().map(|(_, count)| count).sum();
            let plural = if count == 1 { "" } else { "s" };
            let targets = failing
                .iter()
                .map(|(target, _)| target.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            eprintln!(
                "error: build failed: {count} denied finding{plural} in {targets}; every target was still analysed"
            );
            return Ok(ExitCode::from(101));
        }
    }
    Ok(exit_code(status))
}

/// The cargo options to forward, and whether the user asked for JSON messages. Without `--fix`,
/// cargo gives its messages as JSON: its artifact messages say which crates this build has, to
/// read what the driver recorded of each, and the subcommand passes the diagnostics on itself
/// (rendered, unless JSON was asked for), so it can hold back those that crates compiled later
/// decide ([`messages`]).
fn cargo_check_args(matches: &ArgMatches, fix: bool) -> (Vec<String>, bool) {
    let mut cargo_args = forwarded_args(matches, None);
    let user_wants_json = cargo_args
        .iter()
        .any(|arg| arg.starts_with("--message-format=") && arg.contains("json"));
    if !fix && !user_wants_json {
        let short = cargo_args.iter().any(|arg| arg == "--message-format=short");
        cargo_args.retain(|arg| !arg.starts_with("--message-format="));
        let colour = colour_wanted(&cargo_args);
        // cargo's standard error reaches the user through the subcommand ([`run_for_report`]),
        // a pipe on which cargo would not colour its status lines of its own accord.
        if colour && !cargo_args.iter().any(|arg| arg.starts_with("--color")) {
            cargo_args.push("--color=always".to_owned());
        }
        cargo_args.push(json_messages(colour).to_owned());
        if short {
            cargo_args.push("--message-format=json-diagnostic-short".to_owned());
        }
    }
    (cargo_args, user_wants_json)
}

/// cargo's JSON messages, with the diagnostics rendered in colour or not.
fn json_messages(colour: bool) -> &'static str {
    if colour {
        "--message-format=json-diagnostic-rendered-ansi"
    } else {
        "--message-format=json"
    }
}

/// Whether cargo would colour its diagnostics: `--color`, else `CARGO_TERM_COLOR`, else whether
/// standard error is a terminal.
fn colour_wanted(cargo_args: &[String]) -> bool {
    let choice = cargo_args
        .iter()
        .find_map(|arg| arg.strip_prefix("--color=").map(str::to_owned))
        .or_else(|| env::var("CARGO_TERM_COLOR").ok());
    match choice.as_deref() {
        Some("always") => true,
        Some("never") => false,
        _ => std::io::IsTerminal::is_terminal(&std::io::stderr()),
    }
}

fn exit_code(status: std::process::ExitStatus) -> ExitCode {
    match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        // Killed by a signal.
        None => ExitCode::FAILURE,
    }
}

/// The targets of this build with denied findings (as cargo names them: "`app` (lib)"), and how
/// many each has. A finding the lib and its test harness both report counts once, for the lib.
fn denied_findings(crate_reports: &[CrateReport]) -> Vec<(String, usize)> {
    let mut seen = BTreeSet::new();
    let mut targets: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let (harnesses, others): (Vec<&CrateReport>, Vec<&CrateReport>) =
        crate_reports.iter().partition(|crate_report| crate_report.test_harness);
    for crate_report in others.into_iter().chain(harnesses) {
        for finding in crate_report.denied() {
            if !seen.insert((&finding.lint, &finding.location)) {
                continue;
            }
            let is_lib = crate_report.crate_name == crate_report.package.replace('-', "_");
            let target = match (crate_report.test_harness, crate_report.kind.as_str()) {
                (true, _) if is_lib => "lib test".to_owned(),
                (true, _) => format!("test \"{}\"", crate_report.crate_name),
                (false, "bin") => format!("bin \"{}\"", crate_report.crate_name),
                (false, _) => "lib".to_owned(),
            };
            *targets
                .entry(format!("`{}` ({target})", crate_report.package))
                .or_default() += 1;
        }
    }
    targets.into_iter().collect()
}

/// The root source file of every target of the workspace's packages.
fn target_roots(metadata: &cargo_metadata::Metadata) -> BTreeSet<PathBuf> {
    metadata
        .workspace_packages()
        .iter()
        .flat_map(|package| &package.targets)
        .map(|target| target.src_path.as_std_path().to_owned())
        .collect()
}

/// Runs cargo with JSON messages on its standard output and reads the report files of the
/// workspace crates of this build: those cargo reports as checked (built now or replayed from
/// its cache), and those this run's driver wrote (a crate whose check failed, on a compile error
/// say, has no artifact message). Other messages are passed on when the user asked for JSON.
fn run_for_report(
    cargo: &mut Command,
    metadata: &cargo_metadata::Metadata,
    report_dir: &Path,
    pass_messages_on: bool,
) -> Result<(std::process::ExitStatus, Vec<CrateReport>)> {
    let started = std::time::SystemTime::now();
    let since_epoch = started.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let run_id = format!("{}-{}", std::process::id(), since_epoch.as_nanos());
    cargo.env(RUN_ID_ENV, &run_id).stdout(std::process::Stdio::piped());
    if !pass_messages_on {
        cargo.stderr(std::process::Stdio::piped());
    }
    let mut child = cargo.spawn().context("running cargo")?;
    let stdout = child.stdout.take().context("reading cargo's output")?;
    let cargo_status = child
        .stderr
        .take()
        .map(|stderr| std::thread::spawn(move || messages::forward_status(stderr)));
    // Each file once: those named by artifact messages are read at the end, those this run wrote
    // are already read to see that they are.
    let mut files: std::collections::BTreeMap<PathBuf, Option<CrateReport>> = std::collections::BTreeMap::new();
    let mut out = std::io::stdout().lock();
    let mut messages = messages::Messages::new(if pass_messages_on {
        messages::Output::Json
    } else {
        messages::Output::Rendered
    });
    let package_names: std::collections::BTreeMap<&cargo_metadata::PackageId, &str> = metadata
        .workspace_packages()
        .iter()
        .map(|package| (&package.id, package.name.as_str()))
        .collect();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
        let line = line.context("reading cargo's output")?;
        match serde_json::from_str(&line) {
            Ok(cargo_metadata::Message::CompilerMessage(message)) => match package_names.get(&message.package_id) {
                Some(&package) => messages.compiler_message(line, message, package),
                None => messages.dependency_message(&mut out, &line, &message)?,
            },
            Ok(cargo_metadata::Message::CompilerArtifact(artifact))
                if metadata.workspace_members.contains(&artifact.package_id) =>
            {
                messages.other_line(&mut out, &line)?;
                // `lib<crate>-<hash>.rmeta`: the driver named its file `<crate>-<hash>.json`.
                let report_file = artifact
                    .filenames
                    .iter()
                    .find(|file| file.extension() == Some("rmeta"))
                    .and_then(|file| file.file_stem())
                    .map(|stem| report_dir.join(format!("{}.json", stem.strip_prefix("lib").unwrap_or(stem))));
                let report = report_file.as_deref().and_then(|file| CrateReport::read(file).ok());
                messages.target_done(&mut out, &artifact.package_id, &artifact.target, report.as_ref())?;
                if let Some(file) = report_file {
                    files.insert(file, report);
                }
            }
            _ => messages.other_line(&mut out, &line)?,
        }
    }
    let status = child.wait().context("waiting for cargo")?;
    let status_tail = match cargo_status {
        Some(thread) => thread
            .join()
            .map_err(|_| anyhow::anyhow!("passing cargo's status lines on failed"))?
            .context("passing cargo's status lines on")?,
        None => Vec::new(),
    };
    if let Ok(entries) = std::fs::read_dir(report_dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let maybe_this_run = entry
                .metadata()
                .and_then(|meta| meta.modified())
                .is_ok_and(|modified| modified >= started);
            if maybe_this_run
                && path.extension().is_some_and(|ext| ext == "json")
                && let Ok(written) = CrateReport::read(&path)
                && written.run_id == run_id
            {
                files.insert(path, Some(written));
            }
        }
    }
    let mut crate_reports: Vec<CrateReport> = Vec::with_capacity(files.len());
    for (file, read) in files {
        match read {
            Some(crate_report) => crate_reports.push(crate_report),
            None if file.is_file() => crate_reports.push(
                CrateReport::read(&file)
                    .with_context(|| format!("reading {}; run the check again to rebuild it", file.display()))?,
            ),
            None => {}
        }
    }
    let dropped = messages::MainTasksOfTheBuild::of(&crate_reports);
    messages.finish(&mut out, &dropped)?;
    std::io::stderr()
        .write_all(&status_tail)
        .context("passing cargo's status lines on")?;
    messages::drop_main_task_findings(&mut crate_reports, &dropped);
    Ok((status, crate_reports))
}

/// `rustup run <nightly> cargo`, cleared of the variables that would pick another compiler.
fn rustup_cargo(rustup: &Path) -> Command {
    let mut command = Command::new(rustup);
    command.args(["run", TOOLCHAIN, "cargo"]);
    for name in [
        "RUSTC",
        "RUSTDOC",
        "CARGO",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_BUILD_RUSTC",
        "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER",
        "RUSTUP_TOOLCHAIN",
        // A compiler cache (sccache) does not know the variables our driver reads, and would
        // replay diagnostics made with other lint flags or another config.
        "RUSTC_WRAPPER",
        "CARGO_BUILD_RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
    ] {
        command.env_remove(name);
    }
    command
}

fn find_rustup() -> Result<PathBuf> {
    let exe = format!("rustup{}", env::consts::EXE_SUFFIX);
    let in_path = env::var_os("PATH").map_or_else(Vec::new, |path| {
        env::split_paths(&path).map(|dir| dir.join(&exe)).collect()
    });
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    in_path
        .into_iter()
        .chain(cargo_home.map(|home| home.join("bin").join(&exe)))
        .find(|candidate| candidate.is_file())
        .with_context(|| {
            format!(
                "rustup was not found in PATH or in $CARGO_HOME/bin; cargo async-lint runs cargo on the \
                 `{TOOLCHAIN}` toolchain through rustup (install rustup from https://rustup.rs)"
            )
        })
}

fn install_command() -> String {
    format!("rustup toolchain install {TOOLCHAIN} --profile minimal --component rustc-dev,llvm-tools-preview,rust-src")
}

/// Fails with the exact install command when the pinned nightly is missing, instead of letting
/// the driver die with exit code 127 or rustc with E0463/E0514.
fn check_toolchain(rustup: &Path) -> Result<()> {
    // Where rustup keeps its toolchains, a look at the directory answers without starting rustup
    // (this runs on every save in an editor).
    if toolchain_directory_exists() {
        return Ok(());
    }
    let output = Command::new(rustup)
        .args(["toolchain", "list"])
        .output()
        .with_context(|| format!("running `{} toolchain list`", rustup.display()))?;
    let listing = String::from_utf8_lossy(&output.stdout);
    let installed = listing
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .any(is_pinned_toolchain);
    if !installed {
        bail!(
            "the `{TOOLCHAIN}` toolchain that cargo async-lint needs is not installed\nhelp: install it with: {}",
            install_command()
        );
    }
    Ok(())
}

/// Whether a toolchain named `name` (`nightly-2026-10-01`, or with its host triple after it) is
/// the pinned nightly.
fn is_pinned_toolchain(name: &str) -> bool {
    name == TOOLCHAIN || name.strip_prefix(TOOLCHAIN).is_some_and(|rest| rest.starts_with('-'))
}

/// Whether `$RUSTUP_HOME/toolchains` (`~/.rustup/toolchains`) has the pinned nightly.
fn toolchain_directory_exists() -> bool {
    let rustup_home = env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".rustup")));
    rustup_home
        .and_then(|home| std::fs::read_dir(home.join("toolchains")).ok())
        .is_some_and(|mut entries| {
            entries.any(|entry| entry.is_ok_and(|entry| is_pinned_toolchain(&entry.file_name().to_string_lossy())))
        })
}

fn driver_path() -> Result<PathBuf> {
    let exe = env::current_exe().context("locating the cargo-async-lint executable")?;
    let driver = exe.with_file_name(format!("{DRIVER_NAME}{}", env::consts::EXE_SUFFIX));
    if !driver.is_file() {
        bail!(
            "`{DRIVER_NAME}` was not found next to `{}`\nhelp: reinstall both binaries with: cargo +{TOOLCHAIN} \
             install --path <cargo-async-lint checkout> --locked",
            exe.display()
        );
    }
    Ok(driver)
}

fn workspace_metadata(rustup: &Path, matches: &ArgMatches) -> Result<cargo_metadata::Metadata> {
    let output = rustup_cargo(rustup)
        .args(["metadata", "--format-version=1", "--no-deps"])
        .args(forwarded_args(matches, Some(METADATA_OPTIONS)))
        .output()
        .context("running `cargo metadata`")?;
    if !output.status.success() {
        // Cargo's own message says what is wrong with the manifest.
        std::io::stderr()
            .write_all(&output.stderr)
            .context("writing cargo's error")?;
        bail!("`cargo metadata` failed, so the workspace could not be read");
    }
    let stdout = String::from_utf8(output.stdout).context("`cargo metadata` printed invalid UTF-8")?;
    cargo_metadata::MetadataCommand::parse(stdout).context("reading the output of `cargo metadata`")
}

/// `$ASYNC_LINT_CONF_DIR` as an absolute path; an error when it has no config file, since the
/// user asked for that one.
fn conf_dir() -> Result<Option<PathBuf>> {
    let Some(dir) = env::var_os(CONF_DIR_ENV).filter(|dir| !dir.is_empty()) else {
        return Ok(None);
    };
    let dir = PathBuf::from(dir);
    let absolute =
        std::path::absolute(&dir).with_context(|| format!("resolving ${CONF_DIR_ENV} `{}`", dir.display()))?;
    if !absolute.join(CONFIG_FILE_NAME).is_file() {
        bail!(
            "${CONF_DIR_ENV} is `{}`, which has no `{CONFIG_FILE_NAME}`\nhelp: unset it to use the `{CONFIG_FILE_NAME}` \
             of each crate's directory or its parents",
            dir.display()
        );
    }
    Ok(Some(absolute))
}

/// Finds and validates every config file that applies to a workspace member, so a mistake is
/// reported once, before anything is built.
fn check_config_files(metadata: &cargo_metadata::Metadata, conf_dir: Option<&Path>) -> Result<Vec<PathBuf>> {
    let files: BTreeSet<PathBuf> = metadata
        .workspace_packages()
        .iter()
        .filter_map(|package| package.manifest_path.parent())
        .filter_map(|dir| find_config(dir.as_std_path(), conf_dir))
        .collect();
    for file in &files {
        load_file(file)?;
    }
    Ok(files.into_iter().collect())
}

/// Whether cross-crate analysis is on: unless a config file of the workspace switches it off.
fn cross_crate_enabled(config_files: &[PathBuf]) -> bool {
    config_files
        .iter()
        .filter_map(|file| load_file(file).ok())
        .all(|loaded| loaded.conf.cross_crate_enabled())
}

fn print_lint_list() -> Result<()> {
    let width = LINTS.iter().map(|lint| lint.name.len()).max().unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for lint in LINTS {
        writeln!(
            out,
            "{:width$}  {:6}  {}",
            lint.name,
            lint.default_level.as_str(),
            lint.summary
        )
        .context("writing the lint list")?;
    }
    Ok(())
}

fn explain(name: &str) -> Result<()> {
    let normalized = name.replace('-', "_");
    let Some(lint) = lint_info(&normalized) else {
        let hint = match closest_match(&normalized, LINTS.iter().map(|lint| lint.name)) {
            Some(candidate) => format!("did you mean `{candidate}`?"),
            None => "`cargo async-lint --list` shows the lints".to_owned(),
        };
        bail!("unknown lint `{name}`\nhelp: {hint}");
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "# {} (default: {})\n\n{}\n\n{}",
        lint.name,
        lint.default_level.as_str(),
        lint.summary,
        lint.docs
    )
    .context("writing the lint docs")?;
    // Lints configured through a catalogue show what is in it.
    if lint.docs.contains("`catalogue.blocking`") {
        writeln!(out, "\n{}", async_lint_config::catalogue::markdown()).context("writing the catalogue")?;
    }
    if lint.docs.contains("`catalogue.guards`") {
        writeln!(out, "\n{}", async_lint_config::catalogue::guards_markdown()).context("writing the guard types")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os_args(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    /// The cargo options of a command line, as they go to `cargo check`, and the unknown ones.
    fn cargo_args_of(args: &[&str]) -> (Vec<String>, Vec<String>) {
        let (known, unknown) = split_unknown_cargo_args(os_args(args));
        let matches = command().try_get_matches_from(known).expect("the command line parses");
        (cargo_check_args(&matches, false).0, unknown)
    }

    #[test]
    fn lint_flags_after_the_double_dash_are_split_off() {
        let mut args = os_args(&[
            "cargo-async-lint",
            "-p",
            "app",
            "--",
            "-D",
            "blocking_in_async",
            "--",
            "x",
        ]);
        assert_eq!(split_off_lint_args(&mut args), ["-D", "blocking_in_async", "--", "x"]);
        assert_eq!(args, os_args(&["cargo-async-lint", "-p", "app"]));
        let mut args = os_args(&["cargo-async-lint", "--workspace"]);
        assert_eq!(split_off_lint_args(&mut args), Vec::<String>::new());
    }

    #[test]
    fn cargo_options_are_forwarded_in_cargo_s_spelling() {
        let (forwarded, unknown) = cargo_args_of(&[
            "cargo-async-lint",
            "-p",
            "app",
            "--package=core",
            "-F",
            "tls,http2",
            "-vv",
            "--all",
            "--release",
            "-Zbuild-std",
            "--target-dir",
            "out",
        ]);
        assert_eq!(
            forwarded,
            [
                "--package=app",
                "--package=core",
                "--features=tls,http2",
                "--release",
                "--verbose",
                "--verbose",
                "-Zbuild-std",
                "--workspace",
                json_messages(colour_wanted(&[])),
            ]
        );
        // `--target-dir` is the subcommand's to place; it is passed separately.
        assert_eq!(unknown, Vec::<String>::new());
    }

    #[test]
    fn unknown_cargo_flags_go_to_cargo_with_their_values() {
        let (forwarded, unknown) = cargo_args_of(&[
            "cargo-async-lint",
            "--timings",
            "--future-flag",
            "value",
            "--lib",
            "--other=inline",
        ]);
        assert_eq!(unknown, ["--timings", "--future-flag", "value", "--other=inline"]);
        assert_eq!(forwarded, ["--lib", json_messages(colour_wanted(&[]))]);
    }

    #[test]
    fn message_formats_keep_the_user_s_choice() {
        let (forwarded, _) = cargo_args_of(&["cargo-async-lint", "--message-format=json"]);
        assert_eq!(forwarded, ["--message-format=json"]);
        let (forwarded, _) = cargo_args_of(&["cargo-async-lint", "--message-format", "short"]);
        assert_eq!(
            forwarded,
            [
                json_messages(colour_wanted(&[])),
                "--message-format=json-diagnostic-short"
            ]
        );
    }

    #[test]
    fn metadata_gets_only_the_options_that_apply_to_it() {
        let (known, _) = split_unknown_cargo_args(os_args(&[
            "cargo-async-lint",
            "--manifest-path",
            "app/Cargo.toml",
            "--locked",
            "-p",
            "app",
        ]));
        let matches = command().try_get_matches_from(known).expect("the command line parses");
        assert_eq!(
            forwarded_args(&matches, Some(METADATA_OPTIONS)),
            ["--manifest-path=app/Cargo.toml", "--locked"]
        );
    }
}
