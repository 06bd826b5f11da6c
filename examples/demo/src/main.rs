//! A toy order service. Some handlers block the executor; `cargo async-lint` finds them.

mod orders;
mod pricing;
mod settings;

use std::sync::Arc;
use std::time::Duration;

/// A request, handled on a task of its own as a server handles each one, beside the others.
async fn handle_order(store: Arc<orders::Store>) -> settings::Settings {
    let settings = settings::load().await;
    orders::place(&store, "coffee").await;
    orders::place(&store, "tea").await;
    settings
}

#[tokio::main]
async fn main() {
    let store = Arc::new(orders::Store::default());

    let worker = tokio::spawn(orders::process_queue(Arc::clone(&store)));
    let Ok(settings) = tokio::spawn(handle_order(Arc::clone(&store))).await else {
        return;
    };
    orders::audit(&store).await;
    orders::audit_briefly(&store).await;

    // Fine: the blocking archive write runs on tokio's blocking pool.
    let archived = tokio::task::spawn_blocking(move || orders::archive_sync(&settings.archive_path))
        .await
        .unwrap_or_default();
    println!("archived {archived} bytes");

    tokio::time::sleep(Duration::from_millis(10)).await;
    worker.abort();
}
