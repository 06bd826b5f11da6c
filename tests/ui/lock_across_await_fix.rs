// `drop(guard)` before the `.await` when the guard is not used from there on: machine-applicable
// (this file's `.fixed` compiles).
use std::sync::Mutex;

async fn tick() {}

async fn guard_unused_after(counter: &Mutex<u64>) {
    let mut guard = counter.lock().unwrap();
    //~^ lock_across_await
    *guard += 1;
    tick().await;
}

async fn await_in_a_nested_block(counter: &Mutex<u64>, flag: bool) -> u64 {
    let guard = counter.lock().unwrap();
    //~^ lock_across_await
    let snapshot = *guard;
    if flag {
        tick().await;
    }
    snapshot
}

async fn await_as_the_tail(names: &Mutex<Vec<String>>) {
    let mut names = names.lock().unwrap();
    //~^ lock_across_await
    names.push("new".to_owned());
    tick().await
}

#[tokio::main]
async fn main() {
    let counter = Mutex::new(0);
    guard_unused_after(&counter).await;
    let _ = await_in_a_nested_block(&counter, true).await;
    await_as_the_tail(&Mutex::new(Vec::new())).await;
}
