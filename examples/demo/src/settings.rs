use std::path::PathBuf;

pub struct Settings {
    pub archive_path: PathBuf,
}

/// Mistake, through a chain: `load` looks harmless, but `read_file` does synchronous file I/O
/// on the executor thread. Reported at the call of `read_file`, with the chain in notes.
pub async fn load() -> Settings {
    let text = read_file("demo.toml");
    let archive_path = text
        .lines()
        .find_map(|line| line.strip_prefix("archive = "))
        .unwrap_or("orders.log")
        .into();
    Settings { archive_path }
}

fn read_file(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Fine: the async equivalent.
#[allow(dead_code)]
pub async fn load_async() -> String {
    tokio::fs::read_to_string("demo.toml").await.unwrap_or_default()
}
