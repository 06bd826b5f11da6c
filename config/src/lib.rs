//! `async-lint.toml`: discovery, parsing and validation, shared by the cargo subcommand (which
//! checks the files before starting a build) and the driver (which applies them).
//!
//! This crate has no `rustc_private` dependency on purpose: the subcommand links it and must run
//! without the nightly's `librustc_driver` on the library path.

mod levenshtein;
#[rustfmt::skip] // Generated; `cargo bless` writes it.
mod lint_registry;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub use levenshtein::closest_match;
pub use lint_registry::LINTS;

/// The config file name looked up in a crate's directory and its parents.
pub const CONFIG_FILE_NAME: &str = "async-lint.toml";
/// Names a directory holding the config file; overrides the search from the manifest dir.
pub const CONF_DIR_ENV: &str = "ASYNC_LINT_CONF_DIR";

/// What the subcommand knows of a lint without loading the compiler: generated from the lint
/// declarations in `lints/src/*.rs` (`cargo bless` regenerates `lint_registry.rs`).
#[derive(Debug)]
pub struct LintInfo {
    pub name: &'static str,
    pub default_level: LintLevel,
    /// The declaration's one-line description.
    pub summary: &'static str,
    /// The declaration's doc comment, Markdown.
    pub docs: &'static str,
}

/// Looks a lint up by name.
#[must_use]
pub fn lint_info(name: &str) -> Option<&'static LintInfo> {
    LINTS.iter().find(|lint| lint.name == name)
}

/// A lint level as written in `[lints]` and in the lint declarations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LintLevel {
    Allow,
    Warn,
    Deny,
    Forbid,
}

impl LintLevel {
    pub const ALL: [LintLevel; 4] = [LintLevel::Allow, LintLevel::Warn, LintLevel::Deny, LintLevel::Forbid];

    /// The rustc command-line flag that sets this level.
    #[must_use]
    pub fn rustc_flag(self) -> &'static str {
        match self {
            LintLevel::Allow => "-A",
            LintLevel::Warn => "-W",
            LintLevel::Deny => "-D",
            LintLevel::Forbid => "-F",
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LintLevel::Allow => "allow",
            LintLevel::Warn => "warn",
            LintLevel::Deny => "deny",
            LintLevel::Forbid => "forbid",
        }
    }

    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str() == name)
    }
}

/// The file as written, before names and levels are checked. Each key's doc comment names the
/// lints it affects.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConf {
    /// Lint levels by lint name, e.g. `blocking_in_async = "deny"`. Affects: every lint.
    /// They apply before the levels given after `--` on the command line and before
    /// attributes in the source, so both of those override them.
    #[serde(default)]
    lints: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// The validated contents of `async-lint.toml`.
#[derive(Debug, Default)]
pub struct Conf {
    lint_levels: Vec<(String, LintLevel)>,
}

impl Conf {
    /// Levels set in `[lints]`, in name order.
    pub fn lint_levels(&self) -> impl Iterator<Item = (&str, LintLevel)> {
        self.lint_levels.iter().map(|(name, level)| (name.as_str(), *level))
    }
}

/// A config file that was found and loaded.
#[derive(Debug)]
pub struct LoadedConf {
    pub path: PathBuf,
    pub conf: Conf,
}

/// An error in a config file, with its position. Its `Display` is the one line users see
/// (`path:line:col: message`), followed by a `help:` line when there is a suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfError {
    pub path: PathBuf,
    /// 1-based line and column (in characters) of the offending key or value; `None` when
    /// the file could not be read at all.
    pub position: Option<(usize, usize)>,
    pub message: String,
    pub help: Option<String>,
}

impl ConfError {
    /// `path:line:col: message`, without the help.
    #[must_use]
    pub fn headline(&self) -> String {
        match self.position {
            Some((line, col)) => format!("{}:{line}:{col}: {}", self.path.display(), self.message),
            None => format!("{}: {}", self.path.display(), self.message),
        }
    }
}

impl fmt::Display for ConfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if let Some(help) = &self.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfError {}

/// Finds the config file that applies to a crate whose manifest is in `manifest_dir`:
/// `$ASYNC_LINT_CONF_DIR/async-lint.toml` when that variable is set, else the nearest
/// `async-lint.toml` in `manifest_dir` or one of its parents.
#[must_use]
pub fn find_config(manifest_dir: &Path, conf_dir_env: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = conf_dir_env {
        // An explicit directory wins even when it has no file: the user asked for that one.
        let path = dir.join(CONFIG_FILE_NAME);
        return path.is_file().then_some(path);
    }
    manifest_dir
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE_NAME))
        .find(|path| path.is_file())
}

/// Reads and validates one config file.
pub fn load_file(path: &Path) -> Result<LoadedConf, ConfError> {
    let text = std::fs::read_to_string(path).map_err(|err| ConfError {
        path: path.to_owned(),
        position: None,
        message: format!("cannot read the config file: {err}"),
        help: None,
    })?;
    let conf = parse(&text).map_err(|err| err.at(path, &text))?;
    Ok(LoadedConf {
        path: path.to_owned(),
        conf,
    })
}

/// An error before it is tied to a file: a byte range into the text.
#[derive(Debug)]
struct SpannedError {
    span: Option<Range<usize>>,
    message: String,
    help: Option<String>,
}

impl SpannedError {
    fn at(self, path: &Path, text: &str) -> ConfError {
        ConfError {
            path: path.to_owned(),
            position: self.span.map(|span| line_col(text, span.start)),
            message: self.message,
            help: self.help,
        }
    }
}

/// Parses and validates config text.
fn parse(text: &str) -> Result<Conf, SpannedError> {
    let raw: RawConf = toml::from_str(text).map_err(|err| describe_toml_error(&err))?;
    let mut lint_levels = Vec::with_capacity(raw.lints.len());
    for (name, level) in raw.lints {
        if lint_info(name.get_ref()).is_none() {
            let help = closest_match(name.get_ref(), LINTS.iter().map(|lint| lint.name))
                .map(|candidate| format!("did you mean `{candidate}`?"))
                .or_else(|| Some("`cargo async-lint --list` shows the lint names".to_owned()));
            return Err(SpannedError {
                span: Some(name.span()),
                message: format!("unknown lint `{}` in `[lints]`", name.get_ref()),
                help,
            });
        }
        let Some(parsed) = LintLevel::from_name(level.get_ref()) else {
            let help = match closest_match(level.get_ref(), LintLevel::ALL.map(LintLevel::as_str)) {
                Some(candidate) => format!("did you mean `{candidate}`? {LEVELS_HELP}"),
                None => LEVELS_HELP.to_owned(),
            };
            return Err(SpannedError {
                span: Some(level.span()),
                message: format!("unknown lint level `{}`", level.get_ref()),
                help: Some(help),
            });
        };
        lint_levels.push((name.into_inner(), parsed));
    }
    Ok(Conf { lint_levels })
}

const LEVELS_HELP: &str = "(the levels are `allow`, `warn`, `deny`, `forbid`)";

/// Turns a toml/serde error into our wording, adding "did you mean" for unknown keys.
fn describe_toml_error(err: &toml::de::Error) -> SpannedError {
    let message = err.message().trim_end().to_owned();
    // serde words unknown keys as "unknown field `x`, expected `a`" or "expected one of `a`, `b`".
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, expected)) = rest.split_once('`')
    {
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let help = match closest_match(key, candidates.iter().copied()) {
            Some(candidate) => format!("did you mean `{candidate}`?"),
            None if candidates.is_empty() => "this table takes no keys".to_owned(),
            None => format!(
                "the known keys are {}",
                candidates
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return SpannedError {
            span: err.span(),
            message: format!("unknown key `{key}`"),
            help: Some(help),
        };
    }
    SpannedError {
        span: err.span(),
        message,
        help: None,
    }
}

/// 1-based line and character column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> ConfError {
        parse(text).unwrap_err().at(Path::new("async-lint.toml"), text)
    }

    #[test]
    fn valid_levels_load_in_name_order() {
        let conf = parse("[lints]\nblocking_in_async = \"deny\"\n").unwrap();
        assert_eq!(
            conf.lint_levels().collect::<Vec<_>>(),
            [("blocking_in_async", LintLevel::Deny)]
        );
    }

    #[test]
    fn empty_file_is_default() {
        assert_eq!(parse("").unwrap().lint_levels().count(), 0);
    }

    #[test]
    fn unknown_top_level_key_suggests_the_closest() {
        let err = error_of("\n[lintz]\nblocking_in_async = \"deny\"\n");
        assert_eq!(err.position, Some((2, 2)));
        assert_eq!(err.message, "unknown key `lintz`");
        assert_eq!(err.help.as_deref(), Some("did you mean `lints`?"));
    }

    #[test]
    fn unknown_lint_names_file_line_col() {
        let err = error_of("[lints]\nblockng_in_async = \"deny\"\n");
        assert_eq!(
            err.to_string(),
            "async-lint.toml:2:1: unknown lint `blockng_in_async` in `[lints]`\nhelp: did you mean `blocking_in_async`?"
        );
    }

    #[test]
    fn wrong_type_is_located() {
        let err = error_of("[lints]\nblocking_in_async = 3\n");
        assert_eq!(err.position, Some((2, 21)));
        assert!(err.message.contains("invalid type"), "{}", err.message);
    }

    #[test]
    fn unknown_level_suggests_a_level() {
        let err = error_of("[lints]\nblocking_in_async = \"dney\"\n");
        assert_eq!(err.message, "unknown lint level `dney`");
        assert!(err.help.unwrap().starts_with("did you mean `deny`?"));
    }

    #[test]
    fn broken_toml_is_located() {
        let err = error_of("[lints\n");
        assert_eq!(err.position.map(|(line, _)| line), Some(1));
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_col("é = 1\nab", 8), (2, 2));
    }

    #[test]
    fn conf_dir_env_wins_even_without_a_file() {
        let dir = std::env::temp_dir();
        assert_eq!(find_config(Path::new("/"), Some(&dir.join("no-such-dir"))), None);
    }
}
