use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Default)]
pub struct Store {
    pending: Mutex<Vec<String>>,
}

/// Mistakes: `std::thread::sleep` stalls every task on this worker thread
/// (`cargo async-lint --fix` rewrites it to `tokio::time::sleep(..).await`), and `price_sync`
/// blocks on the runtime this task runs on, which panics.
pub async fn place(store: &Store, item: &str) {
    let price = crate::pricing::price_sync(item);
    if let Ok(mut pending) = store.pending.lock() {
        pending.push(format!("{item} at {price}"));
    }
    std::thread::sleep(Duration::from_millis(5));
    let log = crate::pricing::AuditLog {
        entries: vec![item.to_owned()],
    };
    drop(log);
}

/// Fine: the async path.
#[allow(dead_code)]
pub async fn place_priced(store: &Store, item: &str) {
    let price = crate::pricing::price(item).await;
    if let Ok(mut pending) = store.pending.lock() {
        pending.push(format!("{item} at {price}"));
    }
}

pub async fn process_queue(store: std::sync::Arc<Store>) {
    loop {
        let next = store.pending.lock().ok().and_then(|mut pending| pending.pop());
        match next {
            Some(item) => println!("processing {item}"),
            None => tokio::time::sleep(Duration::from_millis(1)).await,
        }
    }
}

/// Mistake: the guard lives until the end of the function, so the lock stays taken while
/// the task sleeps, and every task that places an order blocks its thread in `lock()`.
pub async fn audit(store: &Store) {
    let pending = store.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    tokio::time::sleep(Duration::from_millis(1)).await;
    println!("{} orders pending", pending.len());
}

/// Fine: the guard is released before the await.
pub async fn audit_briefly(store: &Store) {
    let count = store.pending.lock().map(|pending| pending.len()).unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(1)).await;
    println!("{count} orders pending");
}

/// Fine: sync code may block; `main` runs it on the blocking pool.
pub fn archive_sync(path: &Path) -> usize {
    std::fs::write(path, b"coffee\ntea\n").map(|()| 11).unwrap_or(0)
}

/// Deliberate and reviewed: a start-up probe that may block once. Silenced for the tool only,
/// so plain `cargo build` on stable sees no unknown lint.
#[allow(dead_code)]
#[cfg_attr(async_lint, allow(blocking_in_async))]
pub async fn warm_up() {
    std::thread::sleep(Duration::from_millis(1));
}
