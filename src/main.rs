//! `cargo async-lint`: runs `cargo check` (or `cargo fix`) with our driver as the workspace
//! rustc wrapper, on the nightly toolchain the driver was built for, whatever toolchain the
//! project itself pins.

mod report;
mod shared;

use anyhow::{Context, Result, bail};
use async_lint_config::report::REPORT_DIR_ENV;
use async_lint_config::summary::{SUMMARY_DIR_ENV, WORKSPACE_ENV};
use async_lint_config::{
    CONF_DIR_ENV, CONFIG_FILE_NAME, ConfError, LINTS, closest_match, find_config, lint_info, load_file,
};
use clap::{Arg, ArgAction, ArgMatches, CommandFactory, FromArgMatches, Parser};
use shared::{ARGS_ENV, ARGS_SEPARATOR, CONFIG_FILES_ENV};
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
    // Everything after the first `--` is for rustc; clap must not see it.
    let lint_args: Vec<String> = match args.iter().position(|arg| arg == "--") {
        Some(position) => args
            .split_off(position)
            .into_iter()
            .skip(1)
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect(),
        None => Vec::new(),
    };

    let matches = command().get_matches_from(args);
    match run(&matches, &lint_args) {
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

fn run(matches: &ArgMatches, lint_args: &[String]) -> Result<ExitCode> {
    let cli = Cli::from_arg_matches(matches).context("parsing the command line")?;
    if cli.version {
        println!("{}", rustc_tools_util::get_version_info!());
        return Ok(ExitCode::SUCCESS);
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
    let mut cargo_args = forwarded_args(matches, None);
    // For a report, cargo's artifact messages say which crates this build has; cargo still
    // renders the diagnostics as usual unless JSON was asked for.
    let user_wants_json = cargo_args
        .iter()
        .any(|arg| arg.starts_with("--message-format=") && arg.contains("json"));
    if cli.report.is_some() && !user_wants_json {
        let short = cargo_args.iter().any(|arg| arg == "--message-format=short");
        cargo_args.retain(|arg| !arg.starts_with("--message-format="));
        cargo_args.push("--message-format=json-render-diagnostics".to_owned());
        if short {
            cargo_args.push("--message-format=json-diagnostic-short".to_owned());
        }
    }
    cargo.args(cargo_args);
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
        // Every crate goes through the driver: the workspace's are linted, the dependencies
        // summarized (what each function may block on), so chains are followed across crates.
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
    let status = match cli.report {
        None => cargo
            .status()
            .with_context(|| format!("running cargo through `{}`", rustup.display()))?,
        Some(format) => {
            let report_dir =
                std::path::absolute(target_dir.join("async-lint-report")).context("locating the report directory")?;
            cargo.env(REPORT_DIR_ENV, &report_dir);
            let (status, units) = run_for_report(&mut cargo, &metadata, &report_dir, user_wants_json)?;
            let text = report::render(format, metadata.workspace_root.as_std_path(), &units)?;
            match &cli.output {
                Some(path) => {
                    std::fs::write(path, text).with_context(|| format!("writing the report to {}", path.display()))?;
                }
                None => std::io::stdout()
                    .write_all(text.as_bytes())
                    .context("writing the report")?,
            }
            status
        }
    };
    Ok(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        // Killed by a signal.
        None => ExitCode::FAILURE,
    })
}

/// Runs cargo with JSON messages on its standard output and gathers the report files of the
/// workspace crates of this build: those cargo reports as checked (built now or replayed from
/// its cache), and those written during this run (a crate whose check failed, on a denied lint
/// say, has no artifact message). Other messages are passed on when the user asked for JSON.
fn run_for_report(
    cargo: &mut Command,
    metadata: &cargo_metadata::Metadata,
    report_dir: &Path,
    pass_messages_on: bool,
) -> Result<(std::process::ExitStatus, Vec<PathBuf>)> {
    let started = std::time::SystemTime::now();
    let mut child = cargo
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("running cargo")?;
    let stdout = child.stdout.take().context("reading cargo's output")?;
    let mut files = BTreeSet::new();
    let mut out = std::io::stdout().lock();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
        let line = line.context("reading cargo's output")?;
        if pass_messages_on {
            writeln!(out, "{line}").context("passing cargo's messages on")?;
        }
        let Ok(cargo_metadata::Message::CompilerArtifact(artifact)) = serde_json::from_str(&line) else {
            continue;
        };
        if !metadata.workspace_members.contains(&artifact.package_id) {
            continue;
        }
        // `lib<crate>-<hash>.rmeta`: the driver named its file `<crate>-<hash>.json`.
        if let Some(stem) = artifact
            .filenames
            .iter()
            .find(|file| file.extension() == Some("rmeta"))
            .and_then(|file| file.file_stem())
        {
            files.insert(report_dir.join(format!("{}.json", stem.strip_prefix("lib").unwrap_or(stem))));
        }
    }
    let status = child.wait().context("waiting for cargo")?;
    if let Ok(entries) = std::fs::read_dir(report_dir) {
        for entry in entries.flatten() {
            let written_now = entry
                .metadata()
                .and_then(|meta| meta.modified())
                .is_ok_and(|modified| modified >= started);
            if written_now && entry.path().extension().is_some_and(|ext| ext == "json") {
                files.insert(entry.path());
            }
        }
    }
    Ok((status, files.into_iter().filter(|file| file.is_file()).collect()))
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
    let output = Command::new(rustup)
        .args(["toolchain", "list"])
        .output()
        .with_context(|| format!("running `{} toolchain list`", rustup.display()))?;
    let listing = String::from_utf8_lossy(&output.stdout);
    let installed = listing
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .any(|name| name == TOOLCHAIN || name.strip_prefix(TOOLCHAIN).is_some_and(|rest| rest.starts_with('-')));
    if !installed {
        bail!(
            "the `{TOOLCHAIN}` toolchain that cargo async-lint needs is not installed\nhelp: install it with: {}",
            install_command()
        );
    }
    Ok(())
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
