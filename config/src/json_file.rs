//! The JSON files the driver writes for the subcommand (reports, cross-crate summaries).

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Writes `value` as JSON, through a temporary file so a reader never sees half of it.
pub(crate) fn write<T: Serialize>(value: &T, path: &Path) -> std::io::Result<()> {
    let text = serde_json::to_string(value).map_err(std::io::Error::other)?;
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

/// Reads a file written by [`write`].
pub(crate) fn read<T: DeserializeOwned>(path: &Path) -> std::io::Result<T> {
    parse(&std::fs::read(path)?)
}

/// Parses the contents of a file written by [`write`].
pub(crate) fn parse<T: DeserializeOwned>(contents: &[u8]) -> std::io::Result<T> {
    serde_json::from_slice(contents).map_err(std::io::Error::other)
}
