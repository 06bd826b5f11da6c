use std::time::Duration;
use tokio::runtime::{Handle, Runtime};

async fn fetch_price(item: &str) -> u32 {
    tokio::time::sleep(Duration::from_millis(1)).await;
    u32::try_from(item.len()).unwrap_or(0) * 100
}

/// Mistake: "reuse the runtime if there is one" takes the `Ok` branch exactly when a runtime
/// is running on this thread, and `block_on` panics there.
pub fn price_sync(item: &str) -> u32 {
    match Handle::try_current() {
        Ok(handle) => handle.block_on(fetch_price(item)),
        Err(_) => Runtime::new().map(|rt| rt.block_on(fetch_price(item))).unwrap_or(0),
    }
}

/// Fine: async callers await the async version.
pub async fn price(item: &str) -> u32 {
    fetch_price(item).await
}

/// Mistake: dropping the log inside async code (any handler that owns one) panics.
pub struct AuditLog {
    pub entries: Vec<String>,
}

impl AuditLog {
    async fn flush(&mut self) {
        tokio::time::sleep(Duration::from_millis(1)).await;
        self.entries.clear();
    }
}

impl Drop for AuditLog {
    fn drop(&mut self) {
        if let Ok(handle) = Handle::try_current() {
            handle.block_on(self.flush());
        }
    }
}
