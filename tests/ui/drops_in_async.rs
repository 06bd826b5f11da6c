//@no-rustfix: the help here is advice, not a rewrite
// Values dropped in async code whose drop blocks the thread or drops a runtime.
use std::sync::mpsc;
use std::thread::JoinHandle;

// A worker handle whose `drop` joins its thread.
struct Worker {
    handle: Option<JoinHandle<()>>,
    stop: mpsc::Sender<()>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.stop.send(());
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

fn start_worker() -> Worker {
    let (stop, rx) = mpsc::channel::<()>();
    let handle = std::thread::spawn(move || {
        let _ = rx.recv();
    });
    Worker {
        handle: Some(handle),
        stop,
    }
}

// A sync client that owns a runtime, the way blocking clients do.
struct SyncClient {
    runtime: tokio::runtime::Runtime,
}

fn sync_client() -> SyncClient {
    SyncClient {
        runtime: tokio::runtime::Builder::new_current_thread().build().unwrap(),
    }
}

// ---- positives ----

async fn worker_dropped_at_end_of_scope() {
    let worker = start_worker();
    let _ = worker.stop.send(());
}
//~^ blocking_in_async

async fn runtime_dropped_at_end_of_scope() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let _ = runtime.handle();
}
//~^ nested_runtime

async fn client_owning_a_runtime_dropped() {
    let client = sync_client();
    let _ = client.runtime.handle();
}
//~^ nested_runtime

// ---- negatives ----

// Built in async code and moved to a thread of its own, which blocks on it and drops it there.
async fn runtime_moved_to_its_thread() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    std::thread::spawn(move || runtime.block_on(async {}));
}

// Stored for later: where it is dropped decides.
struct Holder {
    runtime: Option<tokio::runtime::Runtime>,
}

async fn runtime_stored(holder: &mut Holder) {
    holder.runtime = Some(tokio::runtime::Builder::new_current_thread().build().unwrap());
}

// Dropped only where no runtime runs.
async fn dropped_only_without_a_runtime() {
    if let Ok(_handle) = tokio::runtime::Handle::try_current() {
    } else {
        let _ = tokio::runtime::Runtime::new();
    }
    match tokio::runtime::Handle::try_current() {
        Ok(_) => {}
        Err(_) => {
            let runtime = tokio::runtime::Runtime::new();
            drop(runtime);
        }
    }
}

// Moved to another thread, which drops it there.
async fn worker_moved_to_a_thread() {
    let worker = start_worker();
    std::thread::spawn(move || drop(worker));
}

// Returned to the caller, which decides.
async fn runtime_returned() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().build().unwrap()
}

// Dropped in sync code: no executor to block.
fn sync_code_drops_a_worker() {
    let worker = start_worker();
    let _ = worker.stop.send(());
}

// A type whose `drop` does not block.
struct Counter(u64);

impl Drop for Counter {
    fn drop(&mut self) {
        self.0 = 0;
    }
}

async fn pure_drop() {
    let counter = Counter(1);
    let _ = counter.0;
}

fn main() {}
