//! `async-lint.toml`: discovery, parsing and validation, shared by the cargo subcommand (which
//! checks the files before starting a build) and the driver (which applies them).
//!
//! This crate has no `rustc_private` dependency on purpose: the subcommand links it and must run
//! without the nightly's `librustc_driver` on the library path.

pub mod catalogue;
pub mod env;
mod json_file;
mod levenshtein;
pub mod report;
pub mod summary;
#[rustfmt::skip] // Generated; `cargo bless` writes it.
mod lint_registry;

use catalogue::{BUILTIN_BOUNDARIES, BUILTIN_GUARDS, Category, Entry, GuardKind, builtin_entries};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub use levenshtein::closest_match;
pub use lint_registry::LINTS;

/// The config file name looked up in a crate's directory and its parents.
pub const CONFIG_FILE_NAME: &str = "async-lint.toml";

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
    /// Changes to the catalogues of blocking APIs, boundaries and guards. Affects:
    /// `blocking_in_async`, `blocking_in_async_in_tests`, `nested_runtime`, `block_on_in_drop`,
    /// `lock_across_await`.
    #[serde(default)]
    catalogue: RawCatalogue,
    /// Cross-crate analysis of dependencies. Affects: `blocking_in_async`, `nested_runtime`,
    /// `block_on_in_drop`.
    #[serde(default)]
    cross_crate: RawCrossCrate,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrossCrate {
    /// Whether dependencies are analysed (default `true`).
    enabled: Option<bool>,
    /// Crates whose functions are not analysed, by crate name (`"tokio"`).
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    /// Functions of dependencies to take as non-blocking (a false alarm).
    #[serde(default)]
    non_blocking: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    /// More functions that block: `{ path = "crate::module::function", category = "network",
    /// hint = "use the async client" }`; `category`, `hint` and `self_type` (for a trait method,
    /// only calls on that receiver type) are optional.
    #[serde(default)]
    blocking: Vec<RawEntry>,
    /// Built-in entries to drop, by path (e.g. `"std::path::Path::exists"`).
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    /// More functions whose closure arguments run on another thread, like
    /// `tokio::task::spawn_blocking` (e.g. a wrapper of your own around it).
    #[serde(default)]
    boundaries: Vec<Spanned<String>>,
    /// More guard types for `lock_across_await`, by path (`"my_crate::sync::Guard"`).
    #[serde(default)]
    guards: Vec<Spanned<String>>,
    /// More trait methods whose implementations run on the executor like an `async fn` body,
    /// by path (`"my_crate::Protocol::poll_frame"`).
    #[serde(default)]
    poll_methods: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    path: Spanned<String>,
    category: Option<Spanned<String>>,
    hint: Option<String>,
    /// For a trait method, only calls on this receiver type; for a free function
    /// (`std::mem::drop`), only calls with this argument type.
    self_type: Option<Spanned<String>>,
}

/// The built-in catalogue's file (`config/catalogue.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuiltin {
    blocking: Vec<RawEntry>,
    io_handles: Vec<RawHandle>,
    io_methods: Vec<Spanned<String>>,
}

/// A synchronous handle whose `Read`/`Write`/`BufRead` methods block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHandle {
    self_type: Spanned<String>,
    category: Spanned<String>,
}

/// Every key `async-lint.toml` accepts (`lints`, `catalogue.blocking`, ...), for documentation
/// and the test that each one is exercised by a `tests/ui-toml` case. Read from the fields
/// serde accepts, so the list and the file's structs cannot drift.
#[must_use]
pub fn keys() -> Vec<String> {
    fields_of::<RawConf>()
        .iter()
        .flat_map(|&table| {
            let nested = match table {
                "catalogue" => fields_of::<RawCatalogue>(),
                "cross_crate" => fields_of::<RawCrossCrate>(),
                // `lints` is a map from lint names: the key is the table itself.
                _ => &[],
            };
            if nested.is_empty() {
                vec![table.to_owned()]
            } else {
                nested.iter().map(|key| format!("{table}.{key}")).collect()
            }
        })
        .collect()
}

/// The field names of a struct that derives `Deserialize`, as serde itself lists them: a
/// deserializer that only listens for them.
fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct FieldNames<'a>(&'a mut &'static [&'static str]);

    impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
        type Error = serde::de::value::Error;

        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("only a struct's fields are listened for"))
        }

        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(serde::de::Error::custom("fields listed"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }

    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// The validated contents of `async-lint.toml`.
#[derive(Debug)]
pub struct Conf {
    lint_levels: Vec<(String, LintLevel)>,
    extra_entries: Vec<Entry>,
    ignored: Vec<String>,
    extra_boundaries: Vec<String>,
    extra_guards: Vec<String>,
    extra_poll_methods: Vec<String>,
    cross_crate_enabled: bool,
    cross_crate_excluded: Vec<String>,
    cross_crate_non_blocking: Vec<String>,
}

impl Default for Conf {
    fn default() -> Self {
        Self {
            lint_levels: Vec::new(),
            extra_entries: Vec::new(),
            ignored: Vec::new(),
            extra_boundaries: Vec::new(),
            extra_guards: Vec::new(),
            extra_poll_methods: Vec::new(),
            cross_crate_enabled: true,
            cross_crate_excluded: Vec::new(),
            cross_crate_non_blocking: Vec::new(),
        }
    }
}

impl Conf {
    /// `cross_crate.enabled`.
    #[must_use]
    pub fn cross_crate_enabled(&self) -> bool {
        self.cross_crate_enabled
    }

    /// Whether the crate named `crate_name` is left out of the cross-crate analysis: listed in
    /// `cross_crate.exclude`, or one of the async-native crates of the catalogue.
    #[must_use]
    pub fn cross_crate_skips(&self, crate_name: &str) -> bool {
        self.cross_crate_skipped().any(|skipped| skipped == crate_name)
    }

    /// Every crate name [`Conf::cross_crate_skips`] skips (`-` written as `_`, as rustc does).
    pub fn cross_crate_skipped(&self) -> impl Iterator<Item = String> {
        let configured = self.cross_crate_excluded.iter().map(|name| name.replace('-', "_"));
        catalogue::ASYNC_NATIVE_CRATES
            .iter()
            .map(|&name| name.to_owned())
            .chain(configured)
    }

    /// Functions taken as non-blocking: built-in plus `cross_crate.non_blocking`.
    pub fn cross_crate_non_blocking(&self) -> impl Iterator<Item = &str> {
        catalogue::BUILTIN_NON_BLOCKING
            .iter()
            .copied()
            .chain(self.cross_crate_non_blocking.iter().map(String::as_str))
    }

    /// Levels set in `[lints]`, in name order.
    pub fn lint_levels(&self) -> impl Iterator<Item = (&str, LintLevel)> {
        self.lint_levels.iter().map(|(name, level)| (name.as_str(), *level))
    }

    /// The catalogue of blocking APIs: the built-in entries less `catalogue.ignore`, plus
    /// `catalogue.blocking`.
    pub fn blocking_entries(&self) -> impl Iterator<Item = Entry> + '_ {
        builtin_entries()
            .filter(|entry| !self.ignored.iter().any(|ignored| *ignored == entry.path))
            .chain(self.extra_entries.iter().cloned())
    }

    /// Guard types for `lock_across_await`: built-in plus `catalogue.guards`.
    pub fn guards(&self) -> impl Iterator<Item = (&str, GuardKind)> {
        BUILTIN_GUARDS
            .iter()
            .copied()
            .chain(self.extra_guards.iter().map(|path| (path.as_str(), GuardKind::Listed)))
    }

    /// Trait methods whose implementations are async context: built-in plus
    /// `catalogue.poll_methods`.
    pub fn poll_methods(&self) -> impl Iterator<Item = &str> {
        catalogue::BUILTIN_POLL_METHODS
            .iter()
            .copied()
            .chain(self.extra_poll_methods.iter().map(String::as_str))
    }

    /// Functions whose closure arguments run on another thread: built-in plus
    /// `catalogue.boundaries`.
    pub fn boundaries(&self) -> impl Iterator<Item = &str> {
        BUILTIN_BOUNDARIES
            .iter()
            .copied()
            .chain(self.extra_boundaries.iter().map(String::as_str))
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
            return Err(SpannedError {
                span: Some(name.span()),
                message: format!("unknown lint `{}` in `[lints]`", name.get_ref()),
                help: Some(did_you_mean(
                    name.get_ref(),
                    LINTS.iter().map(|lint| lint.name),
                    "`cargo async-lint --list` shows the lint names",
                )),
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

    let extra_entries = raw
        .catalogue
        .blocking
        .into_iter()
        .map(checked_entry)
        .collect::<Result<Vec<_>, _>>()?;

    let mut ignored = Vec::with_capacity(raw.catalogue.ignore.len());
    for path in raw.catalogue.ignore {
        if !builtin_entries().any(|entry| entry.path == *path.get_ref()) {
            let paths: Vec<Entry> = builtin_entries().collect();
            return Err(SpannedError {
                span: Some(path.span()),
                message: format!("`{}` is not in the built-in catalogue", path.get_ref()),
                help: Some(did_you_mean(
                    path.get_ref(),
                    paths.iter().map(|entry| entry.path.as_ref()),
                    "`cargo async-lint --explain blocking_in_async` lists the catalogue",
                )),
            });
        }
        ignored.push(path.into_inner());
    }

    let extra_boundaries = checked(raw.catalogue.boundaries, check_path)?;
    let extra_guards = checked(raw.catalogue.guards, check_path)?;
    let extra_poll_methods = checked(raw.catalogue.poll_methods, check_path)?;
    let cross_crate_excluded = checked(raw.cross_crate.exclude, check_crate_name)?;
    let cross_crate_non_blocking = checked(raw.cross_crate.non_blocking, check_path)?;

    Ok(Conf {
        lint_levels,
        extra_entries,
        ignored,
        extra_boundaries,
        extra_guards,
        extra_poll_methods,
        cross_crate_enabled: raw.cross_crate.enabled.unwrap_or(true),
        cross_crate_excluded,
        cross_crate_non_blocking,
    })
}

/// "did you mean `x`?" for the closest candidate, or `otherwise`.
fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>, otherwise: &str) -> String {
    closest_match(input, candidates).map_or_else(
        || otherwise.to_owned(),
        |candidate| format!("did you mean `{candidate}`?"),
    )
}

/// The values of a list, each passed through `check`; the first that fails is the error.
fn checked(
    values: Vec<Spanned<String>>,
    check: fn(&Spanned<String>) -> Result<(), SpannedError>,
) -> Result<Vec<String>, SpannedError> {
    values
        .into_iter()
        .map(|value| check(&value).map(|()| value.into_inner()))
        .collect()
}

/// A catalogue entry as `catalogue.blocking` and the built-in catalogue write it, checked.
fn checked_entry(entry: RawEntry) -> Result<Entry, SpannedError> {
    check_path(&entry.path)?;
    if let Some(self_type) = &entry.self_type {
        check_type_path(self_type)?;
    }
    let category = match &entry.category {
        None => Category::Custom,
        Some(name) => checked_category(name)?,
    };
    Ok(Entry {
        path: Cow::Owned(entry.path.into_inner()),
        self_ty: entry.self_type.map(|self_type| Cow::Owned(self_type.into_inner())),
        category,
        hint: entry.hint.map(Cow::Owned),
    })
}

fn checked_category(name: &Spanned<String>) -> Result<Category, SpannedError> {
    Category::from_name(name.get_ref()).ok_or_else(|| {
        let names: Vec<&str> = Category::ALL.iter().map(|category| category.name()).collect();
        SpannedError {
            span: Some(name.span()),
            message: format!("unknown category `{}`", name.get_ref()),
            help: Some(match closest_match(name.get_ref(), names.iter().copied()) {
                Some(candidate) => format!("did you mean `{candidate}`?"),
                None => format!("the categories are `{}`", names.join("`, `")),
            }),
        }
    })
}

/// Parses the built-in catalogue (`text`, the file at `path`) with the code that reads
/// `catalogue.blocking`.
pub(crate) fn parse_builtin(text: &str, path: &Path) -> Result<catalogue::Builtin, ConfError> {
    let parse = || -> Result<catalogue::Builtin, SpannedError> {
        let raw: RawBuiltin = toml::from_str(text).map_err(|err| describe_toml_error(&err))?;
        let calls = raw.blocking.into_iter().map(checked_entry).collect::<Result<_, _>>()?;
        let io_handles = raw
            .io_handles
            .into_iter()
            .map(|handle| {
                check_type_path(&handle.self_type)?;
                Ok((handle.self_type.into_inner(), checked_category(&handle.category)?))
            })
            .collect::<Result<_, SpannedError>>()?;
        let io_methods = raw
            .io_methods
            .into_iter()
            .map(|method| check_path(&method).map(|()| method.into_inner()))
            .collect::<Result<_, _>>()?;
        Ok(catalogue::Builtin {
            calls,
            io_handles,
            io_methods,
        })
    };
    parse().map_err(|err| err.at(path, text))
}

/// A function path must have a crate and a name: `crate_name::function`, `crate::Type::method`.
fn check_path(path: &Spanned<String>) -> Result<(), SpannedError> {
    check_path_of(path, "function", "my_crate::module::function")
}

/// A type's path (an entry's `self_type`).
fn check_type_path(path: &Spanned<String>) -> Result<(), SpannedError> {
    check_path_of(path, "type", "my_crate::module::Type")
}

fn check_path_of(path: &Spanned<String>, what: &str, example: &str) -> Result<(), SpannedError> {
    let segments: Vec<&str> = path.get_ref().split("::").collect();
    let is_identifier = |segment: &str| {
        segment.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && segment.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    if segments.len() < 2 || !segments.iter().all(|segment| is_identifier(segment)) {
        return Err(SpannedError {
            span: Some(path.span()),
            message: format!("`{}` is not a {what} path", path.get_ref()),
            help: Some(format!("write the full path, starting with the crate: `{example}`")),
        });
    }
    Ok(())
}

/// A crate name as Cargo writes it (`my-sdk`) or rustc does (`my_sdk`).
fn check_crate_name(name: &Spanned<String>) -> Result<(), SpannedError> {
    let text = name.get_ref();
    let valid = text.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if valid {
        return Ok(());
    }
    Err(SpannedError {
        span: Some(name.span()),
        message: format!("`{text}` is not a crate name"),
        help: Some("name the dependency as in `Cargo.toml`, without a path: `my-sdk`".to_owned()),
    })
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
    fn catalogue_additions_removals_and_boundaries() {
        let conf = parse(
            "[catalogue]\nblocking = [{ path = \"db::query\", category = \"sync-client\", hint = \"use the pool\" },\n  { path = \"db::ping\" }]\nignore = [\"std::path::Path::exists\"]\nboundaries = [\"pool::run\"]\n",
        )
        .unwrap();
        let entries: Vec<Entry> = conf.blocking_entries().collect();
        assert!(!entries.iter().any(|entry| entry.path == "std::path::Path::exists"));
        let query = entries.iter().find(|entry| entry.path == "db::query").unwrap();
        assert_eq!(query.category, Category::SyncClient);
        assert_eq!(query.hint(true), "use the pool");
        let ping = entries.iter().find(|entry| entry.path == "db::ping").unwrap();
        assert_eq!(ping.category, Category::Custom);
        assert!(conf.boundaries().any(|path| path == "pool::run"));
        assert!(conf.boundaries().any(|path| path == "tokio::task::spawn_blocking"));
    }

    #[test]
    fn catalogue_mistakes_are_located() {
        let err = error_of("[catalogue]\nblocking = [{ path = \"db::query\", category = \"netwrok\" }]\n");
        assert_eq!(err.message, "unknown category `netwrok`");
        assert_eq!(err.help.as_deref(), Some("did you mean `network`?"));
        assert_eq!(err.position, Some((2, 46)));

        let err = error_of("[catalogue]\nignore = [\"std::thread::slep\"]\n");
        assert_eq!(err.message, "`std::thread::slep` is not in the built-in catalogue");
        assert_eq!(err.help.as_deref(), Some("did you mean `std::thread::sleep`?"));

        let err = error_of("[catalogue]\nboundaries = [\"run_blocking\"]\n");
        assert_eq!(err.message, "`run_blocking` is not a function path");
        assert_eq!(err.position, Some((2, 15)));

        let err = error_of("[catalogue]\nblocking = [{ path = \"db::query\", kind = \"x\" }]\n");
        assert_eq!(err.message, "unknown key `kind`");
    }

    #[test]
    fn keys_are_read_from_the_structs() {
        assert_eq!(
            keys(),
            [
                "lints",
                "catalogue.blocking",
                "catalogue.ignore",
                "catalogue.boundaries",
                "catalogue.guards",
                "catalogue.poll_methods",
                "cross_crate.enabled",
                "cross_crate.exclude",
                "cross_crate.non_blocking",
            ]
        );
    }

    #[test]
    fn every_documented_key_parses() {
        for key in keys() {
            let text = match key.as_str() {
                "lints" => "[lints]\nblocking_in_async = \"warn\"\n",
                "catalogue.blocking" => "[catalogue]\nblocking = [{ path = \"a::b\" }]\n",
                "catalogue.ignore" => "[catalogue]\nignore = [\"std::thread::sleep\"]\n",
                "catalogue.boundaries" => "[catalogue]\nboundaries = [\"a::b\"]\n",
                "catalogue.guards" => "[catalogue]\nguards = [\"a::Guard\"]\n",
                "catalogue.poll_methods" => "[catalogue]\npoll_methods = [\"a::Trait::poll_x\"]\n",
                "cross_crate.enabled" => "[cross_crate]\nenabled = false\n",
                "cross_crate.exclude" => "[cross_crate]\nexclude = [\"tokio\"]\n",
                "cross_crate.non_blocking" => "[cross_crate]\nnon_blocking = [\"dep::load\"]\n",
                other => panic!("no sample for documented key `{other}`"),
            };
            parse(text).unwrap();
        }
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

    #[test]
    fn the_builtin_catalogue_parses() {
        let builtin = catalogue::builtin().unwrap();
        assert!(builtin.calls.iter().any(|entry| entry.path == "std::thread::sleep"
            && entry.category == Category::Sleep
            && entry.self_ty.is_none()));
        let drop_runtime = builtin
            .calls
            .iter()
            .find(|entry| entry.path == "std::mem::drop")
            .unwrap();
        assert_eq!(drop_runtime.self_ty.as_deref(), Some("tokio::runtime::Runtime"));
        assert!(drop_runtime.is_drop());
        // Each handle's `Read`/`Write`/`BufRead` methods are entries of their own.
        assert_eq!(
            catalogue::builtin_entries().count(),
            builtin.calls.len() + builtin.io_handles.len() * builtin.io_methods.len()
        );
        assert!(
            catalogue::builtin_entries().any(|entry| entry.path == "std::io::Read::read"
                && entry.self_ty.as_deref() == Some("std::fs::File")
                && entry.category == Category::FileSystem)
        );
    }

    #[test]
    fn a_broken_builtin_catalogue_names_its_file_line_and_key() {
        let text = "blocking = [\n  { path = \"std::thread::sleep\", category = \"slep\" },\n]\nio_handles = []\nio_methods = []\n";
        let err = parse_builtin(text, Path::new(catalogue::BUILTIN_FILE)).unwrap_err();
        assert_eq!(err.position.map(|(line, _)| line), Some(2));
        assert!(
            err.headline().starts_with("config/catalogue.toml:2:"),
            "{}",
            err.headline()
        );
        assert_eq!(err.message, "unknown category `slep`");
    }

    #[test]
    fn user_entries_may_name_the_receiver_type() {
        let conf = parse(
            "[catalogue]\nblocking = [{ path = \"std::io::Read::read\", self_type = \"my_app::Pipe\", category = \"process\" }]\n",
        )
        .unwrap();
        let entry = conf
            .blocking_entries()
            .find(|entry| entry.self_ty.as_deref() == Some("my_app::Pipe"))
            .unwrap();
        assert_eq!(entry.display_name(), "<my_app::Pipe as std::io::Read>::read");
        let err = error_of("[catalogue]\nblocking = [{ path = \"a::b\", self_type = \"not a path\" }]\n");
        assert_eq!(err.message, "`not a path` is not a type path");
    }
}
