//! Every diagnostic we emit follows the rustc/Clippy wording convention: the main message and
//! each note and help start in lowercase and end without a period.

mod common;

use std::path::PathBuf;

/// The messages of a `.stderr` file: main lines (`error: ...`), `= note:`/`= help:` lines, and
/// the labels under spans (`^^^^ label`, `|     label` on a line of its own, `help: ...`).
fn messages(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let prefixed = ["error: ", "warning: ", "= note: ", "= help: ", "note: ", "help: "]
                .iter()
                .find_map(|prefix| line.strip_prefix(prefix));
            prefixed.or_else(|| label(line))
        })
        // rustc's own summary and level notes are not ours to word.
        .filter(|message| {
            !message.starts_with("aborting due to")
                && !message.contains("implied by `-D warnings`")
                && !message.starts_with("to override `-D warnings`")
                && !message.starts_with("requested on the command line")
        })
        .collect()
}

/// The label on an annotation line: those start with `|` (source lines start with `LL |`), and
/// the label follows the `^^^`/`---` marks and `|` connectors.
fn label(line: &str) -> Option<&str> {
    let text = line.strip_prefix('|')?.trim_start_matches(['^', '-', '_', '|', ' ']);
    (!text.is_empty()).then(|| text.strip_prefix("help: ").unwrap_or(text))
}

#[test]
fn messages_are_lowercase_without_trailing_period() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut files = Vec::new();
    for dir in ["ui", "ui-toml", "ui-nodeps"] {
        common::files_with_extension(&root.join(dir), "stderr", &mut files);
    }
    assert!(!files.is_empty(), "no .stderr files found");
    let mut bad = Vec::new();
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for message in messages(&text) {
            checked += 1;
            let first = message.chars().next().unwrap_or(' ');
            if first.is_uppercase() || message.ends_with('.') {
                bad.push(format!("{}: {message}", file.display()));
            }
        }
    }
    assert!(checked > 0, "no messages found in {} files", files.len());
    assert!(bad.is_empty(), "messages breaking the convention:\n{}", bad.join("\n"));
}

#[test]
fn annotation_labels_are_read() {
    assert_eq!(
        label("|     ^^^^^^ blocking call in an async fn"),
        Some("blocking call in an async fn")
    );
    assert_eq!(label("|     help: use the async timer"), Some("use the async timer"));
    assert_eq!(label("|     |"), None);
    assert_eq!(label("LL |     std::thread::sleep(d);"), None);
}
