//! `cargo async-lint --report md|json|sarif`: gathers what the driver recorded for each crate
//! of this build and renders it for people (Markdown) and tools (JSON, SARIF 2.1.0).

use anyhow::{Context, Result};
use async_lint_config::LINTS;
use async_lint_config::report::{Counts, CrateReport, Finding, Location, Step};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The JSON report's schema version (`docs/report.schema.json`); bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown, for people
    Md,
    /// JSON, for tools (schema: docs/report.schema.json)
    Json,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

/// How bad a finding is; the mapping is documented in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Panics or deadlocks at run time.
    Critical,
    /// Blocks the executor in production code.
    High,
    /// Stalls or `Send` trouble: guards across awaits, non-`Send` public futures.
    Medium,
    /// Any finding in test code.
    Low,
}

impl Severity {
    fn of(finding: &Finding) -> Self {
        if finding.test_code || finding.lint == "blocking_in_async_in_tests" {
            return Severity::Low;
        }
        match finding.lint.as_str() {
            "nested_runtime" | "block_on_in_drop" | "block_in_place_on_current_thread" | "missing_runtime" => {
                Severity::Critical
            }
            "blocking_in_async" => Severity::High,
            _ => Severity::Medium,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Severity::Critical => "Critical: panics or deadlocks at run time",
            Severity::High => "High: blocks the executor in production code",
            Severity::Medium => "Medium: guards across awaits, futures that are not `Send`",
            Severity::Low => "Low: in test code",
        }
    }
}

/// A finding as reported: paths relative to the workspace root.
#[derive(Debug, Serialize)]
struct ReportedFinding {
    severity: Severity,
    package: String,
    #[serde(flatten)]
    finding: Finding,
}

#[derive(Debug, Serialize)]
struct CrateSection {
    package: String,
    target: String,
    kind: String,
    production: Counts,
    test: Counts,
    findings: usize,
    /// A compile error stopped this target's check: its findings and statistics are missing.
    check_failed: bool,
}

#[derive(Debug, Serialize)]
struct CheckItem {
    item: &'static str,
    passed: bool,
    count: usize,
}

/// Everything a report shows.
#[derive(Debug, Serialize)]
struct Report {
    schema_version: u32,
    tool: Tool,
    production: Counts,
    test: Counts,
    crates: Vec<CrateSection>,
    findings: Vec<ReportedFinding>,
    checklist: Vec<CheckItem>,
    uncompiled_files: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// Builds the report from the crate reports of this build and renders it. `target_roots` are
/// the root files of the workspace's targets: never listed as files no module declares.
pub fn render(
    format: Format,
    workspace_root: &Path,
    target_roots: &BTreeSet<PathBuf>,
    units: &[CrateReport],
) -> Result<String> {
    let report = gather(workspace_root, target_roots, units.to_vec());
    Ok(match format {
        Format::Md => markdown(&report),
        Format::Json => serde_json::to_string_pretty(&report).context("serializing the JSON report")? + "\n",
        Format::Sarif => sarif(&report)?,
    })
}

fn gather(workspace_root: &Path, target_roots: &BTreeSet<PathBuf>, units: Vec<CrateReport>) -> Report {
    let mut crates: Vec<CrateSection> = Vec::new();
    let mut findings: Vec<ReportedFinding> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut compiled: BTreeSet<PathBuf> = target_roots.clone();
    let (mut production, mut test) = (Counts::default(), Counts::default());
    let source_dirs: BTreeSet<PathBuf> = units
        .iter()
        .map(|unit| Path::new(&unit.manifest_dir).join("src"))
        .collect();
    for crate_report in units {
        let test_harness = crate_report.test_harness;
        compiled.extend(crate_report.compiled_files.iter().map(PathBuf::from));
        // A test harness compiles the production code a second time: from it, only the test
        // code counts.
        let unit_production = if test_harness {
            Counts::default()
        } else {
            crate_report.production
        };
        production.add(&unit_production);
        test.add(&crate_report.test);
        let mut count = 0;
        for finding in crate_report.findings {
            if test_harness && !finding.test_code {
                continue;
            }
            let finding = relative(finding, workspace_root);
            let key = (finding.lint.clone(), finding.location.clone(), finding.message.clone());
            if seen.insert(key) {
                count += 1;
                findings.push(ReportedFinding {
                    severity: Severity::of(&finding),
                    package: crate_report.package.clone(),
                    finding,
                });
            }
        }
        let kind = match crate_report.kind.as_str() {
            "rlib" | "dylib" | "cdylib" | "staticlib" => "lib",
            other => other,
        };
        crates.push(CrateSection {
            package: crate_report.package.clone(),
            target: crate_report.crate_name.clone(),
            kind: if test_harness {
                "test harness".to_owned()
            } else {
                kind.to_owned()
            },
            production: unit_production,
            test: crate_report.test,
            findings: count,
            check_failed: crate_report.check_failed,
        });
    }
    crates.sort_by(|a, b| (&a.package, &a.target, &a.kind).cmp(&(&b.package, &b.target, &b.kind)));
    findings.sort_by(|a, b| {
        (a.severity, &a.finding.location, &a.finding.lint).cmp(&(b.severity, &b.finding.location, &b.finding.lint))
    });
    let uncompiled_files = uncompiled(workspace_root, &source_dirs, &compiled);
    let failed_targets = crates.iter().filter(|section| section.check_failed).count();
    let checklist = checklist(&findings, &uncompiled_files, failed_targets);
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "cargo-async-lint",
            version: env!("CARGO_PKG_VERSION"),
        },
        production,
        test,
        crates,
        findings,
        checklist,
        uncompiled_files,
    }
}

fn relative(mut finding: Finding, root: &Path) -> Finding {
    let shorten = |location: &mut Location| {
        if let Ok(relative) = Path::new(&location.file).strip_prefix(root) {
            location.file = relative.to_string_lossy().replace('\\', "/");
        }
    };
    shorten(&mut finding.location);
    for step in &mut finding.steps {
        shorten(&mut step.location);
    }
    finding
}

/// Source files under each package's `src/` that no compiled crate of this build read: files no
/// module declares (or that only other targets compile). Relative to the workspace root.
fn uncompiled(root: &Path, source_dirs: &BTreeSet<PathBuf>, compiled: &BTreeSet<PathBuf>) -> Vec<String> {
    let mut files = Vec::new();
    for dir in source_dirs {
        collect_rust_files(dir, &mut files);
    }
    let mut uncompiled: Vec<String> = files
        .into_iter()
        .filter(|file| !compiled.contains(file))
        .map(|file| {
            file.strip_prefix(root)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    uncompiled.sort();
    uncompiled
}

fn collect_rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

fn checklist(findings: &[ReportedFinding], uncompiled: &[String], failed_targets: usize) -> Vec<CheckItem> {
    let production = |lints: &[&str]| {
        findings
            .iter()
            .filter(|f| f.severity != Severity::Low && lints.contains(&f.finding.lint.as_str()))
            .count()
    };
    let in_tests = findings.iter().filter(|f| f.severity == Severity::Low).count();
    let items = [
        ("No runtime entered from async code", production(&["nested_runtime"])),
        ("No `Drop` impl enters a runtime", production(&["block_on_in_drop"])),
        (
            "No `block_in_place` on a current-thread runtime",
            production(&["block_in_place_on_current_thread"]),
        ),
        (
            "No tokio call where no runtime is entered",
            production(&["missing_runtime"]),
        ),
        (
            "No blocking calls in async production code",
            production(&["blocking_in_async"]),
        ),
        (
            "No sync guard held across an `.await`",
            production(&["lock_across_await"]),
        ),
        ("Public futures are `Send`", production(&["non_send_future"])),
        ("Test code does not block its runtime", in_tests),
        ("Every source file under `src/` is compiled", uncompiled.len()),
        ("Every checked target compiles, so the report covers it", failed_targets),
    ];
    items
        .into_iter()
        .map(|(item, count)| CheckItem {
            item,
            passed: count == 0,
            count,
        })
        .collect()
}

fn markdown(report: &Report) -> String {
    let mut out = String::from("# Async-safety report\n\n");
    let _ = writeln!(
        out,
        "Generated by cargo-async-lint {} from the compiled code of this build.\n",
        report.tool.version
    );

    out.push_str("## Readiness\n\n");
    for check in &report.checklist {
        let mark = if check.passed { "x" } else { " " };
        let _ = writeln!(out, "- [{mark}] {} ({})", check.item, check.count);
    }

    out.push_str("\n## Statistics\n\n| | production | test |\n|---|---:|---:|\n");
    for ((label, production), (_, test)) in report.production.labelled().into_iter().zip(report.test.labelled()) {
        let _ = writeln!(out, "| {label} | {production} | {test} |");
    }
    let production_fns = report.production.async_fns.max(1);
    #[expect(clippy::cast_precision_loss, reason = "counts of a code base are far below 2^52")]
    let awaits_per_fn = report.production.await_points as f64 / production_fns as f64;
    let _ = writeln!(out, "\n`.await` points per async fn (production): {awaits_per_fn:.1}\n");

    out.push_str("### By crate\n\n| package | target | kind | async fns | `.await`s | findings |\n|---|---|---|---:|---:|---:|\n");
    for section in &report.crates {
        if section.check_failed {
            let _ = writeln!(
                out,
                "| {} | {} | {} | failed to compile: not analysed | | |",
                section.package, section.target, section.kind
            );
            continue;
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            section.package,
            section.target,
            section.kind,
            section.production.async_fns + section.test.async_fns,
            section.production.await_points + section.test.await_points,
            section.findings
        );
    }

    out.push_str("\n## Findings\n");
    if report.findings.is_empty() {
        out.push_str("\nNone.\n");
    }
    for severity in [Severity::Critical, Severity::High, Severity::Medium, Severity::Low] {
        let group: Vec<&ReportedFinding> = report.findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {} ({})\n", severity.title(), group.len());
        for reported in group {
            let finding = &reported.finding;
            let _ = writeln!(
                out,
                "- **{}** `{}` at `{}`",
                finding.message,
                finding.lint,
                place(&finding.location)
            );
            for step in &finding.steps {
                let _ = writeln!(out, "  - {} (`{}`)", step.message, place(&step.location));
            }
            for note in &finding.notes {
                let _ = writeln!(out, "  - {note}");
            }
            for help in &finding.help {
                let _ = writeln!(out, "  - Fix: {help}");
            }
        }
    }

    out.push_str("\n## Source files that are not compiled\n\n");
    if report.uncompiled_files.is_empty() {
        out.push_str("None: every `.rs` file under `src/` belongs to a compiled crate.\n");
    } else {
        out.push_str(
            "No module of the checked targets declares these, so no finding or statistic above covers them:\n\n",
        );
        for file in &report.uncompiled_files {
            let _ = writeln!(out, "- `{file}`");
        }
    }

    out.push_str(
        "\n## Severity\n\n- Critical: `nested_runtime`, `block_on_in_drop`, `block_in_place_on_current_thread`, \
         `missing_runtime` (panic or deadlock at run time).\n- High: \
         `blocking_in_async` (the executor stalls).\n- Medium: `lock_across_await`, `non_send_future`.\n- Low: any \
         finding in test code.\n",
    );
    out
}

fn place(location: &Location) -> String {
    format!("{}:{}:{}", location.file, location.line, location.column)
}

/// SARIF 2.1.0: one rule per lint (from the lint docs), one result per finding, and the chain
/// (notes with places) as a code flow, so code scanning shows the path.
fn sarif(report: &Report) -> Result<String> {
    let rules: Vec<serde_json::Value> = LINTS
        .iter()
        .map(|lint| {
            json!({
                "id": lint.name,
                "name": lint.name,
                "shortDescription": { "text": lint.summary },
                "fullDescription": { "text": first_paragraph(lint.docs) },
                "help": { "text": lint.docs, "markdown": lint.docs },
                "defaultConfiguration": { "level": sarif_level(lint.default_level.as_str()) },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|reported| {
            let finding = &reported.finding;
            let rule_index = LINTS.iter().position(|lint| lint.name == finding.lint);
            let mut message = finding.message.clone();
            for help in &finding.help {
                let _ = write!(message, "\nhelp: {help}");
            }
            let mut result = json!({
                "ruleId": finding.lint,
                "level": sarif_level(&finding.level),
                "message": { "text": message },
                "locations": [sarif_location(&finding.location, None)],
                "properties": { "severity": reported.severity, "testCode": finding.test_code },
            });
            if let Some(index) = rule_index {
                result["ruleIndex"] = json!(index);
            }
            if !finding.steps.is_empty() {
                let mut flow = vec![json!({ "location": sarif_location(&finding.location, Some(&finding.message)) })];
                flow.extend(
                    finding
                        .steps
                        .iter()
                        .map(|step: &Step| json!({ "location": sarif_location(&step.location, Some(&step.message)) })),
                );
                result["codeFlows"] = json!([{ "threadFlows": [{ "locations": flow }] }]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "informationUri": "https://github.com/cargo-async-lint/cargo-async-lint",
                "rules": rules,
            }},
            "originalUriBaseIds": { "SRCROOT": { "description": { "text": "the workspace root" } } },
            "results": results,
        }],
    });
    // Going through serde-sarif's types checks the shape against the SARIF 2.1.0 model.
    let typed: serde_sarif::sarif::Sarif = serde_json::from_value(log).context("building the SARIF log")?;
    Ok(serde_json::to_string_pretty(&typed).context("serializing the SARIF log")? + "\n")
}

fn sarif_location(location: &Location, message: Option<&str>) -> serde_json::Value {
    let mut value = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": location.file, "uriBaseId": "SRCROOT" },
            "region": {
                "startLine": location.line,
                "startColumn": location.column,
                "endLine": location.end_line,
                "endColumn": location.end_column,
            },
        },
    });
    if let Some(message) = message {
        value["message"] = json!({ "text": message });
    }
    value
}

fn sarif_level(level: &str) -> &'static str {
    match level {
        "deny" | "forbid" => "error",
        "allow" => "none",
        _ => "warning",
    }
}

fn first_paragraph(docs: &str) -> String {
    docs.lines()
        .skip_while(|line| line.starts_with('#') || line.is_empty())
        .take_while(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
