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

/// Made for a thread in one place, but kept where it was made in another (which may be async
/// code, through callers the lint does not follow).
struct KeptPipe {
    tx: std::sync::mpsc::Sender<u8>,
}

impl KeptPipe {
    fn new(tx: std::sync::mpsc::Sender<u8>) -> Self {
        Self { tx }
    }
}

impl Drop for KeptPipe {
    fn drop(&mut self) {
        let _ = futures::executor::block_on(async {});
        //~^ block_on_in_drop
    }
}

fn keeps_a_pipe() {
    let (tx, _rx) = std::sync::mpsc::channel();
    let threaded = KeptPipe::new(tx.clone());
    std::thread::spawn(move || {
        let _ = threaded.tx.send(1);
    });
    let kept = KeptPipe::new(tx);
    let _ = kept.tx.send(2);
}

/// Other crates can make values of a public type and drop them anywhere.
pub struct PublicPipe(std::sync::mpsc::Sender<u8>);

impl Drop for PublicPipe {
    fn drop(&mut self) {
        let _ = futures::executor::block_on(async {});
        //~^ block_on_in_drop
    }
}

async fn sends_a_public_pipe() {
    let (tx, _rx) = std::sync::mpsc::channel();
    let pipe = PublicPipe(tx);
    std::thread::spawn(move || write_public(pipe));
}

fn write_public(pipe: PublicPipe) {
    let _ = pipe.0.send(1);
}

/// A thread that borrows the value leaves it to be dropped where it was made.
struct ScopedPipe(std::sync::mpsc::Sender<u8>);

impl Drop for ScopedPipe {
    fn drop(&mut self) {
        let _ = futures::executor::block_on(async {});
        //~^ block_on_in_drop
    }
}

fn lends_a_pipe() {
    let (tx, _rx) = std::sync::mpsc::channel();
    let pipe = ScopedPipe(tx);
    std::thread::scope(|scope| {
        scope.spawn(|| pipe.0.send(1));
    });
}

/// Values a constructor makes where it is passed as a function are not followed.
struct MappedPipe(std::sync::mpsc::Sender<u8>);

impl Drop for MappedPipe {
    fn drop(&mut self) {
        let _ = futures::executor::block_on(async {});
        //~^ block_on_in_drop
    }
}

fn maps_pipes() {
    let (tx, _rx) = std::sync::mpsc::channel();
    let pipe = MappedPipe(tx.clone());
    std::thread::spawn(move || {
        let _ = pipe.0.send(1);
    });
    let kept: Vec<MappedPipe> = vec![tx].into_iter().map(MappedPipe).collect();
    drop(kept);
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

/// Every value the crate makes goes to a thread of its own, through the function that makes
/// it and a local, and is dropped there.
struct ArchivePipe {
    tx: std::sync::mpsc::Sender<u8>,
}

impl ArchivePipe {
    fn new(tx: std::sync::mpsc::Sender<u8>) -> Self {
        Self { tx }
    }
}

impl Drop for ArchivePipe {
    fn drop(&mut self) {
        let _ = futures::executor::block_on(async {});
    }
}

async fn serves_an_archive(compressed: bool) {
    let (tx, _rx) = std::sync::mpsc::channel();
    let pipe = if compressed {
        ArchivePipe::new(tx)
    } else {
        ArchivePipe { tx }
    };
    std::thread::spawn(move || write_archive(pipe));
}

fn write_archive(pipe: ArchivePipe) {
    let _ = pipe.tx.send(1);
}

fn main() {
    keeps_a_pipe();
    lends_a_pipe();
    maps_pipes();
    let _ = (sends_a_public_pipe(), serves_an_archive(true));
}
