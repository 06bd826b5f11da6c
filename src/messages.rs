//! cargo's messages on their way to the user. The subcommand asks cargo for JSON messages and
//! passes each on, as JSON when the user asked for it and rendered otherwise, so that it can
//! hold back the findings of a library whose verdict depends on crates compiled after it: a
//! finding in the start or end of a public async fn is dropped when every crate of the build
//! that uses that fn only runs it as a runtime's main task (an application's binary running its
//! library's `run` with `block_on`), as it is for the main task of one crate.

use anyhow::{Context, Result};
use async_lint_config::report::{CrateReport, Finding};
use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel};
use cargo_metadata::{CompilerMessage, PackageId, Target};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

/// How messages reach the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// cargo's JSON lines on standard output, as the user asked (rust-analyzer, CI tools).
    Json,
    /// The rendered diagnostics on standard error, as cargo shows them.
    Rendered,
}

/// One target's compiler messages, in the order rustc emitted them.
struct TargetMessages {
    package: String,
    target: String,
    messages: Vec<(String, Diagnostic)>,
}

/// Passes cargo's messages on, holding back the workspace targets' messages until their report
/// is written and the targets with findings that may be dropped until the build is over.
pub struct Messages {
    output: Output,
    /// The workspace's targets whose messages wait for the target's artifact.
    waiting: BTreeMap<(PackageId, String, String), TargetMessages>,
    /// The targets that wait for the end of the build, with the findings that may be dropped.
    held: Vec<(TargetMessages, Vec<Finding>)>,
    /// The diagnostics shown so far: as cargo does, one rendered the same way again (by a lib
    /// and its test harness) is shown once in the build.
    shown: BTreeSet<String>,
}

impl Messages {
    pub fn new(output: Output) -> Self {
        Self {
            output,
            waiting: BTreeMap::new(),
            held: Vec::new(),
            shown: BTreeSet::new(),
        }
    }

    /// A compiler message of a workspace target: kept until the target is done.
    pub fn compiler_message(&mut self, line: String, message: CompilerMessage, package: &str) {
        let key = target_key(&message.package_id, &message.target);
        self.waiting
            .entry(key)
            .or_insert_with(|| TargetMessages {
                package: package.to_owned(),
                target: target_label(&message.target),
                messages: Vec::new(),
            })
            .messages
            .push((line, message.message));
    }

    /// A workspace target is done and its report, if any, written: its messages are passed on,
    /// unless some of them may be dropped once the build is over.
    pub fn target_done(
        &mut self,
        out: &mut impl Write,
        package_id: &PackageId,
        target: &Target,
        report: Option<&CrateReport>,
    ) -> Result<()> {
        let Some(messages) = self.waiting.remove(&target_key(package_id, target)) else {
            return Ok(());
        };
        let candidates: Vec<Finding> = report
            .into_iter()
            .flat_map(|report| &report.findings)
            .filter(|finding| finding.main_task_of.is_some() || !finding.lone_task_roots.is_empty())
            .cloned()
            .collect();
        let holds = messages
            .messages
            .iter()
            .any(|(_, diagnostic)| candidates.iter().any(|finding| is_finding(diagnostic, finding)));
        if holds {
            self.held.push((messages, candidates));
            return Ok(());
        }
        self.pass_on(out, &messages, |_| true)
    }

    /// The build is over: the targets that never finished (a compile error) are passed on, then
    /// the held ones without the findings `dropped` names.
    pub fn finish(&mut self, out: &mut impl Write, dropped: &MainTasksOfTheBuild) -> Result<()> {
        for (_, messages) in std::mem::take(&mut self.waiting) {
            self.pass_on(out, &messages, |_| true)?;
        }
        for (messages, candidates) in std::mem::take(&mut self.held) {
            self.pass_on(out, &messages, |diagnostic| {
                !candidates
                    .iter()
                    .any(|finding| dropped.drops(finding) && is_finding(diagnostic, finding))
            })?;
        }
        Ok(())
    }

    /// A compiler message of a crate outside the workspace (a dependency's compile error):
    /// passed on at once.
    pub fn dependency_message(&self, out: &mut impl Write, line: &str, message: &CompilerMessage) -> Result<()> {
        match self.output {
            Output::Json => writeln!(out, "{line}").context("passing cargo's messages on"),
            Output::Rendered => match &message.message.rendered {
                Some(rendered) => write!(std::io::stderr().lock(), "{rendered}").context("writing a diagnostic"),
                None => Ok(()),
            },
        }
    }

    /// Any other line of cargo's: passed on as it is to a user who asked for JSON.
    pub fn other_line(&self, out: &mut impl Write, line: &str) -> Result<()> {
        if self.output == Output::Json {
            writeln!(out, "{line}").context("passing cargo's messages on")?;
        }
        Ok(())
    }

    fn pass_on(
        &mut self,
        out: &mut impl Write,
        messages: &TargetMessages,
        keep: impl Fn(&Diagnostic) -> bool,
    ) -> Result<()> {
        let mut warnings = 0;
        let mut duplicates = 0;
        let mut stderr = std::io::stderr().lock();
        for (line, diagnostic) in messages.messages.iter().filter(|(_, diagnostic)| keep(diagnostic)) {
            match self.output {
                Output::Json => writeln!(out, "{line}").context("passing cargo's messages on")?,
                Output::Rendered => {
                    let Some(rendered) = &diagnostic.rendered else {
                        continue;
                    };
                    let is_warning = diagnostic.level == DiagnosticLevel::Warning && !diagnostic.spans.is_empty();
                    if !self.shown.insert(rendered.clone()) {
                        duplicates += usize::from(is_warning);
                        continue;
                    }
                    write!(stderr, "{rendered}").context("writing a diagnostic")?;
                    warnings += usize::from(is_warning);
                }
            }
        }
        // cargo's own count of a target's warnings, which it leaves out with JSON messages.
        if warnings > 0 {
            let plural = |count: usize| if count == 1 { "" } else { "s" };
            let repeated = match duplicates {
                0 => String::new(),
                count => format!(" ({count} duplicate{})", plural(count)),
            };
            writeln!(
                stderr,
                "warning: `{}` ({}) generated {warnings} warning{}{repeated}",
                messages.package,
                messages.target,
                plural(warnings)
            )
            .context("writing a diagnostic")?;
        }
        Ok(())
    }
}

/// Passes cargo's standard error (its status lines, and its own errors) on to the user, a line at
/// a time so that no line is cut by a diagnostic the subcommand writes meanwhile. The lines from
/// `Finished`, or from cargo's first error (`could not compile`), on are returned instead: they
/// follow the diagnostics held until the build is over, as cargo's follow its diagnostics.
pub fn forward_status(cargo_stderr: impl std::io::Read) -> std::io::Result<Vec<u8>> {
    let mut reader = std::io::BufReader::new(cargo_stderr);
    let mut line = Vec::new();
    let mut tail = Vec::new();
    loop {
        line.clear();
        if std::io::BufRead::read_until(&mut reader, b'\n', &mut line)? == 0 {
            return Ok(tail);
        }
        if !tail.is_empty() || ends_the_build(&line) {
            tail.extend_from_slice(&line);
        } else {
            std::io::stderr().lock().write_all(&line)?;
        }
    }
}

/// cargo's `    Finished `dev` profile ..` or an error of its own, coloured or not.
fn ends_the_build(line: &[u8]) -> bool {
    let text = String::from_utf8_lossy(line);
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // An SGR sequence, `ESC [ .. m`.
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain.trim_start().starts_with("Finished ")
        || plain.starts_with("error")
        || plain.starts_with("warning: build failed")
}

/// What the crates of the build decide about the findings a library leaves to them.
#[derive(Debug, Default)]
pub struct MainTasksOfTheBuild {
    /// The async fns some crate only runs as a runtime's main task and none uses otherwise.
    main_tasks: BTreeSet<String>,
    /// The async fns some crate awaits in a main task that runs alone, and those some crate
    /// uses in another way.
    awaited_alone: BTreeSet<String>,
    not_awaited_alone: BTreeSet<String>,
}

impl MainTasksOfTheBuild {
    #[must_use]
    pub fn of(crate_reports: &[CrateReport]) -> Self {
        let collect = |list: fn(&CrateReport) -> &Vec<String>| -> BTreeSet<String> {
            crate_reports.iter().flat_map(list).cloned().collect()
        };
        let used_otherwise = collect(|report| &report.async_fns_used_otherwise);
        let main_tasks = collect(|report| &report.main_tasks_entered)
            .into_iter()
            .filter(|function| !used_otherwise.contains(function))
            .collect();
        MainTasksOfTheBuild {
            main_tasks,
            awaited_alone: collect(|report| &report.async_fns_awaited_alone),
            not_awaited_alone: collect(|report| &report.async_fns_not_awaited_alone),
        }
    }

    /// Whether the build drops `finding`: it lies in the start or end of a library's async fn
    /// that the build only runs as a main task, or in one that runs alone, the build awaiting
    /// the ways into it only in main tasks that run alone (at least one of them, and no other
    /// way).
    #[must_use]
    pub fn drops(&self, finding: &Finding) -> bool {
        let main_task = finding
            .main_task_of
            .as_ref()
            .is_some_and(|function| self.main_tasks.contains(function));
        let roots = &finding.lone_task_roots;
        let alone = !roots.is_empty()
            && roots.iter().all(|root| !self.not_awaited_alone.contains(root))
            && roots.iter().any(|root| self.awaited_alone.contains(root));
        main_task || alone
    }
}

/// Removes the dropped findings from the reports, for the exit status and `--report`; the
/// others no longer need to say where they are.
pub fn drop_main_task_findings(crate_reports: &mut [CrateReport], dropped: &MainTasksOfTheBuild) {
    for report in crate_reports {
        let (production, test) = (&mut report.production, &mut report.test);
        report.findings.retain(|finding| {
            let keep = !dropped.drops(finding);
            // A call in the main task's start or end is not counted as blocking the executor.
            if !keep {
                let counts = if finding.test_code {
                    &mut *test
                } else {
                    &mut *production
                };
                counts.blocking_calls_in_async = counts.blocking_calls_in_async.saturating_sub(1);
            }
            keep
        });
        for finding in &mut report.findings {
            finding.main_task_of = None;
            finding.lone_task_roots = Vec::new();
        }
    }
}

/// Whether a compiler message is the diagnostic of a recorded finding: same lint, message and
/// primary place.
fn is_finding(diagnostic: &Diagnostic, finding: &Finding) -> bool {
    let same_lint = diagnostic
        .code
        .as_ref()
        .is_some_and(|code| code.code.rsplit("::").next() == Some(finding.lint.rsplit("::").next().unwrap_or("")));
    same_lint
        && diagnostic.message == finding.message
        && diagnostic.spans.iter().any(|span| {
            span.is_primary
                && span.line_start == finding.location.line
                && span.column_start == finding.location.column
                && Path::new(&finding.location.file).ends_with(&span.file_name)
        })
}

fn target_key(package_id: &PackageId, target: &Target) -> (PackageId, String, String) {
    let kinds = target
        .kind
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    (package_id.clone(), target.name.clone(), kinds)
}

/// A target as cargo names it in its messages: `lib`, `bin "app"`, ...
fn target_label(target: &Target) -> String {
    let kind = target.kind.first().map_or_else(String::new, ToString::to_string);
    match kind.as_str() {
        "lib" | "rlib" | "dylib" | "cdylib" | "staticlib" | "proc-macro" => "lib".to_owned(),
        _ => format!("{kind} \"{}\"", target.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_s_lines_from_finished_on_wait_for_the_held_diagnostics() {
        let stderr = "    Checking app v0.1.0 (/w/app)\n    Finished `dev` profile [unoptimized] target(s) in 0.4s\n";
        let tail = forward_status(stderr.as_bytes()).unwrap();
        assert_eq!(
            String::from_utf8(tail).unwrap(),
            "    Finished `dev` profile [unoptimized] target(s) in 0.4s\n"
        );
    }

    #[test]
    fn a_coloured_finished_line_and_cargo_s_errors_end_the_build() {
        assert!(ends_the_build(
            b"\x1b[1m\x1b[92m    Finished\x1b[0m `dev` profile target(s) in 1s\n"
        ));
        assert!(ends_the_build(
            b"\x1b[1m\x1b[91merror\x1b[0m\x1b[1m: could not compile `app` (lib)\n"
        ));
        assert!(ends_the_build(
            b"warning: build failed, waiting for other jobs to finish...\n"
        ));
        assert!(!ends_the_build(b"\x1b[1m\x1b[92m    Checking\x1b[0m app v0.1.0\n"));
        assert!(!ends_the_build(b"warning: unused manifest key: package.foo\n"));
    }
}
