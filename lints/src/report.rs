//! Recording for `cargo async-lint --report`: every emitted finding, as [`crate::diag`] made
//! it, and the statistics, written as one JSON file per compiled crate into `$ASYNC_LINT_REPORT_DIR`.
//!
//! The file is named after the crate and cargo's `-C extra-filename`, which identifies the unit:
//! when cargo replays a cached build, the file from the build it replays is still there.

use crate::diag::Part;
use async_lint_config::env::{REPORT_DIR_ENV, RUN_ID_ENV};
use async_lint_config::report::{Counts, CrateReport, Finding, Location, Step};
use clippy_utils::is_in_test;
use rustc_hir::HirId;
use rustc_lint::{LateContext, Lint, LintContext};
use rustc_middle::ty::TyCtxt;
use rustc_span::source_map::SourceMap;
use rustc_span::{FileName, Span};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// Where to write, when a report was asked for.
fn report_dir() -> Option<&'static PathBuf> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        std::env::var_os(REPORT_DIR_ENV)
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
    })
    .as_ref()
}

/// The findings emitted so far in this compilation.
static FINDINGS: Mutex<Vec<Finding>> = Mutex::new(Vec::new());

/// Records a finding that is being emitted (its lint level is not `allow`), from its parts as
/// they were made.
pub(crate) fn record(
    cx: &LateContext<'_>,
    lint: &'static Lint,
    hir_id: HirId,
    primary: Option<Span>,
    message: String,
    parts: Vec<Part>,
) {
    if report_dir().is_none() {
        return;
    }
    let sm = cx.sess().source_map();
    let Some(location) = primary.and_then(|span| location_of(sm, span)) else {
        return;
    };
    let mut steps = Vec::new();
    let mut notes = Vec::new();
    let mut help = Vec::new();
    let mut suggestions = Vec::new();
    for part in parts {
        match part {
            Part::Help(text) => help.push(text),
            Part::Note(span, text) => match span.and_then(|span| location_of(sm, span)) {
                Some(place) => steps.push(Step {
                    location: place,
                    message: text,
                }),
                None => notes.push(text),
            },
            Part::Suggestion(text, edits) => {
                suggestions.push(format!("{text}: `{}`", one_line(&rewritten(sm, &edits))));
            }
        }
    }
    // Suggestions follow the written help, as rustc shows them.
    help.extend(suggestions);
    let finding = Finding {
        lint: lint.name_lower(),
        level: cx.tcx.lint_level_spec_at_node(lint, hir_id).level().as_str().to_owned(),
        message,
        location,
        test_code: is_in_test(cx.tcx, hir_id),
        steps,
        notes,
        help,
        main_task_of: None,
        lone_task_roots: Vec::new(),
    };
    if let Ok(mut findings) = FINDINGS.lock() {
        findings.push(finding);
    }
}

/// How many findings have been recorded so far in this compilation.
pub(crate) fn recorded() -> usize {
    FINDINGS.lock().map_or(0, |findings| findings.len())
}

/// Marks the findings recorded since there were `since` of them as lying in the start or end
/// of the public async fn `key` (see [`Finding::main_task_of`]).
pub(crate) fn mark_main_task_of(since: usize, key: &str) {
    if let Ok(mut findings) = FINDINGS.lock() {
        for finding in findings.iter_mut().skip(since) {
            finding.main_task_of = Some(key.to_owned());
        }
    }
}

/// Marks the findings recorded since there were `since` of them as lying in an async fn that
/// runs alone if the crates using this library await `roots` only in lone main tasks (see
/// [`Finding::lone_task_roots`]).
pub(crate) fn mark_lone_task_roots(since: usize, roots: &[String]) {
    if let Ok(mut findings) = FINDINGS.lock() {
        for finding in findings.iter_mut().skip(since) {
            finding.lone_task_roots = roots.to_vec();
        }
    }
}

/// Writes this crate's report, when one was asked for. Failing to write is reported as a
/// warning: the build itself must not fail for it.
pub fn write_crate_report(
    cx: &LateContext<'_>,
    (production, test): (Counts, Counts),
    main_tasks: crate::engine::OtherCratesMainTasks,
) {
    let findings = FINDINGS
        .lock()
        .map_or_else(|_| Vec::new(), |mut findings| std::mem::take(&mut *findings));
    write_unit_report(cx.tcx, |report| {
        report.production = production;
        report.test = test;
        report.findings = findings;
        report.main_tasks_entered = main_tasks.entered;
        report.async_fns_used_otherwise = main_tasks.other_uses;
        report.async_fns_awaited_alone = main_tasks.awaited_alone;
        report.async_fns_not_awaited_alone = main_tasks.not_awaited_alone;
    });
    if let Some(path) = report_path(cx.tcx)
        && let Err(err) = crate::inputs::write_summaries_read(&path)
    {
        cx.tcx.sess.dcx().warn(format!(
            "cargo-async-lint could not write the list of summaries it read beside {}: {err}",
            path.display()
        ));
    }
}

/// This unit's report file, when a report was asked for.
fn report_path(tcx: TyCtxt<'_>) -> Option<PathBuf> {
    let crate_name = tcx.crate_name(rustc_span::def_id::LOCAL_CRATE);
    report_dir().map(|dir| crate::inputs::report_file(dir, crate_name.as_str(), &tcx.sess.opts.cg.extra_filename))
}

/// rustc replayed the last analysis's diagnostics: its report, `previous`, stands for this
/// compilation again (the placeholder written meanwhile goes). Returns how many of its findings
/// are denied.
#[must_use]
pub fn restore_report(tcx: TyCtxt<'_>, previous: Option<&[u8]>) -> usize {
    let (Some(path), Some(previous)) = (report_path(tcx), previous) else {
        return 0;
    };
    if let Err(err) = std::fs::write(&path, previous) {
        tcx.sess.dcx().warn(format!(
            "cargo-async-lint could not write its report to {}: {err}",
            path.display()
        ));
        return 0;
    }
    CrateReport::parse(previous).map_or(0, |report| report.denied().count())
}

/// Writes a report that says this crate's check failed, before analysis starts: when the lints
/// finish, [`write_crate_report`] replaces it; when a compile error stops the check, it stays,
/// so the build's report names the crate as failed instead of leaving it out.
pub fn write_failed_placeholder(tcx: TyCtxt<'_>) {
    write_unit_report(tcx, |report| report.check_failed = true);
}

fn write_unit_report(tcx: TyCtxt<'_>, fill: impl FnOnce(&mut CrateReport)) {
    let Some(dir) = report_dir() else {
        return;
    };
    let crate_name = tcx.crate_name(rustc_span::def_id::LOCAL_CRATE).to_string();
    let sm = tcx.sess.source_map();
    let mut compiled_files: Vec<String> = sm
        .files()
        .iter()
        .filter(|file| !file.is_imported())
        .filter_map(|file| real_path(&file.name))
        .collect();
    compiled_files.sort();
    compiled_files.dedup();
    let mut report = CrateReport {
        crate_name: crate_name.clone(),
        package: std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| crate_name.clone()),
        manifest_dir: std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default(),
        kind: tcx
            .crate_types()
            .first()
            .map_or_else(|| "lib".to_owned(), ToString::to_string),
        test_harness: tcx.sess.opts.test,
        compiled_files,
        run_id: std::env::var(RUN_ID_ENV).unwrap_or_default(),
        ..CrateReport::default()
    };
    fill(&mut report);
    let path = crate::inputs::report_file(dir, &crate_name, &tcx.sess.opts.cg.extra_filename);
    let written = std::fs::create_dir_all(dir).and_then(|()| report.write(&path));
    if let Err(err) = written {
        tcx.sess.dcx().warn(format!(
            "cargo-async-lint could not write its report to {}: {err}",
            path.display()
        ));
    }
}

/// Code on one line, for a report: a method chain's lines are joined as they read.
fn one_line(code: &str) -> String {
    let mut out = String::new();
    for line in code.lines().map(str::trim).filter(|line| !line.is_empty()) {
        if !out.is_empty() && !line.starts_with(['.', ')', '?']) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// The code a suggestion leaves: for one edit its code; for several (`::tokio::fs::read` and a
/// `.await` after the call), the source they cover with each edit applied.
fn rewritten(sm: &SourceMap, edits: &[(Span, String)]) -> String {
    let joined = || edits.iter().map(|(_, code)| code.as_str()).collect::<String>();
    let (Some(first), Some(last)) = (
        edits.iter().map(|(span, _)| *span).min_by_key(|span| span.lo()),
        edits.iter().map(|(span, _)| *span).max_by_key(|span| span.hi()),
    ) else {
        return String::new();
    };
    if edits.len() == 1 {
        return joined();
    }
    let Ok(original) = sm.span_to_snippet(first.to(last)) else {
        return joined();
    };
    let base = first.lo();
    let mut sorted: Vec<&(Span, String)> = edits.iter().collect();
    sorted.sort_by_key(|(span, _)| span.lo());
    let mut out = String::new();
    let mut at = 0;
    for (span, code) in sorted {
        let start = (span.lo() - base).0 as usize;
        let end = (span.hi() - base).0 as usize;
        let Some(kept) = original.get(at..start) else {
            return joined();
        };
        out.push_str(kept);
        out.push_str(code);
        at = end;
    }
    out.push_str(original.get(at..).unwrap_or_default());
    out
}

fn location_of(sm: &SourceMap, span: Span) -> Option<Location> {
    let (file, line, column, end_line, end_column) = sm.span_to_location_info(span);
    Some(Location {
        file: real_path(&file?.name)?,
        line,
        column,
        end_line,
        end_column,
    })
}

/// The absolute path of a real source file.
fn real_path(name: &FileName) -> Option<String> {
    let path = name.clone().into_local_path()?;
    let absolute = if path.is_absolute() {
        path
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    Some(absolute.to_string_lossy().into_owned())
}

/// Whether reports are being recorded (the subcommand always asks for them; ui tests do not).
#[must_use]
pub fn enabled() -> bool {
    report_dir().is_some()
}
