//@no-rustfix: no automatic rewrites
use std::time::Duration;

struct Connection;

impl Connection {
    async fn close(&mut self) {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }

    fn close_blocking(&mut self) {
        futures::executor::block_on(self.close());
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        futures::executor::block_on(self.close());
        //~^ block_on_in_drop
    }
}

struct Pool {
    conn: Connection,
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.conn.close_blocking();
        //~^ block_on_in_drop
    }
}

struct Session;

impl Drop for Session {
    fn drop(&mut self) {
        // The `try_current` pattern in `drop` is reported once, by this lint.
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.block_on(async {});
            //~^ block_on_in_drop
        }
    }
}

struct Generic<T>(T);

impl<T> Drop for Generic<T> {
    fn drop(&mut self) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {});
        //~^ block_on_in_drop
    }
}

// ---- silent ----

struct Quiet;

impl Drop for Quiet {
    fn drop(&mut self) {
        // Spawning the cleanup as a task is the advice.
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async {});
        }
    }
}

struct OnAThread;

impl Drop for OnAThread {
    fn drop(&mut self) {
        let _ = std::thread::spawn(|| futures::executor::block_on(async {}));
    }
}

struct Sleeper;

impl Drop for Sleeper {
    fn drop(&mut self) {
        // Blocking, but not a runtime: `blocking_in_async` territory, not this lint's.
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[allow(block_on_in_drop)]
struct Allowed;

#[allow(block_on_in_drop)]
impl Drop for Allowed {
    fn drop(&mut self) {
        futures::executor::block_on(async {});
    }
}

fn main() {}
