//@no-rustfix: no automatic rewrites for runtime entry
use std::time::Duration;
use tokio::runtime::{Builder, Handle, Runtime};

async fn fetch() -> u32 {
    tokio::time::sleep(Duration::from_millis(1)).await;
    1
}

// ---- each API family, directly in async code ----

async fn tokio_runtime_new_and_block_on() {
    let rt = Runtime::new().unwrap();
    let _ = rt.block_on(fetch());
    //~^ nested_runtime
}
//~^ nested_runtime

async fn tokio_builder() {
    let _rt = Builder::new_current_thread().enable_all().build();
}
//~^ nested_runtime

async fn tokio_handle_block_on() {
    let _ = Handle::current().block_on(fetch());
    //~^ nested_runtime
}

async fn tokio_local_set() {
    let local = tokio::task::LocalSet::new();
    let rt = Builder::new_current_thread().build().unwrap();
    local.block_on(&rt, async {});
    //~^ nested_runtime
}
//~^ nested_runtime

async fn dropping_a_runtime(rt: Runtime) {
    drop(rt);
    //~^ nested_runtime
}

async fn futures_executor() {
    let _ = futures::executor::block_on(fetch());
    //~^ nested_runtime
    let mut pool = futures::executor::LocalPool::new();
    pool.run();
    //~^ nested_runtime
    // `block_on_stream` only wraps the stream; each `next` of its iterator blocks.
    let numbers = futures::executor::block_on_stream(futures::stream::iter([1, 2]));
    for number in numbers {
        //~^ nested_runtime
        let _ = number;
    }
}

// ---- through chains of sync helpers ----

fn fetch_sync() -> u32 {
    futures::executor::block_on(fetch())
}

fn report() -> u32 {
    fetch_sync() + 1
}

async fn chain_to_block_on() {
    let _ = report();
    //~^ nested_runtime
}

// A helper that both sleeps and blocks on a runtime gets one diagnostic: this one.
fn sleepy_fetch() -> u32 {
    std::thread::sleep(Duration::from_millis(1));
    futures::executor::block_on(fetch())
}

async fn one_diagnostic_per_call() {
    let _ = sleepy_fetch();
    //~^ nested_runtime
}

// ---- `Handle::try_current()` then `block_on`: panics exactly when it takes that branch ----

fn run_sync(future: impl std::future::Future<Output = u32>) -> u32 {
    match Handle::try_current() {
        Ok(handle) => handle.block_on(future),
        //~^ nested_runtime
        Err(_) => Runtime::new().unwrap().block_on(future),
    }
}

fn run_sync_if_let(future: impl std::future::Future<Output = u32>) -> Option<u32> {
    if let Some(handle) = Handle::try_current().ok() {
        return Some(handle.block_on(future));
        //~^ nested_runtime
    }
    None
}

fn block_on_a_handle_from_elsewhere(handle: &Handle) -> u32 {
    // Not tied to `try_current`: reported only when async code reaches it.
    handle.block_on(fetch())
}

async fn chain_to_the_try_current_helper() {
    let _ = run_sync(fetch());
    //~^ nested_runtime
}

// ---- silent ----

fn sync_main_like() {
    let rt = Runtime::new().unwrap();
    let _ = rt.block_on(fetch());
    let _ = futures::executor::block_on(fetch());
}

async fn runtime_on_a_fresh_thread() {
    let _ = std::thread::spawn(|| {
        let rt = Runtime::new().unwrap();
        rt.block_on(fetch())
    });
}

async fn handle_block_on_inside_spawn_blocking() {
    let handle = Handle::current();
    let _ = tokio::task::spawn_blocking(move || handle.block_on(fetch())).await;
}

async fn awaiting_is_fine() {
    let _ = fetch().await;
}

// On a thread of its own, blocking on the handle `try_current` found is the sanctioned bridge.
fn bridge_on_a_thread_of_its_own() {
    if let Ok(handle) = Handle::try_current() {
        let _ = std::thread::spawn(move || handle.block_on(fetch()));
    }
}

async fn bridge_with_block_in_place() {
    if let Ok(handle) = Handle::try_current() {
        let _ = tokio::task::block_in_place(|| handle.block_on(fetch()));
    }
}

// The `Err` arm of `try_current` runs only where there is no runtime: never from async code.
fn bridge_or_own_runtime(future: impl std::future::Future<Output = u32>) -> u32 {
    match Handle::try_current() {
        Ok(handle) => tokio::task::block_in_place(|| handle.block_on(future)),
        Err(_) => Runtime::new().unwrap().block_on(future),
    }
}

async fn calls_the_bridge() {
    let _ = bridge_or_own_runtime(fetch());
}

async fn own_runtime_only_without_one() {
    if let Ok(_handle) = Handle::try_current() {
    } else {
        let _ = Runtime::new();
    }
}

async fn dropping_a_reference_to_a_runtime(rt: &Runtime) {
    drop(rt);
    //~^ dropping_references
}

fn cli_helper_with_no_async_callers() -> u32 {
    block_on_a_handle_from_elsewhere(&Handle::current())
}

#[tokio::main]
async fn main() {
    let _ = fetch().await;
}
