//@no-rustfix: the fixes are the user's choice of runtime
//@compile-flags: --crate-type=bin
use std::time::Duration;
use tokio::runtime::{Handle, Runtime};

fn start_worker() {
    tokio::spawn(async {});
}

fn start_timer() -> tokio::time::Sleep {
    tokio::time::sleep(Duration::from_millis(1))
}

fn enters_its_own(runtime: &Runtime) {
    let _guard = runtime.enter();
    tokio::spawn(async {});
}

fn checks_for_one() {
    if Handle::try_current().is_ok() {
        tokio::spawn(async {});
    }
}

// ---- a synchronous main, before and after it enters a runtime ----

fn main() {
    #[allow(missing_runtime)]
    start_worker();
    start_worker();
    //~^ missing_runtime
    let _handle = Handle::current();
    //~^ missing_runtime
    let runtime = Runtime::new().unwrap();
    enters_its_own(&runtime);
    checks_for_one();
    // Inside the future given to `block_on`: in the runtime.
    runtime.block_on(async {
        start_worker();
        tokio::spawn(async {});
    });
    let _guard = runtime.enter();
    start_worker();
    let _sleep = start_timer();
}

// ---- new threads ----

fn threads(handle: Handle) {
    std::thread::spawn(|| {
        start_worker();
        //~^ missing_runtime
    });
    std::thread::Builder::new()
        .spawn(|| tokio::task::spawn_blocking(|| ()))
        //~^ missing_runtime
        .unwrap();
    std::thread::spawn(move || {
        let _guard = handle.enter();
        start_worker();
    });
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let _ = Handle::current();
            //~^ missing_runtime
        });
    });
}

// ---- no known caller, or in the runtime already: quiet ----

fn no_known_caller() {
    start_worker();
}

struct Worker;

impl Drop for Worker {
    fn drop(&mut self) {
        start_worker();
    }
}

async fn async_code() {
    start_worker();
    let handle = tokio::task::spawn_blocking(|| Handle::current());
    handle.await.unwrap();
}

