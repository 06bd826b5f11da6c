use std::path::PathBuf;

pub struct Settings {
    pub archive_path: PathBuf,
}

/// Mistake: synchronous file I/O on the executor thread.
pub async fn load() -> Settings {
    let text = std::fs::read_to_string("demo.toml").unwrap_or_default();
    let archive_path = text
        .lines()
        .find_map(|line| line.strip_prefix("archive = "))
        .unwrap_or("orders.log")
        .into();
    Settings { archive_path }
}

/// Fine: the async equivalent.
#[allow(dead_code)]
pub async fn load_async() -> String {
    tokio::fs::read_to_string("demo.toml").await.unwrap_or_default()
}
