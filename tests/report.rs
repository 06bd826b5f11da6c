//! `cargo async-lint --report`: golden files for the three formats on
//! `tests/fixtures/report-crate`, the JSON output checked against `docs/report.schema.json`, the
//! SARIF output against the SARIF 2.1.0 schema, and a second run that rebuilds nothing and
//! reports the same.
//!
//! `cargo test --test report -- --bless` (or `cargo bless`) rewrites the golden files.

mod common;

use common::{clean_env, root};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};

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

struct Outcome {
    name: &'static str,
    error: Option<String>,
}

fn check(name: &'static str, result: Result<(), String>) -> Outcome {
    Outcome {
        name,
        error: result.err(),
    }
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

/// The three formats: exit code, diagnostics, golden files. Returns the reports.
fn check_formats(bless: bool, outcomes: &mut Vec<Outcome>) -> Vec<String> {
    let mut texts = Vec::new();
    for (format, file) in [("md", "report.md"), ("json", "report.json"), ("sarif", "report.sarif")] {
        let path = scratch().join(file);
        let output = run_report(format, &path, &[]);
        let err = stderr(&output);
        // `nested_runtime` is deny by default: the build fails, and the report is still written.
        let status = if output.status.code() == Some(101) {
            Ok(())
        } else {
            Err(format!(
                "expected exit code 101 for --report {format}, got {:?}:\n{err}",
                output.status
            ))
        };
        outcomes.push(check("report_keeps_cargo_exit_code", status));
        let diagnostics = if err.contains("warning: `std::thread::sleep` blocks the async executor") {
            Ok(())
        } else {
            Err(format!("diagnostics are not printed with --report {format}:\n{err}"))
        };
        outcomes.push(check("report_still_prints_diagnostics", diagnostics));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        outcomes.push(check("golden_files", golden(file, &text, bless)));
        texts.push(text);
    }
    texts
}

/// The JSON report against `docs/report.schema.json`, the SARIF log against SARIF 2.1.0.
fn check_schemas(json: &str, sarif: &str, outcomes: &mut Vec<Outcome>) {
    let json: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap_or_default())
            .unwrap_or_default();
    outcomes.push(check(
        "json_matches_its_schema",
        validate(&schema, &json, "the JSON report"),
    ));
    let schema_lints: Vec<&str> = schema["properties"]["findings"]["items"]["properties"]["lint"]["enum"]
        .as_array()
        .map_or_else(Vec::new, |values| {
            values.iter().filter_map(|value| value.as_str()).collect()
        });
    let mut lints: Vec<&str> = async_lint_config::LINTS.iter().map(|lint| lint.name).collect();
    lints.sort_unstable();
    outcomes.push(check(
        "schema_lists_every_lint",
        if schema_lints == lints {
            Ok(())
        } else {
            Err(format!(
                "docs/report.schema.json lists {schema_lints:?}, the lints are {lints:?}"
            ))
        },
    ));

    let sarif: serde_json::Value = serde_json::from_str(sarif).unwrap_or_default();
    outcomes.push(check(
        "sarif_matches_sarif_2_1_0",
        sarif_schema().and_then(|schema| validate(&schema, &sarif, "the SARIF log")),
    ));
    let flows = sarif["runs"][0]["results"].as_array().map_or(0, |results| {
        results
            .iter()
            .filter(|result| result.get("codeFlows").is_some())
            .count()
    });
    outcomes.push(check(
        "sarif_chains_are_code_flows",
        if flows > 0 {
            Ok(())
        } else {
            Err("no result carries a code flow".to_owned())
        },
    ));
}

/// Nothing changed: cargo replays its cache, the driver does not run, and the report is the
/// same. (Only a build that succeeds is cached, so `nested_runtime` is lowered here.)
fn check_second_run(outcomes: &mut Vec<Outcome>) {
    let first = scratch().join("first.md");
    let _ = run_report("md", &first, &["-W", "nested_runtime"]);
    let again = scratch().join("again.md");
    let output = run_report("md", &again, &["-W", "nested_runtime"]);
    let err = stderr(&output);
    let first = std::fs::read_to_string(&first).unwrap_or_default();
    let same = !first.is_empty() && std::fs::read_to_string(&again).unwrap_or_default() == first;
    outcomes.push(check(
        "second_run_reuses_the_cache",
        if err.contains("Checking report-crate") {
            Err(format!("the second run rebuilt the crate:\n{err}"))
        } else if !same {
            Err("the second run's report differs from the first".to_owned())
        } else if !first.contains("`std::thread::sleep` blocks the async executor") {
            Err(format!("the cached run's report lost its findings:\n{first}"))
        } else {
            Ok(())
        },
    ));
}

fn main() -> ExitCode {
    let bless =
        std::env::args().any(|arg| arg == "--bless") || std::env::var_os("RUSTC_BLESS").is_some_and(|v| v != "0");
    std::fs::create_dir_all(scratch()).expect("scratch directory");
    let mut outcomes = Vec::new();
    let texts = check_formats(bless, &mut outcomes);
    check_schemas(&texts[1], &texts[2], &mut outcomes);
    check_second_run(&mut outcomes);

    println!("running {} tests", outcomes.len());
    let failed: Vec<&Outcome> = outcomes.iter().filter(|outcome| outcome.error.is_some()).collect();
    for outcome in &outcomes {
        println!(
            "test {} ... {}",
            outcome.name,
            if outcome.error.is_some() { "FAILED" } else { "ok" }
        );
    }
    for outcome in &failed {
        println!(
            "\n---- {} ----\n{}",
            outcome.name,
            outcome.error.as_deref().unwrap_or_default()
        );
    }
    println!(
        "\ntest result: {}. {} passed; {} failed; 0 ignored; 0 measured; 0 filtered out\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        outcomes.len() - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
