//@no-rustfix: the fixes are the user's choice of runtime
#![allow(unexpected_cfgs)] // the test harness ui_test compiles files with `#[test]` in trips check-cfg
use std::time::Duration;
use tokio::runtime::Runtime;

fn start_worker() {
    tokio::spawn(async {});
}

fn start_timer() -> tokio::time::Sleep {
    tokio::time::sleep(Duration::from_millis(1))
}

#[test]
fn sync_test_spawns() {
    start_worker();
    //~^ missing_runtime
}

#[test]
fn sync_test_makes_a_timer() {
    let _sleep = start_timer();
    //~^ missing_runtime
    let _interval = tokio::time::interval(Duration::from_millis(1));
    //~^ missing_runtime
}

#[test]
fn sync_test_with_a_runtime() {
    let runtime = Runtime::new().unwrap();
    runtime.block_on(async { start_worker() });
}

#[tokio::test]
async fn tokio_test_is_inside_one() {
    start_worker();
    let _sleep = start_timer();
}

#[test]
fn allowed() {
    #[allow(missing_runtime)]
    start_worker();
}

// Not a test: no known caller, so quiet.
fn helper() {
    start_worker();
}
