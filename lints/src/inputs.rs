//! What the analysis reads from outside the compiler: the tool itself, its environment, the
//! config files, the summaries of other crates, and the report the last analysis left. rustc's
//! incremental cache replays the analysis's diagnostics when nothing it read through the compiler
//! changed ([`crate::lint_pass_required`]); a fingerprint of these inputs, which the driver gives
//! the analysis as the value of the `env_var_os` query for [`KEY`], makes a change to any of them
//! run the analysis again.
//!
//! The summaries read are only known once the analysis ran: it lists them next to its report, and
//! the next compilation of the same unit hashes the files listed there.

use async_lint_config::env::{REPORT_DIR_ENV, TRACKED_ENV};
use async_lint_config::report::CrateReport;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The key of the `env_var_os` query whose value is the fingerprint of the inputs.
pub const KEY: &str = "ASYNC_LINT_INPUTS_FINGERPRINT";

/// The environment the analysis reads besides [`TRACKED_ENV`]: cargo's, which the report
/// names (the run id is left out: it differs on every run and only names the run in the report).
const CARGO_ENV: [&str; 2] = ["CARGO_PKG_NAME", "CARGO_MANIFEST_DIR"];

/// The summary files this compilation's analysis tried to read, found or not.
static SUMMARIES_READ: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Notes that the analysis read (or looked for) the summary at `path`.
pub(crate) fn summary_read(path: &Path) {
    if let Ok(mut read) = SUMMARIES_READ.lock() {
        read.push(path.to_owned());
    }
}

/// The report of the unit `crate_name` with cargo's `-C extra-filename`, in `dir`.
#[must_use]
pub fn report_file(dir: &Path, crate_name: &str, extra_filename: &str) -> PathBuf {
    dir.join(format!("{crate_name}{extra_filename}.json"))
}

/// The list of the summaries the analysis read, beside its report.
fn summaries_list(report: &Path) -> PathBuf {
    report.with_extension("inputs")
}

/// Lists the summaries this compilation's analysis read, beside its report at `report`.
pub(crate) fn write_summaries_read(report: &Path) -> std::io::Result<()> {
    let mut read = SUMMARIES_READ
        .lock()
        .map_or_else(|_| Vec::new(), |mut read| std::mem::take(&mut *read));
    read.sort();
    read.dedup();
    let mut text = String::new();
    for path in &read {
        // A path the list cannot hold: without a list, every check analyses.
        let Some(path) = path.to_str() else {
            return match std::fs::remove_file(summaries_list(report)) {
                Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err),
                _ => Ok(()),
            };
        };
        text.push_str(path);
        text.push('\n');
    }
    std::fs::write(summaries_list(report), text)
}

/// This build of the tool: another may analyse differently, so the incremental caches of
/// one are not the other's (the driver keeps them apart, under this name).
#[must_use]
pub fn tool_id() -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    if let Ok(exe) = std::env::current_exe() {
        exe.hash(&mut hasher);
        if let Ok(meta) = std::fs::metadata(&exe) {
            meta.len().hash(&mut hasher);
            meta.modified().ok().hash(&mut hasher);
        }
    }
    format!("{:016x}", hasher.finish())
}

/// The report the last analysis of the unit `crate_name`/`extra_filename` wrote, when a report
/// is asked for: read before anything replaces it, since on a replay it is this check's report.
#[must_use]
pub fn last_report(crate_name: &str, extra_filename: &str) -> Option<Vec<u8>> {
    let report_dir = std::env::var_os(REPORT_DIR_ENV).filter(|dir| !dir.is_empty())?;
    std::fs::read(report_file(Path::new(&report_dir), crate_name, extra_filename)).ok()
}

/// The fingerprint of the inputs of the analysis of the unit `crate_name`/`extra_filename`,
/// with `config_files` the config files it loads and `last_report` what [`last_report`] read. Without a report directory (the driver run by
/// hand) there is nowhere to keep what the analysis read, and without the list of what it read
/// (the first check) nothing to compare: then each compilation gets a fingerprint of its own,
/// and the analysis runs.
#[must_use]
pub fn fingerprint(
    config_files: &[PathBuf],
    crate_name: &str,
    extra_filename: &str,
    last_report: Option<&[u8]>,
) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    let report_dir = std::env::var_os(REPORT_DIR_ENV).filter(|dir| !dir.is_empty());
    let Some(report_dir) = report_dir else {
        return unique(hasher);
    };
    tool_id().hash(&mut hasher);
    for name in TRACKED_ENV.into_iter().chain(CARGO_ENV) {
        (name, std::env::var_os(name)).hash(&mut hasher);
    }
    for file in config_files {
        (file, std::fs::read(file).ok()).hash(&mut hasher);
    }
    // The last analysis's report must be there to be replayed (not deleted, nor replaced by the
    // placeholder of a check that failed since).
    let report_usable = last_report
        .and_then(|contents| CrateReport::parse(contents).ok())
        .is_some_and(|report| !report.check_failed);
    report_usable.hash(&mut hasher);
    let report = report_file(Path::new(&report_dir), crate_name, extra_filename);
    match std::fs::read_to_string(summaries_list(&report)) {
        Ok(list) => {
            for summary in list.lines() {
                (summary, std::fs::read(summary).ok()).hash(&mut hasher);
            }
        }
        Err(_) => return unique(hasher),
    }
    format!("{:016x}", hasher.finish())
}

/// A fingerprint no other compilation has.
fn unique(mut hasher: std::hash::DefaultHasher) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (std::process::id(), now).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}
