//@no-rustfix: the fixes are the user's choice of runtime
#![allow(unexpected_cfgs)] // the test harness ui_test compiles files with `#[test]` in trips check-cfg
use std::time::Duration;
use tokio::runtime::{Builder, LocalRuntime, Runtime};
use tokio::task::block_in_place;

fn checksum() -> u64 {
    block_in_place(|| 7)
}

async fn handler() -> u64 {
    // An async fn is no context of its own: its callers' runtime decides.
    checksum()
}

fn spawn_worker() {
    tokio::spawn(async {
        block_in_place(|| ());
    });
}

// ---- #[tokio::test]: current-thread unless it says otherwise ----

#[tokio::test]
async fn direct_in_a_test() {
    block_in_place(|| ());
    //~^ block_in_place_on_current_thread
}

#[tokio::test]
async fn through_a_sync_helper() {
    assert_eq!(checksum(), 7);
    //~^ block_in_place_on_current_thread
}

#[tokio::test]
async fn through_an_awaited_async_fn() {
    assert_eq!(handler().await, 7);
    //~^ block_in_place_on_current_thread
}

#[tokio::test]
async fn through_a_spawned_task() {
    spawn_worker();
    //~^ block_in_place_on_current_thread
    let task = tokio::spawn(async {
        block_in_place(|| ());
        //~^ block_in_place_on_current_thread
    });
    task.await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn explicit_current_thread() {
    let values: Vec<u64> = (0..2).map(|_| checksum()).collect();
    //~^ block_in_place_on_current_thread
    assert_eq!(values.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn multi_thread_test_is_fine() {
    block_in_place(|| ());
    assert_eq!(handler().await, 7);
}

#[tokio::test]
async fn spawn_blocking_is_fine_everywhere() {
    let value = tokio::task::spawn_blocking(|| 7).await.unwrap();
    tokio::time::sleep(Duration::from_millis(value)).await;
}

// ---- #[tokio::main] ----

mod current_thread_main {
    #[tokio::main(flavor = "current_thread")]
    pub async fn main() {
        super::checksum();
        //~^ block_in_place_on_current_thread
    }
}

mod multi_thread_main {
    #[tokio::main]
    pub async fn main() {
        super::checksum();
    }
}

// ---- block_on of a runtime built here ----

fn current_thread_block_on() {
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        block_in_place(|| ());
        //~^ block_in_place_on_current_thread
    });
    runtime.block_on(handler());
    //~^ block_in_place_on_current_thread
}

fn inline_current_thread_block_on() {
    Builder::new_current_thread().build().unwrap().block_on(async {
        checksum();
        //~^ block_in_place_on_current_thread
    });
}

fn local_runtime_block_on() {
    let runtime = LocalRuntime::new().unwrap();
    runtime.block_on(async {
        checksum();
        //~^ block_in_place_on_current_thread
    });
}

fn local_set_on_a_current_thread_runtime() {
    let runtime = Builder::new_current_thread().build().unwrap();
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async {
        checksum();
        //~^ block_in_place_on_current_thread
    });
}

fn multi_thread_block_on_is_fine() {
    let runtime = Builder::new_multi_thread().build().unwrap();
    runtime.block_on(async {
        block_in_place(|| ());
    });
    let default_runtime = Runtime::new().unwrap();
    default_runtime.block_on(handler());
}

// A runtime handed in from elsewhere: its flavour is unknown, so quiet.
fn unknown_runtime(runtime: &Runtime) {
    runtime.block_on(async {
        block_in_place(|| ());
    });
}

// Sync code and async code of unknown flavour: quiet.
async fn unknown_flavour() {
    checksum();
}

fn sync_code() {
    checksum();
}

#[tokio::test]
async fn allowed_in_a_test() {
    #[allow(block_in_place_on_current_thread)]
    let value = checksum();
    assert_eq!(value, 7);
}
