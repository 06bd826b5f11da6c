//! `cargo async-lint --report`: golden files for the three formats on
//! `tests/fixtures/report-crate`, the JSON output checked against `docs/report.schema.json`, the
//! SARIF output against the SARIF 2.1.0 schema, and a second run that rebuilds nothing and
//! reports the same.
//!
//! `cargo test --test report -- --bless` (or `cargo bless`) rewrites the golden files.

mod common;

use common::{clean_env, root};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};
use std::sync::OnceLock;

fn fixture() -> PathBuf {
    root().join("tests/fixtures/report-crate")
}

fn scratch() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report")
}

/// Runs `cargo async-lint --all-targets --report FORMAT --output PATH [-- LINT FLAGS]` on the
/// fixture.
fn run_report(format: &str, output: &Path, lint_flags: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-async-lint"));
    clean_env(&mut command)
        .current_dir(fixture())
        .args(["async-lint", "--all-targets", "--report", format, "--output"])
        .arg(output)
        .arg(format!("--target-dir={}", scratch().join("target").display()))
        .arg("--")
        .args(lint_flags)
        .output()
        .expect("cargo-async-lint runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Compares `actual` with the golden file, or rewrites it when blessing.
fn golden(file: &str, actual: &str, bless: bool) -> Result<(), String> {
    let path = fixture().join("expected").join(file);
    if bless {
        std::fs::write(&path, actual).map_err(|err| format!("writing {}: {err}", path.display()))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&path).map_err(|err| format!("reading {}: {err}", path.display()))?;
    if expected == actual {
        Ok(())
    } else {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        Err(format!(
            "{} differs from the output at line {} (run `cargo bless` and read the diff):\nexpected: {:?}\nactual:   {:?}",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        ))
    }
}

fn validate(schema: &serde_json::Value, instance: &serde_json::Value, what: &str) -> Result<(), String> {
    let validator = jsonschema::validator_for(schema).map_err(|err| format!("{what}: bad schema: {err}"))?;
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|err| format!("{} at {}", err, err.instance_path()))
        .take(10)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{what} does not match its schema:\n{}", errors.join("\n")))
    }
}

/// The SARIF 2.1.0 schema, as shipped in the `serde-sarif` package we depend on.
fn sarif_schema() -> Result<serde_json::Value, String> {
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(root().join("Cargo.toml"))
        .exec()
        .map_err(|err| format!("cargo metadata: {err}"))?;
    let package = metadata
        .packages
        .iter()
        .find(|package| package.name.as_str() == "serde-sarif")
        .ok_or("serde-sarif is not a dependency")?;
    let path = package
        .manifest_path
        .parent()
        .ok_or("serde-sarif has no directory")?
        .join("src/schema.json");
    let text = std::fs::read_to_string(&path).map_err(|err| format!("reading {path}: {err}"))?;
    // The published schema's `language` pattern has a stray `]`, which is not an ECMA-262 regex;
    // the validator refuses the schema over it. Its evident intent replaces it.
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    serde_json::from_str(&text).map_err(|err| format!("parsing {path}: {err}"))
}

/// What the runs of the subcommand gave, for the checks to read: each format's exit status,
/// diagnostics and report text, then the report of a first and a second cached run.
struct Runs {
    formats: Vec<FormatRun>,
    cached_first: String,
    cached_again: String,
    cached_again_stderr: String,
}

struct FormatRun {
    format: &'static str,
    file: &'static str,
    output: Output,
    text: String,
}

/// Runs the subcommand once for each format, then twice for the cached run (one after the
/// other: they share a target dir), whatever the checks that read them.
fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    RUNS.get_or_init(|| {
        std::fs::create_dir_all(scratch()).expect("scratch directory");
        let formats = [("md", "report.md"), ("json", "report.json"), ("sarif", "report.sarif")]
            .into_iter()
            .map(|(format, file)| {
                let path = scratch().join(file);
                let output = run_report(format, &path, &[]);
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                FormatRun {
                    format,
                    file,
                    output,
                    text,
                }
            })
            .collect();
        // Nothing changed: cargo replays its cache, the driver does not run. (Only a build that
        // succeeds is cached, so `nested_runtime` is lowered here.)
        let first = scratch().join("first.md");
        let _ = run_report("md", &first, &["-W", "nested_runtime"]);
        let again = scratch().join("again.md");
        let output = run_report("md", &again, &["-W", "nested_runtime"]);
        Runs {
            formats,
            cached_first: std::fs::read_to_string(&first).unwrap_or_default(),
            cached_again: std::fs::read_to_string(&again).unwrap_or_default(),
            cached_again_stderr: stderr(&output),
        }
    })
}

fn format_text(format: &str) -> &'static str {
    runs()
        .formats
        .iter()
        .find(|run| run.format == format)
        .map_or("", |run| run.text.as_str())
}

/// `nested_runtime` is deny by default: the build fails, and the report is still written.
fn report_keeps_cargo_exit_code() -> Result<(), String> {
    for run in &runs().formats {
        if run.output.status.code() != Some(101) {
            return Err(format!(
                "expected exit code 101 for --report {}, got {:?}:\n{}",
                run.format,
                run.output.status,
                stderr(&run.output)
            ));
        }
    }
    Ok(())
}

fn report_still_prints_diagnostics() -> Result<(), String> {
    for run in &runs().formats {
        let err = stderr(&run.output);
        if !err.contains("warning: `std::thread::sleep` blocks the async executor") {
            return Err(format!(
                "diagnostics are not printed with --report {}:\n{err}",
                run.format
            ));
        }
    }
    Ok(())
}

fn golden_files(bless: bool) -> Result<(), String> {
    runs()
        .formats
        .iter()
        .try_for_each(|run| golden(run.file, &run.text, bless))
}

/// The JSON report against `docs/report.schema.json`.
fn report_schema() -> Result<serde_json::Value, String> {
    let path = root().join("docs/report.schema.json");
    let text = std::fs::read_to_string(&path).map_err(|err| format!("reading {}: {err}", path.display()))?;
    serde_json::from_str(&text).map_err(|err| format!("parsing {}: {err}", path.display()))
}

fn json_matches_its_schema() -> Result<(), String> {
    let json: serde_json::Value =
        serde_json::from_str(format_text("json")).map_err(|err| format!("the JSON report: {err}"))?;
    validate(&report_schema()?, &json, "the JSON report")
}

fn schema_lists_every_lint() -> Result<(), String> {
    let schema = report_schema()?;
    let schema_lints: Vec<&str> = schema["properties"]["findings"]["items"]["properties"]["lint"]["enum"]
        .as_array()
        .map_or_else(Vec::new, |values| {
            values.iter().filter_map(|value| value.as_str()).collect()
        });
    let mut lints: Vec<&str> = async_lint_config::LINTS.iter().map(|lint| lint.name).collect();
    lints.sort_unstable();
    if schema_lints == lints {
        Ok(())
    } else {
        Err(format!(
            "docs/report.schema.json lists {schema_lints:?}, the lints are {lints:?}"
        ))
    }
}

/// The SARIF log against SARIF 2.1.0.
fn sarif_log() -> Result<serde_json::Value, String> {
    serde_json::from_str(format_text("sarif")).map_err(|err| format!("the SARIF log: {err}"))
}

fn sarif_matches_sarif_2_1_0() -> Result<(), String> {
    validate(&sarif_schema()?, &sarif_log()?, "the SARIF log")
}

fn sarif_chains_are_code_flows() -> Result<(), String> {
    let sarif = sarif_log()?;
    let flows = sarif["runs"][0]["results"].as_array().map_or(0, |results| {
        results
            .iter()
            .filter(|result| result.get("codeFlows").is_some())
            .count()
    });
    if flows > 0 {
        Ok(())
    } else {
        Err("no result carries a code flow".to_owned())
    }
}

/// Nothing changed: the second run rebuilds nothing and its report is the first's.
fn second_run_reuses_the_cache() -> Result<(), String> {
    let runs = runs();
    if runs.cached_again_stderr.contains("Checking report-crate") {
        Err(format!(
            "the second run rebuilt the crate:\n{}",
            runs.cached_again_stderr
        ))
    } else if runs.cached_first.is_empty() || runs.cached_again != runs.cached_first {
        Err("the second run's report differs from the first".to_owned())
    } else if !runs
        .cached_first
        .contains("`std::thread::sleep` blocks the async executor")
    {
        Err(format!(
            "the cached run's report lost its findings:\n{}",
            runs.cached_first
        ))
    } else {
        Ok(())
    }
}

fn main() -> ExitCode {
    // `--bless` is ours (`cargo bless`); the rest are libtest's.
    let bless =
        std::env::args().any(|arg| arg == "--bless") || std::env::var_os("RUSTC_BLESS").is_some_and(|v| v != "0");
    let arguments = Arguments::from_iter(std::env::args().filter(|arg| arg != "--bless"));
    let check = |name: &'static str, check: fn() -> Result<(), String>| {
        Trial::test(name, move || check().map_err(Failed::from))
    };
    let trials = vec![
        check("report_keeps_cargo_exit_code", report_keeps_cargo_exit_code),
        check("report_still_prints_diagnostics", report_still_prints_diagnostics),
        Trial::test("golden_files", move || golden_files(bless).map_err(Failed::from)),
        check("json_matches_its_schema", json_matches_its_schema),
        check("schema_lists_every_lint", schema_lists_every_lint),
        check("sarif_matches_sarif_2_1_0", sarif_matches_sarif_2_1_0),
        check("sarif_chains_are_code_flows", sarif_chains_are_code_flows),
        check("second_run_reuses_the_cache", second_run_reuses_the_cache),
    ];
    libtest_mimic::run(&arguments, trials).exit_code()
}
